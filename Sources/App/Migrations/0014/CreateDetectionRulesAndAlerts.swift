import Foundation
import Fluent
import SQLKit

/// Sigma rules in the platform and continuous detection: the rules (province-wide), the rule-set version every
/// instance compares to know when to rebuild its engine, alerts grouped by rule, host and window, the events kept with
/// each alert, and the triage history.
struct CreateDetectionRulesAndAlerts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("sigma_rules")
            .id()
            .field("rule_id", .string, .required)             // the Sigma id
            .field("title", .string, .required)
            .field("level", .string)
            .field("level_rank", .int, .required)
            .field("status", .string)
            .field("description", .string)
            .field("author", .string)
            .field("tags", .string, .required)                // " tag1 tag2 " (spaces around each)
            .field("product", .string)
            .field("service", .string)
            .field("category", .string)
            .field("yaml", .string, .required)
            .field("origin", .string, .required)
            .field("enabled", .bool, .required)
            .field("unsupported_reason", .string)
            .field("group_window_seconds", .int)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .uuid)
            .field("imported_by_name", .string, .required)
            .field("last_hit_at", .datetime)
            .field("hit_count", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("version", .int, .required)
            .unique(on: "rule_id", name: "uq_sigma_rules_rule_id")
            .create()
        try await sql.create(index: "ix_sigma_rules_enabled").on("sigma_rules").column("enabled").column("level_rank").run()

        try await database.schema("detection_state")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int64, .required)
            .field("changed_at", .datetime, .required)
            .create()
        try await sql.insert(into: "detection_state").columns("id", "version", "changed_at")
            .values(SQLBind(1), SQLBind(Int64(1)), SQLBind(Date())).run()

        try await database.schema("alerts")
            .id()
            .field("rule_id", .uuid, .required, .references("sigma_rules", "id", onDelete: .cascade))
            .field("rule_sigma_id", .string, .required)
            .field("rule_title", .string, .required)
            .field("level", .string)
            .field("level_rank", .int, .required)
            .field("agency_id", .uuid, .references("agencies", "id", onDelete: .restrict))
            .field("system_id", .uuid)
            .field("source_id", .uuid)
            .field("host", .string)
            .field("group_key", .string, .required)
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .field("first_event_at", .datetime, .required)
            .field("last_event_at", .datetime, .required)
            .field("event_count", .int, .required)
            .field("status", .string, .required)              // new | acknowledged | false_positive | promoted
            .field("false_positive_reason", .string)
            .field("incident_id", .uuid, .references("incidents", "id", onDelete: .setNull))
            .field("triaged_at", .datetime)
            .field("triaged_by_name", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .create()
        // One open alert per rule, host group and window: concurrent ingestion upserts into it.
        try await sql.raw("""
            CREATE UNIQUE INDEX uq_alerts_open_group ON alerts (rule_id, group_key, window_start) WHERE status IN ('new', 'acknowledged')
            """).run()
        try await sql.create(index: "ix_alerts_status_last").on("alerts").column("status").column("last_event_at").run()
        try await sql.create(index: "ix_alerts_agency_status").on("alerts").column("agency_id").column("status").column("last_event_at").run()
        try await sql.create(index: "ix_alerts_rule").on("alerts").column("rule_id").column("last_event_at").run()

        try await database.schema("alert_events")
            .id()
            .field("alert_id", .uuid, .required, .references("alerts", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("event_ref", .string, .required)
            .field("event_time", .datetime, .required)
            .field("snapshot", .string, .required)
            .create()
        try await sql.create(index: "ix_alert_events_alert").on("alert_events").column("alert_id").column("position").run()

        try await database.schema("alert_history")
            .id()
            .field("alert_id", .uuid, .required, .references("alerts", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .field("note", .string)
            .field("incident_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .create()
        try await sql.create(index: "ix_alert_history_alert").on("alert_history").column("alert_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["alert_history", "alert_events", "alerts", "detection_state", "sigma_rules"] {
            try await database.schema(table).delete()
        }
    }
}
