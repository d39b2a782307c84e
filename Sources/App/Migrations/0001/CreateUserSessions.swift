import Foundation
import Fluent
import SQLKit

struct CreateUserSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("user_sessions")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("stage", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("client_address", .string)
            .field("user_agent", .string)
            .unique(on: "token_hash", name: "uq_user_sessions_token_hash")
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_user_sessions_user_id").on("user_sessions").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_sessions").delete()
    }
}
