import Foundation
import Fluent
import SQLKit

/// The Circular 12/2022 control catalogue, each system's self-assessment, periodic assessments
/// (kiểm tra, đánh giá) and the materialised obligation occurrences the dashboards read.
struct CreateControlsAndObligations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("controls")
            .id()
            .field("code", .string, .required)
            .field("family", .string, .required)
            .field("group_id", .string, .required)
            .field("first_level", .int, .required)
            .field("position", .int, .required)
            .field("title_vi", .string, .required)
            .field("title_en", .string, .required)
            .field("description_vi", .string)
            .field("description_en", .string)
            .field("evidence_hint_vi", .string)
            .field("evidence_hint_en", .string)
            .field("active", .bool, .required)
            .field("catalogue_version", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "code", name: "uq_controls_code")
            .create()

        try await database.schema("control_assessments")
            .id()
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("control_id", .uuid, .required, .references("controls", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("effective_date", .datetime)
            .field("justification", .string)
            .field("evidence_links", .string)
            .field("updated_by_name", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "system_id", "control_id", name: "uq_control_assessments_system_control")
            .create()

        try await database.schema("system_assessments")
            .id()
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("performed_on", .datetime, .required)
            .field("assessor", .string, .required)
            .field("independent", .bool, .required)
            .field("summary", .string)
            .field("created_by_name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await sql.create(index: "ix_system_assessments_system_id").on("system_assessments").column("system_id").run()

        try await database.schema("obligations")
            .id()
            .field("duty_id", .string, .required)
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("agency_id", .uuid)
            .field("state", .string, .required)
            .field("due_at", .datetime)
            .field("evidence", .string)
            .field("title_vi", .string, .required)
            .field("title_en", .string, .required)
            .field("explanation_vi", .string, .required)
            .field("explanation_en", .string, .required)
            .field("basis", .string, .required)
            .field("rule_id", .string, .required)
            .field("rule_version", .string, .required)
            .field("computed_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_obligations_subject").on("obligations").column("subject_id").run()
        try await sql.create(index: "ix_obligations_agency_state").on("obligations").column("agency_id").column("state").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("obligations").delete()
        try await database.schema("system_assessments").delete()
        try await database.schema("control_assessments").delete()
        try await database.schema("controls").delete()
    }
}
