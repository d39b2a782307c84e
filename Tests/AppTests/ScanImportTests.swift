import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// Reports of real scanners (`../shared/corpora/scanners`) and files made from them.
enum ScanCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora/scanners")

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    /// nmap_multiple_port.xml: one host, 198.38.82.159 (joaquinlp.me), 13 open TCP ports.
    static let nmapHost = "198.38.82.159"
    static let nmapPorts = [21, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 2525, 3306]

    /// The same report without the MySQL port.
    static func nmapWithout3306() throws -> [UInt8] {
        let lines = try text("nmap/nmap_multiple_port.xml").split(separator: "\n", omittingEmptySubsequences: false)
        return Array(lines.filter { !$0.contains("portid=\"3306\"") }.joined(separator: "\n").utf8)
    }
}

/// The test world of the scan and finding suites: two agencies, their officers, a coordinator, a leader.
struct ScanWorld {
    let agency: Agency
    let otherAgency: Agency
    let coordinator: HTTPHeaders
    let officer: HTTPHeaders
    let otherOfficer: HTTPHeaders
    let leader: HTTPHeaders
    let officerUser: User
    let officerSession: (headers: HTTPHeaders, csrf: String)
    let coordinatorSession: (headers: HTTPHeaders, csrf: String)

    static func make(_ app: Application) async throws -> ScanWorld {
        let province = try await Make.agency(app, code: "UBND-Q", name: "Ủy ban nhân dân tỉnh Thử", kind: .provincialCommittee)
        let agency = try await Make.agency(app, code: "SYT-Q", name: "Sở Y tế", parent: province)
        let other = try await Make.agency(app, code: "STC-Q", name: "Sở Tài chính", parent: province)
        let coordinator = try await Make.user(app, role: .coordinator)
        let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
        let otherOfficer = try await Make.user(app, role: .agencyOfficer, agency: other)
        let leader = try await Make.user(app, role: .leader)
        return ScanWorld(agency: agency, otherAgency: other, coordinator: try await Make.token(app, for: coordinator),
                         officer: try await Make.token(app, for: officer), otherOfficer: try await Make.token(app, for: otherOfficer),
                         leader: try await Make.token(app, for: leader), officerUser: officer,
                         officerSession: try await Make.session(app, for: officer), coordinatorSession: try await Make.session(app, for: coordinator))
    }

    /// A system of `agency` declaring these addresses (one per line) and domains.
    static func system(_ app: Application, agency: Agency, addresses: String? = nil, domains: String? = nil) async throws -> InformationSystem {
        try await Make.system(app, agency: agency) { input in
            input.networkAddresses = addresses
            input.domains = domains
        }
    }

    /// `POST /api/v1/scans` with the raw report as the body.
    @discardableResult
    static func upload(_ app: Application, _ bytes: [UInt8], system: InformationSystem, headers: HTTPHeaders, query: [String: String] = [:],
                       expect status: HTTPStatus = .created, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var items = query
        items["systemId"] = system.id!.uuidString
        let path = SiteURL.api(.scans(.list)).path(query: items)
        var result: [String: Any] = [:]
        try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in
            req.headers.contentType = .init(type: "application", subType: "octet-stream")
            req.body = ByteBuffer(bytes: bytes)
        }) { res in
            #expect(res.status == status, "\(res.body.string.prefix(2000))", sourceLocation: sourceLocation)
            result = (try? JSONBody.object(res)) ?? [:]
        }
        return result
    }

    static func findings(_ app: Application, system: InformationSystem) async throws -> [Finding] {
        try await Finding.query(on: app.db).filter(\.$systemId == system.id!).sort(\.$port).all()
    }
}

@Suite struct ScanImportTests {
    // MARK: formats

