import Foundation
import Domain
import Formats
import Plot
import Vapor

extension ProactiveOverview {
    struct View {
        let req: Request
        let model: Model
        var filterErrors: [String: String] = [:]

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let f = model.filters
            let periodQuery = ["year": String(f.period.year), "half": String(f.period.half.rawValue),
                               "agencyId": f.agencyId?.uuidString.lowercased() ?? ""]
            var content: [Body] = [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("proactive.title"))]),
                    .el("div", ["class": "buttons"], [
                        Policy.can(subject, .recordAssessments)
                            ? .link(SiteURL.proactive(.newAssessment).path, t("proactive.record"), id: "record-assessment", cls: "button primary") : .empty,
                        .link(SiteURL.proactive(.reportDocx).path(query: periodQuery), t("proactive.reportDocx"), id: "report-docx", cls: "button"),
                        .link(SiteURL.proactive(.reportXlsx).path(query: periodQuery), t("proactive.reportXlsx"), id: "report-xlsx", cls: "button"),
                    ]),
                ]),
                .el("p", ["class": "muted"], [.txt(t("proactive.intro", String(model.scanMonths), String(model.huntMonths)))]),
                filters(),
                stats(),
                chart(),
            ]
            if model.groups.isEmpty {
                content.append(.el("p", ["class": "empty", "id": "no-systems"], [.txt(f.onlyOverdue ? t("proactive.noneOverdue") : t("proactive.noSystems"))]))
            }
            for group in model.groups { content.append(table(group)) }
            return Layout(req: req).page(title: t("proactive.title"), section: .proactive, flash: FlashMessage.from(req),
                                         content: [.el("div", ["id": "proactive"], content)])
        }

        private func filters() -> Body {
            let t = req.t
            let f = model.filters
            let current = ProactiveReportPeriod.containing(Date())
            let years = Array((2022...max(current.year, f.period.year)).reversed())
            let err: (String) -> String? = { filterErrors[$0].map { t($0) } }
            return .el("form", ["method": "get", "action": SiteURL.proactive(.index).path, "class": "filters", "id": "proactive-filters"], [
                Forms.select(name: "agencyId", label: t("proactive.agency"),
                             options: model.agencyChoices.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: f.agencyId?.uuidString.lowercased(), error: err("agencyId"), includeBlank: t("common.all")),
                Forms.select(name: "state", label: t("proactive.dutyState"),
                             options: [("all", t("common.all")), ("overdue", t("proactive.onlyOverdue"))],
                             selected: f.onlyOverdue ? "overdue" : "all", error: err("state")),
                Forms.select(name: "year", label: t("proactive.year"), options: years.map { (String($0), String($0)) },
                             selected: String(f.period.year), error: err("year")),
                Forms.select(name: "half", label: t("proactive.half"), options: [("1", t("proactive.half1")), ("2", t("proactive.half2"))],
                             selected: String(f.period.half.rawValue), error: err("half")),
                .el("div", ["class": "actions"], [.el("button", ["type": "submit", "id": "filter"], [.txt(t("common.filter"))])]),
            ])
        }

        private func stats() -> Body {
            let t = req.t
            let s = model.summary
            let locale = Locale(identifier: req.lang == .vi ? "vi_VN" : "en_US")
            func stat(_ value: String, _ label: String, id: String) -> Body {
                .el("div", ["class": "stat", "id": id], [.el("span", ["class": "number"], [.txt(value)]), .txt(label)])
            }
            func n(_ v: Int) -> String { v.formatted(.number.locale(locale)) }
            return .el("section", ["class": "stats", "id": "proactive-stats", "aria-label": t("proactive.figures")], [
                stat(n(s.inDuty), t("proactive.stat.inDuty"), id: "stat-in-duty"),
                stat("\(s.scannedPercent)%", t("proactive.stat.scanned", String(model.scanMonths)), id: "stat-scanned"),
                stat("\(s.huntedPercent)%", t("proactive.stat.hunted", String(model.huntMonths)), id: "stat-hunted"),
                stat(n(s.scanStates[.overdue] ?? 0), t("proactive.stat.scanOverdue"), id: "stat-scan-overdue"),
                stat(n(s.huntStates[.overdue] ?? 0), t("proactive.stat.huntOverdue"), id: "stat-hunt-overdue"),
                stat(n(s.overdueFindings), t("proactive.stat.findingsOverdue"), id: "stat-findings-overdue"),
                stat("\(n(s.scansInPeriod)) / \(n(s.huntsInPeriod))", t("proactive.stat.inPeriod", model.filters.period.label(req.lang == .vi ? .vi : .en)), id: "stat-in-period"),
            ])
        }

        /// One bar per duty: within the interval, due soon, overdue (of the systems that must be scanned and hunted).
        private func chart() -> Body {
            let t = req.t
            let s = model.summary
            guard s.systems > 0 else { return .empty }
            let rows: [(String, [ObligationState: Int])] = [
                (t("proactive.chart.scan"), s.scanStates), (t("proactive.chart.hunt"), s.huntStates), (t("proactive.chart.findings"), s.findingsStates),
            ]
            let parts: [(ObligationState, String)] = [(.met, "#067647"), (.dueSoon, "#b54708"), (.overdue, "#b42318")]
            let labelWidth = 230, barWidth = 420, rowHeight = 28
            var nodes: [String] = []
            for (i, (label, counts)) in rows.enumerated() {
                let y = i * rowHeight + 4
                nodes.append("<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(Markup.escape(label))</text>")
                let total = parts.reduce(0) { $0 + (counts[$1.0] ?? 0) }
                guard total > 0 else {
                    nodes.append("<text x=\"\(labelWidth)\" y=\"\(y + 15)\" font-size=\"11\" fill=\"#667085\">\(Markup.escape(t("proactive.chart.none")))</text>")
                    continue
                }
                var x = Double(labelWidth)
                for (state, color) in parts {
                    let count = counts[state] ?? 0
                    guard count > 0 else { continue }
                    let w = Double(barWidth) * Double(count) / Double(total)
                    nodes.append("<rect x=\"\(Int(x))\" y=\"\(y)\" width=\"\(max(1, Int(w.rounded())))\" height=\"20\" fill=\"\(color)\"><title>\(Markup.escape(t("obligationState.\(state.rawValue)"))): \(count)</title></rect>")
                    if w > 24 { nodes.append("<text x=\"\(Int(x) + 4)\" y=\"\(y + 14)\" font-size=\"11\" fill=\"#fff\">\(count)</text>") }
                    x += w
                }
            }
            let legendY = rows.count * rowHeight + 20
            let legend = parts.enumerated().map { i, item in
                "<rect x=\"\(labelWidth + i * 130)\" y=\"\(legendY - 10)\" width=\"10\" height=\"10\" fill=\"\(item.1)\"/><text x=\"\(labelWidth + i * 130 + 14)\" y=\"\(legendY)\" font-size=\"11\">\(Markup.escape(t("obligationState.\(item.0.rawValue)")))</text>"
            }
            let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(labelWidth + barWidth) \(legendY + 6)\" role=\"img\" aria-label=\"\(Markup.escape(t("proactive.chart.title")))\" class=\"chart\">\(nodes.joined())\(legend.joined())</svg>"
            return .el("figure", ["class": "card chart", "id": "proactive-chart"], [.raw(svg), .el("figcaption", ["class": "muted small"], [.txt(t("proactive.chart.title"))])])
        }

        private func table(_ group: AgencyGroup) -> Body {
            let t = req.t
            let lang = req.lang
            let rows: [Body] = group.rows.map { r in
                let sid = r.systemId.uuidString.lowercased()
                let severities: [Body] = FindingSeverity.allCases.sorted(by: >).compactMap { s in
                    guard let n = r.openBySeverity[s], n > 0 else { return nil }
                    return .el("span", ["class": "badge \(s >= .high ? "danger" : s == .medium ? "warn" : "muted")", "title": t("proactive.severity.\(s.rawValue)")],
                               [.txt("\(t("proactive.severityShort.\(s.rawValue)")) \(n)")])
                }
                return .el("tr", ["id": "system-\(sid)"], [
                    .el("td", [:], [.link(SiteURL.system(.value(r.systemId)).path, r.name), .el("div", ["class": "muted small"], [.txt(r.code)])]),
                    .el("td", [:], activity(r.lastScan, lang: lang)),
                    .el("td", ["class": "scan-state"], [ProactiveBadges.duty(r.scanDuty, never: r.lastScan == nil, t: t)]),
                    .el("td", [:], activity(r.lastHunt, lang: lang)),
                    .el("td", ["class": "hunt-state"], [ProactiveBadges.duty(r.huntDuty, never: r.lastHunt == nil, t: t)]),
                    .el("td", ["class": "in-period"], [.txt("\(r.scansInPeriod) / \(r.huntsInPeriod)")]),
                    .el("td", ["class": "open-findings"], severities.isEmpty ? [.txt("0")] : [.el("span", ["class": "badges"], severities)]),
                    .el("td", ["class": "overdue-findings"], [
                        r.overdueFindings > 0
                            ? .link(SiteURL.findings(.index).path(query: ["system": sid, "overdue": "1"]), String(r.overdueFindings), cls: "badge danger")
                            : .txt("0"),
                    ]),
                ])
            }
            return .el("section", ["class": "card", "id": "agency-\(group.agencyId.uuidString.lowercased())"], [
                .el("h2", [:], [.txt(group.name), .el("span", ["class": "muted small"], [.txt(" · " + t("proactive.systemsN", String(group.rows.count)))])]),
                .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [
                        t("proactive.system"), t("proactive.lastScan"), t("proactive.scanDuty"), t("proactive.lastHunt"), t("proactive.huntDuty"),
                        t("proactive.inPeriod"), t("proactive.openFindings"), t("proactive.overdueFindings"),
                    ].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
            ])
        }

        private func activity(_ a: Activity?, lang: Lang) -> [Body] {
            guard let a else { return [.el("span", ["class": "muted"], [.txt(req.t("proactive.never"))])] }
            let kind = AssessmentPerformer(rawValue: a.performerKind)?.label.text(lang) ?? a.performerKind
            return [.link(SiteURL.proactive(.assessment(.value(a.id))).path, DisplayTime.date(a.at)),
                    .el("div", ["class": "muted small"], [.txt("\(a.performer) (\(kind))")])]
        }
    }
}
