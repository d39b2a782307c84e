import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Timings of workers and the scheduler. The defaults suit production; tests shorten them.
struct JobTimings: Sendable {
    /// How long an idle worker waits before looking again.
    var pollInterval: TimeInterval = 1
    /// How long a claimed job stays a worker's without renewal; a crashed worker's job is taken again after it.
    var lease: TimeInterval = 60
    /// How often a running job's lease is renewed and its cancel flag read.
    var heartbeat: TimeInterval = 15
    /// How often the scheduler looks for due schedules.
    var schedulerTick: TimeInterval = 15
    /// How long shutdown waits for running jobs before interrupting them (they are then queued again).
    var shutdownGrace: TimeInterval = 20
}

/// Takes jobs off the queue one at a time and runs their bodies. Several run per process (`serve`,
/// `ungcuu worker`); any number of processes may run them against one PostgreSQL database.
final class JobWorker: Sendable {
    let app: Application
    let id: String
    let timings: JobTimings
    private let stopping = NIOLockedValueBox(false)

    init(app: Application, id: String = JobWorker.makeId(), timings: JobTimings = JobTimings()) {
        self.app = app
        self.id = id
        self.timings = timings
    }

    /// Host name, process id and a random suffix: readable in `jobs.locked_by`, unique per worker.
    static func makeId() -> String {
        "\(ProcessInfo.processInfo.hostName.prefix(40))/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Asks the loop to stop after the current job.
    func stop() { stopping.withLockedValue { $0 = true } }
    var isStopping: Bool { stopping.withLockedValue { $0 } }

    /// Runs until ``stop()`` (or the task is cancelled).
    func run() async {
        while !isStopping && !Task.isCancelled {
            let worked: Bool
            do {
                worked = try await runOnce()
            } catch {
                app.logger.report(error: error)
                worked = false
            }
            if !worked { try? await Task.sleep(for: .milliseconds(Int(timings.pollInterval * 1000))) }
        }
    }

    /// Claims one due job and runs it; false when there was none.
    @discardableResult
    func runOnce(now: Date = Date()) async throws -> Bool {
        guard let job = try await JobClaims.claim(kinds: app.jobs.kinds, workerId: id, lease: timings.lease, now: now, app: app) else {
            return false
        }
        await execute(job)
        return true
    }

    private func execute(_ job: ClaimedJob) async {
        var logger = app.logger
        logger[metadataKey: "job"] = .string(job.id.uuidString.lowercased())
        logger[metadataKey: "jobKind"] = .string(job.kind.rawValue)
        guard let entry = app.jobs.entry(job.kind) else {
            try? await JobClaims.finish(job, .failed("no body is registered for kind \(job.kind)", retryAt: nil), app: app)
            return
        }
        let control = JobControl(jobId: job.id, lockedBy: job.lockedBy, minimumInterval: min(1, timings.heartbeat))
        let context = JobContext(app: app, logger: logger, jobId: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, control: control)
        let body = entry.body
        let handler = Task<Void, any Error> {
            let payload = try JobPayloadCoding.decode(job.payload)
            try await body(context, payload)
        }
        let heartbeat = Task { [app, timings] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(timings.heartbeat * 1000)))
                if Task.isCancelled { break }
                do {
                    try? await control.flushProgress(app: app)
                    switch try await JobClaims.renew(job, lease: timings.lease, app: app) {
                    case nil:
                        control.markLeaseLost()
                        handler.cancel()
                    case true?:
                        control.markCancelRequested()
                    case false?:
                        break
                    }
                } catch {
                    logger.warning("could not renew the job's lease: \(error)")
                }
            }
        }
        let result = await withTaskCancellationHandler {
            await handler.result
        } onCancel: {
            handler.cancel()
        }
        heartbeat.cancel()
        if control.leaseLost {
            logger.warning("lost the lease of the job; another worker may run it again")
            return
        }
        try? await control.flushProgress(app: app)
        let outcome: JobClaims.Outcome
        switch result {
        case .success:
            outcome = .succeeded
        case .failure(let error):
            if error is JobCancelled || (control.isCancelRequested && error is CancellationError) {
                outcome = .cancelled
            } else if Task.isCancelled || (isStopping && error is CancellationError) {
                outcome = .released
            } else {
                let message = String(String(describing: error).prefix(2000))
                let retryAt = job.attempt < job.maxAttempts ? Date().addingTimeInterval(entry.retry.delay(afterAttempt: job.attempt)) : nil
                logger.warning("job attempt \(job.attempt)/\(job.maxAttempts) failed: \(message)")
                outcome = .failed(message, retryAt: retryAt)
            }
        }
        do {
            try await JobClaims.finish(job, outcome, app: app)
        } catch {
            logger.report(error: error)
        }
    }
}
