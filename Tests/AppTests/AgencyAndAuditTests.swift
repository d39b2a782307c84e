import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

@Suite struct AgencyAPITests {
    @Test func anAdministratorCreatesAnAgencyAndFindsItInTheList() async throws {
        try await withTestApp { app in
            let headers = try await Make.token(app, for: try await Make.user(app, role: .admin))
            try await app.testing().test(.POST, "/api/v1/agencies", headers: headers, beforeRequest: { req in
                try req.content.encode(["code": "syt", "name": "Sở Y tế", "kind": "department", "contactPhone": "0205 3812 345"])
            }) { res in
                #expect(res.status == .created)
                let dto = try res.content.decode(AgencyDTO.self)
                #expect(dto.code == "SYT")
                #expect(res.body.string.contains("\"contactPhone\""))
            }
            try await app.testing().test(.GET, "/api/v1/agencies?per=10", headers: headers) { res in
                let page = try res.content.decode(Paged<AgencyDTO>.self)
                #expect(page.total == 1)
                #expect(page.items.first?.name == "Sở Y tế")
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "agency.create").count() == 1)
        }
    }

    @Test func invalidFieldsAreNamedAndNothingIsWritten() async throws {
        try await withTestApp { app in
            let headers = try await Make.token(app, for: try await Make.user(app, role: .admin))
            try await app.testing().test(.POST, "/api/v1/agencies", headers: headers, beforeRequest: { req in
                try req.content.encode(["code": "x", "name": "", "kind": "district", "contactEmail": "nope", "parentId": UUID().uuidString])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let body = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: [String: Any]]
                #expect(body["error"]?["code"] as? String == "validation_failed")
                let fields = body["error"]?["fields"] as? [String: String] ?? [:]
                #expect(Set(fields.keys) == ["code", "name", "kind", "contactEmail", "parentId"])
            }
            try await app.testing().test(.POST, "/api/v1/agencies", headers: headers, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = .init(string: "{\"code\": ")
            }) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("\"code\":\"malformed\""))
            }
            #expect(try await Agency.query(on: app.db).count() == 0)
        }
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        try await withTestApp { app in
            let headers = try await Make.token(app, for: try await Make.user(app, role: .admin))
            try await app.testing(method: .running(port: 0)).test(.POST, "/api/v1/agencies", headers: headers, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = .init(string: "{\"name\":\"" + String(repeating: "a", count: 2_000_000) + "\"}")
            }) { res in #expect(res.status == .payloadTooLarge) }
        }
    }

    @Test func anOfficerSeesOnlyTheirAgencySubtreeEvenByGuessingIds() async throws {
        try await withTestApp { app in
            let province = try await Make.agency(app, code: "UBND", kind: .provincialCommittee)
            let health = try await Make.agency(app, code: "SYT", parent: province)
            let hospital = try await Make.agency(app, code: "BV", parent: health)
            let finance = try await Make.agency(app, code: "STC", name: "Sở Tài chính", parent: province)
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            _ = try await Make.user(app, role: .agencyOfficer, agency: finance, email: "stc@test.vn")
            let headers = try await Make.token(app, for: officer)
            try await app.testing().test(.GET, "/api/v1/agencies", headers: headers) { res in
                let page = try res.content.decode(Paged<AgencyDTO>.self)
                #expect(Set(page.items.map(\.code)) == ["SYT", "BV"])
                #expect(page.total == 2)
            }
            try await app.testing().test(.GET, "/api/v1/agencies/\(finance.id!)", headers: headers) { res in
                #expect(res.status == .notFound)
                #expect(!res.body.string.contains("Tài chính"))
            }
            try await app.testing().test(.GET, "/api/v1/users", headers: headers) { res in
                let page = try res.content.decode(Paged<UserDTO>.self)
                #expect(!page.items.contains { $0.email == "stc@test.vn" })
            }
            try await app.testing().test(.PATCH, "/api/v1/agencies/\(hospital.id!)", headers: headers, beforeRequest: { req in
                try req.content.encode(["contactPhone": "0205 3999 999", "name": "Renamed"])
            }) { res in
                #expect(res.status == .ok)
                let dto = try res.content.decode(AgencyDTO.self)
                #expect(dto.contactPhone == "0205 3999 999")
                #expect(dto.name != "Renamed")
            }
            let (cookie, _) = try await Make.session(app, for: officer)
            try await app.testing().test(.GET, "/agencies/\(finance.id!)", headers: cookie) { #expect($0.status == .notFound) }
            try await app.testing().test(.GET, "/agencies/export.csv", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("STC"))
                #expect(res.body.string.contains("SYT"))
            }
            try await app.testing().test(.GET, "/", headers: cookie) { res in
                #expect(res.body.string.contains("<span class=\"number\">2</span>"))
            }
        }
    }

    @Test func searchIgnoresCaseAndDiacriticsOnBothDatabases() async throws {
        try await withTestApp { app in
            try await Make.agency(app, code: "SYT", name: "Sở Y tế")
            try await Make.agency(app, code: "STC", name: "Sở Tài chính")
            try await Make.agency(app, code: "X50", name: "Quỹ 50% vốn")
            let admin = try await Make.user(app, role: .admin)
            let headers = try await Make.token(app, for: admin)
            for (q, expected) in [("so y te", ["SYT"]), ("SỞ", ["STC", "SYT"]), ("50%", ["X50"]), ("%", ["X50"]), ("_", [])] {
                try await app.testing().test(.GET, "/api/v1/agencies?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", headers: headers) { res in
                    let page = try res.content.decode(Paged<AgencyDTO>.self)
                    #expect(page.items.map(\.code).sorted() == expected, "q=\(q)")
                }
            }
            let (cookie, _) = try await Make.session(app, for: admin)
            try await app.testing().test(.GET, "/agencies?q=tai%20chinh", headers: cookie) { res in
                #expect(res.body.string.contains("Sở Tài chính"))
                #expect(!res.body.string.contains("Sở Y tế"))
            }
        }
    }

    @Test func userTextIsEscapedInPages() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .admin)
            let agency = try await Make.agency(app, name: "<script>alert(1)</script>\" onmouseover=\"x")
            let (cookie, _) = try await Make.session(app, for: admin)
            try await app.testing().test(.GET, "/agencies/\(agency.id!)", headers: cookie) { res in
                #expect(!res.body.string.contains("<script>alert"))
                #expect(res.body.string.contains("&lt;script&gt;"))
            }
            try await app.testing().test(.GET, "/agencies/\(agency.id!)/edit", headers: cookie) { res in
                #expect(!res.body.string.contains("\" onmouseover=\"x"))
            }
        }
    }

    @Test func deletingAnAgencyWithSubAgenciesIsAConflict() async throws {
        try await withTestApp { app in
            let parent = try await Make.agency(app)
            try await Make.agency(app, parent: parent)
            let headers = try await Make.token(app, for: try await Make.user(app, role: .admin))
            try await app.testing().test(.DELETE, "/api/v1/agencies/\(parent.id!)", headers: headers) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("agency_has_children"))
            }
        }
    }
}

