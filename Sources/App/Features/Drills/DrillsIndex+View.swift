import Foundation
import Domain
import Plot
import Vapor

extension DrillsIndex {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let rows: [Body] = model.drills.map { d in
                .el("tr", [:], [
                    .el("td", [:], [.link(SiteURL.drills(.show(.value(d.id!))).path, d.title)]),
                    .el("td", [:], [.txt(t("drillKind.\(d.kind.rawValue)"))]),
                    .el("td", [:], [.txt(model.agencyNames[d.agencyId] ?? "—")]),
                    .el("td", [:], [.txt(String(model.systemCounts[d.id!] ?? 0))]),
                    .el("td", [:], [.txt(DisplayTime.date(d.executedOn ?? d.plannedOn))]),
                    .el("td", [:], [DrillBadges.state(d.state, t: t)]),
                ])
            }
            return Layout(req: req).page(title: t("drills.title"), section: .drills, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("drills.title"))]),
                    Policy.can(req.subject!, .recordDrills) ? .link(SiteURL.drills(.new).path, t("drills.new"), id: "new-drill", cls: "button primary") : .empty,
                ]),
                .el("p", ["class": "muted"], [.txt(t("drills.intro"))]),
                .el("table", ["class": "table", "id": "drills"], [
                    .el("thead", [:], [.el("tr", [:], [t("drills.drillTitle"), t("drills.kind"), t("drills.agency"), t("drills.systems"), t("drills.date"),
                                                       t("drills.state")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], rows.isEmpty ? [.el("tr", [:], [.el("td", ["colspan": "6", "class": "empty"], [.txt(t("drills.empty"))])])] : rows),
                ]),
            ])
        }
    }
}

enum DrillBadges {
    static func state(_ state: DrillState, t: Localizer) -> Body {
        let cls = switch state {
        case .planned: "warn"
        case .executed: "ok"
        case .reportFiled: "ok"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("drillState.\(state.rawValue)"))])
    }
}
