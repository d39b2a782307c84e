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
    public static func parse(_ bytes: [UInt8], receivedAt: Date) -> SyslogMessage {
        fatalError("SyslogParser.parse: not implemented yet")
    }

    /// The message as a hunting event (`EventFields.Syslog` names; structured data as `sd.<id>.<param>`).
    public static func event(_ message: SyslogMessage) -> FlatEvent {
        fatalError("SyslogParser.event: not implemented yet")
    }
}

/// Splits a TCP byte stream into messages: octet counting (`123 <msg>`) and newline (LF, or NUL)
/// framing, detected per message as RFC 6587 describes. Memory is bounded by `maxMessageSize`.
public struct SyslogFramer: Sendable {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// A message longer than the limit: it was cut to the limit (newline framing) or skipped (octet counting).
        case oversized(length: Int)
        /// An octet count that is not a number, or is zero: the stream cannot be trusted; close it.
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
        self.maxMessageSize = maxMessageSize
    }

    /// Feeds bytes; returns the complete messages they finish, and any problems. After `.badOctetCount`
    /// the caller should close the connection.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> (messages: [[UInt8]], problems: [Problem]) {
        fatalError("SyslogFramer.feed: not implemented yet")
    }

    /// The last message of a stream that ended without a final newline.
    public mutating func finish() -> [UInt8]? {
        fatalError("SyslogFramer.finish: not implemented yet")
    }
}
