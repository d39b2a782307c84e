import Detection
import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// Two agencies with a system each, people of every kind involved, one Sigma rule in the catalogue, and events stored
/// through the embedded event store: encoded PowerShell (the rule), a connection to a listed address and a lookup of a
/// listed domain (the indicators), ordinary activity, an event of an unknown source and one older than the default range.
private struct HuntWorld {
    var agencyA: Agency
    var agencyB: Agency
    var systemA: InformationSystem
    var systemB: InformationSystem
    var coordinator: HTTPHeaders
    var coordinatorSession: (headers: HTTPHeaders, csrf: String)
    var officerA: HTTPHeaders
    var officerASession: (headers: HTTPHeaders, csrf: String)
    var officerB: HTTPHeaders
    var police: HTTPHeaders
    var ruleId: UUID

    static let rule = """
        title: Encoded PowerShell in a hunt test
        id: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a
        status: test
        level: high
        tags:
            - attack.execution
            - attack.t1059.001
        logsource:
            product: windows
            category: process_creation
        detection:
            selection:
                Image|endswith: '\\powershell.exe'
                CommandLine|contains: ' -encodedcommand '
            condition: selection
        """

    static func make(_ app: Application) async throws -> HuntWorld {
        let agencyA = try await Make.agency(app, name: "Sở Thử nghiệm A")
        let agencyB = try await Make.agency(app, name: "Sở Thử nghiệm B")
        let systemA = try await Make.system(app, agency: agencyA, name: "Hệ thống A")
        let systemB = try await Make.system(app, agency: agencyB, name: "Hệ thống B")
        let coordinator = try await Make.user(app, role: .coordinator)
        let officerA = try await Make.user(app, role: .agencyOfficer, agency: agencyA)
        let officerB = try await Make.user(app, role: .agencyOfficer, agency: agencyB)
        let police = try await Make.user(app, role: .police, agency: try await Make.agency(app, name: "Công an tỉnh"))
        let collected = RuleImport.collect(uploads: [(name: "encoded.yml", bytes: Array(rule.utf8))])
        let outcome = try await RuleImport.run(collected, actor: .system("test"), app: app)
        #expect(outcome.unsupported.isEmpty && outcome.failures.isEmpty, "\(outcome.unsupported) \(outcome.failures)")
        let row = try #require(try await DetectionRule.query(on: app.db).filter(\.$ruleId == "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a").first())
        #expect(row.isActive)
        let world = HuntWorld(agencyA: agencyA, agencyB: agencyB, systemA: systemA, systemB: systemB,
                              coordinator: try await Make.token(app, for: coordinator), coordinatorSession: try await Make.session(app, for: coordinator),
                              officerA: try await Make.token(app, for: officerA), officerASession: try await Make.session(app, for: officerA),
                              officerB: try await Make.token(app, for: officerB), police: try await Make.token(app, for: police), ruleId: row.id!)
        try await world.storeEvents(app)
        return world
    }

    static let encoded = "powershell.exe -NoP -EncodedCommand SQBFAFgA"

    func storeEvents(_ app: Application) async throws {
        let now = Date()
        func event(_ system: InformationSystem?, host: String, minutesAgo: Double, _ fields: [String: EventValue]) -> IncomingEvent {
            let time = now.addingTimeInterval(-minutesAgo * 60)
            var all = fields
            all["Computer"] = .string(host)
            all["Channel"] = all["Channel"] ?? .string("Microsoft-Windows-Sysmon/Operational")
            return IncomingEvent(time: time, receivedAt: now, agencyID: system?.$agency.id, systemID: system?.id, sourceID: nil, host: host,
                                 event: FlatEvent(fields: all))
        }
        func process(_ image: String, _ line: String) -> [String: EventValue] {
            ["EventID": .int(1), "Image": .string(image), "CommandLine": .string(line), "User": .string("LAB\\nv.an")]
        }
        let ps = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
        let events = [
            event(systemA, host: "A-HOST", minutesAgo: 60, process(ps, Self.encoded)),
            event(systemA, host: "A-HOST", minutesAgo: 50, process(ps, Self.encoded)),
            event(systemA, host: "A-HOST", minutesAgo: 40, process("C:\\Windows\\notepad.exe", "notepad.exe")),
            event(systemA, host: "A-HOST", minutesAgo: 30, ["EventID": .int(3), "Image": .string(ps), "DestinationIp": .string("203.0.113.9")]),
            event(systemB, host: "B-HOST", minutesAgo: 60, process(ps, Self.encoded)),
            event(systemB, host: "B-HOST", minutesAgo: 55, process("C:\\Windows\\explorer.exe", "explorer.exe")),
            event(systemB, host: "B-HOST", minutesAgo: 45, process(ps, "powershell.exe -File C:\\backup.ps1")),
            event(systemB, host: "B-HOST", minutesAgo: 35, ["EventID": .int(22), "Image": .string(ps), "QueryName": .string("cdn.evil.example.net")]),
            event(nil, host: "UNKNOWN-HOST", minutesAgo: 20, process(ps, Self.encoded)),
            // Older than the default six months: outside every hunt below.
            event(systemA, host: "A-HOST", minutesAgo: 300 * 24 * 60, process(ps, Self.encoded)),
        ]
        try await app.write { db in _ = try await DatabaseEventStore(on: db).append(events) }
    }

