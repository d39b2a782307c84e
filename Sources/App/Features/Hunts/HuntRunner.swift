import Foundation
import Detection
import Domain
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The job `hunts.run`: compiles the hunt's rules and indicators, scans the event store over the hunt's scope and time
/// range batch by batch (progress between batches, cancellation honoured there), records the hits in one transaction per
/// chunk, and on completion records a threat-hunting assessment for every system in scope (which meets HUNT_OVERDUE).
/// A cancelled or failed hunt records no assessment; the hits it found before stopping stay visible on its page.
enum HuntRunner {
    static let jobKind: JobKind = "hunts.run"
    /// Hits kept with their events per hunt (every hit is counted).
    static let maxStoredHits = 10_000
    /// … and per rule or indicator, so one noisy rule cannot crowd out the others.
    static let maxStoredHitsPerGroup = 1_000
    /// A snapshot longer than this is cut (and marked so).
    static let maxSnapshotBytes = 64 << 10

    static func register(in app: Application) {
        app.jobs.register(jobKind, maxAttempts: 1) { context, payload in
            try await run(context, huntId: try payload.id("huntId"))
        }
    }

    static func makeStore(app: Application) -> any EventStore {
        DatabaseEventStore(on: app.db, logger: app.logger)
    }

    /// The job body. Every way out leaves the hunt in a final state, except an interruption by shutdown (the job is
    /// queued again and the hunt starts over).
    static func run(_ ctx: JobContext, huntId: UUID, store: (any EventStore)? = nil) async throws {
        let app = ctx.app
        guard let hunt = try await Hunt.find(huntId, on: app.db), hunt.isRunning else { return }
        let started = Date()
        // A run after an interruption starts over.
        try await app.write { db in
            try await HuntHit.query(on: db).filter(\.$huntId == huntId).delete()
            try await HuntCount.query(on: db).filter(\.$huntId == huntId).delete()
            try await (db as! any SQLDatabase).update(Hunt.schema)
                .set("started_at", to: SQLBind(started)).set("events_scanned", to: SQLBind(Int64(0))).set("progress", to: SQLBind(0)).set("hits_total", to: SQLBind(Int64(0)))
                .set("hits_stored", to: SQLBind(Int64(0))).set("error", to: SQLBind(String?.none)).set("updated_at", to: SQLBind(started))
                .where("id", .equal, SQLBind(huntId)).run()
        }
        hunt.startedAt = started
        do {
            try await ctx.checkCancellation()
            let tally = try await scan(ctx, hunt: hunt, store: store ?? makeStore(app: app))
            try await complete(hunt, tally: tally, app: app)
            await ctx.progress(100, "\(tally.scannedSnapshot)/\(tally.scannedSnapshot)")
        } catch is JobCancelled {
            if ctx.isCancelRequested {
                try await app.write { db in
                    try await HuntService.markEnded(huntId, state: .cancelled, error: nil, on: db)
                    try await AuditLog.append(AuditEntry("hunt.cancelled", recordType: HuntService.recordType, recordId: huntId.uuidString),
                                              by: .system("hunts.run"), on: db)
                }
            }
            throw JobCancelled()
        } catch {
            let message = (error as? HuntFailure)?.message ?? String(describing: error)
            ctx.logger.error("hunt \(huntId) failed: \(String(reflecting: error))")
            try? await app.write { db in
                try await HuntService.markEnded(huntId, state: .failed, error: message, on: db)
                try await AuditLog.append(AuditEntry("hunt.failed", recordType: HuntService.recordType, recordId: huntId.uuidString,
                                                     details: ["error": String(message.prefix(500))]),
                                          by: .system("hunts.run"), on: db)
            }
            throw error
        }
    }

    // MARK: scanning

