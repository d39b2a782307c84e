import Foundation
import Testing
@testable import Detection

@Suite("Sigma rule loading")
struct SigmaLoaderTests {
    @Test func metadataIsRead() throws {
        let yaml = """
        title: Suspicious Thing
        id: 5f1b6c2e-0000-4000-8000-000000000042
        status: experimental
        description: Detects a thing
        references:
            - https://example.org/a
        author: Someone, Other
        date: 2023-01-05
        modified: 2024/02/01
        tags:
            - attack.execution
            - attack.t1059.001
            - cve.2021-1234
        logsource:
            product: windows
            category: process_creation
            definition: Sysmon config needed
        detection:
            sel:
                Image|endswith: '\\x.exe'
            condition: sel
        falsepositives: Admin scripts
        level: high
        """
        let rules = try SigmaRuleLoader.parse(yaml: yaml, origin: "rules/x.yml")
        #expect(rules.count == 1)
        let r = rules[0]
        #expect(r.id == "5f1b6c2e-0000-4000-8000-000000000042")
        #expect(r.title == "Suspicious Thing")
        #expect(r.status == "experimental")
        #expect(r.level == "high")
        #expect(r.description == "Detects a thing")
        #expect(r.author == "Someone, Other")
        #expect(r.date == "2023-01-05")
        #expect(r.modified == "2024/02/01")
        #expect(r.tags == ["attack.execution", "attack.t1059.001", "cve.2021-1234"])
        #expect(r.attackTags == ["attack.execution", "attack.t1059.001"])
        #expect(r.references == ["https://example.org/a"])
        #expect(r.falsePositives == ["Admin scripts"])
        #expect(r.logsource == SigmaLogSource(product: "windows", service: nil, category: "process_creation", definition: "Sysmon config needed"))
        #expect(r.isSupported)
        #expect(r.yaml == yaml)
        #expect(r.origin == "rules/x.yml")
    }

    @Test func collectionsWithGlobalResetAndRepeat() throws {
        // As pySigma merges them: the global document's values win over a rule's own on conflict.
        let yaml = """
        action: global
        title: Base
        logsource:
            category: test
        detection:
            sel:
                A: 'a'
        level: low
        ---
        id: r1
        detection:
            sel2:
                B: 'b'
            condition: sel and sel2
        ---
        action: repeat
        id: r2
        title: Repeated
        ---
        action: reset
        ---
        id: r3
        title: Alone
        logsource:
            category: test
        detection:
            sel:
                C: 'c'
            condition: sel
        """
        let rules = try SigmaRuleLoader.parse(yaml: yaml, origin: "c.yml")
        #expect(rules.map(\.id) == ["r1", "r2", "r3"])
        #expect(rules.map(\.title) == ["Base", "Repeated", "Alone"])
        #expect(rules[0].level == "low" && rules[2].level == nil)
        let engine = SigmaEngine(rules: rules)
        #expect(engine.unsupported.isEmpty)
        #expect(engine.match(SigmaTest.event(["A": "a", "B": "b"])) == [0, 1])
        #expect(engine.match(SigmaTest.event(["A": "a"])) == [])
        #expect(engine.match(SigmaTest.event(["C": "c"])) == [2])
        // The engine can rebuild a collection's rule from its YAML alone (as stored by the App).
        var stored = rules[1]
        stored.parsed = nil
        #expect(SigmaEngine(rules: [stored]).match(SigmaTest.event(["A": "a", "B": "b"])) == [0])
    }

