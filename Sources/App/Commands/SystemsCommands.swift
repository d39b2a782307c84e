import Foundation
import Domain
import Vapor

/// `ungcuu classify FILE.json`: the proposed level with per-criterion reasons, as JSON on stdout.
/// Exit status 2 with a message naming the field when the file is not a valid system description.
struct ClassifyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A JSON system description (the body of POST /api/v1/classification/evaluate); - reads stdin.")
        var file: String
    }

    var help: String { "Proposes the security level of one system (Decree 85 criteria) and explains why." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data: Data
        do {
            data = signature.file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: signature.file))
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
        let started = Date()
        let count = try await ObligationJobs.refreshAll(app: app)
        context.console.print("Refreshed the obligations of \(count) systems in \(Int(Date().timeIntervalSince(started) * 1000)) ms.")
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

/// Refreshes all obligations when the server starts and every hour after, so that "due soon" and
/// "overdue" follow the calendar without any change to the data.
final class ObligationScheduler: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    private let lock = NSLock()

    func start(app: Application, every interval: Duration = .seconds(3600)) {
        let task = Task {
            while !Task.isCancelled {
                do { try await ObligationJobs.refreshAll(app: app) } catch { app.logger.report(error: error) }
                try? await Task.sleep(for: interval)
            }
        }
        lock.withLock { self.task = task }
    }

    func shutdownAsync(_ application: Application) async {
        let task = lock.withLock { self.task }
        task?.cancel()
        await task?.value
    }
}
