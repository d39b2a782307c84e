import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

@Suite struct FindingsTests {
    /// A finding written as an import writes it (with its CVE rows), for list and lifecycle tests.
    @discardableResult
    static func finding(_ app: Application, system: InformationSystem, title: String, severity: FindingSeverity, status: FindingStatus = .open,
                        cves: [String] = [], host: String = "10.0.0.5", port: Int? = 443, firstSeen: Date = Date(), due: Date?? = nil) async throws -> Finding {
        let f = Finding()
        f.id = UUID()
        f.systemId = system.id!
        f.agencyId = system.$agency.id
        f.fingerprint = FindingFingerprint.compute(host: host, port: port, proto: "tcp", cves: cves, scannerFamily: "nessus", scannerId: title,
                                                   title: title, location: nil)
        f.source = "scan"
        f.scanner = "nessus"
        f.scannerRef = title
        f.title = title
        f.severity = severity
        f.severityRank = FindingService.rank(severity)
        f.cves = cves.isEmpty ? nil : cves.joined(separator: " ")
        f.host = host
        f.port = port
        f.proto = "tcp"
        f.status = status.rawValue
        f.firstSeenAt = firstSeen
        f.lastSeenAt = firstSeen
        f.dueAt = due ?? FindingLifecycle.remediationDeadline(firstSeen: firstSeen, severity: severity, rules: app.rules.proactiveObligations())
        f.statusChangedAt = firstSeen
        f.version = 1
        try await f.create(on: app.db)
        for cve in cves {
            try await (app.db as! any SQLDatabase).insert(into: "finding_cves").columns("finding_id", "cve").values(SQLBind(f.id!), SQLBind(cve)).run()
        }
        return f
    }

    static func list(_ app: Application, _ query: String, headers: HTTPHeaders, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        var titles: [String] = []
        try await app.testing().test(.GET, "/api/v1/findings?" + query, headers: headers) { res in
            #expect(res.status == .ok, "\(query): \(res.body.string)", sourceLocation: sourceLocation)
            titles = ((try JSONBody.object(res)["items"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
        }
        return titles
    }

    @Test func theListFiltersBySeverityStatusCVEAgeOverdueSystemAgencyAndText() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency)
            let other = try await ScanWorld.system(app, agency: w.otherAgency)
            let old = Date().addingTimeInterval(-100 * 86_400)
            try await Self.finding(app, system: system, title: "Apache Log4j RCE", severity: .critical, cves: ["CVE-2021-44228"], firstSeen: old)
            try await Self.finding(app, system: system, title: "OpenSSH user enumeration", severity: .medium, cves: ["CVE-2016-6210"], host: "10.0.0.6")
            try await Self.finding(app, system: system, title: "TLS 1.0 enabled", severity: .low, status: .verified)
            try await Self.finding(app, system: system, title: "Banner", severity: .info, status: .inProgress)
            try await Self.finding(app, system: other, title: "Other agency SQL injection", severity: .high)

            let c = w.coordinator
            // Default: still to be remediated, gravest first.
            #expect(try await Self.list(app, "", headers: c) == ["Apache Log4j RCE", "Other agency SQL injection", "OpenSSH user enumeration", "Banner"])
            #expect(try await Self.list(app, "status=all", headers: c).count == 5)
            #expect(try await Self.list(app, "status=verified", headers: c) == ["TLS 1.0 enabled"])
            #expect(try await Self.list(app, "severity=critical,high", headers: c) == ["Apache Log4j RCE", "Other agency SQL injection"])
            #expect(try await Self.list(app, "cve=cve-2021-44228", headers: c) == ["Apache Log4j RCE"])
            #expect(try await Self.list(app, "age=30", headers: c) == ["Apache Log4j RCE"])
            // The critical one is 100 days old with a 7-day deadline: overdue.
            #expect(try await Self.list(app, "overdue=1", headers: c) == ["Apache Log4j RCE"])
            #expect(try await Self.list(app, "system=\(system.id!)&status=all", headers: c).count == 4)
            #expect(try await Self.list(app, "agency=\(w.otherAgency.id!)", headers: c) == ["Other agency SQL injection"])
            #expect(try await Self.list(app, "q=openssh", headers: c) == ["OpenSSH user enumeration"])
            #expect(try await Self.list(app, "q=10.0.0.6", headers: c) == ["OpenSSH user enumeration"])
            #expect(try await Self.list(app, "q=100%25", headers: c).isEmpty)
            #expect(try await Self.list(app, "sort=due", headers: c).first == "Apache Log4j RCE")
            // Officers: their agencies' only.
            #expect(try await Self.list(app, "status=all", headers: w.officer).count == 4)
            #expect(try await Self.list(app, "status=all", headers: w.otherOfficer) == ["Other agency SQL injection"])
            // Bad filters name their field.
            for (query, field) in [("severity=extreme", "severity"), ("cve=log4j", "cve"), ("age=-3", "age"), ("system=abc", "system")] {
                try await app.testing().test(.GET, "/api/v1/findings?" + query, headers: c) { res in
                    #expect(res.status == .unprocessableEntity, "\(query)")
                    let fields = try JSONBody.error(res).fields
                    #expect(fields[field] != nil, "\(query)")
                }
            }
            // The page shows the same list with its filters.
            try await app.testing().test(.GET, "/findings?severity=critical", headers: w.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Apache Log4j RCE"))
                #expect(!res.body.string.contains("OpenSSH user enumeration"))
                #expect(res.body.string.contains("id=\"bulk-form\""))
            }
        }
    }

