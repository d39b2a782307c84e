import Foundation
import Testing
@testable import Formats

@Suite("Trivy report reader", .enabled(if: JSONReportCorpus.available))
struct TrivyReportReaderTests {
    func read(_ name: String, chunkSize: Int = 1 << 16) throws -> [ScanReportEvent] {
        try JSONReportCorpus.events(TrivyReportReader(source: JSONReportCorpus.source("scanners/trivy/\(name)", chunkSize: chunkSize)))
    }

    @Test func schemaTwo() throws {
        let events = try read("scheme_2_many_vulns.json", chunkSize: 100)
        #expect(JSONReportCorpus.infos(events).first?.scannerName == "Trivy")
        #expect(JSONReportCorpus.hosts(events) == [ScanHost(address: "teamdojo:latest", isNetwork: false)])
        let findings = JSONReportCorpus.findings(events)
        #expect(findings.count == 5)
        let freetype = findings[0]
        #expect(freetype.scannerId == "CVE-2020-15999")
        #expect(freetype.cves == ["CVE-2020-15999"])
        #expect(freetype.title == "freetype: Heap-based buffer overflow due to integer truncation in Load_SBit_Png")
        #expect(freetype.severity == .medium)
        #expect(freetype.cvssVector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H")
        #expect(freetype.cvssScore == 6.5)
        #expect(freetype.cwes == ["CWE-787"])
        #expect(freetype.product == "freetype")
        #expect(freetype.version == "2.9.1-r2")
        #expect(freetype.solution == "Upgrade freetype to 2.9.1-r3")
        #expect(freetype.location == "teamdojo:latest (alpine 3.9.4): freetype")
        #expect(freetype.host == "teamdojo:latest")
        #expect(freetype.references.first == "https://avd.aquasec.com/nvd/cve-2020-15999")
        #expect(freetype.evidence?.contains("Path: app/libs/freetype-2.9.1-r2") == true)
        // Only Red Hat scored it: its vector is used.
        #expect(findings[1].cvssVector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H")
        #expect(findings[1].cvssScore == 7.5)
        #expect(findings[1].severity == .high)
        #expect(findings[2].cvssScore == nil)
        #expect(findings[2].severity == .critical)
        #expect(findings[3].location == "app/libs/commons-compress-1.14.jar: org.apache.commons:commons-compress")
    }

    @Test func legacyArrayAndNull() throws {
        let findings = JSONReportCorpus.findings(try read("legacy_many_vulns.json"))
        #expect(findings.count == 93)
        #expect(findings[0].scannerId == "CVE-2011-3374")
        #expect(findings[0].location == "debian (debian 10.8): apt")
        #expect(findings[0].solution == nil)
        #expect(findings[0].host == nil)
        #expect(findings[2].scannerId == "TEMP-0841856-B18BAF")
        #expect(findings[2].cves.isEmpty)
        #expect(findings[2].title == "TEMP-0841856-B18BAF in bash")
        #expect(findings[2].severity == .low)

        let none = try read("legacy_no_vuln.json")
        #expect(none.count == 1)
        #expect(JSONReportCorpus.infos(none).count == 1)
        #expect(JSONReportCorpus.findings(try read("scheme_2_no_vuln.json")).isEmpty)
    }

    @Test func misconfigurationsAndSecrets() throws {
        let findings = JSONReportCorpus.findings(try read("misconfigurations_and_secrets.json"))
        #expect(findings.count == 5)
        #expect(findings.allSatisfy { $0.host == "." })
        let dockerfile = findings[2]
        #expect(dockerfile.scannerId == "DS002")
        #expect(dockerfile.title == "Image user should not be 'root'")
        #expect(dockerfile.severity == .high)
        #expect(dockerfile.solution == "Add 'USER <non root user name>' line to the Dockerfile")
        #expect(dockerfile.evidence == "Specify at least 1 USER command in Dockerfile with non-root user as argument")
        #expect(dockerfile.location == "Dockerfile")
        let secret = findings[3]
        #expect(secret.scannerId == "github-pat")
        #expect(secret.title == "GitHub Personal Access Token")
        #expect(secret.severity == .critical)
        #expect(secret.location == "Dockerfile:24")
        #expect(secret.evidence == "ENV GITHUB_PAT=*****")
        #expect(findings[4].location == "secret.txt:1")
    }

    @Test func kubernetesClusterReport() throws {
        let events = try read("kubernetes.json")
        #expect(JSONReportCorpus.hosts(events).map(\.address) == ["arn:aws:eks:us-east-1:576036489467:cluster/monitoring-test-cluster"])
        let findings = JSONReportCorpus.findings(events)
        #expect(findings.count == 20)
        #expect(findings[0].location == "Deployment default/redis-follower, gcr.io/google_samples/gb-redis-follower:v2 (debian 10.4): apt")
        #expect(findings[0].scannerId == "CVE-2020-27350")
        let check = try #require(findings.first { $0.scannerId == "KSV001" })
        #expect(check.location == "Deployment default/redis-follower, Deployment/redis-follower:132")
        #expect(check.severity == .medium)
    }

    @Test func streamsLargeReportsWithSmallChunks() throws {
        var text = #"{"SchemaVersion": 2, "ArtifactName": "img", "Results": ["#
        for r in 0..<50 {
            text += (r > 0 ? "," : "") + #"{"Target": "t\#(r)", "Vulnerabilities": ["#
            text += (0..<40).map { #"{"VulnerabilityID": "CVE-2024-\#(10000 + $0)", "PkgName": "p\#(r)", "Severity": "LOW"}"# }.joined(separator: ",")
            text += "]}"
        }
        text += "]}"
        let url = try JSONReportCorpus.temporaryFile(Data(text.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let findings = JSONReportCorpus.findings(try JSONReportCorpus.events(TrivyReportReader(source: ByteSource(url: url, chunkSize: 37))))
        #expect(findings.count == 2000)
        #expect(findings.last?.location == "t49: p49")
        #expect(findings.last?.cves == ["CVE-2024-10039"])
    }

    @Test func errorsNameThePath() throws {
        let text = #"{"SchemaVersion": 2, "Results": [{"Target": "a", "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-1"}, {"Severity": HIGH}]}]}"#
        let error = JSONReportCorpus.parseError { _ = try JSONReportCorpus.events(TrivyReportReader(source: ByteSource(data: Data(text.utf8)))) }
        #expect(error?.format == .trivy)
        #expect(error?.location?.hasSuffix("at $.Results[0].Vulnerabilities[1].Severity") == true)
        let valid = Data(text.replacingOccurrences(of: "HIGH", with: "\"HIGH\"").utf8)
        #expect(JSONReportCorpus.findings(try JSONReportCorpus.events(TrivyReportReader(source: ByteSource(data: valid)))).count == 2)
        let truncated = JSONReportCorpus.parseError {
            _ = try JSONReportCorpus.events(TrivyReportReader(source: ByteSource(data: valid.prefix(valid.count - 2))))
        }
        #expect(truncated?.message == "unexpected end of input inside an array")
        #expect(truncated?.location?.hasSuffix("at $.Results[0]") == true)
        let scalar = JSONReportCorpus.parseError { _ = try JSONReportCorpus.events(TrivyReportReader(source: ByteSource(data: Data("42".utf8)))) }
        #expect(scalar?.message.contains("expected a Trivy report") == true)
    }
}
