import Foundation
import Fluent
import SQLKit

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("phone", .string)
            .field("role", .string, .required)
            .field("status", .string, .required)
            .field("agency_id", .uuid, .references("agencies", "id", onDelete: .restrict))
            .field("password_hash", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("locale", .string, .required)
            .field("totp_secret_sealed", .string)
            .field("totp_enabled", .bool, .required)
            .field("totp_last_counter", .int64)
            .field("last_sign_in_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email", name: "uq_users_email")
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_users_agency_id").on("users").column("agency_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}
