import Detection
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

enum IngestHelpers {
    /// Registers an http source for the system through the API and returns its id and ingest token.
    static func httpSource(_ app: Application, _ world: EventsWorld, system: InformationSystem, name: String = "Máy chủ web") async throws -> (UUID, String) {
        var result: (UUID, String)?
        try await app.testing().test(.POST, "/api/v1/event-sources", headers: world.coordinator, beforeRequest: { req in
            JSONBody.set(&req, ["name": name, "kind": "http", "systemId": system.id!.uuidString])
        }) { res in
            #expect(res.status == .created, "\(res.body.string)")
            let object = try JSONBody.object(res)
            let source = try #require(object["source"] as? [String: Any])
            result = (UUID(uuidString: source["id"] as! String)!, try #require(object["token"] as? String))
        }
        return try #require(result)
    }

    static func errorFields(_ res: TestingHTTPResponse) -> [String: String] { (try? JSONBody.error(res))?.fields ?? [:] }
    static func errorCode(_ res: TestingHTTPResponse) -> String { (try? JSONBody.error(res))?.code ?? "" }
    static func json(_ res: TestingHTTPResponse) -> [String: Any] { (try? JSONBody.object(res)) ?? [:] }

    static func bearer(_ token: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        return headers
    }

    static func lines(_ count: Int, host: String = "web01", start: Int = 0) -> String {
        (start..<(start + count)).map { i in
            "{\"@timestamp\":\"2026-03-0\(1 + i % 9)T08:00:0\(i % 10)Z\",\"host\":{\"name\":\"\(host)\"},\"event\":{\"action\":\"login\",\"seq\":\(i)},\"user\":\"u\(i)\"}"
        }.joined(separator: "\n")
    }

    /// gzip of the bytes, by the system's gzip.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(Data(bytes)); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    static func post(_ app: Application, _ body: [UInt8], headers: HTTPHeaders, query: String = "", gzip: Bool = false,
                     contentType: String = "application/x-ndjson", running: Bool = false,
                     _ check: (TestingHTTPResponse) throws -> Void) async throws {
        var headers = headers
        headers.replaceOrAdd(name: .contentType, value: contentType)
        if gzip { headers.replaceOrAdd(name: .contentEncoding, value: "gzip") }
        let method: Application.Method = running ? .running(port: 0) : .inMemory
        try await app.testing(method: method).test(.POST, "/api/v1/events" + query, headers: headers, beforeRequest: { req in
            req.body = ByteBuffer(bytes: body)
        }) { res in try check(res) }
    }

    static func search(_ app: Application, _ headers: HTTPHeaders, _ query: String) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        try await app.testing().test(.GET, "/api/v1/events" + query, headers: headers) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            items = (try JSONBody.object(res)["items"] as? [[String: Any]]) ?? []
        }
        return items
    }
}

