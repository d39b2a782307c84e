import Foundation
import Testing
@testable import Detection

@Suite("Sigma corpus and hunting")
struct SigmaCorpusTests {
    static let corpus: URL? = {
        for p in ["/work/shared/corpora", FileManager.default.currentDirectoryPath + "/../shared/corpora"] {
            if FileManager.default.fileExists(atPath: p + "/sigma") { return URL(fileURLWithPath: p) }
        }
        return nil
    }()

    @Test func everyCorpusRuleLoads() throws {
        guard let corpus = SigmaCorpusTests.corpus else {
            print("skipped: no ../shared/corpora/sigma")
            return
        }
        let sigma = corpus.appendingPathComponent("sigma")
        let folders = try FileManager.default.contentsOfDirectory(atPath: sigma.path).filter { $0.hasPrefix("rules") }.sorted()
        let (rules, errors) = SigmaRuleLoader.load(paths: folders.map { sigma.appendingPathComponent($0) })
        let engine = SigmaEngine(rules: rules)
        var reasons: [String: Int] = [:]
        for u in engine.unsupported { reasons[HuntCommandLine.summaryReason(u.reason), default: 0] += 1 }
        print("sigma corpus: \(rules.count) rules from \(folders.joined(separator: ", ")), \(errors.count) files not read, "
              + "\(engine.rules.count) applied, \(engine.unsupported.count) unsupported: \(reasons)")
        for e in errors { print("  \(e)") }
        #expect(errors.isEmpty)
        #expect(rules.count >= 3000)
        // Only placeholders (no values configured here) may leave corpus rules out.
        #expect(engine.unsupported.allSatisfy { $0.reason.contains("placeholder") })
        // And every rule of the corpus matches events without trapping.
        let m = engine.makeMatcher()
        let samples: [[String: Any]] = [
            ["Channel": "Microsoft-Windows-Sysmon/Operational", "EventID": 1, "Image": "C:\\Windows\\System32\\cmd.exe",
             "CommandLine": "cmd.exe /c whoami /all & powershell -enc SQBFAFgA", "ParentImage": "C:\\Windows\\explorer.exe"],
            ["Channel": "Security", "EventID": 4688, "NewProcessName": "C:\\Windows\\System32\\rundll32.exe",
             "CommandLine": "rundll32.exe comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full"],
            ["Channel": "Microsoft-Windows-PowerShell/Operational", "EventID": 4104, "ScriptBlockText": "Invoke-Mimikatz -DumpCreds"],
            ["message": "Accepted password for root from 10.0.0.1", "appname": "sshd"],
        ]
        var fired = 0
        for s in samples { fired += m.match(SigmaTest.event(s)).count }
        #expect(fired > 0)
    }

    @Test func huntJSONLinesPrintsOneLinePerMatch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hunt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rule = """
        title: Whoami "all"
        id: r-whoami
        level: medium
        logsource:
            product: windows
            category: process_creation
        detection:
            sel:
                CommandLine|contains: 'whoami /all'
            condition: sel
        """
        try rule.write(to: dir.appendingPathComponent("r.yml"), atomically: true, encoding: .utf8)
        try "title: [bad".write(to: dir.appendingPathComponent("bad.yml"), atomically: true, encoding: .utf8)
        var lines: [String] = []
        let sysmon = #"{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"CommandLine":"whoami /all"}"#
        for i in 0..<5000 {
            lines.append(i % 1000 == 7 ? sysmon : #"{"Channel":"Security","EventID":4624,"TargetUserName":"u\#(i)"}"#)
        }
        lines.insert("", at: 3)          // a blank line still counts
        lines.insert("{not json", at: 5)  // a bad line is a warning
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)
        var out: [UInt8] = []
        var diag: [String] = []
        let code = HuntCommandLine.main(arguments: ["--rules", dir.path, dir.appendingPathComponent("events.jsonl").path],
                                        output: { out.append(contentsOf: $0) }, diagnostics: { diag.append($0) })
        #expect(code == 0)
        let printed = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        let expectedLines = lines.enumerated().filter { $0.element == sysmon }.map { $0.offset + 1 }
        #expect(printed.count == 5)
        let file = dir.appendingPathComponent("events.jsonl").path
        #expect(printed == expectedLines.map {
            #"{"rule_id":"r-whoami","title":"Whoami \"all\"","level":"medium","file":"\#(file)","line":\#($0)}"#
        })
        #expect(diag.contains { $0.hasPrefix("rule error: ") && $0.contains("bad.yml") })
        #expect(diag.contains { $0.contains("events warning: \(file): line 6:") })
        #expect(diag.last?.contains("events 5000") == true)
        #expect(diag.last?.contains("matches 5") == true)
    }

    @Test func huntUsageErrors() {
        var diag: [String] = []
        #expect(HuntCommandLine.main(arguments: ["--bogus"], output: { _ in }, diagnostics: { diag.append($0) }) == 2)
        #expect(HuntCommandLine.run(rulePaths: [], eventPaths: ["x"], output: { _ in }, diagnostics: { diag.append($0) }) == 2)
        #expect(HuntCommandLine.parseArguments(["--rules", "a.yml", "b.yaml", "events.jsonl", "more.evtx"])! == (["a.yml", "b.yaml"], ["events.jsonl", "more.evtx"]))
        #expect(HuntCommandLine.parseArguments(["--rules", "x", "--", "y.yml"])! == (["x"], ["y.yml"]))
    }

    @Test func huntEVTXUsesRecordIDs() throws {
        guard let corpus = SigmaCorpusTests.corpus else { print("skipped: no corpora"); return }
        let sigma = corpus.appendingPathComponent("sigma")
        // The first regression case: its EVTX file and its rule.
        guard let en = FileManager.default.enumerator(atPath: sigma.appendingPathComponent("regression_data").path) else { return }
        var evtx: String? = nil
        for case let p as String in en where p.hasSuffix(".evtx") { evtx = sigma.appendingPathComponent("regression_data/" + p).path; break }
        guard let evtx else { print("skipped: no regression EVTX"); return }
        let id = URL(fileURLWithPath: evtx).deletingPathExtension().lastPathComponent
        var out: [UInt8] = []
        var diag: [String] = []
        let code = HuntCommandLine.run(rulePaths: [sigma.appendingPathComponent("rules").path, sigma.appendingPathComponent("rules-threat-hunting").path,
                                                   sigma.appendingPathComponent("rules-emerging-threats").path],
                                       eventPaths: [evtx], output: { out.append(contentsOf: $0) }, diagnostics: { diag.append($0) })
        #expect(code == 0)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains(#""rule_id":"\#(id)""#), "\(diag.suffix(3))")
        #expect(text.contains(#""record_id":"#))
    }
}
