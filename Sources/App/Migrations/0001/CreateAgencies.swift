import Foundation
import Fluent
import SQLKit

struct CreateAgencies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("agencies")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references("agencies", "id", onDelete: .restrict))
            .field("address", .string)
            .field("contact_phone", .string)
            .field("contact_email", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code", name: "uq_agencies_code")
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_agencies_parent_id").on("agencies").column("parent_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("agencies").delete()
    }
}
