import Domain
import Fluent
import Formats
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite struct SystemsRegistryTests {
    static func formFields(agency: Agency, code: String, csrf: String, name: String = "Cổng dịch vụ công") -> [(String, String)] {
        [("_csrf", csrf), ("agencyId", agency.id!.uuidString.lowercased()), ("code", code), ("name", name),
         ("ownerName", "UBND tỉnh"), ("operatorName", "Trung tâm CNTT"), ("functionType", "internal"),
         ("informationClasses[]", "personal"), ("personalDataSubjects", "500"), ("lifecycle", "operating"),
         ("goLiveDate", "2024-03-01"), ("hosting", "provincial_data_centre")]
    }

    static func apiBody(agency: Agency, code: String) -> [String: Any] {
        ["agencyId": agency.id!.uuidString, "code": code, "name": "Hệ thống quản lý văn bản", "ownerName": "Sở Y tế",
         "operatorName": "Phòng CNTT", "functionType": "internal", "informationClasses": ["personal"], "personalDataSubjects": 300,
         "lifecycle": "operating", "goLiveDate": "2023-06-01", "hosting": "own_server_room"]
    }

    @Test func anOfficerRecordsASystemInTheirOwnAgencyButNotInAnother() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let finance = try await Make.agency(app, code: "STC")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let (cookie, csrf) = try await Make.session(app, for: officer)
            try await app.testing().test(.POST, "/systems/new", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, Self.formFields(agency: health, code: "syt-dvc", csrf: csrf))
            }) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.hasPrefix("/systems/") == true)
            }
            let created = try #require(try await InformationSystem.query(on: app.db).first())
            #expect(created.code == "SYT-DVC")
            #expect(created.$agency.id == health.id)
            #expect(created.revision == 1)
            try await app.testing().test(.POST, "/systems/new", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, Self.formFields(agency: finance, code: "STC-KT", csrf: csrf))
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"agencyId-error\""))
            }
            try await app.testing().test(.POST, "/api/v1/systems", headers: try await Make.token(app, for: officer), beforeRequest: { req in
                JSONBody.set(&req, Self.apiBody(agency: finance, code: "STC-KT"))
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(error.fields.keys.contains("agencyId"))
            }
            #expect(try await app.count(InformationSystem.self) == 1)
            #expect(try await app.count(SystemRevision.self) == 1)
        }
    }

    @Test func anOfficerSeesOnlyTheirSubtreeInListsCountsExportsAndPages() async throws {
        try await withTestApp { app in
            let province = try await Make.agency(app, code: "UBND", kind: .provincialCommittee)
            let health = try await Make.agency(app, code: "SYT", parent: province)
            let hospital = try await Make.agency(app, code: "BVDK", parent: health)
            let finance = try await Make.agency(app, code: "STC", name: "Sở Tài chính", parent: province)
            try await Make.system(app, agency: health, code: "SYT-01", name: "Hồ sơ sức khỏe")
            try await Make.system(app, agency: hospital, code: "BV-01", name: "Bệnh án điện tử")
            let secret = try await Make.system(app, agency: finance, code: "STC-01", name: "Kho bạc bí mật")
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            var financeDossier: UUID?
            try await app.testing().test(.POST, "/api/v1/systems/\(secret.id!)/dossiers", headers: coordinator, beforeRequest: { req in
                JSONBody.set(&req, [:])
            }) { res in
                #expect(res.status == .created)
                financeDossier = try res.content.decode(DossierDTO.self).id
            }
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let (cookie, _) = try await Make.session(app, for: officer)
            let bearer = try await Make.token(app, for: officer)

            try await app.testing().test(.GET, "/systems", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("SYT-01"))
                #expect(res.body.string.contains("BV-01"))
                #expect(!res.body.string.contains("STC-01"))
            }
            try await app.testing().test(.GET, "/api/v1/systems", headers: bearer) { res in
                let page = try res.content.decode(Paged<SystemDTO>.self)
                #expect(Set(page.items.map(\.code)) == ["SYT-01", "BV-01"])
                #expect(page.total == 2)
            }
            try await app.testing().test(.GET, "/api/v1/systems?agency=\(finance.id!)", headers: bearer) { res in
                let decoded = try res.content.decode(Paged<SystemDTO>.self)
                #expect(decoded.total == 0)
            }
            try await app.testing().test(.GET, "/", headers: cookie) { res in
                #expect(res.statNumbers(section: "duty-stats").first == 2)
            }
            try await app.testing().test(.GET, "/systems/export.csv", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("SYT-01"))
                #expect(res.body.string.contains("BV-01"))
                #expect(!res.body.string.contains("STC-01"))
            }
            try await app.testing().test(.GET, "/systems/export.xlsx", headers: cookie) { res in
                #expect(res.status == .ok)
                let sheets = try XlsxReader.read(Data(res.body.readableBytesView))
                let codes = sheets[0].rows.dropFirst().map { $0[1] }
                #expect(Set(codes) == ["SYT-01", "BV-01"])
            }
            let sid = secret.id!
            for path in ["/systems/\(sid)", "/systems/\(sid)/history", "/systems/\(sid)/controls", "/systems/\(sid)/edit",
                         "/systems/\(sid)/classify", "/systems/\(sid)/dossiers/\(financeDossier!)",
                         "/systems/\(sid)/dossiers/\(financeDossier!)/explanation.docx"] {
                try await app.testing().test(.GET, path, headers: cookie) { res in
                    #expect(res.status == .notFound, "\(path)")
                    #expect(!res.body.string.contains("Kho bạc"), "\(path)")
                }
            }
            for path in ["", "/revisions", "/components", "/dossiers", "/controls", "/obligations"] {
                try await app.testing().test(.GET, "/api/v1/systems/\(sid)\(path)", headers: bearer) { res in
                    #expect(res.status == .notFound, "\(path)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/obligations?per=100", headers: bearer) { res in
                let page = try res.content.decode(Paged<ObligationDTO>.self)
                #expect(!page.items.contains { $0.subjectId == sid })
                #expect(page.items.allSatisfy { [health.id, hospital.id].contains($0.agencyId) })
            }
        }
    }

    @Test func theCoordinatorSeesAllThePoliceOnlyTheirOwnAgencyAndTheLeaderOnlyReads() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let police = try await Make.agency(app, code: "CA", kind: .provincialPolice)
            let portal = try await Make.system(app, agency: health, code: "SYT-01", name: "Cổng Y tế")
            try await Make.system(app, agency: health, code: "SYT-02")
            try await Make.system(app, agency: police, code: "CA-01")
            try await app.testing().test(.GET, "/api/v1/systems", headers: try await Make.token(app, for: try await Make.user(app, role: .coordinator))) { res in
                let decoded = try res.content.decode(Paged<SystemDTO>.self)
                #expect(decoded.total == 3)
            }
            let liaison = try await Make.user(app, role: .police, agency: police)
            let liaisonBearer = try await Make.token(app, for: liaison)
            try await app.testing().test(.GET, "/api/v1/systems", headers: liaisonBearer) { res in
                let page = try res.content.decode(Paged<SystemDTO>.self)
                #expect(page.items.map(\.code) == ["CA-01"])
            }
            try await app.testing().test(.GET, "/api/v1/systems/\(portal.id!)", headers: liaisonBearer) { #expect($0.status == .notFound) }
            try await app.testing().test(.GET, "/systems/\(portal.id!)", headers: try await Make.session(app, for: liaison).headers) {
                #expect($0.status == .notFound)
            }

            let leader = try await Make.user(app, role: .leader)
            let (cookie, csrf) = try await Make.session(app, for: leader)
            try await app.testing().test(.GET, "/systems", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("CA-01"))
                #expect(res.body.string.contains("SYT-02"))
            }
            try await app.testing().test(.GET, "/systems/\(portal.id!)", headers: cookie) { #expect($0.status == .ok) }
            try await app.testing().test(.POST, "/systems/\(portal.id!)/edit", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, SystemsRegistryTests.formFields(agency: health, code: "SYT-01", csrf: csrf, name: "Đổi tên"))
            }) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/systems/new", headers: cookie) { #expect($0.status == .forbidden) }
            let leaderBearer = try await Make.token(app, for: leader)
            try await app.testing().test(.PATCH, "/api/v1/systems/\(portal.id!)", headers: leaderBearer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Đổi tên"])
            }) { res in
                #expect(res.status == .forbidden)
                let error = try JSONBody.error(res)
                #expect(error.code == "forbidden")
            }
            try await app.testing().test(.POST, "/api/v1/systems", headers: leaderBearer, beforeRequest: { req in
                JSONBody.set(&req, SystemsRegistryTests.apiBody(agency: health, code: "SYT-09"))
            }) { #expect($0.status == .forbidden) }
            #expect(try await Make.reload(app, portal).name == "Cổng Y tế")
            #expect(try await app.count(InformationSystem.self) == 3)
        }
    }

    @Test func aDuplicateCodeIsRefusedWith422NamingTheCode() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let other = try await Make.agency(app, code: "STC")
            try await Make.system(app, agency: other, code: "HT-01")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            try await app.testing().test(.POST, "/api/v1/systems", headers: try await Make.token(app, for: officer), beforeRequest: { req in
                JSONBody.set(&req, Self.apiBody(agency: health, code: "ht-01"))
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(error.code == "validation_failed")
                #expect(Array(error.fields.keys) == ["code"])
            }
            let (cookie, csrf) = try await Make.session(app, for: officer)
            try await app.testing().test(.POST, "/systems/new", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, Self.formFields(agency: health, code: "HT-01", csrf: csrf))
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"code-error\""))
            }
            #expect(try await app.count(InformationSystem.self) == 1)
        }
    }

    @Test func badAddressesCPEEnumsAndCountsAreNamedAndNothingIsStored() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let bearer = try await Make.token(app, for: officer)
            let cases: [(String, Any, String)] = [
                ("networkAddresses", ["10.0.0.0/24", "10.0.0.300"], "networkAddresses"),
                ("domains", ["cong..vn"], "domains"),
                ("urls", ["javascript:alert(1)"], "urls"),
                ("functionType", "mainframe", "functionType"),
                ("informationClasses", ["public", "top_secret"], "informationClasses"),
                ("lifecycle", "archived", "lifecycle"),
                ("hosting", "basement", "hosting"),
                ("personalDataSubjects", -5, "personalDataSubjects"),
                ("personalDataSubjects", 1_000_000_000_000, "personalDataSubjects"),
            ]
            for (field, value, named) in cases {
                var body = Self.apiBody(agency: health, code: "SYT-BAD")
                body[field] = value
                try await app.testing().test(.POST, "/api/v1/systems", headers: bearer, beforeRequest: { req in JSONBody.set(&req, body) }) { res in
                    #expect(res.status == .unprocessableEntity, "\(field)=\(value)")
                    let fields = try JSONBody.error(res).fields
                    #expect(Array(fields.keys) == [named], "\(field)=\(value): \(fields)")
                }
            }
            // A bad line of addresses in the page form is named next to its field, and the form keeps what was typed.
            let (cookie, csrf) = try await Make.session(app, for: officer)
            try await app.testing().test(.POST, "/systems/new", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, Self.formFields(agency: health, code: "SYT-FORM", csrf: csrf) + [("networkAddresses", "10.1.1.1\n300.1.1.1")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"networkAddresses-error\""))
                #expect(res.body.string.contains("300.1.1.1"))
            }
            #expect(try await app.count(InformationSystem.self) == 0)
            #expect(try await app.count(SystemRevision.self) == 0)

            let system = try await Make.system(app, agency: health, code: "SYT-01")
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/components", headers: bearer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Máy chủ web", "vendor": "Apache", "cpe": "cpe:2.3:a:apache:http_server"])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["cpe"])
            }
            try await app.testing().test(.POST, "/api/v1/systems/\(system.id!)/components", headers: bearer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Máy chủ web", "level": 7])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try JSONBody.error(res)
                #expect(Array(error.fields.keys) == ["level"])
            }
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)", headers: bearer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Tên mới", "personalDataSubjects": -1])
            }) { #expect($0.status == .unprocessableEntity) }
            let fresh = try await Make.reload(app, system)
            #expect(fresh.name == system.name)
            #expect(fresh.revision == 1)
            #expect(try await app.count(SystemComponent.self) == 0)
            #expect(try await app.count(SystemRevision.self) == 1)
        }
    }

    @Test func userTextIsEscapedOnSystemPages() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let hostile = "<script>alert(1)</script>\" onmouseover=\"x"
            let system = try await Make.system(app, agency: agency, code: "SYT-XSS", name: hostile) { $0.purpose = "<img src=x onerror=alert(2)>" }
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            let dossier = try #require(try await LevelDossierAppTests.open(app, system, headers: coordinator))
            try await Make.transition(app, system, dossier.id, .submit, headers: coordinator, comment: "<b>bold</b><script>x()</script>", expect: .ok)
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .leader))
            for path in ["/systems", "/systems/\(system.id!)", "/systems/\(system.id!)/history", "/systems/\(system.id!)/controls",
                         "/systems/\(system.id!)/dossiers/\(dossier.id)", "/obligations?state=overdue"] {
                try await app.testing().test(.GET, path, headers: cookie) { res in
                    #expect(res.status == .ok, "\(path)")
                    #expect(!res.body.string.contains("<script>alert"), "\(path)")
                    #expect(!res.body.string.contains("<script>x()"), "\(path)")
                    #expect(!res.body.string.contains("<img src=x"), "\(path)")
                    #expect(!res.body.string.contains("\" onmouseover=\"x"), "\(path)")
                }
            }
        }
    }

    @Test func everyChangeIsADatedRevisionAndTheHistoryShowsFieldDifferences() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health, email: "canbo@test.vn")
            let bearer = try await Make.token(app, for: officer)
            var id: UUID?
            try await app.testing().test(.POST, "/api/v1/systems", headers: bearer, beforeRequest: { req in
                JSONBody.set(&req, Self.apiBody(agency: health, code: "SYT-QLVB"))
            }) { res in
                #expect(res.status == .created)
                id = try res.content.decode(SystemDTO.self).id
                #expect(res.headers.first(name: .location) == "/api/v1/systems/\(id!.uuidString.lowercased())")
            }
            let sid = try #require(id)
            try await app.testing().test(.PATCH, "/api/v1/systems/\(sid)", headers: bearer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Quản lý văn bản và điều hành", "contactPhone": "0205 3812 345"])
            }) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(SystemDTO.self)
                #expect(decoded.revision == 2)
            }
            try await app.testing().test(.POST, "/api/v1/systems/\(sid)/components", headers: bearer, beforeRequest: { req in
                JSONBody.set(&req, ["name": "Máy chủ CSDL", "vendor": "PostgreSQL", "product": "postgresql", "version": "16.2",
                                    "cpe": "cpe:2.3:a:postgresql:postgresql:16.2:*:*:*:*:*:*:*", "level": 2])
            }) { #expect($0.status == .created) }
            try await app.testing().test(.GET, "/api/v1/systems/\(sid)/revisions", headers: bearer) { res in
                let revisions = try res.content.decode([RevisionDTO].self)
                #expect(revisions.map(\.number) == [3, 2, 1])
                #expect(revisions.map(\.action) == ["component.add", "update", "create"])
                #expect(revisions.allSatisfy { $0.changedBy == "\(officer.name) <canbo@test.vn>" })
                let update = revisions[1].changes
                #expect(Set(update.map(\.field)) == ["name", "contactPhone"])
                let name = try #require(update.first { $0.field == "name" })
                #expect(name.before == "Hệ thống quản lý văn bản")
                #expect(name.after == "Quản lý văn bản và điều hành")
                #expect(revisions[0].changes.map(\.field) == ["components"])
                #expect(revisions[0].changes.first?.after?.contains("L2") == true)
                #expect(revisions[2].changes.contains { $0.field == "code" && $0.after == "SYT-QLVB" })
            }
            try await app.testing().test(.GET, "/systems/\(sid)/history", headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                for n in 1...3 { #expect(html.contains("id=\"revision-\(n)\"")) }
                #expect(html.contains("<del>Hệ thống quản lý văn bản</del>"))
                #expect(html.contains("<ins>Quản lý văn bản và điều hành</ins>"))
                #expect(html.contains(officer.name))
            }
        }
    }
}

