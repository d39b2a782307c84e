import Crypto
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// Reporting, triage, phases, closing, reports, merging, observables, tasks, exchange and evidence of incident cases.
@Suite struct IncidentTests {
    static var year: Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        return calendar.component(.year, from: Date())
    }

    static func sha256(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    static func obligations(_ app: Application, _ id: UUID) async throws -> [String: Obligation] {
        let rows = try await Obligation.query(on: app.db).filter(\.$subjectKind == "incident").filter(\.$subjectId == id).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.dutyId, $0) })
    }

    static func clocks(_ app: Application, _ id: UUID, headers: HTTPHeaders) async throws -> [String: ClockDTO] {
        let res = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/clocks", headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        return Dictionary(uniqueKeysWithValues: try res.content.decode([ClockDTO].self).map { ($0.kind, $0) })
    }

    static func timelineKinds(_ app: Application, _ id: UUID) async throws -> [String] {
        try await TimelineEntry.query(on: app.db).filter(\.$incidentId == id).sort(\.$at).all().map(\.kind)
    }

    // MARK: Reporting

    @Test func anOfficerReportsThroughTheFormWithAnAttachmentAndTheCaseIsNumberedTimelinedAndClocked() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let officer = cast.user("officer")
            let (cookie, csrf) = try await Make.session(app, for: officer)
            let draft = try await IncidentFixture.send(app, .POST, "/incidents/draft", headers: cookie, form: [("_csrf", csrf), ("title", "Nháp")])
            #expect(draft.status == .noContent, "\(draft.body.string)")
            #expect(try await app.count(IncidentDraft.self) == 1)
            let bytes = IncidentFixture.pdf("nhat-ky")
            let res = try await app.testing().sendRequest(.POST, "/incidents/new", headers: cookie) { req in
                FormBody.multipart(&req, [
                    ("_csrf", csrf), ("title", "Máy chủ HIS nhiễm mã độc"), ("description", "Phần mềm diệt virus cảnh báo mã độc trên máy chủ."),
                    ("categoryCode", "malware"), ("detectedAt", IncidentFixture.iso(Date().addingTimeInterval(-3600))),
                    ("occurredAt", IncidentFixture.iso(Date().addingTimeInterval(-7200))),
                    ("systemIds[]", cast.system.id!.uuidString), ("contactName", "Nguyễn Văn An"), ("contactPhone", "0912345678"),
                    ("personalData", "true"), ("dataAffected", "Hồ sơ bệnh án"),
                ], files: [.init(filename: "nhat-ky.pdf", contentType: "application/pdf", bytes: bytes)])
            }
            #expect(res.status == .seeOther, "\(res.body.string)")
            let incident = try #require(try await Incident.query(on: app.db).first())
            let id = try incident.requireID()
            #expect(res.headers.first(name: .location)?.lowercased().hasPrefix("/incidents/\(id.uuidString.lowercased())") == true)
            #expect(incident.number == "SC-\(Self.year)-0001")
            #expect(incident.agencyId == cast.own.id)
            #expect(incident.reporterId == officer.id)
            #expect(incident.phaseRaw == "detected")
            #expect(incident.personalData)
            #expect(try await IncidentSystem.query(on: app.db).all().map(\.systemId) == [cast.system.id!])
            let kinds = try await Self.timelineKinds(app, id)
            #expect(kinds.first == "reported")
            #expect(kinds.filter { $0 == "reported" }.count == 1)
            #expect(kinds.contains("evidence"))
            // The attachment is evidence with its SHA-256 and a chain of custody.
            let evidence = try await IncidentEvidence.query(on: app.db).filter(\.$incidentId == id).all()
            #expect(evidence.count == 1)
            let file = try #require(try await StoredFile.find(evidence.first?.fileId, on: app.db))
            #expect(file.sha256 == Self.sha256(bytes))
            #expect(file.size == Int64(bytes.count))
            #expect(file.originalName == "nhat-ky.pdf")
            let custody = try await CustodyEntry.query(on: app.db).filter(\.$evidenceId == evidence[0].id!).all()
            #expect(custody.map(\.action) == ["uploaded"])
            #expect(custody.first?.actorId == officer.id)
            // The legal clocks are materialised as obligations of the case.
            let duties = try await Self.obligations(app, id)
            #expect(Set(duties.keys).isSuperset(of: ["NOTIFICATION", "FINAL_REPORT", "PDP_BREACH_NOTICE", "SERIOUS_ESCALATION"]))
            #expect(duties.values.allSatisfy { $0.agencyId == cast.own.id })
            let notification = try #require(duties["NOTIFICATION"])
            #expect(notification.state != .notApplicable)
            #expect((notification.dueAt ?? .distantPast) > incident.detectedAt)
            #expect(duties["PDP_BREACH_NOTICE"]?.state != .notApplicable)
            #expect(duties["SERIOUS_ESCALATION"]?.state == .notApplicable)
            // The draft is gone once the report is in.
            #expect(try await app.count(IncidentDraft.self) == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "incident.report").count() == 1)
            try await app.testing().test(.GET, "/incidents/\(id)", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("SC-\(Self.year)-0001"))
                #expect(res.body.string.contains("nhat-ky.pdf"))
            }
        }
    }

    @Test func anyClientReportsThroughTheAPIAndCasesAreNumberedInTurn() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let (cookie, csrf) = try await Make.session(app, for: cast.user("officer"))
            _ = try await IncidentFixture.send(app, .POST, "/incidents/draft", headers: cookie, form: [("_csrf", csrf), ("title", "Nháp API")])
            let res = try await IncidentFixture.send(app, .POST, "/api/v1/incidents", headers: cast["officer"],
                                                     json: IncidentFixture.body(system: cast.system))
            #expect(res.status == .created, "\(res.body.string)")
            let first = try res.content.decode(IncidentDTO.self)
            #expect(res.headers.first(name: .location)?.lowercased() == "/api/v1/incidents/\(first.id.uuidString.lowercased())")
            #expect(first.number == "SC-\(Self.year)-0001")
            #expect(first.agencyId == cast.own.id)
            #expect(first.systemIds == [cast.system.id!])
            #expect(first.phase == "detected")
            #expect(first.tlp == "amber")
            #expect(first.version == 1)
            #expect(first.servicesDown && first.beyondCapability)
            #expect(try await app.count(IncidentDraft.self) == 0)
            // A coordinator reports for an agency without naming a system.
            let second = try await IncidentFixture.report(app, headers: cast["coordinator"], IncidentFixture.body(system: nil, category: "dos") {
                $0["agencyId"] = cast.other.id!.uuidString
            })
            #expect(second.number == "SC-\(Self.year)-0002")
            #expect(second.agencyId == cast.other.id)
            let timeline = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(first.id)/timeline", headers: cast["officer"])
            #expect(timeline.status == .ok)
            let entries = try timeline.content.decode([TimelineEntryDTO].self)
            #expect(entries.map(\.kind) == ["reported"])
            let clocks = try await Self.clocks(app, first.id, headers: cast["officer"])
            #expect(clocks["NOTIFICATION"]?.applies == true)
            // beyondCapability: the initial report is owed too.
            #expect(clocks["INITIAL_REPORT"]?.applies == true)
            #expect(clocks["SERIOUS_ESCALATION"]?.applies == false)
            #expect(try await Self.obligations(app, first.id).count == clocks.count)
        }
    }

    @Test func aBadReportIsRefusedNamingEachFieldAndNothingIsWritten() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let officer = cast["officer"]
            func refused(_ body: [String: Any], _ fields: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let res = try await IncidentFixture.send(app, .POST, "/api/v1/incidents", headers: officer, json: body)
                #expect(res.status == .unprocessableEntity, "\(res.body.string)", sourceLocation: sourceLocation)
                let error = try JSONBody.error(res)
                #expect(Set(error.fields.keys) == fields, "\(error.fields)", sourceLocation: sourceLocation)
            }
            try await refused(IncidentFixture.body(system: cast.system, category: "alien-invasion") {
                $0["title"] = "  "
                $0.removeValue(forKey: "contactPhone")
                $0["detectedAt"] = IncidentFixture.iso(Date().addingTimeInterval(86_400))
                $0.removeValue(forKey: "occurredAt")
            }, ["title", "contactPhone", "categoryCode", "detectedAt"])
            try await refused(IncidentFixture.body(system: cast.system) {
                $0["occurredAt"] = IncidentFixture.iso(Date().addingTimeInterval(-60))
            }, ["occurredAt"])
            try await refused(IncidentFixture.body(system: cast.otherSystem), ["systemIds"])
            try await refused(IncidentFixture.body(system: nil) { $0["agencyId"] = cast.other.id!.uuidString }, ["agencyId"])
            try await refused(IncidentFixture.body(system: cast.system) { $0["contactPhone"] = "gọi tôi" }, ["contactPhone"])
            // The form shows the problems next to the fields and keeps what was typed; the attachment is not kept.
            let (cookie, csrf) = try await Make.session(app, for: cast.user("officer"))
            let res = try await app.testing().sendRequest(.POST, "/incidents/new", headers: cookie) { req in
                FormBody.multipart(&req, [
                    ("_csrf", csrf), ("title", ""), ("description", "Mô tả được giữ lại"), ("categoryCode", "malware"),
                    ("detectedAt", IncidentFixture.iso(Date().addingTimeInterval(-600))), ("systemIds[]", cast.otherSystem.id!.uuidString),
                    ("contactName", "Nguyễn Văn An"), ("contactPhone", ""),
                ], files: [.init(filename: "anh.pdf", contentType: "application/pdf", bytes: IncidentFixture.pdf("bad"))])
            }
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("id=\"title-error\""))
            #expect(res.body.string.contains("id=\"contactPhone-error\""))
            #expect(res.body.string.contains("Mô tả được giữ lại"))
            #expect(try await app.count(Incident.self) == 0)
            #expect(try await app.count(TimelineEntry.self) == 0)
            #expect(try await app.count(IncidentEvidence.self) == 0)
            #expect(try await app.count(StoredFile.self) == 0)
            #expect(try await Obligation.query(on: app.db).filter(\.$subjectKind == "incident").count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "incident.report").count() == 0)
        }
    }

    @Test func theDraftKeepsWhatWasTypedAndTheFormShowsItAgain() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let (cookie, csrf) = try await Make.session(app, for: cast.user("officer"))
            for title in ["Website bị thay", "Website bị thay đổi giao diện"] {
                let res = try await IncidentFixture.send(app, .POST, "/incidents/draft", headers: cookie, form: [
                    ("_csrf", csrf), ("title", title), ("description", "Trang chủ hiện khẩu hiệu lạ"), ("contactPhone", "0987 654 321"),
                    ("categoryCode", "defacement"),
                ])
                #expect(res.status == .noContent, "\(res.body.string)")
            }
            #expect(try await app.count(IncidentDraft.self) == 1)
            try await app.testing().test(.GET, "/incidents/new", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Website bị thay đổi giao diện"))
                #expect(res.body.string.contains("Trang chủ hiện khẩu hiệu lạ"))
                #expect(res.body.string.contains("0987 654 321"))
                #expect(res.element(id: "draft-status")?.isEmpty == false)
            }
            // Nobody else sees it.
            let (otherCookie, _) = try await Make.session(app, for: cast.user("officerOther"))
            try await app.testing().test(.GET, "/incidents/new", headers: otherCookie) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("Website bị thay đổi giao diện"))
            }
        }
    }

    // MARK: Triage, phases and closing

    @Test func aCoordinatorTriagesSetsSeverityTLPAndConfirmsSeriousnessWhichStartsTheEscalationClock() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let incident = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system))
            let id = incident.id
            #expect(try await Self.clocks(app, id, headers: cast["coordinator"])["SERIOUS_ESCALATION"]?.applies == false)
            #expect(try await Self.obligations(app, id)["SERIOUS_ESCALATION"]?.state == .notApplicable)
            // Only coordinators triage.
            try await IncidentFixture.triage(app, id, headers: cast["officer"], expect: .forbidden)
            try await IncidentFixture.triage(app, id, headers: cast["responder"], expect: .forbidden)
            let bad = try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["severity": "apocalyptic", "serious": "perhaps"],
                                                       expect: .unprocessableEntity)
            #expect(Set(try JSONBody.error(bad).fields.keys) == ["severity", "serious"])
            // Not confirmed yet: no escalation clock.
            let accepted = try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["severity": "medium"])
            let first = try accepted.content.decode(IncidentDTO.self)
            #expect(first.phase == "triaged")
            #expect(first.severity == "medium")
            #expect(first.seriousConfirmed == nil)
            #expect(first.version == 2)
            #expect(try await Self.obligations(app, id)["SERIOUS_ESCALATION"]?.state == .notApplicable)
            let confirmed = try await IncidentFixture.triage(app, id, headers: cast["coordinator"],
                                                             ["severity": "critical", "serious": "yes", "tlp": "green", "note": "Đã xác minh với đơn vị"])
            let dto = try confirmed.content.decode(IncidentDTO.self)
            #expect(dto.severity == "critical")
            #expect(dto.seriousConfirmed == true)
            #expect(dto.tlp == "green")
            #expect(dto.version == 3)
            let stored = try await IncidentFixture.reload(app, id)
            #expect(stored.triagedAt != nil)
            #expect(stored.seriousConfirmedBy == cast.id("coordinator"))
            #expect(try await Self.clocks(app, id, headers: cast["coordinator"])["SERIOUS_ESCALATION"]?.applies == true)
            #expect(try await Self.obligations(app, id)["SERIOUS_ESCALATION"]?.state != .notApplicable)
            let kinds = try await Self.timelineKinds(app, id)
            for kind in ["reported", "triage", "severity", "serious", "note"] { #expect(kinds.contains(kind), "\(kind)") }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "incident.triage").count() == 2)
        }
    }

    @Test func twoTriagesFromTheSameVersionDoNotLoseAnEditOneWinsTheOtherGets409() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            // Both coordinators opened the case at version 1.
            try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["version": 1, "severity": "high"])
            let stale = try await IncidentFixture.triage(app, id, headers: cast["coordinator2"], ["version": 1, "severity": "low", "tlp": "green"],
                                                         expect: .conflict)
            #expect(try JSONBody.error(stale).code == "incident_changed")
            var stored = try await IncidentFixture.reload(app, id)
            #expect(stored.severityRaw == "high")
            #expect(stored.tlpRaw == "amber")
            // The second coordinator reloads and applies their change on top.
            try await IncidentFixture.triage(app, id, headers: cast["coordinator2"], ["severity": "high", "tlp": "green"])
            stored = try await IncidentFixture.reload(app, id)
            #expect(stored.severityRaw == "high")
            #expect(stored.tlpRaw == "green")
            // At the same moment: exactly one wins.
            let version = stored.version
            async let a = IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/triage", headers: cast["coordinator"],
                                               json: ["version": version, "severity": "critical"])
            async let b = IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/triage", headers: cast["coordinator2"],
                                               json: ["version": version, "severity": "low"])
            let statuses = try await [a.status.code, b.status.code].sorted()
            #expect(statuses == [200, 409])
            stored = try await IncidentFixture.reload(app, id)
            #expect(stored.version == version + 1)
            #expect(["critical", "low"].contains(stored.severityRaw ?? ""))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "incident.triage").count() == 3)
            // The page answers a stale form with 409 and the case page.
            let (cookie, csrf) = try await Make.session(app, for: cast.user("coordinator"))
            let page = try await IncidentFixture.send(app, .POST, "/incidents/\(id)/triage", headers: cookie,
                                                      form: [("_csrf", csrf), ("version", "1"), ("severity", "low")])
            #expect(page.status == .conflict)
            #expect(page.body.string.contains(stored.number))
        }
    }

    @Test func closingNeedsTheFinalReportOrARecordedReason() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let coordinator = cast["coordinator"]
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.triage(app, id, headers: coordinator)
            try await IncidentFixture.phase(app, id, headers: cast["officer"], "contained", extra: ["note": "Đã cô lập máy chủ"])
            // Going back is not a move; the officer cannot close.
            try await IncidentFixture.phase(app, id, headers: cast["officer"], "triaged", expect: .forbidden)
            let backwards = try await IncidentFixture.phase(app, id, headers: coordinator, "triaged", expect: .unprocessableEntity)
            #expect(Array(try JSONBody.error(backwards).fields.keys) == ["phase"])
            try await IncidentFixture.phase(app, id, headers: cast["officer"], "closed", expect: .forbidden)
            try await IncidentFixture.phase(app, id, headers: cast["officer"], "recovered")
            #expect(try await IncidentFixture.reload(app, id).responseCompletedAt != nil)
            let refused = try await IncidentFixture.phase(app, id, headers: coordinator, "closed", expect: .unprocessableEntity)
            #expect(Array(try JSONBody.error(refused).fields.keys) == ["overrideReason"])
            #expect(try await IncidentFixture.reload(app, id).phaseRaw == "recovered")
            let closed = try await IncidentFixture.phase(app, id, headers: coordinator, "closed",
                                                         extra: ["overrideReason": "Đơn vị đã gửi báo cáo trực tiếp cho Bộ"])
            #expect(try closed.content.decode(IncidentDTO.self).phase == "closed")
            let stored = try await IncidentFixture.reload(app, id)
            #expect(stored.closedAt != nil)
            #expect(stored.closeOverrideReason == "Đơn vị đã gửi báo cáo trực tiếp cho Bộ")
            let overrides = try await TimelineEntry.query(on: app.db).filter(\.$incidentId == id).filter(\.$kind == "close_override").all()
            #expect(overrides.map(\.body) == ["Đơn vị đã gửi báo cáo trực tiếp cho Bộ"])
            // A closed case does not take triage changes.
            try await IncidentFixture.triage(app, id, headers: coordinator, ["severity": "low"], expect: .conflict)

            // With the final report recorded as sent, the case closes without a reason and its clock is done.
            let other = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.triage(app, other, headers: coordinator)
            try await IncidentFixture.phase(app, other, headers: cast["officer"], "recovered")
            let missing = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(other)/reports", headers: cast["officer"],
                                                         json: ["kind": "FINAL_REPORT", "channel": "pigeon"])
            #expect(missing.status == .unprocessableEntity)
            #expect(Set(try JSONBody.error(missing).fields.keys) == ["sentAt", "recipients", "channel"])
            let recorded = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(other)/reports", headers: cast["officer"], json: [
                "kind": "FINAL_REPORT", "sentAt": IncidentFixture.iso(Date().addingTimeInterval(-60)),
                "recipients": "Sở Khoa học và Công nghệ", "channel": "email", "documentNumber": "12/BC-SYT",
            ])
            #expect(recorded.status == .created, "\(recorded.body.string)")
            let reports = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(other)/reports", headers: cast["officer"])
            #expect(try reports.content.decode([IncidentReportDTO].self).map(\.documentNumber) == ["12/BC-SYT"])
            #expect(try await Self.timelineKinds(app, other).contains("report_sent"))
            try await IncidentFixture.phase(app, other, headers: coordinator, "closed")
            #expect(try await IncidentFixture.reload(app, other).closeOverrideReason == nil)
            let final = try #require(try await Self.clocks(app, other, headers: coordinator)["FINAL_REPORT"])
            #expect(["done", "done_late"].contains(final.state), "\(final.state)")
            #expect(final.sentAt != nil)
            #expect(try await Self.obligations(app, other)["FINAL_REPORT"]?.state == .met)
        }
    }

    @Test func everyReportKindDownloadsAsADocxWithTheCaseNumberInVietnamese() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let incident = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system) {
                $0["personalData"] = true
            })
            let cookie = try await Make.session(app, for: cast.user("officer")).headers
            for kind in IncidentClockKind.allCases {
                var data = Data()
                try await app.testing().test(.GET, "/incidents/\(incident.id)/reports/\(kind.rawValue).docx", headers: cookie) { res in
                    #expect(res.status == .ok, "\(kind.rawValue): \(res.body.string.prefix(300))")
                    #expect(res.headers.contentType?.description == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                    #expect(res.headers.first(name: .contentDisposition)?.contains("\(incident.number)-\(kind.rawValue).docx") == true)
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    data = Data(res.body.readableBytesView)
                }
                let text = try IncidentFixture.docxText(data)
                #expect(text.contains(incident.number), "\(kind.rawValue)")
                #expect(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "\(kind.rawValue)")
                #expect(text.contains("Sở Y tế"), "\(kind.rawValue)")
            }
        }
    }

    // MARK: Merging

    @Test func mergingADuplicateClosesItCopiesItsObservablesAndNotesBothTimelines() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let target = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system))
            let duplicate = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system))
            try await IncidentFixture.observable(app, target.id, headers: cast["officer"], type: "ipv4", value: "203.0.113.7")
            try await IncidentFixture.observable(app, duplicate.id, headers: cast["officer"], type: "ipv4", value: "203.0.113.7")
            try await IncidentFixture.observable(app, duplicate.id, headers: cast["officer"], type: "domain", value: "evil.example")
            let (cookie, csrf) = try await Make.session(app, for: cast.user("coordinator"))
            let version = try await IncidentFixture.version(app, duplicate.id)
            for into in [duplicate.number, "SC-1999-9999", ""] {
                let res = try await IncidentFixture.send(app, .POST, "/incidents/\(duplicate.id)/merge", headers: cookie,
                                                         form: [("_csrf", csrf), ("version", String(version)), ("into", into)])
                #expect(res.status == .unprocessableEntity, "\(into)")
            }
            let res = try await IncidentFixture.send(app, .POST, "/incidents/\(duplicate.id)/merge", headers: cookie,
                                                     form: [("_csrf", csrf), ("version", String(version)), ("into", target.number.lowercased())])
            #expect(res.status == .seeOther, "\(res.body.string)")
            let merged = try await IncidentFixture.reload(app, duplicate.id)
            #expect(merged.phaseRaw == "closed")
            #expect(merged.resolutionRaw == "duplicate")
            #expect(merged.mergedIntoId == target.id)
            let values = try await IncidentObservable.query(on: app.db).filter(\.$incidentId == target.id).all().map(\.value).sorted()
            #expect(values == ["203.0.113.7", "evil.example"])
            #expect(try await Self.timelineKinds(app, duplicate.id).contains("merged"))
            #expect(try await Self.timelineKinds(app, target.id).contains("merged"))
            #expect(try await IncidentFixture.reload(app, target.id).phaseRaw == "detected")
            // A duplicate owes no final report.
            #expect(try await Self.obligations(app, duplicate.id)["FINAL_REPORT"]?.state == .notApplicable)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "incident.merge").count() == 1)
        }
    }

    // MARK: Observables

    @Test func observablesAreNormalisedAndWrongShapesOrDuplicatesAreRefused() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let hash = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
            let added = try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "sha256", value: hash)
            #expect(try added.content.decode(ObservableDTO.self).value == hash.lowercased())
            let domain = try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "domain", value: "Evil.Example.")
            #expect(try domain.content.decode(ObservableDTO.self).value == "evil.example")
            let v6 = try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "ipv6", value: "2001:0DB8:0000:0000:0000:0000:0000:0001")
            #expect(try v6.content.decode(ObservableDTO.self).value == "2001:db8::1")
            for (type, value) in [("ipv4", "300.1.2.3"), ("sha256", "abc123"), ("url", "javascript:alert(1)"), ("email", "not-an-address"),
                                  ("md5", String(repeating: "z", count: 32))] {
                let res = try await IncidentFixture.observable(app, id, headers: cast["officer"], type: type, value: value, expect: .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["value"], "\(type) \(value)")
                #expect(error.fields["value"]?.isEmpty == false)
            }
            let unknown = try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "telepathy", value: "x",
                                                               expect: .unprocessableEntity)
            #expect(Array(try JSONBody.error(unknown).fields.keys) == ["type"])
            // The same value in another spelling is a duplicate.
            let again = try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "sha256", value: hash.lowercased(),
                                                             expect: .unprocessableEntity)
            #expect(Array(try JSONBody.error(again).fields.keys) == ["value"])
            #expect(try await IncidentObservable.query(on: app.db).filter(\.$incidentId == id).count() == 3)
        }
    }

    @Test func sightingsCountOtherCasesOnlyWhenTheReaderCanReadThem() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let first = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let second = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let foreign = try await IncidentFixture.report(app, headers: cast["officerOther"], IncidentFixture.body(system: cast.otherSystem)).id
            for id in [first, second] {
                try await IncidentFixture.observable(app, id, headers: cast["officer"], type: "ipv4", value: "198.51.100.23")
            }
            try await IncidentFixture.observable(app, foreign, headers: cast["officerOther"], type: "ipv4", value: "198.51.100.23")
            func sightings(_ id: UUID, _ who: String) async throws -> [Int] {
                let res = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/observables", headers: cast[who])
                #expect(res.status == .ok)
                return try res.content.decode([ObservableDTO].self).map(\.sightings)
            }
            // The officer of the owning agency sees the other case of their agency, not the foreign one.
            #expect(try await sightings(first, "officer") == [1])
            // The officer of the other agency does not learn of agency A's cases.
            #expect(try await sightings(foreign, "officerOther") == [0])
            // The coordinator reads all three.
            #expect(try await sightings(first, "coordinator") == [2])
            #expect(try await sightings(foreign, "coordinator") == [2])
            // The case page shows the same.
            let cookie = try await Make.session(app, for: cast.user("officerOther")).headers
            try await app.testing().test(.GET, "/incidents/\(foreign)", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("SC-\(Self.year)-0001"))
                #expect(!res.body.string.contains("SC-\(Self.year)-0002"))
            }
        }
    }

    // MARK: Tasks

    @Test func tasksComeFromTheMatchingScenarioAndCompleteOnlyWithTheCurrentVersion() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system, category: "ransomware")).id
            let res = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/tasks", headers: cast["officer"], json: ["fromScenario": true])
            #expect(res.status == .created, "\(res.body.string)")
            let tasks = try res.content.decode([TaskDTO].self)
            #expect(!tasks.isEmpty)
            #expect(tasks.allSatisfy { $0.source?.hasPrefix("template:ransomware:") == true }, "\(tasks.map(\.source))")
            #expect(tasks.allSatisfy { $0.subjectKind == "incident" && $0.subjectId == id })
            // Taking the scenario again adds nothing more.
            let again = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/tasks", headers: cast["officer"], json: ["fromScenario": true])
            #expect(again.status == .unprocessableEntity)
            // A task by hand, then completion with the right version and a stale one.
            let manual = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/tasks", headers: cast["officer"],
                                                        json: ["title": "Thu thập nhật ký tường lửa", "phase": "containment"])
            #expect(manual.status == .created, "\(manual.body.string)")
            let task = try #require(try manual.content.decode([TaskDTO].self).first { $0.title == "Thu thập nhật ký tường lửa" })
            let done = try await IncidentFixture.send(app, .PATCH, "/api/v1/incidents/\(id)/tasks/\(task.id)", headers: cast["officer"],
                                                      json: ["version": task.version, "action": "complete"])
            #expect(done.status == .ok, "\(done.body.string)")
            let completed = try done.content.decode(TaskDTO.self)
            #expect(completed.doneAt != nil)
            #expect(completed.version == task.version + 1)
            let stale = try await IncidentFixture.send(app, .PATCH, "/api/v1/incidents/\(id)/tasks/\(task.id)", headers: cast["officer"],
                                                       json: ["version": task.version, "action": "reopen"])
            #expect(stale.status == .conflict, "\(stale.body.string)")
            let reloaded = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/tasks", headers: cast["officer"])
            #expect(try reloaded.content.decode([TaskDTO].self).first { $0.id == task.id }?.doneAt != nil)
            // A task of another case is not reachable through this one.
            let otherCase = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let wrong = try await IncidentFixture.send(app, .PATCH, "/api/v1/incidents/\(otherCase)/tasks/\(task.id)", headers: cast["officer"],
                                                       json: ["version": completed.version, "action": "reopen"])
            #expect(wrong.status == .notFound)
        }
    }

    // MARK: STIX and MISP

    @Test func stixAndMispExportsCarryTheObservablesAndImportIntoAnotherCase() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let source = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let values = [("ipv4", "203.0.113.9"), ("domain", "c2.evil.example"), ("url", "https://c2.evil.example/gate.php"),
                          ("sha256", String(repeating: "ab", count: 32))]
            for (type, value) in values { try await IncidentFixture.observable(app, source, headers: cast["officer"], type: type, value: value) }
            for (path, format) in [("observables.stix.json", "stix"), ("observables.misp.json", "misp")] {
                let res = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(source)/\(path)", headers: cast["officer"])
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(res.headers.first(name: .contentDisposition)?.contains("attachment") == true)
                let data = Data(res.body.readableBytesView)
                // The test script validates what the application exports with stix2-validator and pymisp.
                if let dir = ProcessInfo.processInfo.environment["UNGCUU_EXCHANGE_OUT"], !dir.isEmpty {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    try data.write(to: URL(fileURLWithPath: dir).appendingPathComponent("app-case.\(format).json"))
                }
                let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                if format == "stix" { #expect(json["type"] as? String == "bundle") } else { #expect(json["Event"] != nil) }
                for (_, value) in values { #expect(res.body.string.contains(value), "\(format) \(value)") }
                // Imported into a fresh case, every observable arrives.
                let target = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
                let imported = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(target)/observables/import",
                                                                   headers: cast["officer"]) { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: data)
                }
                #expect(imported.status == .created, "\(format): \(imported.body.string)")
                let rows = try await IncidentObservable.query(on: app.db).filter(\.$incidentId == target).all()
                #expect(Set(rows.map(\.value)) == Set(values.map(\.1)), "\(format)")
                #expect(try await Self.timelineKinds(app, target).contains("imported"))
            }
            // The page form takes a file.
            let (cookie, csrf) = try await Make.session(app, for: cast.user("officer"))
            let stix = try await IncidentFixture.send(app, .GET, "/incidents/\(source)/observables.stix.json", headers: cookie)
            #expect(stix.status == .ok)
            let target = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let upload = try await app.testing().sendRequest(.POST, "/incidents/\(target)/observables/import", headers: cookie) { req in
                FormBody.multipart(&req, [("_csrf", csrf)], files: [.init(field: "file", filename: "bundle.json", contentType: "application/json",
                                                                           bytes: Array(stix.body.readableBytesView))])
            }
            #expect(upload.status == .seeOther, "\(upload.body.string.prefix(500))")
            #expect(try await IncidentObservable.query(on: app.db).filter(\.$incidentId == target).count() == values.count)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "incident.export").count() == 3)
        }
    }

    @Test func aMalformedOrNonBundleImportImportsNothingAndSaysWhere() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let bodies = [
                #"{"type": "bundle", "id": "bundle--1", "objects": [ {"type": "ipv4-addr", "#,  // cut off
                #"{"type": "identity", "id": "identity--9f3c", "name": "not a bundle"}"#,
                #"[1, 2, 3]"#,
                // A valid bundle with one bad value imports none of its values.
                """
                {"type": "bundle", "id": "bundle--5f8d0a52-6d7e-4a6c-9b84-1b2c3d4e5f60", "objects": [
                  {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--0f4b8e38-1111-5d6a-9c1e-2a3b4c5d6e7f", "value": "198.51.100.1"},
                  {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--0f4b8e38-2222-5d6a-9c1e-2a3b4c5d6e7f", "value": "999.1.1.1"}
                ]}
                """,
            ]
            for body in bodies {
                let res = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(id)/observables/import", headers: cast["officer"]) { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: body)
                }
                #expect(res.status == .unprocessableEntity, "\(body.prefix(60)): \(res.body.string)")
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["body"], "\(error.fields)")
                #expect(error.fields["body"]?.isEmpty == false)
            }
            let empty = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(id)/observables/import", headers: cast["officer"]) { req in
                req.headers.contentType = .json
            }
            #expect(empty.status == .unprocessableEntity)
            #expect(try await IncidentObservable.query(on: app.db).filter(\.$incidentId == id).count() == 0)
            #expect(try await Self.timelineKinds(app, id) == ["reported"])
        }
    }

    // MARK: Evidence and the timeline

    @Test func evidenceDownloadsAsAnAttachmentAndEveryViewAndDownloadIsInTheChainOfCustody() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let bytes = IncidentFixture.pdf("bang-chung")
            let evidence = try await IncidentFixture.evidence(app, id, headers: cast["responder"], name: "bằng chứng <1>.pdf", bytes: bytes)
            #expect(evidence.sha256 == Self.sha256(bytes))
            #expect(evidence.size == Int64(bytes.count))
            // A malware sample or a phishing page is evidence too: kept as opaque bytes, only ever downloaded.
            let exe = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(id)/evidence", headers: cast["responder"]) { req in
                FormBody.multipart(&req, [], files: [.init(filename: "tool.exe", bytes: Fixture.mz),
                                                     .init(filename: "trang-gia.html", bytes: Array("<script>alert(1)</script>".utf8))])
            }
            #expect(exe.status == .created, "\(exe.body.string)")
            let samples = try exe.content.decode([EvidenceDTO].self)
            #expect(samples.map(\.contentType) == ["application/octet-stream", "application/octet-stream"])
            for sample in samples {
                let res = try await IncidentFixture.send(app, .GET, sample.downloadPath, headers: cast["officer"])
                #expect(res.headers.first(name: .contentType) == "application/octet-stream")
                #expect(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                #expect(res.headers.first(name: "Content-Security-Policy")?.contains("sandbox") == true)
            }
            let empty = try await app.testing().sendRequest(.POST, "/api/v1/incidents/\(id)/evidence", headers: cast["responder"]) { req in
                FormBody.multipart(&req, [], files: [.init(filename: "rong.bin", bytes: [])])
            }
            #expect(empty.status == .unprocessableEntity)
            let list = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)/evidence", headers: cast["officer"])
            #expect(try list.content.decode([EvidenceDTO].self).map(\.id) == [evidence.id] + samples.map(\.id))
            let download = try await IncidentFixture.send(app, .GET, evidence.downloadPath, headers: cast["officer"])
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == bytes)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let cookie = try await Make.session(app, for: cast.user("coordinator")).headers
            let page = try await IncidentFixture.send(app, .GET, "/incidents/\(id)/evidence/\(evidence.id)", headers: cookie)
            #expect(page.status == .ok)
            #expect(page.body.string.contains(evidence.sha256))
            let pageDownload = try await IncidentFixture.send(app, .GET, "/incidents/\(id)/evidence/\(evidence.id)/download", headers: cookie)
            #expect(pageDownload.status == .ok)
            #expect(pageDownload.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(pageDownload.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let custody = try await CustodyEntry.query(on: app.db).filter(\.$evidenceId == evidence.id).sort(\.$at).all()
            #expect(custody.map(\.action) == ["uploaded", "downloaded", "viewed", "downloaded"])
            #expect(custody.map(\.actorId) == [cast.id("responder"), cast.id("officer"), cast.id("coordinator"), cast.id("coordinator")])
            // An evidence id of another case is not found through this one.
            let otherCase = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let wrong = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(otherCase)/evidence/\(evidence.id)", headers: cast["officer"])
            #expect(wrong.status == .notFound)
        }
    }

    @Test func theTimelineAndTheChainOfCustodyRefuseUpdateAndDeleteInTheDatabase() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            _ = try await IncidentFixture.evidence(app, id, headers: cast["officer"], name: "log.pdf", bytes: IncidentFixture.pdf("log"))
            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE incident_timeline SET body = 'sửa' WHERE incident_id = \(bind: id)").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM incident_timeline WHERE incident_id = \(bind: id)").run()
            }
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE evidence_custody SET action = 'none'").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM evidence_custody").run() }
            let entries = try await TimelineEntry.query(on: app.db).filter(\.$incidentId == id).all()
            #expect(entries.first { $0.kind == "reported" }?.body.hasPrefix("timeline.reported") == true)
            #expect(entries.count == 2)
            #expect(try await app.count(CustodyEntry.self) == 1)
        }
    }

    // MARK: Facts learnt later, versions, who leaves "detected"

    @Test func factsLearntAtTriageStartTheirClocks() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let body = IncidentFixture.body(system: cast.system) { $0["personalData"] = false; $0["beyondCapability"] = false }
            let id = try await IncidentFixture.report(app, headers: cast["officer"], body).id
            #expect(try await Self.clocks(app, id, headers: cast["coordinator"])["PDP_BREACH_NOTICE"]?.applies == false)
            try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["severity": "high", "personalData": true, "beyondCapability": true])
            let clocks = try await Self.clocks(app, id, headers: cast["coordinator"])
            #expect(clocks["PDP_BREACH_NOTICE"]?.applies == true)
            #expect(clocks["INITIAL_REPORT"]?.applies == true)
            #expect(try await Self.timelineKinds(app, id).contains("edited"))
            let dto = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)", headers: cast["officer"]).content.decode(IncidentDTO.self)
            #expect(dto.personalData && dto.beyondCapability)
            // A field the API leaves out keeps its value.
            try await IncidentFixture.triage(app, id, headers: cast["coordinator"], ["severity": "high", "stateSecret": true])
            let again = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(id)", headers: cast["officer"]).content.decode(IncidentDTO.self)
            #expect(again.personalData && again.stateSecret)
        }
    }

    @Test func changesOfTheCaseThroughTheAPINeedItsVersion() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            let bare = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/triage", headers: cast["coordinator"], json: ["severity": "low"])
            #expect(bare.status == .preconditionRequired)
            #expect(bare.body.string.contains("version_required"))
            var headers = cast["coordinator"]
            headers.replaceOrAdd(name: .ifMatch, value: "\"\(try await IncidentFixture.version(app, id))\"")
            let matched = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/triage", headers: headers, json: ["severity": "low"])
            #expect(matched.status == .ok, "\(matched.body.string)")
            let stale = try await IncidentFixture.send(app, .POST, "/api/v1/incidents/\(id)/triage", headers: headers, json: ["severity": "high"])
            #expect(stale.status == .conflict)
        }
    }

    @Test func onlyACoordinatorMovesAReportOutOfDetectedAndDuplicatesCloseWithoutAReason() async throws {
        try await withTestApp { app in
            let cast = try await IncidentCast.make(app)
            let id = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.phase(app, id, headers: cast["officer"], "contained", expect: .forbidden)
            try await IncidentFixture.triage(app, id, headers: cast["coordinator"])
            try await IncidentFixture.phase(app, id, headers: cast["officer"], "contained")
            let other = try await IncidentFixture.report(app, headers: cast["officer"], IncidentFixture.body(system: cast.system)).id
            try await IncidentFixture.phase(app, other, headers: cast["coordinator"], "closed", extra: ["resolution": "duplicate"])
            let closed = try await IncidentFixture.send(app, .GET, "/api/v1/incidents/\(other)", headers: cast["coordinator"]).content.decode(IncidentDTO.self)
            #expect(closed.phase == "closed" && closed.resolution == "duplicate")
        }
    }
}