    static func scan(_ ctx: JobContext, hunt: Hunt, store: any EventStore) async throws -> HuntTally {
        let app = ctx.app
        let huntId = try hunt.requireID()
        let (engine, refs) = try await HuntRuleCatalogue.compile(HuntCodec.rules(hunt.rules), on: app.db)
        let indicators = HuntCodec.indicators(hunt.indicators)
        let matcher: IndicatorMatcher? = indicators.isEmpty ? nil : IndicatorMatcher(indicators)
        if engine == nil && matcher == nil {
            throw HuntFailure(message: "Không còn luật nào áp dụng được (luật đã bị xóa hoặc không còn được hỗ trợ) / "
                + "none of the hunt's rules can be applied any more (deleted or no longer supported)")
        }
        let starter: Subject? = if let userId = hunt.createdBy, let user = try await User.find(userId, on: app.db) {
            try await SubjectLoader.subject(for: user, on: app.db)
        } else { nil }
        let coverage = try await HuntCoverage.resolve(hunt, starter: starter, on: app.db)
        var totals: [Int] = []
        for pass in coverage.passes { totals.append(try await store.count(pass.query)) }
        let total = totals.reduce(0, +)
        let tally = HuntTally(huntId: huntId, total: total, knownAgencies: Set(try await HuntAgency.query(on: app.db).filter(\.$huntId == huntId).all().map(\.agencyId)))
        try await tally.flush(app: app, force: true)
        var offset = 0
        for (index, pass) in coverage.passes.enumerated() {
            let base = offset
            try await store.scan(pass.query, progress: { visited, _ in
                tally.setVisited(base + visited)
                try await ctx.checkCancellation()
                if try await tally.flush(app: app, force: false) {
                    let (done, all) = tally.progressFigures
                    await ctx.progress(all == 0 ? 99 : min(99, done * 100 / max(all, 1)), "\(done)/\(all)")
                }
            }, visit: { stored in
                tally.visit(stored, pass: pass, engine: engine, refs: refs, matcher: matcher)
                return true
            })
            offset += totals[index]
            tally.setVisited(offset)
        }
        try await ctx.checkCancellation()
        try await tally.flush(app: app, force: true)
        tally.coverage = coverage
        return tally
    }

    // MARK: completion

