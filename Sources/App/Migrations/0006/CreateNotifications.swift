import Foundation
import Fluent
import SQLKit

/// In-app notifications (one row per recipient and event) and each user's choices per kind and channel.
struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notifications")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("agency_id", .uuid)
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("title_vi", .string, .required)
            .field("title_en", .string, .required)
            .field("body_vi", .string, .required)
            .field("body_en", .string, .required)
            .field("link", .string, .required)
            .field("in_app", .bool, .required)
            .field("read_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX ix_notifications_user_created ON notifications (user_id, created_at)").run()

        try await database.schema("notification_preferences")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("channel", .string, .required)
            .field("enabled", .bool, .required)
            .unique(on: "user_id", "kind", "channel", name: "uq_notification_preferences_user_kind_channel")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notification_preferences").delete()
        try await database.schema("notifications").delete()
    }
}
