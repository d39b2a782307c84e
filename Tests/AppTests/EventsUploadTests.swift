import Detection
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

enum EvtxCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora/evtx")
    /// A small real Security log (a user created and added to groups), 68 KB.
    static let newUser = root.appendingPathComponent("hayabusa-sample-evtx/DeepBlueCLI/new-user-security.evtx")

    static var available: Bool { FileManager.default.fileExists(atPath: newUser.path) }

    /// How many records the EVTX reader itself reads from the file.
    static func recordCount(_ url: URL) throws -> Int {
        let reader = try EvtxFileReader(url: url, outputs: [.event])
        var count = 0
        while reader.next() != nil { count += 1 }
        return count
    }
}

@Suite struct EventsUploadTests {
    @Test(.enabled(if: EvtxCorpus.available)) func anOfficerUploadsARealEVTXAndAJSONLinesFileAndTheJobImportsThem() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let evtx = [UInt8](try Data(contentsOf: EvtxCorpus.newUser))
            let jsonl = Array((IngestHelpers.lines(3) + "\n{oops}\n" + IngestHelpers.lines(2, start: 3) + "\n").utf8)
            var location = ""
            try await app.testing().test(.POST, "/events/upload", headers: world.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", world.officerSession.csrf), ("systemId", world.system.id!.uuidString)], files: [
                    .init(filename: "new-user-security.evtx", bytes: evtx),
                    .init(filename: "web.jsonl", contentType: "application/x-ndjson", bytes: jsonl),
                ])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                location = res.headers.first(name: .location) ?? ""
            }
            let row = try #require(try await EventImport.query(on: app.db).first())
            #expect(location.hasPrefix("/events/imports/\(row.id!.uuidString.lowercased())"))
            #expect(row.state == .queued)
            #expect(row.fileList.map(\.kind) == [.evtx, .jsonl])
            #expect(row.bytesTotal == Int64(evtx.count + jsonl.count))
            try await app.testing().test(.GET, location, headers: world.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("data-poll"))
            }

            try await app.drainJobs()
            let done = try #require(try await EventImport.find(row.id, on: app.db))
            let records = try EvtxCorpus.recordCount(EvtxCorpus.newUser)
            #expect(records > 0)
            #expect(done.state == .imported, "\(done.error ?? "")")
            #expect(done.eventsAccepted == Int64(records + 5))
            #expect(done.linesRejected == 1)
            #expect(done.warningList.contains { $0.contains("web.jsonl") && $0.contains("line 4") })
            #expect(done.bytesRead == done.bytesTotal)
            #expect(!FileManager.default.fileExists(atPath: EventUploads.directory(app, importId: row.id!).path))
            let store = DatabaseEventStore(on: app.db)
            #expect(try await store.count(EventQuery(systemIDs: [world.system.id!])) == records + 5)
            let windows = try await EventFixture.scan(app, EventQuery(systemIDs: [world.system.id!])).events.filter { $0.incoming.event["EventID"] != nil }
            #expect(windows.count == records)
            #expect(windows.allSatisfy { $0.incoming.event["Channel"]?.text == "Security" })

            // The page shows the outcome; the officer finds the events; the audit trail has the counts.
            try await app.testing().test(.GET, location, headers: world.officerSession.headers) { res in
                #expect(res.element(id: "events-accepted") == String(records + 5))
                #expect(res.element(id: "lines-rejected") == "1")
                #expect(!res.body.string.contains("data-poll"))
            }
            try await app.testing().test(.GET, "/events?q=EventID%3D4720", headers: world.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Security · 4720"))
            }
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "events.import").first())
            #expect(audit.summary.contains("\"events\":\"\(records + 5)\""))
            #expect(audit.actorId != nil)
            // Another agency's officer does not see the import.
            try await app.testing().test(.GET, location, headers: world.otherOfficerSession.headers) { res in #expect(res.status == .notFound) }
        }
    }

    @Test func theScriptPathStreamsTheUploadWithTheTokenInAHeader() async throws {
        try await withTestApp(adjusting: { $0.maxUploadBytes = 65_536 }) { app in
            let world = try await EventsWorld.make(app)
            // Bigger than what the page may collect in memory: only a streamed upload gets through.
            let big = Array(IngestHelpers.lines(2_000).utf8)
            #expect(big.count > 65_536 + 65_536)
            var headers = world.officerSession.headers
            headers.replaceOrAdd(name: "X-CSRF-Token", value: world.officerSession.csrf)
            try await app.testing(method: .running(port: 0)).test(.POST, "/events/upload", headers: headers, beforeRequest: { req in
                FormBody.multipart(&req, [("systemId", world.system.id!.uuidString)], files: [.init(filename: "big.jsonl", bytes: big)])
            }) { res in
                // Over a socket the client follows the redirect to the import's page.
                #expect(res.status == .ok, "\(res.body.string.prefix(3000))")
                #expect(res.body.string.contains("data-poll") || res.body.string.contains("events-accepted"))
            }
            try await app.drainJobs()
            let row = try #require(try await EventImport.query(on: app.db).first())
            #expect(row.state == .imported)
            #expect(row.eventsAccepted == 2_000)
        }
    }

    @Test func filesThatAreNotEventsAndSystemsOutOfScopeAreRefusedNamingTheProblem() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            try await app.testing().test(.POST, "/events/upload", headers: world.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", world.officerSession.csrf), ("systemId", world.system.id!.uuidString)],
                                   files: [.init(filename: "report.pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("report.pdf"))
            }
            try await app.testing().test(.POST, "/events/upload", headers: world.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", world.officerSession.csrf), ("systemId", world.otherSystem.id!.uuidString)],
                                   files: [.init(filename: "a.jsonl", bytes: Array(IngestHelpers.lines(1).utf8))])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(!res.body.string.contains("HT-TC"))
            }
            try await app.testing().test(.POST, "/events/upload", headers: world.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", world.officerSession.csrf), ("systemId", world.system.id!.uuidString)], files: [])
            }) { res in #expect(res.status == .unprocessableEntity) }
            #expect(try await EventImport.query(on: app.db).count() == 0)
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: EventUploads.root(app).path)) ?? []
            #expect(leftovers.isEmpty)
        }
    }

    @Test func aQueuedImportCanBeCancelledAndTheAPIReportsIt() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            var id = ""
            try await app.testing().test(.POST, "/api/v1/event-imports?systemId=\(world.system.id!)&fileName=app.jsonl", headers: world.officer,
                                         beforeRequest: { req in
                req.headers.contentType = .init(type: "application", subType: "x-ndjson")
                req.body = ByteBuffer(string: IngestHelpers.lines(10))
            }) { res in
                #expect(res.status == .accepted, "\(res.body.string)")
                id = try #require(try JSONBody.object(res)["id"] as? String)
            }
            try await app.testing().test(.POST, "/events/imports/\(id)/cancel", headers: world.officerSession.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", world.officerSession.csrf)])
            }) { res in #expect(res.status == .seeOther) }
            try await app.drainJobs()
            try await app.testing().test(.GET, "/api/v1/event-imports/\(id)", headers: world.officer) { res in
                #expect(res.status == .ok)
                #expect(IngestHelpers.json(res)["state"] as? String == "cancelled")
            }
            #expect(try await EventFixture.batchRows(app) == 0)
            #expect(!FileManager.default.fileExists(atPath: EventUploads.directory(app, importId: UUID(uuidString: id)!).path))
            try await app.testing().test(.GET, "/api/v1/event-imports/\(id)", headers: world.otherOfficer) { res in #expect(res.status == .notFound) }
        }
    }

    @Test func aRetriedImportContinuesAfterTheLastDurableBatch() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            var id = ""
            try await app.testing().test(.POST, "/api/v1/event-imports?systemId=\(world.system.id!)&fileName=big.jsonl", headers: world.officer,
                                         beforeRequest: { req in req.body = ByteBuffer(string: IngestHelpers.lines(7_000)) }) { res in
                #expect(res.status == .accepted, "\(res.body.string)")
                id = try #require(try JSONBody.object(res)["id"] as? String)
            }
            // As if a first attempt had committed the first batch (5,000 lines) and then crashed.
            let importId = UUID(uuidString: id)!
            try await EventFixture.append(app, (0..<5_000).map { EventFixture.event($0, system: world.system) })
            try await (app.db as! any SQLDatabase).update("event_imports").set("resume_records", to: 5_000).set("events_accepted", to: 5_000)
                .set("state", to: "running").where("id", .equal, importId).run()
            try await app.drainJobs()
            let row = try #require(try await EventImport.find(importId, on: app.db))
            #expect(row.state == .imported)
            #expect(row.eventsAccepted == 7_000)
            #expect(try await DatabaseEventStore(on: app.db).count(EventQuery()) == 7_000)
        }
    }
}
