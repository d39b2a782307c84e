import Domain
import Fluent
import Formats
import Foundation
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// Scans and hunts with their 6-monthly duties, the province overview and the half-year report (issue 5, item 1).
@Suite struct ProactiveAssessmentsTests {
    struct World {
        let agency: Agency
        let other: Agency
        let system: InformationSystem
        let otherSystem: InformationSystem
        let coordinator: HTTPHeaders
        let officer: HTTPHeaders
        let otherOfficer: HTTPHeaders
        let leader: HTTPHeaders
        let police: HTTPHeaders
        let officerSession: (headers: HTTPHeaders, csrf: String)
        let policeSession: (headers: HTTPHeaders, csrf: String)
        let coordinatorSession: (headers: HTTPHeaders, csrf: String)
    }

    static func world(_ app: Application) async throws -> World {
        let province = try await Make.agency(app, code: "UBND-T", name: "Ủy ban nhân dân tỉnh Thử", kind: .provincialCommittee)
        let agency = try await Make.agency(app, code: "SYT-T", name: "Sở Y tế Thử", parent: province)
        let other = try await Make.agency(app, code: "STC-T", name: "Sở Tài chính Khác", parent: province)
        let police = try await Make.agency(app, code: "CA-T", name: "Công an tỉnh Thử", kind: .provincialPolice, parent: province)
        let system = try await Make.system(app, agency: agency, code: "SYT-HIS", name: "Hệ thống thông tin bệnh viện")
        let otherSystem = try await Make.system(app, agency: other, code: "STC-NS", name: "Hệ thống quản lý ngân sách bí mật")
        let coordinator = try await Make.user(app, role: .coordinator)
        let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
        let otherOfficer = try await Make.user(app, role: .agencyOfficer, agency: other)
        let leader = try await Make.user(app, role: .leader, agency: province)
        let policeUser = try await Make.user(app, role: .police, agency: police)
        return World(agency: agency, other: other, system: system, otherSystem: otherSystem,
                     coordinator: try await Make.token(app, for: coordinator), officer: try await Make.token(app, for: officer),
                     otherOfficer: try await Make.token(app, for: otherOfficer), leader: try await Make.token(app, for: leader),
                     police: try await Make.token(app, for: policeUser), officerSession: try await Make.session(app, for: officer),
                     policeSession: try await Make.session(app, for: policeUser), coordinatorSession: try await Make.session(app, for: coordinator))
    }

    static func duty(_ app: Application, _ duty: ProactiveDuty, _ system: InformationSystem) async throws -> Obligation? {
        try await Obligation.query(on: app.db).filter(\.$dutyId == duty.rawValue).filter(\.$subjectId == system.id!).first()
    }

    /// yyyy-MM-dd of `months` calendar months and `days` days before today (Vietnam time).
    static func day(monthsAgo months: Int, daysAgo days: Int = 0) -> String {
        let calendar = ObligationCalendar.calendar
        let date = calendar.date(byAdding: .day, value: -days, to: calendar.date(byAdding: .month, value: -months, to: Date())!)!
        return DisplayTime.isoDay(date)
    }

    static func body(_ system: InformationSystem, kind: String = "vuln_scan", state: String = "completed", started: String, finished: String?,
                     extra: [String: Any] = [:]) -> [String: Any] {
        var b: [String: Any] = ["systemId": system.id!.uuidString, "kind": kind, "state": state, "performerKind": "in_house",
                                "performer": "Trung tâm Công nghệ thông tin", "startedAt": started, "tool": "OpenVAS 22.4",
                                "scope": "10.0.0.0/24", "summary": "Phát hiện 3 lỗ hổng mức trung bình.", "findingsCount": 3]
        if let finished { b["finishedAt"] = finished }
        return b.merging(extra) { _, new in new }
    }

