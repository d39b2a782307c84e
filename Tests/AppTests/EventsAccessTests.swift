import Detection
import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite struct EventsAccessTests {
    /// Events of both agencies and of an unknown sender; returns (ours, theirs, held) ids.
    static func seed(_ app: Application, _ world: EventsWorld) async throws -> ([StoredEventID], [StoredEventID], [StoredEventID]) {
        let ours = try await EventFixture.append(app, (0..<3).map { EventFixture.event($0, system: world.system, host: "yte-web") })
        let theirs = try await EventFixture.append(app, (0..<2).map { EventFixture.event($0, system: world.otherSystem, minutes: 50 + $0, host: "taichinh-db") })
        let held = try await EventFixture.append(app, [EventFixture.event(9, system: nil, host: "ghost")], sender: "203.0.113.99")
        return (ours, theirs, held)
    }

    @Test func anOfficerSeesOnlyTheirAgenciesEventsOnThePageAndTheAPI() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let (ours, theirs, held) = try await Self.seed(app, world)
            try await app.testing().test(.GET, "/events", headers: world.officerSession.headers) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("yte-web"))
                #expect(!html.contains("taichinh-db"))
                #expect(!html.contains("ghost"))
                #expect(!html.contains("unassigned-senders"))
            }
            // Naming the other agency, or asking for unknown sources, shows nothing of theirs.
            try await app.testing().test(.GET, "/events?agency=\(world.otherAgency.id!)&unassigned=1", headers: world.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("taichinh-db") && !res.body.string.contains("ghost"))
            }
            let mine = try await IngestHelpers.search(app, world.officer, "")
            #expect(Set(mine.compactMap { $0["id"] as? String }) == Set(ours.map(\.description)))
            #expect(try await IngestHelpers.search(app, world.officer, "?agencyId=\(world.otherAgency.id!)").isEmpty)
            #expect(try await IngestHelpers.search(app, world.officer, "?systemId=\(world.otherSystem.id!)").isEmpty)
            let fetched = try await IngestHelpers.search(app, world.officer, "?ids=\((ours + theirs + held).map(\.description).joined(separator: ","))")
            #expect(fetched.count == 3)
            try await app.testing().test(.GET, "/api/v1/events?unassigned=true", headers: world.officer) { res in #expect(res.status == .forbidden) }
            for id in [theirs[0], held[0]] {
                try await app.testing().test(.GET, "/events/\(id)", headers: world.officerSession.headers) { res in #expect(res.status == .notFound) }
            }
            try await app.testing().test(.GET, "/events/\(ours[1])", headers: world.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("cmd.exe /c whoami #1"))
                #expect(res.body.string.contains("HT-YTE"))
            }
            try await app.testing().test(.GET, "/events/not-an-id", headers: world.officerSession.headers) { res in #expect(res.status == .notFound) }
            // The other officer, conversely.
            let theirsSeen = try await IngestHelpers.search(app, world.otherOfficer, "")
            #expect(Set(theirsSeen.compactMap { $0["id"] as? String }) == Set(theirs.map(\.description)))
        }
    }

    @Test func coordinatorsSeeEverythingIncludingUnknownSourcesWhenAskedLeadersReadAndThePoliceNothing() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let (ours, theirs, held) = try await Self.seed(app, world)
            #expect(try await IngestHelpers.search(app, world.coordinator, "").count == ours.count + theirs.count)
            let unknown = try await IngestHelpers.search(app, world.responder, "?unassigned=true")
            #expect(unknown.compactMap { $0["id"] as? String } == [held[0].description])
            try await app.testing().test(.GET, "/events?unassigned=1", headers: world.coordinatorSession.headers) { res in
                #expect(res.body.string.contains("ghost"))
                #expect(!res.body.string.contains("yte-web"))
            }
            try await app.testing().test(.GET, "/events/\(held[0])", headers: world.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("203.0.113.99"))
            }
            #expect(try await IngestHelpers.search(app, world.leader, "").count == ours.count + theirs.count)
            try await app.testing().test(.GET, "/api/v1/events?unassigned=true", headers: world.leader) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/events", headers: world.police) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/events/sources", headers: world.officerSession.headers) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/events/unassigned", headers: world.officerSession.headers) { res in #expect(res.status == .forbidden) }
        }
    }

    @Test func filtersNarrowBySystemHostFieldTextAndTime() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            _ = try await Self.seed(app, world)
            #expect(try await IngestHelpers.search(app, world.coordinator, "?host=TAICHINH-DB").count == 2)
            #expect(try await IngestHelpers.search(app, world.coordinator, "?q=CommandLine%3Dcmd.exe%20/c%20whoami%20%232").count == 1)
            #expect(try await IngestHelpers.search(app, world.coordinator, "?q=WHOAMI").count == 5)
            #expect(try await IngestHelpers.search(app, world.coordinator, "?q=nothing-like-this").isEmpty)
            let from = EventTime.string(from: EventFixture.base.addingTimeInterval(50 * 60))
            let late = try await IngestHelpers.search(app, world.coordinator, "?from=\(from)")
            #expect(late.count == 2)
            // Newest first.
            let all = try await IngestHelpers.search(app, world.coordinator, "?per=2")
            #expect(all.compactMap { $0["host"] as? String } == ["taichinh-db", "taichinh-db"])
            try await app.testing().test(.GET, "/api/v1/events?from=yesterday", headers: world.coordinator) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(IngestHelpers.errorFields(res)["from"] != nil)
            }
            try await app.testing().test(.GET, "/events?system=\(world.system.id!)&q=whoami", headers: world.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("yte-web") && !res.body.string.contains("taichinh-db"))
            }
        }
    }

    @Test func coordinatorsManageSourcesOnThePages() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            let session = world.coordinatorSession
            try await app.testing().test(.POST, "/events/sources/new", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("name", "Bộ thu log web"), ("kind", "http"), ("systemId", world.system.id!.uuidString)])
            }) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "new-token")?.hasPrefix("ucs_") == true)
            }
            let source = try #require(try await EventSource.query(on: app.db).first())
            try await app.testing().test(.GET, "/events/sources/\(source.id!)", headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "new-token") == nil)
                #expect(res.body.string.contains(source.tokenHint!))
            }
            try await app.testing().test(.POST, "/events/sources/\(source.id!)/enabled", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("enabled", "0")])
            }) { res in #expect(res.status == .seeOther) }
            #expect(try await EventSource.find(source.id, on: app.db)?.enabled == false)
            try await app.testing().test(.GET, "/events/sources", headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Bộ thu log web"))
            }
            try await app.testing().test(.POST, "/events/sources/\(source.id!)/edit", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("name", ""), ("kind", "http"), ("systemId", world.system.id!.uuidString)])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("name-error"))
            }
        }
    }
}
