import Foundation
import Testing
@testable import Formats

@Suite("SARIF report reader", .enabled(if: JSONReportCorpus.available))
struct SarifReportReaderTests {
    func read(_ name: String, includeSuppressed: Bool = false) throws -> (events: [ScanReportEvent], suppressed: Int) {
        var reader = SarifReportReader(source: try JSONReportCorpus.source("scanners/sarif/\(name)"), includeSuppressed: includeSuppressed)
        var events: [ScanReportEvent] = []
        while let event = try reader.next() { events.append(event) }
        return (events, reader.suppressedCount)
    }

    @Test func repositoryWrittenAfterTheResultsStillNamesTheHost() throws {
        let events = try read("bash-report.sarif").events
        let info = try #require(JSONReportCorpus.infos(events).first)
        #expect(info.scannerName == "Shell Script Analysis")
        #expect(info.scannerVersion == "1.0.0-scan")
        #expect(info.finishedAt == ExchangeIdentifiers.parseTimestamp("2021-03-08T15:39:40Z"))
        #expect(JSONReportCorpus.hosts(events) == [ScanHost(address: "https://github.com/damiencarol/django-DefectDojo", isNetwork: false)])
        let findings = JSONReportCorpus.findings(events)
        #expect(findings.count == 27)
        let first = findings[0]
        #expect(first.scannerId == "2076")
        #expect(first.title == "Don't quote right-hand side of =~, it'll match literally rather than as a regex.")
        #expect(first.severity == .low)
        #expect(first.location == "file:///home/damien/dd/docker/setEnv.sh:134")
        #expect(first.host == "https://github.com/damiencarol/django-DefectDojo")
        #expect(first.references == ["https://github.com/koalaman/shellcheck/wiki/SC2076"])
        #expect(first.evidence?.contains("if [ ${#} -eq 1 ]") == true)
    }

    @Test func suppressedResultsAreSkippedAndCounted() throws {
        let (events, suppressed) = try read("suppression_test.sarif")
        let findings = JSONReportCorpus.findings(events)
        #expect(suppressed == 3)
        #expect(findings.map(\.scannerId) == ["TST0004", "TST0005"])
        #expect(findings.map(\.title) == ["Rule 004", "Rule 005"])
        #expect(findings.map(\.location) == ["file:///C:/code/file4.c", "file:///C:/code/file5.c"])
        #expect(findings.allSatisfy { $0.severity == .medium })

        let all = JSONReportCorpus.findings(try read("suppression_test.sarif", includeSuppressed: true).events)
        #expect(all.count == 5)
        #expect(all[2].evidence == "Suppressed (inSource)\n\nSuppressed")
    }

    @Test func specificationAppendixK() throws {
        let (events, suppressed) = try read("appendix_k.sarif")
        #expect(suppressed == 1)
        #expect(JSONReportCorpus.findings(events).isEmpty)
        let info = try #require(JSONReportCorpus.infos(events).first)
        #expect(info.scannerName == "CodeScanner")
        #expect(info.scannerVersion == "2.1")
        #expect(info.startedAt == ExchangeIdentifiers.parseTimestamp("2016-07-16T14:18:25Z"))
        #expect(info.arguments == "CodeScanner @build/collections.rsp")

        let f = try #require(JSONReportCorpus.findings(try read("appendix_k.sarif", includeSuppressed: true).events).first)
        #expect(f.title == "A variable was used without being initialized.")
        #expect(f.severity == .high)
        #expect(f.location == "collections/list.h:15")
        #expect(f.host == "https://github.com/example-corp/browser")
        #expect(f.evidence?.contains(#"Variable "ptr" was used without being initialized. It was declared [here](0)."#) == true)
        #expect(f.evidence?.hasPrefix("Suppressed (external)") == true)
    }

    @Test func flawfinderRelationshipsLevelsAndPasses() throws {
        let findings = JSONReportCorpus.findings(try read("flawfinder.sarif").events)
        #expect(findings.count == 53) // 54 results, one of kind "pass"
        let first = findings[0]
        #expect(first.scannerId == "FF1048")
        #expect(first.cwes == ["CWE-327"])
        #expect(first.severity == .high) // no level: the rule's default "error"
        #expect(first.location == "src/tree/param.cc:29")
        #expect(first.host == nil)
        #expect(findings[1].severity == .medium)
        #expect(findings.first { $0.scannerId == "FF1021" }?.cwes == ["CWE-120", "CWE-20"])
    }

    @Test func messagesFromRuleStringsAndResultsWithoutRules() throws {
        let spotbugs = JSONReportCorpus.findings(try read("spotbugs.sarif").events)
        #expect(spotbugs.count == 56)
        #expect(spotbugs[0].evidence == "Hard coded reference to an absolute pathname in Boot.main(String[]).")
        #expect(spotbugs[0].title == "Code contains a hard coded reference to an absolute pathname.")
        #expect(spotbugs[0].location == "Boot.java:23")

        let (events, _) = try read("gitleaks_7.5.0.sarif")
        let gitleaks = JSONReportCorpus.findings(events)
        #expect(gitleaks.count == 8)
        #expect(gitleaks[0].title == "AWS Access Key secret detected")
        #expect(gitleaks[0].scannerId == nil)
        #expect(gitleaks[0].severity == .medium)
        #expect(gitleaks[0].location == "dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json:13")
        #expect(JSONReportCorpus.infos(events).first?.scannerVersion == "v7.4.0")

        let empty = try read("no_runs.sarif").events
        #expect(empty.count == 1)
    }

