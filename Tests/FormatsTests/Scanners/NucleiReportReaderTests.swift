import Foundation
import Testing
@testable import Formats

@Suite("Nuclei report reader", .enabled(if: JSONReportCorpus.available))
struct NucleiReportReaderTests {
    func read(_ name: String) throws -> [ScanReportEvent] {
        try JSONReportCorpus.events(NucleiReportReader(source: JSONReportCorpus.source("scanners/nuclei/\(name)")))
    }

    func read(text: String) throws -> [ScanReportEvent] {
        try JSONReportCorpus.events(NucleiReportReader(source: ByteSource(data: Data(text.utf8))))
    }

    @Test func findingCountsOfEveryCorpusFile() throws {
        let counts = ["empty.jsonl": 0, "no_findings.json": 0, "invalid_cwe.json": 1, "issue_9201.json": 1,
                      "issue_14071.json": 27, "many_findings.json": 18, "many_findings_new.json": 2,
                      "many_findings_third.json": 2, "multi_cwe_fabricated.json": 1, "multiple_matches.json": 2,
                      "multiple_v3.json": 6]
        for (name, count) in counts {
            let events = try read(name)
            #expect(JSONReportCorpus.findings(events).count == count, "\(name)")
            #expect(JSONReportCorpus.infos(events).first?.scannerName == "Nuclei")
        }
    }

    @Test func newFieldNamesWithClassification() throws {
        let events = try read("many_findings_new.json")
        let f = try #require(JSONReportCorpus.findings(events).first)
        #expect(f.scannerId == "CVE-2018-15473")
        #expect(f.title == "OpenSSH Username Enumeration v7.7")
        #expect(f.severity == .medium)
        #expect(f.cves == ["CVE-2018-15473"])
        #expect(f.cwes == ["CWE-362"])
        #expect(f.cvssVector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")
        #expect(f.cvssScore == 5.3)
        #expect(f.host == "127.0.0.1")
        #expect(f.hostname == "nuclei-example.com")
        #expect(f.port == 22)
        #expect(f.proto == "tcp")
        #expect(f.references == ["https://nvd.nist.gov/vuln/detail/cve-2018-15473"])
        #expect(f.location == "nuclei-example.com:22")
        #expect(f.evidence?.contains("Extracted: SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7") == true)
        #expect(f.evidence?.contains("Type: network") == true)
        #expect(f.description?.hasPrefix("OpenSSH through 7.7 is prone to a user enumeration") == true)
        #expect(JSONReportCorpus.hosts(events) == [ScanHost(address: "127.0.0.1", hostname: "nuclei-example.com")])
        let last = try #require(JSONReportCorpus.infos(events).last)
        #expect(last.startedAt == ExchangeIdentifiers.parseTimestamp("2022-03-20T22:43:31.231312071-03:00"))
        #expect(last.finishedAt == ExchangeIdentifiers.parseTimestamp("2022-03-20T22:48:35.345037644-03:00"))
    }

    @Test func oldFieldNamesAndReferenceText() throws {
        let findings = JSONReportCorpus.findings(try read("many_findings.json"))
        let ssh = findings[0]
        #expect(ssh.scannerId == "openssh5.3-detect")
        #expect(ssh.severity == .low)
        #expect(ssh.references == ["http://seclists.org/fulldisclosure/2016/Jul/51",
                                   "https://security-tracker.debian.org/tracker/CVE-2016-6210",
                                   "http://openwall.com/lists/oss-security/2016/08/01/2"])
        #expect(ssh.port == 22)
        #expect(ssh.host == "178.21.15.56")
        #expect(findings[3].hostname == "127.0.0.1")
        #expect(findings[3].port == 8080)
        #expect(findings[3].evidence?.contains("Matcher: ") == true)
        #expect(findings[17].title == "MySQL DB with enabled native password")
        // A Python list written as a string still gives its URLs.
        let favicon = try #require(JSONReportCorpus.findings(try read("issue_9201.json")).first)
        #expect(favicon.references.first == "https://twitter.com/brsn76945860/status/1171233054951501824")
        #expect(favicon.references.count >= 3)
    }

    @Test func arraysPrettyPrintedAndMultipleCWEs() throws {
        let multi = try #require(JSONReportCorpus.findings(try read("multi_cwe_fabricated.json")).first)
        #expect(multi.cwes == ["CWE-79", "CWE-89"])
        #expect(multi.cves == ["CVE-2021-0001"])
        #expect(multi.severity == .high)
        #expect(multi.hostname == "example.com")
        #expect(multi.port == 443)
        #expect(multi.location == "https://example.com/login")

        let dns = JSONReportCorpus.findings(try read("multiple_v3.json"))
        #expect(dns.map(\.scannerId) == ["dns-saas-service-detection", "caa-fingerprint", "ssl-issuer", "ssl-dns-names",
                                         "tls-version", "tls-version"])
        #expect(dns[0].host == "www.asdf.de")
        #expect(dns[0].port == nil)
        #expect(dns[2].host == "8.8.8.8")
        #expect(dns[2].port == 443)
        #expect(dns[3].evidence?.contains("Extracted: asdf.de, www.asdf.de") == true)
    }

    @Test func issue14071() throws {
        let findings = JSONReportCorpus.findings(try read("issue_14071.json"))
        #expect(findings[0].title == "DVWA Default Login")
        #expect(findings[0].severity == .critical)
        #expect(findings[0].cwes == ["CWE-798"])
        #expect(findings[0].cves.isEmpty)
        #expect(findings[0].host == "172.18.0.3")
        #expect(findings[0].hostname == "dvwa_dvwa_1")
        #expect(findings[0].port == 80)
        #expect(findings[1].solution?.hasPrefix("Remove PHP Info pages") == true)
        #expect(findings[5].cvssScore == 5.3)
        #expect(findings[5].cvssVector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")
        #expect(findings[23].cpe == "cpe:2.3:a:php:php:*:*:*:*:*:*:*:*")
        let invalid = try #require(JSONReportCorpus.findings(try read("invalid_cwe.json")).first)
        #expect(invalid.cwes.isEmpty)
    }

    @Test func errorsNameTheLine() throws {
        let good = #"{"template-id": "a", "info": {"name": "A", "severity": "high"}}"#
        let syntax = JSONReportCorpus.parseError { _ = try read(text: "\(good)\n\(good)\n{\"template-id\": \"b\", \"info\": {\"name\": x}}\n") }
        #expect(syntax?.format == .nuclei)
        #expect(syntax?.location?.hasPrefix("line 3 of the JSON lines, column ") == true)
        #expect(syntax?.location?.hasSuffix("at $.info.name") == true)
        let foreign = JSONReportCorpus.parseError { _ = try read(text: "\(good)\n\n{\"foo\": 1}\n") }
        #expect(foreign?.location == "line 3 of the JSON lines")
        #expect(foreign?.message.contains("not a Nuclei result") == true)
        let scalar = JSONReportCorpus.parseError { _ = try read(text: "\(good)\n42\n") }
        #expect(scalar?.location == "line 2 of the JSON lines")
        let truncated = JSONReportCorpus.parseError { _ = try read(text: "\(good)\n{\"template-id\": \"b\", \"inf") }
        #expect(truncated?.message == "unterminated string")
    }

    @Test func mixedArraysAndLines() throws {
        let good = #"{"templateID": "a", "info": {"name": "A", "severity": "low"}, "host": "10.0.0.1"}"#
        let findings = JSONReportCorpus.findings(try read(text: "[\(good), \(good)]\n\(good)\n[]"))
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { $0.host == "10.0.0.1" && $0.severity == .low })
    }
}
