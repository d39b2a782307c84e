import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// Authority warnings: matching against the inventory, what agency officers see and do, the remediation duty, and
/// imports from CSAF 2.0 and NVD CVE JSON 2.0.
@Suite struct WarningsTests {
    /// Two agencies, a coordinator, an officer of each, the police liaison.
    struct World {
        let agencyA: Agency
        let agencyB: Agency
        let coordinator: HTTPHeaders
        let officerA: HTTPHeaders
        let officerB: HTTPHeaders
        let police: HTTPHeaders
        let officerAUser: User
        let officerBUser: User

        static func make(_ app: Application) async throws -> World {
            let a = try await Make.agency(app, name: "Sở Y tế")
            let b = try await Make.agency(app, name: "Sở Tài chính")
            let oa = try await Make.user(app, role: .agencyOfficer, agency: a)
            let ob = try await Make.user(app, role: .agencyOfficer, agency: b)
            return World(agencyA: a, agencyB: b,
                         coordinator: try await Make.token(app, for: try await Make.user(app, role: .coordinator)),
                         officerA: try await Make.token(app, for: oa), officerB: try await Make.token(app, for: ob),
                         police: try await Make.token(app, for: try await Make.user(app, role: .police, agency: b)),
                         officerAUser: oa, officerBUser: ob)
        }
    }

    static func component(_ name: String, vendor: String? = nil, product: String? = nil, version: String? = nil, cpe: String? = nil) -> ComponentInput.Valid {
        .init(name: name, vendor: vendor, product: product, version: version, cpe: cpe, level: nil)
    }

    static var apacheWarning: [String: Any] { [
        "issuer": "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an",
        "number": "123/A05-P2", "issuedOn": DisplayTime.isoDay(Date()), "title": "Lỗ hổng nghiêm trọng trong Apache HTTP Server",
        "cves": ["CVE-2023-45802", "cve-2023-43622"], "severity": "high", "cvssScore": 7.5,
        "requiredAction": "Cập nhật Apache HTTP Server lên phiên bản 2.4.58 trở lên.",
        "products": [["vendor": "Apache", "product": "HTTP Server", "versions": ">= 2.4.0, < 2.4.58"]],
    ] }

