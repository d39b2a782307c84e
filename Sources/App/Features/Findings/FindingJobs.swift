import Foundation
import Vapor

/// Accepted risks end: every hour (`job_schedules` row `findings.expiry`, migration 0011) the findings whose
/// acceptance ended yesterday or earlier are reopened, with their history and audit entries. Also
/// `ungcuu jobs run findings.expiry`.
enum FindingJobs {
    static let expiry: JobKind = "findings.expiry"

    static func register(in app: Application) {
        app.jobs.register(expiry, maxAttempts: 3) { context, _ in
            let count = try await FindingService.expireAcceptedRisks(app: context.app)
            context.logger.info("reopened \(count) findings whose accepted risk ended")
        }
    }
}
