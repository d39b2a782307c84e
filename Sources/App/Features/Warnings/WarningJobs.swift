import Foundation
import Fluent
import SQLKit
import Vapor

/// Matching in the background: `warnings.match` with a `systemId` rematches that system against every warning (queued
/// whenever one of its components is added, changed or removed, by ``WarningComponentWatch``); without a payload it
/// rematches every warning against every system (the hourly schedule of migration 0012, `ungcuu jobs run warnings.match`).
enum WarningJobs {
    static let match: JobKind = "warnings.match"

    static func register(in app: Application) {
        app.jobs.register(match, maxAttempts: 3) { context, payload in
            try await context.checkCancellation()
            let systemIds = payload["systemId"].map { [$0] }
            let summary = try await rematch(app: context.app, systemIds: systemIds)
            await context.progress(100, "\(summary.added) new, \(summary.removed) gone, \(summary.kept) kept")
            context.logger.info("matched warnings against \(systemIds == nil ? "every system" : "one system"): \(summary.added) new rows, \(summary.removed) removed")
        }
        app.databases.middleware.use(WarningComponentWatch(registry: app.jobs))
    }

    /// Every warning against these systems (nil: every system), in one transaction, notifying the agencies of new matches.
    @discardableResult
    static func rematch(app: Application, systemIds: [UUID]?, now: Date = Date()) async throws -> WarningMatching.Summary {
        let rules = app.rules
        let notifier = app.notifier
        return try await app.write { db in
            try await WarningMatching.rematch(warningIds: nil, systemIds: systemIds, actor: .system("warnings.match"), actorId: nil,
                                              notifier: notifier, rules: rules, now: now, on: db)
        }
    }
}

/// Queues a rematch of a system when one of its components is saved or removed — only when there are warnings to match
/// and no rematch of that system is already waiting. Runs inside the transaction of the change, so a rolled-back change
/// queues nothing.
struct WarningComponentWatch: AsyncModelMiddleware {
    let registry: JobRegistry

    func create(model: SystemComponent, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        try await queue(model.$system.id, on: db)
    }

    func update(model: SystemComponent, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        try await queue(model.$system.id, on: db)
    }

    func delete(model: SystemComponent, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        try await queue(model.$system.id, on: db)
    }

    private func queue(_ systemId: UUID, on db: any Database) async throws {
        guard try await AuthorityWarning.query(on: db).first() != nil else { return }
        let payload: JobPayload = ["systemId": systemId]
        let waiting = try await JobRecord.query(on: db).filter(\.$kind == WarningJobs.match.rawValue).filter(\.$state == .queued)
            .filter(\.$payload == JobPayloadCoding.encode(payload)).first()
        if waiting == nil { try await JobQueue.enqueue(WarningJobs.match, payload: payload, registry: registry, on: db) }
    }
}