    @discardableResult
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, json: [String: Any]? = nil,
                     expect status: HTTPStatus, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var object: [String: Any] = [:]
        try await app.testing().test(method, path, headers: headers, beforeRequest: { req in
            if let json { JSONBody.set(&req, json) }
        }) { res in
            #expect(res.status == status, "\(method) \(path): \(res.body.string)", sourceLocation: sourceLocation)
            object = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]
        }
        return object
    }

    static func systems(_ warning: [String: Any]) -> [[String: Any]] { warning["systems"] as? [[String: Any]] ?? [] }

    @Test func aWarningWithAVersionRangeMatchesTheRightSystemsWithReasonsAndNotTheOthers() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let derived = try await Make.system(app, agency: w.agencyA, code: "HT-WEB1", name: "Cổng thông tin",
                                                components: [Self.component("Máy chủ web", vendor: "Apache", product: "HTTP Server", version: "2.4.57")])
            let withCPE = try await Make.system(app, agency: w.agencyB, code: "HT-WEB2", name: "Dịch vụ công",
                                                components: [Self.component("Web", cpe: "cpe:2.3:a:apache:http_server:2.4.10:*:*:*:*:*:*:*")])
            let patched = try await Make.system(app, agency: w.agencyA, code: "HT-WEB3", name: "Một cửa",
                                                components: [Self.component("Web", cpe: "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*")])
            let other = try await Make.system(app, agency: w.agencyA, code: "HT-NGX", name: "Thư điện tử",
                                              components: [Self.component("Proxy", vendor: "F5", product: "nginx", version: "1.25.3")])
            let created = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: Self.apacheWarning, expect: .created)
            #expect(created["cves"] as? [String] == ["CVE-2023-45802", "CVE-2023-43622"])
            let rows = Self.systems(created)
            let ids = Set(rows.compactMap { $0["systemId"] as? String }.compactMap(UUID.init(uuidString:)))
            #expect(ids == [derived.id!, withCPE.id!])
            #expect(!ids.contains(patched.id!) && !ids.contains(other.id!))
            let first = try #require(rows.first { $0["systemId"] as? String == derived.id!.uuidString })
            let reason = try #require((first["reasons"] as? [[String: Any]])?.first)
            #expect(reason["kind"] as? String == "match")
            #expect(reason["component"] as? String == "Máy chủ web 2.4.57")
            #expect(reason["range"] as? String == ">= 2.4.0, < 2.4.58")
            #expect((reason["derivedCpe"] as? String)?.hasPrefix("cpe:2.3:a:apache:http_server:2.4.57") == true)
            #expect((reason["explanation"] as? String)?.contains("2.4.58") == true)
            let second = try #require(rows.first { $0["systemId"] as? String == withCPE.id!.uuidString })
            let cpeReason = try #require((second["reasons"] as? [[String: Any]])?.first)
            #expect(cpeReason["derivedCpe"] == nil || cpeReason["derivedCpe"] is NSNull)
            #expect(first["state"] as? String == "affected")
            #expect((created["tally"] as? [String: Any])?["systems"] as? Int == 2)
            // The page shows each system with its reason.
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .coordinator))
            try await app.testing().test(.GET, "/warnings/\(created["id"] as! String)", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("HT-WEB1") && res.body.string.contains("HT-WEB2") && !res.body.string.contains("HT-WEB3"))
                #expect(res.body.string.contains("cpe:2.3:a:apache:http_server:2.4.57"))
            }
        }
    }

    @Test func anOfficerSeesOnlyWarningsTouchingTheirSystemsAndOnlyTheirRows() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let mine = try await Make.system(app, agency: w.agencyA, code: "HT-A1", name: "Hệ thống của A",
                                             components: [Self.component("Web", vendor: "Apache", product: "http_server", version: "2.4.50")])
            let theirs = try await Make.system(app, agency: w.agencyB, code: "HT-B1", name: "Hệ thống bí mật của B",
                                               components: [Self.component("Web", vendor: "Apache", product: "http_server", version: "2.4.50"),
                                                            Self.component("CSDL", vendor: "Oracle", product: "MySQL", version: "8.0.33")])
            let both = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: Self.apacheWarning, expect: .created)
            var mysql = Self.apacheWarning
            mysql["title"] = "Lỗ hổng MySQL"
            mysql["number"] = "124/A05-P2"
            mysql["cves"] = ["CVE-2023-22068"]
            mysql["products"] = [["cpe": "cpe:2.3:a:oracle:mysql:*:*:*:*:*:*:*:*", "versions": ">= 8.0, <= 8.0.34"]]
            let onlyB = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: mysql, expect: .created)
            #expect(Self.systems(onlyB).map { $0["systemId"] as? String } == [theirs.id!.uuidString])
            let bothId = both["id"] as! String, onlyBId = onlyB["id"] as! String

            let list = try await Self.send(app, .GET, "/api/v1/warnings", headers: w.officerA, expect: .ok)
            #expect(list["total"] as? Int == 1)
            let item = try #require((list["items"] as? [[String: Any]])?.first)
            #expect(item["id"] as? String == bothId)
            #expect((item["tally"] as? [String: Any])?["systems"] as? Int == 1)
            let read = try await Self.send(app, .GET, "/api/v1/warnings/\(bothId)", headers: w.officerA, expect: .ok)
            #expect(Self.systems(read).map { $0["systemId"] as? String } == [mine.id!.uuidString])
            try await Self.send(app, .GET, "/api/v1/warnings/\(onlyBId)", headers: w.officerA, expect: .notFound)
            try await Self.send(app, .GET, "/api/v1/warnings/\(bothId)/systems/\(theirs.id!)", headers: w.officerA, expect: .notFound)
            try await Self.send(app, .POST, "/api/v1/warnings/\(bothId)/systems/\(theirs.id!)", headers: w.officerA,
                                json: ["action": "acknowledge"], expect: .notFound)
            try await Self.send(app, .PATCH, "/api/v1/warnings/\(bothId)", headers: w.officerA, json: ["title": "x", "version": 1], expect: .forbidden)
            // The police liaison sees none of this.
            try await Self.send(app, .GET, "/api/v1/warnings", headers: w.police, expect: .forbidden)

            let officer = try await Make.user(app, role: .agencyOfficer, agency: w.agencyA)
            let (cookie, _) = try await Make.session(app, for: officer)
            try await app.testing().test(.GET, "/warnings", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("123/A05-P2") && !res.body.string.contains("124/A05-P2"))
            }
            try await app.testing().test(.GET, "/warnings/\(onlyBId)", headers: cookie) { #expect($0.status == .notFound) }
            try await app.testing().test(.GET, "/warnings/\(bothId)", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("HT-A1") && !res.body.string.contains("HT-B1"))
            }
            try await app.testing().test(.GET, "/warnings/tracking", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("Hệ thống bí mật của B") && !res.body.string.contains("124/A05-P2"))
            }
            // Their duties list only their own rows.
            let duties = try await Self.send(app, .GET, "/api/v1/obligations?duty=WARNING_REMEDIATION_DUE", headers: w.officerA, expect: .ok)
            #expect(duties["total"] as? Int == 1)
            let policeDuties = try await Self.send(app, .GET, "/api/v1/obligations?duty=WARNING_REMEDIATION_DUE", headers: w.police, expect: .ok)
            #expect(policeDuties["total"] as? Int == 0)
        }
    }

    @Test func theAgencyAcknowledgesThenRecordsTheRemediationWithEvidence() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let system = try await Make.system(app, agency: w.agencyA, code: "HT-R1",
                                               components: [Self.component("Web", vendor: "Apache", product: "HTTP Server", version: "2.4.57")])
            let created = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: Self.apacheWarning, expect: .created)
            let id = created["id"] as! String
            // The officer was told.
            let told = try await UserNotification.query(on: app.db).filter(\.$user.$id == w.officerAUser.id!).all()
            #expect(told.map(\.kind) == [.authorityWarning])
            #expect(try await UserNotification.query(on: app.db).filter(\.$user.$id == w.officerBUser.id!).count() == 0)

            let acked = try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA,
                                            json: ["action": "acknowledge", "version": 1], expect: .ok)
            #expect(acked["state"] as? String == "acknowledged")
            #expect(acked["acknowledgedAt"] != nil)
            // A stale version is refused.
            try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA,
                                json: ["action": "remediate", "note": "x", "version": 1], expect: .conflict)
            // Remediation needs a note.
            let refused = try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA,
                                              json: ["action": "remediate", "version": 2], expect: .unprocessableEntity)
            #expect((refused["error"] as? [String: Any]).flatMap { $0["fields"] as? [String: String] }?["note"] != nil)

            var remediated: [String: Any] = [:]
            try await app.testing().test(.POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA, beforeRequest: { req in
                FormBody.multipart(&req, [("action", "remediate"), ("version", "2"), ("note", "Đã nâng cấp lên Apache 2.4.58 ngày 20/11.")],
                                   files: [.init(filename: "bien-ban.pdf", contentType: "application/pdf", bytes: Fixture.pdf)])
            }) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                remediated = try JSONBody.object(res)
            }
            #expect(remediated["state"] as? String == "remediated")
            #expect(remediated["remediationNote"] as? String == "Đã nâng cấp lên Apache 2.4.58 ngày 20/11.")
            let files = try #require(remediated["files"] as? [[String: Any]])
            #expect(files.map { $0["name"] as? String } == ["bien-ban.pdf"])
            let fileId = files[0]["id"] as! String
            try await app.testing().test(.GET, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.coordinator) { res in
                #expect(res.status == .ok)
            }
            // The evidence follows the row: its agency and the province read it, another agency and the police do not.
            let (cookieA, _) = try await Make.session(app, for: w.officerAUser)
            let (cookieB, _) = try await Make.session(app, for: w.officerBUser)
            try await app.testing().test(.GET, "/files/\(fileId)", headers: cookieA) { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/files/\(fileId)", headers: cookieB) { #expect($0.status == .notFound) }
            // Closed rows cannot be remediated again; a coordinator may reopen.
            try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA,
                                json: ["action": "not_affected", "reason": "x"], expect: .unprocessableEntity)
            try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA,
                                json: ["action": "reopen", "reason": "x"], expect: .forbidden)
            let reopened = try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.coordinator,
                                               json: ["action": "reopen", "reason": "Bản vá chưa được áp dụng trên máy chủ dự phòng"], expect: .ok)
            #expect(reopened["state"] as? String == "acknowledged")
        }
    }

    @Test func theRemediationDutyIsOverdueAfterTheDeadlineAndMetOnceRemediated() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let system = try await Make.system(app, agency: w.agencyA, code: "HT-D1", name: "Hệ thống quá hạn",
                                               components: [Self.component("Web", vendor: "Apache", product: "HTTP Server", version: "2.4.57")])
            var body = Self.apacheWarning
            let day: TimeInterval = 86_400
            body["issuedOn"] = DisplayTime.isoDay(Date().addingTimeInterval(-20 * day))
            body["deadline"] = DisplayTime.isoDay(Date().addingTimeInterval(10 * day))
            let created = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: body, expect: .created)
            let id = try #require(UUID(uuidString: created["id"] as! String))
            func duty() async throws -> Obligation {
                try #require(try await Obligation.query(on: app.db).filter(\.$dutyId == "WARNING_REMEDIATION_DUE").first())
            }
            #expect(try await duty().state == .dueSoon)
            #expect(try await duty().agencyId == w.agencyA.id)
            // Eleven days later the deadline has passed.
            let later = Date().addingTimeInterval(11 * day)
            try await app.write { db in try await WarningObligationRefresher.refresh(warningIds: [id], rules: app.rules, now: later, on: db) }
            let overdue = try await duty()
            #expect(overdue.state == .overdue)
            #expect(overdue.explanationVi.contains("123/A05-P2"))
            // The hourly refresh of everything keeps it.
            try await ObligationJobs.refreshAll(app: app, now: later)
            #expect(try await duty().state == .overdue)
            // A deadline already passed shows on the tracking page's overdue list.
            body["number"] = "99/A05-P2"
            body["deadline"] = DisplayTime.isoDay(Date().addingTimeInterval(-2 * day))
            let late = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: body, expect: .created)
            let (cookie, _) = try await Make.session(app, for: try await Make.user(app, role: .coordinator))
            try await app.testing().test(.GET, "/warnings/tracking", headers: cookie) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                let overdueTable = html.components(separatedBy: "id=\"overdue-table\"").last?.components(separatedBy: "</table>").first ?? ""
                #expect(overdueTable.contains("99/A05-P2") && overdueTable.contains("HT-D1"))
                #expect(!overdueTable.contains("123/A05-P2"))
            }
            let list = try await Self.send(app, .GET, "/api/v1/warnings?state=overdue", headers: w.officerA, expect: .ok)
            #expect((list["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [late["id"] as? String])
            // Remediated: met.
            try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.officerA,
                                json: ["action": "remediate", "note": "Đã cập nhật bản vá."], expect: .ok)
            try await app.write { db in try await WarningObligationRefresher.refresh(warningIds: [id], rules: app.rules, now: later, on: db) }
            let rows = try await Obligation.query(on: app.db).filter(\.$dutyId == "WARNING_REMEDIATION_DUE").all()
            let row = try #require(try await WarningSystem.query(on: app.db).filter(\.$warningId == id).first())
            #expect(rows.first { $0.subjectId == row.id }?.state == .met)
            // The obligations page links the duty to its warning.
            try await app.testing().test(.GET, "/warnings/affected/\(row.id!)", headers: cookie) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.hasPrefix("/warnings/\(id.uuidString.lowercased())") == true)
            }
        }
    }

    @Test func editingNeedsTheCurrentVersionAndMatchesAgain() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let system = try await Make.system(app, agency: w.agencyA, code: "HT-E1",
                                               components: [Self.component("Web", vendor: "Apache", product: "HTTP Server", version: "2.4.57")])
            let created = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: Self.apacheWarning, expect: .created)
            let id = created["id"] as! String
            #expect(Self.systems(created).count == 1)
            try await Self.send(app, .PATCH, "/api/v1/warnings/\(id)", headers: w.coordinator, json: ["title": "Sửa"], expect: .preconditionRequired)
            let edited = try await Self.send(app, .PATCH, "/api/v1/warnings/\(id)", headers: w.coordinator,
                                             json: ["version": 1, "products": [["vendor": "Apache", "product": "HTTP Server", "versions": "< 2.4.50"]]],
                                             expect: .ok)
            #expect(edited["version"] as? Int == 2)
            #expect(Self.systems(edited).isEmpty, "2.4.57 is no longer in the range; the row was never acted on")
            try await Self.send(app, .PATCH, "/api/v1/warnings/\(id)", headers: w.coordinator, json: ["version": 1, "title": "Cũ"], expect: .conflict)
            // Bad input names the field.
            let bad = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator,
                                          json: ["issuer": "A05", "issuedOn": DisplayTime.isoDay(Date()), "title": "x", "cves": ["CVE-23-1"],
                                                 "products": [["vendor": "Apache", "product": "HTTP Server", "versions": "> 3 < 2"]]],
                                          expect: .unprocessableEntity)
            let fields = (bad["error"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
            #expect(fields["cves"]?.contains("CVE-23-1") == true)
            #expect(fields["products"]?.contains("\"> 3 < 2\"") == true, "\(fields)")
            // A coordinator adds a system by hand with a reason; it stays through a rematch.
            let added = try await Self.send(app, .POST, "/api/v1/warnings/\(id)/systems/\(system.id!)", headers: w.coordinator,
                                             json: ["action": "add", "reason": "A05 nêu đích danh máy chủ này"], expect: .created)
            #expect(added["origin"] as? String == "manual")
            let rematched = try await Self.send(app, .POST, "/api/v1/warnings/\(id)/rematch", headers: w.coordinator, expect: .ok)
            #expect(Self.systems(rematched["warning"] as? [String: Any] ?? [:]).count == 1)
        }
    }

    @Test func aComponentChangeMatchesTheSystemAgainInTheBackground() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let system = try await Make.system(app, agency: w.agencyA, code: "HT-C1",
                                               components: [Self.component("Web", vendor: "F5", product: "nginx", version: "1.25")])
            let created = try await Self.send(app, .POST, "/api/v1/warnings", headers: w.coordinator, json: Self.apacheWarning, expect: .created)
            #expect(Self.systems(created).isEmpty)
            try await Self.send(app, .POST, "/api/v1/systems/\(system.id!)/components", headers: w.officerA,
                                json: ["name": "Máy chủ web mới", "vendor": "Apache", "product": "HTTP Server", "version": "2.4.55"], expect: .created)
            #expect(try await app.jobRecords(kind: WarningJobs.match).count == 1)
            try await app.drainJobs()
            let read = try await Self.send(app, .GET, "/api/v1/warnings/\(created["id"] as! String)", headers: w.officerA, expect: .ok)
            #expect(Self.systems(read).map { $0["systemCode"] as? String } == ["HT-C1"])
            #expect(try await UserNotification.query(on: app.db).filter(\.$user.$id == w.officerAUser.id!).filter(\.$kind == .authorityWarning).count() == 1)
        }
    }

    // MARK: imports

    static let csaf = #"""
    {
      "document": {
        "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "Apache HTTP Server: nhiều lỗ hổng",
        "publisher": {"category": "coordinator", "name": "Trung tâm Giám sát an toàn không gian mạng quốc gia", "namespace": "https://khonggianmang.vn"},
        "notes": [{"category": "summary", "text": "Kẻ tấn công từ xa có thể gây từ chối dịch vụ."}],
        "references": [{"category": "external", "summary": "Apache", "url": "https://httpd.apache.org/security/vulnerabilities_24.html"}],
        "tracking": {"id": "NCSC-2023-0042", "status": "final", "version": "1",
                     "initial_release_date": "2023-10-20T08:00:00.000Z", "current_release_date": "2023-10-20T08:00:00.000Z",
                     "revision_history": [{"date": "2023-10-20T08:00:00.000Z", "number": "1", "summary": "Initial"}]}
      },
      "product_tree": {"branches": [{"category": "vendor", "name": "Apache", "branches": [
        {"category": "product_name", "name": "HTTP Server", "branches": [
          {"category": "product_version_range", "name": "vers:generic/>=2.4.0|<2.4.58",
           "product": {"name": "Apache HTTP Server 2.4.0 - 2.4.57", "product_id": "HTTPD-24"}}]}]}]},
      "vulnerabilities": [
        {"cve": "CVE-2023-45802", "title": "HTTP/2 stream memory", "product_status": {"known_affected": ["HTTPD-24"]},
         "remediations": [{"category": "vendor_fix", "details": "Nâng cấp lên 2.4.58", "product_ids": ["HTTPD-24"]}]},
        {"cve": "CVE-2023-43622", "product_status": {"known_affected": ["HTTPD-24"]}}
      ]
    }
    """#

    static func importFile(_ app: Application, headers: HTTPHeaders, name: String, bytes: [UInt8], fields: [(String, String)] = [],
                           expect status: HTTPStatus, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var object: [String: Any] = [:]
        try await app.testing().test(.POST, "/api/v1/warnings/import", headers: headers, beforeRequest: { req in
            FormBody.multipart(&req, fields, files: [.init(field: "file", filename: name, contentType: "application/json", bytes: bytes)])
        }) { res in
            #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
            object = (try? JSONBody.object(res)) ?? [:]
        }
        return object
    }

    @Test func aCSAFAdvisoryImportsAsOneWarningMatchedAgainstTheInventoryAndOnlyOnce() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            try await Make.system(app, agency: w.agencyA, code: "HT-CSAF",
                                  components: [Self.component("Web", vendor: "Apache", product: "HTTP Server", version: "2.4.56")])
            let result = try await Self.importFile(app, headers: w.coordinator, name: "ncsc-2023-0042.json", bytes: Array(Self.csaf.utf8),
                                                   fields: [("deadline", DisplayTime.isoDay(Date().addingTimeInterval(7 * 86_400)))], expect: .created)
            #expect(result["format"] as? String == "csaf")
            let created = try #require(result["created"] as? [[String: Any]])
            #expect(created.count == 1)
            let warning = created[0]
            #expect(warning["origin"] as? String == "csaf" && warning["originId"] as? String == "NCSC-2023-0042")
            #expect(warning["issuer"] as? String == "Trung tâm Giám sát an toàn không gian mạng quốc gia")
            #expect(warning["cves"] as? [String] == ["CVE-2023-45802", "CVE-2023-43622"])
            #expect((warning["requiredAction"] as? String)?.contains("2.4.58") == true)
            #expect(Self.systems(warning).map { $0["systemCode"] as? String } == ["HT-CSAF"])
            let again = try await Self.importFile(app, headers: w.coordinator, name: "ncsc-2023-0042.json", bytes: Array(Self.csaf.utf8), expect: .ok)
            #expect(again["skipped"] as? [String] == ["NCSC-2023-0042"])
            #expect(try await app.count(AuthorityWarning.self) == 1)
        }
    }

    @Test func anNVDFeedImportsTheCVEsThatAffectTheInventoryAndASingleRecordImportsAsOne() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            try await Make.system(app, agency: w.agencyB, code: "HT-DB",
                                  components: [Self.component("CSDL", vendor: "Oracle", product: "MySQL", version: "8.0.33")])
            try await Make.system(app, agency: w.agencyB, code: "HT-DB-NEW",
                                  components: [Self.component("CSDL", vendor: "Oracle", product: "MySQL", version: "8.0.35")])
            let page = try Array(Data(contentsOf: URL(fileURLWithPath: "/work/shared/corpora/nvd/vunnel/full-page.json")))
            let result = try await Self.importFile(app, headers: w.coordinator, name: "full-page.json", bytes: page,
                                                   fields: [("issuer", "Cục An toàn thông tin"), ("number", "55/CATTT-NCSC")], expect: .created)
            #expect(result["format"] as? String == "nvd_feed")
            #expect(result["records"] as? Int == 38)
            let created = try #require(result["created"] as? [[String: Any]])
            #expect(created.map { $0["originId"] as? String } == ["CVE-2023-22068"])
            #expect(created[0]["issuer"] as? String == "Cục An toàn thông tin")
            #expect(Self.systems(created[0]).map { $0["systemCode"] as? String } == ["HT-DB"])
            // Listed CVEs, combined into one warning.
            let listed = try await Self.importFile(app, headers: w.coordinator, name: "full-page.json", bytes: page,
                                                   fields: [("select", "listed"), ("cves", "CVE-2023-45901, CVE-2023-45902"), ("mode", "combined")],
                                                   expect: .created)
            let combined = try #require((listed["created"] as? [[String: Any]])?.first)
            #expect(combined["cves"] as? [String] == ["CVE-2023-45901", "CVE-2023-45902"])
            // A CVE that is not in the file imports nothing.
            try await Self.importFile(app, headers: w.coordinator, name: "full-page.json", bytes: page,
                                      fields: [("select", "listed"), ("cves", "CVE-2023-45901 CVE-2020-0001")], expect: .unprocessableEntity)
            // A page of one record, sent as the body with the options in the query: imported whatever it matches.
            let single = try Array(Data(contentsOf: URL(fileURLWithPath: "/work/shared/corpora/nvd/vunnel/single-entry.json")))
            var one: [String: Any] = [:]
            try await app.testing().test(.POST, "/api/v1/warnings/import?issuer=A05&deadline=\(DisplayTime.isoDay(Date().addingTimeInterval(86_400)))",
                                         headers: w.coordinator, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(bytes: single)
            }) { res in
                #expect(res.status == .created, "\(res.body.string)")
                one = try JSONBody.object(res)
            }
            let record = try #require((one["created"] as? [[String: Any]])?.first)
            #expect(record["originId"] as? String == "CVE-2022-1576" && record["issuer"] as? String == "A05")
            #expect(record["deadline"] as? String != nil)
            #expect((record["products"] as? [[String: Any]])?.first?["cpe"] as? String == "cpe:2.3:a:themeisle:wp_maintenance_mode_\\&_coming_soon:*:*:*:*:*:wordpress:*:*")
            let again = try await Self.importFile(app, headers: w.coordinator, name: "single-entry.json", bytes: single, expect: .ok)
            #expect(again["skipped"] as? [String] == ["CVE-2022-1576"])
            #expect(try await app.count(AuthorityWarning.self) == 3)
        }
    }

    @Test func badFilesImportNothingAndNameThePlace() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            func message(_ result: [String: Any]) -> String {
                ((result["error"] as? [String: Any])?["fields"] as? [String: String])?["file"] ?? ""
            }
            let truncated = String(Self.csaf.prefix(300))
            let r1 = try await Self.importFile(app, headers: w.coordinator, name: "cut.json", bytes: Array(truncated.utf8), expect: .unprocessableEntity)
            #expect(message(r1).contains("line"), "\(r1)")
            let badCriteria = #"{"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{"id":"CVE-2024-0001","descriptions":[{"lang":"en","value":"x"}],"configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:vendor"}]}]}]}}]}"#
            let r2 = try await Self.importFile(app, headers: w.coordinator, name: "bad.json", bytes: Array(badCriteria.utf8), fields: [("select", "all")],
                                               expect: .unprocessableEntity)
            #expect(message(r2).contains("$.vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria"), "\(r2)")
            let r3 = try await Self.importFile(app, headers: w.coordinator, name: "other.json", bytes: Array(#"{"hello": 1}"#.utf8), expect: .unprocessableEntity)
            #expect(message(r3).contains("CSAF"))
            var csafBadRef = Self.csaf.replacingOccurrences(of: #""known_affected": ["HTTPD-24"]}}"#, with: #""known_affected": ["NOPE"]}}"#)
            csafBadRef = csafBadRef.replacingOccurrences(of: "\"CVE-2023-43622\", \"product_status\"", with: "\"CVE-2023-43622\", \"product_status\"")
            let r4 = try await Self.importFile(app, headers: w.coordinator, name: "ref.json", bytes: Array(csafBadRef.utf8), expect: .unprocessableEntity)
            #expect(message(r4).contains("$.vulnerabilities[1]"), "\(r4)")
            #expect(try await app.count(AuthorityWarning.self) == 0)
            // The page says the same and keeps the form.
            let (cookie, csrf) = try await Make.session(app, for: try await Make.user(app, role: .coordinator))
            try await app.testing().test(.POST, "/warnings/import", headers: cookie, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", csrf), ("select", "all")],
                                   files: [.init(field: "file", filename: "bad.json", contentType: "application/json", bytes: Array(badCriteria.utf8))])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("cpeMatch[0].criteria"))
            }
            #expect(try await app.count(AuthorityWarning.self) == 0)
        }
    }

    @Test func coordinatorsRecordWarningsOnThePagesAndOfficersAcknowledgeThere() async throws {
        try await withTestApp { app in
            let w = try await World.make(app)
            let system = try await Make.system(app, agency: w.agencyA, code: "HT-P1",
                                               components: [Self.component("Web", vendor: "Apache", product: "HTTP Server", version: "2.4.57")])
            let coordinator = try await Make.user(app, role: .coordinator)
            let (cookie, csrf) = try await Make.session(app, for: coordinator)
            try await app.testing().test(.GET, "/warnings/new", headers: cookie) { #expect($0.status == .ok) }
            var location = ""
            try await app.testing().test(.POST, "/warnings/new", headers: cookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", csrf), ("issuer", "Cục A05, Bộ Công an"), ("number", "7/A05"), ("issuedOn", DisplayTime.isoDay(Date())),
                                    ("title", "Lỗ hổng Apache"), ("cves", "CVE-2023-45802"),
                                    ("productVendor[]", "Apache"), ("productName[]", "HTTP Server"), ("productVersions[]", "< 2.4.58"), ("productCPE[]", ""),
                                    ("productVendor[]", ""), ("productName[]", ""), ("productVersions[]", ""), ("productCPE[]", "")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                location = res.headers.first(name: .location) ?? ""
            }
            let path = String(location.prefix { $0 != "?" })
            let (officerCookie, officerCSRF) = try await Make.session(app, for: w.officerAUser)
            try await app.testing().test(.GET, path, headers: officerCookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("acknowledge-\(system.id!.uuidString.lowercased())"))
            }
            try await app.testing().test(.POST, path + "/systems/\(system.id!)", headers: officerCookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", officerCSRF), ("action", "acknowledge"), ("version", "1")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
            }
            try await app.testing().test(.POST, path + "/systems/\(system.id!)", headers: officerCookie, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", officerCSRF), ("action", "not_affected"), ("version", "2"), ("reason", "")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
            }
            let row = try #require(try await WarningSystem.query(on: app.db).filter(\.$systemId == system.id!).first())
            #expect(row.state == "acknowledged" && row.acknowledgedByName?.contains(w.officerAUser.name) == true)
            try await app.testing().test(.GET, "/warnings/import", headers: cookie) { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/warnings/tracking", headers: cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("HT-P1"))
            }
        }
    }
}
