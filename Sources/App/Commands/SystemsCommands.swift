import Foundation
import Domain
import Fluent
import Vapor

/// `ungcuu classify FILE.json`: the proposed level with per-criterion reasons, as JSON on stdout.
/// Exit status 2 with a message naming the field when the file is not a valid system description.
struct ClassifyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A JSON system description (the body of POST /api/v1/classification/evaluate); /dev/stdin reads standard input.")
        var file: String
    }

    var help: String { "Proposes the security level of one system (Decree 85 criteria) and explains why." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data: Data
        do {
            // Data(contentsOf:) cannot read /dev/stdin when it is a pipe (`… | ungcuu classify /dev/stdin`).
            data = signature.file == "/dev/stdin" ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: signature.file))
        } catch {
            FileHandle.standardError.write(Data("ungcuu classify: cannot read \(signature.file): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        switch ClassificationInputDecoder.decode(data) {
        case .failure(let errors):
            let t = Localizer(lang: .en)
            let lines = errors.messages.sorted { $0.key < $1.key }.map { "  \($0.key): \(t($0.value))" }
            FileHandle.standardError.write(Data("ungcuu classify: \(signature.file) is not a valid system description:\n\(lines.joined(separator: "\n"))\n".utf8))
            throw ExitCode(2)
        case .success(let input):
            let proposal = LevelEngine.evaluate(input, rules: context.application.rules.classification())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(proposal))
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}

/// `ungcuu obligations refresh`: recomputes every duty of every system now.
struct ObligationsCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["refresh": RefreshObligationsCommand()] }
    var help: String { "Duties and their deadlines." }
}

struct RefreshObligationsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Recomputes the obligations of every system." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        let started = Date()
        let count = try await ObligationJobs.refreshAll(app: app)
        let refreshed = Date()
        // What the dashboards ask: counts by duty and state over the whole province.
        let province = Subject(userId: UUID(), role: .coordinator, agencyId: nil, agencySubtree: [])
        let counts = try await ObligationsController.counts(subject: province, on: app.db)
        let counted = Date()
        let ms = { (a: Date, b: Date) in String(format: "%.1f", b.timeIntervalSince(a) * 1000) }
        context.console.print("Refreshed the obligations of \(count) systems in \(ms(started, refreshed)) ms; "
            + "counted them by duty and state in \(ms(refreshed, counted)) ms "
            + "(overdue \(counts.byState[.overdue] ?? 0), due soon \(counts.byState[.dueSoon] ?? 0), met \(counts.byState[.met] ?? 0)).")
    }
}

/// Jobs about obligations: plain async functions the scheduler and the CLI both call.
enum ObligationJobs {
    /// Recomputes every system's duties in one transaction; returns the number of systems.
    @discardableResult
    static func refreshAll(app: Application, now: Date = Date()) async throws -> Int {
        let rules = app.rules
        return try await app.write { db in
            try await ObligationRefresher.refresh(systemIds: nil, rules: rules, now: now, on: db)
            return try await InformationSystem.query(on: db).count()
        }
    }
}

/// `ungcuu import-systems FILE [--dry-run]`: imports an inventory spreadsheet (.xlsx or CSV) with the same
/// checks as the page, acting for the province (every agency). Nothing is written unless every row is valid.
struct ImportSystemsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "An .xlsx or .csv inventory (the columns of the export).") var file: String
        @Flag(name: "dry-run", help: "Check every row and report, but write nothing.") var dryRun: Bool
    }

    var help: String { "Imports an information-system inventory from .xlsx or CSV." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("import-systems: cannot read \(signature.file)")
            throw ExitCode(2)
        }
        if app.config.autoMigrate { try await app.autoMigrate() }
        let province = Subject(userId: UUID(), role: .coordinator, agencyId: nil, agencySubtree: [])
        let t = Localizer(lang: .en)
        let started = Date()
        let preview = try await InventoryImport.preview(data: data, fileName: signature.file, subject: province, on: app.db)
        let checked = Date()
        if let fileError = preview.fileError {
            context.console.error("import-systems: \(signature.file): \(t(fileError))")
            throw ExitCode(2)
        }
        if !preview.isClean {
            for row in preview.rows where !row.errors.isEmpty {
                for error in row.errors { context.console.error("row \(row.line), \(error.column): \(t(error.message))") }
            }
            context.console.error("import-systems: \(preview.errorCount) errors; nothing was written.")
            throw ExitCode(2)
        }
        let ms = { (from: Date, to: Date) in Int(to.timeIntervalSince(from) * 1000) }
        if signature.dryRun {
            context.console.print("\(preview.rows.count) rows valid (checked in \(ms(started, checked)) ms); nothing written (--dry-run).")
            return
        }
        let sha = SHA256Digest.hex(data)
        let (created, updated) = try await InventoryImport.commit(preview, fileSHA: sha, subject: province, actor: .system("cli import-systems"),
                                                                  rules: app.rules, app: app)
        let done = Date()
        context.console.print("Imported \(preview.rows.count) rows: \(created) created, \(updated) updated. "
            + "Read and checked in \(ms(started, checked)) ms, written in \(ms(checked, done)) ms, total \(ms(started, done)) ms.")
    }
}

/// `ungcuu files prune`: removes inventory uploads older than a week and document bytes no row refers to.
struct FilesCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["prune": PruneFilesCommand()] }
    var help: String { "Stored documents." }
}

struct PruneFilesCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Removes stale inventory uploads and document bytes that nothing refers to." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        let (rows, files) = try await FileJobs.prune(app: app)
        context.console.print("Removed \(rows) stale inventory uploads and \(files) unreferenced files.")
    }
}

enum FileJobs {
    /// Inventory uploads are kept a week for their preview and confirmation. Bytes written within the last hour
    /// are left alone: an upload writes them just before its row.
    static func prune(app: Application, now: Date = Date()) async throws -> (rows: Int, files: Int) {
        let cutoff = now.addingTimeInterval(-7 * 86_400)
        let stale = try await StoredFile.query(on: app.db).filter(\.$recordType == "import").filter(\.$uploadedAt < cutoff).all()
        if !stale.isEmpty {
            let ids = stale.compactMap(\.id)
            try await app.write { db in try await StoredFile.query(on: db).filter(\.$id ~~ ids).delete() }
        }
        let referenced = Set(try await StoredFile.query(on: app.db).all().map(\.sha256))
        let root = URL(fileURLWithPath: app.config.dataDirectory).appendingPathComponent("files")
        var removed = 0
        let recent = now.addingTimeInterval(-3600)
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey]) ?? .init() {
            let name = url.lastPathComponent
            guard name.count == 64, !referenced.contains(name),
                  let modified = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate, modified < recent
            else { continue }
            try? FileManager.default.removeItem(at: url)
            removed += 1
        }
        return (stale.count, removed)
    }
}
