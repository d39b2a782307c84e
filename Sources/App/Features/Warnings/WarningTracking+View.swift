import Foundation
import Domain
import Plot
import Vapor

extension WarningTracking {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let stats: [(String, Int)] = [
                (t("warnings.tracking.openWarnings"), model.counts.warnings), (t("warnings.tracking.openSystems"), model.counts.open),
                (t("warnings.tracking.overdueSystems"), model.counts.overdue), (t("warnings.tracking.remediatedSystems"), model.counts.remediated),
            ]
            let overdueRows: [[Body]] = model.overdue.map { item in
                let w = item.warning
                let r = item.row
                return [
                    .link(SiteURL.warnings(.show(.value(w.id!))).path + "#system-\(r.row.systemId.uuidString.lowercased())", WarningText.label(w)),
                    .txt(r.agencyName),
                    .link(SiteURL.system(.value(r.row.systemId)).path, "\(r.systemName) (\(r.systemCode))"),
                    WarningBadges.state(r.row.state, overdue: false, t: t),
                    .txt(r.due.map { DisplayTime.date($0.date) } ?? "—"),
                    .txt(r.due.map { t("warnings.daysLate", String(max(1, Int(Date().timeIntervalSince($0.date) / 86_400)))) } ?? "—"),
                ]
            }
            let groups: [Body] = model.groups.map { group in
                let w = group.warning
                return .el("section", ["class": "card", "id": "track-\(w.id!.uuidString.lowercased())"], [
                    .el("h2", [:], [.link(SiteURL.warnings(.show(.value(w.id!))).path, "\(WarningText.label(w)) — \(w.title)")]),
                    .el("p", ["class": "muted small"], [.txt("\(w.issuer) · \(DisplayTime.date(w.issuedOn))"
                        + (w.deadline.map { " · " + t("warnings.deadline") + ": " + DisplayTime.date($0) } ?? ""))]),
                    .el("table", ["class": "table"], [
                        .el("thead", [:], [.el("tr", [:], [t("warnings.agency"), t("warnings.system"), t("warnings.state"), t("warnings.acknowledgedAt"),
                                                           t("warnings.remediatedAt"), t("warnings.dueAt")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], group.rows.map { r in
                            .el("tr", ["class": r.overdue ? "invalid" : nil], [
                                .el("td", [:], [.txt(r.agencyName)]),
                                .el("td", [:], [.link(SiteURL.system(.value(r.row.systemId)).path, "\(r.systemName) (\(r.systemCode))")]),
                                .el("td", [:], [WarningBadges.state(r.row.state, overdue: r.overdue, t: t)]),
                                .el("td", [:], [.txt(r.row.acknowledgedAt.map(DisplayTime.date) ?? "—")]),
                                .el("td", [:], [.txt(r.row.remediatedAt.map(DisplayTime.date) ?? "—")]),
                                .el("td", [:], [.txt(r.due.map { DisplayTime.date($0.date) } ?? "—")]),
                            ])
                        }),
                    ]),
                ])
            }
            return Layout(req: req).page(title: t("warnings.tracking.title"), section: .warnings, content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.warnings(.index).path, t("warnings.title"))]),
                .el("h1", [:], [.txt(t("warnings.tracking.title"))]),
                .el("p", ["class": "muted"], [.txt(t("warnings.tracking.intro"))]),
                model.agencies.count > 1 ? .el("form", ["method": "get", "action": SiteURL.warnings(.tracking).path, "class": "filters"], [
                    Forms.select(name: "agencyId", label: t("warnings.agency"),
                                 options: model.agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                                 selected: model.agencyFilter?.uuidString.lowercased(), error: nil, includeBlank: t("common.all")),
                    .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
                ]) : .empty,
                .el("section", ["class": "stats", "id": "tracking-stats"], stats.map { label, value in
                    .el("div", ["class": "stat"], [.el("span", ["class": "number"], [.txt(String(value))]), .el("span", [:], [.txt(label)])])
                }),
                .el("h2", ["id": "overdue-heading"], [.txt(t("warnings.tracking.overdueTitle"))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["class": "table", "id": "overdue-table"], [
                        .el("thead", [:], [.el("tr", [:], [t("warnings.number"), t("warnings.agency"), t("warnings.system"), t("warnings.state"),
                                                           t("warnings.dueAt"), t("warnings.late")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], overdueRows.isEmpty
                            ? [.el("tr", [:], [.el("td", ["colspan": "6", "class": "empty"], [.txt(t("warnings.tracking.noneOverdue"))])])]
                            : overdueRows.map { cells in .el("tr", ["class": "invalid"], cells.map { .el("td", [:], [$0]) }) }),
                    ]),
                ]),
                .el("h2", [:], [.txt(t("warnings.tracking.byWarning"))]),
                groups.isEmpty ? .el("p", ["class": "muted", "id": "tracking-empty"], [.txt(t("warnings.tracking.noneOpen"))]) : .group(groups),
            ])
        }
    }
}
