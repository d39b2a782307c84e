import Foundation
import Fluent
import SQLKit

/// Putting jobs on the queue and taking them off. `enqueue` writes on the database it is given, so a job
/// enqueued inside a transaction exists only if that transaction commits.
enum JobQueue {
    /// Adds a job; `maxAttempts` defaults to the registered kind's.
    @discardableResult
    static func enqueue(_ kind: JobKind, payload: JobPayload = [:], runAt: Date? = nil, maxAttempts: Int? = nil,
                        registry: JobRegistry? = nil, on db: any Database) async throws -> UUID {
        let now = Date()
        let attempts = maxAttempts ?? registry?.entry(kind)?.maxAttempts ?? 5
        let job = JobRecord(kind: kind, payload: payload, runAt: runAt ?? now, maxAttempts: max(1, attempts), now: now)
        try await job.create(on: db)
        return job.id!
    }

    enum CancelOutcome: String, Sendable {
        /// It had not started: it never will.
        case cancelled
        /// It is running: its body stops at its next ``JobContext/checkCancellation()``.
        case requested
        /// It had already finished.
        case finished
        case notFound
    }

    /// Cancels a queued job at once, or asks a running one to stop.
    static func cancel(_ id: UUID, now: Date = Date(), on db: any Database) async throws -> CancelOutcome {
        let sql = db as! any SQLDatabase
        let cancelled = try await sql.update(JobRecord.schema)
            .set("state", to: JobState.cancelled.rawValue).set("finished_at", to: now).set("last_error", to: "cancelled before it started")
            .where("id", .equal, id).where("state", .equal, JobState.queued.rawValue)
            .returning("id").all()
        if !cancelled.isEmpty { return .cancelled }
        let requested = try await sql.update(JobRecord.schema).set("cancel_requested", to: true)
            .where("id", .equal, id).where("state", .equal, JobState.running.rawValue)
            .returning("id").all()
        if !requested.isEmpty { return .requested }
        return try await JobRecord.find(id, on: db) == nil ? .notFound : .finished
    }
}
