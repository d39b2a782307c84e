import Detection
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// The world of the events suites: two agencies with a system each, and people of every role that matters.
struct EventsWorld {
    let agency: Agency
    let otherAgency: Agency
    let system: InformationSystem
    let otherSystem: InformationSystem
    let coordinator: HTTPHeaders
    let responder: HTTPHeaders
    let officer: HTTPHeaders
    let otherOfficer: HTTPHeaders
    let leader: HTTPHeaders
    let police: HTTPHeaders
    let coordinatorSession: (headers: HTTPHeaders, csrf: String)
    let officerSession: (headers: HTTPHeaders, csrf: String)
    let otherOfficerSession: (headers: HTTPHeaders, csrf: String)

    static func make(_ app: Application) async throws -> EventsWorld {
        let province = try await Make.agency(app, code: "UBND-E", name: "Ủy ban nhân dân tỉnh", kind: .provincialCommittee)
        let agency = try await Make.agency(app, code: "SYT-E", name: "Sở Y tế", parent: province)
        let other = try await Make.agency(app, code: "STC-E", name: "Sở Tài chính", parent: province)
        let coordinator = try await Make.user(app, role: .coordinator)
        let responder = try await Make.user(app, role: .responder)
        let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
        let otherOfficer = try await Make.user(app, role: .agencyOfficer, agency: other)
        let leader = try await Make.user(app, role: .leader)
        let police = try await Make.user(app, role: .police, agency: province)
        return EventsWorld(
            agency: agency, otherAgency: other,
            system: try await Make.system(app, agency: agency, code: "HT-YTE", name: "Cổng thông tin y tế"),
            otherSystem: try await Make.system(app, agency: other, code: "HT-TC", name: "Phần mềm kế toán"),
            coordinator: try await Make.token(app, for: coordinator), responder: try await Make.token(app, for: responder),
            officer: try await Make.token(app, for: officer), otherOfficer: try await Make.token(app, for: otherOfficer),
            leader: try await Make.token(app, for: leader), police: try await Make.token(app, for: police),
            coordinatorSession: try await Make.session(app, for: coordinator), officerSession: try await Make.session(app, for: officer),
            otherOfficerSession: try await Make.session(app, for: otherOfficer))
    }
}

enum EventFixture {
    static let base = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    static func event(_ index: Int, system: InformationSystem?, source: UUID? = nil, minutes: Int? = nil, host: String = "ws01",
                      receivedAt: Date = Date()) -> IncomingEvent {
        let time = base.addingTimeInterval(TimeInterval((minutes ?? index) * 60))
        var fields: [String: EventValue] = ["EventID": .int(4688), "Channel": .string("Security"), "Computer": .string(host),
                                            "CommandLine": .string("cmd.exe /c whoami #\(index)"), "Index": .int(Int64(index))]
        fields["TimeCreated_SystemTime"] = .string(EventTime.string(from: time))
        return IncomingEvent(time: time, receivedAt: receivedAt, agencyID: system?.$agency.id, systemID: system?.id, sourceID: source,
                             host: host, event: FlatEvent(fields: fields))
    }

    @discardableResult
    static func append(_ app: Application, _ events: [IncomingEvent], sender: String? = nil) async throws -> [StoredEventID] {
        try await app.write { db in try await DatabaseEventStore(on: db).appendStored(events, sender: sender).map(\.id) }
    }

    static func scan(_ app: Application, _ query: EventQuery) async throws -> (events: [StoredEvent], estimated: Int) {
        let total = Recorder<Int>()
        var seen: [StoredEvent] = []
        try await DatabaseEventStore(on: app.db).scan(query, progress: { _, estimated in total.append(estimated) }) { event in
            seen.append(event)
            return true
        }
        return (seen, total.values.first ?? -1)
    }

    static func batchRows(_ app: Application) async throws -> Int {
        try await EventBatch.query(on: app.db).count()
    }
}

