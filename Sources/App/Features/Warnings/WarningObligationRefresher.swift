import Foundation
import Domain
import Fluent
import SQLKit

/// Materialises WARNING_REMEDIATION_DUE (subject kind `warning_system`: one warning × one affected system) in the
/// `obligations` table. Called inside the transaction of every change to a warning, its matches, an acknowledgement
/// or a remediation; ``ObligationRefresher/refresh(systemIds:rules:now:on:)`` calls it for the systems it refreshes
/// (a system moved to another agency takes its duties along), and the hourly refresh of everything rewrites them all.
enum WarningObligationRefresher {
    static let subjectKind = ProactiveObligations.warningSystemSubjectKind

    /// Rewrites the duties of every affected system of these warnings.
    static func refresh(warningIds: [UUID], rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        guard !warningIds.isEmpty else { return }
        try await refresh(.warnings(warningIds), rules: rules, now: now, on: db)
    }

    /// Rewrites the duties of these systems' rows; nil: of every row (and drops duties whose row is gone).
    static func refresh(systemIds: [UUID]?, rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        if let systemIds {
            guard !systemIds.isEmpty else { return }
            try await refresh(.systems(systemIds), rules: rules, now: now, on: db)
        } else {
            try await refresh(.all, rules: rules, now: now, on: db)
        }
    }

    enum Selection {
        case all
        case warnings([UUID])
        case systems([UUID])
    }

    static func refresh(_ selection: Selection, rules: RuleBook, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await ObligationRefresher.lock(sql)
        var rows: [WarningSystem] = []
        switch selection {
        case .all:
            rows = try await WarningSystem.query(on: db).all()
        case .warnings(let ids):
            for chunk in ids.chunked(500) { rows += try await WarningSystem.query(on: db).filter(\.$warningId ~~ Array(chunk)).all() }
        case .systems(let ids):
            for chunk in ids.chunked(500) { rows += try await WarningSystem.query(on: db).filter(\.$systemId ~~ Array(chunk)).all() }
        }
        // The duties of rows that no longer exist (a match that went away, a deleted system or warning) go too.
        try await sql.raw("""
            DELETE FROM obligations WHERE subject_kind = \(bind: subjectKind) \
            AND NOT EXISTS (SELECT 1 FROM warning_systems ws WHERE ws.id = obligations.subject_id)
            """).run()
        if case .all = selection {
            try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, subjectKind).run()
        } else {
            for chunk in rows.compactMap(\.id).chunked(500) {
                try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, subjectKind)
                    .where("subject_id", .in, SQLBind.group(Array(chunk))).run()
            }
        }
        guard !rows.isEmpty else { return }
        var warnings: [UUID: AuthorityWarning] = [:]
        var agencies: [UUID: UUID] = [:]
        for chunk in Array(Set(rows.map(\.warningId))).chunked(500) {
            for w in try await AuthorityWarning.query(on: db).filter(\.$id ~~ Array(chunk)).all() { warnings[w.id!] = w }
        }
        for chunk in Array(Set(rows.map(\.systemId))).chunked(500) {
            for s in try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).field(\.$id).field(\.$agency.$id).all() {
                agencies[s.id!] = s.$agency.id
            }
        }
        let r = rules.proactiveObligations(at: now)
        let occurrences: [ObligationOccurrence] = rows.compactMap { row in
            guard let warning = warnings[row.warningId] else { return nil }
            return ProactiveObligations.evaluate(warning: facts(row, warning: warning, agencyId: agencies[row.systemId] ?? row.agencyId), rules: r, now: now)
        }
        try await ObligationRefresher.insert(occurrences, computedAt: now, on: sql)
    }

    static func facts(_ row: WarningSystem, warning: AuthorityWarning, agencyId: UUID) -> WarningRemediationFacts {
        WarningRemediationFacts(
            id: row.id, warningId: row.warningId, systemId: row.systemId, agencyId: agencyId, reference: WarningText.reference(warning),
            deadline: warning.deadline, receivedAt: max(warning.issuedOn, row.matchedAt), acknowledgedAt: row.acknowledgedAt,
            remediatedAt: row.remediatedAt, notAffected: row.state == WarningSystemState.notAffected.rawValue)
    }
}
