import Foundation
import Vapor

/// `ungcuu import-rules PATH...`: imports Sigma rules from folders (recursively), zips and files as the import page does (one
/// transaction; a file that fails is reported and does not stop the others). Prints the counts, the unsupported rules with
/// their reasons and the failed files with file:line:column. Exit status 0; 2 when a file failed or nothing was found.
struct ImportRulesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "quiet", help: "Print only the counts and the failures (not every unsupported rule).") var quiet: Bool
        @Argument(name: "paths", help: "Folders, .zip archives or .yml/.yaml files (several may follow).") var first: String
    }

    var help: String { "Imports Sigma rules from folders, zips and YAML files." }

    /// Several paths may follow the first: what is left of the input once the signature is read.
    func run(using context: inout CommandContext) async throws {
        let signature = try Signature(from: &context.input)
        let more = context.input.arguments
        context.input.arguments = []
        try await run(paths: [signature.first] + more, quiet: signature.quiet, context: context)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await run(paths: [signature.first], quiet: signature.quiet, context: context)
    }

    func run(paths: [String], quiet: Bool, context: CommandContext) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        let collected = RuleImport.collect(paths: paths.map { URL(fileURLWithPath: $0) })
        if collected.files.isEmpty && collected.failures.isEmpty {
            FileHandle.standardError.write(Data("ungcuu import-rules: no .yml or .yaml file under \(paths.joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        let actor = AuditActor.system("ungcuu import-rules (\(ProcessInfo.processInfo.userName))")
        let outcome = try await RuleImport.run(collected, actor: actor, app: app)
        context.console.print("\(outcome.files) rule files: \(outcome.created.count) rules imported, \(outcome.updated.count) updated, "
            + "\(outcome.unchanged) unchanged, \(outcome.unsupported.count) unsupported, \(outcome.failures.count) files failed"
            + (outcome.ignored > 0 ? ", \(outcome.ignored) other files ignored" : "") + ".")
        if !quiet {
            for u in outcome.unsupported { context.console.print("unsupported: \(u.line.origin) (\(u.line.ruleId)): \(u.reason)") }
        }
        for f in outcome.failures { FileHandle.standardError.write(Data("\(f.place): \(f.message)\n".utf8)) }
        if !outcome.failures.isEmpty { throw ExitCode(2) }
    }
}
