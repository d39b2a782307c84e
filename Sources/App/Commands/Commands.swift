import Foundation
import Vapor

enum Commands {
    static func register(in app: Application) {
        app.asyncCommands.use(ServeWithMigrationsCommand(), as: "serve", isDefault: true)
        app.asyncCommands.use(DemoCommand(), as: "demo")
        app.asyncCommands.use(MigrateCommand(), as: "migrate")
        app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
        app.asyncCommands.use(TokenCommandGroup(), as: "token")
        app.asyncCommands.use(AuditCommandGroup(), as: "audit")
        app.asyncCommands.use(ClassifyCommand(), as: "classify")
        app.asyncCommands.use(ObligationsCommandGroup(), as: "obligations")
        app.asyncCommands.use(ImportSystemsCommand(), as: "import-systems")
        app.asyncCommands.use(ImportScanCommand(), as: "import-scan")
        app.asyncCommands.use(FilesCommandGroup(), as: "files")
        app.asyncCommands.use(WorkerCommand(), as: "worker")
        app.asyncCommands.use(JobsCommandGroup(), as: "jobs")
        app.asyncCommands.use(MatchCvesCommand(), as: "match-cves")
        app.asyncCommands.use(EvtxCommand(), as: "evtx")
        app.asyncCommands.use(HuntCommand(), as: "hunt")
        app.asyncCommands.use(ImportRulesCommand(), as: "import-rules")
    }
}

/// `ungcuu serve [--hostname H] [--port P]`: applies pending migrations first when
/// UNGCUU_AUTO_MIGRATE is on (the default on SQLite), then serves. Never creates accounts.
struct ServeWithMigrationsCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature
    var help: String { "Serves UngCuu over HTTP." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if app.config.autoMigrate { try await app.autoMigrate() }
        try await ServerStart.prepare(app)
        try await app.servers.asyncCommand.run(using: context, signature: signature)
    }
}

/// `ungcuu migrate [--revert --confirm]`: applies pending migrations (no prompt), or reverts the last batch.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "Revert the last batch of migrations.") var revert: Bool
        // Not `--yes`: ConsoleKit takes that one for itself and the command would never see it.
        @Flag(name: "confirm", help: "Confirm a revert without asking.") var confirm: Bool
    }

    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if signature.revert {
            guard signature.confirm else {
                context.console.error("Reverting deletes data; pass --confirm to go ahead.")
                throw ExitCode(1)
            }
            try await app.migrator.setupIfNeeded().get()
            try await app.migrator.revertLastBatch().get()
            context.console.print("Reverted the last batch of migrations.")
        } else {
            try await app.autoMigrate()
            context.console.print("Migrations are up to date.")
        }
    }
}

/// Exit with a status code without Vapor printing an error (the command has already said why).
struct ExitCode: DebuggableError, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { "exit \(code)" }
    var identifier: String { "exit" }
    var reason: String { description }
    /// Vapor reports thrown errors at this level; below the default so nothing is printed.
    var logLevel: Logger.Level { .trace }
}

/// What every serving process does before it takes requests.
enum ServerStart {
    static func prepare(_ app: Application) async throws {
        // Controls that a newer (or the province's own) catalogue file adds appear in the editable table;
        // existing controls keep their edits.
        let catalogue = app.rules.controls()
        try await app.write { db in try await ControlCatalogueImport.importShipped(catalogue, on: db) }
        // Duties follow the calendar: refresh them now (rules may have changed), then hourly by the job schedule.
        try await JobScheduler.runSoon(StandardJobs.obligationsRefresh, app: app)
        // Compile the detection rules now, in the background, rather than in the first ingestion's transaction.
        app.detectionEngine.invalidate(app: app)
        let runner = JobRunner(app: app, workerCount: app.config.workers, runScheduler: true)
        app.jobRunner = runner
        app.lifecycle.use(runner)
        runner.start()
        // Syslog listeners when UNGCUU_SYSLOG_UDP_PORT / UNGCUU_SYSLOG_TCP_PORT are set; stopped (and flushed) at shutdown.
        try await SyslogService.startIfConfigured(app)
    }
}
