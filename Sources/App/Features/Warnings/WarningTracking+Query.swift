import Foundation
import Domain
import Fluent
import Vapor

/// The tracking view: per warning still open, per agency and system, what was done and who has not acted by the
/// deadline; and the province-wide list of affected systems not remediated past their deadline ("chưa khắc phục quá
/// hạn"). Scoped like every warning read: an officer sees their own agencies' rows only.
enum WarningTracking {
    struct Row: Sendable {
        let row: WarningSystem
        let systemCode: String
        let systemName: String
        let agencyId: UUID
        let agencyName: String
        let due: WarningDue?
        var overdue: Bool { (WarningSystemState(rawValue: row.state)?.isOpen ?? false) && due?.state == .overdue }
    }

    struct Group: Sendable {
        let warning: AuthorityWarning
        let rows: [Row]
    }

    struct Model: Sendable {
        /// Open rows past their deadline, the most overdue first.
        let overdue: [(warning: AuthorityWarning, row: Row)]
        /// Warnings with at least one open row, newest first, each with all its rows (in scope).
        let groups: [Group]
        let agencies: [(id: UUID, name: String, depth: Int)]
        let agencyFilter: UUID?
        let counts: (warnings: Int, open: Int, overdue: Int, remediated: Int)
    }

    static func query(subject: Subject, agencyFilter: UUID?, rules: RuleBook, req: Request, now: Date = Date()) async throws -> Model {
        let db = req.db
        let query = WarningScope.rows(subject, on: db)
        var filterIds: [UUID]?
        if let agencyFilter {
            let tree = try await AgencyTreeQuery.tree(on: db)
            filterIds = Array(tree.subtree(of: agencyFilter))
        }
        let openRows = try await query.copy()
            .filter(\.$state ~~ [WarningSystemState.affected.rawValue, WarningSystemState.acknowledged.rawValue]).all()
        let openWarnings = Set(openRows.map(\.warningId))
        var rows: [WarningSystem] = []
        for chunk in Array(openWarnings).chunked(500) { rows += try await query.copy().filter(\.$warningId ~~ Array(chunk)).all() }
        var warnings: [UUID: AuthorityWarning] = [:]
        for chunk in Array(openWarnings).chunked(500) {
            for w in try await AuthorityWarning.query(on: db).filter(\.$id ~~ Array(chunk)).all() { warnings[w.id!] = w }
        }
        var systems: [UUID: InformationSystem] = [:]
        for chunk in Array(Set(rows.map(\.systemId))).chunked(500) {
            for s in try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).all() { systems[s.id!] = s }
        }
        if let filterIds {
            let allowed = Set(filterIds)
            rows = rows.filter { systems[$0.systemId].map { allowed.contains($0.$agency.id) } ?? false }
        }
        var agencyNames: [UUID: String] = [:]
        for chunk in Array(Set(systems.values.map(\.$agency.id))).chunked(500) {
            for a in try await Agency.query(on: db).filter(\.$id ~~ Array(chunk)).all() { agencyNames[a.id!] = a.name }
        }
        let r = rules.proactiveObligations(at: now)
        let built: [Row] = rows.compactMap { row in
            guard let w = warnings[row.warningId], let s = systems[row.systemId] else { return nil }
            return Row(row: row, systemCode: s.code, systemName: s.name, agencyId: s.$agency.id, agencyName: agencyNames[s.$agency.id] ?? "—",
                       due: WarningDue.of(row, warning: w, rules: r, now: now))
        }
        let byWarning = Dictionary(grouping: built, by: \.row.warningId)
        let groups = byWarning.compactMap { id, rows -> Group? in
            guard let w = warnings[id], rows.contains(where: { WarningSystemState(rawValue: $0.row.state)?.isOpen ?? false }) else { return nil }
            return Group(warning: w, rows: rows.sorted { ($0.agencyName, $0.systemCode) < ($1.agencyName, $1.systemCode) })
        }.sorted { ($0.warning.issuedOn, $0.warning.id!.uuidString) > ($1.warning.issuedOn, $1.warning.id!.uuidString) }
        let overdue = built.filter(\.overdue).compactMap { row in warnings[row.row.warningId].map { (warning: $0, row: row) } }
            .sorted { ($0.row.due?.date ?? now, $0.row.agencyName, $0.row.systemCode) < ($1.row.due?.date ?? now, $1.row.agencyName, $1.row.systemCode) }
        let agencies = try await SystemsController.agencyChoices(subject: subject, req: req, editable: false)
        let open = built.filter { WarningSystemState(rawValue: $0.row.state)?.isOpen ?? false }.count
        let remediated = built.filter { $0.row.state == WarningSystemState.remediated.rawValue }.count
        return Model(overdue: overdue, groups: groups, agencies: agencies, agencyFilter: agencyFilter,
                     counts: (groups.count, open, overdue.count, remediated))
    }
}
