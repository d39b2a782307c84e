import Foundation
import Fluent
import SQLKit

/// The background job queue (`jobs`) and its recurring schedules (`job_schedules`), with the two
/// schedules that replace the old in-process hourly task: obligations refresh and files prune.
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("run_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("state", .string, .required)
            .field("locked_by", .string)
            .field("locked_until", .datetime)
            .field("progress", .int, .required)
            .field("progress_note", .string)
            .field("cancel_requested", .bool, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        // Workers look for due queued jobs and for running jobs whose lease has expired.
        try await sql.raw("CREATE INDEX ix_jobs_state_run_at ON jobs (state, run_at)").run()
        try await sql.raw("CREATE INDEX ix_jobs_created_at ON jobs (created_at)").run()

        try await database.schema("job_schedules")
            .id()
            .field("kind", .string, .required)
            .field("interval_seconds", .int)
            .field("daily_at", .string)
            .field("next_run_at", .datetime, .required)
            .field("last_run_at", .datetime)
            .field("active", .bool, .required)
            .unique(on: "kind", name: "uq_job_schedules_kind")
            .create()
        let now = Date()
        for kind in ["upkeep.obligations", "upkeep.files"] {
            try await sql.insert(into: "job_schedules")
                .columns("id", "kind", "interval_seconds", "daily_at", "next_run_at", "last_run_at", "active")
                .values(SQLBind(UUID()), SQLBind(kind), SQLBind(3600), SQLLiteral.null, SQLBind(now), SQLLiteral.null, SQLBind(true))
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("job_schedules").delete()
        try await database.schema("jobs").delete()
    }
}
