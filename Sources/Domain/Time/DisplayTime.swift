import Foundation

/// Dates are stored in UTC and shown in Vietnam's time zone as dd/MM/yyyy and dd/MM/yyyy HH:mm.
public enum DisplayTime {
    public static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    public static func date(_ date: Date) -> String {
        let c = calendar.dateComponents([.day, .month, .year], from: date)
        return String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!)
    }

    public static func dateTime(_ date: Date) -> String {
        let c = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }

    /// Parses dd/MM/yyyy or yyyy-MM-dd (what `<input type=date>` sends) as the start of that day in Vietnam.
    public static func parseDay(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts: [Int]
        if trimmed.contains("/") {
            let p = trimmed.split(separator: "/").compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            parts = [p[2], p[1], p[0]]
        } else {
            let p = trimmed.split(separator: "-").compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            parts = p
        }
        guard (1900...9999).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == parts[2] else { return nil }
        return date
    }
}
