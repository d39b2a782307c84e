import Foundation
import Testing
@testable import App

/// The `ungcuu` executable of this build, next to the test bundle or in a scratch directory of the package.
private enum MatchCvesCLI {
    static let url: URL? = {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates += [".build-tests", ".build"].map { root.appendingPathComponent($0).appendingPathComponent("debug") }
        return candidates.map { $0.appendingPathComponent("ungcuu") }.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    static let corpus = "/work/shared/corpora/nvd/vunnel"
}

/// `ungcuu match-cves --inventory INVENTORY.json FEED.json…`, run as the built executable with no database configured.
@Suite(.enabled(if: MatchCvesCLI.url != nil && FileManager.default.fileExists(atPath: MatchCvesCLI.corpus + "/full-page.json"),
                "the ungcuu executable is built next to the tests and the NVD corpus is present"))
struct MatchCvesCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], inventory: String) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ungcuu-match-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("inventory.json")
        try Data(inventory.utf8).write(to: file)
        let process = Process()
        process.executableURL = try #require(MatchCvesCLI.url)
        process.arguments = ["match-cves", "--inventory", file.path] + arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNGCUU_") && $0.key != "DATABASE_URL" }
        environment["UNGCUU_DATA_DIR"] = directory.appendingPathComponent("data").path
        // A database that does not answer: the command must not need one.
        environment["DATABASE_URL"] = "postgres://nobody:nothing@127.0.0.1:9/none"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if arguments.contains(where: { $0.contains("$DIR/bad.json") }) {
            try Data(#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","descriptions":[],"configurations":[{"nodes":[{"operator":"OR","cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:x"}]}]}]}}]}"#.utf8)
                .write(to: directory.appendingPathComponent("bad.json"))
        }
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let inventory = #"""
    {"systems": [{"code": "HT-DB", "name": "Cơ sở dữ liệu",
                  "components": [{"name": "CSDL", "vendor": "Oracle", "product": "MySQL", "version": "8.0.33"},
                                 {"name": "Plugin", "cpe": "cpe:2.3:a:themeisle:wp_maintenance_mode_\\&_coming_soon:2.4.4:*:*:*:*:wordpress:*:*"}]}]}
    """#

    @Test func feedsAndRecordsPrintOneJSONLinePerMatchWithoutADatabase() throws {
        let run = try Self.run([MatchCvesCLI.corpus + "/full-page.json", MatchCvesCLI.corpus + "/single-entry.json"], inventory: Self.inventory)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(Set(objects.compactMap { $0["cve"] as? String }) == ["CVE-2023-22068", "CVE-2022-1576"])
        let mysql = try #require(objects.first { $0["cve"] as? String == "CVE-2023-22068" })
        #expect(mysql["system"] as? String == "HT-DB" && mysql["component"] as? String == "CSDL")
        #expect(mysql["criteria"] as? String == "cpe:2.3:a:oracle:mysql:*:*:*:*:*:*:*:*")
        #expect((mysql["derivedCpe"] as? String)?.hasPrefix("cpe:2.3:a:oracle:mysql:8.0.33") == true)
        #expect((mysql["reason"] as? String)?.isEmpty == false)
        let plugin = try #require(objects.first { $0["cve"] as? String == "CVE-2022-1576" })
        #expect(plugin["derivedCpe"] is NSNull)
        #expect(Set(objects.flatMap { $0.keys }) == ["cve", "system", "component", "criteria", "reason", "derivedCpe"])
    }

    @Test func anUnreadableFeedNamesTheFileAndTheJSONPath() throws {
        let run = try Self.run(["$DIR/bad.json"], inventory: Self.inventory)
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.json") && run.stderr.contains("$.vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria"), "\(run.stderr)")
        let noInventory = try Self.run([MatchCvesCLI.corpus + "/full-page.json"], inventory: #"{"systems": [{"name": "x"}]}"#)
        #expect(noInventory.status == 2)
        #expect(noInventory.stderr.contains("$.systems[0].code"), "\(noInventory.stderr)")
    }
}
