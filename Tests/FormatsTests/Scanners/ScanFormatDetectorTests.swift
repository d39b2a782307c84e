import Foundation
import Testing
@testable import Formats

@Suite("Scan format detector", .enabled(if: JSONReportCorpus.available))
struct ScanFormatDetectorTests {
    func detect(_ path: String) throws -> ScannerFormat? {
        let data = try Data(contentsOf: JSONReportCorpus.url("scanners/" + path))
        return ScanFormatDetector.detect(prefix: data.prefix(ScanFormatDetector.prefixLength))
    }

    @Test func everyCorpusReport() throws {
        let expected: [String: ScannerFormat?] = [
            "nmap/issue12411.xml": .nmap, "nmap/issue4406.xml": .nmap, "nmap/nmap_0port.xml": .nmap,
            "nmap/nmap_multiple_port.xml": .nmap, "nmap/nmap_script_vulners.xml": .nmap,
            "openvas/many_vuln.xml": .openvas, "openvas/no_vuln.xml": .openvas, "openvas/one_vuln.xml": .openvas,
            "openvas/report_detail_v2.xml": .openvas,
            "tenable/nessus/nessus_many_vuln.xml": .nessus, "tenable/nessus/issue_6992.nessus": .nessus,
            "tenable/nessus/nessus_with_cvssv3.nessus": .nessus, "tenable/nessus_was/nessus_was_one_vuln.xml": .nessus,
            "nuclei/issue_14071.json": .nuclei, "nuclei/many_findings.json": .nuclei, "nuclei/many_findings_new.json": .nuclei,
            "nuclei/multiple_v3.json": .nuclei, "nuclei/multi_cwe_fabricated.json": .nuclei, "nuclei/invalid_cwe.json": .nuclei,
            "nuclei/empty.jsonl": nil,
            "trivy/scheme_2_many_vulns.json": .trivy, "trivy/scheme_2_no_vuln.json": .trivy, "trivy/legacy_many_vulns.json": .trivy,
            "trivy/kubernetes.json": .trivy, "trivy/misconfigurations_and_secrets.json": .trivy, "trivy/legacy_no_vuln.json": nil,
            "sarif/appendix_k.sarif": .sarif, "sarif/bash-report.sarif": .sarif, "sarif/flawfinder.sarif": .sarif,
            "sarif/gitleaks_7.5.0.sarif": .sarif, "sarif/spotbugs.sarif": .sarif, "sarif/no_runs.sarif": .sarif,
            "sarif/suppression_test.sarif": .sarif,
            "openvas/many_vuln.csv": nil, "tenable/tenable_many_vuln.csv": nil, "masscan/masscan_many_vuln.json": nil,
        ]
        for (path, format) in expected {
            #expect(try detect(path) == format, "\(path)")
        }
    }

    @Test func markersAndOddPrefixes() {
        func detect(_ text: String) -> ScannerFormat? { ScanFormatDetector.detect(prefix: Data(text.utf8)) }
        #expect(detect("<report id=\"x\"><name>y</name></report>") == nil)
        #expect(detect("<?xml version=\"1.0\"?>\n<!-- <nmaprun> -->\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<report><nvt oid=\"1.3\"/></report>") == .openvas)
        #expect(detect("<get_reports_response status=\"200\"><report format_id=\"a\">") == .openvas)
        #expect(detect("<html><body>nmaprun</body></html>") == nil)
        #expect(detect(#"{"version": "2.1.0", "runs": [{"tool": {"#) == .sarif)
        #expect(detect(#"{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "ver"#) == .sarif)
        #expect(detect(#"{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Target": "#) == .trivy)
        #expect(detect(#"{"template": "a.yaml", "info": {"name": "A"}, "host": "h"}"#) == .nuclei)
        #expect(detect(#"{"resultsPerPage": 1, "vulnerabilities": []}"#) == nil)
        #expect(detect("") == nil)
        #expect(detect("Plugin ID,CVE,CVSS") == nil)
        // UTF-16 with a byte order mark, as some Windows tools save XML.
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("<?xml version=\"1.0\" encoding=\"UTF-16\"?><NessusClientData_v2>".data(using: .utf16LittleEndian)!)
        #expect(ScanFormatDetector.detect(prefix: utf16) == .nessus)
        // A 64 KB cut inside the first JSON value still leaves its first keys.
        let long = #"{"SchemaVersion": 2, "Metadata": {"x": ""# + String(repeating: "a", count: 70_000)
        #expect(detect(long) == .trivy)
    }

