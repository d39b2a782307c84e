import Foundation
import Domain
import Plot
import Vapor

extension WarningsIndex {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let list = model.list
            let columns: [Tables.Column] = [
                .init(label: t("warnings.number")), .init(label: t("warnings.warningTitle")), .init(label: t("warnings.issuer")),
                .init(label: t("warnings.issuedOn")), .init(label: t("warnings.deadline")), .init(label: t("warnings.affectedSystems")),
                .init(label: t("warnings.progress")),
            ]
            let rows: [[Body]] = model.warnings.map { w in
                let tally = model.tallies[w.id!] ?? Tally()
                return [
                    .link(SiteURL.warnings(.show(.value(w.id!))).path, w.number.flatMap { $0.isEmpty ? nil : $0 } ?? "—"),
                    .group([.link(SiteURL.warnings(.show(.value(w.id!))).path, w.title),
                            WarningText.cves(w).isEmpty ? .empty : .el("p", ["class": "muted small"], [.txt(WarningText.cves(w).prefix(6).joined(separator: ", ")
                                + (WarningText.cves(w).count > 6 ? " …" : ""))])]),
                    .txt(w.issuer),
                    .txt(DisplayTime.date(w.issuedOn)),
                    .txt(w.deadline.map(DisplayTime.date) ?? "—"),
                    .txt(String(tally.systems)),
                    WarningBadges.tally(tally, t: t),
                ]
            }
            return Layout(req: req).page(title: t("warnings.title"), section: .warnings, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("warnings.title"))]),
                    .el("div", ["class": "buttons"], [
                        Policy.can(subject, .manageWarnings) ? .link(SiteURL.warnings(.new).path, t("warnings.new"), id: "new-warning", cls: "button primary") : .empty,
                        Policy.can(subject, .manageWarnings) ? .link(SiteURL.warnings(.importFile).path, t("warnings.import"), id: "import-warnings", cls: "button") : .empty,
                        .link(SiteURL.warnings(.tracking).path, t("warnings.tracking"), id: "warnings-tracking", cls: "button"),
                    ]),
                ]),
                .el("p", ["class": "muted"], [.txt(t(Policy.can(subject, .manageWarnings) ? "warnings.intro" : "warnings.introOfficer"))]),
                .el("form", ["method": "get", "action": SiteURL.warnings(.index).path, "class": "filters", "role": "search"], [
                    .el("label", ["for": "q"], [.txt(t("common.search"))]),
                    .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? "", "placeholder": t("warnings.searchHint")]),
                    Forms.select(name: "state", label: t("warnings.filterState"), options: WarningsIndex.states.map { ($0, t("warnings.filter.\($0)")) },
                                 selected: list.filters["state"], error: nil, includeBlank: t("common.all")),
                    .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
                ]),
                Tables.table(id: "warnings-table", base: .warnings(.index), query: list, columns: columns, rows: rows, empty: t("warnings.empty")),
                Tables.pagination(base: .warnings(.index), query: list, total: model.total, t: t),
            ])
        }
    }
}

/// Small markers shared by the warning pages.
enum WarningBadges {
    static func state(_ raw: String, overdue: Bool, t: Localizer) -> Body {
        let state = WarningSystemState(rawValue: raw) ?? .affected
        let cls = switch state {
        case .affected: overdue ? "danger" : "warn"
        case .acknowledged: overdue ? "danger" : "warn"
        case .remediated: "ok"
        case .notAffected: "muted"
        }
        return .group([
            .el("span", ["class": "badge \(cls)"], [.txt(t("warningState.\(state.rawValue)"))]),
            overdue ? .el("span", ["class": "badge danger"], [.txt(" " + t("warnings.overdue"))]) : .empty,
        ])
    }

    static func tally(_ tally: WarningsIndex.Tally, t: Localizer) -> Body {
        guard tally.systems > 0 else { return .el("span", ["class": "muted"], [.txt(t("warnings.noneAffected"))]) }
        return .group([
            .el("span", ["class": tally.open == 0 ? "badge ok" : "badge warn"],
                [.txt(t("warnings.doneOf", String(tally.remediated + tally.notAffected), String(tally.systems)))]),
            tally.overdue > 0 ? .el("span", ["class": "badge danger"], [.txt(" " + t("warnings.overdueCount", String(tally.overdue)))]) : .empty,
        ])
    }
}