@Suite struct RedeterminationTests {
    /// A citizen-facing system with personal data of 9,000 people (level 2), approved.
    static func approvedCitizenSystem(_ app: Application) async throws -> (InformationSystem, HTTPHeaders) {
        let agency = try await Make.agency(app, code: "SYT")
        let system = try await Make.system(app, agency: agency, code: "SYT-DVC", functionType: .citizenBusiness, subjects: 9_000)
        let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
        let dossier = try await Make.approve(app, system, coordinator: coordinator)
        #expect(dossier.proposedLevel == 2)
        let fresh = try await Make.reload(app, system)
        #expect(fresh.approvedLevel == 2)
        #expect(!fresh.needsRedetermination)
        return (fresh, coordinator)
    }

    static func patch(_ app: Application, _ system: InformationSystem, _ body: [String: Any], headers: HTTPHeaders) async throws -> SystemDTO {
        var dto: SystemDTO?
        try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)", headers: headers, beforeRequest: { req in
            JSONBody.set(&req, body)
        }) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            dto = try res.content.decode(SystemDTO.self)
        }
        return try #require(dto)
    }

    @Test func crossingTenThousandPeopleAfterApprovalFlagsRedetermination() async throws {
        try await withTestApp { app in
            let (system, coordinator) = try await Self.approvedCitizenSystem(app)
            let dto = try await Self.patch(app, system, ["personalDataSubjects": 12_000], headers: coordinator)
            #expect(dto.needsRedetermination)
            #expect(dto.redeterminationFields == ["personalDataSubjects"])
            #expect(dto.proposedLevel == 3)
            #expect(dto.approvedLevel == 2)
            try await app.testing().test(.GET, "/api/v1/systems/\(system.id!)/obligations", headers: coordinator) { res in
                let duties = try res.content.decode([ObligationDTO].self)
                #expect(duties.first { $0.dutyId == "LEVEL_REDETERMINATION" }?.state == .overdue)
            }
            try await app.testing().test(.GET, "/systems/\(system.id!)",
                                         headers: try await Make.session(app, for: try await Make.user(app, role: .coordinator)).headers) { res in
                #expect(res.body.string.contains("id=\"redetermine\""))
            }
        }
    }

    @Test func changesThatDoNotTouchACriterionDoNotFlagIt() async throws {
        try await withTestApp { app in
            let (system, coordinator) = try await Self.approvedCitizenSystem(app)
            var dto = try await Self.patch(app, system, ["name": "Cổng dịch vụ công mới", "contactName": "Nguyễn Văn A",
                                                         "contactEmail": "a@test.vn"], headers: coordinator)
            #expect(!dto.needsRedetermination)
            dto = try await Self.patch(app, system, ["personalDataSubjects": 9_500], headers: coordinator)
            #expect(!dto.needsRedetermination)
            #expect(dto.redeterminationFields.isEmpty)
            #expect(dto.revision == 4)  // create, approval, two updates
        }
    }

    @Test func aNewFunctionTypeFlagsIt() async throws {
        try await withTestApp { app in
            let (system, coordinator) = try await Self.approvedCitizenSystem(app)
            let dto = try await Self.patch(app, system, ["functionType": "internal"], headers: coordinator)
            #expect(dto.needsRedetermination)
            #expect(dto.redeterminationFields == ["functionType"])
        }
    }

    @Test func aComponentsLevelFlagsItButItsNameDoesNot() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let system = try await Make.system(app, agency: agency, code: "SYT-HIS",
                                               components: [.init(name: "Máy chủ", vendor: nil, product: nil, version: nil, cpe: nil, level: 1)])
            let coordinator = try await Make.token(app, for: try await Make.user(app, role: .coordinator))
            try await Make.approve(app, system, coordinator: coordinator)
            let component = try #require(try await SystemComponent.query(on: app.db).first())
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)/components/\(component.id!)", headers: coordinator,
                                         beforeRequest: { req in JSONBody.set(&req, ["name": "Máy chủ ứng dụng"]) }) { #expect($0.status == .ok) }
            #expect(try await Make.reload(app, system).needsRedetermination == false)
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)/components/\(component.id!)", headers: coordinator,
                                         beforeRequest: { req in JSONBody.set(&req, ["level": 3]) }) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(ComponentDTO.self)
                #expect(decoded.level == 3)
            }
            let fresh = try await Make.reload(app, system)
            #expect(fresh.needsRedetermination)
            #expect(fresh.redeterminationFields == "components")
            #expect(fresh.proposedLevel == 3)
        }
    }

    @Test func approvingAgainClearsTheFlagAndSupersedesTheOldDossier() async throws {
        try await withTestApp { app in
            let (system, coordinator) = try await Self.approvedCitizenSystem(app)
            _ = try await Self.patch(app, system, ["personalDataSubjects": 12_000], headers: coordinator)
            let second = try await Make.approve(app, system, coordinator: coordinator)
            #expect(second.proposedLevel == 3)
            let fresh = try await Make.reload(app, system)
            #expect(fresh.approvedLevel == 3)
            #expect(!fresh.needsRedetermination)
            #expect(fresh.redeterminationFields == nil)
            let states = try await LevelDossier.query(on: app.db).all().map(\.state)
            #expect(states.sorted { $0.rawValue < $1.rawValue } == [.approved, .superseded])
        }
    }
}
