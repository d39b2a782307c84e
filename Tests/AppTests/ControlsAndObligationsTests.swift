import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite struct ControlsTests {
    static func controls(_ app: Application, _ system: InformationSystem, headers: HTTPHeaders) async throws -> ControlsDTO {
        var dto: ControlsDTO?
        try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/controls", headers: headers) { res in
            #expect(res.status == .ok)
            dto = try res.content.decode(ControlsDTO.self)
        }
        return try #require(dto)
    }

    static func put(_ app: Application, _ system: InformationSystem, control: UUID, _ body: [String: Any], headers: HTTPHeaders,
                    expect status: HTTPStatus = .ok, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        var response: TestingHTTPResponse?
        try await app.testing().test(.PUT, "/api/v1/systems/\(system.id!)/controls/\(control)", headers: headers, beforeRequest: { req in
            JSONBody.set(&req, body)
        }) { res in
            #expect(res.status == status, "\(res.body.string.prefix(300))", sourceLocation: sourceLocation)
            response = res
        }
        return response!
    }

    static func duty(_ app: Application, _ system: InformationSystem, _ id: String) async throws -> Obligation? {
        try await Obligation.query(on: app.db).filter(\.$subjectId == system.id!).filter(\.$dutyId == id).first()
    }

    @Test func afterApprovalTheControlsAreThoseFromLevelOneUpToTheApprovedLevel() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let levelTwo = try await Make.system(app, agency: agency, code: "SYT-02")
            let levelThree = try await Make.system(app, agency: agency, code: "SYT-03", classes: [.secretConfidential])
            try await Make.approve(app, levelTwo, coordinator: coordinator)
            try await Make.approve(app, levelThree, coordinator: coordinator)
            let catalogue = try await CatalogueControl.query(on: app.db).filter(\.$active == true).all()
            for (system, level) in [(levelTwo, 2), (levelThree, 3)] {
                let dto = try await Self.controls(app, system, headers: coordinator)
                #expect(dto.level == level)
                #expect(dto.controls.allSatisfy { $0.firstLevel <= level })
                #expect(Set(dto.controls.map(\.code)) == Set(catalogue.filter { $0.firstLevel <= level }.map(\.code)))
                #expect(dto.planStatus == .notStarted)
            }
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            try await app.testing().test(.GET, "/systems/\(levelTwo.id!)/controls", headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"control-QL.CS.3\""))  // from level 2
                #expect(!res.body.string.contains("id=\"control-QL.CS.4\""))  // from level 3
            }
            try await app.testing().test(.GET, "/systems/\(levelThree.id!)/controls", headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.body.string.contains("id=\"control-QL.CS.4\""))
            }
            let higher = try #require(catalogue.first { $0.firstLevel == 3 })
            _ = try await Self.put(app, levelTwo, control: higher.id!, ["status": "in_progress"], headers: coordinator, expect: .notFound)
        }
    }

    @Test func implementedNeedsEvidenceAndADateAndNotApplicableAJustification() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-02")
            try await Make.approve(app, system, coordinator: coordinator)
            let officerUser = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let officer = try await Make.token(app, for: officerUser)
            let control = try #require(try await CatalogueControl.query(on: app.db).filter(\.$code == "QL.CS.1").first())
            let cases: [([String: Any], Set<String>)] = [
                (["status": "implemented"], ["effectiveDate", "evidenceLinks"]),
                (["status": "implemented", "effectiveDate": "2025-06-01"], ["evidenceLinks"]),
                (["status": "implemented", "evidenceLinks": ["https://vanban.test.vn/qd-15.pdf"]], ["effectiveDate"]),
                (["status": "implemented", "effectiveDate": "2025-06-01", "evidenceLinks": ["ftp//x"]], ["evidenceLinks"]),
                (["status": "not_applicable"], ["justification"]),
                (["status": "not_applicable", "justification": "  "], ["justification"]),
                (["status": "done"], ["status"]),
            ]
            for (body, fields) in cases {
                let res = try await Self.put(app, system, control: control.id!, body, headers: officer, expect: .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Set(error.fields.keys) == fields, "\(body)")
            }
            #expect(try await app.count(ControlAssessment.self) == 0)

            // The page form: a document counts as evidence.
            let (cookie, csrf) = try await Make.session(app, for: officerUser)
            try await app.testing().test(.POST, "/systems/\(system.id!)/controls/\(control.id!)", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("status", "implemented"), ("effectiveDate", "")], files: [])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"QL.CS.1-effectiveDate-error\""))
                #expect(res.body.string.contains("id=\"QL.CS.1-evidenceLinks-error\""))
            }
            try await app.testing().test(.POST, "/systems/\(system.id!)/controls/\(control.id!)", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("status", "implemented"), ("effectiveDate", "2025-06-01")],
                                   files: [.init(filename: "quy-che-attt.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .seeOther)
            }
            let saved = try #require(try await ControlAssessment.query(on: app.db).first())
            #expect(saved.status == .implemented)
            #expect(try await StoredFile.query(on: app.db).filter(\.$recordType == "control_assessment").count() == 1)
            // The leader reads but may not assess.
            let leader = try await Make.token(app, for: try await Make.user(app, role: .leader))
            _ = try await Self.put(app, system, control: control.id!, ["status": "in_progress"], headers: leader, expect: .forbidden)
        }
    }

    @Test func thePlanStatusAndItsDutyFollowTheSelfAssessment() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-01", classes: [.public])
            try await Make.approve(app, system, coordinator: coordinator)
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            var dto = try await Self.controls(app, system, headers: officer)
            #expect(dto.level == 1)
            #expect(dto.planStatus == .notStarted)
            #expect(dto.percent == 0)
            #expect(try await Self.duty(app, system, "PLAN_NOT_IMPLEMENTED")?.state == .overdue)
            let ids = dto.controls.map(\.controlId)
            #expect(ids.count == 33)

            var res = try await Self.put(app, system, control: ids[0], ["status": "in_progress"], headers: officer)
            dto = try res.content.decode(ControlsDTO.self)
            #expect(dto.planStatus == .partial)
            #expect(dto.percent == 0)
            let implemented: [String: Any] = ["status": "implemented", "effectiveDate": "2025-06-01", "evidenceLinks": ["https://vanban.test.vn/qd.pdf"]]
            res = try await Self.put(app, system, control: ids[0], implemented, headers: officer)
            dto = try res.content.decode(ControlsDTO.self)
            #expect(dto.planStatus == .partial)
            #expect(dto.percent == 100 / 33)
            #expect(try await Self.duty(app, system, "PLAN_NOT_IMPLEMENTED")?.state == .overdue)
            _ = try await Self.put(app, system, control: ids[1], ["status": "not_applicable", "justification": "Không có máy chủ riêng"], headers: officer)
            for id in ids.dropFirst(2) {
                res = try await Self.put(app, system, control: id, implemented, headers: officer)
            }
            dto = try res.content.decode(ControlsDTO.self)
            #expect(dto.planStatus == .fullyImplemented)
            #expect(dto.percent == 100)
            let duty = try #require(try await Self.duty(app, system, "PLAN_NOT_IMPLEMENTED"))
            #expect(duty.state == .met)
            #expect(duty.evidence == "100% (32/32)")
            try await app.testing().test(.GET, "/systems/\(system.id!)/controls",
                                         headers: try await Make.session(app, for: try await Make.user(app, role: .leader)).headers) { res in
                #expect(res.element(id: "plan-state") == "Đã triển khai đầy đủ")
            }
            // Going back on one control reopens the duty.
            _ = try await Self.put(app, system, control: ids[5], ["status": "in_progress"], headers: officer)
            #expect(try await Self.duty(app, system, "PLAN_NOT_IMPLEMENTED")?.state == .overdue)
        }
    }
}