    @Test func everyScannerFormatImportsWithItsNormalisedFields() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let reports: [(path: String, format: String)] = [
                ("nmap/nmap_multiple_port.xml", "nmap"), ("openvas/many_vuln.xml", "openvas"),
                ("tenable/nessus/nessus_many_vuln.xml", "nessus"), ("nuclei/many_findings.json", "nuclei"),
                ("trivy/scheme_2_many_vulns.json", "trivy"), ("sarif/spotbugs.sarif", "sarif"),
            ]
            for report in reports {
                let system = try await ScanWorld.system(app, agency: w.agency)
                let scan = try await ScanWorld.upload(app, try ScanCorpus.bytes(report.path), system: system, headers: w.officer,
                                                      query: ["keepHosts": "all"])
                #expect(scan["state"] as? String == "imported", "\(report.path)")
                #expect(scan["format"] as? String == report.format, "\(report.path)")
                let total = scan["findingsTotal"] as? Int ?? 0
                #expect(total > 0, "\(report.path) imported no finding")
                #expect(scan["findingsNew"] as? Int == total, "\(report.path)")
                let findings = try await ScanWorld.findings(app, system: system)
                #expect(findings.count == total, "\(report.path)")
                #expect(findings.allSatisfy { $0.status == "open" && $0.scanner == report.format && $0.source == "scan" && !$0.title.isEmpty })
                #expect(findings.allSatisfy { $0.severityRank == FindingService.rank($0.severity) })
                // Deadlines from rule data: critical 7 days … low 180; informational findings have none.
                for f in findings {
                    let days = [FindingSeverity.critical: 7, .high: 30, .medium: 90, .low: 180][f.severity]
                    if let days, let due = f.dueAt {
                        #expect(abs(due.timeIntervalSince(f.firstSeenAt) - Double(days) * 86_400) < 2 * 3600, "\(f.title)")
                    } else {
                        #expect(f.severity == .info && f.dueAt == nil, "\(f.title) \(f.severity)")
                    }
                }
                // The scan is recorded as a completed vulnerability scan of the system.
                let assessment = try #require(try await ProactiveAssessment.query(on: app.db).filter(\.$systemId == system.id!).first())
                #expect(assessment.kind == "vuln_scan" && assessment.state == "completed" && assessment.source == "import")
                #expect(assessment.findingsCount == total)
                #expect((scan["assessmentId"] as? String).flatMap(UUID.init(uuidString:)) == assessment.id)
            }
            // CVE rows follow the findings' CVE ids.
            let sql = app.db as! any SQLDatabase
            let cveRows = try await sql.raw("SELECT COUNT(*) AS n FROM finding_cves").first()?.decode(column: "n", as: Int.self) ?? 0
            #expect(cveRows > 0)
        }
    }

    @Test func nmapPortsBecomeFindingsWithHostPortAndService() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            let scan = try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            #expect(scan["findingsTotal"] as? Int == 13)
            #expect(scan["scannerName"] as? String == "nmap")
            #expect(scan["scannerVersion"] as? String == "7.12")
            let findings = try await ScanWorld.findings(app, system: system)
            #expect(findings.compactMap(\.port) == ScanCorpus.nmapPorts)
            #expect(findings.allSatisfy { $0.host == ScanCorpus.nmapHost && $0.proto == "tcp" })
            #expect(findings.first { $0.port == 3306 }?.service == "mysql")
            let hosts = try #require(scan["hosts"] as? [[String: Any]])
            #expect(hosts.count == 1 && hosts[0]["inScope"] as? Bool == true)
            // The report file is kept and downloadable.
            let id = try #require(scan["id"] as? String)
            try await app.testing().test(.GET, "/api/v1/scans/\(id)/report", headers: w.officer) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                let original = try ScanCorpus.bytes("nmap/nmap_multiple_port.xml")
                #expect(Array(res.body.readableBytesView) == original)
            }
            // The recorded scan carries the report's own times (16/05/2016), so this old report does not count as a recent scan.
            let assessment = try #require(try await ProactiveAssessment.query(on: app.db).filter(\.$systemId == system.id!).first())
            #expect(assessment.startedAt == Date(timeIntervalSince1970: 1_463_421_419))
            #expect(assessment.finishedAt == Date(timeIntervalSince1970: 1_463_421_451))
            #expect(assessment.tool == "nmap 7.12")
        }
    }

    @Test func largeReportsStreamThroughARealSocketAsRawBodyOrMultipart() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency)
            // 1.3 MB: many network chunks, read to disk as they arrive.
            let report = try ScanCorpus.bytes("tenable/nessus/issue_6992.nessus")
            var first: [String: Any] = [:]
            try await app.testing(method: .running(port: 0)).test(.POST, "/api/v1/scans?systemId=\(system.id!)&keepHosts=all", headers: w.officer,
                                                                   beforeRequest: { req in
                req.headers.contentType = .init(type: "application", subType: "octet-stream")
                req.body = ByteBuffer(bytes: report)
            }) { res in
                #expect(res.status == .created, "\(res.body.string.prefix(500))")
                first = try JSONBody.object(res)
            }
            #expect(first["format"] as? String == "nessus")
            let total = try #require(first["findingsTotal"] as? Int)
            #expect(total > 0)
            try await app.testing(method: .running(port: 0)).test(.POST, "/api/v1/scans?systemId=\(system.id!)", headers: w.officer,
                                                                   beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=ScAn42")
                var body = ByteBuffer()
                body.writeString("--ScAn42\r\nContent-Disposition: form-data; name=\"keepHosts\"\r\n\r\nall\r\n")
                body.writeString("--ScAn42\r\nContent-Disposition: form-data; name=\"file\"; filename=\"issue_6992.nessus\"\r\n")
                body.writeString("Content-Type: application/octet-stream\r\n\r\n")
                body.writeBytes(report)
                body.writeString("\r\n--ScAn42--\r\n")
                req.body = body
            }) { res in
                #expect(res.status == .created, "\(res.body.string.prefix(500))")
                let object = try JSONBody.object(res)
                #expect(object["findingsTotal"] as? Int == total)
                #expect(object["findingsNew"] as? Int == 0)
                #expect(object["fileName"] as? String == "issue_6992.nessus")
            }
        }
        // Past the limit: 413, nothing kept.
        try await withTestApp(adjusting: { $0.maxScanReportBytes = 1_048_576 }) { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency)
            try await ScanWorld.upload(app, try ScanCorpus.bytes("tenable/nessus/issue_6992.nessus"), system: system, headers: w.officer,
                                       query: ["keepHosts": "all"], expect: .payloadTooLarge)
            #expect(try await app.count(ScanImport.self) == 0)
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: app.config.dataDirectory + "/tmp")) ?? []
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    // MARK: rescans

    @Test func importingTheSameReportAgainAddsNoDuplicates() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            let report = try ScanCorpus.bytes("nmap/nmap_multiple_port.xml")
            try await ScanWorld.upload(app, report, system: system, headers: w.officer)
            let again = try await ScanWorld.upload(app, report, system: system, headers: w.officer)
            #expect(again["findingsTotal"] as? Int == 13)
            #expect(again["findingsNew"] as? Int == 0)
            #expect(again["findingsReopened"] as? Int == 0 && again["findingsClosed"] as? Int == 0)
            #expect(try await ScanWorld.findings(app, system: system).count == 13)
            let seen = try await FindingEvent.query(on: app.db).filter(\.$action == "seen").count()
            #expect(seen == 13)
            #expect(try await ProactiveAssessment.query(on: app.db).filter(\.$systemId == system.id!).count() == 2)
        }
    }

    @Test func aFindingGoneFromARescanIsClosedAsVerifiedAndReopensWhenItReturns() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            let rescan = try await ScanWorld.upload(app, try ScanCorpus.nmapWithout3306(), system: system, headers: w.officer)
            #expect(rescan["findingsClosed"] as? Int == 1)
            #expect(rescan["findingsTotal"] as? Int == 12)
            var mysql = try #require(try await ScanWorld.findings(app, system: system).first { $0.port == 3306 })
            #expect(mysql.status == "verified")
            #expect(mysql.closedAt != nil)
            #expect(FindingService.resolution(mysql.resolution, lang: .en) == "Fixed, verified by rescan")
            #expect(FindingService.resolution(mysql.resolution, lang: .vi) == "Đã khắc phục, xác minh bằng rà quét lại")
            #expect(try await FindingEvent.query(on: app.db).filter(\.$findingId == mysql.id!).filter(\.$action == "closed_by_rescan").count() == 1)
            // The others are still open.
            #expect(try await ScanWorld.findings(app, system: system).filter { $0.status == "open" }.count == 12)

            let back = try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            #expect(back["findingsReopened"] as? Int == 1)
            #expect(back["findingsNew"] as? Int == 0)
            mysql = try #require(try await Finding.find(mysql.id, on: app.db))
            #expect(mysql.status == "open")
            #expect(mysql.closedAt == nil && mysql.resolution == nil)
            #expect(try await FindingEvent.query(on: app.db).filter(\.$findingId == mysql.id!).filter(\.$action == "reopened").count() == 1)
        }
    }

    @Test func aRescanOfFewerPortsClosesOnlyFindingsOnPortsItProbed() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            // A rescan that probed ports 21-80 only and found 21 and 25 open: 53 and 80 are gone, the rest unknown.
            var lines = try ScanCorpus.text("nmap/nmap_multiple_port.xml").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines = lines.map { $0.contains("<scaninfo") ? "<scaninfo type=\"connect\" protocol=\"tcp\" numservices=\"60\" services=\"21-80\"/>" : $0 }
            let kept = lines.filter { line in !["53", "80", "110", "143", "443", "465", "587", "993", "995", "2525", "3306"].contains { line.contains("portid=\"\($0)\"") } }
            let rescan = try await ScanWorld.upload(app, Array(kept.joined(separator: "\n").utf8), system: system, headers: w.officer)
            #expect(rescan["findingsClosed"] as? Int == 2)
            let findings = try await ScanWorld.findings(app, system: system)
            #expect(Set(findings.filter { $0.status == "verified" }.compactMap(\.port)) == [53, 80])
            #expect(findings.filter { $0.status == "open" }.count == 11)
        }
    }

    @Test func aRescanLeavesAcceptedRisksAndFalsePositivesAsTheyWere() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            let mysql = try #require(try await ScanWorld.findings(app, system: system).first { $0.port == 3306 })
            try await app.testing().test(.PATCH, "/api/v1/findings/\(mysql.id!)", headers: w.officer, beforeRequest: { req in
                JSONBody.set(&req, ["status": "false_positive", "reason": "Cổng chỉ mở trong mạng nội bộ", "version": mysql.version])
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            let rescan = try await ScanWorld.upload(app, try ScanCorpus.nmapWithout3306(), system: system, headers: w.officer)
            #expect(rescan["findingsClosed"] as? Int == 0)
            let back = try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            #expect(back["findingsReopened"] as? Int == 0)
            #expect(try await Finding.find(mysql.id, on: app.db)?.status == "false_positive")
        }
    }

    // MARK: bad reports

    @Test func malformedTruncatedHostileOrMislabelledReportsImportNothingAndSayWhy() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            let nmap = try ScanCorpus.bytes("nmap/nmap_multiple_port.xml")
            let laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE nmaprun [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
                <nmaprun scanner="nmap" version="7.93"><host><address addr="198.38.82.159" addrtype="ipv4"/><hostnames><hostname name="&c;"/></hostnames></host></nmaprun>
                """
            let external = """
                <?xml version="1.0"?>
                <!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <nmaprun scanner="nmap" version="7.93"><host><address addr="198.38.82.159" addrtype="ipv4"/><hostnames><hostname name="&x;"/></hostnames></host></nmaprun>
                """
            let deep = "<?xml version=\"1.0\"?><nmaprun scanner=\"nmap\">" + String(repeating: "<host>", count: 5000) + "</nmaprun>"
            let cases: [(name: String, bytes: [UInt8], query: [String: String], mentions: String)] = [
                ("truncated", Array(nmap.prefix(4000)), [:], "nmap"),
                ("entity expansion", Array(laughs.utf8), [:], "nmap"),
                ("external entity", Array(external.utf8), [:], "nmap"),
                ("deeply nested", Array(deep.utf8), [:], "nmap"),
                ("mislabelled", nmap, ["format": "nessus"], "Nessus"),
                ("not a report", Array("hello, this is not a scanner report\n".utf8), [:], ""),
                ("json garbage", Array("{\"Results\": [".utf8), [:], ""),
            ]
            for c in cases {
                let body = try await ScanWorld.upload(app, c.bytes, system: system, headers: w.officer, query: c.query, expect: .unprocessableEntity)
                let error = try #require(body["error"] as? [String: Any], "\(c.name)")
                #expect(error["code"] as? String == "scan_invalid", "\(c.name)")
                let message = error["message"] as? String ?? ""
                #expect(c.mentions.isEmpty || message.contains(c.mentions), "\(c.name): \(message)")
                #expect(!message.contains("root:"), "\(c.name) leaked a local file")
                let scan = try #require(body["scan"] as? [String: Any], "\(c.name)")
                #expect(scan["state"] as? String == "failed", "\(c.name)")
                #expect((scan["error"] as? String)?.isEmpty == false, "\(c.name)")
                #expect(scan["reportAvailable"] as? Bool == false, "\(c.name)")
            }
            #expect(try await app.count(Finding.self) == 0)
            #expect(try await app.count(ProactiveAssessment.self) == 0)
            #expect(try await ScanImport.query(on: app.db).filter(\.$state == "failed").count() == cases.count)
            // A truncated report names where it broke.
            let truncated = try await ScanWorld.upload(app, Array(nmap.prefix(4000)), system: system, headers: w.officer, expect: .unprocessableEntity)
            let message = ((truncated["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("nmap XML"), "\(message)")
            #expect(message.contains("line") || message.contains("byte") || message.contains("end"), "\(message)")
        }
    }

    @Test func aRefusedUploadShowsItsErrorOnThePageAndIsListed() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            let session = w.officerSession
            try await app.testing().test(.POST, "/scans/new", headers: session.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", session.csrf), ("systemId", system.id!.uuidString), ("format", "auto")],
                                   files: [.init(field: "file", filename: "scan.xml", contentType: "text/xml",
                                                 bytes: Array((try ScanCorpus.bytes("nmap/nmap_multiple_port.xml")).prefix(3000)))])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let error = try #require(res.element(id: "scan-error"))
                #expect(error.contains("nmap XML"), "\(error)")
            }
            #expect(try await app.count(Finding.self) == 0)
            try await app.testing().test(.GET, "/scans", headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Không nhập được"))
            }
        }
    }

    // MARK: scope

    @Test func hostsOutsideTheDeclaredAddressesWaitForTheUsersChoice() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            // issue12411.xml covers 172.217.18.238 and 54.239.28.85; the system declares only the first one's range.
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "172.217.18.0/24")
            let report = try ScanCorpus.bytes("nmap/issue12411.xml")
            let body = try await ScanWorld.upload(app, report, system: system, headers: w.officer, expect: .conflict)
            #expect((body["error"] as? [String: Any])?["code"] as? String == "hosts_out_of_scope")
            let scan = try #require(body["scan"] as? [String: Any])
            #expect(scan["state"] as? String == "awaiting_confirmation")
            let hosts = try #require(scan["hosts"] as? [[String: Any]])
            let scope = Dictionary(uniqueKeysWithValues: hosts.map { ($0["address"] as? String ?? "", $0["inScope"] as? Bool ?? true) })
            #expect(scope["172.217.18.238"] == true)
            #expect(scope["54.239.28.85"] == false)
            #expect(try await app.count(Finding.self) == 0)
            let id = try #require(scan["id"] as? String)

            // Only the kept host's findings are imported.
            try await app.testing().test(.POST, "/api/v1/scans/\(id)/confirm", headers: w.officer, beforeRequest: { req in
                JSONBody.set(&req, ["keepHosts": ["172.217.18.238"]])
            }) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let object = try JSONBody.object(res)
                #expect(object["state"] as? String == "imported")
                #expect(object["keptHosts"] as? [String] == ["172.217.18.238"])
            }
            let findings = try await ScanWorld.findings(app, system: system)
            #expect(!findings.isEmpty)
            #expect(findings.allSatisfy { $0.host == "172.217.18.238" })
            // Confirming twice is refused.
            try await app.testing().test(.POST, "/api/v1/scans/\(id)/confirm", headers: w.officer, beforeRequest: { req in
                JSONBody.set(&req, ["keepHosts": "all"])
            }) { res in #expect(res.status == .conflict) }

            // keepHosts with the upload decides at once; a host that is not in the report is refused.
            let inScope = try await ScanWorld.upload(app, report, system: system, headers: w.officer, query: ["keepHosts": "in-scope"])
            #expect(inScope["keptHosts"] as? [String] == ["172.217.18.238"])
            try await ScanWorld.upload(app, report, system: system, headers: w.officer, query: ["keepHosts": "10.9.9.9"], expect: .unprocessableEntity)
        }
    }

    @Test func theConfirmationPageKeepsOnlyTheCheckedHosts() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "172.217.18.0/24")
            let session = w.officerSession
            var location = ""
            try await app.testing().test(.POST, "/scans/new", headers: session.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", session.csrf), ("systemId", system.id!.uuidString), ("performerKind", "outsourced"),
                                          ("performer", "Công ty An toàn thông tin ABC")],
                                   files: [.init(field: "file", filename: "issue12411.xml", contentType: "text/xml",
                                                 bytes: try ScanCorpus.bytes("nmap/issue12411.xml"))])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string.prefix(500))")
                location = res.headers.first(name: .location) ?? ""
            }
            let path = String(location.split(separator: "?")[0])
            try await app.testing().test(.GET, path, headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"confirm-form\""))
                #expect(res.body.string.contains("54.239.28.85"))
                // Who performed the scan, as given with the upload, is kept for the confirmation.
                #expect(res.body.string.contains("value=\"Công ty An toàn thông tin ABC\""))
            }
            try await app.testing().test(.POST, path + "/confirm", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("keep[]", "54.239.28.85"), ("action", "import")])
            }) { res in #expect(res.status == .seeOther, "\(res.body.string.prefix(500))") }
            let findings = try await ScanWorld.findings(app, system: system)
            #expect(!findings.isEmpty && findings.allSatisfy { $0.host == "54.239.28.85" })
            let assessment = try #require(try await ProactiveAssessment.query(on: app.db).filter(\.$systemId == system.id!).first())
            #expect(assessment.performer == "Công ty An toàn thông tin ABC" && assessment.performerKind == "outsourced")
            try await app.testing().test(.GET, path, headers: session.headers) { res in
                #expect(res.body.string.contains("id=\"scan-counts\""))
                #expect(res.body.string.contains("id=\"scan-report\""))
            }
        }
    }

    // MARK: access

    @Test func anOfficerCannotSeeOrImportIntoAnotherAgencysSystem() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let mine = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            let theirs = try await ScanWorld.system(app, agency: w.otherAgency, addresses: ScanCorpus.nmapHost)
            let report = try ScanCorpus.bytes("nmap/nmap_multiple_port.xml")
            let their = try await ScanWorld.upload(app, report, system: theirs, headers: w.otherOfficer)
            try await ScanWorld.upload(app, report, system: mine, headers: w.officer)
            // Importing into their system answers as if it did not exist.
            let refused = try await ScanWorld.upload(app, report, system: theirs, headers: w.officer, expect: .notFound)
            #expect((refused["error"] as? [String: Any])?["code"] as? String == "not_found")
            let theirId = try #require(their["id"] as? String)
            for path in ["/api/v1/scans/\(theirId)", "/api/v1/scans/\(theirId)/report"] {
                try await app.testing().test(.GET, path, headers: w.officer) { res in #expect(res.status == .notFound, "\(path)") }
            }
            try await app.testing().test(.POST, "/api/v1/scans/\(theirId)/confirm", headers: w.officer, beforeRequest: { req in
                JSONBody.set(&req, ["keepHosts": "all"])
            }) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/scans", headers: w.officer) { res in
                let object = try JSONBody.object(res)
                #expect(object["total"] as? Int == 1)
            }
            // Their findings are invisible: list, one, counts.
            let theirFinding = try #require(try await ScanWorld.findings(app, system: theirs).first)
            try await app.testing().test(.GET, "/api/v1/findings?status=all", headers: w.officer) { res in
                let object = try JSONBody.object(res)
                #expect(object["total"] as? Int == 13)
                let items = try #require(object["items"] as? [[String: Any]])
                #expect(items.allSatisfy { $0["systemId"] as? String == mine.id!.uuidString })
            }
            try await app.testing().test(.GET, "/api/v1/findings/\(theirFinding.id!)", headers: w.officer) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/findings/\(theirFinding.id!)", headers: w.officerSession.headers) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/scans/new?systemId=\(theirs.id!)", headers: w.officerSession.headers) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/scans/\(theirId)", headers: w.officerSession.headers) { res in #expect(res.status == .notFound) }
            // Leaders read but do not import.
            try await ScanWorld.upload(app, report, system: mine, headers: w.leader, expect: .forbidden)
        }
    }

    @Test func findingsAndImportsFollowTheirSystemToAnotherAgency() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: ScanCorpus.nmapHost)
            let scan = try await ScanWorld.upload(app, try ScanCorpus.bytes("nmap/nmap_multiple_port.xml"), system: system, headers: w.officer)
            let id = try #require(scan["id"] as? String)
            try await app.testing().test(.PATCH, "/api/v1/systems/\(system.id!)", headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["agencyId": w.otherAgency.id!.uuidString])
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            // The old agency no longer sees them; the new one does, and may work on them.
            #expect(try await FindingsTests.list(app, "status=all", headers: w.officer).isEmpty)
            try await app.testing().test(.GET, "/api/v1/scans/\(id)", headers: w.officer) { res in #expect(res.status == .notFound) }
            #expect(try await FindingsTests.list(app, "status=all", headers: w.otherOfficer).count == 13)
            let finding = try #require(try await ScanWorld.findings(app, system: system).first)
            try await app.testing().test(.PATCH, "/api/v1/findings/\(finding.id!)", headers: w.otherOfficer, beforeRequest: { req in
                JSONBody.set(&req, ["status": "in_progress", "version": finding.version])
            }) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let object = try JSONBody.object(res)
                #expect(object["agencyId"] as? String == w.otherAgency.id!.uuidString)
            }
            try await app.testing().test(.GET, "/api/v1/scans/\(id)", headers: w.otherOfficer) { res in
                #expect(res.status == .ok)
                let object = try JSONBody.object(res)
                #expect(object["agencyId"] as? String == w.otherAgency.id!.uuidString)
            }
        }
    }

    // MARK: CLI

    @Test func theCommandLineImportsAReportIntoASystemByCode() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "172.217.18.0/24")
            let path = ScanCorpus.root.appendingPathComponent("nmap/issue12411.xml").path
            func run(_ arguments: [String]) async throws -> Int32 {
                var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["ungcuu"] + arguments))
                context.application = app
                do {
                    try await ImportScanCommand().run(using: &context)
                    return 0
                } catch let exit as ExitCode {
                    return exit.code
                }
            }
            // A host the system does not declare: nothing stored, status 3.
            #expect(try await run(["--system", system.code, path]) == 3)
            #expect(try await app.count(ScanImport.self) == 0)
            // With the choice made, it imports; the user's file stays where it was.
            #expect(try await run(["--system", system.code, "--keep-hosts", "in-scope", path]) == 0)
            #expect(FileManager.default.fileExists(atPath: path))
            let scan = try #require(try await ScanImport.query(on: app.db).first())
            #expect(scan.state == "imported" && scan.format == "nmap")
            #expect(try await ScanWorld.findings(app, system: system).allSatisfy { $0.host == "172.217.18.238" })
            // A refused report: status 2, recorded as failed.
            let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).xml")
            try Data("<nmaprun scanner=\"nmap\"><host>".utf8).write(to: bad)
            defer { try? FileManager.default.removeItem(at: bad) }
            #expect(try await run(["--system", system.code, bad.path]) == 2)
            #expect(try await ScanImport.query(on: app.db).filter(\.$state == "failed").count() == 1)
            #expect(try await run(["--system", "NO-SUCH", path]) == 2)
        }
    }
}