    /// Marks the hunt completed and records a threat-hunting assessment for every system in scope, with the hits found
    /// on it, then recomputes those systems' duties, all in one transaction.
    static func complete(_ hunt: Hunt, tally: HuntTally, app: Application) async throws {
        let huntId = try hunt.requireID()
        let coverage = tally.coverage ?? HuntCoverage(passes: [], systemIds: [], agencyIds: [])
        let counts = tally.countsSnapshot
        let systems = coverage.systemIds.isEmpty ? [] : try await chunks(coverage.systemIds) { chunk in
            try await InformationSystem.query(on: app.db).filter(\.$id ~~ chunk).all()
        }
        let performer: String = if let agencyId = hunt.createdByAgency, let agency = try await Agency.find(agencyId, on: app.db) {
            agency.name
        } else { hunt.createdByName }
        let rules = HuntCodec.rules(hunt.rules)
        let indicators = HuntCodec.indicators(hunt.indicators)
        let scopeText = HuntText.assessmentScope(hunt, rules: rules, indicators: indicators)
        let method: AssessmentMethod = rules.isEmpty ? .indicatorSweep : .logAnalysis
        let link = SiteURL.hunts(.show(.value(huntId))).absolute(base: app.config.baseURL)
        let now = Date()
        let startedAt = min(hunt.startedAt ?? hunt.createdAt ?? now, now)
        let bySystem = Dictionary(grouping: counts.filter { $0.key.systemId != nil }, by: { $0.key.systemId! })
        let actorLabel = hunt.createdByName
        let actor = AuditActor(userId: hunt.createdBy, label: "\(actorLabel) (hunts.run)", clientAddress: nil)
        let rulesBook = app.rules
        let scanned = tally.scannedSnapshot
        try await app.write { db in
            let sql = db as! any SQLDatabase
            let claimed = try await sql.update(Hunt.schema)
                .set("state", to: SQLBind(HuntState.completed.rawValue)).set("finished_at", to: SQLBind(now)).set("updated_at", to: SQLBind(now))
                .set("events_scanned", to: SQLBind(Int64(scanned))).set("events_total", to: SQLBind(Int64(scanned))).set("progress", to: SQLBind(100))
                .where("id", .equal, SQLBind(huntId)).where("state", .equal, SQLBind(HuntState.running.rawValue))
                .returning("id").all()
            // Cancelled meanwhile (from the page while the last batch was written): nothing is recorded.
            guard !claimed.isEmpty else { throw JobCancelled() }
            var assessments: [ProactiveAssessment] = []
            for system in systems {
                let sid = try system.requireID()
                let entries = bySystem[sid] ?? []
                let a = ProactiveAssessment()
                a.systemId = sid
                a.agencyId = system.$agency.id
                a.kind = AssessmentKind.threatHunt.rawValue
                a.state = "completed"
                a.performerKind = AssessmentPerformer.inHouse.rawValue
                a.performer = String(performer.prefix(300))
                a.startedAt = startedAt
                a.finishedAt = now
                a.tool = "UngCuu (Sigma, IoC)"
                a.scope = scopeText
                a.method = method.rawValue
                a.summary = HuntText.assessmentSummary(hunt, entries: entries, link: link)
                a.source = "hunt"
                a.findingsCount = Set(entries.map(\.key.groupKey)).count
                a.createdBy = hunt.createdBy
                a.createdByName = String(actorLabel.prefix(200))
                a.version = 1
                assessments.append(a)
            }
            for chunk in stride(from: 0, to: assessments.count, by: 200).map({ Array(assessments[$0..<min($0 + 200, assessments.count)]) }) {
                try await chunk.create(on: db)
            }
            let links = try assessments.map { HuntAssessment(huntId: huntId, systemId: $0.systemId, assessmentId: try $0.requireID()) }
            for chunk in stride(from: 0, to: links.count, by: 200).map({ Array(links[$0..<min($0 + 200, links.count)]) }) {
                try await chunk.create(on: db)
            }
            try await AuditLog.append(AuditEntry("hunt.complete", recordType: HuntService.recordType, recordId: huntId.uuidString,
                                                 details: ["events": String(scanned), "hits": String(tally.hitsSnapshot),
                                                           "assessments": String(assessments.count)]),
                                      by: actor, on: db)
            if !assessments.isEmpty {
                try await ObligationRefresher.refresh(systemIds: assessments.map(\.systemId), rules: rulesBook, now: now, on: db)
            }
        }
    }

    static func chunks<T>(_ ids: [UUID], size: Int = 500, _ body: ([UUID]) async throws -> [T]) async throws -> [T] {
        var out: [T] = []
        for start in stride(from: 0, to: ids.count, by: size) {
            out += try await body(Array(ids[start..<min(start + size, ids.count)]))
        }
        return out
    }
}

struct HuntFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// What a running hunt has found so far, shared by the store's visitor and its progress callback, and written to the
/// database at checkpoints (one transaction per chunk).
final class HuntTally: @unchecked Sendable {
    struct CountKey: Hashable, Sendable {
        var groupKey: String
        var kind: String
        var label: String
        var ruleId: String?
        var level: String?
        var indicatorKind: String?
        var agencyId: UUID?
        var systemId: UUID?
    }

    private struct PendingHit {
        var key: CountKey
        var indicatorValue: String?
        var field: String?
        var eventId: String
        var eventTime: Date
        var host: String?
        var sourceId: UUID?
        var snapshot: String
        var seq: Int64
    }

