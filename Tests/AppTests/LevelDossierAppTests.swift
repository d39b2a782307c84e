import Crypto
import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// The level wizard, the dossier workflow for every role, step documents and the explanation .docx.
@Suite struct LevelDossierAppTests {
    /// Everyone who might touch a dossier of a system owned by `own`.
    struct Cast {
        let own: Agency
        let other: Agency
        let headers: [String: HTTPHeaders]
        let users: [String: User]
        subscript(_ who: String) -> HTTPHeaders { headers[who]! }

        static let outsiders = ["admin", "responder", "leader", "police", "officerOther"]

        static func make(_ app: Application) async throws -> Cast {
            let province = try await Make.agency(app, code: "UBND", name: "Ủy ban nhân dân tỉnh Lạng Sơn", kind: .provincialCommittee)
            let own = try await Make.agency(app, code: "SYT", name: "Sở Y tế", parent: province)
            let other = try await Make.agency(app, code: "STC", name: "Sở Tài chính", parent: province)
            let police = try await Make.agency(app, code: "CA", kind: .provincialPolice)
            var users: [String: User] = [:]
            users["admin"] = try await Make.user(app, role: .admin)
            users["coordinator"] = try await Make.user(app, role: .coordinator)
            users["responder"] = try await Make.user(app, role: .responder)
            users["leader"] = try await Make.user(app, role: .leader)
            users["police"] = try await Make.user(app, role: .police, agency: police)
            users["officer"] = try await Make.user(app, role: .agencyOfficer, agency: own)
            users["officerOther"] = try await Make.user(app, role: .agencyOfficer, agency: other)
            var headers: [String: HTTPHeaders] = [:]
            for (key, user) in users { headers[key] = try await Make.token(app, for: user) }
            return Cast(own: own, other: other, headers: headers, users: users)
        }

        /// Who may not see the system (404) and who may see it but not act (403).
        static func refusal(for who: String) -> HTTPStatus {
            ["police", "officerOther"].contains(who) ? .notFound : .forbidden
        }
    }

