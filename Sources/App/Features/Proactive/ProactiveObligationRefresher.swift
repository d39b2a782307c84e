import Foundation
import Domain
import Fluent
import SQLKit

/// Materialises the proactive duties of systems (SCAN_OVERDUE, HUNT_OVERDUE, FINDINGS_OVERDUE) in the `obligations`
/// table. ``ObligationRefresher/refresh(systemIds:rules:now:on:)`` calls ``refreshSystems`` after it has deleted the
/// systems' rows, so every system change, every scan or hunt recorded and the hourly refresh recompute them.
enum ProactiveObligationRefresher {
    /// Called by ``ObligationRefresher`` once it deleted the rows of `systemIds` (nil: all systems).
    static func refreshSystems(_ systemIds: [UUID]?, rules: RuleBook, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let r = rules.proactiveObligations(at: now)
        let facts = try await facts(systemIds, on: db)
        try await ObligationRefresher.insert(facts.flatMap { ProactiveObligations.evaluate(system: $0, rules: r, now: now) }, computedAt: now, on: sql)
    }

    /// Gathers the facts with one query per table (per 500 systems when ids are given).
    static func facts(_ systemIds: [UUID]?, on db: any Database) async throws -> [SystemProactiveFacts] {
        var systems: [InformationSystem] = []
        var last: [UUID: [String: Date]] = [:]
        var open: [UUID: [OpenFindingFact]] = [:]
        let chunks: [[UUID]?] = systemIds.map { ids in ids.chunked(500).map { Optional(Array($0)) } } ?? [nil]
        for chunk in chunks {
            if let chunk, chunk.isEmpty { continue }
            let systemQuery = InformationSystem.query(on: db)
            if let chunk { systemQuery.filter(\.$id ~~ chunk) }
            systems += try await systemQuery.all()
            for (systemId, kind, date) in try await lastCompleted(chunk, on: db) { last[systemId, default: [:]][kind] = date }
            for (systemId, fact) in try await openFindings(chunk, on: db) { open[systemId, default: []].append(fact) }
        }
        return systems.map { s in
            let id = s.id!
            return SystemProactiveFacts(systemId: id, agencyId: s.$agency.id, lifecycle: s.lifecycle, goLiveDate: s.goLiveDate, createdAt: s.createdAt,
                                        lastScanAt: last[id]?[AssessmentKind.vulnerabilityScan.rawValue],
                                        lastHuntAt: last[id]?[AssessmentKind.threatHunt.rawValue], openFindings: open[id] ?? [])
        }
    }

    /// The end (else the start) of the latest completed scan and hunt per system.
    static func lastCompleted(_ systemIds: [UUID]?, on db: any Database) async throws -> [(UUID, String, Date)] {
        let sql = db as! any SQLDatabase
        var query = sql.select()
            .column("system_id").column("kind")
            .column(SQLFunction("MAX", args: SQLFunction("COALESCE", args: SQLColumn("finished_at"), SQLColumn("started_at"))), as: "last_at")
            .from(ProactiveAssessment.schema)
            .where("state", .equal, SQLBind("completed"))
        if let systemIds { query = query.where("system_id", .in, SQLBind.group(systemIds)) }
        return try await query.groupBy("system_id").groupBy("kind").all().map { row in
            (try row.decode(column: "system_id", as: UUID.self), try row.decode(column: "kind", as: String.self),
             try row.decode(column: "last_at", as: Date.self))
        }
    }

    /// Findings still to fix (open or in progress) with their severity and remediation deadline.
    static func openFindings(_ systemIds: [UUID]?, on db: any Database) async throws -> [(UUID, OpenFindingFact)] {
        let sql = db as! any SQLDatabase
        var query = sql.select().column("system_id").column("severity").column("due_at").from(Finding.schema)
            .where("status", .in, SQLBind.group(["open", "in_progress"]))
        if let systemIds { query = query.where("system_id", .in, SQLBind.group(systemIds)) }
        return try await query.all().compactMap { row in
            guard let severity = FindingSeverity(rawValue: try row.decode(column: "severity", as: String.self)) else { return nil }
            return (try row.decode(column: "system_id", as: UUID.self),
                    OpenFindingFact(severity: severity, dueAt: try row.decode(column: "due_at", as: Date?.self)))
        }
    }
}
