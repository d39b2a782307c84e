import Foundation
import Fluent
import SQLKit
import Vapor

/// A job a worker has claimed: it holds the lease (`locked_by`, `locked_until`) until it finishes.
struct ClaimedJob: Sendable {
    let id: UUID
    let kind: JobKind
    let payload: String
    /// This attempt's number, from 1.
    let attempt: Int
    let maxAttempts: Int
    let lockedBy: String
}

/// The worker's side of the queue. Every write goes through `app.write` (SQLite's single-writer gate;
/// a plain transaction on PostgreSQL) and is conditional on still holding the lease.
enum JobClaims {

    /// Claims the next due job of one of `kinds`, or a running one whose worker stopped renewing its lease.
    /// PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED` then `UPDATE` in one transaction, so concurrent workers
    /// take different rows without waiting. SQLite: one conditional `UPDATE … WHERE <still due> RETURNING`.
    static func claim(kinds: [JobKind], workerId: String, lease: TimeInterval, now: Date = Date(), app: Application) async throws -> ClaimedJob? {
        guard !kinds.isEmpty else { return nil }
        let names = kinds.map(\.rawValue)
        // A cheap look without the write gate first: idle workers must not queue up behind page writes.
        let sqlRead = app.db as! any SQLDatabase
        let candidate = try await sqlRead.raw("""
            SELECT id FROM jobs WHERE kind IN (\(binds: names)) AND ((state = 'queued' AND run_at <= \(bind: now)) \
            OR (state = 'running' AND locked_until < \(bind: now))) LIMIT 1
            """).first()
        guard candidate != nil else { return nil }
        let postgres = !app.usesSQLite
        return try await app.write { db in
            let sql = db as! any SQLDatabase
            try await expireExhausted(now: now, on: sql)
            let until = now.addingTimeInterval(lease)
            let rows: [any SQLRow]
            if postgres {
                guard let row = try await sql.raw("""
                    SELECT id FROM jobs WHERE kind IN (\(binds: names)) AND ((state = 'queued' AND run_at <= \(bind: now)) \
                    OR (state = 'running' AND locked_until < \(bind: now))) ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """).first() else { return nil }
                let id = try row.decode(column: "id", as: UUID.self)
                rows = try await sql.raw("""
                    UPDATE jobs SET state = 'running', locked_by = \(bind: workerId), locked_until = \(bind: until), \
                    attempts = attempts + 1, started_at = \(bind: now) WHERE id = \(bind: id) \
                    RETURNING id, kind, payload, attempts, max_attempts
                    """).all()
            } else {
                rows = try await sql.raw("""
                    UPDATE jobs SET state = 'running', locked_by = \(bind: workerId), locked_until = \(bind: until), \
                    attempts = attempts + 1, started_at = \(bind: now) \
                    WHERE id = (SELECT id FROM jobs WHERE kind IN (\(binds: names)) AND ((state = 'queued' AND run_at <= \(bind: now)) \
                    OR (state = 'running' AND locked_until < \(bind: now))) ORDER BY run_at LIMIT 1) \
                    AND ((state = 'queued' AND run_at <= \(bind: now)) OR (state = 'running' AND locked_until < \(bind: now))) \
                    RETURNING id, kind, payload, attempts, max_attempts
                    """).all()
            }
            guard let row = rows.first else { return nil }
            return ClaimedJob(id: try row.decode(column: "id", as: UUID.self), kind: JobKind(try row.decode(column: "kind", as: String.self)),
                              payload: try row.decode(column: "payload", as: String.self), attempt: try row.decode(column: "attempts", as: Int.self),
                              maxAttempts: try row.decode(column: "max_attempts", as: Int.self), lockedBy: workerId)
        }
    }

    /// Running jobs whose lease expired and that have no attempt left fail; those asked to cancel are cancelled.
    static func expireExhausted(now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE jobs SET state = 'cancelled', finished_at = \(bind: now), locked_by = NULL, locked_until = NULL, \
            last_error = 'cancelled; its worker stopped before it ended' \
            WHERE state = 'running' AND locked_until < \(bind: now) AND cancel_requested = \(bind: true)
            """).run()
        try await sql.raw("""
            UPDATE jobs SET state = 'failed', finished_at = \(bind: now), locked_by = NULL, locked_until = NULL, \
            last_error = 'its worker stopped renewing the lease on the last attempt' \
            WHERE state = 'running' AND locked_until < \(bind: now) AND attempts >= max_attempts
            """).run()
    }

    /// Extends the lease; returns nil when the job is no longer this worker's (lease lost), else whether
    /// cancellation was requested.
    static func renew(_ job: ClaimedJob, lease: TimeInterval, now: Date = Date(), app: Application) async throws -> Bool? {
        try await app.write { db in
            let rows = try await (db as! any SQLDatabase).update(JobRecord.schema)
                .set("locked_until", to: now.addingTimeInterval(lease))
                .where("id", .equal, job.id).where("locked_by", .equal, job.lockedBy).where("state", .equal, JobState.running.rawValue)
                .returning("cancel_requested").all()
            guard let row = rows.first else { return nil }
            return try row.decode(column: "cancel_requested", as: Bool.self)
        }
    }

    enum Outcome: Sendable {
        case succeeded
        case cancelled
        case failed(String, retryAt: Date?)
        /// Handed back untouched (the server is stopping): queued again, the attempt not counted.
        case released
    }

    /// Records how the attempt ended; does nothing if the lease was lost meanwhile.
    static func finish(_ job: ClaimedJob, _ outcome: Outcome, now: Date = Date(), app: Application) async throws {
        try await app.write { db in
            var update = (db as! any SQLDatabase).update(JobRecord.schema)
                .set("locked_by", to: SQLLiteral.null).set("locked_until", to: SQLLiteral.null)
            switch outcome {
            case .succeeded:
                update = update.set("state", to: JobState.succeeded.rawValue).set("progress", to: 100).set("finished_at", to: now)
                    .set("last_error", to: SQLLiteral.null)
            case .cancelled:
                update = update.set("state", to: JobState.cancelled.rawValue).set("finished_at", to: now).set("last_error", to: "cancelled on request")
            case .failed(let message, let retryAt?):
                update = update.set("state", to: JobState.queued.rawValue).set("run_at", to: retryAt).set("last_error", to: message)
            case .failed(let message, nil):
                update = update.set("state", to: JobState.failed.rawValue).set("finished_at", to: now).set("last_error", to: message)
            case .released:
                update = update.set("state", to: JobState.queued.rawValue).set("run_at", to: now)
                    .set(SQLIdentifier("attempts"), to: SQLRaw("attempts - 1"))
            }
            try await update.where("id", .equal, job.id).where("locked_by", .equal, job.lockedBy)
                .where("state", .equal, JobState.running.rawValue).run()
        }
    }
}
