import Domain
import Foundation
import Testing
@testable import App

/// The `ungcuu` executable of this build: next to the test bundle, else in a scratch directory of the package.
private enum BuiltCLI {
    static let url: URL? = {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates += [".build-tests", ".build"].map { root.appendingPathComponent($0).appendingPathComponent("debug") }
        return candidates.map { $0.appendingPathComponent("ungcuu") }.first { fm.isExecutableFile(atPath: $0.path) }
    }()
}

/// `ungcuu classify FILE.json`, run as the built executable with its own data directory.
@Suite(.enabled(if: BuiltCLI.url != nil, "the ungcuu executable is built next to the tests"))
struct ClassifyCommandTests {
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func classify(_ json: String?, argument: String? = nil, stdin: String? = nil) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ungcuu-classify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("system.json")
        if let json { try Data(json.utf8).write(to: file) }
        let process = Process()
        process.executableURL = try #require(BuiltCLI.url)
        process.arguments = ["classify", argument ?? file.path]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNGCUU_") }
        environment["UNGCUU_DATA_DIR"] = directory.appendingPathComponent("data").path
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data((stdin ?? "").utf8))
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func aValidDescriptionPrintsTheProposedLevelWithReasonsAsJSON() throws {
        let run = try Self.classify("""
        {"name": "Cổng dịch vụ công", "functionType": "citizen_business", "informationClasses": ["personal", "public"],
         "personalDataSubjects": 12000, "components": [{"name": "Thanh toán", "level": 2}]}
        """)
        #expect(run.status == 0, "\(run.stderr)")
        let proposal = try JSONDecoder().decode(LevelProposal.self, from: run.stdout)
        #expect(proposal.level == 3)
        #expect(proposal.criteriaLevel == 3)
        #expect(proposal.componentLevel == 2)
        #expect(proposal.decidingCriteria == ["L3.2c"])
        #expect(proposal.ruleId == "decree85.criteria")
        #expect(proposal.criteria.count > 20)
        #expect(proposal.criteria.first { $0.id == "L3.2c" }?.reasons.contains { $0.en.contains("12,000") || $0.vi.contains("12.000") } == true)
    }

    @Test func theSameInputGivesTheSameAnswerAsTheEngine() throws {
        let json = """
        {"functionType": "internal", "informationClasses": ["public"], "nationalEGovernment": true, "operates24x7": true}
        """
        let run = try Self.classify(json)
        #expect(run.status == 0)
        let printed = try JSONDecoder().decode(LevelProposal.self, from: run.stdout)
        guard case .success(let input) = ClassificationInputDecoder.decode(Data(json.utf8)) else { Issue.record("decoding"); return }
        let rules = RuleBook.shipped
        #expect(printed == LevelEngine.evaluate(input, rules: rules.classification()))
        #expect(printed.level == 4)
    }

    @Test func standardInputIsReadThroughDevStdin() throws {
        let run = try Self.classify(nil, argument: "/dev/stdin", stdin: "{\"functionType\": \"internal\", \"informationClasses\": [\"public\"]}")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try JSONDecoder().decode(LevelProposal.self, from: run.stdout).level == 1)
    }

    @Test func invalidInputExitsWithStatusTwoNamingEachField() throws {
        let run = try Self.classify("""
        {"functionType": "mainframe", "informationClasses": ["public"], "personalDataSubjects": -3,
         "components": [{"name": "Máy chủ", "level": 9}], "colour": "blue"}
        """)
        #expect(run.status == 2)
        for field in ["functionType", "personalDataSubjects", "components[0].level", "colour"] {
            #expect(run.stderr.contains("  \(field): "), "\(field) in \(run.stderr)")
        }
        #expect(!run.stderr.contains("validation."))  // messages, not catalogue keys
        #expect(run.stdout.isEmpty || !String(decoding: run.stdout, as: UTF8.self).contains("\"level\""))
    }

    @Test func malformedJSONAndMissingFilesExitWithStatusTwo() throws {
        let malformed = try Self.classify("{\"functionType\": ")
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("body: "))
        let missing = try Self.classify(nil, argument: "/nonexistent/system.json")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read /nonexistent/system.json"))
    }
}
