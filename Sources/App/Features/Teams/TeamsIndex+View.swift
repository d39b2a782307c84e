import Foundation
import Domain
import Plot
import Vapor

extension TeamsIndex {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let rows: [[Body]] = model.teams.map { team in
                let id = team.id!
                return [
                    .link(SiteURL.teams(.show(.value(id))).path, team.name),
                    .txt(t("teamKind.\(team.kind.rawValue)")),
                    .txt(model.agencyNames[team.agencyId] ?? "—"),
                    .txt(String(model.experts[id] ?? 0)),
                    .txt(team.validTo.map(DisplayTime.date) ?? "—"),
                    .group((model.behind[id] ?? []).map { o in .group([SystemBadges.obligation(o, t: t), .txt(" " + o.title(req.lang.rawValue) + " ")]) }),
                ]
            }
            return Layout(req: req).page(title: t("teams.title"), section: .teams, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("teams.title"))]),
                    Policy.can(subject, .manageTeams) ? .link(SiteURL.teams(.new).path, t("teams.new"), id: "new-team", cls: "button primary") : .empty,
                ]),
                .el("p", ["class": "muted"], [.txt(t("teams.intro"))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "teams", "class": "table"], [
                        .el("thead", [:], [.el("tr", [:], [t("teams.name"), t("teams.kind"), t("teams.agency"), t("teams.experts"), t("teams.validTo"),
                                                           t("obligations.behind")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], rows.isEmpty ? [.el("tr", [:], [.el("td", ["colspan": "6", "class": "empty"], [.txt(t("teams.empty"))])])]
                            : rows.map { .el("tr", [:], $0.map { .el("td", [:], [$0]) }) }),
                    ]),
                ]),
            ])
        }
    }
}