    func system(_ which: InformationSystem) -> String { which.id!.uuidString }
}

@Suite struct HuntTests {
    static func start(_ app: Application, _ body: [String: Any], headers: HTTPHeaders, expect status: HTTPStatus,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var result: [String: Any] = [:]
        try await app.testing().test(.POST, "/api/v1/hunts", headers: headers, beforeRequest: { req in JSONBody.set(&req, body) }) { res in
            #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
            result = (try? JSONBody.object(res)) ?? [:]
        }
        return result
    }

    static func get(_ app: Application, _ path: String, headers: HTTPHeaders, expect status: HTTPStatus = .ok,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var result: [String: Any] = [:]
        try await app.testing().test(.GET, path, headers: headers) { res in
            #expect(res.status == status, "\(path): \(res.body.string)", sourceLocation: sourceLocation)
            result = (try? JSONBody.object(res)) ?? [:]
        }
        return result
    }

    static func duty(_ app: Application, _ system: InformationSystem) async throws -> ObligationState? {
        try await Obligation.query(on: app.db).filter(\.$dutyId == ProactiveDuty.huntOverdue.rawValue).filter(\.$subjectId == system.id!).first()?.state
    }

    static func groups(_ hunt: [String: Any]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: ((hunt["groups"] as? [[String: Any]]) ?? []).map { ($0["groupKey"] as? String ?? "", $0["hits"] as? Int ?? -1) })
    }

    @Test func aHuntWithARuleAndIndicatorsRecordsHitsAndAThreatHuntForEverySystem() async throws {
        try await withTestApp { app in
            let w = try await HuntWorld.make(app)
            #expect(try await Self.duty(app, w.systemA) != .met)
            let started = try await Self.start(app, ["name": "Săn lùng thử", "ruleIds": [w.ruleId.uuidString], "ips": "203.0.113.9",
                                                     "domains": "evil.example.net"], headers: w.coordinator, expect: .accepted)
            #expect(started["state"] as? String == "running")
            let id = try #require(started["id"] as? String).lowercased()
            // The page follows the running hunt (a poller, and a refresh link without JS).
            try await app.testing().test(.GET, "/hunts/\(id)", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("data-poll=\"/hunts/\(id)/state\""))
                #expect(res.element(id: "hunt-refresh") != nil)
            }
            #expect(try await app.drainJobs() >= 1)
            let hunt = try await Self.get(app, "/api/v1/hunts/\(id)", headers: w.coordinator)
            #expect(hunt["state"] as? String == "completed", "\(hunt["error"] ?? "")")
            #expect(hunt["progress"] as? Int == 100)
            // Every event in range and scope, the unknown source's included (a coordinator's hunt over everything).
            #expect(hunt["eventsScanned"] as? Int == 9)
            #expect(hunt["eventsTotal"] as? Int == 9)
            let groups = Self.groups(hunt)
            #expect(groups["rule:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"] == 4, "\(groups)")
            #expect(groups["ioc:ip:203.0.113.9"] == 1, "\(groups)")
            #expect(groups["ioc:domain:evil.example.net"] == 1, "\(groups)")
            #expect(hunt["hitsTotal"] as? Int == 6)
            let page = try #require(hunt["hits"] as? [String: Any])
            #expect(page["total"] as? Int == 6)
            let hits = try #require(page["items"] as? [[String: Any]])
            let ipHit = try #require(hits.first { $0["groupKey"] as? String == "ioc:ip:203.0.113.9" })
            #expect(ipHit["field"] as? String == "DestinationIp")
            #expect(ipHit["host"] as? String == "A-HOST")
            let ruleHit = try #require(hits.first { $0["kind"] as? String == "rule" && $0["systemId"] as? String == w.systemA.id!.uuidString })
            #expect(((ruleHit["event"] as? [String: Any])?["CommandLine"] as? String) == HuntWorld.encoded)
            // One page of one group.
            let onlyIP = try await Self.get(app, "/api/v1/hunts/\(id)?group=ioc:ip:203.0.113.9&per=10", headers: w.coordinator)
            #expect(((onlyIP["hits"] as? [String: Any])?["total"] as? Int) == 1)

            // A threat hunt is recorded for each system in scope, which meets the 6-monthly duty.
            let assessments = try await ProactiveAssessment.query(on: app.db).filter(\.$source == "hunt").all()
            #expect(Set(assessments.map(\.systemId)) == [w.systemA.id!, w.systemB.id!])
            for a in assessments {
                #expect(a.kind == AssessmentKind.threatHunt.rawValue && a.state == "completed" && a.performerKind == "in_house")
                #expect(a.method == AssessmentMethod.logAnalysis.rawValue)
                #expect(a.scope?.contains("Săn lùng thử") == true)
                #expect(a.summary?.contains("/hunts/\(id)") == true)
            }
            let onA = try #require(assessments.first { $0.systemId == w.systemA.id! })
            #expect(onA.summary?.hasPrefix("3 ") == true, "\(onA.summary ?? "")")
            #expect(try await Self.duty(app, w.systemA) == .met)
            #expect(try await Self.duty(app, w.systemB) == .met)
            let systems = try #require(hunt["systems"] as? [[String: Any]])
            #expect(systems.count == 2 && systems.allSatisfy { $0["assessmentId"] is String })

            // The page groups the hits by rule and indicator, with the events' fields and links to the assessments.
            try await app.testing().test(.GET, "/hunts/\(id)", headers: w.coordinatorSession.headers) { res in
                let html = res.body.string
                #expect(res.status == .ok)
                #expect(!html.contains("data-poll"))
                #expect(html.contains("Encoded PowerShell in a hunt test"))
                #expect(html.contains("203.0.113.9") && html.contains("evil.example.net"))
                #expect(html.contains("SQBFAFgA"))
                #expect(html.contains("/proactive/assessments/\(onA.id!.uuidString.lowercased())"))
            }
            try await app.testing().test(.GET, "/hunts", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("/hunts/\(id)"))
            }
            var state: [String: Any] = [:]
            try await app.testing().test(.GET, "/hunts/\(id)/state", headers: w.coordinatorSession.headers) { res in state = try JSONBody.object(res) }
            #expect(state["state"] as? String == "completed" && state["progress"] as? Int == 100)
        }
    }

    @Test func aHuntStartedFromThePageCoversOnlyItsScopeAndTag() async throws {
        try await withTestApp { app in
            let w = try await HuntWorld.make(app)
            let session = w.coordinatorSession
            // Searching rules keeps what was typed and starts nothing.
            try await app.testing().test(.POST, "/hunts/new", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("name", "Theo thẻ"), ("q", "encoded"), ("action", "search")])
            }) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(w.ruleId.uuidString.lowercased()))
                #expect(res.body.string.contains("Theo thẻ"))
            }
            #expect(try await app.count(Hunt.self) == 0)
            var location = ""
            try await app.testing().test(.POST, "/hunts/new", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("name", "Theo thẻ"), ("ruleMode", "tag"), ("ruleTag", "attack.t1059"),
                                    ("systemIds[]", w.system(w.systemB))])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                location = res.headers.first(name: .location) ?? ""
            }
            let id = try #require(location.split(separator: "/").last.map { String($0.split(separator: "?")[0]) })
            #expect(try await app.drainJobs() >= 1)
            let hunt = try await Self.get(app, "/api/v1/hunts/\(id)", headers: w.coordinator)
            #expect(hunt["state"] as? String == "completed")
            #expect(hunt["ruleMode"] as? String == "tag")
            #expect(hunt["eventsScanned"] as? Int == 4)
            #expect(Self.groups(hunt) == ["rule:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a": 1])
            let assessments = try await ProactiveAssessment.query(on: app.db).filter(\.$source == "hunt").all()
            #expect(assessments.map(\.systemId) == [w.systemB.id!])
            #expect(try await Self.duty(app, w.systemB) == .met)
            #expect(try await Self.duty(app, w.systemA) != .met)
        }
    }

    @Test func cancellingAHuntRecordsNothing() async throws {
        try await withTestApp { app in
            let w = try await HuntWorld.make(app)
            // Cancelled before a worker took it: it never runs.
            let queued = try await Self.start(app, ["name": "Dừng ngay", "ips": "203.0.113.9"], headers: w.coordinator, expect: .accepted)
            let queuedId = try #require(queued["id"] as? String)
            var cancelled: [String: Any] = [:]
            try await app.testing().test(.POST, "/api/v1/hunts/\(queuedId)/cancel", headers: w.coordinator) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                cancelled = try JSONBody.object(res)
            }
            #expect(cancelled["state"] as? String == "cancelled")
            _ = try await app.drainJobs()
            try await app.testing().test(.POST, "/api/v1/hunts/\(queuedId)/cancel", headers: w.coordinator) { res in
                #expect(res.status == .conflict)
            }

            // Cancelled while running: the job stops between batches, the hunt ends cancelled.
            let running = try await Self.start(app, ["name": "Dừng giữa chừng", "ruleIds": [w.ruleId.uuidString]], headers: w.coordinator,
                                               expect: .accepted)
            let runningText = try #require(running["id"] as? String)
            let runningId = try #require(UUID(uuidString: runningText))
            let control = JobControl(jobId: nil, lockedBy: nil)
            let context = JobContext(app: app, logger: app.logger, jobId: nil, attempt: 1, control: control)
            let store = CancelOnProgress(inner: DatabaseEventStore(on: app.db), control: control)
            await #expect(throws: JobCancelled.self) { try await HuntRunner.run(context, huntId: runningId, store: store) }
            let hunt = try await Self.get(app, "/api/v1/hunts/\(runningId)", headers: w.coordinator)
            #expect(hunt["state"] as? String == "cancelled")

            #expect(try await app.count(HuntAssessment.self) == 0)
            #expect(try await ProactiveAssessment.query(on: app.db).filter(\.$source == "hunt").count() == 0)
            #expect(try await Self.duty(app, w.systemA) != .met)
            // The page says nothing was recorded.
            try await app.testing().test(.GET, "/hunts/\(runningId)", headers: w.coordinatorSession.headers) { res in
                #expect(res.element(id: "hunt-cancelled") != nil)
                #expect(res.element(id: "hunt-cancel") == nil)
            }
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndNothingIsRecorded() async throws {
        try await withTestApp { app in
            let w = try await HuntWorld.make(app)
            func fields(_ body: [String: Any]) async throws -> [String: String] {
                let response = try await Self.start(app, body, headers: w.coordinator, expect: .unprocessableEntity)
                return ((response["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:]
            }
            let empty = try await fields([:])
            #expect(empty["name"] != nil && empty["ruleMode"] != nil, "\(empty)")
            let badLine = try await fields(["name": "x", "ips": "203.0.113.9\nkhông-phải-IP"])
            #expect(badLine["ips"]?.contains("2") == true, "\(badLine)")
            #expect(try await fields(["name": "x", "ruleIds": [UUID().uuidString]])["ruleIds"] != nil)
            #expect(try await fields(["name": "x", "ruleIds": ["not-an-id"]])["ruleIds"] != nil)
            #expect(try await fields(["name": "x", "ruleMode": "tag", "ruleTag": "attack.t9999"])["ruleTag"] != nil)
            #expect(try await fields(["name": "x", "ruleMode": "tag", "ruleTag": "DROP TABLE"])["ruleTag"] != nil)
            #expect(try await fields(["name": "x", "ruleMode": "level", "ruleLevel": "extreme"])["ruleLevel"] != nil)
            #expect(try await fields(["name": "x", "ruleMode": "sometimes"])["ruleMode"] != nil)
            #expect(try await fields(["name": "x", "ips": "203.0.113.9", "from": "2026-05-10", "to": "2026-05-01"])["to"] != nil)
            #expect(try await fields(["name": "x", "ips": "203.0.113.9", "from": "hôm qua"])["from"] != nil)
            #expect(try await fields(["name": "x", "ips": "203.0.113.9", "systemIds": [UUID().uuidString]])["systemIds"] != nil)
            #expect(try await fields(["name": "x", "ips": "203.0.113.9", "agencyIds": [UUID().uuidString]])["agencyIds"] != nil)
            #expect(try await fields(["name": "x", "ips": "203.0.113.9", "sourceIds": [UUID().uuidString]])["sourceIds"] != nil)
            // The form shows the error next to the field and keeps what was typed.
            let session = w.coordinatorSession
            try await app.testing().test(.POST, "/hunts/new", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("name", "Giữ lại"), ("ruleMode", "none"), ("hashes", "d41d8cd98f00b204e9800998ecf8427e\nzz")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.element(id: "hashes-error")?.contains("2") == true, "\(res.element(id: "hashes-error") ?? "none")")
                #expect(res.body.string.contains("Giữ lại"))
            }
            #expect(try await app.count(Hunt.self) == 0)
            #expect(try await app.jobRecords(kind: HuntRunner.jobKind).isEmpty)
        }
    }

    @Test func officersSeeOnlyHuntsTouchingTheirAgenciesAndOnlyTheirHits() async throws {
        try await withTestApp { app in
            let w = try await HuntWorld.make(app)
            let everywhere = try #require(try await Self.start(app, ["name": "Toàn tỉnh", "ruleIds": [w.ruleId.uuidString], "ips": "203.0.113.9",
                                                                     "domains": "evil.example.net"], headers: w.coordinator, expect: .accepted)["id"] as? String)
            let onlyB = try #require(try await Self.start(app, ["name": "Chỉ hệ thống B", "ruleIds": [w.ruleId.uuidString],
                                                                "systemIds": [w.system(w.systemB)]], headers: w.coordinator, expect: .accepted)["id"] as? String)
            _ = try await app.drainJobs()

            // Officer of A: the province-wide hunt only, with A's hits only (never a count that includes B's events).
            let list = try await Self.get(app, "/api/v1/hunts", headers: w.officerA)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [everywhere])
            #expect(items.first?["hitsTotal"] as? Int == 3)
            #expect(list["total"] as? Int == 1)
            let seen = try await Self.get(app, "/api/v1/hunts/\(everywhere)", headers: w.officerA)
            #expect((seen["eventsScanned"] ?? NSNull()) is NSNull && (seen["eventsTotal"] ?? NSNull()) is NSNull)
            #expect(seen["hitsTotal"] as? Int == 3)
            #expect(Self.groups(seen) == ["rule:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a": 2, "ioc:ip:203.0.113.9": 1])
            let hits = try #require((seen["hits"] as? [String: Any])?["items"] as? [[String: Any]])
            #expect(hits.count == 3 && hits.allSatisfy { $0["agencyId"] as? String == w.agencyA.id!.uuidString })
            #expect(((seen["systems"] as? [[String: Any]]) ?? []).compactMap { $0["systemId"] as? String } == [w.system(w.systemA)])
            _ = try await Self.get(app, "/api/v1/hunts/\(onlyB)", headers: w.officerA, expect: .notFound)
            try await app.testing().test(.GET, "/hunts/\(onlyB)", headers: w.officerASession.headers) { #expect($0.status == .notFound) }
            try await app.testing().test(.GET, "/hunts/\(onlyB)/state", headers: w.officerASession.headers) { #expect($0.status == .notFound) }
            try await app.testing().test(.GET, "/hunts/\(everywhere)", headers: w.officerASession.headers) { res in
                let html = res.body.string
                #expect(res.status == .ok)
                #expect(html.contains("A-HOST") && !html.contains("B-HOST") && !html.contains("UNKNOWN-HOST"))
                #expect(!html.contains("data-group=\"ioc:domain:evil.example.net\"") && !html.contains(w.systemB.name))
                #expect(res.element(id: "hunt-hit-summary")?.contains("3") == true)
            }
            try await app.testing().test(.GET, "/hunts", headers: w.officerASession.headers) { res in
                #expect(res.body.string.contains("Toàn tỉnh") && !res.body.string.contains("Chỉ hệ thống B"))
            }
            var state: [String: Any] = [:]
            try await app.testing().test(.GET, "/hunts/\(everywhere)/state", headers: w.officerASession.headers) { res in state = try JSONBody.object(res) }
            #expect(state["note"] == nil || state["note"] is NSNull)

            // Officer of B: both, with B's hits.
            let listB = try #require(try await Self.get(app, "/api/v1/hunts", headers: w.officerB)["items"] as? [[String: Any]])
            #expect(Set(listB.compactMap { $0["id"] as? String }) == [everywhere, onlyB])
            #expect(listB.first { $0["id"] as? String == everywhere }?["hitsTotal"] as? Int == 2)

            // Officers and the police do not start hunts; the police do not see them at all.
            _ = try await Self.start(app, ["name": "x", "ips": "203.0.113.9"], headers: w.officerA, expect: .forbidden)
            _ = try await Self.get(app, "/api/v1/hunts", headers: w.police, expect: .forbidden)
            try await app.testing().test(.POST, "/api/v1/hunts/\(everywhere)/cancel", headers: w.officerA) { #expect($0.status == .forbidden) }
        }
    }
}