    @discardableResult
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, _ headers: HTTPHeaders, _ body: [String: Any]? = nil,
                     expect status: HTTPStatus, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var out: [String: Any] = [:]
        try await app.testing().test(method, path, headers: headers, beforeRequest: { req in if let body { JSONBody.set(&req, body) } }) { res in
            #expect(res.status == status, "\(method) \(path): \(res.body.string)", sourceLocation: sourceLocation)
            out = (try? JSONBody.object(res)) ?? [:]
        }
        return out
    }

    /// A field error as the API says it (in Vietnamese, the default language).
    static func msg(_ key: String) -> String { Localizer(lang: .vi)(key) }

    static func fields(_ response: [String: Any]) -> [String: String] {
        (response["error"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
    }

    // MARK: duties

    @Test func recordingACompletedScanMeetsTheScanDutyButNotTheHuntDuty() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            // Live since 2024 and never scanned or hunted: both duties are overdue, and the overview says "never".
            #expect(try await Self.duty(app, .scanOverdue, w.system)?.state == .overdue)
            #expect(try await Self.duty(app, .huntOverdue, w.system)?.state == .overdue)
            // A failed scan does not count.
            try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                Self.body(w.system, state: "failed", started: Self.day(monthsAgo: 0, daysAgo: 3), finished: nil), expect: .created)
            #expect(try await Self.duty(app, .scanOverdue, w.system)?.state == .overdue)
            let created = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                              Self.body(w.system, started: Self.day(monthsAgo: 0, daysAgo: 2), finished: Self.day(monthsAgo: 0, daysAgo: 1)),
                                              expect: .created)
            #expect(created["version"] as? Int == 1)
            #expect(created["source"] as? String == "manual")
            let scan = try #require(try await Self.duty(app, .scanOverdue, w.system))
            #expect(scan.state == .met)
            #expect(scan.evidence == DisplayTime.date(DisplayTime.parseDay(Self.day(monthsAgo: 0, daysAgo: 1))!))
            #expect(try await Self.duty(app, .huntOverdue, w.system)?.state == .overdue)
            // The hunt is recorded on its own and meets its own duty.
            try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                Self.body(w.system, kind: "threat_hunt", started: Self.day(monthsAgo: 0, daysAgo: 5), finished: Self.day(monthsAgo: 0, daysAgo: 4),
                                          extra: ["method": "log_analysis"]), expect: .created)
            #expect(try await Self.duty(app, .huntOverdue, w.system)?.state == .met)
            // The change is audited with the duty refreshed in the same transaction.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "proactive.assessment.create").count() == 3)
        }
    }

    @Test func aSystemLastScannedSevenMonthsAgoIsOverdueAndFiveAndAHalfMonthsAgoIsDueSoon() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let second = try await Make.system(app, agency: w.agency, code: "SYT-CTT", name: "Cổng thông tin Sở Y tế")
            try await Self.send(app, .POST, "/api/v1/assessments", w.coordinator,
                                Self.body(w.system, started: Self.day(monthsAgo: 7, daysAgo: 2), finished: Self.day(monthsAgo: 7)), expect: .created)
            try await Self.send(app, .POST, "/api/v1/assessments", w.coordinator,
                                Self.body(second, started: Self.day(monthsAgo: 5, daysAgo: 17), finished: Self.day(monthsAgo: 5, daysAgo: 15)), expect: .created)
            let overdue = try #require(try await Self.duty(app, .scanOverdue, w.system))
            #expect(overdue.state == .overdue)
            #expect(overdue.explanationVi.contains("quá hạn"))
            #expect(try await Self.duty(app, .scanOverdue, second)?.state == .dueSoon)
            // Hunts count separately: a hunt 7 months ago on the system scanned 5.5 months ago is overdue, its scan stays due soon.
            try await Self.send(app, .POST, "/api/v1/assessments", w.coordinator,
                                Self.body(second, kind: "threat_hunt", started: Self.day(monthsAgo: 7, daysAgo: 1), finished: Self.day(monthsAgo: 7)),
                                expect: .created)
            #expect(try await Self.duty(app, .huntOverdue, second)?.state == .overdue)
            #expect(try await Self.duty(app, .scanOverdue, second)?.state == .dueSoon)
            // A fresh hunt 5.5 months ago makes the hunt due soon too; the latest completed one counts.
            try await Self.send(app, .POST, "/api/v1/assessments", w.coordinator,
                                Self.body(second, kind: "threat_hunt", started: Self.day(monthsAgo: 5, daysAgo: 16), finished: Self.day(monthsAgo: 5, daysAgo: 15)),
                                expect: .created)
            #expect(try await Self.duty(app, .huntOverdue, second)?.state == .dueSoon)
            // The hourly refresh of everything gives the same states.
            let rules = app.rules
            try await app.write { db in try await ObligationRefresher.refresh(systemIds: nil, rules: rules, on: db) }
            #expect(try await Self.duty(app, .scanOverdue, w.system)?.state == .overdue)
            #expect(try await Self.duty(app, .huntOverdue, second)?.state == .dueSoon)
            // The overview shows both and filters the overdue ones.
            try await app.testing().test(.GET, "/proactive?state=overdue", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("Hệ thống thông tin bệnh viện")) // scan overdue
                #expect(!html.contains("Cổng thông tin Sở Y tế")) // both due soon, nothing overdue
            }
            try await app.testing().test(.GET, "/proactive", headers: w.coordinatorSession.headers) { res in
                #expect(res.body.string.contains("Cổng thông tin Sở Y tế"))
                #expect(res.body.string.contains("id=\"proactive-chart\""))
            }
        }
    }

    @Test func editingAScanChangesItsDutyAndNeedsTheVersion() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let created = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                              Self.body(w.system, started: Self.day(monthsAgo: 0, daysAgo: 3), finished: Self.day(monthsAgo: 0, daysAgo: 2)),
                                              expect: .created)
            let id = try #require(created["id"] as? String)
            #expect(try await Self.duty(app, .scanOverdue, w.system)?.state == .met)
            // Without a version: 428; with the right one: saved, version 2; with the stale one again: 409.
            try await Self.send(app, .PATCH, "/api/v1/assessments/\(id)", w.officer, ["summary": "Đã sửa"], expect: .preconditionRequired)
            let changed = try await Self.send(app, .PATCH, "/api/v1/assessments/\(id)", w.officer,
                                              ["version": 1, "state": "cancelled", "finishedAt": ""], expect: .ok)
            #expect(changed["version"] as? Int == 2)
            #expect(changed["state"] as? String == "cancelled")
            #expect(changed["tool"] as? String == "OpenVAS 22.4") // fields left out keep their values
            #expect(try await Self.duty(app, .scanOverdue, w.system)?.state == .overdue) // a cancelled scan counts for nothing
            let stale = try await Self.send(app, .PATCH, "/api/v1/assessments/\(id)", w.officer, ["version": 1, "summary": "Ghi đè"], expect: .conflict)
            #expect((stale["error"] as? [String: Any])?["code"] as? String == "assessment_changed")
            // If-Match works as the version too.
            var headers = w.officer
            headers.replaceOrAdd(name: .ifMatch, value: "\"2\"")
            try await Self.send(app, .PATCH, "/api/v1/assessments/\(id)", headers, ["state": "completed", "finishedAt": Self.day(monthsAgo: 0, daysAgo: 1)],
                                expect: .ok)
            #expect(try await Self.duty(app, .scanOverdue, w.system)?.state == .met)
            // The system stays the same.
            let moved = try await Self.send(app, .PATCH, "/api/v1/assessments/\(id)", w.officer, ["version": 3, "systemId": w.otherSystem.id!.uuidString],
                                            expect: .unprocessableEntity)
            #expect(Self.fields(moved)["systemId"] == Self.msg("proactive.systemFixed"))
            // Page edit with the stale version shows the form again with 409.
            try await app.testing().test(.POST, "/proactive/assessments/\(id)/edit", headers: w.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", w.officerSession.csrf), ("version", "1"), ("kind", "vuln_scan"), ("state", "completed"),
                                          ("performerKind", "outsourced"), ("performer", "Công ty An ninh mạng"), ("startedAt", Self.day(monthsAgo: 0, daysAgo: 3)),
                                          ("finishedAt", Self.day(monthsAgo: 0, daysAgo: 2))], files: [])
            }) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("form-errors"))
            }
            try await app.testing().test(.POST, "/proactive/assessments/\(id)/edit", headers: w.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", w.officerSession.csrf), ("version", "3"), ("kind", "vuln_scan"), ("state", "completed"),
                                          ("performerKind", "outsourced"), ("performer", "Công ty An ninh mạng"), ("startedAt", Self.day(monthsAgo: 0, daysAgo: 3)),
                                          ("finishedAt", Self.day(monthsAgo: 0, daysAgo: 2))],
                                   files: [.init(filename: "bao-cao-ra-quet.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
            }
            let fresh = try #require(try await ProactiveAssessment.find(UUID(uuidString: id), on: app.db))
            #expect(fresh.version == 4)
            #expect(fresh.performer == "Công ty An ninh mạng")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "proactive.assessment.update").count() == 3)
        }
    }

    @Test func badInputNamesEveryFieldAndWritesNothing() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let bad = try await Self.send(app, .POST, "/api/v1/assessments", w.officer, [
                "systemId": w.system.id!.uuidString, "kind": "pentest", "state": "running", "performerKind": "friend", "performer": "",
                "startedAt": "31/02/2026", "findingsCount": -1,
            ], expect: .unprocessableEntity)
            let f = Self.fields(bad)
            #expect(f["kind"] == Self.msg("validation.unknownValue"))
            #expect(f["state"] == Self.msg("validation.unknownValue"))
            #expect(f["performerKind"] == Self.msg("validation.unknownValue"))
            #expect(f["performer"] == Self.msg("validation.required"))
            #expect(f["startedAt"] == Self.msg("validation.invalidDate"))
            #expect(f["findingsCount"] == Self.msg("validation.outOfRange"))
            let order = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                            Self.body(w.system, started: Self.day(monthsAgo: 0, daysAgo: 1), finished: Self.day(monthsAgo: 0, daysAgo: 3),
                                                      extra: ["method": "log_analysis"]), expect: .unprocessableEntity)
            #expect(Self.fields(order)["finishedAt"] == Self.msg("proactive.finishedBeforeStart"))
            #expect(Self.fields(order)["method"] == Self.msg("proactive.methodKind"))
            let unfinished = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                                 Self.body(w.system, started: Self.day(monthsAgo: 0, daysAgo: 1), finished: nil), expect: .unprocessableEntity)
            #expect(Self.fields(unfinished)["finishedAt"] == Self.msg("validation.required"))
            let future = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                             Self.body(w.system, started: Self.day(monthsAgo: -1), finished: Self.day(monthsAgo: -1)), expect: .unprocessableEntity)
            #expect(Self.fields(future)["startedAt"] == Self.msg("validation.futureDate"))
            // An executable passed off as the report is refused, naming the file; nothing is written.
            try await app.testing().test(.POST, "/api/v1/assessments", headers: w.officer, beforeRequest: { req in
                FormBody.multipart(&req, [("systemId", w.system.id!.uuidString), ("kind", "vuln_scan"), ("state", "completed"), ("performerKind", "in_house"),
                                          ("performer", "Trung tâm CNTT"), ("startedAt", Self.day(monthsAgo: 0, daysAgo: 2)),
                                          ("finishedAt", Self.day(monthsAgo: 0, daysAgo: 1))],
                                   files: [.init(filename: "bao-cao.pdf", bytes: Fixture.mz)])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try JSONBody.error(res).fields
                #expect(fields["files"]?.contains("bao-cao.pdf") == true)
            }
            #expect(try await app.count(ProactiveAssessment.self) == 0)
            // The page form keeps what was typed and shows the errors.
            try await app.testing().test(.POST, "/proactive/assessments/new", headers: w.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", w.officerSession.csrf), ("systemId", w.system.id!.uuidString), ("kind", "vuln_scan"),
                                          ("state", "completed"), ("performerKind", "in_house"), ("performer", "Tổ kỹ thuật Sở Y tế"),
                                          ("startedAt", Self.day(monthsAgo: 0, daysAgo: 2))], files: [])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("finishedAt-error"))
                #expect(res.body.string.contains("Tổ kỹ thuật Sở Y tế"))
            }
        }
    }

    // MARK: scope

    @Test func anOfficerNeverReachesAnotherAgencysSystemsOrAssessments() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let own = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                          Self.body(w.system, started: Self.day(monthsAgo: 1, daysAgo: 1), finished: Self.day(monthsAgo: 1)), expect: .created)
            let theirs = try await Self.send(app, .POST, "/api/v1/assessments", w.otherOfficer,
                                             Self.body(w.otherSystem, started: Self.day(monthsAgo: 2, daysAgo: 1), finished: Self.day(monthsAgo: 2),
                                                       extra: ["performer": "Nhà thầu bí mật XYZ"]), expect: .created)
            let theirsId = try #require(theirs["id"] as? String)
            // Recording for another agency's system reads as "no such system", never "not yours".
            let refused = try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                              Self.body(w.otherSystem, started: Self.day(monthsAgo: 0, daysAgo: 2), finished: Self.day(monthsAgo: 0, daysAgo: 1)),
                                              expect: .unprocessableEntity)
            #expect(Self.fields(refused)["systemId"] == Self.msg("proactive.unknownSystem"))
            try await Self.send(app, .GET, "/api/v1/assessments/\(theirsId)", w.officer, expect: .notFound)
            try await Self.send(app, .PATCH, "/api/v1/assessments/\(theirsId)", w.officer, ["version": 1, "summary": "x"], expect: .notFound)
            for path in ["/proactive/assessments/\(theirsId)", "/proactive/assessments/\(theirsId)/edit", "/proactive/assessments/new?systemId=\(w.otherSystem.id!)"] {
                try await app.testing().test(.GET, path, headers: w.officerSession.headers) { res in #expect(res.status == .notFound, "\(path)") }
            }
            let list = try await Self.send(app, .GET, "/api/v1/assessments", w.officer, expect: .ok)
            #expect(list["total"] as? Int == 1)
            #expect(((list["items"] as? [[String: Any]])?.first?["id"] as? String) == own["id"] as? String)
            let filtered = try await Self.send(app, .GET, "/api/v1/assessments?agencyId=\(w.other.id!)", w.officer, expect: .ok)
            #expect(filtered["total"] as? Int == 0)
            // The overview shows the officer's agency only, not even counts of the other one.
            try await app.testing().test(.GET, "/proactive", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("Hệ thống thông tin bệnh viện"))
                #expect(!html.contains("Sở Tài chính Khác"))
                #expect(!html.contains("Hệ thống quản lý ngân sách bí mật"))
                #expect(!html.contains("Nhà thầu bí mật XYZ"))
                #expect(res.statNumbers(section: "proactive-stats").first == 1)
            }
            try await app.testing().test(.GET, "/proactive?agencyId=\(w.other.id!)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("Hệ thống quản lý ngân sách bí mật"))
                #expect(res.statNumbers(section: "proactive-stats").first == 0)
            }
            let overview = try await Self.send(app, .GET, "/api/v1/proactive/overview", w.officer, expect: .ok)
            #expect((overview["summary"] as? [String: Any])?["systems"] as? Int == 1)
            #expect((overview["systems"] as? [[String: Any]])?.map { $0["code"] as? String } == ["SYT-HIS"])
            // The coordinator sees both; the leader reads but may not record; the police liaison sees none of it.
            let all = try await Self.send(app, .GET, "/api/v1/proactive/overview", w.coordinator, expect: .ok)
            #expect((all["summary"] as? [String: Any])?["systems"] as? Int == 2)
            try await Self.send(app, .GET, "/api/v1/assessments/\(theirsId)", w.leader, expect: .ok)
            try await Self.send(app, .POST, "/api/v1/assessments", w.leader,
                                Self.body(w.system, started: Self.day(monthsAgo: 0, daysAgo: 2), finished: Self.day(monthsAgo: 0, daysAgo: 1)), expect: .forbidden)
            try await Self.send(app, .GET, "/api/v1/assessments", w.police, expect: .forbidden)
            try await app.testing().test(.GET, "/proactive", headers: w.policeSession.headers) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/systems/\(w.system.id!)", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "proactive-scan")?.contains(DisplayTime.date(DisplayTime.parseDay(Self.day(monthsAgo: 1))!)) == true)
                #expect(res.body.string.contains("id=\"record-proactive\""))
            }
        }
    }

    @Test func reportFilesFollowTheAssessmentsScope() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            var fileURL = ""
            try await app.testing().test(.POST, "/api/v1/assessments", headers: w.officer, beforeRequest: { req in
                FormBody.multipart(&req, [("systemId", w.system.id!.uuidString), ("kind", "threat_hunt"), ("state", "completed"), ("performerKind", "authority"),
                                          ("performer", "Công an tỉnh Thử"), ("startedAt", Self.day(monthsAgo: 0, daysAgo: 4)),
                                          ("finishedAt", Self.day(monthsAgo: 0, daysAgo: 3)), ("method", "ioc_sweep"), ("findingsCount", "0")],
                                   files: [.init(filename: "bao-cao-san-lung.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .created, "\(res.body.string)")
                let files = try JSONBody.object(res)["files"] as? [[String: Any]]
                #expect(files?.count == 1)
                fileURL = files?.first?["url"] as? String ?? ""
            }
            #expect(try await Self.duty(app, .huntOverdue, w.system)?.state == .met)
            try await app.testing().test(.GET, fileURL, headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            }
            try await app.testing().test(.GET, fileURL, headers: w.coordinatorSession.headers) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, fileURL, headers: w.policeSession.headers) { res in #expect(res.status == .notFound) }
            let other = try await Make.session(app, for: try await Make.user(app, role: .agencyOfficer, agency: w.other))
            try await app.testing().test(.GET, fileURL, headers: other.headers) { res in #expect(res.status == .notFound) }
        }
    }

    // MARK: report

    static func zipText(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        var text = ""
        for entry in archive where entry.type == .file && entry.path.hasSuffix(".xml") {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            text += String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        }
        return text
    }

    @Test func halfYearReportDownloadsAsDocxAndXlsxWithTheReadersSystems() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            try await Self.send(app, .POST, "/api/v1/assessments", w.officer,
                                Self.body(w.system, started: Self.day(monthsAgo: 0, daysAgo: 2), finished: Self.day(monthsAgo: 0, daysAgo: 1)), expect: .created)
            // A warning of the authorities affecting both systems, as the Warnings feature stores it.
            let warning = AuthorityWarning()
            warning.issuer = "Cục An toàn thông tin"
            warning.number = "123/CATTT-NCSC"
            warning.issuedOn = Date().addingTimeInterval(-86_400)
            warning.title = "Cảnh báo lỗ hổng nghiêm trọng trong Apache HTTP Server"
            warning.products = "[]"
            warning.origin = "manual"
            warning.createdByName = "test"
            warning.version = 1
            try await warning.create(on: app.db)
            for (system, state) in [(w.system, "remediated"), (w.otherSystem, "affected")] {
                let row = WarningSystem()
                row.warningId = warning.id!
                row.systemId = system.id!
                row.agencyId = system.$agency.id
                row.origin = "matched"
                row.reasons = "[]"
                row.state = state
                if state == "remediated" { row.remediatedAt = Date() }
                row.matchedAt = Date()
                row.version = 1
                try await row.create(on: app.db)
            }
            let period = ProactiveReportPeriod.containing(Date())
            let query = "year=\(period.year)&half=\(period.half.rawValue)"
            try await app.testing().test(.GET, "/proactive/report.docx?\(query)", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description.contains("wordprocessingml") == true)
                #expect(res.headers.first(name: .contentDisposition)?.contains(".docx") == true)
                let text = try Self.zipText(Data(res.body.readableBytesView))
                #expect(text.contains("BÁO CÁO"))
                #expect(text.contains("rà quét lỗ hổng, săn lùng mối nguy hại"))
                #expect(text.contains(period.label(.vi)))
                #expect(text.contains("Hệ thống thông tin bệnh viện"))
                #expect(text.contains("Hệ thống quản lý ngân sách bí mật"))
                #expect(text.contains("Cảnh báo lỗ hổng nghiêm trọng trong Apache HTTP Server"))
                #expect(text.contains("Chỉ thị 18/CT-TTg"))
                // The drafted assessment names the late systems and the warning not yet remediated.
                #expect(text.contains("Còn 1 hệ thống quá hạn rà quét lỗ hổng: “Hệ thống quản lý ngân sách bí mật”."))
                #expect(text.contains("Còn 1 lượt hệ thống chưa khắc phục theo cảnh báo của cơ quan chức năng."))
            }
            try await app.testing().test(.GET, "/proactive/report.xlsx?\(query)", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description.contains("spreadsheetml") == true)
                let sheets = try XlsxReader.read(Data(res.body.readableBytesView))
                let cells = sheets.flatMap(\.rows).flatMap { $0 }
                #expect(cells.contains("Hệ thống thông tin bệnh viện"))
                #expect(cells.contains("Cảnh báo lỗ hổng nghiêm trọng trong Apache HTTP Server"))
            }
            // The officer's report is their agency's: nothing of the other agency, the warning counted for their system only.
            try await app.testing().test(.GET, "/proactive/report.docx?\(query)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                let text = try Self.zipText(Data(res.body.readableBytesView))
                #expect(text.contains("Sở Y tế Thử"))
                #expect(text.contains("Hệ thống thông tin bệnh viện"))
                #expect(!text.contains("Hệ thống quản lý ngân sách bí mật"))
                #expect(!text.contains("Sở Tài chính Khác"))
                #expect(text.contains("Cảnh báo lỗ hổng nghiêm trọng trong Apache HTTP Server"))
            }
            var workbook = Data()
            try await app.testing().test(.GET, "/proactive/report.xlsx?\(query)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                workbook = Data(res.body.readableBytesView)
            }
            let sheets = try XlsxReader.read(workbook)
            let warningRow = try #require(sheets.last?.rows.first { $0.contains("Cảnh báo lỗ hổng nghiêm trọng trong Apache HTTP Server") })
            #expect(Array(warningRow.suffix(3)) == ["1", "1", "0"])
            // A bad period names the parameter.
            try await app.testing().test(.GET, "/proactive/report.docx?year=2026&half=3", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.testing().test(.GET, "/proactive/report.docx?\(query)", headers: w.policeSession.headers) { res in #expect(res.status == .forbidden) }
        }
    }

    @Test func demoProvinceHasScansAndHuntsInEveryState() async throws {
        try await withTestApp { app in
            _ = try #require(try await DemoSeed.seedIfEmpty(app: app))
            #expect(try await app.count(ProactiveAssessment.self) >= 6)
            func state(_ code: String, _ duty: ProactiveDuty) async throws -> ObligationState? {
                let system = try #require(try await InformationSystem.query(on: app.db).filter(\.$code == code).first())
                return try await Self.duty(app, duty, system)?.state
            }
            #expect(try await state("SYT-HSSK", .scanOverdue) == .met)
            #expect(try await state("SYT-HSSK", .huntOverdue) == .dueSoon)
            #expect(try await state("SYT-CTT", .scanOverdue) == .overdue)
            #expect(try await state("SYT-CTT", .huntOverdue) == .overdue)
            #expect(try await state("VP-QLVB", .scanOverdue) == .overdue)
            #expect(try await state("TTDL-LS", .huntOverdue) == .met)
        }
    }
}
