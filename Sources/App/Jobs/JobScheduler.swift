import Foundation
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Turns due `job_schedules` rows into jobs. Every `serve` and `worker` process runs a candidate; on each
/// tick exactly one of them does the work: on PostgreSQL the one that gets the transaction-scoped advisory
/// lock (the others skip the tick), on SQLite the single writer. Each row is also advanced with a conditional
/// `UPDATE … WHERE next_run_at <= now`, so even two schedulers at once would enqueue a firing only once.
final class JobScheduler: Sendable {
    /// Advisory-lock key of the scheduler on PostgreSQL ("UC" "JS").
    static let lockKey = 0x5543_4A53

    let app: Application
    let timings: JobTimings
    private let stopping = NIOLockedValueBox(false)

    init(app: Application, timings: JobTimings = JobTimings()) {
        self.app = app
        self.timings = timings
    }

    func stop() { stopping.withLockedValue { $0 = true } }

    func run() async {
        while !stopping.withLockedValue({ $0 }) && !Task.isCancelled {
            do { try await tick() } catch { app.logger.report(error: error) }
            try? await Task.sleep(for: .milliseconds(Int(timings.schedulerTick * 1000)))
        }
    }

    /// Enqueues a job for every due schedule; returns the kinds enqueued (empty when another instance
    /// holds the scheduler lock). A kind whose previous job is still queued or running is not enqueued again.
    @discardableResult
    func tick(now: Date = Date()) async throws -> [JobKind] {
        let postgres = !app.usesSQLite
        let registry = app.jobs
        return try await app.write { db in
            let sql = db as! any SQLDatabase
            if postgres {
                // Keyed by the schema too: deployments (and test apps) sharing one database in schemas of their own
                // each elect their own scheduler.
                let row = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(literal: Self.lockKey), hashtext(current_schema())) AS got").first()
                guard try row?.decode(column: "got", as: Bool.self) == true else { return [] }
            }
            var enqueued: [JobKind] = []
            let due = try await JobSchedule.query(on: db).filter(\.$active == true).filter(\.$nextRunAt <= now).all()
            for schedule in due {
                let next = schedule.timing?.next(after: now, previous: schedule.nextRunAt) ?? now.addingTimeInterval(3600)
                let advanced = try await sql.update(JobSchedule.schema)
                    .set("next_run_at", to: next).set("last_run_at", to: now)
                    .where("id", .equal, schedule.id!).where("next_run_at", .lessThanOrEqual, now)
                    .returning("id").all()
                guard !advanced.isEmpty else { continue }
                let kind = JobKind(schedule.kind)
                let pending = try await JobRecord.query(on: db).filter(\.$kind == kind.rawValue)
                    .filter(\.$state ~~ [JobState.queued, JobState.running]).count()
                guard pending == 0 else { continue }
                try await JobQueue.enqueue(kind, runAt: now, registry: registry, on: db)
                enqueued.append(kind)
            }
            return enqueued
        }
    }

    /// Makes a schedule due now (e.g. the obligations refresh when a server starts).
    static func runSoon(_ kind: JobKind, now: Date = Date(), app: Application) async throws {
        try await app.write { db in
            try await JobSchedule.query(on: db).filter(\.$kind == kind.rawValue).set(\.$nextRunAt, to: now).update()
        }
    }
}
