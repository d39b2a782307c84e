import Foundation
import Fluent
import SQLKit

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("sequence", .int64, .required)
            .field("occurred_at", .datetime, .required)
            .field("occurred_at_text", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_label", .string, .required)
            .field("client_address", .string)
            .field("action", .string, .required)
            .field("record_type", .string)
            .field("record_id", .string)
            .field("agency_id", .uuid)
            .field("summary", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence", name: "uq_audit_events_sequence")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_audit_events_occurred_at").on("audit_events").column("occurred_at").run()
        try await sql.create(index: "ix_audit_events_actor_id").on("audit_events").column("actor_id").run()
        try await sql.create(index: "ix_audit_events_agency_id").on("audit_events").column("agency_id").run()
        try await sql.create(index: "ix_audit_events_record").on("audit_events").column("record_type").column("record_id").run()

        try await database.schema("audit_chain_head")
            .id()
            .field("last_sequence", .int64, .required)
            .field("last_hash", .string, .required)
            .create()
        try await sql.insert(into: "audit_chain_head")
            .columns("id", "last_sequence", "last_hash")
            .values(SQLBind(AuditChainHead.singletonId), SQLBind(Int64(0)), SQLBind(String(repeating: "0", count: 64)))
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_chain_head").delete()
        try await database.schema("audit_events").delete()
    }
}
