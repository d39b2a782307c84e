import Foundation
import Domain
import Plot

/// A server-side SVG bar per duty: overdue, due soon and met, side by side in proportion.
enum DutyChart {
    static func render(_ counts: ObligationsController.Counts, titles: [String: DutyDefinition], lang: String, t: Localizer) -> Body {
        let duties = counts.byDuty.keys.sorted()
        guard !duties.isEmpty else { return .empty }
        let rowHeight = 28
        let labelWidth = 390
        let barWidth = 370
        let height = duties.count * rowHeight + 30
        var nodes: [String] = []
        for (i, duty) in duties.enumerated() {
            let c = counts.byDuty[duty] ?? [:]
            let parts: [(ObligationState, String)] = [(.overdue, "#b42318"), (.dueSoon, "#b54708"), (.met, "#067647")]
            let total = max(1, parts.reduce(0) { $0 + (c[$1.0] ?? 0) })
            let y = i * rowHeight + 4
            let title = titles[duty]?.title.text(lang) ?? duty
            nodes.append("<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(Markup.escape(String(title.prefix(64))))</text>")
            var x = Double(labelWidth)
            for (state, color) in parts {
                let n = c[state] ?? 0
                guard n > 0 else { continue }
                let w = Double(barWidth) * Double(n) / Double(total)
                nodes.append("<rect x=\"\(Int(x))\" y=\"\(y)\" width=\"\(max(1, Int(w.rounded())))\" height=\"20\" fill=\"\(color)\"><title>\(Markup.escape(t("obligationState.\(state.rawValue)"))): \(n)</title></rect>")
                if w > 24 { nodes.append("<text x=\"\(Int(x) + 4)\" y=\"\(y + 14)\" font-size=\"11\" fill=\"#fff\">\(n)</text>") }
                x += w
            }
        }
        let legendY = duties.count * rowHeight + 20
        let legend = [(ObligationState.overdue, "#b42318"), (.dueSoon, "#b54708"), (.met, "#067647")].enumerated().map { i, item in
            "<rect x=\"\(labelWidth + i * 120)\" y=\"\(legendY - 10)\" width=\"10\" height=\"10\" fill=\"\(item.1)\"/><text x=\"\(labelWidth + i * 120 + 14)\" y=\"\(legendY)\" font-size=\"11\">\(Markup.escape(t("obligationState.\(item.0.rawValue)")))</text>"
        }
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(labelWidth + barWidth) \(height)\" role=\"img\" aria-label=\"\(Markup.escape(t("home.dutyChart")))\" class=\"chart\">\(nodes.joined())\(legend.joined())</svg>"
        return .el("figure", ["class": "card chart", "id": "duty-chart"], [.raw(svg), .el("figcaption", ["class": "muted small"], [.txt(t("home.dutyChart"))])])
    }
}