    @Test func readerFactoryChecksTheClaimedFormat() throws {
        let trivy = try JSONReportCorpus.source("scanners/trivy/scheme_2_many_vulns.json")
        let mislabelled = JSONReportCorpus.parseError { _ = try ScanReports.reader(source: trivy, claimed: .nessus) }
        #expect(mislabelled?.format == .nessus)
        #expect(mislabelled?.message == "Nessus (.nessus) expected, but the content is Trivy JSON.")

        let foreignJSON = JSONReportCorpus.parseError {
            _ = try ScanReports.reader(source: ByteSource(data: Data(#"{"a": 1}"#.utf8)), claimed: .nmap)
        }
        #expect(foreignJSON?.message == "nmap XML expected, but the content is JSON of no known scanner.")
        let unknown = JSONReportCorpus.parseError { _ = try ScanReports.reader(source: ByteSource(data: Data("a,b\n".utf8)), claimed: nil) }
        #expect(unknown?.message == "Unrecognised report: the content is not XML or JSON.")

        // Detection peeks: the chosen reader still reads from the first byte.
        let (format, reader) = try ScanReports.reader(source: try JSONReportCorpus.source("scanners/trivy/scheme_2_many_vulns.json"), claimed: nil)
        #expect(format == .trivy)
        #expect(JSONReportCorpus.findings(try JSONReportCorpus.events(reader)).count == 5)
        let (claimed, sarif) = try ScanReports.reader(source: try JSONReportCorpus.source("scanners/sarif/spotbugs.sarif"), claimed: .sarif)
        #expect(claimed == .sarif)
        #expect(JSONReportCorpus.findings(try JSONReportCorpus.events(sarif)).count == 56)
        // An empty Nuclei file is not recognised, but may be what was claimed.
        let (_, empty) = try ScanReports.reader(source: ByteSource(data: Data()), claimed: .nuclei)
        #expect(JSONReportCorpus.findings(try JSONReportCorpus.events(empty)).isEmpty)
        #expect((ScanReports.reader(for: .nmap, source: ByteSource(data: Data()), limits: ScanLimits()) as? SanitizedScanReader)?.base is NmapReportReader)
    }

    @Test func impossibleTimesAndScoresAreDroppedByEveryReader() throws {
        let xml = """
        <?xml version="1.0"?><nmaprun scanner="nmap" start="inf" version="7.93"><host><status state="up"/>\
        <address addr="10.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="22"><state state="open"/>\
        <script id="vulners" output="x"><table key="cpe:/a:openbsd:openssh:7.4"><table><elem key="id">CVE-2018-15919</elem>\
        <elem key="cvss">1e400</elem><elem key="type">cve</elem></table></table></script></port></ports></host>\
        <runstats><finished time="1e20"/></runstats></nmaprun>
        """
        var reader = ScanReports.reader(for: .nmap, source: ByteSource(data: Data(xml.utf8)))
        var infos: [ScanReportInfo] = []
        var findings: [ScanFinding] = []
        while let event = try reader.next() {
            if case .info(let i) = event { infos.append(i) }
            if case .finding(let f) = event { findings.append(f) }
        }
        #expect(!infos.isEmpty && infos.allSatisfy { $0.startedAt == nil && $0.finishedAt == nil })
        #expect(findings.allSatisfy { $0.cvssScore.map { $0.isFinite && (0...10).contains($0) } ?? true })
    }
}