@Suite struct AuditTrailTests {
    @Test func changesAreChainedAndTamperingIsNamed() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .admin)
            let headers = try await Make.token(app, for: admin)
            for code in ["A1", "A2", "A3"] {
                try await app.testing().test(.POST, "/api/v1/agencies", headers: headers, beforeRequest: { req in
                    try req.content.encode(["code": code, "name": "Đơn vị \(code)", "kind": "department"])
                }) { #expect($0.status == .created) }
            }
            try await app.testing().test(.GET, "/api/v1/audit-events/verify", headers: headers) { res in
                let result = try res.content.decode(AuditVerificationDTO.self)
                #expect(result.intact)
                #expect(result.events == 4)
            }
            // The database refuses changes; someone able to alter the schema drops the triggers first.
            await #expect(throws: (any Error).self) {
                try await (app.db as! any SQLDatabase).raw("UPDATE audit_events SET summary = '{}' WHERE sequence = 2").run()
            }
            await #expect(throws: (any Error).self) {
                try await (app.db as! any SQLDatabase).raw("DELETE FROM audit_events WHERE sequence = 2").run()
            }
            #expect(try await AuditLog.verify(on: app.db) == .intact(events: 5))  // the token, 3 agencies, the verification
            try await CreateAuditEventsAppendOnlyTriggers().revert(on: app.db)
            try await (app.db as! any SQLDatabase).raw("UPDATE audit_events SET summary = '{}' WHERE sequence = 2").run()
            #expect(try await AuditLog.verify(on: app.db) == .broken(sequence: 2, reason: .altered))
            try await (app.db as! any SQLDatabase).raw("DELETE FROM audit_events WHERE sequence = 2").run()
            #expect(try await AuditLog.verify(on: app.db) == .broken(sequence: 2, reason: .missing))
        }
    }

    @Test func aShiftedTimeColumnIsReportedAsAltered() async throws {
        try await withTestApp { app in
            try await app.write { db in try await AuditLog.append(AuditEntry("agency.update"), by: .system(), on: db) }
            try await CreateAuditEventsAppendOnlyTriggers().revert(on: app.db)
            let event = try await AuditEvent.query(on: app.db).first()!
            event.occurredAt = event.occurredAt.addingTimeInterval(-86_400)
            try await event.save(on: app.db)
            #expect(try await AuditLog.verify(on: app.db) == .broken(sequence: 1, reason: .altered))
        }
    }

    @Test func theAuditExportOfAnOfficerHoldsOnlyTheirAgencies() async throws {
        try await withTestApp { app in
            let mine = try await Make.agency(app)
            let other = try await Make.agency(app)
            try await app.write { db in
                try await AuditLog.append(AuditEntry("agency.update", recordId: "mine-record", agencyId: mine.id), by: .system(), on: db)
                try await AuditLog.append(AuditEntry("agency.update", recordId: "other-record", agencyId: other.id), by: .system(), on: db)
            }
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .agencyOfficer, agency: mine))
            try await app.testing().test(.GET, "/audit/export.csv", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("mine-record"))
                #expect(!res.body.string.contains("other-record"))
            }
        }
    }

    @Test func concurrentAppendsKeepOneUnbrokenChain() async throws {
        try await withTestApp { app in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await app.write { db in
                            let agency = Agency(code: "C\(index)", name: "Đơn vị \(index)", kind: .commune, parentId: nil)
                            try await agency.create(on: db)
                            try await AuditLog.append(AuditEntry("agency.create", recordType: "agency", recordId: agency.id?.uuidString,
                                                                 agencyId: agency.id, after: agency.auditSnapshot), by: .system(), on: db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditLog.verify(on: app.db) == .intact(events: 40))
        }
    }

    @Test func anOfficerSeesOnlyTheAuditEventsOfTheirAgencies() async throws {
        try await withTestApp { app in
            let mine = try await Make.agency(app)
            let other = try await Make.agency(app)
            let actor = AuditActor.system()
            try await app.write { db in
                try await AuditLog.append(AuditEntry("agency.update", agencyId: mine.id), by: actor, on: db)
                try await AuditLog.append(AuditEntry("agency.update", agencyId: other.id), by: actor, on: db)
            }
            let headers = try await Make.token(app, for: try await Make.user(app, role: .agencyOfficer, agency: mine))
            try await app.testing().test(.GET, "/api/v1/audit-events", headers: headers) { res in
                let page = try res.content.decode(Paged<AuditEventDTO>.self)
                #expect(page.items.allSatisfy { $0.agencyId == mine.id })
                #expect(page.total >= 1)
            }
        }
    }

    @Test func theUsersExportOfAnOfficerHoldsOnlyTheirAgencies() async throws {
        try await withTestApp { app in
            let mine = try await Make.agency(app)
            let other = try await Make.agency(app)
            _ = try await Make.user(app, role: .agencyOfficer, agency: other, email: "someone-else@test.vn")
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .agencyOfficer, agency: mine, email: "me@test.vn"))
            try await app.testing().test(.GET, "/users/export.csv", headers: cookie) { res in
                #expect(res.body.string.contains("me@test.vn"))
                #expect(!res.body.string.contains("someone-else@test.vn"))
            }
        }
    }

    @Test func unreadableAuditFiltersAreNamed() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .admin)
            let (cookie, _) = try await Make.session(app, for: admin)
            try await app.testing().test(.GET, "/audit?from=31/02/2026&to=05/01/2026", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"from-error\""))
                #expect(!res.body.string.contains("id=\"to-error\""))
            }
            try await app.testing().test(.GET, "/api/v1/audit-events?from=yesterday&actorId=x", headers: try await Make.token(app, for: admin)) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("\"from\""))
                #expect(res.body.string.contains("\"actorId\""))
            }
        }
    }

    @Test func exportsAreAudited() async throws {
        try await withTestApp { app in
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .coordinator))
            try await app.testing().test(.GET, "/users/export.csv", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "export.users").count() == 1)
        }
    }
}

