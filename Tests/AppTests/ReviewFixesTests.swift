import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// The fixes made after the review of issue 3: document access after a move, inventory uploads, concurrent
/// workflow steps, re-evaluation on resubmission, re-determination at approval, imports that raced a colleague,
/// body limits of page routes, agencies with systems, the law cited by the explanation, future effective dates.
@Suite struct ReviewFixesTests {
    // MARK: documents follow their system

    @Test func aStoredDocumentIsReadableByTheAgencyTheSystemBelongsToNowNotTheOneItWasUploadedIn() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT", name: "Sở Y tế")
            let finance = try await Make.agency(app, code: "STC", name: "Sở Tài chính")
            let healthOfficer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let financeOfficer = try await Make.user(app, role: .agencyOfficer, agency: finance)
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: health, code: "SYT-HIS")
            let sid = system.id!
            try await Make.approve(app, system, coordinator: coordinator)
            let (cookie, csrf) = try await Make.session(app, for: healthOfficer)
            let pdf = FormBody.Upload(filename: "bang-chung.pdf", contentType: "application/pdf", bytes: Fixture.pdf)

            // One document of each kind: a control self-assessment, a periodic assessment, a dossier step.
            let control = try #require(try await CatalogueControl.query(on: app.db).filter(\.$code == "QL.CS.1").first())
            try await app.testing().test(.POST, "/systems/\(sid)/controls/\(control.id!)", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("status", "implemented"), ("effectiveDate", "2025-06-01")], files: [pdf])
            }) { res in #expect(res.status == .seeOther, "\(res.body.string.prefix(300))") }
            try await app.testing().test(.POST, "/systems/\(sid)/assessments", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("performedOn", DisplayTime.isoDay(Date().addingTimeInterval(-86_400))),
                                          ("kind", "periodic"), ("assessor", "Công ty Kiểm định ATTT")], files: [pdf])
            }) { res in #expect(res.status == .seeOther, "\(res.body.string.prefix(300))") }
            let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: try await Make.token(app, for: healthOfficer)))
            let submitted = try await LevelDossierAppTests.submit(app, system: system, dossier: dossier.id, as: healthOfficer, files: [pdf])
            #expect(submitted.status == .seeOther)

            let files = try await StoredFile.query(on: app.db).all()
            #expect(Set(files.map(\.recordType)) == ["control_assessment", "system_assessment", "dossier_step"])
            func expectAccess(_ user: User, _ status: HTTPStatus, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let headers = try await Make.session(app, for: user).headers
                for file in files {
                    try await app.testing().test(.GET, "/files/\(file.id!)", headers: headers) { res in
                        #expect(res.status == status, "\(file.recordType)", sourceLocation: sourceLocation)
                        if status == .ok { #expect(Array(res.body.readableBytesView) == Fixture.pdf, sourceLocation: sourceLocation) }
                    }
                }
            }
            try await expectAccess(healthOfficer, .ok)
            try await expectAccess(financeOfficer, .notFound)

            try await app.testing().test(.PATCH, "/api/v1/systems/\(sid)", headers: coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["agencyId": finance.id!.uuidString])
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }

            try await expectAccess(healthOfficer, .notFound)
            try await expectAccess(financeOfficer, .ok)
        }
    }

    @Test func anInventoryUploadIsDownloadableOnlyByTheCoordinatorWhoUploadedIt() async throws {
        try await withTestApp { app in
            try await Make.agency(app, code: "SYT")
            let uploader = try await Make.user(app, role: .coordinator)
            let colleague = try await Make.user(app, role: .coordinator)
            let leader = try await Make.user(app, role: .leader)
            let preview = try await InventoryImportExportTests.upload(
                app, as: uploader, name: "danh-muc.csv",
                bytes: InventoryImportExportTests.csv(["SYT,SYT-A,Hệ thống A,Sở Y tế,TT CNTT,internal,public,,building,,own_server_room,"]))
            #expect(preview.status == .ok)
            let stored = try #require(try await StoredFile.query(on: app.db).filter(\.$recordType == "import").first())
            #expect(stored.uploadedBy == uploader.id)
            try await app.testing().test(.GET, "/files/\(stored.id!)", headers: try await Make.session(app, for: uploader).headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("SYT-A"))
            }
            for other in [colleague, leader] {
                try await app.testing().test(.GET, "/files/\(stored.id!)", headers: try await Make.session(app, for: other).headers) { res in
                    #expect(res.status == .notFound, "\(other.role)")
                    #expect(!res.body.string.contains("SYT-A"))
                }
            }
        }
    }

    // MARK: concurrent workflow requests

    /// Sends one JSON POST and returns its status; safe to run several at once.
    static func post(_ tester: any TestingApplicationTester, _ path: String, headers: HTTPHeaders, json: String) async throws -> HTTPStatus {
        var headers = headers
        headers.contentType = .json
        return try await tester.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: json)).status
    }

    /// Sends the same workflow step twice at once; returns the two statuses, sorted.
    static func race(_ tester: any TestingApplicationTester, _ system: InformationSystem, _ dossier: UUID, _ step: DossierTransition,
                     headers: HTTPHeaders) async throws -> [UInt] {
        let path = "/api/v1/systems/\(system.id!)/dossiers/\(dossier)/transitions"
        let body = #"{"transition": "\#(step.rawValue)", "decisionNumber": "15/QĐ-UBND", "decisionDate": "2026-01-05", "comment": "Ý kiến"}"#
        async let first = Self.post(tester, path, headers: headers, json: body)
        async let second = Self.post(tester, path, headers: headers, json: body)
        return try await [first, second].map(\.code).sorted()
    }

    static func steps(_ app: Application, _ dossier: UUID, _ step: DossierTransition) async throws -> Int {
        try await DossierStep.query(on: app.db).filter(\.$dossier.$id == dossier).filter(\.$transition == step.rawValue).count()
    }

    @Test func twoApprovalsSentAtOnceMakeOneApprovalAndOneConflict() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let tester = try app.testing()
            // A few rounds, so that on PostgreSQL the two requests do meet inside their transactions.
            for round in 1...4 {
                let system = try await Make.system(app, agency: agency, code: "SYT-\(round)")
                let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: coordinator)).id
                for step in [DossierTransition.submit, .appraise, .submitForApproval] {
                    try await Make.transition(app, system, dossier, step, headers: coordinator, expect: .ok)
                }
                #expect(try await Self.race(tester, system, dossier, .approve, headers: coordinator) == [200, 409], "round \(round)")
                #expect(try await Self.steps(app, dossier, .approve) == 1, "round \(round)")
                #expect(try await LevelDossier.find(dossier, on: app.db)?.state == .approved)
                let approvals = try await AuditEvent.query(on: app.db).filter(\.$action == "dossier.approve")
                    .filter(\.$recordId == dossier.uuidString).count()
                #expect(approvals == 1, "round \(round)")
                let approved = try await Make.reload(app, system)
                #expect(approved.approvedLevel == 2)
                #expect(approved.revision == 2)  // one revision for the one approval
            }
        }
    }

    /// An approval also bumps the system's revision number (unique), which alone would stop a second one;
    /// an appraisal touches only the dossier, so here the claim of the step is all that stands in the way.
    @Test func twoAppraisalsSentAtOnceMakeOneAppraisalAndOneConflict() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let tester = try app.testing()
            for round in 1...4 {
                let system = try await Make.system(app, agency: agency, code: "SYT-\(round)")
                let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: coordinator)).id
                try await Make.transition(app, system, dossier, .submit, headers: coordinator, expect: .ok)
                #expect(try await Self.race(tester, system, dossier, .appraise, headers: coordinator) == [200, 409], "round \(round)")
                #expect(try await Self.steps(app, dossier, .appraise) == 1, "round \(round)")
                #expect(try await LevelDossier.find(dossier, on: app.db)?.state == .appraised)
            }
        }
    }

    @Test func twoOpenDossierRequestsSentAtOnceMakeOneDossierAndOneConflict() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let tester = try app.testing()
            for round in 1...4 {
                let system = try await Make.system(app, agency: agency, code: "SYT-\(round)")
                let path = "/api/v1/systems/\(system.id!)/dossiers"
                async let first = Self.post(tester, path, headers: officer, json: "{}")
                async let second = Self.post(tester, path, headers: officer, json: "{}")
                let statuses = try await [first, second].map(\.code).sorted()
                #expect(statuses == [201, 409], "round \(round)")
                #expect(try await LevelDossier.query(on: app.db).filter(\.$system.$id == system.id!).count() == 1, "round \(round)")
            }
            // The database itself refuses a second open dossier, whatever the code path.
            let system = try #require(try await InformationSystem.query(on: app.db).filter(\.$code == "SYT-1").first())
            let extra = LevelDossier()
            extra.$system.id = system.id!
            extra.state = .draft
            extra.proposedLevel = 2
            extra.computedLevel = 2
            extra.ruleId = "decree85.criteria"
            extra.ruleVersion = "x"
            extra.inputJSON = "{}"
            extra.evaluationJSON = "{}"
            extra.hasOpinion = false
            await #expect(throws: (any Error).self) { try await extra.create(on: app.db) }
        }
    }

    // MARK: re-evaluation and re-determination

    /// Changes facts of a system through the API as the given caller.
    static func patch(_ app: Application, _ system: InformationSystem, headers: HTTPHeaders, _ body: [String: Any],
                      sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)", headers: headers, beforeRequest: { req in
            JSONBody.set(&req, body)
        }) { res in #expect(res.status == .ok, "\(res.body.string)", sourceLocation: sourceLocation) }
    }

    @Test func aDossierResubmittedAfterTheFactsChangedCarriesTheNewEvaluation() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-DVC", functionType: .citizenBusiness,
                                               classes: [.public, .personal], subjects: 5_000)
            let opened = try #require(try await LevelDossierAppTests.open(app, system, headers: officer))
            #expect(opened.computedLevel == 2)
            #expect(opened.proposedLevel == 2)
            try await Make.transition(app, system, opened.id, .submit, headers: officer, expect: .ok)
            try await Make.transition(app, system, opened.id, .returnForRevision, headers: coordinator, comment: "Số người dùng chưa đúng", expect: .ok)
            // The stored evaluation is from an older rule version, as after a rule update.
            let stored = try #require(try await LevelDossier.find(opened.id, on: app.db))
            stored.ruleVersion = "2016.0"
            try await stored.save(on: app.db)

            try await Self.patch(app, system, headers: officer, ["personalDataSubjects": 20_000])
            let resubmitted = try #require(try await Make.transition(app, system, opened.id, .submit, headers: officer, expect: .ok))
            #expect(resubmitted.state == .submittedForAppraisal)
            #expect(resubmitted.computedLevel == 3)
            #expect(resubmitted.proposedLevel == 3)  // it followed the engine before, so it follows it now
            #expect(resubmitted.ruleVersion == app.rules.classification().header.version)
            #expect(resubmitted.evaluation?.decidingCriteria == ["L3.2c"])
            let saved = try #require(try await LevelDossier.find(opened.id, on: app.db))
            #expect(saved.input?.personalDataSubjects == 20_000)

            // Approved as resubmitted: the level is the new one and nothing is left to re-determine.
            for step in [DossierTransition.appraise, .submitForApproval, .approve] {
                try await Make.transition(app, system, opened.id, step, headers: coordinator, expect: .ok)
            }
            let approved = try await Make.reload(app, system)
            #expect(approved.approvedLevel == 3)
            #expect(!approved.needsRedetermination)
        }
    }

    @Test func aResubmittedDossierKeepsALevelThatWasChosenOverTheEngines() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-DVC", functionType: .citizenBusiness,
                                               classes: [.public, .personal], subjects: 5_000)
            let opened = try #require(try await LevelDossierAppTests.open(app, system, headers: officer,
                                                                        body: ["proposedLevel": 1, "justification": "Chỉ thử nghiệm nội bộ"]))
            #expect(opened.computedLevel == 2)
            #expect(opened.proposedLevel == 1)
            try await Make.transition(app, system, opened.id, .submit, headers: officer, expect: .ok)
            try await Make.transition(app, system, opened.id, .returnForRevision, headers: coordinator, comment: "Bổ sung", expect: .ok)
            try await Self.patch(app, system, headers: officer, ["personalDataSubjects": 20_000])
            let resubmitted = try #require(try await Make.transition(app, system, opened.id, .submit, headers: officer, expect: .ok))
            #expect(resubmitted.computedLevel == 3)
            #expect(resubmitted.proposedLevel == 1)
            #expect(resubmitted.justification == "Chỉ thử nghiệm nội bộ")
        }
    }

    @Test func anApprovalAfterAFactChangedInAppraisalLeavesTheSystemFlaggedAndAnUnchangedOneClearsIt() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-DVC", functionType: .citizenBusiness,
                                               classes: [.public, .personal], subjects: 5_000)
            let first = try #require(try await LevelDossierAppTests.open(app, system, headers: officer))
            try await Make.transition(app, system, first.id, .submit, headers: officer, expect: .ok)
            try await Make.transition(app, system, first.id, .appraise, headers: coordinator, expect: .ok)
            // While the dossier is appraised, the system crosses the 10,000-user threshold.
            try await Self.patch(app, system, headers: officer, ["personalDataSubjects": 20_000])
            try await Make.transition(app, system, first.id, .submitForApproval, headers: officer, expect: .ok)
            try await Make.transition(app, system, first.id, .approve, headers: coordinator, expect: .ok)
            var saved = try await Make.reload(app, system)
            #expect(saved.approvedLevel == 2)  // what was appraised
            #expect(saved.proposedLevel == 3)
            #expect(saved.needsRedetermination)
            #expect(saved.redeterminationFields == "personalDataSubjects")
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)", headers: officer) { res in
                let dto = try res.content.decode(SystemDTO.self)
                #expect(dto.needsRedetermination)
            }

            // A new dossier on the facts as they are, approved without further change, clears the flag.
            let second = try #require(try await LevelDossierAppTests.open(app, system, headers: officer))
            #expect(second.computedLevel == 3)
            try await Make.transition(app, system, second.id, .submit, headers: officer, expect: .ok)
            try await Make.transition(app, system, second.id, .appraise, headers: coordinator, expect: .ok)
            try await Make.transition(app, system, second.id, .submitForApproval, headers: officer, expect: .ok)
            try await Make.transition(app, system, second.id, .approve, headers: coordinator, expect: .ok)
            saved = try await Make.reload(app, system)
            #expect(saved.approvedLevel == 3)
            #expect(!saved.needsRedetermination)
            #expect(saved.redeterminationFields == nil)
        }
    }

    @Test func aChangeThatCrossesNoThresholdDuringAppraisalLeavesNothingToRedetermine() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let system = try await Make.system(app, agency: agency, code: "SYT-DVC", functionType: .citizenBusiness,
                                               classes: [.public, .personal], subjects: 5_000)
            let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: coordinator))
            try await Make.transition(app, system, dossier.id, .submit, headers: coordinator, expect: .ok)
            try await Make.transition(app, system, dossier.id, .appraise, headers: coordinator, expect: .ok)
            try await Self.patch(app, system, headers: coordinator, ["personalDataSubjects": 6_000, "purpose": "Cổng dịch vụ công"])
            try await Make.transition(app, system, dossier.id, .submitForApproval, headers: coordinator, expect: .ok)
            try await Make.transition(app, system, dossier.id, .approve, headers: coordinator, expect: .ok)
            let saved = try await Make.reload(app, system)
            #expect(saved.approvedLevel == 2)
            #expect(!saved.needsRedetermination)
            #expect(saved.redeterminationFields == nil)
        }
    }

    // MARK: an import that raced a colleague

    @Test func anImportWhoseNewCodeWasCreatedByAColleagueBeforeConfirmingAbortsWithAConflictAndWritesNothing() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.user(app, role: .coordinator)
            let preview = try await InventoryImportExportTests.upload(app, as: coordinator, name: "danh-muc.csv", bytes: InventoryImportExportTests.csv([
                "SYT,SYT-KHAC,Hệ thống khác,Sở Y tế,TT CNTT,internal,public,,building,,own_server_room,",
                "SYT,SYT-MOI,Hệ thống mới theo tệp,Sở Y tế,TT CNTT,internal,public,,building,,own_server_room,",
            ]))
            #expect(preview.status == .ok)
            #expect(preview.element(id: "preview-summary")?.contains("2 thêm mới") == true)
            // A colleague records SYT-MOI between the preview and the confirmation.
            let theirs = try await Make.system(app, agency: health, code: "SYT-MOI", name: "Hệ thống của đồng nghiệp")
            let done = try await InventoryImportExportTests.confirm(app, as: coordinator, preview: preview)
            #expect(done.status == .conflict, "\(done.headers.first(name: .location) ?? "")")
            #expect(done.body.string.contains("id=\"import-error\""))
            #expect(try await InformationSystem.query(on: app.db).all().map(\.code) == ["SYT-MOI"])
            let kept = try await Make.reload(app, theirs)
            #expect(kept.name == "Hệ thống của đồng nghiệp")
            #expect(kept.lifecycle == .operating)
            #expect(kept.revision == 1)
            #expect(try await SystemRevision.query(on: app.db).filter(\.$action == "import").count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "system.import").count() == 0)
        }
    }

    @Test func anImportWhoseNewCodeWasTakenMeanwhileInAnAgencyTheUploaderCannotEditShowsTheRowsErrorAndWritesNothing() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let finance = try await Make.agency(app, code: "STC")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let preview = try await InventoryImportExportTests.upload(app, as: officer, name: "danh-muc.csv", bytes: InventoryImportExportTests.csv([
                "SYT,SYT-KHAC,Hệ thống khác,Sở Y tế,TT CNTT,internal,public,,building,,own_server_room,",
                "SYT,SYT-MOI,Hệ thống mới theo tệp,Sở Y tế,TT CNTT,internal,public,,building,,own_server_room,",
            ]))
            #expect(preview.status == .ok)
            try await Make.system(app, agency: finance, code: "SYT-MOI", name: "Hệ thống của Sở Tài chính")
            let done = try await InventoryImportExportTests.confirm(app, as: officer, preview: preview)
            #expect(done.status == .unprocessableEntity)
            #expect(InventoryImportExportTests.problems(done)[3]?.isEmpty == false)
            #expect(!done.body.string.contains("id=\"confirm-import\""))
            let systems = try await InformationSystem.query(on: app.db).all()
            #expect(systems.map(\.code) == ["SYT-MOI"])
            #expect(systems.first?.$agency.id == finance.id)
        }
    }

    @Test func theUploaderConfirmingTheSameFileAgainUpdatesWhatTheirOwnImportCreated() async throws {
        try await withTestApp { app in
            try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.user(app, role: .coordinator)
            let preview = try await InventoryImportExportTests.upload(app, as: coordinator, name: "danh-muc.csv", bytes: InventoryImportExportTests.csv([
                "SYT,SYT-MOI,Hệ thống mới theo tệp,Sở Y tế,TT CNTT,internal,public,,building,,own_server_room,",
            ]))
            #expect(try await InventoryImportExportTests.confirm(app, as: coordinator, preview: preview).status == .seeOther)
            let again = try await InventoryImportExportTests.confirm(app, as: coordinator, preview: preview)
            #expect(again.status == .seeOther)
            #expect(again.headers.first(name: .location)?.contains("updated=1") == true)
            #expect(try await app.count(InformationSystem.self) == 1)
        }
    }

    // MARK: body limits per route over a real socket

    @Test func aLargeMultipartPostToAPageThatTakesNoUploadsIsRefusedAsTooLargeWhileTheImportReadsIt() async throws {
        try await withTestApp { app in
            let coordinator = try await Make.user(app, role: .coordinator)
            let (headers, csrf) = try await Make.session(app, for: coordinator)
            let junk = (0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
            let body = UploadOverNetworkTests.multipart(boundary: "XyZ123", csrf: csrf, fileName: "danh-muc.bin", file: junk)
            #expect(body.readableBytes > app.config.maxBodyBytes)
            try await app.testing(method: .running(port: 0)).test(.POST, "/systems/new", headers: headers, beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=XyZ123")
                req.body = body
            }) { res in
                #expect(res.status == .payloadTooLarge)
            }
            try await app.testing(method: .running(port: 0)).test(.POST, "/systems/import", headers: headers, beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=XyZ123")
                req.body = body
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"import-error\""))
            }
            #expect(try await app.count(InformationSystem.self) == 0)
        }
    }

    // MARK: agencies, the explanation, effective dates

    @Test func anAgencyThatStillHasAnInformationSystemCannotBeDeleted() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-01")
            let admin = try await Make.token(app, for: try await Make.user(app, role: .admin))
            try await app.testing().test(.DELETE, "/api/v1/agencies/\(agency.id!)", headers: admin) { res in
                #expect(res.status == .conflict)
                let error = try JSONBody.error(res)
                #expect(error.code == "agency_has_systems")
            }
            #expect(try await Agency.find(agency.id, on: app.db) != nil)
            #expect(try await InformationSystem.find(system.id, on: app.db) != nil)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "agency.delete").count() == 0)
            // Once the system is gone, the agency may go.
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            try await app.testing().test(.DELETE, "/api/v1/systems/\(system.id!)", headers: coordinator) { res in
                #expect(res.status == .noContent || res.status == .ok, "\(res.body.string)")
            }
            try await app.testing().test(.DELETE, "/api/v1/agencies/\(agency.id!)", headers: admin) { res in
                #expect(res.status == .noContent, "\(res.body.string)")
            }
            #expect(try await Agency.find(agency.id, on: app.db) == nil)
        }
    }

    @Test func theLevelExplanationCitesTheCybersecurityLawInForceNotTheOldNetworkInformationSecurityLaw() async throws {
        try await withTestApp { app in
            try await Make.agency(app, code: "UBND", name: "Ủy ban nhân dân tỉnh Lạng Sơn", kind: .provincialCommittee)
            let agency = try await Make.agency(app, code: "SYT", name: "Sở Y tế")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let system = try await Make.system(app, agency: agency, code: "SYT-HIS")
            let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: try await Make.token(app, for: officer)))
            var data = Data()
            try await app.testing().test(.GET, "/systems/\(system.id!)/dossiers/\(dossier.id)/explanation.docx",
                                         headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.status == .ok)
                data = Data(res.body.readableBytesView)
            }
            let archive = try Archive(data: data, accessMode: .read)
            let entry = try #require(archive["word/document.xml"])
            var xml = Data()
            _ = try archive.extract(entry) { xml.append($0) }
            let text = String(decoding: xml, as: UTF8.self).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(Date() >= DisplayTime.parseDay("2026-07-01")!, "this test reads the explanation as dated after 1/7/2026")
            #expect(text.contains("Căn cứ Luật An ninh mạng ngày 10 tháng 12 năm 2025;"))
            #expect(!text.contains("Luật An toàn thông tin mạng ngày 19"))
            #expect(text.contains("Nghị định số 85/2016/NĐ-CP"))
        }
    }

    @Test func aControlMarkedImplementedWithAFutureEffectiveDateIsRefused() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            let system = try await Make.system(app, agency: agency, code: "SYT-02")
            try await Make.approve(app, system, coordinator: coordinator)
            let control = try #require(try await CatalogueControl.query(on: app.db).filter(\.$code == "QL.CS.1").first())
            let future = DisplayTime.isoDay(Date().addingTimeInterval(3 * 86_400))
            let res = try await ControlsTests.put(app, system, control: control.id!,
                                                  ["status": "implemented", "effectiveDate": future,
                                                   "evidenceLinks": ["https://vanban.test.vn/qd-15.pdf"]],
                                                  headers: officer, expect: .unprocessableEntity)
            #expect(Array(try JSONBody.error(res).fields.keys) == ["effectiveDate"])
            #expect(try await app.count(ControlAssessment.self) == 0)
            // A date already passed is accepted.
            _ = try await ControlsTests.put(app, system, control: control.id!,
                                            ["status": "implemented", "effectiveDate": DisplayTime.isoDay(Date().addingTimeInterval(-86_400)),
                                             "evidenceLinks": ["https://vanban.test.vn/qd-15.pdf"]], headers: officer)
            #expect(try await ControlAssessment.query(on: app.db).first()?.status == .implemented)
        }
    }
}
