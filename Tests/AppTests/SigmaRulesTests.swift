import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// Sigma rules in the platform: imports (zip, folder, files, CLI), unsupported rules and bad YAML reported, enable/disable
/// with the version, the rule-set version the engines follow, and who may do what.
@Suite struct SigmaRulesTests {
    static let corpus = URL(fileURLWithPath: "/work/shared/corpora/sigma/rules/windows")
    /// Real rules of the shared corpus, small and plain.
    static let realRules = [
        "process_creation/proc_creation_win_whoami_all_execution.yml",
        "process_creation/proc_creation_win_whoami_priv_discovery.yml",
        "process_creation/proc_creation_win_renamed_whoami.yml",
    ]

    static func realRuleFiles() throws -> [(path: String, bytes: [UInt8])]? {
        let files = realRules.map { Self.corpus.appendingPathComponent($0) }
        guard files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) else { return nil }
        return try zip(realRules, files).map { ($0.0, [UInt8](try Data(contentsOf: $0.1))) }
    }

    /// A rule written inline: an id, a level and a Windows Security selection.
    static func yaml(id: String, title: String, level: String = "high", eventId: Int = 4625, status: String = "test",
                     tags: [String] = ["attack.credential-access", "attack.t1110"]) -> String {
        """
        title: \(title)
        id: \(id)
        status: \(status)
        description: Test rule \(title)
        author: UngCuu tests
        tags:
        \(tags.map { "    - \($0)" }.joined(separator: "\n"))
        logsource:
            product: windows
            service: security
        detection:
            selection:
                EventID: \(eventId)
            condition: selection
        falsepositives:
            - Unknown
        level: \(level)

        """
    }

    /// A rule that expands a placeholder the deployment does not configure: loaded, but unsupported.
    static let unsupportedYAML = """
        title: Uses an unknown placeholder
        id: 0e5f9f60-7a43-4e0e-9a65-3c1b2a0f0001
        status: test
        logsource:
            product: windows
            service: security
        detection:
            selection:
                TargetUserName|expand: '%ungcuu_unknown_admins%'
            condition: selection
        level: medium

        """

    /// YAML that cannot be read (a mapping value where a list item was started).
    static let badYAML = """
        title: Broken
        id: 0e5f9f60-7a43-4e0e-9a65-3c1b2a0f0002
        detection:
            selection:
              - EventID: 1
             bad: [unclosed
            condition: selection

        """

    static func makeZip(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data!)
    }

    @discardableResult
    static func importAPI(_ app: Application, _ bytes: [UInt8], name: String? = nil, headers: HTTPHeaders, expect status: HTTPStatus = .ok,
                          sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var result: [String: Any] = [:]
        let path = SiteURL.api(.sigmaRules(.importRules)).path(query: name.map { ["name": $0] } ?? [:])
        try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .contentType, value: "application/octet-stream")
            req.body = ByteBuffer(bytes: bytes)
        }) { res in
            #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
            result = (try? JSONBody.object(res)) ?? [:]
        }
        return result
    }

    static func rule(_ app: Application, _ ruleId: String) async throws -> DetectionRule {
        try #require(try await DetectionRule.query(on: app.db).filter(\.$ruleId == ruleId).first())
    }

    @Test func aZipOfRealRulesImportsWithFailuresReportedAndNothingElseBlocked() async throws {
        guard let real = try Self.realRuleFiles() else { return }  // the shared corpus is absent here
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let before = try await DetectionState.version(on: app.db)
            let zip = try Self.makeZip(real.map { ("windows/" + $0.path, $0.bytes) } + [
                ("windows/broken.yml", Array(Self.badYAML.utf8)),
                ("windows/README.md", Array("not a rule".utf8)),
                ("__MACOSX/windows/._x.yml", [0, 1, 2]),
            ])
            let result = try await Self.importAPI(app, zip, name: "sigma.zip", headers: w.coordinator)
            let created = try #require(result["created"] as? [[String: Any]])
            #expect(created.count == 3)
            let ids = Set(created.compactMap { $0["ruleId"] as? String })
            #expect(ids.isSuperset(of: ["c248c896-e412-4279-8c15-1c558067b6fa", "97a80ec7-0e2f-4d05-9ef4-65760e634f6b"]))
            let failed = try #require(result["failed"] as? [[String: Any]])
            #expect(failed.count == 1)
            #expect(failed.first?["origin"] as? String == "sigma.zip/windows/broken.yml")
            #expect(failed.first?["line"] as? Int != nil, "a YAML error names its line: \(failed)")
            #expect((failed.first?["place"] as? String)?.hasPrefix("sigma.zip/windows/broken.yml:") == true)
            #expect(result["ignored"] as? Int == 2)
            // New supported rules are enabled; metadata is kept.
            let whoami = try await Self.rule(app, "c248c896-e412-4279-8c15-1c558067b6fa")
            #expect(whoami.enabled && whoami.isSupported)
            #expect(whoami.level == "medium" && whoami.category == "process_creation" && whoami.product == "windows")
            #expect(whoami.tags.contains("attack.t1033"))
            #expect(whoami.origin == "sigma.zip/windows/process_creation/proc_creation_win_whoami_all_execution.yml")
            #expect(whoami.yaml.contains("selection_main_cli"))
            #expect(try await DetectionState.version(on: app.db) == before + 1)
            // The same zip again changes nothing (and leaves the rule-set version alone).
            let again = try await Self.importAPI(app, zip, name: "sigma.zip", headers: w.coordinator)
            #expect((again["created"] as? [Any])?.isEmpty == true && (again["updated"] as? [Any])?.isEmpty == true)
            #expect(again["unchanged"] as? Int == 3)
            #expect(try await DetectionState.version(on: app.db) == before + 1)
            // One audit event per import.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "sigma_rules.import").count() == 2)
        }
    }

    @Test func aFolderUploadFromThePageImportsEveryRuleFileAndShowsTheResult() async throws {
        guard let real = try Self.realRuleFiles() else { return }
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let session = w.coordinatorSession
            // A browser sends each file of a chosen folder with its relative path.
            let files: [FormBody.Upload] = real.map { .init(filename: "windows/" + $0.path, contentType: "application/x-yaml", bytes: $0.bytes) }
                + [.init(filename: "windows/local/failed_logon.yml", bytes: Array(Self.yaml(id: "rule-local-1", title: "Local failed logon").utf8)),
                   .init(filename: "windows/notes.txt", bytes: Array("hello".utf8))]
            try await app.testing().test(.POST, SiteURL.sigmaRules(.importRules).path, headers: session.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", session.csrf)], files: files)
            }) { res in
                #expect(res.status == .ok, "\(res.body.string.prefix(400))")
                #expect(res.element(id: "import-summary") != nil)
                #expect(res.body.string.contains("id=\"import-created\""))
                #expect(res.body.string.contains("Local failed logon"))
                #expect(res.body.string.contains("id=\"import-failures\""), "the .txt file is reported")
                #expect(res.body.string.contains("windows/notes.txt"))
            }
            #expect(try await DetectionRule.query(on: app.db).count() == 4)
            let local = try await Self.rule(app, "rule-local-1")
            #expect(local.origin == "windows/local/failed_logon.yml" && local.enabled && local.level == "high")
            // Nothing chosen: the form says so.
            try await app.testing().test(.POST, SiteURL.sigmaRules(.importRules).path, headers: session.headers, beforeRequest: { req in
                FormBody.multipart(&req, [("_csrf", session.csrf)], files: [])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.element(id: "files-error") != nil)
            }
            // The list and the rule page show them.
            try await app.testing().test(.GET, SiteURL.sigmaRules(.index).path(query: ["tag": "attack.t1033"]), headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Enumerate All Information With Whoami.EXE"))
                #expect(!res.body.string.contains("Local failed logon"))
            }
            try await app.testing().test(.GET, SiteURL.sigmaRules(.show(.value(local.id!))).path, headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "rule-id") == "rule-local-1")
                #expect(res.body.string.contains("id=\"rule-yaml\""))
                #expect(res.body.string.contains("id=\"settings-form\""))
            }
        }
    }

    @Test func aNewVersionOfAKnownIdReplacesTheRuleAndKeepsItsEnabledFlag() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            try await Self.importAPI(app, Array(Self.yaml(id: "rule-v", title: "Version one").utf8), name: "v.yml", headers: w.coordinator)
            let first = try await Self.rule(app, "rule-v")
            #expect(first.enabled && first.version == 1)
            // Disabled by a person, then a new version arrives.
            try await app.testing().test(.PATCH, SiteURL.api(.sigmaRules(.one(.value(first.id!)))).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["enabled": false, "version": 1])
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            let result = try await Self.importAPI(app, Array(Self.yaml(id: "rule-v", title: "Version two", level: "critical").utf8), name: "v2.yml",
                                                  headers: w.coordinator)
            #expect((result["updated"] as? [[String: Any]])?.first?["title"] as? String == "Version two")
            let second = try await Self.rule(app, "rule-v")
            #expect(second.id == first.id && second.title == "Version two" && second.level == "critical" && second.levelRank == 4)
            #expect(second.enabled == false, "the enabled flag is kept")
            #expect(second.version == 3)
        }
    }

    @Test func unsupportedRulesAreReportedWithTheReasonAndCannotBeEnabled() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let deprecated = Self.yaml(id: "rule-deprecated", title: "Old rule", status: "deprecated")
            let zip = try Self.makeZip([("unsupported.yml", Array(Self.unsupportedYAML.utf8)), ("deprecated.yml", Array(deprecated.utf8))])
            let result = try await Self.importAPI(app, zip, headers: w.coordinator)
            let unsupported = try #require(result["unsupported"] as? [[String: Any]])
            #expect(unsupported.count == 1)
            #expect((unsupported.first?["reason"] as? String)?.isEmpty == false)
            #expect(unsupported.first?["origin"] as? String == "sigma-rules.zip/unsupported.yml")
            let rule = try await Self.rule(app, "0e5f9f60-7a43-4e0e-9a65-3c1b2a0f0001")
            #expect(!rule.enabled && !rule.isSupported)
            // Deprecated rules come in disabled, and may be enabled by hand.
            let old = try await Self.rule(app, "rule-deprecated")
            #expect(!old.enabled && old.isSupported)
            try await app.testing().test(.PATCH, SiteURL.api(.sigmaRules(.one(.value(rule.id!)))).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["enabled": true, "version": rule.version])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try JSONBody.error(res).fields
                #expect(fields["enabled"] != nil)
            }
            // A bulk "enable all" leaves it off and says so.
            try await app.testing().test(.POST, SiteURL.api(.sigmaRules(.bulk)).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["enabled": true])
            }) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let body = try JSONBody.object(res)
                #expect(body["changed"] as? Int == 1 && body["unsupported"] as? Int == 1)
            }
            #expect(try await Self.rule(app, "rule-deprecated").enabled)
            #expect(try await Self.rule(app, rule.ruleId).enabled == false)
            // The rule page explains why.
            try await app.testing().test(.GET, SiteURL.sigmaRules(.show(.value(rule.id!))).path, headers: w.coordinatorSession.headers) { res in
                #expect(res.body.string.contains("id=\"rule-unsupported\""))
            }
            // The list filters by support.
            try await app.testing().test(.GET, SiteURL.api(.sigmaRules(.list)).path(query: ["supported": "no"]), headers: w.coordinator) { res in
                let items = try JSONBody.object(res)["items"] as? [[String: Any]] ?? []
                #expect(items.compactMap { $0["ruleId"] as? String } == [rule.ruleId])
                #expect(items.first?["supported"] as? Bool == false)
            }
        }
    }

    @Test func badYAMLIsReportedWithItsPlaceAndDoesNotBlockTheOtherFiles() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let noId = "title: No id\nlogsource:\n    product: windows\ndetection:\n    sel:\n        EventID: 1\n    condition: sel\n"
            let zip = try Self.makeZip([("a/broken.yml", Array(Self.badYAML.utf8)), ("a/noid.yml", Array(noId.utf8)),
                                        ("a/good.yml", Array(Self.yaml(id: "rule-good", title: "Good").utf8)),
                                        ("a/latin1.yml", [0x74, 0x69, 0x74, 0x6C, 0x65, 0x3A, 0x20, 0xE9, 0x0A])])
            let result = try await Self.importAPI(app, zip, name: "mixed.zip", headers: w.coordinator)
            let failed = try #require(result["failed"] as? [[String: Any]])
            let byOrigin = Dictionary(failed.map { ($0["origin"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byOrigin["mixed.zip/a/broken.yml"]?["line"] as? Int != nil)
            #expect((byOrigin["mixed.zip/a/latin1.yml"]?["message"] as? String)?.contains("UTF-8") == true)
            #expect(failed.count == 2)
            // The good file is imported all the same; a rule without an id is known by where it came from.
            let created = (result["created"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String }.sorted()
            #expect(created.count == 2 && created.contains("rule-good"))
            #expect(created.contains { $0.hasPrefix("mixed.zip/a/noid.yml") })
            // A raw YAML body that is not YAML at all.
            let broken = try await Self.importAPI(app, Array(Self.badYAML.utf8), name: "one.yml", headers: w.coordinator)
            #expect((broken["failed"] as? [[String: Any]])?.first?["origin"] as? String == "one.yml")
            // Not a zip, not YAML, not multipart with files: said so.
            try await app.testing().test(.POST, SiteURL.api(.sigmaRules(.importRules)).path, headers: w.coordinator) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try JSONBody.error(res).fields
                #expect(fields["files"] != nil)
            }
            // A damaged zip is a failure of that file.
            let damaged = try await Self.importAPI(app, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], name: "bad.zip", headers: w.coordinator)
            #expect((damaged["failed"] as? [[String: Any]])?.first?["origin"] as? String == "bad.zip")
        }
    }

    @Test func enablingAndDisablingNeedsTheVersionAndBumpsTheRuleSetVersion() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let zip = try Self.makeZip([
                ("a.yml", Array(Self.yaml(id: "rule-a", title: "Rule A", level: "high").utf8)),
                ("b.yml", Array(Self.yaml(id: "rule-b", title: "Rule B", level: "low", tags: ["attack.discovery"]).utf8)),
                ("c.yml", Array(Self.yaml(id: "rule-c", title: "Rule C", level: "low", tags: ["attack.t1059.001"]).utf8)),
            ])
            try await Self.importAPI(app, zip, headers: w.coordinator)
            let a = try await Self.rule(app, "rule-a")
            let path = SiteURL.api(.sigmaRules(.one(.value(a.id!)))).path
            func patch(_ body: [String: Any], headers: HTTPHeaders, expect status: HTTPStatus) async throws {
                try await app.testing().test(.PATCH, path, headers: headers, beforeRequest: { req in JSONBody.set(&req, body) }) { res in
                    #expect(res.status == status, "\(body): \(res.body.string)")
                }
            }
            let v0 = try await DetectionState.version(on: app.db)
            try await patch(["enabled": false], headers: w.coordinator, expect: .preconditionRequired)
            try await patch(["enabled": false, "version": 9], headers: w.coordinator, expect: .conflict)
            try await patch(["enabled": false, "version": 1], headers: w.officer, expect: .forbidden)
            try await patch(["enabled": false, "version": 1], headers: w.coordinator, expect: .ok)
            #expect(try await Self.rule(app, "rule-a").enabled == false)
            #expect(try await DetectionState.version(on: app.db) == v0 + 1)
            try await patch(["groupWindowMinutes": 15, "version": 2], headers: w.coordinator, expect: .ok)
            #expect(try await Self.rule(app, "rule-a").groupWindowSeconds == 900)
            try await patch(["groupWindowMinutes": 0, "version": 3], headers: w.coordinator, expect: .unprocessableEntity)
            try await patch(["groupWindowMinutes": NSNull(), "version": 3], headers: w.coordinator, expect: .ok)
            #expect(try await Self.rule(app, "rule-a").groupWindowSeconds == nil)
            // The Sigma id works as well as the record id.
            try await app.testing().test(.GET, SiteURL.api(.sigmaRules(.list)).path + "/rule-b", headers: w.leader) { res in
                #expect(res.status == .ok)
                let body = try JSONBody.object(res)
                #expect(body["yaml"] as? String != nil)
            }
            // The page switch of the list (a form with the version), back to the list.
            let session = w.coordinatorSession
            let b = try await Self.rule(app, "rule-b")
            try await app.testing().test(.POST, SiteURL.sigmaRules(.settings(.value(b.id!))).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("enabled", "false"), ("version", "1"), ("next", "/detection/rules?level=low")])
            }) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/detection/rules?level=low&done=ruleSaved")
            }
            #expect(try await Self.rule(app, "rule-b").enabled == false)
            // A stale page shows the rule as it is now.
            try await app.testing().test(.POST, SiteURL.sigmaRules(.settings(.value(b.id!))).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("enabled", "true"), ("version", "1")])
            }) { res in
                #expect(res.status == .conflict)
                #expect(res.element(id: "form-errors") != nil)
            }
            // Bulk: every filtered rule (the low ones) enabled from the page.
            let v1 = try await DetectionState.version(on: app.db)
            try await app.testing().test(.POST, SiteURL.sigmaRules(.bulk).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("scope", "filtered"), ("filter_level", "low"), ("enabled", "true"),
                                    ("next", "/detection/rules?level=low")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string.prefix(300))")
                #expect(res.headers.first(name: .location)?.contains("changed=1") == true)
            }
            #expect(try await Self.rule(app, "rule-b").enabled)
            #expect(try await Self.rule(app, "rule-a").enabled == false, "rule A is high: not in the filter")
            #expect(try await DetectionState.version(on: app.db) == v1 + 1)
            // Bulk by checked ids through the API; tag filter finds sub-techniques.
            try await app.testing().test(.GET, SiteURL.api(.sigmaRules(.list)).path(query: ["tag": "attack.t1059"]), headers: w.coordinator) { res in
                let items = try JSONBody.object(res)["items"] as? [[String: Any]]
                #expect(items?.compactMap { $0["ruleId"] as? String } == ["rule-c"])
            }
            let c = try await Self.rule(app, "rule-c")
            try await app.testing().test(.POST, SiteURL.api(.sigmaRules(.bulk)).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["enabled": false, "ids": [c.id!.uuidString, a.id!.uuidString]])
            }) { res in
                let body = try JSONBody.object(res)
                #expect(body["changed"] as? Int == 1)
            }
            try await app.testing().test(.GET, SiteURL.api(.sigmaRules(.list)).path(query: ["enabled": "no"]), headers: w.coordinator) { res in
                let body = try JSONBody.object(res)
                #expect(Set((body["items"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String }) == ["rule-a", "rule-c"])
                #expect((body["figures"] as? [String: Any])?["total"] as? Int == 3)
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "sigma_rule.disable").count() == 2)
        }
    }

    @Test func officersAndLeadersReadRulesButOnlyCoordinatorsAndRespondersChangeThem() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            try await Self.importAPI(app, Array(Self.yaml(id: "rule-r", title: "Readable").utf8), headers: w.officer, expect: .forbidden)
            try await Self.importAPI(app, Array(Self.yaml(id: "rule-r", title: "Readable").utf8), headers: w.coordinator)
            for headers in [w.officer, w.leader] {
                try await app.testing().test(.GET, SiteURL.api(.sigmaRules(.list)).path, headers: headers) { res in
                    #expect(res.status == .ok)
                    let body = try JSONBody.object(res)
                    #expect(body["total"] as? Int == 1)
                }
            }
            try await app.testing().test(.GET, SiteURL.sigmaRules(.index).path, headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("id=\"bulk-form\""))
                #expect(!res.body.string.contains("id=\"import-rules\""))
            }
            try await app.testing().test(.GET, SiteURL.sigmaRules(.importRules).path, headers: w.officerSession.headers) { res in
                #expect(res.status == .forbidden)
            }
            let police = try await Make.user(app, role: .police, agency: w.agency)
            try await app.testing().test(.GET, SiteURL.api(.sigmaRules(.list)).path, headers: try await Make.token(app, for: police)) { res in
                #expect(res.status == .forbidden)
            }
        }
    }

    @Test func migration0014RevertsAndAppliesAgain() async throws {
        try await withTestApp { app in
            try await Self.importAPI(app, Array(Self.yaml(id: "rule-m", title: "Before revert").utf8), headers: try await ScanWorld.make(app).coordinator)
            // One connection for both steps: SQLite connections of the pool can hold an outdated schema for a moment.
            try await app.db.transaction { db in
                try await CreateDetectionRulesAndAlerts().revert(on: db)
                try await CreateDetectionRulesAndAlerts().prepare(on: db)
            }
            // The rule is gone with the dropped table; the tables and the first rule-set version are back.
            #expect(try await DetectionRule.query(on: app.db).count() == 0)
            #expect(try await DetectionState.version(on: app.db) == 1)
        }
    }

    @Test func theCommandLineImportsFoldersZipsAndFiles() async throws {
        try await withTestApp { app in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ungcuu-rules-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder/sub"), withIntermediateDirectories: true)
            try Self.yaml(id: "cli-1", title: "CLI one").write(to: dir.appendingPathComponent("folder/sub/one.yml"), atomically: true, encoding: .utf8)
            try "ignore me".write(to: dir.appendingPathComponent("folder/README.md"), atomically: true, encoding: .utf8)
            try Data(try Self.makeZip([("two.yaml", Array(Self.yaml(id: "cli-2", title: "CLI two").utf8))])).write(to: dir.appendingPathComponent("rules.zip"))
            try Self.yaml(id: "cli-3", title: "CLI three").write(to: dir.appendingPathComponent("three.yml"), atomically: true, encoding: .utf8)
            let collected = RuleImport.collect(paths: [dir.appendingPathComponent("folder"), dir.appendingPathComponent("rules.zip"),
                                                       dir.appendingPathComponent("three.yml"), dir.appendingPathComponent("missing")])
            #expect(collected.files.map(\.origin) == ["folder/sub/one.yml", "rules.zip/two.yaml", "three.yml"])
            #expect(collected.ignored == 1)
            #expect(collected.failures.map(\.message) == ["no such file or folder"])
            let outcome = try await RuleImport.run(collected, actor: .system("test"), app: app)
            #expect(outcome.created.count == 3)
        }
    }
}