    static let resultsBeforeTool = #"""
    {"version": "2.1.0", "runs": [{
      "results": [{"ruleId": "js/xss", "message": {"text": "XSS in {0}", "arguments": ["a"]},
                   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.js"}, "region": {"startLine": 7}}}]},
                  {"ruleId": "js/other", "level": "note", "kind": "review", "message": {"text": "Look"}}],
      "tool": {"driver": {"name": "CodeQL", "semanticVersion": "2.15.0", "rules": [
        {"id": "js/xss", "shortDescription": {"text": "Reflected XSS"},
         "properties": {"security-severity": "9.8", "tags": ["security", "external/cwe/cwe-079", "external/cwe/cwe-116"]}}]}},
      "versionControlProvenance": [{"repositoryUri": "https://git.example.vn/portal"}]
    }]}
    """#

    @Test func resultsBeforeTheToolUseASecondPass() throws {
        let url = try JSONReportCorpus.temporaryFile(Data(Self.resultsBeforeTool.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let events = try JSONReportCorpus.events(SarifReportReader(source: ByteSource(url: url, chunkSize: 16)))
        #expect(JSONReportCorpus.infos(events).first?.scannerName == "CodeQL")
        #expect(JSONReportCorpus.infos(events).first?.scannerVersion == "2.15.0")
        let findings = JSONReportCorpus.findings(events)
        #expect(findings.count == 2)
        #expect(findings[0].title == "Reflected XSS")
        #expect(findings[0].severity == .critical)
        #expect(findings[0].cwes == ["CWE-79", "CWE-116"])
        #expect(findings[0].evidence == "XSS in a")
        #expect(findings[0].location == "src/app.js:7")
        #expect(findings[0].host == "https://git.example.vn/portal")
        #expect(findings[1].severity == .low)
        #expect(findings[1].title == "Look")
    }

    @Test func sourceThatCannotRewindIsReadOnce() throws {
        let source = ByteSource(data: Data((" " + Self.resultsBeforeTool).utf8))
        try source.skip(1) // not at the start: no second pass
        let events = try JSONReportCorpus.events(SarifReportReader(source: source))
        let findings = JSONReportCorpus.findings(events)
        #expect(findings.count == 2)
        #expect(findings[0].title == "XSS in a") // the rule was not known yet
        #expect(findings[0].severity == .medium)
        #expect(JSONReportCorpus.infos(events).last?.scannerName == "CodeQL")
        #expect(JSONReportCorpus.hosts(events).map(\.address) == ["https://git.example.vn/portal"])
    }

    @Test func errors() {
        func error(_ text: String) -> ScanParseError? {
            JSONReportCorpus.parseError { _ = try JSONReportCorpus.events(SarifReportReader(source: ByteSource(data: Data(text.utf8)))) }
        }
        #expect(error(#"{"version": "1.0.0", "runs": []}"#)?.message == "SARIF version 1.0.0 is not supported (2.1.0 expected)")
        #expect(error("[]")?.message.contains("expected a SARIF log") == true)
        let bad = error(#"{"version": "2.1.0", "runs": [{"results": [{"ruleId": "x"}, {"level": err}]}]}"#)
        #expect(bad?.location?.hasSuffix("at $.runs[0].results[1].level") == true)
        #expect(error(#"{"runs": []} {}"#)?.message.contains("unexpected data after") == true)
    }
}

@Suite("SARIF hostile messages")
struct SarifHostileMessageTests {
    func findings(message: String, arguments: [String]) throws -> [ScanFinding] {
        let object: [String: Any] = ["version": "2.1.0", "runs": [[
            "tool": ["driver": ["name": "t"]],
            "results": [["ruleId": "R1", "message": ["text": message, "arguments": arguments]]],
        ]]]
        let data = try JSONSerialization.data(withJSONObject: object)
        var reader = SarifReportReader(source: ByteSource(data: data))
        var found: [ScanFinding] = []
        while let event = try reader.next() { if case .finding(let f) = event { found.append(f) } }
        return found
    }

    @Test func placeholderBombIsCappedAndFast() throws {
        let limit = ScanLimits().maxFieldBytes
        let start = Date()
        let bomb = try findings(message: String(repeating: "{0}", count: 100_000), arguments: [String(repeating: "x", count: 100_000)])
        let braces = try findings(message: String(repeating: "{a", count: 200_000), arguments: ["y"])
        #expect(Date().timeIntervalSince(start) < 10)
        let a = try #require(bomb.first)
        #expect((a.description?.utf8.count ?? 0) <= limit)
        #expect(a.description?.hasSuffix("…") == true)
        #expect((a.evidence?.utf8.count ?? 0) <= limit)
        #expect(a.title.utf8.count <= 300)
        let b = try #require(braces.first)
        #expect((b.description?.utf8.count ?? 0) <= limit)
        #expect(b.description?.hasPrefix("{a{a") == true)
    }

    @Test func placeholdersStillFill() {
        #expect(SarifResult.fill("{0} and {1}, {{x}} {2} {a}", ["A", "B"], maxBytes: 100) == "A and B, {x} {2} {a}")
        #expect(SarifResult.fill("{0}{0}", ["abcdef"], maxBytes: 8) == ScanText.capped("abcdefabcdef", maxBytes: 8))
    }
}
