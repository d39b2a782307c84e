import Foundation
import Fluent
import SQLKit

/// Webhook endpoints (secret sealed with the application key) and the log of their deliveries.
struct CreateWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("webhooks")
            .id()
            .field("name", .string, .required)
            .field("url", .string, .required)
            .field("secret_sealed", .string, .required)
            .field("event_kinds", .string, .required)
            .field("agency_id", .uuid, .references("agencies", "id", onDelete: .cascade))
            .field("active", .bool, .required)
            .field("created_by_name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime)
            .create()

        try await database.schema("webhook_deliveries")
            .id()
            .field("webhook_id", .uuid, .required, .references("webhooks", "id", onDelete: .cascade))
            .field("event_kind", .string, .required)
            .field("agency_id", .uuid)
            .field("body", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("status_code", .int)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("last_attempt_at", .datetime)
            .field("delivered_at", .datetime)
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX ix_webhook_deliveries_webhook_created ON webhook_deliveries (webhook_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_deliveries").delete()
        try await database.schema("webhooks").delete()
    }
}
