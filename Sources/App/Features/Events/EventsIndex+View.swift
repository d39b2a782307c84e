import Foundation
import Detection
import Domain
import Plot
import Vapor

extension EventsIndex {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let list = model.list
            let filters = list.filters
            func error(_ key: String) -> String? { model.errors[key].map { t($0) } }
            let rows: [[Body]] = model.outcome.events.map { stored in
                let e = stored.incoming
                return [
                    .link(SiteURL.events(.show(.value(stored.id))).path, EventsFormat.time(e.time)),
                    .txt(e.host ?? "—"),
                    .txt(e.agencyID == nil ? t("events.unassignedOwner") : model.systemLabel(e.systemID) ?? "—"),
                    .txt(model.sourceName(e.sourceID) ?? "—"),
                    .el("span", ["class": "event-summary"], [.txt(EventSearch.summary(e.event))]),
                ]
            }
            var actions: [Body] = []
            if Policy.can(subject, .uploadEvents) {
                actions.append(.link(SiteURL.events(.upload).path, t("events.uploadTitle"), id: "upload-events", cls: "button primary"))
            }
            if model.canSeeUnassigned {
                actions.append(.link(SiteURL.events(.unassigned).path, t("events.unassignedTitle"), id: "unassigned-senders", cls: "button"))
            }
            var navigation: [Body] = []
            if model.page > 1 {
                navigation.append(.el("a", ["href": SiteURL.events(.index).path(query: list.queryItems(page: model.page - 1)), "rel": "prev"],
                                      [.txt("‹ " + t("table.previous"))]))
            }
            navigation.append(.el("span", ["class": "page"], [.txt(t("events.page", String(model.page)))]))
            if model.outcome.hasMore, model.page < EventSearch.maxPage {
                navigation.append(.el("a", ["href": SiteURL.events(.index).path(query: list.queryItems(page: model.page + 1)), "rel": "next"],
                                      [.txt(t("table.next") + " ›")]))
            }
            return Layout(req: req).page(title: t("events.title"), section: .detection, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [.el("h1", [:], [.txt(t("events.title"))])] + actions),
                DetectionTabs.bar(.events, req: req),
                .el("p", ["class": "muted"], [.txt(t("events.intro"))]),
                .el("form", ["method": "get", "action": SiteURL.events(.index).path, "class": "filters", "role": "search", "id": "event-filters"], [
                    Forms.input(.init(name: "from", label: t("events.from"), value: filters["from"], error: error("from"), type: "datetime-local")),
                    Forms.input(.init(name: "to", label: t("events.to"), value: filters["to"], error: error("to"), type: "datetime-local")),
                    Forms.select(name: "agency", label: t("events.agency"), options: model.agencies.map { ($0.id.uuidString.lowercased(), $0.name) },
                                 selected: filters["agency"]?.lowercased(), error: error("agency"), includeBlank: t("common.all")),
                    Forms.select(name: "system", label: t("events.system"), options: model.systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                                 selected: filters["system"]?.lowercased(), error: error("system"), includeBlank: t("common.all")),
                    Forms.select(name: "source", label: t("events.source"), options: model.sources.map { ($0.id.uuidString.lowercased(), $0.name) },
                                 selected: filters["source"]?.lowercased(), error: error("source"), includeBlank: t("common.all")),
                    Forms.input(.init(name: "host", label: t("events.host"), value: filters["host"], error: nil, maxLength: 200)),
                    Forms.input(.init(name: "q", label: t("events.text"), value: filters["q"], error: nil, hint: t("events.textHint"), maxLength: 200)),
                    model.canSeeUnassigned
                        ? Forms.checkbox(name: "unassigned", value: "1", label: t("events.onlyUnassigned"), checked: model.criteria.unassigned) : .empty,
                    .el("button", ["type": "submit", "id": "filter-events"], [.txt(t("common.filter"))]),
                ]),
                model.outcome.capped
                    ? .el("p", ["class": "flash info", "role": "status", "id": "search-capped"],
                          [.txt(t("events.capped", String(model.outcome.scannedEvents)))]) : .empty,
                Tables.table(id: "events", base: .events(.index), query: list,
                             columns: [.init(label: t("events.time")), .init(label: t("events.host")), .init(label: t("events.system")),
                                       .init(label: t("events.source")), .init(label: t("events.content"))],
                             rows: rows, empty: t(model.criteria == EventSearch.Criteria() ? "events.empty" : "events.noMatch")),
                .el("nav", ["class": "pagination", "aria-label": t("table.pagination")], navigation),
            ])
        }
    }
}

/// How event times are shown: Vietnam time with seconds.
enum EventsFormat {
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DisplayTime.zone
        let c = calendar.dateComponents([.day, .month, .year, .hour, .minute, .second], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!, c.second!)
    }

    /// A value as text for pages (lists as JSON-like `[a, b]`).
    static func text(_ value: EventValue) -> String {
        switch value {
        case .null: return "null"
        case .array(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        default: return value.text ?? ""
        }
    }

    static func bytes(_ count: Int64) -> String {
        if count >= 1_048_576 { return String(format: "%.1f MB", Double(count) / 1_048_576) }
        if count >= 1024 { return String(format: "%.1f KB", Double(count) / 1024) }
        return "\(count) B"
    }
}
