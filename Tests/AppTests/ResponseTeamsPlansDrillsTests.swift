import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// Response teams, plans and drills (issue 4, items 1–3) on a real app.
@Suite struct ResponseTeamsPlansDrillsTests {
    struct World {
        let province: Agency
        let agency: Agency
        let otherAgency: Agency
        let coordinator: HTTPHeaders
        let officer: HTTPHeaders
        let otherOfficer: HTTPHeaders
        let officerUser: User
        let officerSession: (headers: HTTPHeaders, csrf: String)
        let otherSession: (headers: HTTPHeaders, csrf: String)
        let coordinatorSession: (headers: HTTPHeaders, csrf: String)
    }

    static func world(_ app: Application) async throws -> World {
        let province = try await Make.agency(app, code: "UBND-T", name: "Ủy ban nhân dân tỉnh Thử", kind: .provincialCommittee)
        let agency = try await Make.agency(app, code: "SYT-T", name: "Sở Y tế", parent: province)
        let other = try await Make.agency(app, code: "STC-T", name: "Sở Tài chính", parent: province)
        let coordinator = try await Make.user(app, role: .coordinator)
        let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
        let otherOfficer = try await Make.user(app, role: .agencyOfficer, agency: other)
        return World(province: province, agency: agency, otherAgency: other,
                     coordinator: try await Make.token(app, for: coordinator), officer: try await Make.token(app, for: officer),
                     otherOfficer: try await Make.token(app, for: otherOfficer), officerUser: officer,
                     officerSession: try await Make.session(app, for: officer), otherSession: try await Make.session(app, for: otherOfficer),
                     coordinatorSession: try await Make.session(app, for: coordinator))
    }

    static func duty(_ app: Application, _ duty: ResponseDuty, subject: UUID) async throws -> Obligation? {
        try await Obligation.query(on: app.db).filter(\.$dutyId == duty.rawValue).filter(\.$subjectId == subject).first()
    }

    @discardableResult
    static func post(_ app: Application, _ path: String, _ headers: HTTPHeaders, _ body: [String: Any], expect status: HTTPStatus,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var out: [String: Any] = [:]
        try await app.testing().test(.POST, path, headers: headers, beforeRequest: { JSONBody.set(&$0, body) }) { res in
            #expect(res.status == status, "\(path): \(res.body.string)", sourceLocation: sourceLocation)
            out = (try? JSONBody.object(res)) ?? [:]
        }
        return out
    }

    @discardableResult
    static func patch(_ app: Application, _ path: String, _ headers: HTTPHeaders, _ body: [String: Any], expect status: HTTPStatus,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var out: [String: Any] = [:]
        try await app.testing().test(.PATCH, path, headers: headers, beforeRequest: { JSONBody.set(&$0, body) }) { res in
            #expect(res.status == status, "\(path): \(res.body.string)", sourceLocation: sourceLocation)
            out = (try? JSONBody.object(res)) ?? [:]
        }
        return out
    }

    static func approvedLevel(_ app: Application, _ system: InformationSystem, level: Int, on day: String) async throws {
        let s = try await Make.reload(app, system)
        s.approvedLevel = level
        s.approvedAt = DisplayTime.parseDay(day)
        try await s.save(on: app.db)
        let rules = app.rules
        try await app.write { db in try await ObligationRefresher.refresh(systemIds: [s.id!], rules: rules, on: db) }
    }

    // MARK: teams

