import Foundation

extension DisplayTime {
    /// Parses an instant as people and clients send it: ISO 8601 with an offset (`2026-11-20T08:30:00+07:00`,
    /// `…Z`), what `<input type=datetime-local>` sends (`2026-11-20T08:30`, Vietnam time), or
    /// `dd/MM/yyyy HH:mm` (Vietnam time).
    public static func parseInstant(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if trimmed.hasSuffix("Z") || trimmed.range(of: #"[+-]\d{2}:?\d{2}$"#, options: .regularExpression) != nil {
            let withFraction = ISO8601DateFormatter()
            withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            return plain.date(from: trimmed) ?? withFraction.date(from: trimmed)
        }
        var day: String
        var time: String
        if trimmed.contains("T") {
            let parts = trimmed.split(separator: "T", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            (day, time) = (parts[0], parts[1])
        } else {
            let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 2 else { return nil }
            (day, time) = (parts[0], parts[1].trimmingCharacters(in: .whitespaces))
        }
        guard let start = parseDay(day) else { return nil }
        let hm = time.split(separator: ":").map(String.init)
        guard (2...3).contains(hm.count), let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), (0...59).contains(m),
              hm[0].count <= 2, hm[1].count == 2 else { return nil }
        var seconds = 0.0
        if hm.count == 3 {
            guard let s = Double(hm[2]), (0..<60).contains(s) else { return nil }
            seconds = s
        }
        return start.addingTimeInterval(Double(h * 3600 + m * 60) + seconds)
    }

    /// The value for `<input type=datetime-local>` in Vietnam time.
    public static func localInput(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
