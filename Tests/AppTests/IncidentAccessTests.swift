import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// Who may read and change which case, through pages, API, search and exports: other agencies, leaders,
/// the police liaison and TLP:RED.
@Suite struct IncidentAccessTests {
    /// A case of agency A (Sở Y tế) with something in every sub-resource.
    struct FullCase {
        let incident: IncidentDTO
        let evidence: EvidenceDTO
        let taskId: UUID
        let reportId: UUID
        var id: UUID { incident.id }
    }

    static func fullCase(_ app: Application, _ cast: IncidentCast) async throws -> FullCase {
        let incident = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system,
                                                                                                           title: "Mã độc tại bệnh viện tỉnh"))
        let id = incident.id
        try await IncidentFixture.note(app, id, headers: cast["officer"], "Máy trạm khoa dược kết nối tới quahtangxyzzy")
        try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "domain", value: "quahtang-xyzzy.example")
        let evidence = try await IncidentFixture.evidence(app, id, headers: cast["officer"], name: "nhat-ky.pdf", bytes: IncidentFixture.pdf("A"))
        let tasks = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/tasks", headers: cast["officer"],
                                                   json: ["title": "Thu thập nhật ký"])
        #expect(tasks.status == .created)
        let task = try #require(try tasks.content.decode([TaskDTO].self).first)
        let report = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/reports", headers: cast["officer"], json: [
            "kind": "NOTIFICATION", "sentAt": IncidentFixture.iso(Date().addingTimeInterval(-60)), "recipients": "Sở KH&CN",
        ])
        #expect(report.status == .created, "\(report.body.string)")
        return FullCase(incident: incident, evidence: evidence, taskId: task.id, reportId: try report.content.decode(IncidentReportDTO.self).id)
    }

    /// Every read of a case and its parts, API and pages, for the given case (ids of another case answer alike).
    static func readPaths(_ c: FullCase) -> (api: [String], pages: [String]) {
        let id = c.id
        let e = c.evidence.id
        let api = ["", "/timeline", "/observables", "/evidence", "/evidence/\(e)", "/reports", "/clocks", "/tasks",
                   "/observables.stix.json", "/observables.misp.json"].map { "/api/v1/incidents/\(id)\($0)" }
        let pages = ["", "/evidence/\(e)", "/evidence/\(e)/download", "/observables.stix.json", "/observables.misp.json",
                     "/reports/\(c.reportId)/file"].map { "/incidents/\(id)\($0)" }
            + IncidentClockKind.allCases.map { "/incidents/\(id)/reports/\($0.rawValue).docx" }
        return (api, pages)
    }

    static func total(_ app: Application, _ path: String, headers: HTTPHeaders, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let res = try await IncidentFixture.send(app, .GET, path, headers: headers)
        #expect(res.status == .ok, "\(path): \(res.body.string)", sourceLocation: sourceLocation)
        return try JSONBody.object(res)["total"] as? Int ?? -1
    }

    static func policeReads(_ app: Application) async throws -> Int {
        try await AuditEvent.query(on: app.db).filter(\.$action == "incident.police.read").count()
    }

    // MARK: Another agency

    @Test func anOfficerOfAnotherAgencyGets404ForTheCaseAndEveryPartOfIt() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let c = try await Self.fullCase(app, cast)
            let token = cast["officerOther"]
            let (cookie, csrf) = try await Make.session(app, for: cast.user("officerOther"))
            let (api, pages) = Self.readPaths(c)
            for path in api {
                let res = try await IncidentFixture.send(app, .GET, path, headers: token)
                #expect(res.status == .notFound, "\(path)")
                #expect(!res.body.string.contains(c.incident.number), "\(path)")
                #expect(!res.body.string.contains("xyzzy"), "\(path)")
            }
            for path in pages {
                let res = try await IncidentFixture.send(app, .GET, path, headers: cookie)
                #expect(res.status == .notFound, "\(path)")
                #expect(!res.body.string.contains(c.incident.number), "\(path)")
                #expect(!res.body.string.contains("Mã độc tại bệnh viện tỉnh"), "\(path)")
            }
            // Changes through the API and the pages: 404 as well, and nothing is written.
            let before = try await app.count(TimelineEntry.self)
            let id = c.id
            let writes: [(HTTPMethod, String, [String: Any])] = [
                (.POST, "/api/v1/incidents/\(id)/timeline", ["body": "Tôi đọc được không?"]),
                (.POST, "/api/v1/incidents/\(id)/observables", ["type": "ipv4", "value": "192.0.2.1"]),
                (.POST, "/api/v1/incidents/\(id)/observables/import", ["type": "bundle", "id": "bundle--1", "objects": []]),
                (.POST, "/api/v1/incidents/\(id)/tasks", ["title": "Việc"]),
                (.PATCH, "/api/v1/incidents/\(id)/tasks/\(c.taskId)", ["version": 1, "action": "complete"]),
                (.POST, "/api/v1/incidents/\(id)/reports", ["kind": "NOTIFICATION", "sentAt": IncidentFixture.iso(Date()), "recipients": "X"]),
                (.POST, "/api/v1/incidents/\(id)/phase", ["phase": "contained"]),
            ]
            for (method, path, body) in writes {
                let res = try await IncidentFixture.send(app, method, path, headers: token, json: body)
                #expect(res.status == .notFound, "\(method) \(path): \(res.body.string)")
            }
            for (path, form) in [("notes", [("body", "x")]), ("observables", [("type", "ipv4"), ("value", "192.0.2.1")]),
                                 ("tasks", [("title", "x")]), ("phase", [("phase", "contained")]),
                                 ("reports", [("kind", "NOTIFICATION"), ("sentAt", IncidentFixture.iso(Date())), ("recipients", "X")])] {
                let res = try await IncidentFixture.send(app, .POST, "/incidents/\(id)/\(path)", headers: cookie, form: [("_csrf", csrf)] + form)
                #expect(res.status == .notFound, "POST /incidents/…/\(path)")
            }
            let upload = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(id)/evidence", headers: token) { req in
                FormBody.multipart(&req, [], files: [.init(filename: "x.pdf", bytes: IncidentFixture.pdf("x"))])
            }
            #expect(upload.status == .notFound)
            #expect(try await app.count(TimelineEntry.self) == before)
            // Triage is the coordinator's: the officer is refused before any case is looked up, exactly as for a made-up id.
            for target in [id, UUID()] {
                let res = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(target)/triage", headers: token, json: ["severity": "low"])
                #expect(res.status == .forbidden)
            }
            // A made-up id answers exactly like the real one.
            for path in ["/api/v1/incidents/\(UUID())", "/api/v1/incidents/\(UUID())/observables.stix.json"] {
                #expect(try await IncidentFixture.send(app, .GET, path, headers: token).status == .notFound)
            }
            // The owning officer still reads all of it.
            for path in api where !path.hasSuffix("/evidence/\(c.evidence.id)") {
                #expect(try await IncidentFixture.send(app, .GET, path, headers: cast["officer"]).status == .ok, "\(path)")
            }
        }
    }

    @Test func anOfficerOfAnotherAgencyNeitherListsBoardsNorFindsTheCase() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let c = try await Self.fullCase(app, cast)
            let own = try await IncidentFixture.report(app, headers: cast["officerOther"], IncidentFixture.body(system: cast.otherSystem,
                                                                                                              title: "Sự cố kho bạc"))
            let token = cast["officerOther"]
            let cookie = try await Make.session(app, for: cast.user("officerOther")).headers
            for path in ["/incidents", "/incidents/board", "/incidents?q=xyzzy", "/incidents?q=quahtang-xyzzy.example", "/incidents/board?q=xyzzy",
                         "/incidents?agency=\(cast.own.id!)", "/incidents?system=\(cast.system.id!)"] {
                let res = try await IncidentFixture.send(app, .GET, path, headers: cookie)
                #expect(res.status == .ok, "\(path)")
                #expect(!res.body.string.contains(c.incident.number), "\(path)")
                #expect(!res.body.string.contains("Mã độc tại bệnh viện tỉnh"), "\(path)")
            }
            try await app.testing().test(.GET, "/incidents", headers: cookie) { #expect($0.body.string.contains(own.number)) }
            #expect(try await Self.total(app, "/api/v1/incidents", headers: token) == 1)
            #expect(try await Self.total(app, "/api/v1/incidents?agency=\(cast.own.id!)", headers: token) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=xyzzy", headers: token) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=quahtang-xyzzy.example", headers: token) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=benh%20vien", headers: token) == 0)
            // The search itself works: the owning officer and the coordinator find the case by its note and observable.
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=xyzzy", headers: cast["officer"]) == 1)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=quahtang-xyzzy.example", headers: cast["coordinator"]) == 1)
            #expect(try await Self.total(app, "/api/v1/incidents", headers: cast["coordinator"]) == 2)
        }
    }

    // MARK: Leaders

    @Test func leadersReadCasesButCannotTriageOrHandleThem() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let c = try await Self.fullCase(app, cast)
            let leader = cast["leader"]
            for path in ["", "/timeline", "/observables", "/evidence", "/clocks", "/observables.stix.json"] {
                #expect(try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(c.id)\(path)", headers: leader).status == .ok, "\(path)")
            }
            #expect(try await Self.total(app, "/api/v1/incidents", headers: leader) == 1)
            let cookie = try await Make.session(app, for: cast.user("leader"))
            #expect(try await IncidentFixture.send(app, .GET, "/incidents/\(c.id)", headers: cookie.headers).status == .ok)
            let version = try await IncidentFixture.version(app, c.id)
            try await IncidentFixture.triage(app, c.id, headers: leader, ["severity": "low"], expect: .forbidden)
            try await IncidentFixture.phase(app, c.id, headers: leader, "contained", expect: .forbidden)
            try await IncidentFixture.note(app, c.id, headers: leader, "Lãnh đạo ghi chú", expect: .forbidden)
            try await IncidentFixture.observable(app, c.id, headers: leader, type: "ipv4", value: "192.0.2.9", expect: .forbidden)
            #expect(try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(c.id)/share", headers: leader, json: [:]).status == .forbidden)
            #expect(try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(c.id)/tasks", headers: leader).status == .forbidden)
            let page = try await IncidentFixture.send(app, .POST, "/incidents/\(c.id)/triage", headers: cookie.headers,
                                                      form: [("_csrf", cookie.csrf), ("severity", "low"), ("version", String(version))])
            #expect(page.status == .forbidden)
            let stored = try await IncidentFixture.reload(app, c.id)
            #expect(stored.version == version)
            #expect(stored.phaseRaw == "detected")
        }
    }

    // MARK: Police

    @Test func thePoliceSeeASharedCaseOnlyThroughWhatTLPLetsOutAndEveryReadIsAudited() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let coordinator = cast["coordinator"]
            let police = cast["police"]
            let policeId = cast.id("police")
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let notes = [("clear", "Ghi chú CLEAR công khai"), ("green", "Ghi chú GREEN cộng đồng"), ("amber", "Ghi chú AMBER chia sẻ"),
                         ("amber_strict", "Ghi chú AMBERSTRICT nội bộ"), ("red", "Ghi chú REDKIN riêng")]
            for (tlp, text) in notes { try await IncidentFixture.note(app, id, headers: coordinator, text, tlp: tlp) }
            try await IncidentFixture.note(app, id, headers: coordinator, "Ghi chú REDPOLICE cho công an", tlp: "red", named: [policeId])
            try await IncidentFixture.observable(app, id, headers: coordinator, type: "ipv4", value: "203.0.113.50")
            try await IncidentFixture.observable(app, id, headers: coordinator, type: "ipv4", value: "203.0.113.51", tlp: "amber_strict")
            try await IncidentFixture.observable(app, id, headers: coordinator, type: "ipv4", value: "203.0.113.52", tlp: "red")
            try await IncidentFixture.observable(app, id, headers: coordinator, type: "ipv4", value: "203.0.113.53", tlp: "red", named: [policeId])
            let shared = try await IncidentFixture.evidence(app, id, headers: coordinator, name: "chia-se.pdf", bytes: IncidentFixture.pdf("amber"))
            let strict = try await IncidentFixture.evidence(app, id, headers: coordinator, name: "noi-bo.pdf", bytes: IncidentFixture.pdf("strict"),
                                                            tlp: "amber_strict")
            let red = try await IncidentFixture.evidence(app, id, headers: coordinator, name: "mat.pdf", bytes: IncidentFixture.pdf("red"), tlp: "red")
            let (cookie, csrf) = try await Make.session(app, for: cast.user("police"))
            let reads = ["", "/timeline", "/observables", "/evidence", "/evidence/\(shared.id)", "/clocks", "/observables.stix.json",
                         "/observables.misp.json"].map { "/api/v1/incidents/\(id)\($0)" }
            let pageReads = ["", "/evidence/\(shared.id)", "/evidence/\(shared.id)/download", "/observables.stix.json"].map { "/incidents/\(id)\($0)" }

            // Before sharing: as if the case did not exist.
            for path in reads { #expect(try await IncidentFixture.send(app, .GET, path, headers: police).status == .notFound, "\(path)") }
            for path in pageReads { #expect(try await IncidentFixture.send(app, .GET, path, headers: cookie).status == .notFound, "\(path)") }
            #expect(try await Self.total(app, "/api/v1/incidents", headers: police) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=amber", headers: police) == 0)
            try await IncidentFixture.note(app, id, headers: police, "Công an ghi chú", expect: .notFound)

            try await IncidentFixture.share(app, id, headers: coordinator)
            #expect(try await Self.total(app, "/api/v1/incidents", headers: police) == 1)
            // Every read is audited, one event per read.
            for path in reads {
                let before = try await Self.policeReads(app)
                let res = try await IncidentFixture.send(app, .GET, path, headers: police)
                #expect(res.status == .ok, "\(path): \(res.body.string)")
                #expect(try await Self.policeReads(app) == before + 1, "\(path) is not audited")
            }
            for path in pageReads {
                let before = try await Self.policeReads(app)
                #expect(try await IncidentFixture.send(app, .GET, path, headers: cookie).status == .ok, "\(path)")
                #expect(try await Self.policeReads(app) == before + 1, "\(path) is not audited")
            }
            // What TLP lets out, and nothing more.
            let timeline = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/timeline", headers: police)
            let texts = try timeline.content.decode([TimelineEntryDTO].self).map(\.text).joined(separator: "\n")
            for visible in ["CLEAR", "GREEN", "AMBER chia", "REDPOLICE"] { #expect(texts.contains(visible), "\(visible)") }
            for hidden in ["AMBERSTRICT", "REDKIN", "noi-bo.pdf", "mat.pdf", "203.0.113.51", "203.0.113.52"] {
                #expect(!texts.contains(hidden), "\(hidden)")
            }
            let observables = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/observables", headers: police)
            #expect(Set(try observables.content.decode([ObservableDTO].self).map(\.value)) == ["203.0.113.50", "203.0.113.53"])
            let evidence = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/evidence", headers: police)
            #expect(try evidence.content.decode([EvidenceDTO].self).map(\.name) == ["chia-se.pdf"])
            for hiddenEvidence in [strict.id, red.id] {
                #expect(try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/evidence/\(hiddenEvidence)", headers: police).status
                        == .notFound)
                #expect(try await IncidentFixture.send(app, .GET, "/incidents/\(id)/evidence/\(hiddenEvidence)", headers: cookie).status == .notFound)
            }
            for path in ["/api/v1/incidents/\(id)/observables.stix.json", "/api/v1/incidents/\(id)/observables.misp.json"] {
                let body = try await IncidentFixture.send(app, .GET, path, headers: police).body.string
                #expect(body.contains("203.0.113.50"))
                #expect(!body.contains("203.0.113.51"))
                #expect(!body.contains("203.0.113.52"))
            }
            let page = try await IncidentFixture.send(app, .GET, "/incidents/\(id)", headers: cookie).body.string
            #expect(page.contains("AMBER chia"))
            for hidden in ["AMBERSTRICT", "REDKIN", "noi-bo.pdf", "mat.pdf", "203.0.113.51", "203.0.113.52"] {
                #expect(!page.contains(hidden), "page shows \(hidden)")
            }
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=amberstrict", headers: police) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=redkin", headers: police) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=redpolice", headers: police) == 1)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=203.0.113.51", headers: police) == 0)
            // The police add notes and ask for evidence; they do not triage or handle.
            let note = try await IncidentFixture.note(app, id, headers: police, "Công an đã tiếp nhận thông tin")
            #expect(try note.content.decode(TimelineEntryDTO.self).kind == "police_note")
            let request = try await IncidentFixture.note(app, id, headers: police, "Đề nghị cung cấp nhật ký máy chủ", kind: "evidence_request")
            #expect(try request.content.decode(TimelineEntryDTO.self).kind == "evidence_request")
            let pageRequest = try await IncidentFixture.send(app, .POST, "/incidents/\(id)/evidence-requests", headers: cookie,
                                                             form: [("_csrf", csrf), ("body", "Đề nghị cung cấp ảnh ổ cứng")])
            #expect(pageRequest.status == .seeOther)
            #expect(try await TimelineEntry.query(on: app.db).filter(\.$incidentId == id).filter(\.$kind == "evidence_request").count() == 2)
            try await IncidentFixture.triage(app, id, headers: police, ["severity": "low"], expect: .forbidden)
            try await IncidentFixture.observable(app, id, headers: police, type: "ipv4", value: "192.0.2.200", expect: .forbidden)
            try await IncidentFixture.phase(app, id, headers: police, "contained", expect: .forbidden)
            #expect(try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/tasks", headers: police).status == .forbidden)
            #expect(try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/reports", headers: police).status == .forbidden)
            // Officers of the agency cannot file evidence requests (police only).
            try await IncidentFixture.note(app, id, headers: cast["officer"], "Giả làm công an", kind: "evidence_request", expect: .unprocessableEntity)

            // Revoked: gone again.
            var headers = coordinator
            headers.replaceOrAdd(name: .ifMatch, value: String(try await IncidentFixture.version(app, id)))
            #expect(try await IncidentFixture.send(app, .DELETE, "/api/v1/incidents/\(id)/share", headers: headers).status == .noContent)
            for path in reads { #expect(try await IncidentFixture.send(app, .GET, path, headers: police).status == .notFound, "\(path)") }
            for path in pageReads { #expect(try await IncidentFixture.send(app, .GET, path, headers: cookie).status == .notFound, "\(path)") }
            #expect(try await Self.total(app, "/api/v1/incidents", headers: police) == 0)
            try await IncidentFixture.note(app, id, headers: police, "Sau khi thu hồi", expect: .notFound)
            let shares = try await IncidentShare.query(on: app.db).filter(\.$incidentId == id).all()
            #expect(shares.count == 1 && shares[0].revokedAt != nil)
        }
    }

    @Test func aRedNoteReachesOnlyThePeopleItNames() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.note(app, id, headers: cast["coordinator"], "Nghi vấn nội gián plugh", tlp: "red", named: [cast.id("responder")])
            try await IncidentFixture.observable(app, id, headers: cast["coordinator"], type: "email", value: "noigian@plugh.example", tlp: "red",
                                                 named: [cast.id("responder")])
            func sees(_ who: String) async throws -> Bool {
                let timeline = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/timeline", headers: cast[who])
                #expect(timeline.status == .ok)
                let inTimeline = timeline.body.string.contains("plugh")
                let observables = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/observables", headers: cast[who])
                #expect(observables.body.string.contains("plugh") == inTimeline, "\(who)")
                let stix = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/observables.stix.json", headers: cast[who])
                #expect(stix.body.string.contains("plugh") == inTimeline, "\(who)")
                let page = try await IncidentFixture.send(app, .GET, "/incidents/\(id)", headers: try await Make.session(app, for: cast.user(who)).headers)
                #expect(page.body.string.contains("plugh") == inTimeline, "\(who)")
                let found = try await Self.total(app, "/api/v1/incidents/search?q=plugh", headers: cast[who])
                #expect((found == 1) == inTimeline, "\(who) finds \(found)")
                return inTimeline
            }
            #expect(try await sees("coordinator"))
            #expect(try await sees("responder"))
            #expect(!(try await sees("coordinator2")))
            #expect(!(try await sees("officer")))
            #expect(!(try await sees("leader")))
            // Nor does a sighting count give the RED observable away.
            let second = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.observable(app, second, headers: cast["coordinator2"], type: "email", value: "noigian@plugh.example")
            for (who, expected) in [("coordinator2", 0), ("officer", 0), ("responder", 1)] {
                let res = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(second)/observables", headers: cast[who])
                #expect(try res.content.decode([ObservableDTO].self).map(\.sightings) == [expected], "\(who)")
            }
            // Reports never carry TLP:RED items.
            let cookie = try await Make.session(app, for: cast.user("coordinator")).headers
            let docx = try await IncidentFixture.send(app, .GET, "/incidents/\(id)/reports/NOTIFICATION.docx", headers: cookie)
            #expect(docx.status == .ok)
            #expect(!(try IncidentFixture.docxText(Data(docx.body.readableBytesView))).contains("plugh"))
        }
    }

    @Test func thePoliceCannotFindWordsOfAStrictCaseDescriptionBySearch() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let body = IncidentFixture.body(system: cast.system) { $0["description"] = "Máy chủ nội bộ TUKHOABIMAT bị xâm nhập." }
            let id = try await IncidentFixture.report(app, headers: cast["officer"], body).id
            try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["severity": "high", "tlp": "amber_strict"])
            try await IncidentFixture.share(app, id, headers: cast["coordinator"])
            #expect(try await Self.total(app, "/api/v1/incidents", headers: cast["police"]) == 1)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=tukhoabimat", headers: cast["police"]) == 0)
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=tukhoabimat", headers: cast["coordinator"]) == 1)
            try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["severity": "high", "tlp": "amber"])
            #expect(try await Self.total(app, "/api/v1/incidents/search?q=tukhoabimat", headers: cast["police"]) == 1)
        }
    }

    @Test func mergingADuplicateOfAnotherAgencyLeavesRestrictedObservablesOnTheirCase() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let coordinator = cast["coordinator"]
            let original = try await IncidentFixture.report(app, headers: cast["officerOther"], IncidentFixture.body(system: cast.otherSystem))
            let duplicate = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.observable(app, duplicate, headers: coordinator, type: "ipv4", value: "198.51.100.7", tlp: "green")
            try await IncidentFixture.observable(app, duplicate, headers: coordinator, type: "ipv4", value: "198.51.100.8", tlp: "amber_strict")
            try await IncidentFixture.observable(app, duplicate, headers: coordinator, type: "ipv4", value: "198.51.100.9", tlp: "red")
            let res = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(duplicate)/merge", headers: coordinator,
                                                     json: ["into": original.number, "version": try await IncidentFixture.version(app, duplicate)])
            #expect(res.status == .ok, "\(res.body.string)")
            #expect(try res.content.decode(IncidentDTO.self).resolution == "duplicate")
            let copied = try await IncidentObservable.query(on: app.db).filter(\.$incidentId == original.id).all().map(\.value)
            #expect(copied == ["198.51.100.7"])
            let officer = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(original.id)/merge", headers: cast["officerOther"],
                                                         json: ["into": "SC-2026-9999"])
            #expect(officer.status == .forbidden)
        }
    }
}
