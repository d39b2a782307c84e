import Foundation
import Domain
import Fluent
import SQLKit

/// Recomputes the materialised obligation occurrences from the facts in the database.
/// Called inside the transaction of every change to a system, and for all systems by the
/// scheduler (time passes) and `ungcuu obligations refresh`.
enum ObligationRefresher {
    /// Advisory-lock key of obligation refreshes on PostgreSQL ("UC" "OB").
    static let lockKey = 0x5543_4F42
    /// `systemIds == nil` refreshes every system.
    static func refresh(systemIds: [UUID]?, rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await lock(sql)
        let facts = try await SystemFactsQuery.facts(systemIds: systemIds, rules: rules, on: db)
        let obligationRules = rules.systemObligations(at: now)
        let occurrences = facts.flatMap { SystemObligations.evaluate($0, rules: obligationRules, now: now) }
        if let systemIds {
            for chunk in systemIds.chunked(500) {
                try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, "system")
                    .where("subject_id", .in, SQLBind.group(Array(chunk))).run()
            }
        } else {
            try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, "system").run()
        }
        try await insert(occurrences, computedAt: now, on: sql)
        // Response plans and drills (issue 4) are duties of the same systems, rewritten with them.
        try await ResponseObligationRefresher.refreshSystems(systemIds, rules: rules, now: now, on: db)
        try await ProactiveObligationRefresher.refreshSystems(systemIds, rules: rules, now: now, on: db)
        // Authority warnings' remediation duties follow their system (its agency, its deletion) and the calendar.
        try await WarningObligationRefresher.refresh(systemIds: systemIds, rules: rules, now: now, on: db)
    }

    /// Delete-then-insert is only correct one refresh at a time; instances and requests take turns
    /// (a transaction-scoped lock, released at commit; SQLite's single writer already serialises).
    /// Every refresher of the `obligations` table takes it first. Keyed by the schema too, as the scheduler's lock: deployments
    /// (and test apps) sharing one database in schemas of their own do not wait for each other, nor deadlock with another
    /// schema's global lock taken in the opposite order (a demo seed refreshes duties, then numbers its incidents).
    static func lock(_ sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: lockKey), hashtext(current_schema()))").run()
        }
    }

    static func insert(_ occurrences: [ObligationOccurrence], computedAt: Date, on sql: any SQLDatabase) async throws {
        let columns = ["id", "duty_id", "subject_kind", "subject_id", "agency_id", "state", "due_at", "evidence", "title_vi", "title_en",
                       "explanation_vi", "explanation_en", "basis", "rule_id", "rule_version", "computed_at"]
        for chunk in occurrences.chunked(400) {
            var insert = sql.insert(into: Obligation.schema).columns(columns)
            for o in chunk {
                insert = insert.values([
                    SQLBind(UUID()), SQLBind(o.dutyId), SQLBind(o.subjectKind), SQLBind(o.subjectId), SQLBind(o.agencyId),
                    SQLBind(o.state.rawValue), SQLBind(o.dueAt), SQLBind(o.evidence), SQLBind(o.title.vi), SQLBind(o.title.en),
                    SQLBind(o.explanation.vi), SQLBind(o.explanation.en), SQLBind(o.basis.map(\.citation).joined(separator: "; ")),
                    SQLBind(o.ruleId), SQLBind(o.ruleVersion), SQLBind(computedAt),
                ])
            }
            try await insert.run()
        }
    }
}

/// Gathers what the system duties read, in a few set-based queries whatever the number of systems.
enum SystemFactsQuery {
    static func facts(systemIds: [UUID]?, rules: RuleBook, on db: any Database) async throws -> [SystemObligationFacts] {
        var systems: [InformationSystem] = []
        if let systemIds {
            for chunk in systemIds.chunked(500) {
                systems += try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).all()
            }
        } else {
            systems = try await InformationSystem.query(on: db).all()
        }
        guard !systems.isEmpty else { return [] }
        let ids = systems.compactMap(\.id)
        let controls = try await CatalogueControl.query(on: db).filter(\.$active == true).all()
        var statuses: [UUID: [UUID: ControlStatus]] = [:]
        var lastAssessment: [UUID: (Date, Bool)] = [:]
        for chunk in ids.chunked(500) {
            for a in try await ControlAssessment.query(on: db).filter(\.$system.$id ~~ Array(chunk)).all() {
                statuses[a.$system.id, default: [:]][a.$control.id] = a.status
            }
            for a in try await SystemAssessment.query(on: db).filter(\.$system.$id ~~ Array(chunk)).filter(\.$kind == "periodic").all() {
                let sid = a.$system.id
                if lastAssessment[sid].map({ a.performedOn > $0.0 }) ?? true { lastAssessment[sid] = (a.performedOn, a.independent) }
            }
        }
        return systems.map { s in
            let id = s.id!
            var plan: PlanProgress?
            if let level = s.approvedLevel {
                let applicable = controls.filter { $0.firstLevel <= level }
                let own = statuses[id] ?? [:]
                plan = ControlPlan.progress(statuses: applicable.map { own[$0.id!] ?? .notStarted })
            }
            return SystemObligationFacts(
                systemId: id, agencyId: s.$agency.id, lifecycle: s.lifecycle, goLiveDate: s.goLiveDate,
                approvedLevel: s.approvedLevel, approvedAt: s.approvedAt, proposedLevel: s.proposedLevel,
                needsRedetermination: s.needsRedetermination, plan: plan,
                lastPeriodicAssessment: lastAssessment[id]?.0, lastAssessmentIndependent: lastAssessment[id]?.1)
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
