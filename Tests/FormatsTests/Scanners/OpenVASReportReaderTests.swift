import Domain
import Foundation
import Testing
@testable import Formats

@Suite("OpenVAS report reader", .enabled(if: XMLScannerCorpus.available))
struct OpenVASReportReaderTests {
    func read(_ file: String) throws -> XMLReportEvents {
        try XMLReportEvents(OpenVASReportReader(source: XMLScannerCorpus.source("openvas/\(file)")))
    }

    func iso(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    @Test func oneResultWithTagsRefsAndDescription() throws {
        let report = try read("one_vuln.xml")
        let info = try #require(report.info)
        #expect(info.scannerName == "OpenVAS/GVM")
        #expect(info.scannerVersion == "9.0")
        #expect(info.startedAt == iso("2023-09-28T14:48:02Z"))
        #expect(info.finishedAt == iso("2023-09-28T16:12:15Z"))
        #expect(report.hosts == [ScanHost(address: "10.0.101.2")])
        #expect(report.findings.count == 1)

        let finding = report.findings[0]
        #expect(finding.title == "Mozilla Firefox Security Update (mfsa_2023-32_2023-36) - Windows")
        #expect(finding.severity == .high)
        #expect(finding.cvssScore == 10.0)
        #expect(finding.scannerId == "1.3.6.1.4.1.25623.1.0.832260")
        #expect(finding.host == "10.0.101.2")
        #expect(finding.hostname == nil)
        #expect(finding.port == nil && finding.proto == nil) // general/tcp
        #expect(finding.cves.count == 12)
        #expect(finding.cves.first == "CVE-2023-4573" && finding.cves.last == "CVE-2023-4584")
        #expect(finding.references == ["https://www.mozilla.org/en-US/security/advisories/mfsa2023-34/"])
        #expect(finding.description == "Mozilla Firefox is prone to multiple vulnerabilities.")
        #expect(finding.solution == "Upgrade to version 117 or later,\nPlease see the references for more information.")
        #expect(finding.evidence == "Installed version: 116.0.3\nFixed version:     117\nInstallation\npath / port:       C:\\Program Files\\Mozilla Firefox")
    }

    @Test func nestedReportWithSeveritiesAndHostname() throws {
        let report = try read("report_detail_v2.xml")
        #expect(report.info?.scannerVersion == "22.6")
        #expect(report.info?.startedAt == iso("2025-08-22T13:01:38Z"))
        #expect(report.info?.finishedAt == iso("2025-08-22T15:09:57Z"))
        #expect(report.hosts == [ScanHost(address: "10.99.99.99", hostname: "server99")])
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.title == "Microsoft Windows Multiple Vulnerabilities (KB5062557)")
        #expect(finding.port == 42 && finding.proto == "tcp")
        #expect(finding.cvssScore == 9.8)
        #expect(finding.cvssVector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        #expect(finding.severity == .high)
        #expect(finding.cves.count == 93)
        #expect(finding.cves.contains("CVE-2025-49757"))
        #expect(finding.references == ["https://support.microsoft.com/en-us/help/5062557"]) // not the CERT ids
        #expect(finding.solution == "The vendor has released updates. Please see\n  the references for more information.")
        #expect(finding.evidence?.hasPrefix("Vulnerable range:  10.0.17763.0 - 10.0.17763.7557") == true)
    }

    @Test func manyResults() throws {
        let report = try read("many_vuln.xml")
        #expect(report.findings.count == 44)
        #expect(report.hosts.map(\.address) == ["192.168.1.1001"])
        #expect(report.findings.filter { $0.severity == .high }.count == 19)
        #expect(report.findings.filter { $0.severity == .medium }.count == 25)
        // No <threat>: the score decides.
        let noThreat = report.findings.filter { $0.port == 5432 && $0.cvssScore == 4.0 }
        #expect(noThreat.count == 2 && noThreat.allSatisfy { $0.severity == .medium })
        #expect(report.findings.filter { $0.port == 80 }.count == 15)
        #expect(report.findings.allSatisfy { $0.scannerId?.hasPrefix("1.3.6.1.4.1.25623.") == true })
    }

    @Test func emptyReport() throws {
        let report = try read("no_vuln.xml")
        #expect(report.findings.isEmpty)
        #expect(report.hosts.isEmpty)
        #expect(report.info?.scannerName == "OpenVAS/GVM")
    }

    @Test func logThreatOldStyleReferencesAndWrapper() throws {
        let xml = """
        <get_reports_response status="200"><report id="r"><report id="r">
        <results><result id="1"><name>OS Detection</name><host>192.0.2.7</host><port>https (443/tcp)</port>
        <nvt oid="1.3.6.1.4.1.25623.1.0.1"><name>OS</name><cvss_base>0.0</cvss_base>
        <cve>CVE-2014-0160, cve-2014-0160, NOCVE</cve><xref>URL:https://example.org/a, CERT-BUND:X</xref>
        <tags>cvss_base_vector=AV:N/AC:L/Au:N/C:N/I:N/A:N|summary=Detects a|b.|solution=None</tags></nvt>
        <threat>Log</threat><severity>0.0</severity>
        <detection><result id="d"><details><detail><name>product</name><value>x</value></detail></details></result></detection>
        </result></results>
        <host><ip>192.0.2.7</ip><detail><name>hostname</name><value>web</value></detail></host>
        <host><ip>192.0.2.8</ip><detail><name>hostname</name><value>db</value></detail></host>
        </report></report></get_reports_response>
        """
        let report = try XMLReportEvents(OpenVASReportReader(source: ByteSource(data: Data(xml.utf8))))
        #expect(report.hosts == [ScanHost(address: "192.0.2.7"), ScanHost(address: "192.0.2.8", hostname: "db")])
        #expect(report.findings.count == 1)
        let finding = report.findings[0]
        #expect(finding.severity == .info)
        #expect(finding.port == 443 && finding.proto == "tcp")
        #expect(finding.cves == ["CVE-2014-0160"])
        #expect(finding.references == ["https://example.org/a"])
        #expect(finding.cvssVector == "AV:N/AC:L/Au:N/C:N/I:N/A:N")
        #expect(finding.description == "Detects a|b.")
        #expect(finding.solution == "None")
    }

    @Test func wrongRoot() throws {
        let error = try #require(XMLScannerCorpus.parseError {
            _ = try XMLReportEvents(OpenVASReportReader(source: ByteSource(data: Data("<nmaprun/>".utf8))))
        })
        #expect(error.format == .openvas)
        #expect(error.location == "line 1, column 1")
        #expect(error.message
            == "expected an OpenVAS/GVM XML report (root element <report> or <get_reports_response>), found <nmaprun>")
    }
}