    let huntId: UUID
    private let lock = NIOLock()
    private var total: Int
    private var visited = 0
    private var scanned: Int64 = 0
    private var hits: Int64 = 0
    private var stored: Int64 = 0
    private var storedPerGroup: [String: Int] = [:]
    private var pending: [PendingHit] = []
    private var counts: [CountKey: Int64] = [:]
    private var countsDirty = false
    private var knownAgencies: Set<UUID>
    private var lastFlush = Date.distantPast
    /// Set when the scan is over.
    var coverage: HuntCoverage?

    init(huntId: UUID, total: Int, knownAgencies: Set<UUID>) {
        self.huntId = huntId
        self.total = total
        self.knownAgencies = knownAgencies
    }

    var scannedSnapshot: Int64 { lock.withLock { scanned } }
    var hitsSnapshot: Int64 { lock.withLock { hits } }
    var countsSnapshot: [(key: CountKey, value: Int64)] { lock.withLock { counts.map { ($0.key, $0.value) } } }
    /// (events visited, estimated total) for progress.
    var progressFigures: (Int, Int) { lock.withLock { (visited, max(total, visited)) } }

    func setVisited(_ value: Int) { lock.withLock { visited = max(visited, value) } }

    /// Applies the rules and indicators to one event (called by the store for every event of the pass).
    func visit(_ stored: StoredEvent, pass: HuntCoverage.Pass, engine: SigmaEngine?, refs: [HuntRuleRef], matcher: IndicatorMatcher?) {
        let incoming = stored.incoming
        if pass.skips(incoming) { return }
        let ruleMatches = engine?.match(incoming.event) ?? []
        let indicatorMatches = matcher?.matches(incoming.event) ?? []
        lock.withLock {
            scanned += 1
            guard !ruleMatches.isEmpty || !indicatorMatches.isEmpty else { return }
            var snapshot: String?
            func keep(_ key: CountKey, value: String?, field: String?) {
                hits += 1
                counts[key, default: 0] += 1
                countsDirty = true
                if let agency = key.agencyId, !knownAgencies.contains(agency) { knownAgencies.insert(agency); newAgencies.insert(agency) }
                guard self.stored < HuntRunner.maxStoredHits, storedPerGroup[key.groupKey, default: 0] < HuntRunner.maxStoredHitsPerGroup else { return }
                if snapshot == nil {
                    let text = JSONLineEvent.serialize(incoming.event)
                    snapshot = text.utf8.count <= HuntRunner.maxSnapshotBytes ? text
                        : JSONLineEvent.serialize(FlatEvent(fields: ["_truncated": .string(String(decoding: text.utf8.prefix(HuntRunner.maxSnapshotBytes), as: UTF8.self))]))
                }
                self.stored += 1
                storedPerGroup[key.groupKey, default: 0] += 1
                pending.append(PendingHit(key: key, indicatorValue: value, field: field, eventId: stored.id.description, eventTime: incoming.time,
                                          host: incoming.host ?? incoming.event.host, sourceId: incoming.sourceID, snapshot: snapshot!, seq: self.stored))
            }
            for index in ruleMatches where index < refs.count {
                let ref = refs[index]
                keep(CountKey(groupKey: "rule:" + ref.ruleId, kind: "rule", label: ref.title, ruleId: ref.ruleId, level: ref.level,
                              agencyId: incoming.agencyID, systemId: incoming.systemID), value: nil, field: nil)
            }
            for (indicator, field) in indicatorMatches {
                keep(CountKey(groupKey: "ioc:\(indicator.kind.rawValue):\(indicator.value)", kind: "indicator", label: indicator.value,
                              indicatorKind: indicator.kind.rawValue, agencyId: incoming.agencyID, systemId: incoming.systemID),
                     value: indicator.value, field: field)
            }
        }
    }

    private var newAgencies: Set<UUID> = []

