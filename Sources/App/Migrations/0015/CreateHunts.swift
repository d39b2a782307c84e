import Foundation
import Fluent
import SQLKit

/// Threat hunts over the stored events (issue 6): the hunt with its parameters and progress, the hits kept (at most
/// 10,000 per hunt, each with a snapshot of its event), the counts of every hit per rule or indicator, agency and
/// system, the agencies a hunt touches (who may read it) and the threat-hunting assessments a completed hunt recorded.
struct CreateHunts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("hunts")
            .id()
            .field("name", .string, .required)
            .field("purpose", .string)
            .field("state", .string, .required)               // running | completed | cancelled | failed
            .field("rule_mode", .string, .required)           // none | selection | tag | level | all
            .field("rule_tag", .string)
            .field("rule_level", .string)
            .field("include_disabled", .bool, .required)
            .field("rules", .string, .required)               // JSON: [{id, ruleId, title, level}]
            .field("rules_count", .int, .required)
            .field("rules_unsupported", .int, .required)
            .field("indicators", .string, .required)          // JSON: [{kind, value}]
            .field("indicators_count", .int, .required)
            .field("from_at", .datetime, .required)
            .field("to_at", .datetime, .required)
            .field("scope_all", .bool, .required)
            .field("scope_agencies", .string, .required)      // JSON arrays of ids
            .field("scope_systems", .string, .required)
            .field("scope_sources", .string, .required)
            .field("include_unassigned", .bool, .required)
            .field("events_total", .int64, .required)
            .field("events_scanned", .int64, .required)
            .field("progress", .int, .required)
            .field("hits_total", .int64, .required)
            .field("hits_stored", .int64, .required)
            .field("job_id", .uuid)
            .field("error", .string)
            .field("created_by", .uuid)
            .field("created_by_name", .string, .required)
            .field("created_by_agency", .uuid)
            .field("created_at", .datetime)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await sql.create(index: "ix_hunts_created").on("hunts").column("created_at").run()

        try await database.schema("hunt_hits")
            .id()
            .field("hunt_id", .uuid, .required, .references("hunts", "id", onDelete: .cascade))
            .field("kind", .string, .required)                // rule | indicator
            .field("group_key", .string, .required)
            .field("rule_id", .string)
            .field("rule_title", .string)
            .field("level", .string)
            .field("indicator_kind", .string)
            .field("indicator_value", .string)
            .field("field", .string)
            .field("event_id", .string, .required)
            .field("event_time", .datetime, .required)
            .field("host", .string)
            .field("agency_id", .uuid)
            .field("system_id", .uuid)
            .field("source_id", .uuid)
            .field("snapshot", .string, .required)
            .field("seq", .int64, .required)
            .create()
        try await sql.create(index: "ix_hunt_hits_group").on("hunt_hits").column("hunt_id").column("group_key").column("seq").run()
        try await sql.create(index: "ix_hunt_hits_agency").on("hunt_hits").column("hunt_id").column("agency_id").run()

        try await database.schema("hunt_counts")
            .id()
            .field("hunt_id", .uuid, .required, .references("hunts", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("group_key", .string, .required)
            .field("label", .string, .required)
            .field("rule_id", .string)
            .field("level", .string)
            .field("indicator_kind", .string)
            .field("agency_id", .uuid)
            .field("system_id", .uuid)
            .field("hits", .int64, .required)
            .create()
        try await sql.create(index: "ix_hunt_counts_hunt").on("hunt_counts").column("hunt_id").column("agency_id").run()

        try await database.schema("hunt_agencies")
            .id()
            .field("hunt_id", .uuid, .required, .references("hunts", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .cascade))
            .unique(on: "hunt_id", "agency_id", name: "uq_hunt_agencies")
            .create()
        try await sql.create(index: "ix_hunt_agencies_agency").on("hunt_agencies").column("agency_id").column("hunt_id").run()

        try await database.schema("hunt_assessments")
            .id()
            .field("hunt_id", .uuid, .required, .references("hunts", "id", onDelete: .cascade))
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("assessment_id", .uuid, .required, .references("proactive_assessments", "id", onDelete: .cascade))
            .unique(on: "hunt_id", "system_id", name: "uq_hunt_assessments")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("hunt_assessments").delete()
        try await database.schema("hunt_agencies").delete()
        try await database.schema("hunt_counts").delete()
        try await database.schema("hunt_hits").delete()
        try await database.schema("hunts").delete()
    }
}
