import Foundation
import Domain
import Plot

enum IncidentBadges {
    static func phase(_ raw: String, t: Localizer) -> Body {
        let cls = raw == IncidentPhase.closed.rawValue ? "muted" : raw == IncidentPhase.detected.rawValue ? "danger" : "warn"
        return .el("span", ["class": "badge \(cls)", "data-phase": raw], [.txt(t("incidentPhase.\(raw)"))])
    }

    static func severity(_ raw: String?, t: Localizer) -> Body {
        guard let raw else { return .el("span", ["class": "badge muted"], [.txt(t("incidents.severityUnset"))]) }
        let cls = raw == "critical" || raw == "high" ? "danger" : raw == "medium" ? "warn" : "ok"
        return .el("span", ["class": "badge \(cls)", "data-severity": raw], [.txt(t("severity.\(raw)"))])
    }

    static func tlp(_ raw: String) -> Body {
        .el("span", ["class": "badge tlp tlp-\(raw.replacingOccurrences(of: "_", with: "-"))", "title": "Traffic Light Protocol 2.0"],
            [.txt("TLP:" + raw.uppercased().replacingOccurrences(of: "_", with: "+"))])
    }

    static func clock(_ state: IncidentClockState, t: Localizer) -> Body {
        let cls = switch state {
        case .overdue, .doneLate: "danger"
        case .dueSoon: "warn"
        case .done: "ok"
        case .pending: "active"
        case .waiting, .notApplicable: "muted"
        }
        return .el("span", ["class": "badge \(cls)", "data-clock": state.rawValue], [.txt(t("clockState.\(state.rawValue)"))])
    }

    /// "còn 2 ngày 3 giờ" / "quá hạn 5 giờ".
    static func remaining(_ seconds: Int?, t: Localizer) -> String {
        guard let seconds else { return "" }
        let magnitude = abs(seconds)
        let days = magnitude / 86_400
        let hours = (magnitude % 86_400) / 3600
        let minutes = (magnitude % 3600) / 60
        let span = days > 0 ? t("duration.daysHours", String(days), String(hours))
            : hours > 0 ? t("duration.hoursMinutes", String(hours), String(minutes)) : t("duration.minutes", String(minutes))
        return seconds >= 0 ? t("clock.remaining", span) : t("clock.overdueBy", span)
    }
}
