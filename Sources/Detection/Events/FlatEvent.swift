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
public enum EventTime {
    public static func parse(_ text: String) -> Date? {
        var s = Substring(text).trimmingCharacters(in: .whitespaces)
        if s.count >= 11, s[s.index(s.startIndex, offsetBy: 10)] == " " {
            var chars = Array(s); chars[10] = "T"; s = String(chars)
        }
        // Split the fraction off: ISO8601DateFormatter accepts at most milliseconds reliably.
        var fraction = 0.0
        if let dot = s.firstIndex(of: "."), s.distance(from: s.startIndex, to: dot) == 19 {
            var end = s.index(after: dot)
            while end < s.endIndex, s[end].isASCII, s[end].isNumber { end = s.index(after: end) }
            let digits = s[s.index(after: dot)..<end]
            if let value = Double("0." + digits), !digits.isEmpty { fraction = value }
            s = String(s[..<dot] + s[end...])
        }
        if !s.hasSuffix("Z"), s.count == 19 { s += "Z" }
        guard let base = formatter.date(from: s) else { return nil }
        return base.addingTimeInterval(fraction)
    }

    private nonisolated(unsafe) static let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }()
}