@Suite struct EventsIngestTests {
    @Test func aSourceTokenIngestsJSONLinesAndTheEventsAreThereWhenTheResponseArrives() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let (sourceId, token) = try await IngestHelpers.httpSource(app, world, system: world.system)
            #expect(token.hasPrefix("ucs_"))
            let stored = try #require(try await EventSource.find(sourceId, on: app.db))
            #expect(stored.tokenHash == Secrets.sha256Hex(token))
            let body = IngestHelpers.lines(3) + "\n\n{\"broken\": tru}\n" + IngestHelpers.lines(1, start: 3) + "\r\n[1,2]\n"
            try await IngestHelpers.post(app, Array(body.utf8), headers: IngestHelpers.bearer(token)) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let object = try JSONBody.object(res)
                #expect(object["accepted"] as? Int == 4)
                let rejected = try #require(object["rejected"] as? [[String: Any]])
                #expect(rejected.map { $0["line"] as? Int } == [5, 7])
                #expect((rejected[0]["error"] as? String)?.contains("column") == true)
                #expect(object["rejectedTotal"] as? Int == 2)
            }
            // Acknowledged means committed: the events are readable at once, with their owner and source.
            let items = try await IngestHelpers.search(app, world.coordinator, "?systemId=\(world.system.id!)&per=50")
            #expect(items.count == 4)
            #expect(items.allSatisfy { $0["sourceId"] as? String == sourceId.uuidString && $0["agencyId"] as? String == world.agency.id!.uuidString })
            #expect(Set(items.compactMap { ($0["fields"] as? [String: Any])?["user"] as? String }) == ["u0", "u1", "u2", "u3"])
            #expect(items.first?["host"] as? String == "web01")
            #expect(try await EventSource.find(sourceId, on: app.db)?.lastEventAt != nil)
        }
    }

    @Test func gzipBodiesAreInflatedOverARealSocket() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let (_, token) = try await IngestHelpers.httpSource(app, world, system: world.system)
            let plain = Array(IngestHelpers.lines(2_500).utf8)
            let compressed = try IngestHelpers.gzip(plain)
            #expect(compressed.count < plain.count / 4)
            try await IngestHelpers.post(app, compressed, headers: IngestHelpers.bearer(token), gzip: true, running: true) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(IngestHelpers.json(res)["accepted"] as? Int == 2_500)
            }
            #expect(try await DatabaseEventStore(on: app.db).count(EventQuery(systemIDs: [world.system.id!])) == 2_500)
            // Damaged gzip: refused, nothing stored.
            try await IngestHelpers.post(app, Array(compressed.prefix(compressed.count / 2)), headers: IngestHelpers.bearer(token), gzip: true) { res in
                #expect(res.status == .badRequest, "\(res.body.string)")
            }
            #expect(try await DatabaseEventStore(on: app.db).count(EventQuery()) == 2_500)
        }
    }

    @Test func bodiesAreHeldToTheLimitAlsoOnceInflated() async throws {
        try await withTestApp(adjusting: { $0.maxEventBodyBytes = 65_536 }) { app in
            let world = try await EventsWorld.make(app)
            let (_, token) = try await IngestHelpers.httpSource(app, world, system: world.system)
            let big = Array(IngestHelpers.lines(1_000).utf8)
            #expect(big.count > 65_536)
            try await IngestHelpers.post(app, big, headers: IngestHelpers.bearer(token), running: true) { res in
                #expect(res.status == .payloadTooLarge, "\(res.body.string)")
            }
            // A small gzip body that inflates far past the limit.
            let bomb = try IngestHelpers.gzip([UInt8](repeating: 0x20, count: 4 << 20))
            #expect(bomb.count < 65_536)
            try await IngestHelpers.post(app, bomb, headers: IngestHelpers.bearer(token), gzip: true) { res in
                #expect(res.status == .payloadTooLarge, "\(res.body.string)")
            }
            #expect(try await EventFixture.batchRows(app) == 0)
        }
    }

    @Test func aPersonalTokenNeedsUploadEventsAndASystemInScope() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let body = Array(IngestHelpers.lines(2).utf8)
            try await IngestHelpers.post(app, body, headers: world.officer, query: "?system=\(world.system.id!)") { res in
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(IngestHelpers.json(res)["accepted"] as? Int == 2)
            }
            // Another agency's system, an unknown one, a malformed id: 404, as if it did not exist.
            for system in [world.otherSystem.id!.uuidString, UUID().uuidString, "not-an-id"] {
                try await IngestHelpers.post(app, body, headers: world.officer, query: "?system=\(system)") { res in
                    #expect(res.status == .notFound, "\(system): \(res.body.string)")
                    #expect(!res.body.string.contains("HT-TC"))
                }
            }
            try await IngestHelpers.post(app, body, headers: world.officer) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(IngestHelpers.errorFields(res)["system"] != nil)
            }
            for headers in [world.leader, world.police] {
                try await IngestHelpers.post(app, body, headers: headers, query: "?system=\(world.system.id!)") { res in
                    #expect(res.status == .forbidden)
                }
            }
            try await IngestHelpers.post(app, body, headers: HTTPHeaders()) { res in #expect(res.status == .unauthorized) }
            try await IngestHelpers.post(app, body, headers: IngestHelpers.bearer("ucs_not-a-real-token")) { res in
                #expect(res.status == .unauthorized)
            }
            // A coordinator may name any system; the events then belong to that system's agency.
            try await IngestHelpers.post(app, body, headers: world.coordinator, query: "?systemId=\(world.otherSystem.id!)") { res in
                #expect(res.status == .ok)
            }
            let items = try await IngestHelpers.search(app, world.coordinator, "?agencyId=\(world.otherAgency.id!)")
            #expect(items.count == 2)
            #expect(items.allSatisfy { $0["sourceId"] as? String == nil })
        }
    }

    @Test func aBodyWithNoGoodLineIsRefusedWithEveryError() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let (_, token) = try await IngestHelpers.httpSource(app, world, system: world.system)
            let bad = "not json\n{\"a\":1,}\n\"just a string\"\n"
            try await IngestHelpers.post(app, Array(bad.utf8), headers: IngestHelpers.bearer(token), contentType: "text/plain") { res in
                #expect(res.status == .badRequest)
                let object = try JSONBody.object(res)
                #expect((object["error"] as? [String: Any])?["code"] as? String == "no_valid_events")
                #expect((object["rejected"] as? [[String: Any]])?.map { $0["line"] as? Int } == [1, 2, 3])
            }
            try await IngestHelpers.post(app, Array("\n  \n".utf8), headers: IngestHelpers.bearer(token)) { res in
                #expect(res.status == .badRequest)
                #expect(IngestHelpers.errorCode(res) == "no_events")
            }
            try await IngestHelpers.post(app, Array(IngestHelpers.lines(1).utf8), headers: IngestHelpers.bearer(token), contentType: "application/xml") { res in
                #expect(res.status == .unsupportedMediaType)
            }
            #expect(try await EventFixture.batchRows(app) == 0)
        }
    }

    @Test func disablingASourceRefusesItsTokenAndRotationReplacesIt() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let (sourceId, token) = try await IngestHelpers.httpSource(app, world, system: world.system)
            var rotated = ""
            try await app.testing().test(.POST, "/api/v1/event-sources/\(sourceId)/token", headers: world.responder) { res in
                #expect(res.status == .ok)
                rotated = try #require(try JSONBody.object(res)["token"] as? String)
            }
            #expect(rotated != token)
            let body = Array(IngestHelpers.lines(1).utf8)
            try await IngestHelpers.post(app, body, headers: IngestHelpers.bearer(token)) { res in #expect(res.status == .unauthorized) }
            try await IngestHelpers.post(app, body, headers: IngestHelpers.bearer(rotated)) { res in #expect(res.status == .ok) }
            try await app.testing().test(.PATCH, "/api/v1/event-sources/\(sourceId)", headers: world.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["enabled": false])
            }) { res in
                #expect(res.status == .ok)
                #expect(IngestHelpers.json(res)["enabled"] as? Bool == false)
            }
            try await IngestHelpers.post(app, body, headers: IngestHelpers.bearer(rotated)) { res in #expect(res.status == .unauthorized) }
            // A source token is no user token: every other API route refuses it.
            try await app.testing().test(.GET, "/api/v1/events", headers: IngestHelpers.bearer(rotated)) { res in #expect(res.status == .unauthorized) }
            let actions = try await AuditEvent.query(on: app.db).filter(\.$recordId == sourceId.uuidString).all().map(\.action)
            #expect(actions == ["event_source.create", "event_source.token_rotate", "event_source.disable"])
        }
    }

    @Test func sourceInputIsCheckedFieldByField() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            try await app.testing().test(.POST, "/api/v1/event-sources", headers: world.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Tường lửa", "kind": "syslog", "systemId": world.system.id!.uuidString,
                                    "addresses": "10.0.0.0/8\n300.1.1.1"])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(IngestHelpers.errorFields(res)["addresses"]?.contains("300.1.1.1") == true)
            }
            try await app.testing().test(.POST, "/api/v1/event-sources", headers: world.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Tường lửa", "kind": "syslog", "systemId": world.system.id!.uuidString])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(IngestHelpers.errorFields(res)["addresses"] != nil)
            }
            try await app.testing().test(.POST, "/api/v1/event-sources", headers: world.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Tường lửa", "kind": "syslog", "systemId": world.system.id!.uuidString, "addresses": "10.1.0.0/16",
                                    "hostnames": "FW01.example.vn."])
            }) { res in
                #expect(res.status == .created)
                let object = try JSONBody.object(res)
                let source = try #require(object["source"] as? [String: Any])
                #expect(source["hostnames"] as? [String] == ["fw01.example.vn"])
                #expect(object["token"] as? String == nil)
            }
            try await app.testing().test(.POST, "/api/v1/event-sources", headers: world.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Tường lửa 2", "kind": "syslog", "systemId": world.otherSystem.id!.uuidString, "addresses": "10.1.0.0/16"])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(IngestHelpers.errorFields(res)["addresses"]?.contains("Tường lửa") == true)
            }
            // Officers do not manage sources.
            try await app.testing().test(.GET, "/api/v1/event-sources", headers: world.officer) { res in #expect(res.status == .forbidden) }
        }
    }
}

@Suite struct GunzipTests {
    @Test func inflatesWhatGzipWroteAndRefusesDamage() throws {
        let text = Array(String(repeating: "Sự kiện nhật ký 4688 ", count: 5_000).utf8)
        let compressed = try IngestHelpers.gzip(text)
        #expect(try Gunzip.inflate(compressed, limit: 1 << 20) == text)
        #expect(throws: Gunzip.Failure.tooLarge(limit: 1_000)) { try Gunzip.inflate(compressed, limit: 1_000) }
        #expect(throws: Gunzip.Failure.notGzip) { try Gunzip.inflate(Array("{}".utf8), limit: 1_000) }
        var flipped = compressed
        flipped[flipped.count - 6] ^= 0xFF  // the CRC
        #expect(throws: (any Error).self) { try Gunzip.inflate(flipped, limit: 1 << 20) }
        for cut in [12, compressed.count / 3, compressed.count - 9] {
            #expect(throws: (any Error).self) { try Gunzip.inflate(Array(compressed.prefix(cut)), limit: 1 << 20) }
        }
    }
}