    @Test func loadErrorsNameLineAndColumn() throws {
        let bad = "title: x\ndetection:\n  sel:\n    A: [unclosed\n  condition: sel\n"
        #expect(throws: SigmaLoadError.self) { try SigmaRuleLoader.parse(yaml: bad, origin: "bad.yml") }
        do {
            _ = try SigmaRuleLoader.parse(yaml: bad, origin: "bad.yml")
        } catch {
            #expect(error.origin == "bad.yml")
            #expect((error.line ?? 0) >= 4)
            #expect(error.column != nil)
            #expect(error.description.hasPrefix("bad.yml:\(error.line ?? 0):"))
        }
        do {
            _ = try SigmaRuleLoader.parse(yaml: "title: x\nlogsource:\n    product: y\n", origin: "nodet.yml")
            Issue.record("a rule without detection must not load")
        } catch {
            #expect(error.message.contains("no detection"))
        }
        do {
            _ = try SigmaRuleLoader.parse(yaml: "detection:\n    sel:\n        A: 1\n    condition: sel\n", origin: "notitle.yml")
            Issue.record("a rule without title must not load")
        } catch {
            #expect(error.message.contains("no title"))
            #expect(error.line == 1)
        }
        do {
            _ = try SigmaRuleLoader.parse(yaml: "- a\n- b\n", origin: "list.yml")
            Issue.record("a list is not a rule")
        } catch {
            #expect(error.message.contains("not a mapping"))
        }
        do {
            _ = try SigmaRuleLoader.parse(yaml: "action: sideways\ntitle: x\n", origin: "a.yml")
            Issue.record("an unknown action must not load")
        } catch {
            #expect(error.message.contains("unknown collection action 'sideways'"))
        }
    }

    @Test func aliasBombsStop() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "title: bomb\ndetection:\n    sel:\n        A: *a9\n    condition: sel\n"
        do {
            _ = try SigmaRuleLoader.parse(yaml: yaml, origin: "bomb.yml")
            Issue.record("an alias bomb must be refused")
        } catch {
            #expect(error.message.contains("aliases"))
        }
        // Fewer aliases, still too many nodes once expanded.
        var doubling = "a0: &a0 [" + Array(repeating: "x", count: 1000).joined(separator: ", ") + "]\n"
        for i in 1...7 { doubling += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1)]\n" }
        doubling += "a8: [*a7, *a7]\ntitle: t\n"   // 16 aliases, about 256,000 nodes expanded
        do {
            _ = try SigmaRuleLoader.parse(yaml: doubling, origin: "bomb2.yml")
            Issue.record("an expanding alias chain must be refused")
        } catch {
            #expect(error.message.contains("nodes"))
        }
        // Deep nesting never reaches the parser's recursion.
        do {
            _ = try SigmaRuleLoader.parse(yaml: "title: x\ndetection: " + String(repeating: "[", count: 100_000), origin: "deep.yml")
            Issue.record("deep nesting must be refused")
        } catch {
            #expect(error.message.contains("nested deeper"))
            #expect(error.line == 2)
        }
    }

    @Test func correlationAndFilterRulesAreUnsupported() throws {
        let correlation = """
        title: Many failures
        id: corr-1
        correlation:
            type: event_count
            rules: [some-rule]
            group-by: [User]
            timespan: 5m
            condition:
                gte: 10
        """
        let c = try SigmaRuleLoader.parse(yaml: correlation, origin: "c.yml")[0]
        #expect(c.unsupported?.contains("correlation rule (event_count)") == true)
        let filter = """
        title: Filter admins
        id: filter-1
        logsource:
            product: windows
        filter:
            rules: [some-rule]
            selection:
                User: admin
            condition: not selection
        """
        let f = try SigmaRuleLoader.parse(yaml: filter, origin: "f.yml")[0]
        #expect(f.unsupported?.contains("filter") == true)
        let engine = SigmaEngine(rules: [c, f])
        #expect(engine.rules.isEmpty)
        #expect(engine.unsupported.count == 2)
    }

    @Test func placeholdersComeFromTheConfiguration() throws {
        let d = "sel:\n    Computer|expand: '%DomainControllers%'"
        let without = try SigmaTest.rule(d)
        #expect(without.unsupported?.contains("%DomainControllers%") == true)
        let config = SigmaConfig(placeholders: ["DomainControllers": ["DC1", "DC2*"]])
        let with = try SigmaTest.rule(d, config: config)
        #expect(with.isSupported)
        let engine = SigmaEngine(rules: [with], config: config)
        #expect(engine.match(SigmaTest.event(["Computer": "dc2.corp"])) == [0])
        #expect(engine.match(SigmaTest.event(["Computer": "ws1"])) == [])
        // The engine decides with its own configuration.
        #expect(SigmaEngine(rules: [with]).unsupported.first?.reason.contains("%DomainControllers%") == true)
    }

    @Test func missingIdIsDerivedFromOrigin() throws {
        let r = try SigmaRuleLoader.parse(yaml: "title: t\nlogsource:\n    category: x\ndetection:\n    s:\n        A: 1\n    condition: s\n", origin: "dir/r.yml")[0]
        #expect(r.id == "dir/r.yml#1")
    }

    @Test func loadWalksFoldersInPathOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sigma-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = "title: T\nid: ID\nlogsource:\n    category: x\ndetection:\n    s:\n        A: 1\n    condition: s\n"
        try good.replacingOccurrences(of: "ID", with: "b").write(to: dir.appendingPathComponent("sub/b.yml"), atomically: true, encoding: .utf8)
        try good.replacingOccurrences(of: "ID", with: "a").write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "title: [broken".write(to: dir.appendingPathComponent("c.yml"), atomically: true, encoding: .utf8)
        try "not a rule".write(to: dir.appendingPathComponent("readme.md"), atomically: true, encoding: .utf8)
        let (rules, errors) = SigmaRuleLoader.load(paths: [dir])
        #expect(rules.map(\.id) == ["a", "b"])
        #expect(errors.count == 1)
        #expect(errors.first?.origin.hasSuffix("c.yml") == true)
        #expect(errors.first?.line != nil)
    }
}

