import Foundation
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Thrown by ``JobContext/checkCancellation()`` when someone asked to cancel the job; the worker
/// records the job as cancelled (not failed, not retried).
struct JobCancelled: Error, CustomStringConvertible {
    var description: String { "cancelled on request" }
}

/// What a job body gets: the database, a logger, progress reporting and the cancellation check.
/// The same bodies run under a worker (a row in `jobs`) and directly from the CLI (`jobId == nil`).
struct JobContext: Sendable {
    let app: Application
    let logger: Logger
    /// The row being worked on; nil when the CLI calls the body directly.
    let jobId: UUID?
    /// 1 for the first attempt.
    let attempt: Int
    /// The last attempt's number; a body may record "failed for good" when `attempt == maxAttempts`.
    var maxAttempts: Int = 1
    let control: JobControl

    var db: any Database { app.db }

    /// A context for calling a job body outside the queue (CLI, tests): progress goes to the log.
    static func direct(app: Application, logger: Logger? = nil) -> JobContext {
        JobContext(app: app, logger: logger ?? app.logger, jobId: nil, attempt: 1, control: JobControl(jobId: nil, lockedBy: nil))
    }

    /// Records how far the job is (0–100) with an optional short note. Cheap to call often: the row is
    /// written at most about once a second (and never from inside a write transaction, where SQLite's
    /// single writer would wait for itself; the next heartbeat writes it then).
    func progress(_ percent: Int, _ note: String? = nil) async {
        let value = min(max(percent, 0), 100)
        control.setProgress(value, note)
        guard jobId != nil else {
            logger.info("progress \(value)%\(note.map { " – \($0)" } ?? "")")
            return
        }
        guard !WriteGate.isInsideWrite, control.progressWriteDue(force: value == 100) else { return }
        try? await control.flushProgress(app: app)
    }

    /// Throws ``JobCancelled`` when cancellation was requested (`ungcuu jobs cancel`, the API, a page) or
    /// the worker lost its lease; call it between steps of a long job. Reads the row at most once a second.
    func checkCancellation() async throws {
        if control.isCancelRequested || Task.isCancelled { throw JobCancelled() }
        guard jobId != nil, control.cancelCheckDue(), !WriteGate.isInsideWrite else { return }
        if try await control.readCancelRequested(app: app) { throw JobCancelled() }
    }

    /// True once cancellation was requested (as last seen; ``checkCancellation()`` refreshes it).
    var isCancelRequested: Bool { control.isCancelRequested }
}

/// The shared, mutable side of a running job: progress not yet written, the cancel flag, the lease.
final class JobControl: Sendable {
    struct State {
        var progress = 0
        var note: String?
        var progressDirty = false
        var lastProgressWrite = Date.distantPast
        var lastCancelCheck = Date.distantPast
        var cancelRequested = false
        var leaseLost = false
    }

    let jobId: UUID?
    let lockedBy: String?
    /// How often progress is written and the cancel flag read (seconds).
    let minimumInterval: TimeInterval
    private let state = NIOLockedValueBox(State())

    init(jobId: UUID?, lockedBy: String?, minimumInterval: TimeInterval = 1) {
        self.jobId = jobId
        self.lockedBy = lockedBy
        self.minimumInterval = minimumInterval
    }

    var isCancelRequested: Bool { state.withLockedValue { $0.cancelRequested || $0.leaseLost } }
    var leaseLost: Bool { state.withLockedValue { $0.leaseLost } }

    func setProgress(_ value: Int, _ note: String?) {
        state.withLockedValue { $0.progress = value; $0.note = note; $0.progressDirty = true }
    }

    func markCancelRequested() { state.withLockedValue { $0.cancelRequested = true } }
    func markLeaseLost() { state.withLockedValue { $0.leaseLost = true } }

    func progressWriteDue(force: Bool) -> Bool {
        state.withLockedValue { s in
            let due = force || Date().timeIntervalSince(s.lastProgressWrite) >= minimumInterval
            if due { s.lastProgressWrite = Date() }
            return due
        }
    }

    func cancelCheckDue() -> Bool {
        state.withLockedValue { s in
            let due = Date().timeIntervalSince(s.lastCancelCheck) >= minimumInterval
            if due { s.lastCancelCheck = Date() }
            return due
        }
    }

    /// Writes pending progress (only while this worker holds the job).
    func flushProgress(app: Application) async throws {
        guard let jobId, let lockedBy else { return }
        let pending: (Int, String?)? = state.withLockedValue { s in
            guard s.progressDirty else { return nil }
            s.progressDirty = false
            return (s.progress, s.note)
        }
        guard let (progress, note) = pending else { return }
        try await app.write { db in
            try await (db as! any SQLDatabase).update(JobRecord.schema)
                .set("progress", to: progress).set("progress_note", to: note.map { String($0.prefix(500)) })
                .where("id", .equal, jobId).where("locked_by", .equal, lockedBy).where("state", .equal, JobState.running.rawValue)
                .run()
        }
    }

    func readCancelRequested(app: Application) async throws -> Bool {
        guard let jobId else { return false }
        let requested = try await JobRecord.find(jobId, on: app.db)?.cancelRequested ?? true
        if requested { markCancelRequested() }
        return requested
    }
}
