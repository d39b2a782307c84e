import Domain
import Foundation
import Testing
@testable import Formats

/// The pure part of `ungcuu match-cves`: the inventory file, the advisory files told apart by content, the JSON lines.
@Suite struct InventoryMatchRunTests {
    static let corpus = URL(fileURLWithPath: "/work/shared/corpora/nvd/vunnel")
    static let available = FileManager.default.fileExists(atPath: corpus.appendingPathComponent("full-page.json").path)

    static let inventory = #"""
    {"systems": [
      {"code": "HT-DB", "name": "Cơ sở dữ liệu dân cư",
       "components": [{"name": "CSDL", "vendor": "Oracle", "product": "MySQL", "version": "8.0.33"},
                      {"name": "Máy chủ web", "vendor": "Apache", "product": "HTTP Server", "version": 2.4}]},
      {"code": "HT-PAM", "name": "Quản lý đặc quyền",
       "components": [{"name": "PAM", "cpe": "cpe:2.3:a:ibm:security_verify_privilege_on-premises:11.4:*:*:*:*:*:*:*"},
                      {"name": "Hệ điều hành", "cpe": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"}]},
      {"code": "HT-NEW", "components": [{"name": "CSDL", "vendor": "Oracle", "product": "MySQL", "version": "8.0.35"},
                                        {"name": "Thiết bị không rõ"}]}
    ]}
    """#

    @Test func theInventoryIsReadInTheDocumentedShapeAndTheAPIShapes() throws {
        let documented = try MatchInventory.read(Data(Self.inventory.utf8))
        #expect(documented.systems.map(\.code) == ["HT-DB", "HT-PAM", "HT-NEW"])
        #expect(documented.systems[0].components[1].version == "2.4")
        let page = try MatchInventory.read(Data(#"{"items":[{"id":"3f1c","code":"HT-1","name":"A","components":[{"id":"x","name":"Web","vendor":"nginx","product":"nginx","version":"1.25","cpe":null,"level":null}]}],"total":1,"page":1,"per":50}"#.utf8))
        #expect(page.systems.first?.components.first?.product == "nginx")
        let one = try MatchInventory.read(Data(#"{"code":"HT-2","components":[]}"#.utf8))
        #expect(one.systems.map(\.code) == ["HT-2"])
        let bare = try MatchInventory.read(Data(#"[{"code":"HT-3"}]"#.utf8))
        #expect(bare.systems.first?.components.isEmpty == true)
    }

    @Test func aBadInventoryNamesTheJSONPath() {
        #expect(throws: MatchInventory.ReadError(path: "$.systems[1].components[0].vendor", message: "must be a string")) {
            try MatchInventory.read(Data(#"{"systems":[{"code":"A"},{"code":"B","components":[{"name":"x","vendor":true}]}]}"#.utf8))
        }
        #expect(throws: MatchInventory.ReadError(path: "$.systems[0].code", message: "missing: every system needs a code")) {
            try MatchInventory.read(Data(#"{"systems":[{"name":"A"}]}"#.utf8))
        }
        #expect((try? MatchInventory.read(Data("{\"systems\": [".utf8))) == nil)
    }

    @Test(.enabled(if: available, "the NVD corpus is present"))
    func aFeedPrintsOneLinePerAffectedComponentWithTheCriterionAndReason() throws {
        let run = InventoryMatchRun(inventory: try MatchInventory.read(Data(Self.inventory.utf8)))
        var lines: [String] = []
        let summary = try run.run(files: [Self.corpus.appendingPathComponent("full-page.json")]) { lines.append($0) }
        #expect(summary.advisories == 38)
        #expect(summary.unmatchable == ["HT-NEW/Thiết bị không rõ"])
        let decoded = try lines.map { try JSONDecoder().decode(InventoryMatchRun.Line.self, from: Data($0.utf8)) }
        let mysql = decoded.filter { $0.cve == "CVE-2023-22068" }
        #expect(mysql.map(\.system) == ["HT-DB"], "8.0.35 is past 8.0.34")
        #expect(mysql.first?.component == "CSDL")
        #expect(mysql.first?.criteria == "cpe:2.3:a:oracle:mysql:*:*:*:*:*:*:*:*")
        #expect(mysql.first?.derivedCpe?.hasPrefix("cpe:2.3:a:oracle:mysql:8.0.33:") == true)
        #expect(mysql.first?.reason.contains("8.0.34") == true)
        let ibm = decoded.filter { $0.system == "HT-PAM" }
        #expect(ibm.count == 11, "every IBM Security Verify CVE of the page, running on Windows")
        #expect(ibm.allSatisfy { $0.component == "PAM" && $0.derivedCpe == nil && $0.reason.contains("windows") })
        // Each line is one JSON object with the documented keys, in order.
        #expect(lines.allSatisfy { $0.hasPrefix("{\"cve\":") && $0.contains(",\"derivedCpe\":") && !$0.contains("\n") })
    }

    @Test(.enabled(if: available, "the NVD corpus is present"))
    func aSingleRecordAndACSAFDocumentAreToldApartByContent() throws {
        let single = try AdvisoryFile(url: Self.corpus.appendingPathComponent("single-entry.json"))
        #expect(single.kind == .nvdFeed || single.kind == .nvdRecord)
        #expect(try single.next()?.advisory.id == "CVE-2022-1576")
        let csaf = #"""
        {"vulnerabilities": [{"cve": "CVE-2023-45802", "product_status": {"known_affected": ["A"]}},
                             {"cve": "CVE-2023-99999", "product_status": {"known_affected": ["B"]}}],
         "document": {"category": "csaf_base", "csaf_version": "2.0", "title": "Apache", "publisher": {"category": "other", "name": "NCSC", "namespace": "https://example.vn"},
                      "tracking": {"id": "T-1", "status": "final", "version": "1", "initial_release_date": "2023-10-20T00:00:00Z", "current_release_date": "2023-10-20T00:00:00Z",
                                   "revision_history": [{"date": "2023-10-20T00:00:00Z", "number": "1", "summary": "x"}]}},
         "product_tree": {"branches": [{"category": "vendor", "name": "Apache", "branches": [{"category": "product_name", "name": "HTTP Server", "branches": [
            {"category": "product_version_range", "name": "<2.4.58", "product": {"name": "httpd <2.4.58", "product_id": "A"}},
            {"category": "product_version_range", "name": "<2.0", "product": {"name": "httpd <2.0", "product_id": "B"}}]}]}]}}
        """#
        let file = try AdvisoryFile(data: Data(csaf.utf8))
        #expect(file.kind == .csaf)
        let item = try #require(try file.next())
        let run = InventoryMatchRun(inventory: try MatchInventory.read(Data(Self.inventory.utf8)))
        let lines = run.lines(for: item)
        #expect(lines.map(\.cve) == ["CVE-2023-45802"], "only the first CVE affects 2.4")
        #expect(lines.first?.system == "HT-DB" && lines.first?.component == "Máy chủ web")
    }

    @Test func anUnreadableFeedNamesTheFileAndThePlace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("match-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("feed.json")
        try Data(#"{"format":"NVD_CVE","vulnerabilities":[{"cve":{"id":"CVE-2024-0001","descriptions":[],"configurations":[{"nodes":[{"operator":"OR","cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a"}]}]}]}}]}"#.utf8).write(to: bad)
        let run = InventoryMatchRun(inventory: try MatchInventory.read(Data(Self.inventory.utf8)))
        do {
            try run.run(files: [bad]) { _ in }
            Issue.record("a bad criterion must stop the run")
        } catch let error as InventoryMatchRun.FileError {
            #expect(error.file == bad.path)
            #expect(error.description.contains("$.vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria"), "\(error)")
        }
        let truncated = directory.appendingPathComponent("cut.json")
        try Data(#"{"format":"NVD_CVE","vulnerabilities":[{"cve":{"id":"CVE-2024-0001""#.utf8).write(to: truncated)
        #expect(throws: InventoryMatchRun.FileError.self) { try run.run(files: [truncated]) { _ in } }
    }
}