/// The embedded store, asking the job to stop as soon as the scan reports progress (as `jobs cancel` would while it runs).
private struct CancelOnProgress: EventStore {
    let inner: DatabaseEventStore
    let control: JobControl

    func append(_ events: [IncomingEvent]) async throws -> [StoredEventID] { try await inner.append(events) }
    func fetch(_ ids: [StoredEventID]) async throws -> [StoredEvent] { try await inner.fetch(ids) }
    func count(_ query: EventQuery) async throws -> Int { try await inner.count(query) }
    func purge(receivedBefore: Date) async throws -> Int { try await inner.purge(receivedBefore: receivedBefore) }

    func scan(_ query: EventQuery, progress: @Sendable (Int, Int) async throws -> Void, visit: (StoredEvent) throws -> Bool) async throws {
        let control = self.control
        try await inner.scan(query, progress: { visited, total in
            control.markCancelRequested()
            try await progress(visited, total)
        }, visit: visit)
    }
}

/// `ungcuu evtx` and `ungcuu hunt` on a small real EVTX file, run as the built executable with no database.
private enum HuntCLI {
    static let url: URL? = {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates += [".build-tests", ".build"].map { root.appendingPathComponent($0).appendingPathComponent("debug") }
        return candidates.map { $0.appendingPathComponent("ungcuu") }.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    static let evtx = "/work/shared/corpora/evtx/EVTX-ATTACK-SAMPLES/Defense Evasion/DE_104_system_log_cleared.evtx"

    static func run(_ arguments: [String], directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try #require(url)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNGCUU_") && $0.key != "DATABASE_URL" }
        environment["UNGCUU_DATA_DIR"] = directory.appendingPathComponent("data").path
        // A database that does not answer: the commands must not need one.
        environment["DATABASE_URL"] = "postgres://nobody:nothing@127.0.0.1:9/none"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.enabled(if: HuntCLI.url != nil && FileManager.default.fileExists(atPath: HuntCLI.evtx),
                "the ungcuu executable is built next to the tests and the EVTX corpus is present"))
struct HuntCommandTests {
    @Test func evtxPrintsOneJSONObjectPerRecordWithoutADatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ungcuu-evtx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try HuntCLI.run(["evtx", HuntCLI.evtx], directory: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["Event"] is [String: Any])
        }
        #expect(run.stdout.contains("1102") || run.stdout.contains("104"))
        let missing = try HuntCLI.run(["evtx", directory.appendingPathComponent("none.evtx").path], directory: directory)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("none.evtx"))
    }

    @Test func huntPrintsOneJSONLinePerMatchWithoutADatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ungcuu-hunt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rule = directory.appendingPathComponent("log_cleared.yml")
        try Data("""
            title: A Windows event log was cleared (test)
            id: 1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b
            level: high
            logsource:
                product: windows
                service: system
            detection:
                selection:
                    EventID: 104
                condition: selection
            """.utf8).write(to: rule)
        let run = try HuntCLI.run(["hunt", "--rules", rule.path, HuntCLI.evtx], directory: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let matches = try run.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(!matches.isEmpty, "\(run.stderr)")
        #expect(matches.allSatisfy { $0["rule_id"] as? String == "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b" && $0["record_id"] is Int })
        #expect(matches.allSatisfy { ($0["file"] as? String)?.hasSuffix("DE_104_system_log_cleared.evtx") == true })
        let usage = try HuntCLI.run(["hunt", HuntCLI.evtx], directory: directory)
        #expect(usage.status == 2)
    }
}