@Suite struct ObligationTests {
    static func duties(_ app: Application, _ system: InformationSystem, headers: HTTPHeaders) async throws -> [String: ObligationDTO] {
        var result: [String: ObligationDTO] = [:]
        try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/obligations", headers: headers) { res in
            #expect(res.status == .ok)
            for duty in try res.content.decode([ObligationDTO].self) { result[duty.dutyId] = duty }
        }
        return result
    }

    @Test func anOperatingSystemWithoutAnApprovedLevelIsOverdueUntilApproved() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-01", goLive: "2024-01-15")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            var duties = try await Self.duties(app, system, headers: coordinator)
            // The system's own duties, and the response-readiness (issue 4) and proactive ones (issue 5) on the same subject.
            #expect(Set(duties.keys) == Set(SystemDuty.allCases.map(\.rawValue) + ["IRPLAN_MISSING", "IRPLAN_STALE", "DRILL_OVERDUE",
                                                                                    "SCAN_OVERDUE", "HUNT_OVERDUE", "FINDINGS_OVERDUE"]))
            let notApproved = try #require(duties["LEVEL_NOT_APPROVED"])
            #expect(notApproved.state == .overdue)
            #expect(notApproved.dueAt.map(DisplayTime.isoDay) == "2024-01-15")
            #expect(notApproved.basis.contains("Nghị định 85/2016/NĐ-CP"))
            #expect(notApproved.ruleId == "obligations.systems")
            #expect(duties["GOLIVE_BEFORE_APPROVAL"]?.state == .overdue)
            #expect(duties["PLAN_NOT_IMPLEMENTED"]?.state == .notApplicable)
            try await Make.approve(app, system, coordinator: coordinator)
            duties = try await Self.duties(app, system, headers: coordinator)
            #expect(duties["LEVEL_NOT_APPROVED"]?.state == .met)
            #expect(duties["GOLIVE_BEFORE_APPROVAL"]?.state == .met)  // it went live first: remedied, and said so
            #expect(duties["GOLIVE_BEFORE_APPROVAL"]?.explanation.contains("01/2024") == true)
            #expect(duties["PLAN_NOT_IMPLEMENTED"]?.state == .overdue)
            #expect(duties["ASSESSMENT_OVERDUE"]?.state == .notApplicable)  // level 2
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            try await app.testing().test(.GET, "/systems/\(system.id!)", headers: cookie) { res in
                #expect(res.body.string.contains("id=\"obligations\""))
                #expect(res.body.string.contains("Phê duyệt cấp độ an toàn hệ thống thông tin"))
            }
        }
    }

    @Test func countsOnTheHomePageAndTheAPIAreScopedToTheCaller() async throws {
        try await withTestApp { app in
            let mine = try await Make.agency(app, code: "SYT")
            let other = try await Make.agency(app, code: "STC")
            try await Make.system(app, agency: mine, code: "SYT-01", name: "Hệ thống của tôi")
            try await Make.system(app, agency: other, code: "STC-01", name: "Hệ thống khác một")
            try await Make.system(app, agency: other, code: "STC-02", name: "Hệ thống khác hai")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: mine)
            // systems, approved systems, overdue, due soon, met. Per system 6 system duties (2 overdue), 3 response
            // duties (IRPLAN_MISSING overdue) and 3 proactive duties (SCAN_OVERDUE and HUNT_OVERDUE overdue, FINDINGS_OVERDUE
            // met); per agency owning systems, FOCAL_POINT_MISSING (overdue: no contact point).
            let expected: [(User, [Int], Int)] = [
                (officer, [1, 0, 6, 0, 1], 13),
                (try await Make.user(app, role: .coordinator), [3, 0, 17, 0, 3], 38),
                (try await Make.user(app, role: .leader), [3, 0, 17, 0, 3], 38),
            ]
            for (user, numbers, total) in expected {
                try await app.testing().test(.GET, "/", headers: try await Make.session(app, for: user).headers) { res in
                    #expect(res.statNumbers(section: "duty-stats") == numbers, "\(user.role)")
                }
                let bearer = try await Make.token(app, for: user)
                try await app.testing().test(.GET, "/api/v1/obligations?per=100", headers: bearer) { res in
                    let page = try res.content.decode(Paged<ObligationDTO>.self)
                    #expect(page.total == total, "\(user.role)")
                }
                try await app.testing().test(.GET, "/api/v1/obligations?state=overdue", headers: bearer) { res in
                    let page = try res.content.decode(Paged<ObligationDTO>.self)
                    #expect(page.total == numbers[2], "\(user.role)")
                    #expect(page.items.allSatisfy { $0.state == .overdue })
                }
            }
            try await app.testing().test(.GET, "/obligations", headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Hệ thống của tôi"))
                #expect(!res.body.string.contains("Hệ thống khác"))
            }
            try await app.testing().test(.GET, "/api/v1/obligations?state=late", headers: try await Make.token(app, for: officer)) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["state"])
            }
        }
    }

    @Test func aLevelThreeSystemWhoseLastAssessmentIsOldIsOverdue() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-03", classes: [.secretConfidential])
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            try await Make.approve(app, system, coordinator: coordinator)
            #expect(try await Make.reload(app, system).approvedLevel == 3)
            var duties = try await Self.duties(app, system, headers: coordinator)
            #expect(duties["ASSESSMENT_OVERDUE"]?.state == .met)  // first one due a year after approval
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let (cookie, csrf) = try await Make.session(app, for: officer)
            func assess(daysAgo: Double, independent: Bool) async throws {
                let day = DisplayTime.isoDay(Date().addingTimeInterval(-daysAgo * 86_400))
                try await app.testing().test(.POST, "/systems/\(system.id!)/assessments", headers: cookie, beforeRequest: { req in
                    FormBody.multipart(&req, [("_csrf", csrf), ("performedOn", day), ("kind", "periodic"), ("assessor", "Công ty Kiểm định ATTT"),
                                              ("independent", independent ? "true" : "")], files: [])
                }) { res in
                    #expect(res.status == .seeOther, "\(res.body.string.prefix(300))")
                }
            }
            try await assess(daysAgo: 400, independent: true)
            duties = try await Self.duties(app, system, headers: coordinator)
            #expect(duties["ASSESSMENT_OVERDUE"]?.state == .overdue)
            #expect(duties["ASSESSMENT_INDEPENDENT"]?.state == .met)
            try await assess(daysAgo: 10, independent: false)
            duties = try await Self.duties(app, system, headers: coordinator)
            #expect(duties["ASSESSMENT_OVERDUE"]?.state == .met)
            #expect(duties["ASSESSMENT_INDEPENDENT"]?.state == .overdue)
            // A date in the future is refused.
            try await app.testing().test(.POST, "/systems/\(system.id!)/assessments", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("performedOn", DisplayTime.isoDay(Date().addingTimeInterval(5 * 86_400))),
                                          ("kind", "periodic"), ("assessor", "X")], files: [])
            }) { res in
                #expect(res.status == .unprocessableEntity)
            }
            #expect(try await app.count(SystemAssessment.self) == 2)
        }
    }

    @Test func aLaterClockTurnsDueSoonIntoOverdue() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let goLive = DisplayTime.isoDay(Date().addingTimeInterval(20 * 86_400))
            let system = try await Make.system(app, agency: agency, code: "SYT-01", lifecycle: .building, goLive: goLive)
            func state() async throws -> ObligationState? {
                try await Obligation.query(on: app.db).filter(\.$subjectId == system.id!).filter(\.$dutyId == "LEVEL_NOT_APPROVED").first()?.state
            }
            #expect(try await state() == .dueSoon)
            #expect(try await ObligationJobs.refreshAll(app: app, now: Date().addingTimeInterval(40 * 86_400)) == 1)
            #expect(try await state() == .overdue)
            #expect(try await ObligationJobs.refreshAll(app: app, now: Date().addingTimeInterval(-60 * 86_400)) == 1)
            #expect(try await state() == .met)  // not due yet
            try await ObligationJobs.refreshAll(app: app)
            #expect(try await state() == .dueSoon)
            #expect(try await Obligation.query(on: app.db).filter(\.$ruleId == "obligations.systems").count() == SystemDuty.allCases.count)
        }
    }
}
