import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// Starting, finding and cancelling hunts. The work itself is the job `hunts.run` (``HuntRunner``).
enum HuntService {
    static let recordType = "hunt"

    /// Checks the input, records the hunt (state `running`) with the agencies its scope touches, and queues its job, in
    /// one transaction.
    static func start(_ input: HuntInput, req: Request) async throws -> Hunt {
        let subject = try req.requireSubject()
        let valid = try await input.validate(subject: subject, on: req.db)
        return try await record(valid, subject: subject, actor: req.auditActor, app: req.application, enqueue: true)
    }

    /// Records a checked hunt; with `enqueue` its job is queued in the same transaction (the demo runs the body itself).
    static func record(_ valid: HuntInput.Valid, subject: Subject, actor: AuditActor, app: Application, enqueue: Bool) async throws -> Hunt {
        let registry = app.jobs
        let hunt = Hunt()
        hunt.name = valid.name
        hunt.purpose = valid.purpose
        hunt.state = HuntState.running.rawValue
        hunt.ruleMode = valid.ruleMode
        hunt.ruleTag = valid.ruleTag
        hunt.ruleLevel = valid.ruleLevel
        hunt.includeDisabled = valid.includeDisabled
        hunt.rules = HuntCodec.encode(valid.rules)
        hunt.rulesCount = valid.rules.count
        hunt.rulesUnsupported = valid.unsupported
        hunt.indicators = HuntCodec.encode(valid.indicators)
        hunt.indicatorsCount = valid.indicators.count
        hunt.fromAt = valid.from
        hunt.toAt = valid.to
        hunt.scopeAll = valid.scopeAll
        hunt.scopeAgencies = HuntCodec.encode(valid.agencyIds)
        hunt.scopeSystems = HuntCodec.encode(valid.systemIds)
        hunt.scopeSources = HuntCodec.encode(valid.sourceIds)
        hunt.includeUnassigned = valid.includeUnassigned
        hunt.eventsTotal = 0
        hunt.eventsScanned = 0
        hunt.progress = 0
        hunt.hitsTotal = 0
        hunt.hitsStored = 0
        hunt.createdBy = actor.userId
        hunt.createdByName = String(actor.label.prefix(200))
        hunt.createdByAgency = subject.agencyId
        let touched = try await HuntCoverage.resolve(hunt, starter: subject, on: app.db).agencyIds
        return try await app.write { db in
            try await hunt.create(on: db)
            let id = try hunt.requireID()
            for agency in touched { try await HuntAgency(huntId: id, agencyId: agency).create(on: db) }
            if enqueue {
                hunt.jobId = try await JobQueue.enqueue(HuntRunner.jobKind, payload: ["huntId": id], maxAttempts: 1, registry: registry, on: db)
                try await hunt.save(on: db)
            }
            try await AuditLog.append(AuditEntry("hunt.start", recordType: recordType, recordId: id.uuidString, after: hunt.auditSnapshot,
                                                 details: ["rules": valid.rules.prefix(50).map(\.ruleId).joined(separator: " "),
                                                           "indicators": String(valid.indicators.count)]),
                                      by: actor, on: db)
            return hunt
        }
    }

    /// Stops a running hunt: a queued job never starts; a running one stops at its next batch (its job marks the hunt).
    static func cancel(_ hunt: Hunt, req: Request) async throws {
        let id = try hunt.requireID()
        guard hunt.isRunning, let jobId = hunt.jobId else {
            throw AppError.conflict("hunt_not_running", messageKey: "hunts.notRunning")
        }
        let actor = req.auditActor
        try await req.write { db in
            let outcome = try await JobQueue.cancel(jobId, on: db)
            if outcome != .requested {
                // Not started (or already gone): the hunt ends here.
                try await markEnded(id, state: .cancelled, error: nil, on: db)
            }
            try await AuditLog.append(AuditEntry("hunt.cancel", recordType: recordType, recordId: id.uuidString, details: ["job": outcome.rawValue]),
                                      by: actor, on: db)
        }
        if let fresh = try await Hunt.find(id, on: req.db) { hunt.state = fresh.state }
    }

    /// The hunt named by the `id` parameter, or 404 when it does not exist or the caller may not read it.
    static func find(_ req: Request) async throws -> Hunt {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let hunt = try await Hunt.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        try await reconcile(hunt, app: req.application)
        return hunt
    }

    /// A hunt whose job ended without its body finishing (a worker that crashed on its only attempt, a job cancelled from
    /// the command line) is recorded as failed or cancelled with the job's reason.
    static func reconcile(_ hunt: Hunt, app: Application) async throws {
        guard hunt.isRunning, let jobId = hunt.jobId, let job = try await JobRecord.find(jobId, on: app.db),
              job.state == .failed || job.state == .cancelled || job.state == .succeeded else { return }
        let state: HuntState = job.state == .cancelled ? .cancelled : .failed
        let message = job.state == .cancelled ? nil : (job.lastError ?? "the hunt job ended without finishing the hunt")
        let id = try hunt.requireID()
        try await app.write { db in try await markEnded(id, state: state, error: message, on: db) }
        if let fresh = try await Hunt.find(id, on: app.db) {
            hunt.state = fresh.state
            hunt.error = fresh.error
            hunt.finishedAt = fresh.finishedAt
        }
    }

    /// Ends a running hunt as cancelled or failed (nothing is recorded for its systems).
    static func markEnded(_ id: UUID, state: HuntState, error: String?, on db: any Database) async throws {
        let now = Date()
        try await (db as! any SQLDatabase).update(Hunt.schema)
            .set("state", to: SQLBind(state.rawValue)).set("error", to: SQLBind(error.map { String($0.prefix(2000)) }))
            .set("finished_at", to: SQLBind(now)).set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(id)).where("state", .equal, SQLBind(HuntState.running.rawValue)).run()
    }
}

extension Hunt {
    /// Hunts the subject may read: all for the province's roles; for an agency officer, hunts over everything and hunts
    /// whose scope or hits touch their agencies. Every hunt query for a person goes through here.
    static func scoped(to subject: Subject, on db: any Database) async throws -> QueryBuilder<Hunt> {
        let query = Hunt.query(on: db)
        if let agencies = Policy.readScope(for: subject).agencyIds {
            let touching = agencies.isEmpty ? [] : try await HuntAgency.query(on: db).filter(\.$agencyId ~~ Array(agencies)).field(\.$huntId).unique().all()
                .map(\.huntId)
            query.group(.or) { or in
                or.filter(\.$scopeAll == true)
                if !touching.isEmpty { or.filter(\.$id ~~ touching) }
            }
        }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> Hunt? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}

/// What a reader may see of a hunt's results: everything for the province's roles; for an agency officer only what
/// concerns their agencies (hits, counts, systems), never a figure that includes another agency's events.
struct HuntReader: Sendable {
    let subject: Subject
    /// nil: everything.
    let agencies: Set<UUID>?

    init(_ subject: Subject) {
        self.subject = subject
        agencies = Policy.readScope(for: subject).agencyIds
    }

    var seesEverything: Bool { agencies == nil }

    func filter(_ query: QueryBuilder<HuntHit>) -> QueryBuilder<HuntHit> {
        if let agencies { query.filter(\.$agencyId ~~ Array(agencies)) }
        return query
    }

    func filter(_ query: QueryBuilder<HuntCount>) -> QueryBuilder<HuntCount> {
        if let agencies { query.filter(\.$agencyId ~~ Array(agencies)) }
        return query
    }
}
