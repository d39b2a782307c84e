import Foundation
import Domain
import Plot
import Vapor

enum IncidentFiguresView {
    static func render(_ f: IncidentFigures.Figures, req: Request) -> Body {
        let t = req.t
        let locale = Locale(identifier: req.lang == .vi ? "vi_VN" : "en_US")
        func stat(_ value: String, _ label: String, _ href: String?, id: String) -> Body {
            .el("div", ["class": "stat", "id": id], [.el("span", ["class": "number"], [.txt(value)]), href.map { .link($0, label) } ?? .txt(label)])
        }
        func count(_ n: Int) -> String { n.formatted(.number.locale(locale)) }
        func hours(_ seconds: Double?) -> String {
            guard let seconds else { return "—" }
            return t("incidents.hoursValue", (seconds / 3600).formatted(.number.precision(.fractionLength(1)).locale(locale)))
        }
        let list = SiteURL.incidents(.index)
        var stats: [Body] = [stat(count(f.open), t("incidents.openCases"), list.path(query: ["phase": "open"]), id: "stat-open")]
        for severity in IncidentSeverity.allCases.reversed() {
            stats.append(stat(count(f.openBySeverity[severity.rawValue] ?? 0), t("incidents.openSeverity", t("severity.\(severity.rawValue)")),
                              list.path(query: ["phase": "open", "severity": severity.rawValue]), id: "stat-\(severity.rawValue)"))
        }
        stats.append(stat(count(f.openBySeverity[""] ?? 0), t("incidents.openUnrated"), list.path(query: ["phase": "open", "severity": "none"]),
                          id: "stat-unrated"))
        stats.append(stat(count(f.overdueClocks), t("incidents.overdueClockCount"), list.path(query: ["overdue": "1"]), id: "stat-overdue-clocks"))
        stats.append(stat(hours(f.meanSecondsToTriage), t("incidents.meanTriage"), nil, id: "stat-mttt"))
        stats.append(stat(hours(f.meanSecondsToClose), t("incidents.meanClose"), nil, id: "stat-mttc"))
        return .group([
            .el("h2", [:], [.txt(t("incidents.title"))]),
            .el("section", ["class": "stats", "id": "incident-stats", "aria-label": t("incidents.title")], stats),
        ])
    }
}