@Suite("Sigma Windows log sources")
struct SigmaLogSourceTests {
    static let sysmon = "Microsoft-Windows-Sysmon/Operational"

    func engine(_ logsource: String, _ detection: String) throws -> SigmaEngine {
        let r = try SigmaTest.rule(detection, logsource: logsource)
        let e = SigmaEngine(rules: [r])
        #expect(e.unsupported.isEmpty)
        return e
    }

    @Test func sysmonCategoriesNeedTheirChannelAndEventID() throws {
        let cases: [(String, [Int])] = [
            ("process_creation", [1]), ("network_connection", [3]), ("image_load", [7]), ("file_event", [11]),
            ("registry_add", [12]), ("registry_delete", [12]), ("registry_set", [13]), ("registry_rename", [14]),
            ("registry_event", [12, 13, 14]), ("pipe_created", [17, 18]), ("dns_query", [22]), ("process_access", [10]),
            ("create_remote_thread", [8]), ("driver_load", [6]), ("wmi_event", [19, 20, 21]), ("file_delete", [23]),
        ]
        for (category, ids) in cases {
            let e = try engine("    product: windows\n    category: \(category)\n", "sel:\n    Image|endswith: '\\x.exe'")
            for id in ids {
                #expect(e.match(SigmaTest.event(["Channel": SigmaLogSourceTests.sysmon, "EventID": id, "Image": "C:\\x.exe"])) == [0], "\(category) \(id)")
            }
            #expect(e.match(SigmaTest.event(["Channel": SigmaLogSourceTests.sysmon, "EventID": 99, "Image": "C:\\x.exe"])) == [], "\(category)")
            #expect(e.match(SigmaTest.event(["Channel": "Security", "EventID": ids[0], "Image": "C:\\x.exe"])) == [], "\(category)")
        }
    }

    @Test func powershellCategoriesAndServices() throws {
        let ps = try engine("    product: windows\n    category: ps_script\n", "sel:\n    ScriptBlockText|contains: 'Invoke-Mimikatz'")
        let text = "IEX; Invoke-Mimikatz -DumpCreds"
        #expect(ps.match(SigmaTest.event(["Channel": "Microsoft-Windows-PowerShell/Operational", "EventID": 4104, "ScriptBlockText": text])) == [0])
        #expect(ps.match(SigmaTest.event(["Channel": "PowerShellCore/Operational", "EventID": 4104, "ScriptBlockText": text])) == [0])
        #expect(ps.match(SigmaTest.event(["Channel": "Microsoft-Windows-PowerShell/Operational", "EventID": 4103, "ScriptBlockText": text])) == [])
        let classic = try engine("    product: windows\n    category: ps_classic_start\n", "sel:\n    Data|contains: 'x'")
        #expect(classic.match(SigmaTest.event(["Channel": "Windows PowerShell", "EventID": 400, "Data": "x"])) == [0])
        let security = try engine("    product: windows\n    service: security\n", "sel:\n    EventID: 4625")
        #expect(security.match(SigmaTest.event(["Channel": "Security", "EventID": 4625])) == [0])
        #expect(security.match(SigmaTest.event(["Channel": "System", "EventID": 4625])) == [])
        let system = try engine("    product: windows\n    service: system\n", "sel:\n    EventID: 7045")
        #expect(system.match(SigmaTest.event(["Channel": "System", "EventID": 7045])) == [0])
        let defender = try engine("    product: windows\n    service: windefend\n", "sel:\n    EventID: 1116")
        #expect(defender.match(SigmaTest.event(["Channel": "Microsoft-Windows-Windows Defender/Operational", "EventID": "1116"])) == [0])
        let sysmonService = try engine("    product: windows\n    service: sysmon\n", "sel:\n    EventID: 255")
        #expect(sysmonService.match(SigmaTest.event(["Channel": SigmaLogSourceTests.sysmon, "EventID": 255])) == [0])
    }

