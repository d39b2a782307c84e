import Foundation
import Domain
import Plot
import Vapor

extension AgenciesIndex {
    struct View {
        let req: Request
        let model: Model
        let list: ListQuery

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let columns: [Tables.Column] = [
                .init(label: t("field.code"), sortKey: "code"), .init(label: t("field.name"), sortKey: "name"),
                .init(label: t("field.kind"), sortKey: "kind"), .init(label: t("field.parent")),
                .init(label: t("field.contactPhone")),
            ]
            let rows: [[Body]] = model.rows.map { row in
                [
                    .txt(row.code),
                    .el("span", ["class": "depth-\(min(row.depth, 6))"], [.link(SiteURL.agency(.value(row.id)).path, row.name)]),
                    .txt(t("agencyKind.\(row.kind.rawValue)")),
                    .txt(row.parentName ?? "—"),
                    .txt(row.contactPhone ?? "—"),
                ]
            }
            let kindOptions = AgencyKind.allCases.map { (value: $0.rawValue, label: t("agencyKind.\($0.rawValue)")) }
            return Layout(req: req).page(title: t("agencies.title"), section: .agencies, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("agencies.title"))]),
                    .el("div", ["class": "buttons"], [
                        Policy.can(subject, .createAgency) ? .link(SiteURL.agencyNew.path, t("agencies.new"), id: "new-agency", cls: "button primary") : .empty,
                        Policy.can(subject, .exportAgencies) ? .link(SiteURL.agenciesExport.path(query: list.filters), t("common.exportCSV"), id: "export-agencies", cls: "button") : .empty,
                    ]),
                ]),
                .el("form", ["method": "get", "action": SiteURL.agencies.path, "class": "filters", "role": "search"], [
                    .el("label", ["for": "q"], [.txt(t("common.search"))]),
                    .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? "", "placeholder": t("agencies.searchHint")]),
                    Forms.select(name: "kind", label: t("field.kind"), options: kindOptions, selected: list.filters["kind"], error: nil, includeBlank: t("common.all")),
                    .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
                ]),
                Tables.table(id: "agencies-table", base: .agencies, query: list, columns: columns, rows: rows, empty: t("agencies.empty")),
                Tables.pagination(base: .agencies, query: list, total: model.total, t: t),
            ])
        }
    }
}
