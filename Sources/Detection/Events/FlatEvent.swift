import Foundation

/// One value of an event field. Values keep the type they arrived with (the EVTX parser's numbers stay
/// numbers), and every comparison that Sigma makes goes through `text` when it needs a string.
public enum EventValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null
    case array([EventValue])

    /// The value as Sigma and the indicator matcher compare it: numbers in decimal, booleans as
    /// `true`/`false`, nil for null and arrays.
    public var text: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null, .array: return nil
        }
    }
}

/// An event as hunting sees it: a flat map of field names to values.
///
/// Windows events use the names of `../shared/bench/flatten_evtx.py` (the shape Zircolite and the pySigma
/// SQLite reference use): the System fields by name (`EventID`, `Channel`, `Computer`, `Provider_Name`,
/// `TimeCreated_SystemTime`, attributes as `<Element>_<Attribute>`) and the EventData/UserData fields by
/// their `Name` (`Image`, `CommandLine`, ...). Syslog events use `EventFields.Syslog`; JSON-lines events
/// keep their own keys (nested objects joined with dots).
public struct FlatEvent: Sendable, Hashable {
    public var fields: [String: EventValue]

    public init(fields: [String: EventValue] = [:]) {
        self.fields = fields
    }

    public subscript(field: String) -> EventValue? {
        get { fields[field] }
        set { fields[field] = newValue }
    }

    /// The event's own time: `TimeCreated_SystemTime`, `@timestamp`, `timestamp` or `time`, when parseable.
    public var time: Date? {
        for key in EventFields.timeKeys {
            if let text = fields[key]?.text, let date = EventTime.parse(text) { return date }
        }
        return nil
    }

    /// The host the event is about: `Computer`, `hostname`, `host` or `host.name`.
    public var host: String? {
        for key in EventFields.hostKeys {
            if let text = fields[key]?.text, !text.isEmpty { return text }
        }
        return nil
    }
}

public enum EventFields {
    public static let timeKeys = ["TimeCreated_SystemTime", "@timestamp", "timestamp", "time", "SystemTime"]
    public static let hostKeys = ["Computer", "hostname", "host", "host.name", "HostName"]

    /// Field names of an event read from syslog.
    public enum Syslog {
        public static let facility = "facility"
        public static let severity = "severity"
        public static let timestamp = "timestamp"
        public static let hostname = "hostname"
        public static let appName = "appname"
        public static let procID = "procid"
        public static let msgID = "msgid"
        public static let message = "message"
        public static let format = "syslog_format"
        /// Structured data parameters become `sd.<SD-ID>.<PARAM-NAME>`.
        public static let structuredDataPrefix = "sd."
    }
}

/// Timestamps as events carry them: RFC 3339 / ISO 8601 with or without fractions (up to 9 digits, as
/// EVTX's `2019-03-19T23:34:25.2105850Z`) and zone, and a space instead of `T`.
///
/// Accepted: `YYYY-MM-DD`, then optionally `T`/`t`/space and `hh:mm[:ss[.f…]]` (fraction of 1–9 digits,
/// `.` or `,`), then optionally `Z`/`z`, `±hh:mm`, `±hhmm` or `±hh`; no zone means UTC, a date alone means
/// midnight UTC. Fields are range-checked (month 1–12, the day against the month and leap years, hour
/// 0–23, minute 0–59, second 0–60 where 60 is a leap second that lands on the next minute, zone up
/// to ±23:59). Surrounding spaces and tabs are ignored. Hand-written over the UTF-8 bytes: thread-safe
/// and allocation-free.
public enum EventTime {
    public static func parse(_ text: String) -> Date? {
        if let result = text.utf8.withContiguousStorageIfAvailable({ parse(utf8: $0) }) { return result }
        return Array(text.utf8).withUnsafeBufferPointer { parse(utf8: $0) }
    }