    @Test func unmappedWindowsSourcesAreNotNarrowed() throws {
        // As pySigma's pipelines leave them: no channel or event id is added.
        let e = try engine("    product: windows\n    category: file_access\n", "sel:\n    FileName|endswith: '.kdbx'")
        #expect(e.match(SigmaTest.event(["Channel": "Microsoft-Windows-Kernel-File/Analytic", "EventID": 12, "FileName": "a.kdbx"])) == [0])
    }

    @Test func otherProductsDoNotFireOnWindowsRecords() throws {
        let e = try engine("    product: linux\n    category: process_creation\n", "sel:\n    Image|endswith: '/bash'")
        #expect(e.match(SigmaTest.event(["Image": "/bin/bash"])) == [0])
        #expect(e.match(SigmaTest.event(["Channel": "Security", "EventID": 4688, "Image": "/bin/bash"])) == [])
    }

    @Test func processCreationAlsoMatchesSecurity4688() throws {
        let e = try engine("    product: windows\n    category: process_creation\n", """
        sel:
            Image|endswith: '\\whoami.exe'
            ParentImage|endswith: '\\cmd.exe'
            CommandLine|contains: '/all'
            LogonId: '0x3e7'
        filter:
            OriginalFileName: 'whoami.exe'
        condition: sel and not filter
        """)
        let security: [String: Any] = ["Channel": "Security", "EventID": 4688,
                                       "NewProcessName": "C:\\Windows\\System32\\whoami.exe",
                                       "ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
                                       "CommandLine": "whoami /all", "SubjectLogonId": "0x3e7"]
        #expect(e.match(SigmaTest.event(security)) == [0])   // OriginalFileName is absent in 4688
        var sysmon = security
        sysmon["Channel"] = SigmaLogSourceTests.sysmon
        #expect(e.match(SigmaTest.event(sysmon)) == [])        // Sysmon event 1 has Image, not NewProcessName
        let sysmonEvent: [String: Any] = ["Channel": SigmaLogSourceTests.sysmon, "EventID": 1, "Image": "C:\\whoami.exe",
                                          "ParentImage": "C:\\cmd.exe", "CommandLine": "whoami /all", "LogonId": "0x3e7"]
        #expect(e.match(SigmaTest.event(sysmonEvent)) == [0])
    }

    @Test func security4688UserAndIntegrityLevel() throws {
        let user = try engine("    product: windows\n    category: process_creation\n", "sel:\n    User|contains: 'CORP\\alice'")
        #expect(user.match(SigmaTest.event(["Channel": "Security", "EventID": 4688, "SubjectDomainName": "CORP", "SubjectUserName": "alice"])) == [0])
        let il = try engine("    product: windows\n    category: process_creation\n", "sel:\n    IntegrityLevel: 'High'")
        #expect(il.match(SigmaTest.event(["Channel": "Security", "EventID": 4688, "MandatoryLabel": "S-1-16-12288"])) == [0])
        #expect(il.match(SigmaTest.event(["Channel": "Security", "EventID": 4688, "MandatoryLabel": "S-1-16-8192"])) == [])
        // ProcessId means the creator (in hex) in 4688: Sysmon's ProcessId is absent there.
        let pid = try engine("    product: windows\n    category: process_creation\n", "sel:\n    ProcessId: '0x1cc'")
        #expect(pid.match(SigmaTest.event(["Channel": "Security", "EventID": 4688, "ProcessId": "0x1cc"])) == [])
    }
}
