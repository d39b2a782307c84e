import Foundation
import Domain
import Plot
import Vapor

extension SystemsIndex {
    struct View {
        let req: Request
        let model: Model
        let list: ListQuery
        let agencies: [(id: UUID, name: String, depth: Int)]

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let columns: [Tables.Column] = [
                .init(label: t("field.code"), sortKey: "code"), .init(label: t("systems.name"), sortKey: "name"),
                .init(label: t("systems.agency"), sortKey: "agency"), .init(label: t("systems.lifecycle"), sortKey: "lifecycle"),
                .init(label: t("systems.level"), sortKey: "level"), .init(label: t("systems.duties")),
            ]
            let rows: [[Body]] = model.rows.map { row in
                [
                    .txt(row.code),
                    .link(SiteURL.system(.value(row.id)).path, row.name),
                    .txt(row.agencyName),
                    .txt(t("lifecycle.\(row.lifecycle.rawValue)")),
                    SystemBadges.level(approved: row.approvedLevel, proposed: row.proposedLevel, redetermine: row.needsRedetermination, t: t),
                    row.overdueDuties > 0
                        ? .el("span", ["class": "badge danger"], [.txt(t("systems.overdueCount", String(row.overdueDuties)))])
                        : .el("span", ["class": "badge ok"], [.txt(t("systems.noOverdue"))]),
                ]
            }
            let exportQuery = list.filters
            return Layout(req: req).page(title: t("systems.title"), section: .systems, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("systems.title"))]),
                    .el("div", ["class": "buttons"], [
                        Policy.can(subject, .editSystems) ? .link(SiteURL.systemNew.path, t("systems.new"), id: "new-system", cls: "button primary") : .empty,
                        Policy.can(subject, .importSystems) ? .link(SiteURL.systemsImport.path, t("systems.import"), id: "import-systems", cls: "button") : .empty,
                        Policy.can(subject, .exportSystems) ? .link(SiteURL.systemsExportXLSX.path(query: exportQuery), t("common.exportXLSX"), id: "export-xlsx", cls: "button") : .empty,
                        Policy.can(subject, .exportSystems) ? .link(SiteURL.systemsExportCSV.path(query: exportQuery), t("common.exportCSV"), id: "export-csv", cls: "button") : .empty,
                    ]),
                ]),
                .el("form", ["method": "get", "action": SiteURL.systems.path, "class": "filters", "role": "search"], [
                    .el("label", ["for": "q"], [.txt(t("common.search"))]),
                    .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? "", "placeholder": t("systems.searchHint")]),
                    agencies.count > 1 ? Forms.select(name: "agency", label: t("systems.agency"),
                                                      options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                                                      selected: list.filters["agency"]?.lowercased(), error: nil, includeBlank: t("common.all")) : .empty,
                    Forms.select(name: "level", label: t("systems.level"),
                                 options: [("none", t("systems.levelNone"))] + (1...5).map { (String($0), t("systems.levelN", String($0))) },
                                 selected: list.filters["level"], error: nil, includeBlank: t("common.all")),
                    Forms.select(name: "lifecycle", label: t("systems.lifecycle"),
                                 options: LifecycleStatus.allCases.map { ($0.rawValue, t("lifecycle.\($0.rawValue)")) },
                                 selected: list.filters["lifecycle"], error: nil, includeBlank: t("common.all")),
                    Forms.select(name: "status", label: t("systems.status"),
                                 options: ["unapproved", "redetermine", "overdue"].map { ($0, t("systems.status.\($0)")) },
                                 selected: list.filters["status"], error: nil, includeBlank: t("common.all")),
                    .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
                ]),
                Tables.table(id: "systems-table", base: .systems, query: list, columns: columns, rows: rows, empty: t("systems.empty")),
                Tables.pagination(base: .systems, query: list, total: model.total, t: t),
            ])
        }
    }
}

/// Small shared markers for system pages.
enum SystemBadges {
    static func level(approved: Int?, proposed: Int?, redetermine: Bool, t: Localizer) -> Body {
        var nodes: [Body] = []
        if let approved {
            nodes.append(.el("span", ["class": "badge level level-\(approved)"], [.txt(t("systems.levelN", String(approved)))]))
        } else {
            nodes.append(.el("span", ["class": "badge warn"], [.txt(t("systems.notApproved"))]))
            if let proposed { nodes.append(.el("span", ["class": "muted small"], [.txt(" " + t("systems.proposedN", String(proposed)))])) }
        }
        if redetermine { nodes.append(.el("span", ["class": "badge danger"], [.txt(t("systems.redetermine"))])) }
        return .group(nodes)
    }

    /// A duty that is met only because its date has not come yet reads "not yet due", not "met".
    static func obligation(_ o: Obligation, t: Localizer, now: Date = Date()) -> Body {
        if o.state == .met, o.evidence == nil, let due = o.dueAt, due > now {
            return .el("span", ["class": "badge muted"], [.txt(t("obligationState.upcoming"))])
        }
        return state(o.state, t: t)
    }

    static func state(_ state: ObligationState, t: Localizer) -> Body {
        let cls = switch state {
        case .met: "ok"
        case .dueSoon: "warn"
        case .overdue: "danger"
        case .notApplicable: "muted"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("obligationState.\(state.rawValue)"))])
    }
}
