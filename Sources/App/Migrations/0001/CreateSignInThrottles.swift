import Foundation
import Fluent

struct CreateSignInThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_throttles")
            .id()
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("window_started_at", .datetime, .required)
            .field("locked_until", .datetime)
            .unique(on: "key", name: "uq_sign_in_throttles_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_throttles").delete()
    }
}
