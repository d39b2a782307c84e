import Foundation
import Fluent
import SQLKit

/// Level dossiers (hồ sơ đề xuất cấp độ), the steps of their workflow, uploaded files and what they
/// are attached to, and the editable appraisal/approval authority table.
struct CreateLevelDossiers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("level_dossiers")
            .id()
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("proposed_level", .int, .required)
            .field("computed_level", .int, .required)
            .field("rule_id", .string, .required)
            .field("rule_version", .string, .required)
            .field("input_json", .string, .required)
            .field("evaluation_json", .string, .required)
            .field("justification", .string)
            .field("has_opinion", .bool, .required)
            .field("appraising_body", .string)
            .field("approving_body", .string)
            .field("decision_number", .string)
            .field("decision_date", .datetime)
            .field("created_by", .uuid)
            .field("submitted_at", .datetime)
            .field("appraised_at", .datetime)
            .field("approved_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await sql.create(index: "ix_level_dossiers_system_id").on("level_dossiers").column("system_id").run()

        try await database.schema("dossier_steps")
            .id()
            .field("dossier_id", .uuid, .required, .references("level_dossiers", "id", onDelete: .cascade))
            .field("transition", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("comment", .string)
            .field("decision_number", .string)
            .field("decision_date", .datetime)
            .field("at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_dossier_steps_dossier_id").on("dossier_steps").column("dossier_id").run()

        try await database.schema("stored_files")
            .id()
            .field("sha256", .string, .required)
            .field("size", .int64, .required)
            .field("content_type", .string, .required)
            .field("kind", .string, .required)
            .field("original_name", .string, .required)
            .field("agency_id", .uuid, .references("agencies", "id", onDelete: .restrict))
            .field("record_type", .string, .required)
            .field("record_id", .uuid, .required)
            .field("uploaded_by", .uuid)
            .field("uploaded_by_name", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_stored_files_record").on("stored_files").column("record_type").column("record_id").run()

        try await database.schema("level_authorities")
            .id()
            .field("level", .int, .required)
            .field("appraising_body_vi", .string, .required)
            .field("appraising_body_en", .string, .required)
            .field("approving_body_vi", .string, .required)
            .field("approving_body_en", .string, .required)
            .field("opinion_body_vi", .string)
            .field("opinion_body_en", .string)
            .field("note", .string)
            .field("updated_at", .datetime)
            .unique(on: "level", name: "uq_level_authorities_level")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("level_authorities").delete()
        try await database.schema("stored_files").delete()
        try await database.schema("dossier_steps").delete()
        try await database.schema("level_dossiers").delete()
    }
}
