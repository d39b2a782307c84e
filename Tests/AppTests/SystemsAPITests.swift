import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// `/api/v1/systems` with its sub-resources and `/api/v1/classification/evaluate`.
@Suite struct SystemsAPITests {
    static func create(_ app: Application, headers: HTTPHeaders, _ body: [String: Any]) async throws -> SystemDTO {
        var dto: SystemDTO?
        try await app.testing().test(.POST, "/api/v1/systems", headers: headers, beforeRequest: { req in JSONBody.set(&req, body) }) { res in
            #expect(res.status == .created, "\(res.body.string)")
            dto = try res.content.decode(SystemDTO.self)
        }
        return try #require(dto)
    }

    @Test func aSystemIsCreatedReadPatchedAndDeleted() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            var body = SystemsRegistryTests.apiBody(agency: agency, code: "syt-hsba")
            body["networkAddresses"] = ["10.20.0.0/16", "2001:db8::/32"]
            body["domains"] = ["HSBA.Test.VN"]
            body["urls"] = ["https://hsba.test.vn/dang-nhap"]
            body["conditionalBusiness"] = true
            body["hosting"] = "cloud"
            body["hostingProvider"] = "VNPT IDC"
            let created = try await Self.create(app, headers: officer, body)
            #expect(created.code == "SYT-HSBA")
            #expect(created.domains == ["hsba.test.vn"])
            #expect(created.networkAddresses == ["10.20.0.0/16", "2001:db8::/32"])
            #expect(created.proposedLevel == 2)
            #expect(created.approvedLevel == nil)
            #expect(created.revision == 1)
            try await app.testing().test(.GET, "/api/v1/systems/\(created.id)", headers: officer) { res in
                #expect(res.status == .ok)
                let dto = try res.content.decode(SystemDTO.self)
                #expect(dto.components?.isEmpty == true)
                #expect(dto.hostingProvider == "VNPT IDC")
                #expect(dto.goLiveDate == "2023-06-01")
            }
            try await app.testing().test(.PATCH, "/api/v1/systems/\(created.id)", headers: officer, beforeRequest: { req in
                JSONBody.set(&req, ["purpose": "Quản lý hồ sơ bệnh án", "conditionalBusiness": false])
            }) { res in
                #expect(res.status == .ok)
                let dto = try res.content.decode(SystemDTO.self)
                #expect(dto.purpose == "Quản lý hồ sơ bệnh án")
                #expect(!dto.conditionalBusiness)
                #expect(dto.name == "Hệ thống quản lý văn bản")  // untouched fields stay
                #expect(dto.domains == ["hsba.test.vn"])
                #expect(dto.revision == 2)
            }
            try await app.testing().test(.DELETE, "/api/v1/systems/\(created.id)", headers: officer) { res in
                #expect(res.status == .forbidden)
                let error = try JSONBody.error(res)
                #expect(error.code == "forbidden")
            }
            try await app.testing().test(.DELETE, "/api/v1/systems/\(created.id)", headers: coordinator) { #expect($0.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/systems/\(created.id)", headers: coordinator) { res in
                #expect(res.status == .notFound)
                let error = try JSONBody.error(res)
                #expect(error.code == "not_found")
                #expect(!error.message.isEmpty)
            }
            #expect(try await Obligation.query(on: app.db).filter(\.$subjectId == created.id).count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "system.delete").count() == 1)
        }
    }

    @Test func deletingASystemRemovesEverythingHangingOnIt() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinatorUser = try await Make.user(app, role: .coordinator)
            let coordinator = try await Make.token(app, for: coordinatorUser)
            let system = try await Make.system(app, agency: agency, code: "SYT-01", classes: [.secretConfidential],
                                               components: [.init(name: "Máy chủ", vendor: nil, product: nil, version: nil, cpe: nil, level: 1)])
            let keep = try await Make.system(app, agency: agency, code: "SYT-02")
            let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: coordinator))
            let (cookie, csrf) = try await Make.session(app, for: coordinatorUser)
            try await app.testing().test(.POST, "/systems/\(system.id!)/dossiers/\(dossier.id)/submit", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf)], files: [.init(filename: "to-trinh.pdf", bytes: Fixture.pdf)])
            }) { #expect($0.status == .seeOther) }
            for t in [DossierTransition.appraise, .submitForApproval, .approve] {
                try await Make.transition(app, system, dossier.id, t, headers: coordinator, expect: .ok)
            }
            let control = try #require(try await ControlsTests.controls(app, system, headers: coordinator).controls.first)
            _ = try await ControlsTests.put(app, system, control: control.controlId, ["status": "in_progress"], headers: coordinator)
            try await app.testing().test(.POST, "/systems/\(system.id!)/assessments", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("performedOn", "2025-01-10"), ("kind", "periodic"), ("assessor", "Công ty A")],
                                   files: [.init(filename: "bien-ban.pdf", bytes: Fixture.pdf + Array(" ".utf8))])
            }) { #expect($0.status == .seeOther) }
            try await app.testing().test(.DELETE, "/api/v1/systems/\(system.id!)", headers: coordinator) { res in
                #expect(res.status == .noContent, "\(res.body.string)")
            }
            #expect(try await InformationSystem.query(on: app.db).all().map(\.code) == ["SYT-02"])
            #expect(try await SystemComponent.query(on: app.db).count() == 0)
            #expect(try await LevelDossier.query(on: app.db).count() == 0)
            #expect(try await DossierStep.query(on: app.db).count() == 0)
            #expect(try await ControlAssessment.query(on: app.db).count() == 0)
            #expect(try await SystemAssessment.query(on: app.db).count() == 0)
            #expect(try await StoredFile.query(on: app.db).count() == 0)
            #expect(try await SystemRevision.query(on: app.db).count() == 1)
            #expect(try await Obligation.query(on: app.db).filter(\.$subjectId == system.id!).count() == 0)
            #expect(try await Obligation.query(on: app.db).filter(\.$subjectId == keep.id!).filter(\.$ruleId == "obligations.systems").count()
                    == SystemDuty.allCases.count)
        }
    }

    @Test func anOfficerCannotMoveASystemOutOfTheirAgencyButTheCoordinatorCan() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let finance = try await Make.agency(app, code: "STC")
            let system = try await Make.system(app, agency: health, code: "SYT-01")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: health))
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)", headers: officer, beforeRequest: { req in
                JSONBody.set(&req, ["agencyId": finance.id!.uuidString])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["agencyId"])
            }
            #expect(try await Make.reload(app, system).$agency.id == health.id)
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)", headers: coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["agencyId": finance.id!.uuidString])
            }) { #expect($0.status == .ok) }
            #expect(try await Make.reload(app, system).$agency.id == finance.id)
            // The duties follow the system to its new agency, and the officer no longer sees it.
            #expect(try await Obligation.query(on: app.db).filter(\.$subjectId == system.id!).all().allSatisfy { $0.agencyId == finance.id })
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)", headers: officer) { #expect($0.status == .notFound) }
        }
    }

    @Test func componentsAreASubResourceAndTheirLevelsRaiseTheProposal() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let system = try await Make.system(app, agency: agency, code: "SYT-01")
            let other = try await Make.system(app, agency: agency, code: "SYT-02")
            var component: ComponentDTO?
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/components", headers: officer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Cổng thanh toán", "vendor": "Napas", "product": "gateway", "version": "3.1",
                                    "cpe": "cpe:2.3:a:napas:gateway:3.1:*:*:*:*:*:*:*", "level": 4])
            }) { res in
                #expect(res.status == .created)
                component = try res.content.decode(ComponentDTO.self)
            }
            let cid = try #require(component?.id)
            #expect(try await Make.reload(app, system).proposedLevel == 4)  // composite: the highest component level
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/components", headers: officer) { res in
                let list = try res.content.decode([ComponentDTO].self)
                #expect(list.map(\.name) == ["Cổng thanh toán"])
                #expect(list.first?.cpe == "cpe:2.3:a:napas:gateway:3.1:*:*:*:*:*:*:*")
            }
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)/components/\(cid)", headers: officer, beforeRequest: { req in
                JSONBody.set(&req, ["version": "3.2", "cpe": "cpe:2.3:a:napas:gateway:3.2:*:*:*:*:*:*:*", "level": 1])
            }) { res in
                #expect(res.status == .ok)
                let dto = try res.content.decode(ComponentDTO.self)
                #expect(dto.version == "3.2")
                #expect(dto.vendor == "Napas")
            }
            #expect(try await Make.reload(app, system).proposedLevel == 2)
            // The component belongs to SYT-01: reached through SYT-02 it does not exist.
            try await app.testing().test(.PATCH, "/api/v1/systems/\(other.id!)/components/\(cid)", headers: officer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "x"])
            }) { #expect($0.status == .notFound) }
            try await app.testing().test(.DELETE, "/api/v1/systems/\(other.id!)/components/\(cid)", headers: officer) { #expect($0.status == .notFound) }
            try await app.testing().test(.DELETE, "/api/v1/systems/\(system.id!)/components/\(cid)", headers: officer) { #expect($0.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/revisions", headers: officer) { res in
                let revisions = try res.content.decode([RevisionDTO].self)
                #expect(revisions.map(\.action) == ["component.delete", "component.update", "component.add", "create"])
            }
            #expect(try await app.count(SystemComponent.self) == 0)
        }
    }

    @Test func dossiersAndTheirTransitionsAreListedWithSteps() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-01")
            let other = try await Make.system(app, agency: agency, code: "SYT-02")
            let approved = try await Make.approve(app, system, coordinator: coordinator)
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers/\(approved.id)/transitions", headers: coordinator,
                                         beforeRequest: { req in JSONBody.set(&req, ["transition": "publish"]) }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["transition"])
            }
            try await app.testing().test(.POST, "/api/v1/systems/\(other.id!)/dossiers/\(approved.id)/transitions", headers: coordinator,
                                         beforeRequest: { req in JSONBody.set(&req, ["transition": "withdraw"]) }) { #expect($0.status == .notFound) }
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers/\(approved.id)/transitions", headers: coordinator,
                                         beforeRequest: { req in JSONBody.set(&req, ["transition": "withdraw"]) }) { res in
                #expect(res.status == .conflict)
                let error = try JSONBody.error(res)
                #expect(error.code == "dossier_transition_not_allowed")
                #expect(!error.message.isEmpty)
            }
            _ = try await LevelDossierAppTests.open(app, system, headers: coordinator)
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers", headers: coordinator, beforeRequest: { req in
                JSONBody.set(&req, [:])
            }) { res in
                #expect(res.status == .conflict)
                let error = try JSONBody.error(res)
                #expect(error.code == "dossier_open")
            }
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/dossiers", headers: coordinator) { res in
                let dossiers = try res.content.decode([DossierDTO].self)
                #expect(dossiers.count == 2)
                let done = try #require(dossiers.first { $0.id == approved.id })
                #expect(done.state == .approved)
                #expect(done.steps?.map(\.to) == ["submitted_for_appraisal", "appraised", "submitted_for_approval", "approved"])
                #expect(done.evaluation?.level == 2)
                #expect(done.ruleId == "decree85.criteria")
                #expect(dossiers.contains { $0.state == .draft })
            }
        }
    }

    @Test func listFiltersAreCheckedAndApplied() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let portal = try await Make.system(app, agency: agency, code: "SYT-01", name: "Cổng dịch vụ công", functionType: .citizenBusiness)
            try await Make.system(app, agency: agency, code: "SYT-02", name: "Quản lý nhân sự", lifecycle: .planned, goLive: nil)
            try await Make.approve(app, portal, coordinator: coordinator)
            let cases: [(String, [String])] = [
                ("level=2", ["SYT-01"]), ("level=none", ["SYT-02"]), ("lifecycle=planned", ["SYT-02"]),
                ("functionType=citizen_business", ["SYT-01"]), ("status=unapproved", []), ("q=cong%20dich%20vu", ["SYT-01"]),
                ("status=overdue", ["SYT-01"]),  // the approved portal's plan is not implemented
            ]
            for (query, codes) in cases {
                try await app.testing().test(.GET, "/api/v1/systems?\(query)", headers: coordinator) { res in
                    #expect(res.status == .ok, "\(query)")
                    let page = try res.content.decode(Paged<SystemDTO>.self)
                    #expect(page.items.map(\.code) == codes, "\(query)")
                }
            }
            for (query, field) in [("level=9", "level"), ("lifecycle=archived", "lifecycle"), ("functionType=x", "functionType"),
                                   ("status=late", "status"), ("agency=nope", "agency")] {
                try await app.testing().test(.GET, "/api/v1/systems?\(query)", headers: coordinator) { res in
                    #expect(res.status == .unprocessableEntity, "\(query)")
                    let error = try JSONBody.error(res)
                    #expect(Array(error.fields.keys) == [field], "\(query)")
                }
            }
        }
    }

    @Test func obligationsAreListedPerSystemAndFilteredAcrossSystems() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let system = try await Make.system(app, agency: agency, code: "SYT-01")
            try await Make.system(app, agency: agency, code: "SYT-02", lifecycle: .planned, goLive: nil)
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/obligations", headers: officer) { res in
                // The system duties; the response-readiness duties (issue 4) come from their own rule file.
                let duties = try res.content.decode([ObligationDTO].self).filter { $0.ruleId == "obligations.systems" }
                #expect(duties.map(\.dutyId) == SystemDuty.allCases.map(\.rawValue).sorted())
                #expect(duties.allSatisfy { $0.subjectId == system.id && $0.agencyId == agency.id && $0.subjectKind == "system" })
                #expect(duties.allSatisfy { !$0.title.isEmpty && !$0.explanation.isEmpty && $0.ruleVersion == "2024.1" })
            }
            try await app.testing().test(.GET, "/api/v1/obligations?duty=LEVEL_NOT_APPROVED", headers: officer) { res in
                let page = try res.content.decode(Paged<ObligationDTO>.self)
                #expect(page.total == 2)
                #expect(Set(page.items.map(\.state)) == [.overdue, .notApplicable])
            }
            // Titles and explanations come in the caller's language.
            let englishReader = try await Make.user(app, role: .leader)
            englishReader.locale = "en"
            try await englishReader.save(on: app.db)
            var english: [ObligationDTO] = []
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/obligations", headers: try await Make.token(app, for: englishReader)) { res in
                english = try res.content.decode([ObligationDTO].self)
            }
            #expect(english.first { $0.dutyId == "LEVEL_NOT_APPROVED" }?.title == "Security level approved")
        }
    }

    @Test func controlsAreReadAndAssessedThroughTheAPI() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let system = try await Make.system(app, agency: agency, code: "SYT-01", classes: [.public])
            try await Make.approve(app, system, coordinator: coordinator)
            let controls = try await ControlsTests.controls(app, system, headers: officer)
            let first = try #require(controls.controls.first)
            let res = try await ControlsTests.put(app, system, control: first.controlId,
                                                  ["status": "implemented", "effectiveDate": "2025-03-01",
                                                   "evidenceLinks": ["https://vanban.test.vn/quy-che.pdf", " "]], headers: officer)
            let dto = try res.content.decode(ControlsDTO.self)
            let saved = try #require(dto.controls.first { $0.controlId == first.controlId })
            #expect(saved.status == .implemented)
            #expect(saved.effectiveDate == "2025-03-01")
            #expect(saved.evidenceLinks == ["https://vanban.test.vn/quy-che.pdf"])
            _ = try await ControlsTests.put(app, system, control: UUID(), ["status": "in_progress"], headers: officer, expect: .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "system.control.assess").count() == 1)
        }
    }

    @Test func evaluateReturnsTheLevelWithReasonsAndNamesEachBadField() async throws {
        try await withTestApp { app in
            let liaison = try await Make.token(app, for: try await Make.user(app, role: .police, agency: try await Make.agency(app, kind: .provincialPolice)))
            let good: [String: Any] = ["name": "Cổng DVC", "functionType": "citizen_business", "informationClasses": ["personal"],
                                       "personalDataSubjects": 10_000, "components": [["name": "Thanh toán", "level": 2]]]
            try await app.testing().test(.POST, "/api/v1/classification/evaluate", headers: liaison, beforeRequest: { req in
                JSONBody.set(&req, good)
            }) { res in
                #expect(res.status == .ok)
                let proposal = try res.content.decode(LevelProposal.self)
                #expect(proposal.level == 3)
                #expect(proposal.componentLevel == 2)
                #expect(proposal.decidingCriteria == ["L3.2c"])
                #expect(proposal.ruleId == "decree85.criteria")
                let l32c = try #require(proposal.criteria.first { $0.id == "L3.2c" })
                #expect(l32c.applies)
                #expect(l32c.reasons.contains { $0.vi.contains("10.000") })
                #expect(proposal.criteria.first { $0.id == "L2.2c" }?.applies == false)
            }
            var boundary = good
            boundary["personalDataSubjects"] = 9_999
            try await app.testing().test(.POST, "/api/v1/classification/evaluate", headers: liaison, beforeRequest: { req in
                JSONBody.set(&req, boundary)
            }) { res in
                let proposal = try res.content.decode(LevelProposal.self)
                #expect(proposal.level == 2)
            }
            let bad: [([String: Any], Set<String>)] = [
                (["functionType": "mainframe", "informationClasses": ["public"]], ["functionType"]),
                (["functionType": "internal", "informationClasses": ["public"], "components": [["name": "A", "level": 9]]], ["components[0].level"]),
                (["functionType": "internal", "informationClasses": ["public", "hidden"]], ["informationClasses[1]"]),
                (["functionType": "internal", "informationClasses": ["public"], "personalDataSubjects": -1], ["personalDataSubjects"]),
                (["functionType": "internal", "informationClasses": ["public"], "personalDataSubjects": 12.5], ["personalDataSubjects"]),
                (["functionType": "internal", "informationClasses": ["public"], "owner": "x"], ["owner"]),
                ([:], ["functionType", "informationClasses"]),
            ]
            for (body, fields) in bad {
                try await app.testing().test(.POST, "/api/v1/classification/evaluate", headers: liaison, beforeRequest: { req in
                    JSONBody.set(&req, body)
                }) { res in
                    #expect(res.status == .unprocessableEntity, "\(body)")
                    let error = try JSONBody.error(res)
                    #expect(error.code == "validation_failed")
                    #expect(Set(error.fields.keys) == fields, "\(body)")
                    #expect(error.fields.values.allSatisfy { !$0.isEmpty && !$0.hasPrefix("validation.") })
                }
            }
            try await app.testing().test(.POST, "/api/v1/classification/evaluate", headers: liaison, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: "{\"functionType\": ")
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["body"])
            }
            try await app.testing().test(.POST, "/api/v1/classification/evaluate", beforeRequest: { req in JSONBody.set(&req, good) }) { res in
                #expect(res.status == .unauthorized)
            }
            #expect(try await app.count(InformationSystem.self) == 0)
            #expect(try await app.count(LevelDossier.self) == 0)
        }
    }
}
