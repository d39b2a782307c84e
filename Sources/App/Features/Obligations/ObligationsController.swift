import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Duties across the systems the caller may see: who is behind, on what, since when.
enum ObligationsController {
    static let filterKeys = ["state", "duty", "agency"]

    struct Counts: Sendable {
        var byState: [ObligationState: Int] = [:]
        var byDuty: [String: [ObligationState: Int]] = [:]
        var overdueByAgency: [(agencyId: UUID, count: Int)] = []
    }

    /// Counts by state and duty with one grouped query (milliseconds for thousands of systems).
    static func counts(subject: Subject, on db: any Database) async throws -> Counts {
        let sql = db as! any SQLDatabase
        var query = sql.select().column("duty_id").column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Obligation.schema)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query = query.where("agency_id", .in, SQLBind.group(Array(ids)))
        }
        if !Policy.can(subject, .viewWarnings) { query = query.where("subject_kind", .notEqual, WarningObligationRefresher.subjectKind) }
        var counts = Counts()
        for row in try await query.groupBy("duty_id").groupBy("state").all() {
            guard let state = ObligationState(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
            let duty = try row.decode(column: "duty_id", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            counts.byState[state, default: 0] += n
            counts.byDuty[duty, default: [:]][state, default: 0] += n
        }
        var byAgency = sql.select().column("agency_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Obligation.schema)
            .where("state", .equal, ObligationState.overdue.rawValue)
        if let ids = Policy.readScope(for: subject).agencyIds {
            byAgency = byAgency.where("agency_id", .in, SQLBind.group(Array(ids)))
        }
        if !Policy.can(subject, .viewWarnings) { byAgency = byAgency.where("subject_kind", .notEqual, WarningObligationRefresher.subjectKind) }
        counts.overdueByAgency = try await byAgency.groupBy("agency_id").all().compactMap { row in
            guard let id = try row.decode(column: "agency_id", as: UUID?.self) else { return nil }
            return (id, try row.decode(column: "n", as: Int.self))
        }.sorted { $0.count > $1.count }
        return counts
    }

    static func index(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: ["due"], defaultPer: 50)
        let query = Obligation.scoped(to: subject, on: req.db)
        var invalid = false
        if let raw = list.filters["state"] {
            if let state = ObligationState(rawValue: raw) { query.filter(\.$state == state) } else { invalid = true }
        } else {
            query.filter(\.$state ~~ [.overdue, .dueSoon])
        }
        if let duty = list.filters["duty"] { query.filter(\.$dutyId == duty) }
        if let raw = list.filters["agency"] {
            if let id = UUID(uuidString: raw) {
                let tree = try await AgencyTreeQuery.tree(on: req.db)
                query.filter(\.$agencyId ~~ Array(tree.subtree(of: id)))
            } else { invalid = true }
        }
        let total = invalid ? 0 : try await query.count()
        let rows = invalid ? [] : try await query.sort(\.$dueAt).sort(\.$dutyId).range(list.offset..<(list.offset + list.per)).all()
        let names = Dictionary(uniqueKeysWithValues: try await InformationSystem.scoped(to: subject, on: req.db)
            .filter(\.$id ~~ rows.map(\.subjectId)).all().map { ($0.id!, $0.name) })
        let subjectNames = names.merging(try await ObligationSubjects.names(rows, subject: subject, on: req.db)) { a, _ in a }
        let counts = try await counts(subject: subject, on: req.db)
        let agencies = try await SystemsController.agencyChoices(subject: subject, req: req, editable: false)
        return ObligationsView(req: req, rows: rows, total: total, list: list, systemNames: subjectNames, counts: counts, agencies: agencies,
                               duties: ObligationSubjects.titles(req.application.rules)).render()
    }
}

struct ObligationsView {
    let req: Request
    let rows: [Obligation]
    let total: Int
    let list: ListQuery
    let systemNames: [UUID: String]
    let counts: ObligationsController.Counts
    let agencies: [(id: UUID, name: String, depth: Int)]
    let duties: [String: DutyDefinition]

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let dutyRows: [Body] = counts.byDuty.keys.sorted().map { duty in
            let c = counts.byDuty[duty] ?? [:]
            return .el("tr", [:], [
                .el("td", [:], [.link(SiteURL.obligations.path(query: ["duty": duty, "state": "overdue"]), duties[duty]?.title.text(lang) ?? duty)]),
                .el("td", ["class": "num"], [.txt(String(c[.overdue] ?? 0))]),
                .el("td", ["class": "num"], [.txt(String(c[.dueSoon] ?? 0))]),
                .el("td", ["class": "num"], [.txt(String(c[.met] ?? 0))]),
            ])
        }
        return Layout(req: req).page(title: t("obligations.title"), section: .obligations, content: [
            .el("h1", [:], [.txt(t("obligations.title"))]),
            .el("section", ["class": "card", "id": "duty-summary"], [
                .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("obligations.duty"), t("obligationState.overdue"), t("obligationState.due_soon"),
                                                       t("obligationState.met")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], dutyRows),
                ]),
            ]),
            .el("form", ["method": "get", "action": SiteURL.obligations.path, "class": "filters"], [
                Forms.select(name: "state", label: t("obligations.state"), options: ObligationState.allCases.map { ($0.rawValue, t("obligationState.\($0.rawValue)")) },
                             selected: list.filters["state"], error: nil, includeBlank: t("obligations.behind")),
                Forms.select(name: "duty", label: t("obligations.duty"), options: duties.keys.sorted().map { ($0, duties[$0]!.title.text(lang)) },
                             selected: list.filters["duty"], error: nil, includeBlank: t("common.all")),
                agencies.count > 1 ? Forms.select(name: "agency", label: t("systems.agency"),
                                                  options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                                                  selected: list.filters["agency"]?.lowercased(), error: nil, includeBlank: t("common.all")) : .empty,
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ]),
            .el("div", ["id": "obligations-list"], [ObligationTable.render(rows, lang: lang, t: t, showSubject: true, systemNames: systemNames)]),
            Tables.pagination(base: .obligations, query: list, total: total, t: t),
        ])
    }
}
