import Foundation
import Vapor

/// The job kinds every UngCuu process knows, registered at configuration time.
enum JobSetup {
    static func configure(_ app: Application) {
        StandardJobs.register(in: app)
        NotificationJobs.register(in: app)
        IncidentJobs.register(in: app)
        NetworkScan.register(in: app)
        FindingJobs.register(in: app)
        WarningJobs.register(in: app)
        EventsJobs.register(in: app)
        HuntRunner.register(in: app)
    }
}

/// Upkeep that time alone makes necessary; scheduled hourly by rows of `job_schedules` (migration 0006).
enum StandardJobs {
    static let obligationsRefresh: JobKind = "upkeep.obligations"
    static let filesPrune: JobKind = "upkeep.files"

    static func register(in app: Application) {
        app.jobs.register(obligationsRefresh, maxAttempts: 3) { context, _ in
            let count = try await ObligationJobs.refreshAll(app: context.app)
            context.logger.info("refreshed the obligations of \(count) systems")
        }
        app.jobs.register(filesPrune, maxAttempts: 3) { context, _ in
            let (rows, files) = try await FileJobs.prune(app: context.app)
            context.logger.info("pruned \(rows) stale inventory uploads and \(files) unreferenced files")
        }
    }
}
