import Foundation

/// The Vietnamese and English explanations of a clock's state.
struct IncidentClockText {
    let definition: IncidentClockDefinition

    private func t(_ vi: String, _ en: String) -> LocalizedText { LocalizedText(vi: vi, en: en) }

    private var amount: LocalizedText {
        let n = definition.amount
        switch definition.unit {
        case .hours where n == 0: return t("ngay", "immediately")
        case .hours: return t("\(n) giờ", n == 1 ? "1 hour" : "\(n) hours")
        case .calendarDays: return t("\(n) ngày", n == 1 ? "1 calendar day" : "\(n) calendar days")
        case .workingDays: return t("\(n) ngày làm việc", n == 1 ? "1 working day" : "\(n) working days")
        }
    }

    static func anchorName(_ anchor: IncidentClockAnchor) -> LocalizedText {
        switch anchor {
        case .detectedAt: LocalizedText(vi: "thời điểm phát hiện sự cố", en: "detection")
        case .occurredAt: LocalizedText(vi: "thời điểm xảy ra sự cố", en: "occurrence")
        case .responseCompletedAt: LocalizedText(vi: "thời điểm kết thúc ứng phó sự cố", en: "the end of the response")
        case .seriousConfirmedAt: LocalizedText(vi: "thời điểm xác nhận sự cố nghiêm trọng", en: "confirmation as a serious incident")
        }
    }

    /// "hạn 30/11/2026 10:00 (5 ngày kể từ thời điểm phát hiện sự cố 25/11/2026 10:00)".
    func term(start: Date?, due: Date?, holidays: HolidayCalendar?) -> LocalizedText {
        guard let start, let due else { return t("", "") }
        let anchor = Self.anchorName(definition.countsFrom)
        var vi = "hạn \(DisplayTime.dateTime(due)) (\(amount.vi) kể từ \(anchor.vi) \(DisplayTime.dateTime(start)))"
        var en = "due \(DisplayTime.dateTime(due)) (\(amount.en) from \(anchor.en), \(DisplayTime.dateTime(start)))"
        if definition.unit == .workingDays, !DeadlineCalculator.holidaysCover(from: start, to: due, holidays: holidays) {
            vi += "; lịch ngày nghỉ lễ chưa có năm này nên chỉ trừ thứ Bảy, Chủ nhật"
            en += "; the holiday calendar does not cover this year, so only weekends were skipped"
        }
        return t(vi, en)
    }

    static func duration(_ seconds: TimeInterval) -> LocalizedText {
        let total = Int(seconds.rounded(.down))
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60
        if days > 0 {
            return LocalizedText(vi: hours > 0 ? "\(days) ngày \(hours) giờ" : "\(days) ngày", en: hours > 0 ? "\(days) d \(hours) h" : "\(days) d")
        }
        if hours > 0 {
            return LocalizedText(vi: minutes > 0 ? "\(hours) giờ \(minutes) phút" : "\(hours) giờ", en: minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h")
        }
        if minutes > 0 { return LocalizedText(vi: "\(minutes) phút", en: "\(minutes) min") }
        return LocalizedText(vi: "dưới 1 phút", en: "under a minute")
    }

    func running(term: LocalizedText, left: TimeInterval) -> LocalizedText {
        let d = Self.duration(left)
        return t("Còn \(d.vi): \(term.vi).", "\(d.en) left: \(term.en).")
    }

    func overdue(term: LocalizedText, by: TimeInterval) -> LocalizedText {
        let d = Self.duration(by)
        return t("Quá hạn \(d.vi): \(term.vi).", "Overdue by \(d.en): \(term.en).")
    }

    func sentOnTime(_ sent: Date, term: LocalizedText?) -> LocalizedText {
        guard let term else { return t("Đã gửi lúc \(DisplayTime.dateTime(sent)).", "Sent at \(DisplayTime.dateTime(sent)).") }
        return t("Đã gửi lúc \(DisplayTime.dateTime(sent)), trong hạn: \(term.vi).", "Sent at \(DisplayTime.dateTime(sent)), on time: \(term.en).")
    }

    func sentLate(_ sent: Date, due: Date, late: TimeInterval) -> LocalizedText {
        let d = Self.duration(late)
        return t(
            "Đã gửi lúc \(DisplayTime.dateTime(sent)), trễ \(d.vi) so với hạn \(DisplayTime.dateTime(due)).",
            "Sent at \(DisplayTime.dateTime(sent)), \(d.en) after the due time \(DisplayTime.dateTime(due)).")
    }

    func closedWithout(_ resolution: IncidentResolution) -> LocalizedText {
        switch resolution {
        case .duplicate:
            t("Không áp dụng: hồ sơ được đóng vì trùng với một sự cố khác, nghĩa vụ báo cáo thuộc sự cố đó.",
              "Not applicable: the case was closed as a duplicate; the other case carries the reporting duties.")
        case .notAnIncident:
            t("Không áp dụng: hồ sơ được đóng vì không phải sự cố.", "Not applicable: the case was closed as not an incident.")
        case .resolved:
            t("", "")
        }
    }

    func conditionFails(_ condition: IncidentClockCondition, sentAnyway sent: Date?) -> LocalizedText {
        var text: LocalizedText
        switch condition {
        case .always: text = t("Không áp dụng.", "Not applicable.")
        case .beyondCapability:
            text = t("Không áp dụng: đơn vị tự xử lý được sự cố.", "Not applicable: the agency can handle the incident alone.")
        case .personalDataInvolved:
            text = t("Không áp dụng: sự cố không liên quan đến dữ liệu cá nhân.", "Not applicable: no personal data is involved.")
        case .seriousConfirmed:
            text = t("Không áp dụng: sự cố chưa được xác nhận là sự cố nghiêm trọng.", "Not applicable: the incident has not been confirmed as serious.")
        }
        if let sent {
            text.vi += " Báo cáo vẫn đã được gửi lúc \(DisplayTime.dateTime(sent))."
            text.en += " A report was sent anyway at \(DisplayTime.dateTime(sent))."
        }
        return text
    }

    func waiting(_ anchor: IncidentClockAnchor) -> LocalizedText {
        let name = Self.anchorName(anchor)
        return t("Chưa bắt đầu tính: thời hạn \(amount.vi) tính từ \(name.vi).", "Not started: \(amount.en) counted from \(name.en).")
    }

    func closedBeforeStart(_ closedAt: Date) -> LocalizedText {
        t("Không áp dụng: hồ sơ đã đóng lúc \(DisplayTime.dateTime(closedAt)) trước khi thời hạn bắt đầu.",
          "Not applicable: the case was closed at \(DisplayTime.dateTime(closedAt)) before this clock started.")
    }

    func closedBeforeDue(_ closedAt: Date, term: LocalizedText) -> LocalizedText {
        t("Không áp dụng: hồ sơ đã đóng lúc \(DisplayTime.dateTime(closedAt)), trước khi đến hạn báo cáo (\(term.vi)).",
          "Not applicable: the case was closed at \(DisplayTime.dateTime(closedAt)), before this report fell due (\(term.en)).")
    }
}
