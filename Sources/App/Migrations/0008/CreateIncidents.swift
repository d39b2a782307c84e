import Foundation
import Fluent
import SQLKit

/// Incident cases (sự cố): the report, triage and phase, affected systems, responders, the immutable
/// timeline, observables, evidence with its chain of custody, reports sent, police sharing and drafts.
struct CreateIncidents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("incidents")
            .id()
            .field("number", .string, .required)
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .restrict))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("category_code", .string, .required)
            .field("category_rule_version", .string, .required)
            .field("detected_at", .datetime, .required)
            .field("occurred_at", .datetime)
            .field("reporter_id", .uuid)
            .field("reporter_name", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_title", .string)
            .field("contact_phone", .string, .required)
            .field("contact_email", .string)
            .field("services_down", .bool, .required)
            .field("services_note", .string)
            .field("data_affected", .string)
            .field("people_affected", .int)
            .field("personal_data", .bool, .required)
            .field("state_secret", .bool, .required)
            .field("beyond_capability", .bool, .required)
            .field("actions_taken", .string)
            .field("support_requested", .string)
            .field("impact_flags", .string, .required)
            .field("tlp", .string, .required)
            .field("severity", .string)
            .field("serious_suggested", .bool, .required)
            .field("serious_confirmed", .bool)
            .field("serious_confirmed_at", .datetime)
            .field("serious_confirmed_by", .uuid)
            .field("phase", .string, .required)
            .field("resolution", .string)
            .field("merged_into_id", .uuid, .references("incidents", "id", onDelete: .setNull))
            .field("triaged_at", .datetime)
            .field("response_completed_at", .datetime)
            .field("closed_at", .datetime)
            .field("close_override_reason", .string)
            .field("police_shared", .bool, .required)
            .field("search_text", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "number")
            .create()
        for column in ["agency_id", "phase", "detected_at", "created_at"] {
            try await sql.create(index: "ix_incidents_\(column)").on("incidents").column(column).run()
        }

        try await database.schema("incident_systems")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .restrict))
            .unique(on: "incident_id", "system_id")
            .create()
        try await sql.create(index: "ix_incident_systems_system_id").on("incident_systems").column("system_id").run()

        try await database.schema("incident_assignees")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .restrict))
            .field("assigned_at", .datetime, .required)
            .unique(on: "incident_id", "user_id")
            .create()
        try await sql.create(index: "ix_incident_assignees_user_id").on("incident_assignees").column("user_id").run()

        try await database.schema("incident_timeline")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .restrict))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_label", .string, .required)
            .field("kind", .string, .required)
            .field("body", .string, .required)
            .field("tlp", .string, .required)
            .field("named_user_ids", .string, .required)
            .field("search_text", .string, .required)
            .create()
        try await sql.create(index: "ix_incident_timeline_incident_at").on("incident_timeline").column("incident_id").column("at").run()

        try await database.schema("incident_observables")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("type", .string, .required)
            .field("value", .string, .required)
            .field("tlp", .string, .required)
            .field("named_user_ids", .string, .required)
            .field("comment", .string)
            .field("is_ioc", .bool, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .unique(on: "incident_id", "type", "value")
            .create()
        try await sql.create(index: "ix_incident_observables_value").on("incident_observables").column("type").column("value").run()

        try await database.schema("incident_evidence")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .restrict))
            .field("file_id", .uuid, .required, .references("stored_files", "id", onDelete: .restrict))
            .field("description", .string)
            .field("tlp", .string, .required)
            .field("named_user_ids", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_incident_evidence_incident_id").on("incident_evidence").column("incident_id").run()

        try await database.schema("evidence_custody")
            .id()
            .field("evidence_id", .uuid, .required, .references("incident_evidence", "id", onDelete: .restrict))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_label", .string, .required)
            .field("action", .string, .required)
            .field("client_address", .string)
            .create()
        try await sql.create(index: "ix_evidence_custody_evidence_id").on("evidence_custody").column("evidence_id").run()

        try await database.schema("incident_reports")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("recipients", .string, .required)
            .field("channel", .string, .required)
            .field("document_number", .string)
            .field("file_id", .uuid, .references("stored_files", "id", onDelete: .setNull))
            .field("recorded_by", .uuid)
            .field("recorded_by_name", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_incident_reports_incident_id").on("incident_reports").column("incident_id").run()

        try await database.schema("incident_shares")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("shared_by", .uuid)
            .field("shared_at", .datetime, .required)
            .field("note", .string)
            .field("revoked_by", .uuid)
            .field("revoked_at", .datetime)
            .create()
        try await sql.create(index: "ix_incident_shares_incident_id").on("incident_shares").column("incident_id").run()

        try await database.schema("incident_drafts")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("form_json", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id")
            .create()

        try await appendOnly("incident_timeline", on: sql)
        try await appendOnly("evidence_custody", on: sql)
        // Time moves the legal clocks: recomputed every 15 minutes by the scheduler.
        try await sql.insert(into: "job_schedules")
            .columns("id", "kind", "interval_seconds", "daily_at", "next_run_at", "last_run_at", "active")
            .values(SQLBind(UUID()), SQLBind("incidents.clocks"), SQLBind(900), SQLLiteral.null, SQLBind(Date()), SQLLiteral.null, SQLBind(true))
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.delete(from: "job_schedules").where("kind", .equal, "incidents.clocks").run()
        for table in ["incident_timeline", "evidence_custody"] { try await dropAppendOnly(table, on: sql) }
        for table in ["incident_drafts", "incident_shares", "incident_reports", "evidence_custody", "incident_evidence",
                      "incident_observables", "incident_timeline", "incident_assignees", "incident_systems", "incidents"] {
            try await database.schema(table).delete()
        }
    }

    /// The database refuses to change or remove timeline and custody entries.
    private func appendOnly(_ table: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION \(unsafeRaw: table)_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(unsafeRaw: table) is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_append_only()
                """).run()
        } else {
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: operation.lowercased()) BEFORE \(unsafeRaw: operation) ON \(unsafeRaw: table)
                    BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                    """).run()
            }
        }
    }

    private func dropAppendOnly(_ table: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_append_only ON \(unsafeRaw: table)").run()
            try await sql.raw("DROP FUNCTION \(unsafeRaw: table)_append_only()").run()
        } else {
            try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_no_update").run()
            try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_no_delete").run()
        }
    }
}
