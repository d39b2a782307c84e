import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import App

@Suite struct JobQueueTests {
    static let kind: JobKind = "test.record"

    @Test func twoWorkersNeverRunTheSameJob() async throws {
        try await withTestApp { app in
            let ran = Recorder<UUID>()
            app.jobs.register(Self.kind) { context, _ in
                ran.append(context.jobId!)
                try await Task.sleep(for: .milliseconds(2))
            }
            var ids: [UUID] = []
            for _ in 0..<40 { ids.append(try await JobQueue.enqueue(Self.kind, on: app.db)) }
            // Four workers claim concurrently until the queue is empty.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let worker = JobWorker(app: app, timings: .fast)
                        var count = 0
                        while try await worker.runOnce() { count += 1 }
                        return count
                    }
                }
                var total = 0
                for try await count in group { total += count }
                #expect(total == 40)
            }
            #expect(ran.values.count == 40)
            #expect(Set(ran.values) == Set(ids), "every job ran exactly once")
            let jobs = try await app.jobRecords(kind: Self.kind)
            #expect(jobs.allSatisfy { $0.state == .succeeded && $0.attempts == 1 && $0.progress == 100 && $0.lockedBy == nil })
        }
    }

    @Test func aFailingJobIsRetriedWithBackoffThenFails() async throws {
        try await withTestApp { app in
            let attempts = Recorder<Int>()
            app.jobs.register(Self.kind, retry: JobRetry(baseSeconds: 10, maxSeconds: 60), maxAttempts: 3) { context, _ in
                attempts.append(context.attempt)
                throw Abort(.badGateway, reason: "remote down")
            }
            let id = try await JobQueue.enqueue(Self.kind, registry: app.jobs, on: app.db)
            let start = Date()
            #expect(try await app.drainJobs(now: start) == 1)
            var job = try #require(try await JobRecord.find(id, on: app.db))
            #expect(job.state == .queued)
            #expect(job.attempts == 1)
            #expect(job.lastError?.contains("remote down") == true)
            // First retry 5–10 s after the failure (base 10, jitter in the upper half); the body fails at once,
            // so the failure is at `start` give or take a slow machine.
            #expect(job.runAt.timeIntervalSince(start) >= 5 && job.runAt.timeIntervalSince(start) <= 13)
            #expect(try await app.drainJobs(now: start) == 0, "not due yet")
            #expect(try await app.drainJobs(now: job.runAt.addingTimeInterval(0.01)) == 1)
            job = try #require(try await JobRecord.find(id, on: app.db))
            #expect(job.state == .queued && job.attempts == 2)
            // Second retry 10–20 s after that failure (bodies fail at once, so about `start`).
            #expect(job.runAt.timeIntervalSince(start) >= 9.9 && job.runAt.timeIntervalSince(start) <= 23)
            #expect(try await app.drainJobs(now: start.addingTimeInterval(60)) == 1)
            job = try #require(try await JobRecord.find(id, on: app.db))
            #expect(job.state == .failed)
            #expect(job.attempts == 3)
            #expect(job.finishedAt != nil)
            #expect(attempts.values == [1, 2, 3])
            #expect(try await app.drainJobs(now: start.addingTimeInterval(3600)) == 0, "a failed job stays failed")
        }
    }

    @Test func backoffGrowsExponentiallyWithJitterAndACap() {
        let retry = JobRetry(baseSeconds: 30, maxSeconds: 600)
        #expect(retry.delay(afterAttempt: 1, random: 0) == 15)
        #expect(retry.delay(afterAttempt: 1, random: 1) == 30)
        #expect(retry.delay(afterAttempt: 2, random: 1) == 60)
        #expect(retry.delay(afterAttempt: 3, random: 0.5) == 90)
        #expect(retry.delay(afterAttempt: 10, random: 1) == 600)
        #expect(retry.delay(afterAttempt: 10, random: 0) == 300)
    }

    @Test func aCrashedWorkersJobIsTakenAgainWhenItsLeaseExpires() async throws {
        try await withTestApp { app in
            let ran = Recorder<Int>()
            app.jobs.register(Self.kind) { context, _ in ran.append(context.attempt) }
            let id = try await JobQueue.enqueue(Self.kind, on: app.db)
            // A worker claims it and dies (never finishes, never renews).
            let now = Date()
            let claimed = try await JobClaims.claim(kinds: [Self.kind], workerId: "crashed", lease: 5, now: now, app: app)
            #expect(claimed?.id == id)
            #expect(try await app.drainJobs(now: now.addingTimeInterval(1)) == 0, "still leased")
            #expect(try await app.drainJobs(now: now.addingTimeInterval(6)) == 1, "lease expired: taken again")
            let job = try #require(try await JobRecord.find(id, on: app.db))
            #expect(job.state == .succeeded)
            #expect(job.attempts == 2)
            #expect(ran.values == [2])
            // The crashed worker cannot record anything over it.
            try await JobClaims.finish(claimed!, .failed("late", retryAt: nil), app: app)
            #expect(try await JobRecord.find(id, on: app.db)?.state == .succeeded)
        }
    }

    @Test func anExpiredLeaseOnTheLastAttemptFailsTheJob() async throws {
        try await withTestApp { app in
            app.jobs.register(Self.kind) { _, _ in }
            let id = try await JobQueue.enqueue(Self.kind, maxAttempts: 1, on: app.db)
            let now = Date()
            _ = try await JobClaims.claim(kinds: [Self.kind], workerId: "crashed", lease: 5, now: now, app: app)
            #expect(try await app.drainJobs(now: now.addingTimeInterval(6)) == 0)
            let job = try #require(try await JobRecord.find(id, on: app.db))
            #expect(job.state == .failed)
            #expect(job.lastError?.contains("lease") == true)
        }
    }

    @Test func aQueuedJobIsCancelledAndNeverRuns() async throws {
        try await withTestApp { app in
            let ran = Recorder<UUID>()
            app.jobs.register(Self.kind) { context, _ in ran.append(context.jobId!) }
            let id = try await JobQueue.enqueue(Self.kind, on: app.db)
            #expect(try await app.write { db in try await JobQueue.cancel(id, on: db) } == .cancelled)
            #expect(try await app.drainJobs() == 0)
            #expect(ran.values.isEmpty)
            #expect(try await JobRecord.find(id, on: app.db)?.state == .cancelled)
            #expect(try await app.write { db in try await JobQueue.cancel(id, on: db) } == .finished)
            #expect(try await app.write { db in try await JobQueue.cancel(UUID(), on: db) } == .notFound)
        }
    }

    @Test func aRunningJobStopsAtItsNextCancellationCheckAndReportsProgress() async throws {
        try await withTestApp { app in
            let steps = Recorder<Int>()
            app.jobs.register(Self.kind) { context, _ in
                for step in 0..<2000 {
                    try await context.checkCancellation()
                    await context.progress(min(step, 99), "step \(step)")
                    steps.append(step)
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            let id = try await JobQueue.enqueue(Self.kind, on: app.db)
            let worker = JobWorker(app: app, timings: .fast)
            let running = Task { try await worker.runOnce() }
            var job = try #require(try await JobRecord.find(id, on: app.db))
            for _ in 0..<400 where job.state != .running || job.progress == 0 {
                try await Task.sleep(for: .milliseconds(10))
                job = try #require(try await JobRecord.find(id, on: app.db))
            }
            #expect(job.state == .running)
            #expect(job.progress > 0, "progress is written while it runs")
            #expect(job.progressNote?.hasPrefix("step") == true)
            #expect(try await app.write { db in try await JobQueue.cancel(id, on: db) } == .requested)
            #expect(try await running.value == true)
            job = try #require(try await JobRecord.find(id, on: app.db))
            #expect(job.state == .cancelled)
            #expect(steps.values.count < 2000)
        }
    }

    @Test func aScheduleFiresOnceAcrossTwoSchedulers() async throws {
        try await withTestApp { app in
            let kind: JobKind = "test.scheduled"
            app.jobs.register(kind) { _, _ in }
            let now = Date()
            let schedule = JobSchedule(kind: kind, intervalSeconds: 600, nextRunAt: now.addingTimeInterval(-1))
            try await schedule.create(on: app.db)
            let a = JobScheduler(app: app, timings: .fast)
            let b = JobScheduler(app: app, timings: .fast)
            async let first = a.tick(now: now)
            async let second = b.tick(now: now)
            let fired = try await first + second
            #expect(fired.filter { $0 == kind }.count == 1)
            #expect(try await app.jobRecords(kind: kind).count == 1)
            let next = try #require(try await JobSchedule.find(schedule.id, on: app.db)?.nextRunAt)
            #expect(next > now && next <= now.addingTimeInterval(600))
            // Not due again until the next interval; and while a job of the kind waits, none is added.
            #expect(try await !a.tick(now: now.addingTimeInterval(10)).contains(kind))
            #expect(try await !a.tick(now: now.addingTimeInterval(700)).contains(kind), "the first is still queued")
            try await app.drainJobs(now: now.addingTimeInterval(700))
            #expect(try await a.tick(now: now.addingTimeInterval(1300)).contains(kind))
            #expect(try await app.jobRecords(kind: kind).count == 2)
        }
    }

    @Test func theMigrationSchedulesObligationsAndPruningHourly() async throws {
        try await withTestApp { app in
            let ours = [StandardJobs.filesPrune.rawValue, StandardJobs.obligationsRefresh.rawValue]
            let schedules = try await JobSchedule.query(on: app.db).filter(\.$kind ~~ ours).sort(\.$kind).all()
            #expect(schedules.map(\.kind) == ours)
            #expect(schedules.allSatisfy { $0.intervalSeconds == 3600 && $0.active })
            let soon = Date().addingTimeInterval(1)
            let fired = try await JobScheduler(app: app).tick(now: soon)
            #expect(Set(fired).isSuperset(of: [StandardJobs.obligationsRefresh, StandardJobs.filesPrune]))
            try await app.drainJobs(now: soon)
            for kind in [StandardJobs.obligationsRefresh, StandardJobs.filesPrune] {
                #expect(try await app.jobRecords(kind: kind).first?.state == .succeeded)
            }
        }
    }

    @Test func scheduleTimingKeepsItsPhaseAndDailyTimesAreVietnamTime() throws {
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(ScheduleTiming.every(3600).next(after: t0.addingTimeInterval(10), previous: t0) == t0.addingTimeInterval(3600))
        // Down for a day: fires once, at the next slot of the old phase.
        #expect(ScheduleTiming.every(3600).next(after: t0.addingTimeInterval(86_400 + 10), previous: t0) == t0.addingTimeInterval(86_400 + 3600))
        let daily = try #require(ScheduleTiming.daily("07:30"))
        // 2026-11-25 00:00 UTC is 07:00 in Vietnam: the next 07:30 is half an hour later.
        let midnightUTC = Date(timeIntervalSince1970: 1_795_564_800)
        #expect(daily.next(after: midnightUTC, previous: midnightUTC) == midnightUTC.addingTimeInterval(1800))
        #expect(daily.next(after: midnightUTC.addingTimeInterval(1800), previous: midnightUTC) == midnightUTC.addingTimeInterval(1800 + 86_400))
        #expect(ScheduleTiming.daily("25:00") == nil)
    }

    @Test func theRunnerStopsGracefullyWithTheApplication() async throws {
        try await withTestApp { app in
            let finished = Recorder<UUID>()
            app.jobs.register(Self.kind) { context, _ in
                try await Task.sleep(for: .milliseconds(200))
                finished.append(context.jobId!)
            }
            let id = try await JobQueue.enqueue(Self.kind, on: app.db)
            let runner = JobRunner(app: app, workerCount: 2, runScheduler: false, timings: .fast)
            runner.start()
            var state = JobState.queued
            for _ in 0..<200 where state == .queued {
                try await Task.sleep(for: .milliseconds(10))
                state = try await JobRecord.find(id, on: app.db)?.state ?? .queued
            }
            await runner.stop()
            #expect(finished.values == [id], "the running job was allowed to finish")
            #expect(try await JobRecord.find(id, on: app.db)?.state == .succeeded)
        }
    }

    @Test func theCommandLineRunsAJobBodyDirectly() async throws {
        try await withTestApp { app in
            let ran = Recorder<UUID?>()
            app.jobs.register(Self.kind) { context, payload in
                await context.progress(50, "half")
                try await context.checkCancellation()
                ran.append(payload["systemId"])
            }
            let systemId = UUID()
            try await app.jobs.entry(Self.kind)!.body(.direct(app: app), ["systemId": systemId])
            #expect(ran.values == [systemId])
            #expect(try await JobRecord.query(on: app.db).filter(\.$kind == Self.kind.rawValue).count() == 0)
        }
    }
}
