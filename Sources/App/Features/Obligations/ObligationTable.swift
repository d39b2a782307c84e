import Foundation
import Domain
import Plot
import Vapor

/// A table of obligation occurrences: duty, state, due date, why, legal basis.
enum ObligationTable {
    static func render(_ obligations: [Obligation], lang: String, t: Localizer, showSubject: Bool, systemNames: [UUID: String]) -> Body {
        guard !obligations.isEmpty else { return .el("p", ["class": "muted"], [.txt(t("obligations.none"))]) }
        var head = [t("obligations.duty"), t("obligations.state"), t("obligations.due"), t("obligations.explanation"), t("obligations.basis")]
        if showSubject { head.insert(t("obligations.system"), at: 0) }
        return .el("table", ["class": "table obligations"], [
            .el("thead", [:], [.el("tr", [:], head.map { .el("th", ["scope": "col"], [.txt($0)]) })]),
            .el("tbody", [:], obligations.map { o in
                var cells: [Body] = [
                    .el("td", [:], [.txt(o.title(lang))]),
                    .el("td", ["data-state": o.state.rawValue], [SystemBadges.obligation(o, t: t)]),
                    .el("td", [:], [.txt(o.dueAt.map(DisplayTime.date) ?? "—")]),
                    .el("td", [:], [.txt(o.explanation(lang))]),
                    .el("td", ["class": "small"], [.txt(o.basis), .el("span", ["class": "muted"], [.txt(" · \(o.ruleId) \(o.ruleVersion)")])]),
                ]
                if showSubject {
                    cells.insert(.el("td", [:], [.link(ObligationSubjects.path(o), systemNames[o.subjectId] ?? "—")]), at: 0)
                }
                return .el("tr", [:], cells)
            }),
        ])
    }
}
