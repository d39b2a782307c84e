import Foundation

/// CONTRACT (issue 6): syslog messages (RFC 3164 and RFC 5424) and stream framing (RFC 6587).
public struct SyslogMessage: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable { case rfc3164, rfc5424, unparsed }
    public var format: Format
    public var facility: Int?
    public var severity: Int?
    /// The time in the message, when it has one that parses; else nil (the receiver uses its own clock).
    public var timestamp: Date?
    public var hostname: String?
    public var appName: String?
    public var procID: String?
    public var msgID: String?
    /// SD-ID → parameter → value (RFC 5424 structured data).
    public var structuredData: [String: [String: String]]
    public var message: String

    public init(format: Format, facility: Int? = nil, severity: Int? = nil, timestamp: Date? = nil, hostname: String? = nil,
                appName: String? = nil, procID: String? = nil, msgID: String? = nil,
                structuredData: [String: [String: String]] = [:], message: String) {
        self.format = format; self.facility = facility; self.severity = severity; self.timestamp = timestamp
        self.hostname = hostname; self.appName = appName; self.procID = procID; self.msgID = msgID
        self.structuredData = structuredData; self.message = message
    }
}

public enum SyslogParser {
    /// Parses one message (one UDP datagram or one framed TCP message). Never fails: what is not
    /// RFC 5424 is read as RFC 3164 as far as it goes, and anything else is kept whole as `.unparsed`.
    /// `receivedAt` supplies the year RFC 3164 leaves out.
    ///
    /// RFC 5424: `<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]` with `-` for absent
    /// values, RFC 3339 timestamps (fractions, zones), structured data with `\"`, `\\` and `\]` escapes
    /// (a parameter given twice keeps both values joined by a comma), and a UTF-8 BOM before MSG dropped;
    /// structured data that does not parse stays in the message. RFC 3164: `<PRI>Mmm dd hh:mm:ss HOST
    /// TAG[PID]: MSG`, also with an ISO 8601 timestamp, `Mmm dd yyyy hh:mm:ss`, a fraction of a second, no
    /// hostname (`TAG[PID]:` right after the time), no tag, or no PRI (then facility 1, severity 5 as RFC
    /// 3164 §4.3.3 says). The RFC 3164 year is the latest (next, this or last year of `receivedAt`, UTC)
    /// that does not put the message more than a day in the future. Times without a zone are UTC. Bytes
    /// that are not UTF-8 become U+FFFD; trailing CR, LF and NUL bytes are dropped. `.unparsed` messages
    /// carry facility 1 and severity 5 too.
    public static func parse(_ bytes: [UInt8], receivedAt: Date) -> SyslogMessage {
        bytes.withUnsafeBufferPointer { SyslogByteParser(bytes: $0, receivedAt: receivedAt).parse() }
    }

    /// The message as a hunting event (`EventFields.Syslog` names; structured data as `sd.<id>.<param>`).
    public static func event(_ message: SyslogMessage) -> FlatEvent {
        var fields: [String: EventValue] = [:]
        fields.reserveCapacity(9 + message.structuredData.count * 2)
        fields[EventFields.Syslog.format] = .string(message.format.rawValue)
        if let f = message.facility { fields[EventFields.Syslog.facility] = .int(Int64(f)) }
        if let s = message.severity { fields[EventFields.Syslog.severity] = .int(Int64(s)) }
        if let t = message.timestamp { fields[EventFields.Syslog.timestamp] = .string(EventTime.string(from: t)) }
        if let h = message.hostname { fields[EventFields.Syslog.hostname] = .string(h) }
        if let a = message.appName { fields[EventFields.Syslog.appName] = .string(a) }
        if let p = message.procID { fields[EventFields.Syslog.procID] = .string(p) }
        if let m = message.msgID { fields[EventFields.Syslog.msgID] = .string(m) }
        fields[EventFields.Syslog.message] = .string(message.message)
        for (id, params) in message.structuredData {
            for (name, value) in params {
                fields[EventFields.Syslog.structuredDataPrefix + id + "." + name] = .string(value)
            }
        }
        return FlatEvent(fields: fields)
    }
}

/// Splits a TCP byte stream into messages: octet counting (`123 <msg>`) and newline (LF, or NUL)
/// framing, detected per message as RFC 6587 describes. Memory is bounded by `maxMessageSize`.
///
/// A message starting with a digit is octet-counted (at most 9 digits, then a space); any other is
/// newline-framed, ended by LF (a CR before it is dropped) or NUL. Empty lines between messages are
/// skipped. A newline-framed message longer than the limit is returned cut to the limit, and reported
/// with its whole length once its end arrives; an octet-counted one is skipped and reported at once.
public struct SyslogFramer: Sendable {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// A message longer than the limit: it was cut to the limit (newline framing) or skipped (octet counting).
        case oversized(length: Int)
        /// An octet count that is not a number, or is zero: the stream cannot be trusted; close it.
        /// The text is what was read of the count (digits and the offending character).
        case badOctetCount(String)
        public var description: String {
            switch self {
            case .oversized(let n): return "a message of \(n) bytes exceeds the limit"
            case .badOctetCount(let s): return "invalid octet count \(s.debugDescription)"
            }
        }
    }

    public let maxMessageSize: Int
    public init(maxMessageSize: Int = 64 * 1024) {
        self.maxMessageSize = max(1, maxMessageSize)
    }

    var state = FramerState.idle
    /// The message being collected (never more than `maxMessageSize` bytes).
    var pending: [UInt8] = []

    /// True after a bad octet count: the framer ignores the rest of the stream.
    public var isFailed: Bool { if case .failed = state { return true } else { return false } }

    /// Feeds bytes; returns the complete messages they finish, and any problems. After `.badOctetCount`
    /// the caller should close the connection.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> (messages: [[UInt8]], problems: [Problem]) {
        if let result = bytes.withContiguousStorageIfAvailable({ feedBuffer($0) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { feedBuffer($0) }
    }

    /// The last message of a stream that ended without a final newline.
    public mutating func finish() -> [UInt8]? {
        finishStream()
    }
}
