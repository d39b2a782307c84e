import Foundation
import Domain
import Plot
import Vapor

/// The scenario template library (rule data `response.scenarios`).
struct ScenariosView {
    let req: Request
    let library: ScenarioLibrary

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let h = library.header
        return Layout(req: req).page(title: t("scenarios.title"), section: .plans, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.plans(.index).path, t("plans.title"))]),
            .el("h1", [:], [.txt(t("scenarios.title"))]),
            .el("p", ["class": "muted"], [.txt("\(h.id) \(h.version) · \(h.basis.map(\.citation).joined(separator: "; "))")]),
            .group(library.scenarios.map { s in
                .el("section", ["class": "card scenario", "id": "scenario-\(s.id)"], [
                    .el("h2", [:], [.txt(s.title.text(lang))]),
                    .el("p", ["class": "muted"], [.txt(s.summary.text(lang))]),
                    .group(ResponsePhase.allCases.map { phase in
                        .group([.el("h3", [:], [.txt(t("responsePhase.\(phase.rawValue)"))]),
                                .el("ol", [:], s.steps(phase).map { .el("li", [:], [.txt($0.text.text(lang))]) })])
                    }),
                ])
            }),
        ])
    }
}
