import Foundation
import Domain
import Plot
import Vapor

extension HuntsIndex {
    struct View {
        let req: Request
        let model: Model
        let list: ListQuery

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let rows: [[Body]] = model.hunts.map { h in
                let progress = HuntShow.progress(h)
                return [
                    .link(SiteURL.hunts(.show(.value(h.id!))).path, h.name),
                    HuntBadges.state(h.state, t: t),
                    .el("progress", ["max": "100", "value": String(progress), "aria-label": t("hunts.progress")], [.txt("\(progress)%")]),
                    .txt(HuntBadges.what(h, t: t)),
                    .txt(HuntsController.number(model.hits[h.id!] ?? 0)),
                    .txt(HuntText.person(h.createdByName)),
                    .txt(h.createdAt.map(DisplayTime.dateTime) ?? "—"),
                ]
            }
            let states: [(value: String, label: String)] = HuntState.allCases.map { ($0.rawValue, t("hunts.state.\($0.rawValue)")) }
            return Layout(req: req).page(title: t("hunts.title"), section: .detection, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("hunts.title"))]),
                    Policy.can(subject, .runHunts) ? .link(SiteURL.hunts(.new).path, t("hunts.new"), id: "new-hunt", cls: "button primary") : .empty,
                ]),
                DetectionTabs.bar(.hunts, req: req),
                .el("p", ["class": "muted"], [.txt(t(HuntReader(subject).seesEverything ? "hunts.intro" : "hunts.introOfficer"))]),
                .el("form", ["method": "get", "action": SiteURL.hunts(.index).path, "class": "filters", "id": "hunt-filters"], [
                    Forms.select(name: "state", label: t("hunts.state"), options: states, selected: list.filters["state"], error: nil,
                                 includeBlank: t("hunts.anyState")),
                    .el("div", ["class": "actions"], [.el("button", ["type": "submit"], [.txt(t("hunts.filter"))])]),
                ]),
                Tables.table(id: "hunts", base: .hunts(.index), query: list, columns: [
                    .init(label: t("hunts.name")), .init(label: t("hunts.state")), .init(label: t("hunts.progress")), .init(label: t("hunts.what")),
                    .init(label: t("hunts.hits")), .init(label: t("hunts.startedBy")), .init(label: t("hunts.createdAt")),
                ], rows: rows, empty: t("hunts.empty")),
                Tables.pagination(base: .hunts(.index), query: list, total: model.total, t: t),
            ])
        }
    }
}

enum HuntBadges {
    static func state(_ state: String, t: Localizer) -> Body {
        let cls = switch state {
        case HuntState.completed.rawValue: "ok"
        case HuntState.running.rawValue: "muted"
        default: "warn"
        }
        let known = HuntState(rawValue: state) != nil
        return .el("span", ["class": "badge \(cls)"], [.txt(known ? t("hunts.state.\(state)") : state)])
    }

    static func level(_ level: String?, t: Localizer) -> Body {
        guard let level, DetectionLevel(rawValue: level) != nil else { return .empty }
        let cls = switch level {
        case "critical", "high": "danger"
        case "medium": "warn"
        default: "muted"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("hunts.level.\(level)"))])
    }

    /// "12 luật · 30 dấu hiệu".
    static func what(_ h: Hunt, t: Localizer) -> String {
        var parts: [String] = []
        if h.rulesCount > 0 { parts.append(t("hunts.rulesCount", String(h.rulesCount))) }
        if h.indicatorsCount > 0 { parts.append(t("hunts.indicatorsCount", String(h.indicatorsCount))) }
        return parts.isEmpty ? "—" : parts.joined(separator: " · ")
    }
}