    @Test func aStatusChangeNeedsTheVersionAndFollowsTheLifecycle() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency)
            let f = try await Self.finding(app, system: system, title: "Outdated jQuery", severity: .medium)
            func patch(_ body: [String: Any], headers: HTTPHeaders? = nil, expect status: HTTPStatus) async throws -> [String: Any] {
                var result: [String: Any] = [:]
                try await app.testing().test(.PATCH, "/api/v1/findings/\(f.id!)", headers: headers ?? w.officer, beforeRequest: { req in
                    JSONBody.set(&req, body)
                }) { res in
                    #expect(res.status == status, "\(body): \(res.body.string)")
                    result = (try? JSONBody.object(res)) ?? [:]
                }
                return result
            }
            _ = try await patch(["status": "in_progress"], expect: .preconditionRequired)
            _ = try await patch(["status": "in_progress", "version": 7], expect: .conflict)
            let moved = try await patch(["status": "in_progress", "version": 1], expect: .ok)
            #expect(moved["status"] as? String == "in_progress" && moved["version"] as? Int == 2)
            // A false positive needs a reason; verified straight from in progress is not a step of the lifecycle.
            let noReason = try await patch(["status": "false_positive", "version": 2], expect: .unprocessableEntity)
            #expect((noReason["error"] as? [String: Any])?["code"] as? String == "finding_reason_required")
            _ = try await patch(["status": "verified", "reason": "x", "version": 2], expect: .unprocessableEntity)
            // Accepting a risk needs the approver, a reason and an end no later than the rules allow.
            let late = DisplayTime.isoDay(Date().addingTimeInterval(500 * 86_400))
            let tooLate = try await patch(["status": "accepted_risk", "reason": "Hệ thống sắp thay thế", "approverName": "Giám đốc Sở",
                                           "acceptedUntil": late, "version": 2], expect: .unprocessableEntity)
            #expect((tooLate["error"] as? [String: Any])?["code"] as? String == "finding_accepted_until_too_late")
            let until = DisplayTime.isoDay(Date().addingTimeInterval(30 * 86_400))
            let accepted = try await patch(["status": "accepted_risk", "reason": "Hệ thống sắp thay thế", "approverName": "Giám đốc Sở",
                                            "acceptedUntil": until, "version": 2], expect: .ok)
            #expect(accepted["acceptedUntil"] as? String == until)
            #expect(accepted["acceptedByName"] as? String == "Giám đốc Sở")
            let history = try #require(accepted["history"] as? [[String: Any]])
            #expect(history.compactMap { $0["toStatus"] as? String } == ["in_progress", "accepted_risk"])
            // Leaders read only.
            _ = try await patch(["status": "open", "reason": "x", "version": 3], headers: w.leader, expect: .forbidden)
            // Every change is audited.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$recordId == f.id!.uuidString).count() == 2)
        }
    }

    @Test func aBulkChangeIsCheckedWholeAndAuditedPerFinding() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency)
            let theirs = try await ScanWorld.system(app, agency: w.otherAgency)
            let a = try await Self.finding(app, system: system, title: "A", severity: .high)
            let b = try await Self.finding(app, system: system, title: "B", severity: .medium, port: 80)
            let c = try await Self.finding(app, system: system, title: "C", severity: .low, status: .inProgress, port: 22)
            let done = try await Self.finding(app, system: system, title: "D", severity: .low, status: .verified, port: 21)
            let foreign = try await Self.finding(app, system: theirs, title: "E", severity: .low)
            func bulk(_ ids: [Finding], _ extra: [String: Any], headers: HTTPHeaders? = nil, expect status: HTTPStatus) async throws -> [String: Any] {
                var result: [String: Any] = [:]
                try await app.testing().test(.POST, "/api/v1/findings/bulk", headers: headers ?? w.officer, beforeRequest: { req in
                    JSONBody.set(&req, extra.merging(["ids": ids.map { $0.id!.uuidString }]) { x, _ in x })
                }) { res in
                    #expect(res.status == status, "\(res.body.string)")
                    result = (try? JSONBody.object(res)) ?? [:]
                }
                return result
            }
            // Another agency's finding among them: as if it did not exist, and nothing changes.
            _ = try await bulk([a, foreign], ["status": "in_progress"], expect: .notFound)
            // One finding cannot make the change (verified → in progress): none changes, and it is named.
            let refused = try await bulk([a, b, done], ["status": "in_progress"], expect: .unprocessableEntity)
            #expect(((refused["error"] as? [String: Any])?["message"] as? String)?.contains("D") == true)
            #expect(try await Finding.find(a.id, on: app.db)?.status == "open")
            // A false positive without a reason is refused for all.
            _ = try await bulk([a, b], ["status": "false_positive"], expect: .unprocessableEntity)
            let before = try await AuditEvent.query(on: app.db).filter(\.$action == "finding.status").count()
            let result = try await bulk([a, b, c], ["status": "in_progress"], expect: .ok)
            #expect(result["changed"] as? Int == 2 && result["unchanged"] as? Int == 1)
            for f in [a, b, c] { #expect(try await Finding.find(f.id, on: app.db)?.status == "in_progress") }
            let audits = try await AuditEvent.query(on: app.db).filter(\.$action == "finding.status").all()
            #expect(audits.count - before == 2)
            #expect(Set(audits.compactMap(\.recordId)) == Set([a, b].map { $0.id!.uuidString }))
            #expect(audits.allSatisfy { $0.summary.contains("\"bulk\":\"true\"") })
            // The list's bulk form does the same from the page.
            let session = w.officerSession
            try await app.testing().test(.POST, "/findings/bulk", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("ids[]", a.id!.uuidString), ("ids[]", b.id!.uuidString), ("status", "fixed"),
                                    ("next", "/findings?status=all")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string.prefix(300))")
                #expect(res.headers.first(name: .location)?.hasPrefix("/findings?status=all&done=findingsBulkChanged") == true)
            }
            #expect(try await Finding.find(b.id, on: app.db)?.status == "fixed")
            // Nothing leaves the list: an outside "next" is ignored.
            try await app.testing().test(.POST, "/findings/bulk", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("ids[]", c.id!.uuidString), ("status", "fixed"), ("next", "https://evil.example/")])
            }) { res in #expect(res.headers.first(name: .location)?.hasPrefix("/findings?done=") == true) }
        }
    }

    @Test func theExpiryJobReopensFindingsWhoseAcceptedRiskEnded() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency)
            let ended = try await Self.finding(app, system: system, title: "Accepted, ended", severity: .high)
            let current = try await Self.finding(app, system: system, title: "Accepted, current", severity: .high, port: 8443)
            for f in [ended, current] {
                try await app.testing().test(.PATCH, "/api/v1/findings/\(f.id!)", headers: w.officer, beforeRequest: { req in
                    JSONBody.set(&req, ["status": "accepted_risk", "reason": "Bù trừ bằng tường lửa", "approverName": "Giám đốc Sở",
                                        "acceptedUntil": DisplayTime.isoDay(Date().addingTimeInterval(10 * 86_400)), "version": 1])
                }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            }
            // Time passes for one of them: its last accepted day was three days ago.
            try await (app.db as! any SQLDatabase).update("findings").set("accepted_until", to: SQLBind(Date().addingTimeInterval(-3 * 86_400)))
                .where("id", .equal, SQLBind(ended.id!)).run()
            // The hourly schedule exists, and its job does the work.
            let schedule = try await JobSchedule.query(on: app.db).filter(\.$kind == FindingJobs.expiry.rawValue).first()
            #expect(schedule?.intervalSeconds == 3600)
            _ = try await JobQueue.enqueue(FindingJobs.expiry, on: app.db)
            #expect(try await app.drainJobs() >= 1)
            let reopened = try #require(try await Finding.find(ended.id, on: app.db))
            #expect(reopened.status == "open")
            #expect(reopened.acceptedUntil == nil && reopened.acceptedByName == nil)
            #expect((reopened.dueAt ?? .distantPast) > Date().addingTimeInterval(29 * 86_400))
            #expect(try await Finding.find(current.id, on: app.db)?.status == "accepted_risk")
            #expect(try await FindingEvent.query(on: app.db).filter(\.$findingId == ended.id!).filter(\.$action == "expired").count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "finding.expired").filter(\.$recordId == ended.id!.uuidString).count() == 1)
            #expect(try await app.jobRecords(kind: FindingJobs.expiry).last?.state == .succeeded)
        }
    }

    @Test func migration0011RevertsAndAppliesAgain() async throws {
        try await withTestApp { app in
            // One connection for both steps: SQLite connections of the pool can hold an outdated schema for a moment.
            try await app.db.transaction { db in
                try await CreateFindingsUpkeep().revert(on: db)
                #expect(try await JobSchedule.query(on: db).filter(\.$kind == FindingJobs.expiry.rawValue).count() == 0)
                try await CreateFindingsUpkeep().prepare(on: db)
            }
            #expect(try await JobSchedule.query(on: app.db).filter(\.$kind == FindingJobs.expiry.rawValue).count() == 1)
        }
    }

    @Test func theFindingPageShowsFieldsHistoryAndChangesTheStatus() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            let mysql = try #require(try await ScanWorld.findings(app, system: system).first { $0.port == 3306 })
            let session = w.officerSession
            try await app.testing().test(.GET, "/findings/\(mysql.id!)", headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "finding-place")?.contains("198.38.82.159:3306/tcp") == true)
                #expect(res.element(id: "finding-service") == "mysql")
                #expect(res.body.string.contains("id=\"finding-history\""))
                #expect(res.body.string.contains("id=\"finding-imports\""))
                #expect(res.body.string.contains("id=\"status-form\""))
            }
            // A stale form shows the newer state instead of overwriting it.
            try await app.testing().test(.POST, "/findings/\(mysql.id!)/status", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("status", "in_progress"), ("version", "9")])
            }) { res in #expect(res.status == .conflict) }
            try await app.testing().test(.POST, "/findings/\(mysql.id!)/status", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("status", "false_positive"), ("version", "1")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"reason-error\""))
            }
            try await app.testing().test(.POST, "/findings/\(mysql.id!)/status", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("status", "false_positive"), ("reason", "Chỉ mở trong mạng nội bộ"), ("version", "1")])
            }) { res in #expect(res.status == .seeOther) }
            let changed = try #require(try await Finding.find(mysql.id, on: app.db))
            #expect(changed.status == "false_positive" && changed.falsePositiveReason == "Chỉ mở trong mạng nội bộ")
            try await app.testing().test(.GET, "/findings/\(mysql.id!)", headers: session.headers) { res in
                #expect(res.element(id: "finding-resolution")?.contains("Chỉ mở trong mạng nội bộ") == true)
            }
        }
    }
}
