import Foundation

/// One dated day of the holiday calendar.
public struct CalendarDay: Codable, Sendable, Equatable {
    /// `yyyy-MM-dd`, a day in Vietnam.
    public var date: String
    public var name: LocalizedText
    public var confidence: Confidence
    public var note: LocalizedText?

    public init(date: String, name: LocalizedText, confidence: Confidence, note: LocalizedText? = nil) {
        self.date = date
        self.name = name
        self.confidence = confidence
        self.note = note
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try c.rejectUnknownKeys(["date", "name", "confidence", "note"])
        date = try c.decode(String.self, forKey: AnyCodingKey("date"))
        if RuleFileHeader.day(date) == nil {
            throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("date"), in: c, debugDescription: "not a date yyyy-MM-dd: \"\(date)\"")
        }
        name = try c.decode(LocalizedText.self, forKey: AnyCodingKey("name"))
        try c.nonBlank(name, "name")
        confidence = try c.decode(Confidence.self, forKey: AnyCodingKey("confidence"))
        note = try c.decodeIfPresent(LocalizedText.self, forKey: AnyCodingKey("note"))
    }
}

/// `calendar.holidays`: the weekdays off of public bodies (public holidays, Tết, compensatory and swapped
/// days) and the weekend days worked instead. Read only by deadlines counted in working days.
public struct HolidayCalendar: RuleFileContent, Equatable {
    public static let ruleId = "calendar.holidays"
    public var header: RuleFileHeader
    /// The years the list is complete for; working days outside them count weekends only.
    public var firstYear: Int
    public var lastYear: Int
    public var holidays: [CalendarDay]
    /// Saturdays or Sundays that are working days (made up for a swapped weekday).
    public var makeUpWorkingDays: [CalendarDay]

    public init(header: RuleFileHeader, firstYear: Int, lastYear: Int, holidays: [CalendarDay], makeUpWorkingDays: [CalendarDay] = []) {
        self.header = header
        self.firstYear = firstYear
        self.lastYear = lastYear
        self.holidays = holidays
        self.makeUpWorkingDays = makeUpWorkingDays
    }

    public init(from decoder: any Decoder) throws {
        let allowed: Set<String> = ["firstYear", "lastYear", "holidays", "makeUpWorkingDays"]
        let decoded = try decodeRuleFile(decoder, allowedParameters: allowed) { p in
            let first = try p.decode(Int.self, forKey: AnyCodingKey("firstYear"))
            let last = try p.decode(Int.self, forKey: AnyCodingKey("lastYear"))
            guard (1900...9999).contains(first), (first...9999).contains(last) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("lastYear"), in: p, debugDescription: "years must satisfy 1900 ≤ firstYear ≤ lastYear ≤ 9999")
            }
            let holidays = try p.decode([CalendarDay].self, forKey: AnyCodingKey("holidays"))
            let makeUp = try p.decodeIfPresent([CalendarDay].self, forKey: AnyCodingKey("makeUpWorkingDays")) ?? []
            var seen = Set<String>()
            for (key, list) in [("holidays", holidays), ("makeUpWorkingDays", makeUp)] {
                for (index, day) in list.enumerated() {
                    let year = Int(day.date.prefix(4)) ?? 0
                    if !(first...last).contains(year) {
                        throw try p.errorInList(key, index: index, field: "date", "\(day.date) is outside \(first)–\(last)")
                    }
                    if !seen.insert(day.date).inserted {
                        throw try p.errorInList(key, index: index, field: "date", "\(day.date) is listed twice")
                    }
                    if key == "makeUpWorkingDays", let date = RuleFileHeader.day(day.date), !Self.isWeekend(date) {
                        throw try p.errorInList(key, index: index, field: "date", "\(day.date) is not a Saturday or Sunday")
                    }
                }
            }
            return (first, last, holidays, makeUp)
        }
        header = decoded.0
        (firstYear, lastYear, holidays, makeUpWorkingDays) = decoded.1
    }

    /// The holidays as `yyyy-MM-dd` (the form `DossierRules.approvalDueDate(holidays:)` takes).
    public var holidayDays: Set<String> { Set(holidays.map(\.date)) }

    /// Whether `date`'s day in Vietnam is a working day: Monday–Friday and not a holiday, or a made-up working day.
    public func isWorkingDay(_ date: Date) -> Bool {
        let key = Self.dayKey(date)
        if makeUpWorkingDays.contains(where: { $0.date == key }) { return true }
        return !Self.isWeekend(date) && !holidays.contains { $0.date == key }
    }

    /// Whether the list is complete for `date`'s year.
    public func covers(_ date: Date) -> Bool {
        (firstYear...lastYear).contains(ObligationCalendar.calendar.component(.year, from: date))
    }

    /// `yyyy-MM-dd` of `date` in Vietnam.
    public static func dayKey(_ date: Date) -> String {
        let c = ObligationCalendar.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func isWeekend(_ date: Date) -> Bool {
        let weekday = ObligationCalendar.calendar.component(.weekday, from: date)
        return weekday == 1 || weekday == 7
    }
}

/// Deadline arithmetic in Vietnam's time zone (UTC+7 all year: Vietnam has no daylight saving time, so a
/// calendar day is always 24 hours; the code still adds days in the calendar so that it stays right if that changed).
public enum DeadlineCalculator {
    /// - `hours`: exactly `amount` hours later.
    /// - `calendarDays`: the same local clock time `amount` days later (31 Jan + 5 = 5 Feb; 26 Feb 2028 + 5 = 2 Mar).
    /// - `workingDays`: the same local clock time on the `amount`-th working day after `start`'s day
    ///   (Saturdays, Sundays and `holidays` skipped; a start on a day off counts from the next working day).
    public static func dueDate(from start: Date, amount: Int, unit: DeadlineUnit, holidays: HolidayCalendar?) -> Date {
        let calendar = ObligationCalendar.calendar
        switch unit {
        case .hours:
            return start.addingTimeInterval(TimeInterval(amount) * 3600)
        case .calendarDays:
            return calendar.date(byAdding: .day, value: amount, to: start) ?? start.addingTimeInterval(TimeInterval(amount) * 86_400)
        case .workingDays:
            var date = start
            var remaining = amount
            while remaining > 0 {
                guard let next = calendar.date(byAdding: .day, value: 1, to: date) else { break }
                date = next
                let working = holidays?.isWorkingDay(date) ?? !HolidayCalendar.isWeekend(date)
                if working { remaining -= 1 }
            }
            return date
        }
    }

    /// Whether the holiday list is complete for every day from `start` to `end` (working-day mode only).
    public static func holidaysCover(from start: Date, to end: Date, holidays: HolidayCalendar?) -> Bool {
        guard let holidays else { return false }
        return holidays.covers(start) && holidays.covers(end)
    }
}
