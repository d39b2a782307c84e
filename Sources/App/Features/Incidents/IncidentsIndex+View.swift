import Foundation
import Domain
import Fluent
import Plot
import Vapor

extension IncidentsIndex {
    struct View {
        let req: Request
        let list: ListQuery
        let model: Model?
        let board: [(IncidentPhase, [Row], Int)]?
        let agencies: [(id: UUID, name: String)]
        let systems: [(id: UUID, label: String)]
        let categories: [IncidentCategory]
        let assignees: [User]

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let isBoard = board != nil
            return Layout(req: req).page(title: t("incidents.title"), section: .incidents, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("incidents.title"))]),
                    .el("div", ["class": "buttons"], [
                        Policy.can(subject, .reportIncident) ? .link(SiteURL.incidents(.new).path, t("incidents.report"), id: "report-incident", cls: "button primary") : .empty,
                        .link(SiteURL.incidents(.index).path(query: list.filters), t("incidents.listView"), id: "list-view", cls: isBoard ? "button" : "button current"),
                        .link(SiteURL.incidents(.board).path(query: list.filters), t("incidents.boardView"), id: "board-view", cls: isBoard ? "button current" : "button"),
                    ]),
                ]),
                filters(action: isBoard ? SiteURL.incidents(.board) : SiteURL.incidents(.index)),
                board.map(boardBody) ?? table(),
            ])
        }

        private func filters(action: SiteURL) -> Body {
            let t = req.t
            let lang = req.lang
            return .el("form", ["method": "get", "action": action.path, "class": "filters", "role": "search"], [
                .el("label", ["for": "q"], [.txt(t("common.search"))]),
                .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? "", "placeholder": t("incidents.searchHint")]),
                board == nil ? Forms.select(name: "phase", label: t("incidents.phase"),
                                            options: [("open", t("incidents.openOnly"))] + IncidentPhase.allCases.map { ($0.rawValue, t("incidentPhase.\($0.rawValue)")) },
                                            selected: list.filters["phase"], error: nil, includeBlank: t("common.all")) : .empty,
                Forms.select(name: "severity", label: t("incidents.severity"),
                             options: [("none", t("incidents.severityUnset"))] + IncidentSeverity.allCases.map { ($0.rawValue, t("severity.\($0.rawValue)")) },
                             selected: list.filters["severity"], error: nil, includeBlank: t("common.all")),
                agencies.count > 1 ? Forms.select(name: "agency", label: t("systems.agency"), options: agencies.map { ($0.id.uuidString.lowercased(), $0.name) },
                                                  selected: list.filters["agency"]?.lowercased(), error: nil, includeBlank: t("common.all")) : .empty,
                systems.isEmpty ? .empty : Forms.select(name: "system", label: t("incidents.system"), options: systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                                                        selected: list.filters["system"]?.lowercased(), error: nil, includeBlank: t("common.all")),
                Forms.select(name: "category", label: t("incidents.category"), options: categories.map { ($0.code, $0.title.text(lang)) },
                             selected: list.filters["category"], error: nil, includeBlank: t("common.all")),
                Forms.select(name: "assignee", label: t("incidents.assignee"),
                             options: [("me", t("incidents.assignedToMe"))] + assignees.map { ($0.id!.uuidString.lowercased(), $0.name) },
                             selected: list.filters["assignee"], error: nil, includeBlank: t("common.all")),
                Forms.checkbox(name: "overdue", value: "1", label: t("incidents.overdueOnly"), checked: list.filters["overdue"] != nil),
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ])
        }

        private func table() -> Body {
            let t = req.t
            let model = model ?? Model(rows: [], total: 0)
            let columns: [Tables.Column] = [
                .init(label: t("incidents.number"), sortKey: "number"), .init(label: t("incidents.titleField"), sortKey: "title"),
                .init(label: t("systems.agency")), .init(label: t("incidents.detectedAt"), sortKey: "detected"),
                .init(label: t("incidents.severity"), sortKey: "severity"), .init(label: t("incidents.phase"), sortKey: "phase"),
                .init(label: t("incidents.clocks")),
            ]
            let rows: [[Body]] = model.rows.map { row in
                let i = row.incident
                return [
                    .txt(i.number), .link(SiteURL.incidents(.show(.value(i.id!))).path, i.title), .txt(row.agencyName),
                    .txt(DisplayTime.dateTime(i.detectedAt)), IncidentBadges.severity(i.severityRaw, t: t), IncidentBadges.phase(i.phaseRaw, t: t),
                    row.overdue > 0 ? .el("span", ["class": "badge danger"], [.txt(t("incidents.overdueClocks", String(row.overdue)))])
                        : .el("span", ["class": "badge ok"], [.txt(t("incidents.clocksOK"))]),
                ]
            }
            return .group([
                Tables.table(id: "incidents-table", base: .incidents(.index), query: list, columns: columns, rows: rows, empty: t("incidents.empty")),
                Tables.pagination(base: .incidents(.index), query: list, total: model.total, t: t),
            ])
        }

        private func boardBody(_ columns: [(IncidentPhase, [Row], Int)]) -> Body {
            let t = req.t
            return .el("div", ["class": "board", "id": "incident-board"], columns.map { phase, rows, count in
                .el("section", ["class": "board-column", "data-phase": phase.rawValue], [
                    .el("h2", [:], [.txt(t("incidentPhase.\(phase.rawValue)")), .el("span", ["class": "badge muted"], [.txt(String(count))])]),
                    .el("ul", ["class": "plain"], rows.map { row in
                        let i = row.incident
                        return .el("li", ["class": "board-card"], [
                            .link(SiteURL.incidents(.show(.value(i.id!))).path, "\(i.number) · \(i.title)"),
                            .el("div", ["class": "small muted"], [.txt("\(row.agencyName) · \(DisplayTime.dateTime(i.detectedAt))")]),
                            IncidentBadges.severity(i.severityRaw, t: t),
                            row.overdue > 0 ? .el("span", ["class": "badge danger"], [.txt(t("incidents.overdueClocks", String(row.overdue)))]) : .empty,
                        ])
                    }),
                    count > rows.count ? .el("p", ["class": "small"], [.link(SiteURL.incidents(.index).path(query: list.filters.merging(["phase": phase.rawValue]) { $1 }),
                                                                             t("incidents.seeAll", String(count)))]) : .empty,
                ])
            })
        }
    }

    static func page(req: Request, board: Bool) async throws -> Page {
        let subject = try req.requireSubject()
        var list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: sortKeys)
        if !board && req.query[String.self, at: "phase"] == nil && list.filters.isEmpty { list.filters["phase"] = "open" }
        let model = board ? nil : try await query(subject: subject, list: list, on: req.db)
        let columns = board ? try await self.board(subject: subject, list: list, on: req.db) : nil
        try await IncidentSharing.auditPoliceList(req: req, count: model?.total ?? columns?.reduce(0) { $0 + $1.2 } ?? 0)
        let agencies = try await Agency.scoped(to: subject, on: req.db).sort(\.$name).all().map { (id: $0.id!, name: $0.name) }
        let systems = subject.isPolice ? [] : try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$name).all()
            .map { (id: $0.id!, label: "\($0.code) · \($0.name)") }
        let people = subject.isPolice ? [] : try await User.query(on: req.db).filter(\.$role ~~ [.coordinator, .responder]).sort(\.$name).all()
        return View(req: req, list: list, model: model, board: columns, agencies: agencies, systems: systems,
                    categories: IncidentRulesBridge.categories(req.application.rules, at: Date()).categories, assignees: people).render()
    }
}
