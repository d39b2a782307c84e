import Foundation
import Detection
import Domain

/// Texts about a hunt that are stored (in the recorded assessments, in both languages as other imports write them) or
/// shown on several pages.
enum HuntText {
    /// What was hunted: name, time range, rules and indicators.
    static func assessmentScope(_ hunt: Hunt, rules: [HuntRuleRef], indicators: [Indicator]) -> String {
        let range = "\(DisplayTime.date(hunt.fromAt)) – \(DisplayTime.date(hunt.toAt))"
        let (ruleVi, ruleEn) = ruleChoice(hunt, count: rules.count)
        let kinds = Dictionary(grouping: indicators, by: \.kind).mapValues(\.count)
        let viKinds: [IndicatorKind: String] = [.ip: "IP", .domain: "tên miền", .hash: "mã băm", .string: "chuỗi"]
        let enKinds: [IndicatorKind: String] = [.ip: "IP", .domain: "domains", .hash: "hashes", .string: "strings"]
        let order = IndicatorKind.allCases.filter { (kinds[$0] ?? 0) > 0 }
        var vi = "Săn lùng «\(hunt.name)» trên UngCuu; sự kiện \(range)"
        var en = "UngCuu hunt «\(hunt.name)»; events \(range)"
        if !rules.isEmpty {
            vi += "; \(rules.count) luật Sigma (\(ruleVi))"
            en += "; \(rules.count) Sigma rules (\(ruleEn))"
        }
        if !indicators.isEmpty {
            vi += "; \(indicators.count) dấu hiệu IoC (" + order.map { "\(kinds[$0]!) \(viKinds[$0]!)" }.joined(separator: ", ") + ")"
            en += "; \(indicators.count) indicators (" + order.map { "\(kinds[$0]!) \(enKinds[$0]!)" }.joined(separator: ", ") + ")"
        }
        return String((vi + " / " + en).prefix(4000))
    }

    /// How the rules were chosen, in Vietnamese and English.
    static func ruleChoice(_ hunt: Hunt, count: Int) -> (String, String) {
        switch hunt.ruleMode {
        case "tag": return ("thẻ \(hunt.ruleTag ?? "")", "tag \(hunt.ruleTag ?? "")")
        case "level": return ("mức từ \(hunt.ruleLevel ?? "")", "level \(hunt.ruleLevel ?? "") and above")
        case "all": return ("mọi luật đang bật", "every enabled rule")
        default: return ("chọn riêng", "chosen one by one")
        }
    }

    /// The result on one system: hits per rule and indicator, and where to see them.
    static func assessmentSummary(_ hunt: Hunt, entries: [(key: HuntTally.CountKey, value: Int64)], link: String) -> String {
        var byGroup: [String: (label: String, kind: String, indicatorKind: String?, hits: Int64)] = [:]
        for (key, value) in entries {
            let current = byGroup[key.groupKey]
            byGroup[key.groupKey] = (key.label, key.kind, key.indicatorKind, (current?.hits ?? 0) + value)
        }
        let total = byGroup.values.reduce(Int64(0)) { $0 + $1.hits }
        guard total > 0 else {
            return "Không có sự kiện nào của hệ thống khớp luật hoặc dấu hiệu của cuộc săn. Chi tiết: \(link) / "
                + "No event of this system matched the hunt's rules or indicators. Details: \(link)"
        }
        let ordered = byGroup.values.sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.label < $1.label }
        let items = ordered.prefix(20).map { g in
            (g.kind == "rule" ? "\(g.label)" : "\(g.label) (\(g.indicatorKind ?? "ioc"))") + ": \(g.hits)"
        }.joined(separator: "; ") + (ordered.count > 20 ? "; …" : "")
        let text = "\(total) sự kiện khớp trên hệ thống này — \(items). Chi tiết: \(link) / "
            + "\(total) matching events on this system — \(items). Details: \(link)"
        return String(text.prefix(8000))
    }

    /// "Name <e-mail>" (how the audit trail names people) → "Name".
    static func person(_ label: String) -> String {
        guard let cut = label.range(of: " <") else { return label }
        return String(label[..<cut.lowerBound])
    }
}
