import Foundation
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// `ungcuu worker [--count N]`: runs job workers (and a scheduler candidate) without serving HTTP,
/// until SIGINT or SIGTERM; running jobs then get a grace period to finish.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "Number of workers (default UNGCUU_WORKERS, at least 1).") var count: Int?
    }

    var help: String { "Runs background jobs (workers and the scheduler) without serving HTTP." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        let count = max(1, signature.count ?? app.config.workers)
        let runner = JobRunner(app: app, workerCount: count, runScheduler: true)
        app.jobRunner = runner
        runner.start()
        context.console.print("Running \(count) job workers and the scheduler; stop with Ctrl-C.")
        await SignalWaiter.waitForTermination()
        context.console.print("Stopping: letting running jobs finish…")
        await runner.stop()
    }
}

/// Suspends until the process receives SIGINT or SIGTERM.
enum SignalWaiter {
    static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "ungcuu.signals")
            let resumed = NIOLockedValueBox(false)
            var sources: [any DispatchSourceSignal] = []
            for signo in [SIGINT, SIGTERM] {
                signal(signo, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
                source.setEventHandler {
                    let first = resumed.withLockedValue { done in defer { done = true }; return !done }
                    if first { continuation.resume() }
                }
                source.resume()
                sources.append(source)
            }
            SignalSources.keep(sources)
        }
    }
}

/// Keeps the signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) private static var kept: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { kept += sources }
}

/// `ungcuu jobs list|run|enqueue|cancel`.
struct JobsCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["list": ListJobsCommand(), "run": RunJobCommand(), "enqueue": EnqueueJobCommand(), "cancel": CancelJobCommand()]
    }
    var help: String { "Background jobs: list, run one kind now, enqueue, cancel." }
}

struct ListJobsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "state", help: "queued, running, succeeded, failed or cancelled") var state: String?
        @Option(name: "limit", help: "At most this many, newest first (default 50).") var limit: Int?
    }
    var help: String { "Lists jobs, newest first." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        var query = JobRecord.query(on: app.db).sort(\.$createdAt, .descending).limit(max(1, signature.limit ?? 50))
        if let raw = signature.state {
            guard let state = JobState(rawValue: raw) else {
                context.console.error("jobs list: --state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                throw ExitCode(2)
            }
            query = query.filter(\.$state == state)
        }
        for job in try await query.all() {
            var line = "\(job.id!.uuidString.lowercased())  \(job.kind)  \(job.state.rawValue)  attempts \(job.attempts)/\(job.maxAttempts)"
            line += "  progress \(job.progress)%  run at \(ISO8601DateFormatter().string(from: job.runAt))"
            if let note = job.progressNote { line += "  (\(note))" }
            if let error = job.lastError { line += "  last error: \(error)" }
            context.console.print(line)
        }
        for schedule in try await JobSchedule.query(on: app.db).sort(\.$kind).all() {
            let every = schedule.intervalSeconds.map { "every \($0) s" } ?? schedule.dailyAt.map { "daily at \($0)" } ?? "?"
            context.console.print("schedule \(schedule.kind): \(every), next \(ISO8601DateFormatter().string(from: schedule.nextRunAt))"
                + (schedule.active ? "" : " (inactive)"))
        }
    }
}

/// Parses `key=uuid` arguments into a payload.
enum PayloadArguments {
    static func parse(_ items: [String]) -> JobPayload? {
        var payload: JobPayload = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
            payload[parts[0]] = id
        }
        return payload
    }
}

struct RunJobCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "The job kind, e.g. upkeep.obligations") var kind: String
        @Option(name: "payload", help: "Comma-separated key=uuid pairs, e.g. notificationId=…") var payload: String?
    }
    var help: String { "Runs the body of one job kind now, in this process (not through the queue)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        guard let entry = app.jobs.entry(JobKind(signature.kind)) else {
            context.console.error("jobs run: unknown kind \(signature.kind); known: \(app.jobs.kinds.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode(2)
        }
        guard let payload = PayloadArguments.parse(signature.payload?.split(separator: ",").map(String.init) ?? []) else {
            context.console.error("jobs run: --payload must be key=uuid pairs separated by commas")
            throw ExitCode(2)
        }
        let started = Date()
        try await entry.body(.direct(app: app), payload)
        context.console.print("\(signature.kind) done in \(Int(Date().timeIntervalSince(started) * 1000)) ms.")
    }
}

struct EnqueueJobCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "The job kind") var kind: String
        @Option(name: "payload", help: "Comma-separated key=uuid pairs") var payload: String?
    }
    var help: String { "Puts one job on the queue for a worker." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        let kind = JobKind(signature.kind)
        guard app.jobs.entry(kind) != nil else {
            context.console.error("jobs enqueue: unknown kind \(signature.kind)")
            throw ExitCode(2)
        }
        guard let payload = PayloadArguments.parse(signature.payload?.split(separator: ",").map(String.init) ?? []) else {
            context.console.error("jobs enqueue: --payload must be key=uuid pairs separated by commas")
            throw ExitCode(2)
        }
        let registry = app.jobs
        let id = try await app.write { db in try await JobQueue.enqueue(kind, payload: payload, registry: registry, on: db) }
        context.console.print(id.uuidString.lowercased())
    }
}

struct CancelJobCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "The job id") var id: String
    }
    var help: String { "Cancels a queued job, or asks a running one to stop." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let id = UUID(uuidString: signature.id) else {
            context.console.error("jobs cancel: \(signature.id) is not a job id")
            throw ExitCode(2)
        }
        let outcome = try await app.write { db in try await JobQueue.cancel(id, on: db) }
        switch outcome {
        case .cancelled: context.console.print("Cancelled; it had not started.")
        case .requested: context.console.print("Asked to stop; it ends at its next cancellation check.")
        case .finished: context.console.print("Nothing to do: it has already finished."); throw ExitCode(1)
        case .notFound: context.console.error("jobs cancel: no job \(signature.id)"); throw ExitCode(1)
        }
    }
}
