import Foundation
import Plot
import Vapor

/// Paged, sortable tables driven by the query string (`page`, `per`, `sort`, `dir`, filters).
struct ListQuery: Sendable {
    var page: Int
    var per: Int
    var sort: String?
    var descending: Bool
    var filters: [String: String]

    static let perChoices = [20, 50, 100]

    init(req: Request, filterKeys: [String], sortKeys: [String], defaultPer: Int = 20) {
        page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 1_000_000))
        per = max(1, min(req.query[Int.self, at: "per"] ?? defaultPer, 200))
        let requestedSort = req.query[String.self, at: "sort"]
        sort = requestedSort.flatMap { sortKeys.contains($0) ? $0 : nil }
        descending = req.query[String.self, at: "dir"] == "desc"
        var filters: [String: String] = [:]
        for key in filterKeys {
            if let value = req.query[String.self, at: key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                filters[key] = String(value.prefix(200))
            }
        }
        self.filters = filters
    }

    var offset: Int { (page - 1) * per }

    func queryItems(page: Int? = nil, sort: String? = nil, descending: Bool? = nil) -> [String: String] {
        var items = filters
        items["page"] = String(page ?? self.page)
        if per != 20 { items["per"] = String(per) }
        if let sort = sort ?? self.sort {
            items["sort"] = sort
            if descending ?? self.descending { items["dir"] = "desc" }
        }
        return items
    }
}

enum Tables {
    struct Column {
        let label: String
        var sortKey: String? = nil
    }

    static func table(id: String, base: SiteURL, query: ListQuery, columns: [Column], rows: [[Body]], empty: String) -> Body {
        let head: [Body] = columns.map { column in
            guard let key = column.sortKey else { return .el("th", ["scope": "col"], [.txt(column.label)]) }
            let active = query.sort == key
            let nextDescending = active ? !query.descending : false
            let href = base.path(query: query.queryItems(page: 1, sort: key, descending: nextDescending))
            let ariaSort = active ? (query.descending ? "descending" : "ascending") : nil
            return .el("th", ["scope": "col", "aria-sort": ariaSort], [
                .el("a", ["href": href], [.txt(column.label + (active ? (query.descending ? " ▼" : " ▲") : ""))]),
            ])
        }
        let body: [Body] = rows.isEmpty
            ? [.el("tr", [:], [.el("td", ["colspan": String(columns.count), "class": "empty"], [.txt(empty)])])]
            : rows.map { cells in .el("tr", [:], cells.map { .el("td", [:], [$0]) }) }
        return .el("div", ["class": "table-wrap"], [
            .el("table", ["id": id], [.el("thead", [:], [.el("tr", [:], head)]), .el("tbody", [:], body)]),
        ])
    }

    static func pagination(base: SiteURL, query: ListQuery, total: Int, t: Localizer) -> Body {
        let pages = max(1, (total + query.per - 1) / query.per)
        let first = total == 0 ? 0 : query.offset + 1
        let last = min(total, query.offset + query.per)
        var links: [Body] = [.el("span", ["class": "count"], [.txt(t("table.showing", String(first), String(last), String(total)))])]
        if query.page > 1 {
            links.append(.el("a", ["href": base.path(query: query.queryItems(page: query.page - 1)), "rel": "prev"], [.txt("‹ " + t("table.previous"))]))
        }
        links.append(.el("span", ["class": "page"], [.txt(t("table.page", String(query.page), String(pages)))]))
        if query.page < pages {
            links.append(.el("a", ["href": base.path(query: query.queryItems(page: query.page + 1)), "rel": "next"], [.txt(t("table.next") + " ›")]))
        }
        return .el("nav", ["class": "pagination", "aria-label": t("table.pagination")], links)
    }
}
