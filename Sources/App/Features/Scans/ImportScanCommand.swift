import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// `ungcuu import-scan --system CODE [--format F] [--keep-hosts all|in-scope|ADDR,…] [--performer NAME] FILE`: imports a
/// scanner report into a system as the upload does. Exit status 2 when the report is refused (recorded as a failed
/// import; the message names the format and the place), 3 when it names hosts the system does not declare and no
/// `--keep-hosts` was given (nothing is stored; the hosts are listed).
struct ImportScanCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "system", help: "The system's code.") var system: String?
        @Option(name: "format", help: "nmap, openvas, nessus, nuclei, trivy or sarif (checked against the content; default: told from it).")
        var format: String?
        @Option(name: "keep-hosts", help: "all, in-scope, or addresses/names separated by commas: the hosts to keep when some are not declared.")
        var keepHosts: String?
        @Option(name: "performer", help: "Who performed the scan (default: the system's agency).") var performer: String?
        @Option(name: "performer-kind", help: "in_house (default), outsourced or authority.") var performerKind: String?
        @Argument(name: "file", help: "The report file.") var file: String
    }

    var help: String { "Imports a scanner report (nmap, OpenVAS, Nessus, Nuclei, Trivy, SARIF) into a system." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        func fail(_ message: String, _ code: Int32) throws -> Never {
            FileHandle.standardError.write(Data("ungcuu import-scan: \(message)\n".utf8))
            throw ExitCode(code)
        }
        guard let code = signature.system?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { try fail("--system CODE is required", 2) }
        guard let system = try await InformationSystem.query(on: app.db).filter(\.$code == code.uppercased()).first() else {
            try fail("no system with the code \(code)", 2)
        }
        let claimed: ScannerFormat?
        do { claimed = try ScanImportService.claimedFormat(signature.format) } catch {
            try fail("unknown --format \(signature.format ?? ""); use one of \(ScannerFormat.allCases.map(\.rawValue).joined(separator: ", "))", 2)
        }
        var keep: ScanImportService.KeepHosts?
        if let raw = signature.keepHosts {
            guard let parsed = ScanImportService.KeepHosts.parse(raw) else { try fail("--keep-hosts needs all, in-scope or a list of hosts", 2) }
            keep = parsed
        }
        let actor = AuditActor.system("ungcuu import-scan (\(ProcessInfo.processInfo.userName))")
        let performer: ScanImportService.Performer
        do {
            performer = try await ScanImportService.performer(kind: signature.performerKind, name: signature.performer, system: system, actor: actor, on: app.db)
        } catch {
            try fail("--performer-kind must be in_house, outsourced or authority", 2)
        }
        // Copied a chunk at a time: the user's file stays where it is, and memory stays small whatever its size.
        let file = try ScanReportFile(dataDirectory: app.config.dataDirectory, limit: app.config.maxScanReportBytes)
        do {
            let source = try FileHandle(forReadingFrom: URL(fileURLWithPath: signature.file))
            defer { try? source.close() }
            while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty { try file.write(ByteBuffer(data: chunk)) }
        } catch let error as AppError {
            file.discard()
            try fail(Localizer(lang: .en)(error.messageKey), 2)
        } catch {
            file.discard()
            try fail("cannot read \(signature.file): \(error.localizedDescription)", 2)
        }
        let outcome: ScanImportService.Outcome
        do {
            outcome = try await ScanImportService.importReport(
                file, .init(system: system, claimed: claimed, keep: keep, performer: performer,
                            fileName: StoredFileService.sanitizedName(signature.file), storeWhenAwaiting: false),
                actor: actor, app: app)
        } catch let error as AppError {
            try fail(Localizer(lang: .en)(error.fields.values.first ?? error.messageKey), 2)
        }
        switch outcome {
        case .imported(let row, let counts):
            context.console.print("Imported \(row.fileName ?? signature.file) into \(system.code) (import \(row.id!.uuidString.lowercased())): "
                + "\(counts.total) findings, \(counts.new) new, \(counts.seen) seen again, \(counts.reopened) reopened, "
                + "\(counts.closed) closed as verified by rescan" + (counts.dropped > 0 ? ", \(counts.dropped) on hosts not kept" : "") + ".")
        case .failed(let row, let message):
            try fail("nothing imported: \(message) (recorded as failed import \(row.id!.uuidString.lowercased()))", 2)
        case .needsConfirmation(let hosts):
            let outside = hosts.filter { !$0.inScope }
            let lines = outside.prefix(50).map { "  \($0.address)" + ($0.hostname.map { " (\($0))" } ?? "") + ": \($0.findings) findings" }
            try fail("the report names \(outside.count) of its \(hosts.count) hosts that \(system.code) does not declare; nothing was imported:\n"
                + lines.joined(separator: "\n") + (outside.count > 50 ? "\n  …" : "")
                + "\nRun again with --keep-hosts in-scope (only declared hosts), --keep-hosts all, or --keep-hosts ADDR,ADDR,…", 3)
        case .awaitingConfirmation:
            try fail("the report waits for confirmation on its page", 3)
        }
    }
}