@Suite struct EventsStoreTests {
    @Test func appendedEventsComeBackByIdWithTheirFieldsAndOwners() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let events = (0..<10).map { EventFixture.event($0, system: world.system) }
            let ids = try await EventFixture.append(app, events)
            #expect(ids.count == 10)
            #expect(Set(ids.map(\.batch)).count == 1)
            #expect(ids.map(\.index) == Array(0..<10))
            let fetched = try await DatabaseEventStore(on: app.db).fetch([ids[7], ids[2], StoredEventID(batch: 999_999, index: 0)])
            #expect(fetched.map(\.id) == [ids[7], ids[2]])
            #expect(fetched[0].incoming.event == events[7].event)
            #expect(fetched[0].incoming.agencyID == world.agency.id)
            #expect(fetched[0].incoming.systemID == world.system.id)
            #expect(abs(fetched[0].incoming.time.timeIntervalSince(events[7].time)) < 0.001)
            #expect(fetched[0].incoming.host == "ws01")
        }
    }

    @Test func largeAppendsAreSplitIntoBatchesOfFiveThousandAndScannedInOrder() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let events = (0..<12_001).map { EventFixture.event($0, system: world.system, minutes: $0 % 500) }
            let ids = try await EventFixture.append(app, events)
            #expect(try await EventFixture.batchRows(app) == 3)
            #expect(Set(ids.map(\.batch)).count == 3)
            #expect(ids[5_000].index == 0 && ids[12_000].index == 2_000)
            let (seen, estimated) = try await EventFixture.scan(app, EventQuery())
            #expect(estimated == 12_001)
            #expect(seen.count == 12_001)
            #expect(seen.map(\.id) == ids)
            #expect(try await DatabaseEventStore(on: app.db).count(EventQuery()) == 12_001)
        }
    }

    @Test func scansPruneByTimeAgencySystemAndSourceAndKeepUnknownSourcesApart() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let source = UUID()
            // Three appends, so three batches for the pruning to choose from.
            try await EventFixture.append(app, (0..<6).map { EventFixture.event($0, system: world.system, source: source) })          // minutes 0–5
            try await EventFixture.append(app, (0..<4).map { EventFixture.event($0, system: world.otherSystem, minutes: 100 + $0) })  // 100–103
            try await EventFixture.append(app, (0..<3).map { EventFixture.event($0, system: nil, host: "unknown-fw") }, sender: "192.0.2.9")
            let store = DatabaseEventStore(on: app.db)
            let t = { (minutes: Int) in EventFixture.base.addingTimeInterval(TimeInterval(minutes * 60)) }

            // Time: inclusive at both ends, per event; batches outside the range are not even counted in the estimate.
            let (inRange, estimated) = try await EventFixture.scan(app, EventQuery(from: t(2), to: t(4)))
            #expect(inRange.map { $0.incoming.event["Index"] } == [.int(2), .int(3), .int(4)])
            #expect(estimated == 6)
            #expect(try await store.count(EventQuery(from: t(2), to: t(4))) == 3)
            #expect(try await store.count(EventQuery(from: t(101))) == 3)

            // Owners.
            let (agencyB, estimatedB) = try await EventFixture.scan(app, EventQuery(agencyIDs: [world.otherAgency.id!]))
            #expect(agencyB.count == 4 && estimatedB == 4)
            #expect(agencyB.allSatisfy { $0.incoming.systemID == world.otherSystem.id })
            #expect(try await EventFixture.scan(app, EventQuery(systemIDs: [world.system.id!])).events.count == 6)
            #expect(try await EventFixture.scan(app, EventQuery(sourceIDs: [source])).events.count == 6)
            #expect(try await EventFixture.scan(app, EventQuery(agencyIDs: [])).events.isEmpty)
            #expect(try await store.count(EventQuery(systemIDs: [])) == 0)

            // Unknown sources: never in an owner query, only when asked for.
            #expect(try await EventFixture.scan(app, EventQuery()).events.count == 10)
            let held = try await EventFixture.scan(app, EventQuery(agencyIDs: [], includeUnassigned: true)).events
            #expect(held.count == 3)
            #expect(held.allSatisfy { $0.incoming.agencyID == nil && $0.incoming.host == "unknown-fw" })
            #expect(try await store.count(EventQuery(includeUnassigned: true)) == 13)
            let row = try #require(try await EventBatch.query(on: app.db).filter(\.$agencyId == nil).first())
            #expect(row.sender == "192.0.2.9")
            #expect(row.host == "unknown-fw")
        }
    }

    @Test func aVisitorCanStopTheScan() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            try await EventFixture.append(app, (0..<50).map { EventFixture.event($0, system: world.system) })
            var seen = 0
            try await DatabaseEventStore(on: app.db).scan(EventQuery(), progress: { _, _ in }) { _ in
                seen += 1
                return seen < 7
            }
            #expect(seen == 7)
        }
    }

    @Test func purgeRemovesOnlyBatchesReceivedBeforeTheCutoff() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let old = Date().addingTimeInterval(-500 * 86_400)
            let oldIds = try await EventFixture.append(app, (0..<4).map { EventFixture.event($0, system: world.system, receivedAt: old) })
            let newIds = try await EventFixture.append(app, (0..<3).map { EventFixture.event($0, system: world.system) })
            let removed = try await app.write { db in try await DatabaseEventStore(on: db).purge(receivedBefore: Date().addingTimeInterval(-400 * 86_400)) }
            #expect(removed == 4)
            let store = DatabaseEventStore(on: app.db)
            #expect(try await store.fetch(oldIds).isEmpty)
            #expect(try await store.fetch(newIds).count == 3)
            #expect(try await store.count(EventQuery()) == 3)
        }
    }

    @Test func aDamagedBatchIsSkippedNotFatal() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let ids = try await EventFixture.append(app, (0..<3).map { EventFixture.event($0, system: world.system) })
            try await EventFixture.append(app, (0..<2).map { EventFixture.event($0, system: world.system) })
            try await (app.db as! any SQLDatabase).update("event_batches").set("payload", to: Data([0xFF, 0x00, 0x13]))
                .where("id", .equal, ids[0].batch).run()
            let (seen, _) = try await EventFixture.scan(app, EventQuery())
            #expect(seen.count == 2)
            #expect(try await DatabaseEventStore(on: app.db).fetch(ids).isEmpty)
        }
    }

    @Test func theMigrationSchedulesTheDailyRetention() async throws {
        try await withTestApp { app in
            let schedule = try #require(try await JobSchedule.query(on: app.db).filter(\.$kind == EventRetention.jobKind.rawValue).first())
            #expect(schedule.dailyAt == "02:30")
            #expect(schedule.active)
            #expect(app.jobs.entry(EventRetention.jobKind) != nil)
            #expect(app.jobs.entry(EventImportService.jobKind) != nil)
        }
    }
}

