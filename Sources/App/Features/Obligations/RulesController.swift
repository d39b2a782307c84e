import Foundation
import Domain
import Plot
import Vapor

/// The rule data in force: which file, which version, since when, on what legal basis, how sure.
enum RulesController {
    static func index(req: Request) async throws -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let files = req.application.rules.files
        return Layout(req: req).page(title: t("rules.title"), section: .controls, content: [
            .el("h1", [:], [.txt(t("rules.title"))]),
            .el("p", ["class": "muted"], [.txt(t("rules.intro"))]),
            .el("table", ["class": "table", "id": "rules"], [
                .el("thead", [:], [.el("tr", [:], [t("rules.id"), t("rules.version"), t("rules.effective"), t("rules.basis"), t("rules.confidence"),
                                                   t("rules.source")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                .el("tbody", [:], files.map { f in
                    let h = f.header
                    return .el("tr", [:], [
                        .el("td", [:], [.el("code", [:], [.txt(h.id)]), .el("br"), .txt(h.title.text(lang))]),
                        .el("td", [:], [.txt(h.version)]),
                        .el("td", [:], [.txt(h.effectiveFrom + (h.effectiveTo.map { " → \($0)" } ?? ""))]),
                        .el("td", ["class": "small"], [.txt(h.basis.map(\.citation).joined(separator: "; "))]),
                        .el("td", [:], [.el("span", ["class": h.confidence == .confirmed ? "badge ok" : "badge warn"], [.txt(t("confidence.\(h.confidence.rawValue)"))])]),
                        .el("td", [:], [.txt(f.isOverride ? t("rules.override") : t("rules.shipped"))]),
                    ])
                }),
            ]),
        ])
    }
}