@Suite struct TokenTests {
    @Test func revokedTokensAreRefused() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .leader)
            let headers = try await Make.token(app, for: user)
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"role\":\"leader\""))
            }
            let token = try await APIToken.query(on: app.db).first()!
            try await app.testing().test(.DELETE, "/api/v1/tokens/\(token.id!)", headers: headers) { #expect($0.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { res in
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("\"code\":\"unauthenticated\""))
            }
        }
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .leader)
            let headers = try await Make.token(app, for: user)
            let secret = headers.bearerAuthorization!.token
            let stored = try await APIToken.query(on: app.db).first()!
            #expect(stored.tokenHash == Secrets.sha256Hex(secret))
            #expect(!stored.tokenHash.contains(secret))
        }
    }

    @Test func anotherUsersTokenCannotBeSeenOrRevoked() async throws {
        try await withTestApp { app in
            let alice = try await Make.user(app, role: .responder)
            let bob = try await Make.user(app, role: .responder)
            _ = try await Make.token(app, for: alice)
            let aliceToken = try await APIToken.query(on: app.db).first()!
            let bobHeaders = try await Make.token(app, for: bob)
            try await app.testing().test(.DELETE, "/api/v1/tokens/\(aliceToken.id!)", headers: bobHeaders) { #expect($0.status == .notFound) }
        }
    }
}

