import Foundation
import Fluent
import SQLKit

/// Authority warnings: the hourly `warnings.match` schedule (every warning against every system's components, a safety
/// net behind the matching done on each warning change and on each component change) and an index for the tracking
/// view's "not remediated" lists.
struct CreateWarningMatchSchedule: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.insert(into: "job_schedules")
            .columns("id", "kind", "interval_seconds", "daily_at", "next_run_at", "last_run_at", "active")
            .values(SQLBind(UUID()), SQLBind("warnings.match"), SQLBind(3600), SQLLiteral.null, SQLBind(Date()), SQLLiteral.null, SQLBind(true))
            .run()
        try await sql.create(index: "ix_warning_systems_state").on("warning_systems").column("state").column("warning_id").run()
        try await sql.create(index: "ix_authority_warnings_origin").on("authority_warnings").column("origin").column("origin_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "ix_authority_warnings_origin").run()
        try await sql.drop(index: "ix_warning_systems_state").run()
        try await sql.delete(from: "job_schedules").where("kind", .equal, "warnings.match").run()
    }
}