    /// Writes what was found since the last checkpoint (at most about once a second, or when many hits wait) and the
    /// progress, in one transaction. Returns whether it wrote.
    @discardableResult
    func flush(app: Application, force: Bool) async throws -> Bool {
        let work: (found: [PendingHit], counts: [(CountKey, Int64)]?, agencies: Set<UUID>, scanned: Int64, visited: Int, total: Int, hits: Int64,
                   stored: Int64)? = lock.withLock {
            guard force || pending.count >= 2_000 || Date().timeIntervalSince(lastFlush) >= 1 else { return nil }
            lastFlush = Date()
            let out = (pending, countsDirty ? counts.map { ($0.key, $0.value) } : nil, newAgencies, scanned, visited, total, hits, stored)
            pending = []
            countsDirty = false
            newAgencies = []
            return out
        }
        guard let work else { return false }
        let huntId = self.huntId
        try await app.write { db in
            let sql = db as! any SQLDatabase
            // The hunt may have been cancelled meanwhile: write nothing more.
            let percent = max(work.total, work.visited) == 0 ? 0 : min(99, work.visited * 100 / max(work.total, work.visited))
            let running = try await sql.update(Hunt.schema)
                .set("events_scanned", to: SQLBind(work.scanned)).set("events_total", to: SQLBind(Int64(work.total)))
                .set("progress", to: SQLBind(percent))
                .set("hits_total", to: SQLBind(work.hits)).set("hits_stored", to: SQLBind(work.stored)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(huntId)).where("state", .equal, SQLBind(HuntState.running.rawValue)).returning("id").all()
            guard !running.isEmpty else { return }
            for chunk in stride(from: 0, to: work.found.count, by: 40).map({ Array(work.found[$0..<min($0 + 40, work.found.count)]) }) {
                var insert = sql.insert(into: HuntHit.schema)
                    .columns("id", "hunt_id", "kind", "group_key", "rule_id", "rule_title", "level", "indicator_kind", "indicator_value", "field",
                             "event_id", "event_time", "host", "agency_id", "system_id", "source_id", "snapshot", "seq")
                for h in chunk {
                    insert = insert.values(SQLBind(UUID()), SQLBind(huntId), SQLBind(h.key.kind), SQLBind(h.key.groupKey), SQLBind(h.key.ruleId),
                                           SQLBind(h.key.kind == "rule" ? h.key.label : nil), SQLBind(h.key.level), SQLBind(h.key.indicatorKind),
                                           SQLBind(h.indicatorValue), SQLBind(h.field), SQLBind(h.eventId), SQLBind(h.eventTime), SQLBind(h.host),
                                           SQLBind(h.key.agencyId), SQLBind(h.key.systemId), SQLBind(h.sourceId), SQLBind(h.snapshot), SQLBind(h.seq))
                }
                try await insert.run()
            }
            if let counts = work.counts {
                try await HuntCount.query(on: db).filter(\.$huntId == huntId).delete()
                for chunk in stride(from: 0, to: counts.count, by: 60).map({ Array(counts[$0..<min($0 + 60, counts.count)]) }) {
                    var insert = sql.insert(into: HuntCount.schema)
                        .columns("id", "hunt_id", "kind", "group_key", "label", "rule_id", "level", "indicator_kind", "agency_id", "system_id", "hits")
                    for (key, value) in chunk {
                        insert = insert.values(SQLBind(UUID()), SQLBind(huntId), SQLBind(key.kind), SQLBind(key.groupKey), SQLBind(String(key.label.prefix(1000))),
                                               SQLBind(key.ruleId), SQLBind(key.level), SQLBind(key.indicatorKind), SQLBind(key.agencyId),
                                               SQLBind(key.systemId), SQLBind(value))
                    }
                    try await insert.run()
                }
            }
            for agency in work.agencies {
                // An agency deleted meanwhile has no readers left: skip it rather than fail the hunt.
                guard try await Agency.find(agency, on: db) != nil else { continue }
                try await HuntAgency(huntId: huntId, agencyId: agency).create(on: db)
            }
        }
        return true
    }
}
