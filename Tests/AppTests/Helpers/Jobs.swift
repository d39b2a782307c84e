import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor
@testable import App

/// Short timings so tests do not wait for production intervals.
extension JobTimings {
    static let fast = JobTimings(pollInterval: 0.02, lease: 30, heartbeat: 0.05, schedulerTick: 0.05, shutdownGrace: 2)
}

extension Application {
    /// Runs due jobs with one worker until none is due (at `now`); returns how many ran.
    @discardableResult
    func drainJobs(now: Date = Date(), limit: Int = 100) async throws -> Int {
        let worker = JobWorker(app: self, timings: .fast)
        var count = 0
        while count < limit, try await worker.runOnce(now: now) { count += 1 }
        return count
    }

    func jobRecords(kind: JobKind) async throws -> [JobRecord] {
        try await JobRecord.query(on: db).filter(\.$kind == kind.rawValue).sort(\.$createdAt).all()
    }
}

/// A thread-safe list for bodies to record what they did.
final class Recorder<T: Sendable>: Sendable {
    private let box = NIOLockedValueBox<[T]>([])
    func append(_ value: T) { box.withLockedValue { $0.append(value) } }
    var values: [T] { box.withLockedValue { $0 } }
}