@Suite struct PoliceScopeTests {
    @Test func thePoliceLiaisonSeesNoOtherUsersOrAgencies() async throws {
        try await withTestApp { app in
            let police = try await Make.agency(app, code: "CA", kind: .provincialPolice)
            let health = try await Make.agency(app, code: "SYT")
            let liaison = try await Make.user(app, role: .police, agency: police)
            _ = try await Make.user(app, role: .police, agency: police, email: "colleague@test.vn")
            let headers = try await Make.token(app, for: liaison)
            try await app.testing().test(.GET, "/api/v1/users", headers: headers) { res in
                let page = try res.content.decode(Paged<UserDTO>.self)
                #expect(page.items.map(\.id) == [liaison.id!])
            }
            try await app.testing().test(.GET, "/api/v1/agencies/\(health.id!)", headers: headers) { #expect($0.status == .notFound) }
        }
    }

    @Test func auditVerificationIsShownFromTheServerNotTheURL() async throws {
        try await withTestApp { app in
            let (cookie, csrf) = try await Make.session(app, for: try await Make.user(app, role: .leader))
            try await app.testing().test(.GET, "/audit?verified=ok-999", headers: cookie) { res in
                #expect(!res.body.string.contains("id=\"verify-result\""))
            }
            try await app.testing().test(.POST, "/audit/verify", headers: cookie, beforeRequest: { req in
                try req.content.encode(["_csrf": csrf], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"verify-result\""))
            }
        }
    }
}

@Suite struct UserAPITests {
    @Test func invalidUserFieldsAreNamedAndDuplicatesRefused() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .admin, email: "admin@test.vn")
            let headers = try await Make.token(app, for: admin)
            try await app.testing().test(.POST, "/api/v1/users", headers: headers, beforeRequest: { req in
                try req.content.encode(["name": "", "email": "admin@test.vn", "role": "agency_officer", "phone": "12"])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let body = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: [String: Any]]
                let fields = body["error"]?["fields"] as? [String: String] ?? [:]
                #expect(Set(fields.keys) == ["name", "email", "phone", "agencyId"])
            }
            try await app.testing().test(.POST, "/api/v1/users", headers: headers, beforeRequest: { req in
                try req.content.encode(["name": "Lãnh đạo", "email": "lanhdao@test.vn", "role": "leader"])
            }) { res in
                #expect(res.status == .created)
                let created = try res.content.decode(UserWithPasswordDTO.self)
                #expect(created.user.mustChangePassword)
                #expect(created.temporaryPassword.count == 19)
            }
        }
    }

    @Test func aRefusedPatchChangesNothing() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .admin)
            let headers = try await Make.token(app, for: admin)
            try await app.testing().test(.PATCH, "/api/v1/users/\(admin.id!)", headers: headers, beforeRequest: { req in
                try req.content.encode(["name": "Đổi tên", "status": "locked"])
            }) { #expect($0.status == .conflict) }
            #expect(try await User.find(admin.id, on: app.db)?.name == admin.name)
        }
    }

    @Test func aTokenMadeWithATokenNeverOutlivesIt() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .responder)
            let headers = try await Make.token(app, for: user)
            try await app.testing().test(.POST, "/api/v1/tokens", headers: headers, beforeRequest: { req in
                try req.content.encode(TokenService.Input(name: "child", days: 365))
            }) { res in
                #expect(res.status == .created)
                let child = try res.content.decode(CreatedTokenDTO.self)
                #expect(child.token.expiresAt! <= Date().addingTimeInterval(86_400 + 5))
            }
            try await app.testing().test(.POST, "/api/v1/tokens", headers: headers, beforeRequest: { req in
                try req.content.encode(TokenService.Input(name: "", days: 999))
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("\"days\""))
                #expect(res.body.string.contains("\"name\""))
            }
        }
    }

    @Test func linksKeepAPlusSignInFilters() {
        #expect(SiteURL.users.path(query: ["q": "a+b@test.vn"]) == "/users?q=a%2Bb@test.vn")
    }
}
