import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The workers and the scheduler candidate of one process, stopped with the application
/// (running jobs get ``JobTimings/shutdownGrace`` to finish, then are interrupted and queued again).
final class JobRunner: LifecycleHandler, Sendable {
    let workers: [JobWorker]
    let scheduler: JobScheduler?
    let timings: JobTimings
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    init(app: Application, workerCount: Int, runScheduler: Bool, timings: JobTimings = JobTimings()) {
        self.timings = timings
        workers = (0..<max(0, workerCount)).map { _ in JobWorker(app: app, timings: timings) }
        scheduler = runScheduler ? JobScheduler(app: app, timings: timings) : nil
    }

    /// Starts the loops; with `app.lifecycle.use(runner)` they stop when the application shuts down.
    func start() {
        var started: [Task<Void, Never>] = workers.map { worker in Task { await worker.run() } }
        if let scheduler { started.append(Task { await scheduler.run() }) }
        tasks.withLockedValue { $0 += started }
    }

    func stop() async {
        workers.forEach { $0.stop() }
        scheduler?.stop()
        let running = tasks.withLockedValue { tasks in defer { tasks = [] }; return tasks }
        let grace = timings.shutdownGrace
        let interrupter = Task {
            try? await Task.sleep(for: .milliseconds(Int(grace * 1000)))
            if !Task.isCancelled { running.forEach { $0.cancel() } }
        }
        for task in running { await task.value }
        interrupter.cancel()
    }

    func shutdownAsync(_ application: Application) async {
        await stop()
    }
}

extension Application {
    private struct JobRunnerKey: StorageKey { typealias Value = JobRunner }

    /// The process's job runner once `serve` or `worker` started one.
    var jobRunner: JobRunner? {
        get { storage[JobRunnerKey.self] }
        set { storage[JobRunnerKey.self] = newValue }
    }
}