    @Test func teamIsUnderstaffedUntilItHasFiveExpertsOutsourcedIncluded() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let team = try await Self.post(app, "/api/v1/teams", w.coordinator, [
                "name": "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh", "kind": "provincial", "agencyId": w.province.id!.uuidString,
                "decisionNumber": "123/QĐ-UBND", "decisionDate": "2025-03-01", "validFrom": "2025-03-01", "validTo": "2030-12-31",
            ], expect: .created)
            let id = try #require(UUID(uuidString: team["id"] as? String ?? ""))
            #expect(try await Self.duty(app, .teamUnderstaffed, subject: id)?.state == .overdue)
            #expect(try await Self.duty(app, .teamExpired, subject: id)?.state == .met)
            for i in 1...5 {
                try await Self.post(app, "/api/v1/teams/\(id)/members", w.coordinator, [
                    "name": "Chuyên gia \(i)", "teamRole": i == 1 ? "leader" : "member", "expert": true, "outsourced": i == 5,
                    "phone": "0912 345 67\(i)", "email": "cg\(i)@langson.gov.vn",
                ], expect: .created)
                let state = try await Self.duty(app, .teamUnderstaffed, subject: id)?.state
                #expect(state == (i < 5 ? .overdue : .met), "after \(i) experts")
            }
            try await Self.post(app, "/api/v1/teams/\(id)/members", w.coordinator, ["name": "Thư ký", "teamRole": "secretary", "expert": false], expect: .created)
            try await app.testing().test(.GET, "/api/v1/teams/\(id)", headers: w.coordinator) { res in
                let obj = try JSONBody.object(res)
                #expect(obj["experts"] as? Int == 5)
                #expect((obj["members"] as? [Any])?.count == 6)
            }
            // The duty is on the obligations page with its title and a link to the team.
            try await app.testing().test(.GET, "/obligations?state=met&duty=TEAM_UNDERSTAFFED", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("/teams/\(id.uuidString.lowercased())"))
                #expect(res.body.string.contains("tối thiểu 5 chuyên gia"))
            }
        }
    }

    @Test func agencyWithoutA24x7ContactPointHasFocalPointMissingUntilItRecordsOne() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency)
            _ = system
            let focal = try await Self.duty(app, .focalPointMissing, subject: w.agency.id!)
            #expect(focal?.state == .overdue)
            #expect(focal?.agencyId == w.agency.id)
            try await Self.patch(app, "/api/v1/agencies/\(w.agency.id!)", w.officer,
                                 ["contactPhone": "0205 3812 999", "contactEmail": "ungcuu.syt@langson.gov.vn"], expect: .ok)
            #expect(try await Self.duty(app, .focalPointMissing, subject: w.agency.id!)?.state == .met)
            // On the agency page too.
            try await app.testing().test(.GET, "/agencies/\(w.agency.id!)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
            }
        }
    }

    // MARK: plans

    static func createPlan(_ app: Application, _ w: World, systems: [InformationSystem]) async throws -> (plan: UUID, version: UUID) {
        let plan = try await Self.post(app, "/api/v1/plans", w.officer, [
            "title": "Phương án ứng cứu sự cố Sở Y tế", "agencyId": w.agency.id!.uuidString, "scope": systems.count == 1 ? "system" : "agency",
            "systemIds": systems.map { $0.id!.uuidString },
            "scenarios": [
                ["scenarioId": "ransomware"],
                ["scenarioId": "ddos", "steps": ["containment": ["Đề nghị Viettel lọc lưu lượng qua dịch vụ chống DDoS."], "preparation": ["Ký hợp đồng chống DDoS."]]],
            ],
            "contacts": [["name": "Nguyễn Văn An", "role": "Trưởng nhóm kỹ thuật", "phone": "0912 111 222", "email": "an@langson.gov.vn"]],
            "resources": "Máy chủ dự phòng tại Trung tâm dữ liệu tỉnh.",
        ], expect: .created)
        let id = try #require(UUID(uuidString: plan["id"] as? String ?? ""))
        let current = try #require(plan["current"] as? [String: Any])
        return (id, try #require(UUID(uuidString: current["id"] as? String ?? "")))
    }

    @Test func planIsApprovedVersionedAndStaleAfterTheSystemChanges() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency, name: "Hệ thống hồ sơ sức khỏe")
            let sid = system.id!
            #expect(try await Self.duty(app, .planMissing, subject: sid)?.state == .overdue)
            let (pid, v1) = try await Self.createPlan(app, w, systems: [system])
            // A draft does not satisfy the duty.
            #expect(try await Self.duty(app, .planMissing, subject: sid)?.state == .overdue)
            try await app.testing().test(.GET, "/api/v1/plans/\(pid)/versions/\(v1)", headers: w.officer) { res in
                let obj = try JSONBody.object(res)
                let scenarios = try #require(obj["scenarios"] as? [[String: Any]])
                #expect(scenarios.map { $0["scenarioId"] as? String } == ["ransomware", "ddos"])
                let ddos = try #require(scenarios[1]["steps"] as? [String: [[String: Any]]])
                #expect(ddos["containment"]?.first?["text"] as? String == "Đề nghị Viettel lọc lưu lượng qua dịch vụ chống DDoS.")
                #expect(ddos["containment"]?.first?["sourceStepId"] as? String == nil)
                let ransomware = try #require(scenarios[0]["steps"] as? [String: [[String: Any]]])
                #expect(ransomware["containment"]?.first?["sourceStepId"] as? String == "ransomware.containment.1")
            }
            // Officers cannot approve; coordinators record the approval.
            let approval: [String: Any] = ["approverName": "Giám đốc Sở Y tế", "decisionNumber": "45/QĐ-SYT", "decisionDate": "2026-11-20"]
            try await Self.post(app, "/api/v1/plans/\(pid)/versions/\(v1)/approve", w.officer, approval, expect: .forbidden)
            try await Self.post(app, "/api/v1/plans/\(pid)/versions/\(v1)/approve", w.coordinator, approval, expect: .ok)
            #expect(try await Self.duty(app, .planMissing, subject: sid)?.state == .met)
            #expect(try await Self.duty(app, .planStale, subject: sid)?.state == .met)
            // An approved version cannot be edited; approving it again conflicts.
            try await Self.patch(app, "/api/v1/plans/\(pid)/versions/\(v1)", w.officer, ["resources": "khác"], expect: .conflict)
            try await Self.post(app, "/api/v1/plans/\(pid)/versions/\(v1)/approve", w.coordinator, approval, expect: .conflict)
            // A change the plan does not depend on leaves it current.
            try await Self.patch(app, "/api/v1/systems/\(sid)", w.officer, ["purpose": "Mô tả mới"], expect: .ok)
            #expect(try await Self.duty(app, .planStale, subject: sid)?.state == .met)
            // Moving the hosting makes it stale, in the same request.
            try await Self.patch(app, "/api/v1/systems/\(sid)", w.officer, ["hosting": "cloud", "hostingProvider": "Viettel Cloud"], expect: .ok)
            let stale = try #require(try await Self.duty(app, .planStale, subject: sid))
            #expect(stale.state == .overdue)
            #expect(stale.explanationVi.contains("hosting"))
            #expect(stale.ruleId == "obligations.response")
            // The system page shows the stale badge.
            try await app.testing().test(.GET, "/systems/\(sid)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "plan-badge")?.contains("Cần cập nhật") == true)
            }
            // A new version starts from the approved one; the old one stays readable.
            let v2obj = try await Self.post(app, "/api/v1/plans/\(pid)/versions", w.officer, [:], expect: .created)
            let v2 = try #require(UUID(uuidString: v2obj["id"] as? String ?? ""))
            #expect(v2obj["number"] as? Int == 2)
            #expect(v2obj["state"] as? String == "draft")
            #expect((v2obj["scenarios"] as? [Any])?.count == 2)
            #expect((v2obj["contacts"] as? [Any])?.count == 1)
            let updated = try await Self.patch(app, "/api/v1/plans/\(pid)/versions/\(v2)", w.officer,
                                               ["resources": "Máy chủ dự phòng trên Viettel Cloud.", "version": v2obj["version"] as? Int ?? 0], expect: .ok)
            // A stale version number is refused.
            try await Self.patch(app, "/api/v1/plans/\(pid)/versions/\(v2)", w.officer, ["resources": "x", "version": v2obj["version"] as? Int ?? 0],
                                 expect: .conflict)
            try await Self.post(app, "/api/v1/plans/\(pid)/versions/\(v2)/approve", w.coordinator,
                                ["approverName": "Giám đốc Sở Y tế", "decisionNumber": "60/QĐ-SYT", "decisionDate": "2026-11-24",
                                 "version": updated["version"] as? Int ?? 0], expect: .ok)
            #expect(try await Self.duty(app, .planStale, subject: sid)?.state == .met)
            try await app.testing().test(.GET, "/api/v1/plans/\(pid)", headers: w.officer) { res in
                let obj = try JSONBody.object(res)
                let versions = try #require(obj["versions"] as? [[String: Any]])
                #expect(versions.map { $0["state"] as? String } == ["approved", "superseded"])
                #expect((obj["current"] as? [String: Any])?["number"] as? Int == 2)
            }
            try await app.testing().test(.GET, "/plans/\(pid)/versions/\(v1)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("45/QĐ-SYT"))
            }
        }
    }

    @Test func approvedPlanBecomesStaleAfterTheReviewPeriod() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency)
            let (pid, v1) = try await Self.createPlan(app, w, systems: [system])
            try await Self.post(app, "/api/v1/plans/\(pid)/versions/\(v1)/approve", w.coordinator,
                                ["approverName": "Giám đốc", "decisionNumber": "1/QĐ", "decisionDate": "2026-11-01"], expect: .ok)
            let rules = app.rules
            let months = rules.responseObligations().planReviewMonths
            let later = ObligationCalendar.adding(days: 1, to: ObligationCalendar.adding(months: months, to: Date()))
            try await app.write { db in try await ObligationRefresher.refresh(systemIds: nil, rules: rules, now: later, on: db) }
            let stale = try #require(try await Self.duty(app, .planStale, subject: system.id!))
            #expect(stale.state == .overdue)
            #expect(stale.explanationEn.contains("\(months) months"))
        }
    }

    @Test func planExportsAsADocxWithTheVietnamesePlan() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let a = try await Make.system(app, agency: w.agency, name: "Cổng thông tin điện tử Sở Y tế")
            let b = try await Make.system(app, agency: w.agency, name: "Hệ thống quản lý văn bản")
            let (pid, v1) = try await Self.createPlan(app, w, systems: [a, b])
            try await app.testing().test(.GET, "/plans/\(pid)/versions/\(v1)/plan.docx", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                let archive = try Archive(data: Data(res.body.readableBytesView), accessMode: .read)
                let entry = try #require(archive["word/document.xml"])
                var xml = Data()
                _ = try archive.extract(entry) { xml.append($0) }
                let text = String(decoding: xml, as: UTF8.self)
                #expect(text.contains("PHƯƠNG ÁN"))
                #expect(text.contains("Cổng thông tin điện tử Sở Y tế"))
                #expect(text.contains("Kịch bản: Tấn công mã hóa dữ liệu tống tiền (ransomware)"))
                #expect(text.contains("Đề nghị Viettel lọc lưu lượng qua dịch vụ chống DDoS."))
                #expect(text.contains("Nguyễn Văn An"))
                // Decree 30 layout: A4 page from the shared writer.
                #expect(text.contains("w:w=\"11906\""))
            }
        }
    }

    // MARK: drills and tasks

    @Test func levelThreeSystemWithoutADrillIsOverdueAndMetAfterAnExecutedDrill() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency)
            let low = try await Make.system(app, agency: w.agency)
            try await Self.approvedLevel(app, system, level: 3, on: "2025-03-01")
            try await Self.approvedLevel(app, low, level: 2, on: "2025-03-01")
            #expect(try await Self.duty(app, .drillOverdue, subject: system.id!)?.state == .overdue)
            #expect(try await Self.duty(app, .drillOverdue, subject: low.id!)?.state == .notApplicable)
            let drill = try await Self.post(app, "/api/v1/drills", w.officer, [
                "title": "Diễn tập thực chiến tấn công mã hóa dữ liệu", "kind": "real_combat", "agencyId": w.agency.id!.uuidString,
                "plannedOn": DisplayTime.isoDay(Date()), "scenarioId": "ransomware", "systemIds": [system.id!.uuidString],
                "participants": "Đội ứng cứu sự cố tỉnh; Trung tâm CNTT Sở Y tế",
            ], expect: .created)
            let did = try #require(drill["id"] as? String)
            // Planned is not enough.
            #expect(try await Self.duty(app, .drillOverdue, subject: system.id!)?.state == .overdue)
            // The report cannot come before the execution.
            let bad = try await Self.post(app, "/api/v1/drills/\(did)/state", w.officer, ["state": "report_filed"], expect: .unprocessableEntity)
            #expect((bad["error"] as? [String: Any]).flatMap { $0["fields"] as? [String: String] }?["state"] != nil)
            try await Self.post(app, "/api/v1/drills/\(did)/state", w.officer,
                                ["state": "executed", "executedOn": DisplayTime.isoDay(Date()), "findings": "Phát hiện 2 máy chủ chưa vá."], expect: .ok)
            let met = try #require(try await Self.duty(app, .drillOverdue, subject: system.id!))
            #expect(met.state == .met)
            #expect(met.evidence == DisplayTime.date(DisplayTime.parseDay(DisplayTime.isoDay(Date()))!))
            // The report needs its document.
            let missing = try await Self.post(app, "/api/v1/drills/\(did)/state", w.officer, ["state": "report_filed"], expect: .unprocessableEntity)
            #expect((missing["error"] as? [String: Any]).flatMap { $0["fields"] as? [String: String] }?["files"] != nil)
            // Page flow: file the report with a PDF.
            try await app.testing().test(.POST, "/drills/\(did)/state", headers: w.officerSession.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", w.officerSession.csrf), ("state", "report_filed")],
                                   files: [.init(filename: "bao-cao-dien-tap.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
            }
            try await app.testing().test(.GET, "/drills/\(did)", headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("bao-cao-dien-tap.pdf"))
                #expect(res.body.string.contains("Đã có báo cáo"))
            }
            try await app.testing().test(.GET, "/systems/\(system.id!)", headers: w.officerSession.headers) { res in
                #expect(res.element(id: "response-drill") != nil)
            }
        }
    }

    @Test func tabletopExercisesDoNotSatisfyTheYearlyDrill() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency)
            try await Self.approvedLevel(app, system, level: 4, on: "2025-03-01")
            let drill = try await Self.post(app, "/api/v1/drills", w.officer, [
                "title": "Diễn tập trên bàn", "kind": "tabletop", "agencyId": w.agency.id!.uuidString, "plannedOn": DisplayTime.isoDay(Date()),
                "systemIds": [system.id!.uuidString],
            ], expect: .created)
            try await Self.post(app, "/api/v1/drills/\(drill["id"] as! String)/state", w.officer,
                                ["state": "executed", "executedOn": DisplayTime.isoDay(Date())], expect: .ok)
            #expect(try await Self.duty(app, .drillOverdue, subject: system.id!)?.state == .overdue)
        }
    }

    @Test func followUpTasksAreCreatedAssignedCompletedAndRefuseAStaleVersion() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency)
            let drill = try await Self.post(app, "/api/v1/drills", w.officer, [
                "title": "Diễn tập", "kind": "real_combat", "agencyId": w.agency.id!.uuidString, "plannedOn": "2026-12-10",
                "systemIds": [system.id!.uuidString],
            ], expect: .created)
            let did = try #require(drill["id"] as? String)
            let task = try await Self.post(app, "/api/v1/drills/\(did)/tasks", w.officer,
                                           ["title": "Vá hai máy chủ chưa cập nhật", "dueAt": "2026-12-31", "phase": "eradication"], expect: .created)
            let tid = try #require(task["id"] as? String)
            #expect(task["version"] as? Int == 1)
            #expect(task["subjectKind"] as? String == "drill")
            let assigned = try await Self.patch(app, "/api/v1/drills/\(did)/tasks/\(tid)", w.officer,
                                                ["assigneeId": w.officerUser.id!.uuidString, "version": 1], expect: .ok)
            #expect(assigned["assigneeId"] as? String == w.officerUser.id!.uuidString)
            #expect(assigned["version"] as? Int == 2)
            let done = try await Self.patch(app, "/api/v1/drills/\(did)/tasks/\(tid)", w.officer, ["done": true, "version": 2], expect: .ok)
            #expect(done["doneAt"] is String)
            // Someone working from version 2 is refused: 409 naming the version.
            let stale = try await Self.patch(app, "/api/v1/drills/\(did)/tasks/\(tid)", w.officer, ["done": false, "version": 2], expect: .conflict)
            let error = try #require(stale["error"] as? [String: Any])
            #expect(error["code"] as? String == "task_changed")
            #expect((error["fields"] as? [String: String])?["version"] != nil)
            let reopened = try await Self.patch(app, "/api/v1/drills/\(did)/tasks/\(tid)", w.officer, ["done": false, "version": 3], expect: .ok)
            #expect(reopened["doneAt"] == nil || reopened["doneAt"] is NSNull)
            let edited = try await Self.patch(app, "/api/v1/drills/\(did)/tasks/\(tid)", w.officer, ["title": "Vá và kiểm tra lại", "version": 4], expect: .ok)
            #expect(edited["title"] as? String == "Vá và kiểm tra lại")
            #expect(edited["dueAt"] is String)
            // The service is subject-agnostic: the lead's incidents use it the same way.
            let incident = UUID()
            let t2 = try await app.write { db in
                try await TaskService.create(.init(agencyId: w.agency.id, subjectKind: "incident", subjectId: incident, phase: "containment",
                                                   title: "Cô lập máy chủ", source: "ransomware.containment.1"), createdBy: nil, actor: .system("test"), on: db)
            }
            #expect(try await TaskService.list(subjectKind: "incident", subjectId: incident, on: app.db).map(\.id) == [t2.id])
            await #expect(throws: AppError.self) {
                try await app.write { db in try await TaskService.complete(t2.id!, expectedVersion: 7, by: nil, actor: .system("test"), on: db) }
            }
            // Every change is in the audit trail.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "task.complete").count() == 1)
        }
    }

    @Test func theDemoProvinceHasATeamAPlanForTwoSystemsAndAnExecutedDrill() async throws {
        try await withTestApp { app in
            _ = try #require(try await DemoSeed.seedIfEmpty(app: app))
            let team = try #require(try await ResponseTeam.query(on: app.db).filter(\.$kind == .provincial).first())
            let members = try await TeamMember.query(on: app.db).filter(\.$teamId == team.id!).all()
            #expect(members.count == 6)
            #expect(members.filter(\.expert).count == 5)
            #expect(try await Self.duty(app, .teamUnderstaffed, subject: team.id!)?.state == .met)
            let version = try #require(try await PlanVersion.query(on: app.db).filter(\.$state == .approved).first())
            #expect(try await PlanVersionSystem.query(on: app.db).filter(\.$planVersionId == version.id!).count() == 2)
            let drill = try #require(try await Drill.query(on: app.db).first())
            #expect(drill.state == .executed)
            let hssk = try #require(try await InformationSystem.query(on: app.db).filter(\.$code == "SYT-HSSK").first())
            #expect(try await Self.duty(app, .planMissing, subject: hssk.id!)?.state == .met)
            #expect(try await Self.duty(app, .planStale, subject: hssk.id!)?.state == .met)
        }
    }

    // MARK: isolation and validation

    @Test func anOfficerCannotReadAnotherAgencysTeamPlanOrDrill() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency)
            let (pid, vid) = try await Self.createPlan(app, w, systems: [system])
            let team = try await Self.post(app, "/api/v1/teams", w.officer, ["name": "Đội ứng cứu Sở Y tế", "kind": "agency", "agencyId": w.agency.id!.uuidString],
                                           expect: .created)
            let tid = try #require(team["id"] as? String)
            let drill = try await Self.post(app, "/api/v1/drills", w.officer, [
                "title": "Diễn tập Sở Y tế", "kind": "real_combat", "agencyId": w.agency.id!.uuidString, "plannedOn": "2026-12-10",
                "systemIds": [system.id!.uuidString],
            ], expect: .created)
            let did = try #require(drill["id"] as? String)
            for path in ["/api/v1/plans/\(pid)", "/api/v1/plans/\(pid)/versions/\(vid)", "/api/v1/teams/\(tid)", "/api/v1/teams/\(tid)/members",
                         "/api/v1/drills/\(did)", "/api/v1/drills/\(did)/tasks"] {
                try await app.testing().test(.GET, path, headers: w.otherOfficer) { res in
                    #expect(res.status == .notFound, "\(path)")
                    #expect(!res.body.string.contains("Sở Y tế"), "\(path)")
                }
            }
            for path in ["/plans/\(pid)", "/plans/\(pid)/versions/\(vid)", "/plans/\(pid)/versions/\(vid)/plan.docx", "/teams/\(tid)", "/drills/\(did)"] {
                try await app.testing().test(.GET, path, headers: w.otherSession.headers) { res in #expect(res.status == .notFound, "\(path)") }
            }
            // Writes by id are not found either.
            try await Self.patch(app, "/api/v1/drills/\(did)", w.otherOfficer, ["title": "x"], expect: .notFound)
            try await Self.post(app, "/api/v1/plans/\(pid)/versions", w.otherOfficer, [:], expect: .notFound)
            // Lists and pages do not show them.
            for path in ["/api/v1/plans", "/api/v1/drills", "/api/v1/teams"] {
                try await app.testing().test(.GET, path, headers: w.otherOfficer) { res in
                    let obj = try JSONBody.object(res)
                    #expect(obj["total"] as? Int == 0, "\(path)")
                }
                try await app.testing().test(.GET, path, headers: w.officer) { res in
                    let obj = try JSONBody.object(res)
                    #expect(obj["total"] as? Int == 1, "\(path)")
                }
            }
            for path in ["/plans", "/drills", "/teams", "/obligations?state=overdue"] {
                try await app.testing().test(.GET, path, headers: w.otherSession.headers) { res in
                    #expect(res.status == .ok)
                    #expect(!res.body.string.contains("Sở Y tế"), "\(path)")
                }
            }
            // Police read teams, not plans or drills.
            let police = try await Make.token(app, for: try await Make.user(app, role: .police))
            try await app.testing().test(.GET, "/api/v1/teams/\(tid)", headers: police) { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/plans", headers: police) { #expect($0.status == .forbidden) }
        }
    }

    @Test func apiValidationErrorsNameTheField() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            func fields(_ obj: [String: Any]) -> [String: String] { (obj["error"] as? [String: Any])?["fields"] as? [String: String] ?? [:] }
            let team = try await Self.post(app, "/api/v1/teams", w.officer, ["kind": "squad", "agencyId": "nope", "validFrom": "2026-02-30"],
                                           expect: .unprocessableEntity)
            #expect(Set(fields(team).keys).isSuperset(of: ["name", "kind", "agencyId", "validFrom"]))
            #expect((team["error"] as? [String: Any])?["code"] as? String == "validation_failed")
            // An officer may not create the provincial team.
            let provincial = try await Self.post(app, "/api/v1/teams", w.officer, ["name": "Đội tỉnh", "kind": "provincial", "agencyId": w.agency.id!.uuidString],
                                                 expect: .unprocessableEntity)
            #expect(fields(provincial)["kind"] != nil)
            let plan = try await Self.post(app, "/api/v1/plans", w.officer, ["title": "", "agencyId": w.agency.id!.uuidString,
                                                                            "scenarios": [["scenarioId": "alien_invasion"]],
                                                                            "contacts": [["name": "A", "phone": "abc"]]], expect: .unprocessableEntity)
            #expect(Set(fields(plan).keys).isSuperset(of: ["title", "systemIds", "scenarios", "contacts[0].phone"]))
            let other = try await Make.system(app, agency: w.otherAgency)
            let foreign = try await Self.post(app, "/api/v1/plans", w.officer, ["title": "PA", "agencyId": w.agency.id!.uuidString,
                                                                               "systemIds": [other.id!.uuidString]], expect: .unprocessableEntity)
            #expect(fields(foreign)["systemIds"] != nil)
            let drill = try await Self.post(app, "/api/v1/drills", w.officer, ["title": "D", "kind": "real_combat", "agencyId": w.agency.id!.uuidString,
                                                                              "plannedOn": "31/02/2026"], expect: .unprocessableEntity)
            #expect(Set(fields(drill).keys) == ["plannedOn", "systemIds"])
            let member = try await Self.post(app, "/api/v1/teams", w.officer, ["name": "Đội", "kind": "agency", "agencyId": w.agency.id!.uuidString],
                                             expect: .created)
            let bad = try await Self.post(app, "/api/v1/teams/\(member["id"] as! String)/members", w.officer,
                                          ["name": "", "teamRole": "captain", "email": "not-an-email"], expect: .unprocessableEntity)
            #expect(Set(fields(bad).keys) == ["name", "teamRole", "email"])
        }
    }

    @Test func pagesRenderAndFormsShowErrorsNamingTheField() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let system = try await Make.system(app, agency: w.agency, name: "Hệ thống một cửa")
            let s = w.officerSession
            for path in ["/teams", "/teams/new", "/plans", "/plans/new", "/scenarios", "/drills", "/drills/new", "/systems/\(system.id!)"] {
                try await app.testing().test(.GET, path, headers: s.headers) { res in #expect(res.status == .ok, "\(path): \(res.status)") }
            }
            try await app.testing().test(.GET, "/scenarios", headers: s.headers) { res in
                #expect(res.body.string.contains("Giả mạo thư điện tử công vụ") || res.body.string.contains("giả mạo thư điện tử công vụ"))
            }
            // A plan through the form: scenarios picked by checkbox, steps from the templates.
            try await app.testing().test(.POST, "/plans/new", headers: s.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", s.csrf), ("title", ""), ("agencyId", w.agency.id!.uuidString), ("scope", "system"),
                                    ("scenarioIds[]", "ransomware")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("title-error"))
                #expect(res.body.string.contains("systemIds-error"))
            }
            var location = ""
            try await app.testing().test(.POST, "/plans/new", headers: s.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", s.csrf), ("title", "Phương án hệ thống một cửa"), ("agencyId", w.agency.id!.uuidString), ("scope", "system"),
                                    ("systemIds[]", system.id!.uuidString), ("scenarioIds[]", "ransomware"), ("scenarioIds[]", "phishing_bec"),
                                    ("contacts", "Trần Bình | Quản trị hệ thống | 0912 333 444 | binh@langson.gov.vn")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                location = res.headers.first(name: .location) ?? ""
            }
            let editPath = location.components(separatedBy: "?").first! + "/edit"
            try await app.testing().test(.GET, editPath, headers: s.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("steps_ransomware_containment"))
                #expect(res.body.string.contains("Trần Bình | Quản trị hệ thống"))
            }
            // Editing steps: one removed, one written by the agency; a bad contact line names the field.
            try await app.testing().test(.POST, editPath, headers: s.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", s.csrf), ("title", "Phương án hệ thống một cửa"), ("systemIds[]", system.id!.uuidString),
                                    ("scenarioIds[]", "ransomware"), ("steps_ransomware_containment", "Ngắt kết nối Internet của phân vùng máy chủ một cửa."),
                                    ("contacts", "| | abc |")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("contacts-error"))
                #expect(res.body.string.contains("Dòng 1"))
            }
            try await app.testing().test(.POST, editPath, headers: s.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", s.csrf), ("title", "Phương án hệ thống một cửa"), ("systemIds[]", system.id!.uuidString),
                                    ("scenarioIds[]", "ransomware"), ("steps_ransomware_containment", "Ngắt kết nối Internet của phân vùng máy chủ một cửa.")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
            }
            let steps = try await PlanStep.query(on: app.db).filter(\.$phase == .containment).all()
            #expect(steps.map(\.text) == ["Ngắt kết nối Internet của phân vùng máy chủ một cửa."])
            #expect(steps.first?.sourceStepId == nil)
            #expect(try await PlanStep.query(on: app.db).filter(\.$phase == .preparation).count() == 4)
            // A team through the form with its decision document.
            try await app.testing().test(.POST, "/teams/new", headers: s.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", s.csrf), ("name", "Đội ứng cứu Sở Y tế"), ("kind", "agency"), ("agencyId", w.agency.id!.uuidString),
                                          ("decisionNumber", "12/QĐ-SYT"), ("decisionDate", "2026-01-05")],
                                   files: [.init(filename: "quyet-dinh.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                location = res.headers.first(name: .location) ?? ""
            }
            try await app.testing().test(.GET, location, headers: s.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("quyet-dinh.pdf"))
                #expect(res.body.string.contains("12/QĐ-SYT"))
            }
            // An executable disguised as the decision is refused, naming the field.
            try await app.testing().test(.POST, "/teams/new", headers: s.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", s.csrf), ("name", "Đội"), ("kind", "agency"), ("agencyId", w.agency.id!.uuidString)],
                                   files: [.init(filename: "quyet-dinh.pdf", bytes: Fixture.mz)])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("files-error"))
            }
            // English works too.
            try await app.testing().test(.GET, "/plans", headers: w.coordinatorSession.headers) { res in #expect(res.status == .ok) }
        }
    }
}