@Suite struct EventsRetentionTests {
    @Test func retentionPurgesOldBatchesAuditsTheCountsAndRemovesOrphanedUploads() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let old = Date().addingTimeInterval(-401 * 86_400)
            try await EventFixture.append(app, (0..<5).map { EventFixture.event($0, system: world.system, receivedAt: old) })
            try await EventFixture.append(app, (0..<2).map { EventFixture.event($0, system: nil, receivedAt: old) }, sender: "198.51.100.4")
            let kept = try await EventFixture.append(app, (0..<3).map { EventFixture.event($0, system: world.system) })
            // An upload folder nothing refers to, left a day ago, and one whose import is still waiting.
            let orphan = EventUploads.directory(app, importId: UUID())
            try FileManager.default.createDirectory(at: orphan, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86_400)], ofItemAtPath: orphan.path)
            let waiting = EventImport()
            waiting.id = UUID(); waiting.agencyId = world.agency.id!; waiting.systemId = world.system.id!; waiting.state = .queued
            waiting.files = "[]"; waiting.bytesTotal = 0; waiting.bytesRead = 0; waiting.eventsAccepted = 0; waiting.linesRejected = 0
            waiting.warningCount = 0; waiting.warnings = "[]"; waiting.resumeFile = 0; waiting.resumeRecords = 0; waiting.createdByName = "test"
            try await waiting.create(on: app.db)
            let waitingFolder = EventUploads.directory(app, importId: waiting.id!)
            try FileManager.default.createDirectory(at: waitingFolder, withIntermediateDirectories: true)

            let outcome = try await EventRetention.run(app: app)
            #expect(outcome.events == 7)
            #expect(outcome.batches == 2)
            #expect(outcome.uploadFolders == 1)
            #expect(!FileManager.default.fileExists(atPath: orphan.path))
            #expect(FileManager.default.fileExists(atPath: waitingFolder.path))
            #expect(try await DatabaseEventStore(on: app.db).fetch(kept).count == 3)
            #expect(try await DatabaseEventStore(on: app.db).count(EventQuery(includeUnassigned: true)) == 3)
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "events.retention").first())
            #expect(audit.summary.contains("\"events\":\"7\""))
            #expect(audit.summary.contains("\"retentionDays\":\"400\""))
        }
    }

    @Test func theRetentionJobRunsThroughTheQueue() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            try await EventFixture.append(app, [EventFixture.event(0, system: world.system, receivedAt: Date().addingTimeInterval(-900 * 86_400))])
            try await JobQueue.enqueue(EventRetention.jobKind, on: app.db)
            try await app.drainJobs()
            #expect(try await EventFixture.batchRows(app) == 0)
            #expect(try await app.jobRecords(kind: EventRetention.jobKind).last?.state == .succeeded)
        }
    }

    @Test func retentionBelowTwelveMonthsAndBadSyslogSettingsStopStartNamingTheVariable() throws {
        func invalid(_ env: [String: String]) -> String? {
            do { _ = try AppConfig.load(from: env); return nil } catch { return error.variable }
        }
        #expect(invalid(["UNGCUU_EVENT_RETENTION_DAYS": "365"]) == "UNGCUU_EVENT_RETENTION_DAYS")
        #expect(invalid(["UNGCUU_EVENT_RETENTION_DAYS": "abc"]) == "UNGCUU_EVENT_RETENTION_DAYS")
        #expect(invalid(["UNGCUU_SYSLOG_UDP_PORT": "70000"]) == "UNGCUU_SYSLOG_UDP_PORT")
        #expect(invalid(["UNGCUU_SYSLOG_TCP_PORT": "five-one-four"]) == "UNGCUU_SYSLOG_TCP_PORT")
        #expect(invalid(["UNGCUU_SYSLOG_HOST": "syslog.example"]) == "UNGCUU_SYSLOG_HOST")
        #expect(invalid(["UNGCUU_MAX_EVENT_BODY_BYTES": "10"]) == "UNGCUU_MAX_EVENT_BODY_BYTES")
        let config = try AppConfig.load(from: ["UNGCUU_SYSLOG_UDP_PORT": "5514", "UNGCUU_SYSLOG_HOST": "::"])
        #expect(config.syslogUDPPort == 5514)
        #expect(config.syslogTCPPort == nil)
        #expect(config.syslogHost == "::")
        #expect(config.eventRetentionDays == 400)
        #expect(config.maxEventBodyBytes == 64 << 20)
    }
}
