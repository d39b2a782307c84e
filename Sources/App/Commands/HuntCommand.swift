import Foundation
import Detection
import Vapor

/// `ungcuu hunt --rules PATH... EVENTS...`: applies Sigma rules (files or folders of `.yml`/`.yaml`) to events (`.evtx`
/// files, JSON-lines files, or folders of them) and prints one JSON line per match — `rule_id`, `title`, `level`, `file`,
/// and `record_id` (EVTX) or `line` (JSON lines) — for scripts. Rules that cannot be applied, unreadable rule files and
/// damaged events are reported on standard error with a final summary. Needs no database. Exit status 0 when the hunt
/// ran (whatever it found), 1 when no rule could be applied or an events file could not be read, 2 for a usage error.
struct HuntCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "rules", help: "Sigma rule files (.yml, .yaml) or folders; several may follow one --rules, which may repeat (also --rules=PATH).")
        var rules: String?
        @Argument(name: "events", help: ".evtx or JSON-lines files or folders (several may follow).")
        var first: String
    }

    var help: String {
        "ungcuu hunt --rules PATH... EVENTS...: applies Sigma rules to .evtx or JSON-lines files and prints one JSON line per match "
            + "(rule_id, title, level, file, record_id or line). Needs no database."
    }

    static let usage = """
        Usage: ungcuu hunt --rules PATH... EVENTS...

        Applies Sigma rules to events and prints one JSON line per match:
          {"rule_id":"…","title":"…","level":"high","file":"…","record_id":4711}   (EVTX)
          {"rule_id":"…","title":"…","level":"high","file":"…","line":12}          (JSON lines)

          --rules PATH...   Sigma rule files (.yml, .yaml) or folders of them; repeatable, also --rules=PATH.
                            `--` ends the rules when an events path looks like a rule path.
          EVENTS...         .evtx files, JSON-lines files, or folders of them.

        Rules left out (with their reasons), unreadable rule files and damaged events go to standard error, then a summary.
        Exit status: 0 when the hunt ran, 1 when no rule could be applied or an events file could not be read, 2 for a usage error.
        """

    /// The arguments are read as they are (`--rules` takes several paths, which ConsoleKit's options do not).
    func run(using context: inout CommandContext) async throws {
        let arguments = context.input.arguments
        context.input.arguments = []
        if arguments.contains("--help") || arguments.contains("-h") {
            FileHandle.standardOutput.write(Data((Self.usage + "\n").utf8))
            return
        }
        try run(arguments: arguments)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try run(arguments: (signature.rules.map { ["--rules", $0] } ?? []) + [signature.first])
    }

    func run(arguments: [String]) throws {
        let out = BufferedStandardOutput()
        let status = HuntCommandLine.main(arguments: arguments, output: { out.write($0) }, diagnostics: { CommandLineIO.warn("ungcuu hunt", $0) })
        out.flush()
        if status != 0 { throw ExitCode(status) }
    }
}
