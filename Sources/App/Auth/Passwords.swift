import Foundation
import NIOConcurrencyHelpers
import Vapor

/// bcrypt on the thread pool, at the configured cost.
enum Passwords {
    static func hash(_ password: String, app: Application) async throws -> String {
        let cost = app.config.bcryptCost
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, against hash: String, app: Application) async throws -> Bool {
        try await app.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }

    /// A hash of nothing anyone knows, checked against when the account does not exist, so that
    /// unknown accounts and wrong passwords take the same time.
    static func decoyHash(app: Application) -> String {
        DecoyHash.value(cost: app.config.bcryptCost)
    }
}

private enum DecoyHash {
    private static let cache = NIOLockedValueBox<[Int: String]>([:])

    static func value(cost: Int) -> String {
        cache.withLockedValue { cache in
            if let hash = cache[cost] { return hash }
            let hash = (try? Bcrypt.hash(UUID().uuidString, cost: cost)) ?? ""
            cache[cost] = hash
            return hash
        }
    }
}
