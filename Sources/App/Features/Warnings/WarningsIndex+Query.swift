import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// The warnings list within the reader's scope: newest first, filtered by words (number, title, issuer, CVE) and by
/// state (`open`: some affected system not yet remediated; `overdue`: one of those past its deadline). Counts are of
/// the reader's rows only, so an officer never learns how many other agencies a warning touches.
enum WarningsIndex {
    static let filterKeys = ["q", "state"]
    static let states = ["open", "overdue"]

    static func query(subject: Subject, list: ListQuery, rules: RuleBook, now: Date = Date(), on db: any Database) async throws -> Model {
        let query = try await filtered(subject: subject, q: list.filters["q"], state: list.filters["state"], rules: rules, now: now, on: db)
        let total = try await query.copy().count()
        let warnings = try await query.sort(\.$issuedOn, .descending).sort(\.$createdAt, .descending)
            .range(list.offset..<(list.offset + list.per)).all()
        let tallies = try await tally(warnings, subject: subject, rules: rules, now: now, on: db)
        return Model(warnings: warnings, tallies: tallies, total: total, list: list)
    }

    /// The scoped warnings query with the filters applied (shared by the page and the API).
    static func filtered(subject: Subject, q: String?, state: String?, rules: RuleBook, now: Date, on db: any Database) async throws -> QueryBuilder<AuthorityWarning> {
        let query = WarningScope.warnings(subject, on: db)
        if let q = q.map(Validators.trimmed), !q.isEmpty {
            let pattern = "%" + q.lowercased().replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%")
                .replacingOccurrences(of: "_", with: "!_") + "%"
            query.group(.or) { group in
                for column in ["title", "number", "issuer", "cves"] {
                    group.filter(.sql(SQLQueryString("LOWER(COALESCE(\(ident: "authority_warnings").\(ident: column), '')) LIKE \(bind: pattern) ESCAPE '!'")))
                }
            }
        }
        if let state, states.contains(state) {
            let ids = try await openWarningIds(subject: subject, overdueOnly: state == "overdue", rules: rules, now: now, on: db)
            if ids.isEmpty { query.filter(\.$id == UUID()) } else { query.filter(\.$id ~~ ids) }
        }
        return query
    }

    /// Warnings with an open row in the reader's scope (optionally only those past their deadline).
    static func openWarningIds(subject: Subject, overdueOnly: Bool, rules: RuleBook, now: Date, on db: any Database) async throws -> [UUID] {
        let rows = try await WarningScope.rows(subject, on: db)
            .filter(\.$state ~~ [WarningSystemState.affected.rawValue, WarningSystemState.acknowledged.rawValue]).all()
        guard overdueOnly else { return Array(Set(rows.map(\.warningId))) }
        var warnings: [UUID: AuthorityWarning] = [:]
        for chunk in Array(Set(rows.map(\.warningId))).chunked(500) {
            for w in try await AuthorityWarning.query(on: db).filter(\.$id ~~ Array(chunk)).all() { warnings[w.id!] = w }
        }
        let r = rules.proactiveObligations(at: now)
        return Array(Set(rows.filter { row in warnings[row.warningId].map { WarningDue.isOverdue(row, warning: $0, rules: r, now: now) } ?? false }
            .map(\.warningId)))
    }

    struct Tally: Sendable, Equatable {
        var systems = 0
        var open = 0
        var remediated = 0
        var notAffected = 0
        var overdue = 0
    }

    /// Per warning: the reader's affected systems and what became of them.
    static func tally(_ warnings: [AuthorityWarning], subject: Subject, rules: RuleBook, now: Date, on db: any Database) async throws -> [UUID: Tally] {
        guard !warnings.isEmpty else { return [:] }
        let byId = Dictionary(uniqueKeysWithValues: warnings.map { ($0.id!, $0) })
        let rows = try await WarningScope.rows(subject, on: db).filter(\.$warningId ~~ Array(byId.keys)).all()
        let r = rules.proactiveObligations(at: now)
        var tallies: [UUID: Tally] = [:]
        for row in rows {
            var t = tallies[row.warningId] ?? Tally()
            t.systems += 1
            switch WarningSystemState(rawValue: row.state) {
            case .remediated: t.remediated += 1
            case .notAffected: t.notAffected += 1
            default:
                t.open += 1
                if let w = byId[row.warningId], WarningDue.isOverdue(row, warning: w, rules: r, now: now) { t.overdue += 1 }
            }
            tallies[row.warningId] = t
        }
        return tallies
    }
}
