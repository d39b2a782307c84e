import Foundation
import Fluent
import Vapor

/// Time passing moves legal clocks to due soon and overdue: every open case's clocks are recomputed on a
/// schedule (`job_schedules` row `incidents.clocks`, every 15 minutes), notifying the case's people once
/// per change of state. Also `ungcuu jobs run incidents.clocks`.
enum IncidentJobs {
    static let clocksRefresh: JobKind = "incidents.clocks"
    static let intervalSeconds = 900

    static func register(in app: Application) {
        app.jobs.register(clocksRefresh, maxAttempts: 3) { context, _ in
            let count = try await refreshClocks(app: context.app)
            context.logger.info("recomputed the reporting clocks of \(count) cases")
        }
    }

    static func refreshClocks(app: Application, now: Date = Date()) async throws -> Int {
        let rules = app.rules
        let notifier = app.notifier
        return try await app.write { db in
            // Drafts nobody came back to in 30 days are dropped.
            try await IncidentDraft.query(on: db).filter(\.$updatedAt < now.addingTimeInterval(-30 * 86_400)).delete()
            return try await IncidentClocks.refreshAll(rules: rules, now: now, notifier: notifier, on: db)
        }
    }
}