    /// The same as `parse(_:)` over UTF-8 bytes.
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard let seconds = parseSeconds(bytes) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// RFC 3339 in UTC with microseconds when the time has a fraction: `2024-05-06T07:08:09.123456Z`.
    public static func string(from date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 253_402_300_800 else { return "9999-12-31T23:59:59Z" }
        var micros = Int64((t * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        micros -= seconds * 1_000_000
        if micros < 0 { micros += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secOfDay = seconds - days * 86_400
        if secOfDay < 0 { secOfDay += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        var out = [UInt8](repeating: 0, count: 0)
        out.reserveCapacity(28)
        func put(_ v: Int64, _ width: Int) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
            var v = v
            withUnsafeMutableBytes(of: &digits) { raw in
                var i = width - 1
                while i >= 0 { raw[i] = UInt8(truncatingIfNeeded: 48 + v % 10); v /= 10; i -= 1 }
                out.append(contentsOf: raw.prefix(width))
            }
        }
        if y < 0 { out.append(UInt8(ascii: "-")) }
        put(abs(y), 4); out.append(UInt8(ascii: "-")); put(m, 2); out.append(UInt8(ascii: "-")); put(d, 2)
        out.append(UInt8(ascii: "T"))
        put(secOfDay / 3600, 2); out.append(UInt8(ascii: ":")); put(secOfDay / 60 % 60, 2)
        out.append(UInt8(ascii: ":")); put(secOfDay % 60, 2)
        if micros != 0 { out.append(UInt8(ascii: ".")); put(micros, 6) }
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Seconds since 1970 of a proleptic Gregorian date and time in UTC (no range checks).
    static func secondsSince1970(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64 {
        daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    static func isLeapYear(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ m: Int64, year: Int64) -> Int64 {
        switch m {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Seconds since 1970 (with the fraction) of the timestamp in `bytes`, or nil.
    static func parseSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        var i = start

        @inline(__always) func digits(_ n: Int) -> Int64? {
            guard end - i >= n else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let d = bytes[i + k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            i += n
            return v
        }
        @inline(__always) func take(_ c: UInt8) -> Bool {
            if i < end, bytes[i] == c { i += 1; return true }
            return false
        }

        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2) else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(month, year: year) else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, nanos: Int64 = 0, offset: Int64 = 0
        if i < end {
            let sep = bytes[i]
            guard sep == 0x54 || sep == 0x74 || sep == 0x20 else { return nil } // T t space
            i += 1
            guard let h = digits(2), take(0x3A), let mi = digits(2) else { return nil }
            hour = h; minute = mi
            if take(0x3A) {
                guard let s = digits(2) else { return nil }
                second = s
                if i < end, bytes[i] == 0x2E || bytes[i] == 0x2C {
                    i += 1
                    var n = 0
                    while i < end, bytes[i] &- 48 < 10 {
                        guard n < 9 else { return nil }
                        nanos = nanos * 10 + Int64(bytes[i] &- 48); n += 1; i += 1
                    }
                    guard n > 0 else { return nil }
                    for _ in n..<9 { nanos *= 10 }
                }
            }
            guard hour <= 23, minute <= 59, second <= 60 else { return nil }
            if i < end {
                switch bytes[i] {
                case 0x5A, 0x7A: i += 1 // Z z
                case 0x2B, 0x2D: // + -
                    let sign: Int64 = bytes[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = digits(2), oh <= 23 else { return nil }
                    var om: Int64 = 0
                    if i < end {
                        _ = take(0x3A)
                        guard let m = digits(2), m <= 59 else { return nil }
                        om = m
                    }
                    offset = sign * (oh * 3600 + om * 60)
                default: return nil
                }
            }
            guard i == end else { return nil }
        }
        let whole = secondsSince1970(year: year, month: month, day: day, hour: hour, minute: minute, second: second) - offset
        return Double(whole) + Double(nanos) / 1_000_000_000
    }
}
