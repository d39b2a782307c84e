import Foundation
import Domain
import Plot
import Vapor

extension PlansIndex {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let rows: [Body] = model.plans.map { plan in
                let versions = model.versions[plan.id!] ?? []
                let current = PlanService.current(versions)
                return .el("tr", [:], [
                    .el("td", [:], [.link(SiteURL.plans(.show(.value(plan.id!))).path, plan.title)]),
                    .el("td", [:], [.txt(model.agencyNames[plan.agencyId] ?? "—")]),
                    .el("td", [:], [.txt(current.map { t("plans.versionN", String($0.number)) } ?? "—")]),
                    .el("td", [:], [current.map { PlanBadges.state($0.state, t: t) } ?? .empty]),
                    .el("td", [:], [.txt(current?.approvedAt.map(DisplayTime.date) ?? "—")]),
                ])
            }
            return Layout(req: req).page(title: t("plans.title"), section: .plans, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("plans.title"))]),
                    .el("div", ["class": "buttons"], [
                        .link(SiteURL.plans(.scenarios).path, t("scenarios.title"), id: "scenario-library", cls: "button"),
                        Policy.can(req.subject!, .editPlans) ? .link(SiteURL.plans(.new).path, t("plans.new"), id: "new-plan", cls: "button primary") : .empty,
                    ]),
                ]),
                .el("p", ["class": "muted"], [.txt(t("plans.intro"))]),
                .el("table", ["class": "table", "id": "plans"], [
                    .el("thead", [:], [.el("tr", [:], [t("plans.planTitle"), t("plans.agency"), t("plans.version"), t("plans.state"), t("plans.approvedAt")]
                        .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], rows.isEmpty ? [.el("tr", [:], [.el("td", ["colspan": "5", "class": "empty"], [.txt(t("plans.empty"))])])] : rows),
                ]),
            ])
        }
    }
}

enum PlanBadges {
    static func state(_ state: PlanVersionState, t: Localizer) -> Body {
        let cls = switch state {
        case .approved: "ok"
        case .draft: "warn"
        case .superseded: "muted"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("planState.\(state.rawValue)"))])
    }
}
