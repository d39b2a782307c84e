import Foundation
import Domain
import Fluent
import Vapor

/// Which roles an administrator requires to use two-factor authentication.
enum TwoFactorRequirement {
    static func roles(on db: any Database) async throws -> Set<Role> {
        guard let setting = try await Setting.query(on: db)
            .filter(\.$key == Setting.Key.requireTwoFactorRoles.rawValue).first() else { return [] }
        return Set(setting.value.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }

    static func mustEnrol(_ user: User, on db: any Database) async throws -> Bool {
        guard !user.totpEnabled else { return false }
        return try await roles(on: db).contains(user.role)
    }
}