    static func open(_ app: Application, _ system: InformationSystem, headers: HTTPHeaders, body: [String: Any] = [:],
                     expect status: HTTPStatus = .created) async throws -> DossierDTO? {
        var dossier: DossierDTO?
        try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers", headers: headers, beforeRequest: { req in
            JSONBody.set(&req, body)
        }) { res in
            #expect(res.status == status, "\(res.body.string)")
            if res.status == .created { dossier = try res.content.decode(DossierDTO.self) }
        }
        return dossier
    }

    // MARK: wizard

    @Test func theWizardSavesStepsOneToThreeAndStepFourOpensADraftWithTheEnginesLevel() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-DVC", classes: [.public], lifecycle: .planned, goLive: nil)
            #expect(system.proposedLevel == 1)
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let (cookie, csrf) = try await Make.session(app, for: officer)
            let sid = system.id!
            try await app.testing().test(.GET, "/systems/\(sid)/classify", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"wizard-steps\""))
            }
            let steps: [(Int, [(String, String)])] = [
                (1, [("ownerName", "Sở Y tế"), ("operatorName", "Trung tâm Kiểm soát bệnh tật"), ("purpose", "Đăng ký khám bệnh trực tuyến"),
                     ("lifecycle", "building"), ("goLiveDate", "")]),
                (2, [("informationClasses[]", "public"), ("informationClasses[]", "personal"), ("personalDataSubjects", "12.000")]),
                (3, [("functionType", "citizen_business"), ("onlineServiceLevel", "level2"), ("infrastructureScope", ""),
                     ("industrialControl", ""), ("operates24x7", "true")]),
            ]
            for (step, fields) in steps {
                try await app.testing().test(.POST, "/systems/\(sid)/classify?step=\(step)", headers: cookie, beforeRequest: { req in
                    FormBody.set(&req, [("_csrf", csrf)] + fields)
                }) { res in
                    #expect(res.status == .seeOther, "step \(step): \(res.body.string.prefix(300))")
                    #expect(res.headers.first(name: .location) == "/systems/\(sid.uuidString.lowercased())/classify?step=\(step + 1)")
                }
            }
            let saved = try await Make.reload(app, system)
            #expect(saved.operatorName == "Trung tâm Kiểm soát bệnh tật")
            #expect(saved.lifecycle == .building)
            #expect(Set(saved.informationClasses) == [.public, .personal])
            #expect(saved.personalDataSubjects == 12_000)
            #expect(saved.functionType == .citizenBusiness)
            #expect(saved.operates24x7)
            #expect(saved.proposedLevel == 3)
            #expect(saved.revision == 4)
            try await app.testing().test(.GET, "/systems/\(sid)/classify?step=4", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "proposed-level")?.contains("3") == true)
                #expect(res.body.string.contains("class=\"criterion applies\" id=\"criterion-L3.2c\""))
                #expect(res.body.string.contains("id=\"uncertain\""))  // L3.2c is remembered, not confirmed
            }
            try await app.testing().test(.POST, "/systems/\(sid)/classify?step=4", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", csrf), ("proposedLevel", ""), ("justification", "")])
            }) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.hasPrefix("/systems/\(sid.uuidString.lowercased())/dossiers/") == true)
            }
            let dossier = try #require(try await LevelDossier.query(on: app.db).first())
            #expect(dossier.state == .draft)
            #expect(dossier.computedLevel == 3)
            #expect(dossier.proposedLevel == 3)
            #expect(dossier.ruleId == "decree85.criteria")
            #expect(dossier.ruleVersion == app.rules.classification().header.version)
            #expect(dossier.proposal?.decidingCriteria == ["L3.2c"])
            #expect(dossier.input?.personalDataSubjects == 12_000)
            try await app.testing().test(.POST, "/systems/\(sid)/classify?step=4", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", csrf)])
            }) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("Hệ thống đang có một hồ sơ đề xuất cấp độ chưa kết thúc."))
            }
            _ = try await Self.open(app, system, headers: try await Make.token(app, for: officer), expect: .conflict)
            #expect(try await app.count(LevelDossier.self) == 1)
        }
    }

    @Test func aWizardStepWithABadValueIsNamedAndSavesNothing() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-01")
            let (cookie, csrf) = try await Make.session(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            try await app.testing().test(.POST, "/systems/\(system.id!)/classify?step=2", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", csrf), ("informationClasses[]", "personal"), ("personalDataSubjects", "-4")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"personalDataSubjects-error\""))
            }
            try await app.testing().test(.POST, "/systems/\(system.id!)/classify?step=3", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", csrf), ("functionType", "mainframe")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"functionType-error\""))
            }
            try await app.testing().test(.POST, "/systems/\(system.id!)/classify?step=2", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, [("informationClasses[]", "personal")])
            }) { #expect($0.status == .forbidden) }  // no CSRF token
            #expect(try await Make.reload(app, system).revision == 1)
        }
    }

    @Test func aLevelOtherThanTheEnginesNeedsAJustification() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-01")
            let officer = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: agency))
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers", headers: officer, beforeRequest: { req in
                JSONBody.set(&req, ["proposedLevel": 3])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["justification"])
            }
            let dossier = try #require(try await Self.open(app, system, headers: officer,
                                                           body: ["proposedLevel": 3, "justification": "Kết nối với hệ thống cấp độ 3"]))
            #expect(dossier.proposedLevel == 3)
            #expect(dossier.computedLevel == 2)
        }
    }

    // MARK: workflow for every role

    @Test func onlyTheOwnAgencysOfficerAndTheCoordinatorMaySubmitAndOnlyTheCoordinatorAppraisesAndApproves() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            // Opening is refused by role first (police included), then by scope.
            for who in Cast.outsiders {
                _ = try await Self.open(app, system, headers: cast[who], expect: who == "officerOther" ? .notFound : .forbidden)
            }
            let opened = try #require(try await Self.open(app, system, headers: cast["officer"]))
            let did = opened.id
            #expect(opened.state == .draft)

            func everyoneElseIsRefused(_ transition: DossierTransition, also: [String] = []) async throws {
                for who in Cast.outsiders + also {
                    let status = also.contains(who) ? HTTPStatus.forbidden : Cast.refusal(for: who)
                    try await Make.transition(app, system, did, transition, headers: cast[who], expect: status)
                }
            }

            // draft: only submitting (or withdrawing) makes sense
            for transition in [DossierTransition.giveOpinion, .appraise, .returnForRevision, .submitForApproval, .approve] {
                try await Make.transition(app, system, did, transition, headers: cast["coordinator"], expect: .conflict)
            }
            try await everyoneElseIsRefused(.submit)
            var dossier = try #require(try await Make.transition(app, system, did, .submit, headers: cast["officer"], expect: .ok))
            #expect(dossier.state == .submittedForAppraisal)  // level 2: no technical opinion
            #expect(dossier.appraisingBody?.isEmpty == false)
            #expect(dossier.approvingBody?.isEmpty == false)

            // submitted for appraisal: the coordinator returns or appraises
            try await everyoneElseIsRefused(.returnForRevision, also: ["officer"])
            try await everyoneElseIsRefused(.appraise, also: ["officer"])
            try await Make.transition(app, system, did, .returnForRevision, headers: cast["coordinator"], comment: nil, expect: .unprocessableEntity)
            try await Make.transition(app, system, did, .returnForRevision, headers: cast["coordinator"], comment: "   ", expect: .unprocessableEntity)
            dossier = try #require(try await Make.transition(app, system, did, .returnForRevision, headers: cast["coordinator"],
                                                            comment: "Bổ sung sơ đồ mạng", expect: .ok))
            #expect(dossier.state == .returnedForRevision)
            #expect(dossier.steps?.last?.comment == "Bổ sung sơ đồ mạng")
            dossier = try #require(try await Make.transition(app, system, did, .submit, headers: cast["coordinator"], expect: .ok))
            #expect(dossier.state == .submittedForAppraisal)
            dossier = try #require(try await Make.transition(app, system, did, .appraise, headers: cast["coordinator"], expect: .ok))
            #expect(dossier.state == .appraised)

            // appraised: the owner submits for approval
            try await everyoneElseIsRefused(.submitForApproval)
            dossier = try #require(try await Make.transition(app, system, did, .submitForApproval, headers: cast["officer"], expect: .ok))
            #expect(dossier.state == .submittedForApproval)

            // submitted for approval: only the coordinator approves, with a decision number and date
            try await everyoneElseIsRefused(.approve, also: ["officer"])
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers/\(did)/transitions", headers: cast["coordinator"],
                                         beforeRequest: { req in JSONBody.set(&req, ["transition": "approve"]) }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Set(error.fields.keys) == ["decisionNumber", "decisionDate"])
            }
            let tomorrow = DisplayTime.isoDay(Date().addingTimeInterval(2 * 86_400))
            for date in [tomorrow, "31/02/2026", "hôm nay"] {
                try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/dossiers/\(did)/transitions", headers: cast["coordinator"],
                                             beforeRequest: { req in
                    JSONBody.set(&req, ["transition": "approve", "decisionNumber": "15/QĐ-UBND", "decisionDate": date])
                }) { res in
                    #expect(res.status == .unprocessableEntity, "\(date)")
                    let error = try JSONBody.error(res)
                    #expect(Array(error.fields.keys) == ["decisionDate"], "\(date)")
                }
            }
            #expect(try await Make.reload(app, system).approvedLevel == nil)
            dossier = try #require(try await Make.transition(app, system, did, .approve, headers: cast["coordinator"],
                                                            decisionNumber: "15/QĐ-UBND", decisionDate: "2026-01-05", expect: .ok))
            #expect(dossier.state == .approved)
            #expect(dossier.decisionNumber == "15/QĐ-UBND")
            #expect(dossier.decisionDate == "2026-01-05")
            let approved = try await Make.reload(app, system)
            #expect(approved.approvedLevel == 2)
            #expect(approved.approvedAt.map(DisplayTime.isoDay) == "2026-01-05")
            #expect(dossier.steps?.map(\.transition) == ["submit", "return_for_revision", "submit", "appraise", "submit_for_approval", "approve"])

            // approved is final
            for who in ["coordinator", "officer"] {
                try await Make.transition(app, system, did, .withdraw, headers: cast[who], expect: .conflict)
            }
            try await Make.transition(app, system, did, .approve, headers: cast["coordinator"], expect: .conflict)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "dossier.approve").count() == 1)
        }
    }

    @Test func theOwnAgencysOfficerAndTheCoordinatorMayWithdrawButNoOneElse() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            for withdrawer in ["officer", "coordinator"] {
                let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
                try await Make.transition(app, system, dossier.id, .submit, headers: cast["officer"], expect: .ok)
                for who in Cast.outsiders {
                    try await Make.transition(app, system, dossier.id, .withdraw, headers: cast[who], expect: Cast.refusal(for: who))
                }
                let withdrawn = try await Make.transition(app, system, dossier.id, .withdraw, headers: cast[withdrawer], expect: .ok)
                #expect(withdrawn?.state == .withdrawn)
            }
            #expect(try await LevelDossier.query(on: app.db).all().map(\.state) == [.withdrawn, .withdrawn])
        }
    }

    @Test func pageStepsAreRefusedToRolesWithoutTheAction() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
            let attempts: [(String, DossierTransition, HTTPStatus)] = [
                ("leader", .submit, .forbidden), ("admin", .submit, .forbidden), ("responder", .withdraw, .forbidden),
                ("police", .submit, .forbidden), ("officerOther", .submit, .notFound), ("officer", .approve, .forbidden),
                ("officer", .appraise, .forbidden), ("officer", .giveOpinion, .forbidden),
            ]
            for (who, transition, status) in attempts {
                let (cookie, csrf) = try await Make.session(app, for: cast.users[who]!)
                try await app.testing().test(.POST, "/systems/\(system.id!)/dossiers/\(dossier.id)/\(transition.rawValue)", headers: cookie,
                                             beforeRequest: { req in FormBody.multipart(&req, [("_csrf", csrf), ("comment", "x")], files: []) }) { res in
                    #expect(res.status == status, "\(who) \(transition.rawValue)")
                }
            }
            let (cookie, csrf) = try await Make.session(app, for: cast.users["officer"]!)
            try await app.testing().test(.POST, "/systems/\(system.id!)/dossiers/\(dossier.id)/submit", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("comment", "Kính gửi")], files: [])
            }) { res in
                #expect(res.status == .seeOther)
            }
            #expect(try await LevelDossier.find(dossier.id, on: app.db)?.state == .submittedForAppraisal)
        }
    }

    @Test func aLevelFourDossierWaitsForTheTechnicalOpinionOnce() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-LTSK") { input in
                input.nationalEGovernment = "true"
                input.operates24x7 = "true"
            }
            #expect(system.proposedLevel == 4)
            let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
            #expect(dossier.proposedLevel == 4)
            let did = dossier.id
            var state = try await Make.transition(app, system, did, .submit, headers: cast["officer"], expect: .ok)?.state
            #expect(state == .awaitingOpinion)
            try await Make.transition(app, system, did, .appraise, headers: cast["coordinator"], expect: .conflict)
            try await Make.transition(app, system, did, .giveOpinion, headers: cast["officer"], expect: .forbidden)
            try await Make.transition(app, system, did, .giveOpinion, headers: cast["leader"], expect: .forbidden)
            try await Make.transition(app, system, did, .giveOpinion, headers: cast["officerOther"], expect: .notFound)
            state = try await Make.transition(app, system, did, .giveOpinion, headers: cast["coordinator"], expect: .ok)?.state
            #expect(state == .submittedForAppraisal)
            state = try await Make.transition(app, system, did, .returnForRevision, headers: cast["coordinator"], comment: "Thiếu phương án", expect: .ok)?.state
            #expect(state == .returnedForRevision)
            // The opinion was given: resubmitting goes straight to appraisal.
            state = try await Make.transition(app, system, did, .submit, headers: cast["officer"], expect: .ok)?.state
            #expect(state == .submittedForAppraisal)
            try await Make.transition(app, system, did, .appraise, headers: cast["coordinator"], expect: .ok)
            try await Make.transition(app, system, did, .submitForApproval, headers: cast["officer"], expect: .ok)
            let approved = try await Make.transition(app, system, did, .approve, headers: cast["coordinator"], expect: .ok)
            #expect(approved?.steps?.map(\.to).contains("awaiting_opinion") == true)
            #expect(try await Make.reload(app, system).approvedLevel == 4)
        }
    }

    @Test func approvalSupersedesThePreviousApprovedDossier() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            let first = try await Make.approve(app, system, coordinator: cast["coordinator"])
            _ = try await Self.open(app, system, headers: cast["officer"])  // a closed dossier does not block a new one
            let second = try #require(try await LevelDossier.query(on: app.db).filter(\.$id != first.id).first())
            for t in [DossierTransition.submit, .appraise, .submitForApproval, .approve] {
                try await Make.transition(app, system, second.id!, t, headers: cast["coordinator"], expect: .ok)
            }
            #expect(try await LevelDossier.find(first.id, on: app.db)?.state == .superseded)
            #expect(try await LevelDossier.find(second.id, on: app.db)?.state == .approved)
        }
    }

    // MARK: documents

    static func submit(_ app: Application, system: InformationSystem, dossier: UUID, as user: User, files: [FormBody.Upload]) async throws -> TestingHTTPResponse {
        let (cookie, csrf) = try await Make.session(app, for: user)
        var response: TestingHTTPResponse?
        try await app.testing().test(.POST, "/systems/\(system.id!)/dossiers/\(dossier)/submit", headers: cookie, beforeRequest: { req in
            FormBody.multipart(&req, [("_csrf", csrf), ("comment", "Gửi kèm tờ trình")], files: files)
        }) { response = $0 }
        return response!
    }

    @Test func aStepDocumentIsStoredWithItsDigestAndOnlyPermittedUsersDownloadIt() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
            let res = try await Self.submit(app, system: system, dossier: dossier.id, as: cast.users["officer"]!,
                                            files: [.init(filename: "Tờ trình 01.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            #expect(res.status == .seeOther, "\(res.body.string.prefix(400))")
            let stored = try #require(try await StoredFile.query(on: app.db).first())
            let digest = SHA256.hash(data: Fixture.pdf).map { String(format: "%02x", $0) }.joined()
            #expect(stored.sha256 == digest)
            #expect(stored.size == Int64(Fixture.pdf.count))
            #expect(stored.contentType == "application/pdf")
            #expect(stored.originalName == "Tờ trình 01.pdf")
            #expect(stored.recordType == "dossier_step")
            #expect(stored.agencyId == cast.own.id)
            let onDisk = URL(fileURLWithPath: app.config.dataDirectory).appendingPathComponent("files/\(digest.prefix(2))/\(digest)")
            #expect(try Data(contentsOf: onDisk) == Data(Fixture.pdf))

            let (ownCookie, _) = try await Make.session(app, for: cast.users["officer"]!)
            try await app.testing().test(.GET, "/systems/\(system.id!)/dossiers/\(dossier.id)", headers: ownCookie) { res in
                #expect(res.body.string.contains("/files/\(stored.id!.uuidString.lowercased())"))
            }
            for who in ["officer", "coordinator", "leader"] {
                try await app.testing().test(.GET, "/files/\(stored.id!)", headers: try await Make.session(app, for: cast.users[who]!).headers) { res in
                    #expect(res.status == .ok, "\(who)")
                    #expect(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
                    #expect(res.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%2001.pdf") == true)
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(res.headers.contentType?.description == "application/pdf")
                    #expect(Array(res.body.readableBytesView) == Fixture.pdf)
                }
            }
            for who in ["officerOther", "police"] {
                try await app.testing().test(.GET, "/files/\(stored.id!)", headers: try await Make.session(app, for: cast.users[who]!).headers) { res in
                    #expect(res.status == .notFound, "\(who)")
                    #expect(!res.body.string.contains("%PDF"))
                }
            }
        }
    }

    @Test func executablesUnknownTypesAndMismatchedNamesAreRefusedAndNothingMoves() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
            let uploads: [FormBody.Upload] = [
                .init(filename: "setup.exe", bytes: Fixture.pdf),
                .init(filename: "bao-cao.pdf", contentType: "application/pdf", bytes: Fixture.elf),
                .init(filename: "scan.pdf", contentType: "application/pdf", bytes: Fixture.mz),
                .init(filename: "du-lieu.dat", bytes: Fixture.unknownBinary),
                .init(filename: "anh.png", contentType: "image/png", bytes: Fixture.pdf),
            ]
            for upload in uploads {
                let res = try await Self.submit(app, system: system, dossier: dossier.id, as: cast.users["officer"]!,
                                                files: [.init(filename: "to-trinh.pdf", bytes: Fixture.pdf), upload])
                #expect(res.status == .unprocessableEntity, "\(upload.filename)")
                #expect(res.body.string.contains("id=\"submit-files-error\""), "\(upload.filename)")
                #expect(res.body.string.contains(upload.filename), "\(upload.filename)")
            }
            #expect(try await app.count(StoredFile.self) == 0)
            #expect(try await app.count(DossierStep.self) == 0)
            #expect(try await LevelDossier.find(dossier.id, on: app.db)?.state == .draft)
            let files = URL(fileURLWithPath: app.config.dataDirectory).appendingPathComponent("files")
            #expect(!FileManager.default.fileExists(atPath: files.path)
                    || (FileManager.default.enumerator(atPath: files.path)?.allObjects.compactMap { $0 as? String }.filter { !$0.hasPrefix(".") && $0.count > 2 } ?? []).isEmpty)
        }
    }

    @Test func anOversizedDocumentIsRefused() async throws {
        try await withTestApp(adjusting: { $0.maxUploadBytes = 65_536 }) { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS")
            let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
            let big = Fixture.pdf + Array(repeating: UInt8(ascii: " "), count: 70_000)
            let res = try await Self.submit(app, system: system, dossier: dossier.id, as: cast.users["officer"]!,
                                            files: [.init(filename: "ho-so-lon.pdf", contentType: "application/pdf", bytes: big)])
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("id=\"submit-files-error\""))
            #expect(res.body.string.contains("ho-so-lon.pdf"))
            #expect(try await app.count(StoredFile.self) == 0)
            #expect(try await LevelDossier.find(dossier.id, on: app.db)?.state == .draft)
            let small = try await Self.submit(app, system: system, dossier: dossier.id, as: cast.users["officer"]!,
                                              files: [.init(filename: "to-trinh.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            #expect(small.status == .seeOther)
        }
    }

    @Test func theExplanationDocxHasTheNationalTitleTheSystemAndADateLine() async throws {
        try await withTestApp { app in
            let cast = try await Cast.make(app)
            let system = try await Make.system(app, agency: cast.own, code: "SYT-HIS", name: "Hệ thống thông tin bệnh viện")
            let dossier = try #require(try await Self.open(app, system, headers: cast["officer"]))
            var data = Data()
            try await app.testing().test(.GET, "/systems/\(system.id!)/dossiers/\(dossier.id)/explanation.docx",
                                         headers: try await Make.session(app, for: cast.users["officer"]!).headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                #expect(res.headers.first(name: .contentDisposition)?.contains("thuyet-minh-cap-do-SYT-HIS.docx") == true)
                data = Data(res.body.readableBytesView)
            }
            let archive = try Archive(data: data, accessMode: .read)
            let entry = try #require(archive["word/document.xml"])
            var xml = Data()
            _ = try archive.extract(entry) { xml.append($0) }
            let text = String(decoding: xml, as: UTF8.self).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            #expect(text.contains("THUYẾT MINH"))
            #expect(text.contains("Hệ thống thông tin bệnh viện"))
            // Decree 30: days 1–9 and months 1–2 take a leading zero.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let today = calendar.dateComponents([.day, .month, .year], from: Date())
            let month = today.month! <= 2 ? String(format: "%02d", today.month!) : String(today.month!)
            #expect(text.contains("Lạng Sơn, ngày \(String(format: "%02d", today.day!)) tháng \(month) năm \(today.year!)"))
            #expect(text.range(of: "ngày [0-9]{2} tháng [0-9]{1,2} năm [0-9]{4}", options: .regularExpression) != nil)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "export.levelExplanation").count() == 1)
        }
    }
}
