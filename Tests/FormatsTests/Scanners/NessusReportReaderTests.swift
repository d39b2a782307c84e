import Domain
import Foundation
import Testing
@testable import Formats

@Suite("Nessus report reader", .enabled(if: XMLScannerCorpus.available))
struct NessusReportReaderTests {
    func read(_ file: String) throws -> XMLReportEvents {
        try XMLReportEvents(NessusReportReader(source: XMLScannerCorpus.source("tenable/nessus/\(file)")))
    }

    @Test func reportWithCVSSv3() throws {
        let report = try read("nessus_with_cvssv3.nessus")
        let info = try #require(report.info)
        #expect(info.scannerName == "Nessus")
        #expect(info.scannerVersion == "10.1.1")
        #expect(info.arguments == "policy: Basic Network Scan")
        #expect(info.startedAt == Date(timeIntervalSince1970: 1_648_042_311))
        #expect(info.finishedAt == Date(timeIntervalSince1970: 1_648_044_472))
        #expect(report.hosts == [ScanHost(address: "44.228.249.3", hostname: "testphp.vulnweb.com")])
        #expect(report.findings.count == 49)
        let bySeverity = Dictionary(grouping: report.findings, by: \.severity).mapValues(\.count)
        #expect(bySeverity == [.info: 23, .low: 1, .medium: 13, .high: 10, .critical: 2])
        #expect(report.findings.allSatisfy { $0.host == "44.228.249.3" && $0.hostname == "testphp.vulnweb.com" })

        let browsable = try #require(report.findings.first { $0.scannerId == "40984" })
        #expect(browsable.title == "Browsable Web Directories")
        #expect(browsable.severity == .medium)
        #expect(browsable.port == 80 && browsable.proto == "tcp" && browsable.service == "www")
        #expect(browsable.cvssScore == 5.3)
        #expect(browsable.cvssVector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")
        #expect(browsable.references == ["http://www.nessus.org/u?0a35179e"])
        #expect(browsable.evidence == """
            The following directories are browsable :

            http://testphp.vulnweb.com/CVS/
            http://testphp.vulnweb.com/Templates/
            http://testphp.vulnweb.com/admin/
            http://testphp.vulnweb.com/images/
            """)
        #expect(browsable.description == "Some directories on the remote web server are browsable.\n\n"
            + "Multiple Nessus plugins identified directories on the web server that are browsable.")
        #expect(browsable.solution?.hasPrefix("Make sure that browsable directories do not leak confidential information or give access to\nsensitive resources.") == true)

        let php522 = try #require(report.findings.first { $0.scannerId == "17797" })
        #expect(php522.title == "PHP 5.x < 5.2.2 Multiple vulnerabilities")
        #expect(php522.cves == ["CVE-2007-1001", "CVE-2007-1583", "CVE-2007-1649", "CVE-2007-1717", "CVE-2007-1718"])
        #expect(php522.cvssScore == 7.5) // v3 wins over v2 (7.8)
        #expect(php522.cvssVector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")
        #expect(php522.description?.contains("PHP's gd extension") == true)

        let php521 = try #require(report.findings.first { $0.scannerId == "24907" })
        #expect(php521.cves.count == 27)
        #expect(php521.cwes == ["CWE-20", "CWE-119", "CWE-189", "CWE-399"])
        #expect(php521.cvssScore == 7.5)
        #expect(php521.cvssVector?.hasPrefix("CVSS2#AV:N") == true)

        let general = report.findings.filter { $0.service == nil }
        #expect(!general.isEmpty && general.allSatisfy { $0.port == nil && $0.proto == nil })
    }

    @Test func severalHostsAndTextDates() throws {
        let report = try read("nessus_v_unknown.xml")
        #expect(report.hosts.map(\.address) == [
            "10.31.112.29", "10.31.112.26", "10.31.112.25", "10.31.112.24", "10.31.112.23", "10.31.112.22", "10.31.112.21",
        ])
        #expect(report.hosts.map(\.hostname) == ["qa3app09", "qa3app06", "qa3app05", "qa3app04", "qa3app03", "qa3app02", "qa3app01"])
        #expect(report.findings.count == 296)
        #expect(report.findings.filter { $0.port != nil }.count == 219)
        #expect(report.info?.scannerVersion == "5.2.1")
        #expect(report.info?.arguments == "policy: Internal Network Scan")
        // HOST_START "Mon Jul  1 11:33:11 2013", read as UTC.
        #expect(report.info?.startedAt == Date(timeIntervalSince1970: 1_372_678_391))
        #expect(report.info?.finishedAt == Date(timeIntervalSince1970: 1_372_679_688))
    }

    @Test func olderReport() throws {
        let report = try read("nessus_many_vuln.xml")
        #expect(report.hosts == [ScanHost(address: "12.233.108.201", hostname: "preprod.boardvantage.net")])
        #expect(report.findings.map(\.scannerId) == ["19506", "54615", "45590", "11936", "12053", "11219", "11219"])
        #expect(report.findings.first { $0.scannerId == "45590" }?.references == ["http://cpe.mitre.org/"])
        let syn = report.findings[5]
        #expect(syn.port == 443 && syn.service == "https" && syn.severity == .info)
        #expect(report.findings[0].solution == nil) // "n/a"
    }

    @Test func itemsWithoutHostPropertiesAndCaps() throws {
        var limits = ScanLimits()
        limits.maxFieldBytes = 20
        let xml = """
        <NessusClientData_v2><Report name="r"><ReportHost name="web.example">
        <ReportItem port="8443" svc_name="https?" protocol="TCP" severity="4" pluginID="1" pluginName="Bad">
        <cve>cve-2021-44228</cve><cve>CVE-2021-44228</cve><cwe>502</cwe><xref>CWE:502</xref><xref>CWE:20</xref>
        <cvss_base_score>10.0</cvss_base_score><cvss_vector>CVSS2#AV:N/AC:L/Au:N/C:C/I:C/A:C</cvss_vector>
        <see_also>https://a.example/1
        https://b.example/2</see_also>
        <cpe>cpe:/a:apache:log4j:2.14.1
        cpe:/a:apache:log4j</cpe>
        <plugin_output>\(String(repeating: "x", count: 50))</plugin_output>
        </ReportItem></ReportHost></Report></NessusClientData_v2>
        """
        let report = try XMLReportEvents(NessusReportReader(source: ByteSource(data: Data(xml.utf8)), limits: limits))
        #expect(report.hosts == [ScanHost(address: "web.example")])
        let finding = try #require(report.findings.first)
        #expect(finding.host == "web.example" && finding.hostname == nil)
        #expect(finding.severity == .critical)
        #expect(finding.port == 8443 && finding.proto == "tcp" && finding.service == "https")
        #expect(finding.cves == ["CVE-2021-44228"])
        #expect(finding.cwes == ["CWE-502", "CWE-20"])
        #expect(finding.cvssScore == 10.0 && finding.cvssVector == "CVSS2#AV:N/AC:L/Au:N/C:C/I:C/A:C")
        #expect(finding.references == ["https://a.example/1", "https://b.example/2"])
        #expect(finding.cpe == "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*")
        #expect(finding.evidence == String(repeating: "x", count: 17) + "…")
    }

    @Test func wrongRoot() throws {
        let error = try #require(XMLScannerCorpus.parseError {
            _ = try XMLReportEvents(NessusReportReader(source: ByteSource(data: Data("<?xml version=\"1.0\"?>\n\n  <NessusClientData>".utf8))))
        })
        #expect(error.format == .nessus)
        #expect(error.location == "line 3, column 3")
        #expect(error.message == "expected a Nessus v2 report (root element <NessusClientData_v2>), found <NessusClientData>")
    }

    @Test func hostileInputThroughAReader() throws {
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE NessusClientData_v2 [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<NessusClientData_v2>&x;</NessusClientData_v2>"
        let error = try #require(XMLScannerCorpus.parseError {
            _ = try XMLReportEvents(NessusReportReader(source: ByteSource(data: Data(xxe.utf8))))
        })
        #expect(error.format == .nessus)
        #expect(error.description == "Nessus (.nessus): line 2, column 31: a DOCTYPE with an internal subset is refused: entity declarations are not allowed")
    }
}
