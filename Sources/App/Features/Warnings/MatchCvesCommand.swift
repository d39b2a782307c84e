import Foundation
import Formats
import Vapor

/// `ungcuu match-cves --inventory INVENTORY.json FEED.json…`: matches advisory files (NVD CVE JSON 2.0 feeds, pages and
/// records, CSAF 2.0 documents, told apart by content, streamed) against an inventory file and prints one JSON line
/// per affected component (`{"cve","system","component","criteria","reason","derivedCpe"}`). Needs no database. The
/// inventory shape is documented on ``MatchInventory``. Exit status 0 (also when nothing matches); 2 with the file and
/// the JSON path on standard error when a file cannot be read.
struct MatchCvesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "inventory", short: "i", help: "The systems and their components as JSON ({\"systems\":[{\"code\",\"name\",\"components\":[…]}]}).")
        var inventory: String?
        @Option(name: "lang", help: "Language of the reasons: en (default) or vi.")
        var lang: String?
        @Argument(name: "feeds", help: "NVD CVE JSON 2.0 or CSAF 2.0 files (several may follow).")
        var first: String
    }

    var help: String { "Matches NVD CVE JSON 2.0 and CSAF 2.0 files against an inventory; prints the matches as JSON lines." }

    /// Several feeds may follow the first: they are what is left of the input once the signature is read (the default
    /// would refuse them as unknown input).
    func run(using context: inout CommandContext) async throws {
        let signature = try Signature(from: &context.input)
        let more = context.input.arguments
        context.input.arguments = []
        try await run(feeds: [signature.first] + more, signature: signature)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await run(feeds: [signature.first], signature: signature)
    }

    func run(feeds: [String], signature: Signature) async throws {
        func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("ungcuu match-cves: \(message)\n".utf8))
            return ExitCode(2)
        }
        guard let inventoryPath = signature.inventory, !inventoryPath.isEmpty else { throw fail("--inventory INVENTORY.json is required") }
        let language: InventoryMatchRun.Language
        switch signature.lang ?? "en" {
        case "en": language = .en
        case "vi": language = .vi
        default: throw fail("--lang must be en or vi")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: inventoryPath))
        } catch {
            throw fail("cannot read \(inventoryPath): \(error.localizedDescription)")
        }
        let inventory: MatchInventory
        do {
            inventory = try MatchInventory.read(data)
        } catch {
            throw fail("\(inventoryPath): \(error)")
        }
        let run = InventoryMatchRun(inventory: inventory, language: language)
        let out = FileHandle.standardOutput
        var buffer = Data()
        do {
            let summary = try run.run(files: feeds.map { URL(fileURLWithPath: $0) }) { line in
                buffer.append(contentsOf: line.utf8)
                buffer.append(0x0A)
                if buffer.count >= 1 << 16 {
                    out.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            out.write(buffer)
            if !summary.unmatchable.isEmpty {
                FileHandle.standardError.write(Data(("ungcuu match-cves: components that can never match (no CPE, no vendor): "
                    + summary.unmatchable.prefix(20).joined(separator: ", ") + (summary.unmatchable.count > 20 ? ", …" : "") + "\n").utf8))
            }
        } catch let error as InventoryMatchRun.FileError {
            out.write(buffer)
            throw fail(error.description)
        }
    }
}
