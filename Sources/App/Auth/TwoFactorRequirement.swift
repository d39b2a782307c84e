import Foundation
import Domain
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Which roles an administrator requires to use two-factor authentication.
enum TwoFactorRequirement {
    static func roles(on db: any Database) async throws -> Set<Role> {
        guard let setting = try await Setting.query(on: db)
            .filter(\.$key == Setting.Key.requireTwoFactorRoles.rawValue).first() else { return [] }
        return Set(setting.value.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }

    /// Asked on every signed-in request, so the roles are cached for a few seconds; a change made on
    /// another instance applies here within that time, one made here at once.
    static func mustEnrol(_ user: User, req: Request) async throws -> Bool {
        guard !user.totpEnabled else { return false }
        let cache = req.application.twoFactorRolesCache
        let now = Date()
        if let cached = cache.withLockedValue({ $0 }), now.timeIntervalSince(cached.at) < 5 {
            return cached.roles.contains(user.role)
        }
        let roles = try await roles(on: req.db)
        cache.withLockedValue { $0 = (roles, now) }
        return roles.contains(user.role)
    }

    static func invalidate(_ app: Application) {
        app.twoFactorRolesCache.withLockedValue { $0 = nil }
    }
}

extension Application {
    private struct TwoFactorRolesKey: StorageKey { typealias Value = NIOLockedValueBox<(roles: Set<Role>, at: Date)?> }

    var twoFactorRolesCache: NIOLockedValueBox<(roles: Set<Role>, at: Date)?> {
        if let box = storage[TwoFactorRolesKey.self] { return box }
        let box = NIOLockedValueBox<(roles: Set<Role>, at: Date)?>(nil)
        storage[TwoFactorRolesKey.self] = box
        return box
    }
}
