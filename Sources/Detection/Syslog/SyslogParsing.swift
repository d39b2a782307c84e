import Foundation

/// The byte-level reader behind `SyslogParser.parse`: RFC 5424 first, then RFC 3164 and its common
/// variants, else the message is kept whole.
struct SyslogByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let receivedAt: Date
    /// End of the message without trailing CR, LF and NUL bytes (UDP senders often add them).
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, receivedAt: Date) {
        self.bytes = bytes
        self.receivedAt = receivedAt
        var e = bytes.count
        while e > 0, bytes[e - 1] == 0x0A || bytes[e - 1] == 0x0D || bytes[e - 1] == 0x00 { e -= 1 }
        self.end = e
    }

    private static let space: UInt8 = 0x20
    private static let nilValue: UInt8 = 0x2D // "-"

    func parse() -> SyslogMessage {
        var i = 0
        let pri = parsePRI(&i)
        if let pri, let message = parse5424(from: i, pri: pri) { return message }
        if let message = parse3164(from: pri == nil ? 0 : i, pri: pri) { return message }
        return SyslogMessage(format: .unparsed, facility: 1, severity: 5, message: text(0, end))
    }

    // MARK: pieces

    @inline(__always) func text(_ from: Int, _ to: Int) -> String {
        guard from < to else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    /// `<PRIVAL>` with 1–3 digits and a value of at most 191 (RFC 5424 §6.2.1).
    func parsePRI(_ i: inout Int) -> Int? {
        guard end >= 3, bytes[0] == 0x3C else { return nil }
        var j = 1, value = 0
        while j < end, j <= 4, bytes[j] &- 48 < 10 {
            value = value * 10 + Int(bytes[j] &- 48); j += 1
        }
        guard j > 1, j <= 4, j < end, bytes[j] == 0x3E, value <= 191 else { return nil }
        // RFC 5424 forbids leading zeros except for "<0>"; senders do send them, so they are read.
        i = j + 1
        return value
    }

    /// The index of the next space at or after `i`, or `end`.
    @inline(__always) func tokenEnd(_ i: Int) -> Int {
        var j = i
        while j < end, bytes[j] != Self.space { j += 1 }
        return j
    }

    // MARK: RFC 5424

    func parse5424(from start: Int, pri: Int) -> SyslogMessage? {
        var i = start
        // VERSION: NONZERO-DIGIT 0*2DIGIT, then SP.
        guard i < end, bytes[i] &- 49 < 9 else { return nil }
        var v = 0
        while i < end, bytes[i] &- 48 < 10, v < 1000 { v = v * 10 + Int(bytes[i] &- 48); i += 1 }
        guard i - start <= 3, i < end, bytes[i] == Self.space else { return nil }
        i += 1

        // TIMESTAMP
        let tsEnd = tokenEnd(i)
        guard tsEnd > i else { return nil }
        var timestamp: Date?
        if !(tsEnd - i == 1 && bytes[i] == Self.nilValue) {
            // Must at least look like a date (digit first) for this to be RFC 5424.
            guard bytes[i] &- 48 < 10 else { return nil }
            if let seconds = EventTime.parseSeconds(UnsafeBufferPointer(rebasing: bytes[i..<tsEnd])) {
                timestamp = Date(timeIntervalSince1970: seconds)
            }
        }
        i = tsEnd
        guard i < end else { return nil }
        i += 1

        var header: [String?] = []
        header.reserveCapacity(4)
        for k in 0..<4 { // HOSTNAME APP-NAME PROCID MSGID (a message that stops after MSGID is accepted)
            let e = tokenEnd(i)
            guard e > i else { return nil }
            header.append(e - i == 1 && bytes[i] == Self.nilValue ? nil : text(i, e))
            i = e
            if i < end { i += 1 } else if k < 3 { return nil }
        }
        var message = SyslogMessage(format: .rfc5424, facility: pri >> 3, severity: pri & 7, timestamp: timestamp,
                                    hostname: header[0], appName: header[1], procID: header[2], msgID: header[3],
                                    message: "")
        // STRUCTURED-DATA
        guard i < end else { return message }
        var msgStart: Int
        if bytes[i] == Self.nilValue {
            msgStart = i + 1
        } else if bytes[i] == 0x5B, let (sd, after) = parseStructuredData(from: i) {
            message.structuredData = sd
            msgStart = after
        } else {
            // Not structured data: keep everything from here as the message.
            message.message = messageText(i)
            return message
        }
        if msgStart < end {
            if bytes[msgStart] == Self.space { msgStart += 1 }
            message.message = messageText(msgStart)
        }
        return message
    }

    /// The message from `i`, without a leading UTF-8 byte-order mark.
    func messageText(_ i: Int) -> String {
        var s = i
        if end - s >= 3, bytes[s] == 0xEF, bytes[s + 1] == 0xBB, bytes[s + 2] == 0xBF { s += 3 }
        return text(s, end)
    }

    /// One or more `[SD-ID *(SP PARAM="VALUE")]`; nil when malformed.
    func parseStructuredData(from start: Int) -> ([String: [String: String]], Int)? {
        var result: [String: [String: String]] = [:]
        var i = start
        var value: [UInt8] = []
        while i < end, bytes[i] == 0x5B {
            i += 1
            let idStart = i
            while i < end, isSDName(bytes[i]) { i += 1 }
            guard i > idStart, i < end else { return nil }
            let id = text(idStart, i)
            var params = result[id] ?? [:]
            while i < end, bytes[i] == Self.space {
                i += 1
                let nameStart = i
                while i < end, isSDName(bytes[i]) { i += 1 }
                guard i > nameStart, i + 1 < end, bytes[i] == 0x3D, bytes[i + 1] == 0x22 else { return nil }
                let name = text(nameStart, i)
                i += 2
                value.removeAll(keepingCapacity: true)
                var closed = false
                while i < end {
                    let c = bytes[i]
                    if c == 0x22 { closed = true; i += 1; break }
                    if c == 0x5C, i + 1 < end {
                        let n = bytes[i + 1]
                        if n == 0x22 || n == 0x5C || n == 0x5D {
                            value.append(n); i += 2; continue
                        }
                    }
                    value.append(c); i += 1
                }
                guard closed else { return nil }
                let v = String(decoding: value, as: UTF8.self)
                if let previous = params[name] { params[name] = previous + "," + v } else { params[name] = v }
            }
            guard i < end, bytes[i] == 0x5D else { return nil }
            i += 1
            result[id] = params
        }
        return (result, i)
    }

    /// SD-NAME: printable US-ASCII except `=`, space, `]` and `"`.
    @inline(__always) func isSDName(_ c: UInt8) -> Bool {
        c > 0x20 && c < 0x7F && c != 0x3D && c != 0x5D && c != 0x22
    }

    // MARK: RFC 3164

    func parse3164(from start: Int, pri: Int?) -> SyslogMessage? {
        var i = start
        let timestamp = parse3164Timestamp(&i)
        if timestamp == nil, pri == nil { return nil }
        var message = SyslogMessage(format: .rfc3164, facility: pri.map { $0 >> 3 } ?? 1, severity: pri.map { $0 & 7 } ?? 5,
                                    timestamp: timestamp ?? nil, message: "")
        guard timestamp != nil else {
            // A PRI but no timestamp: all that follows is the content (RFC 3164 §4.3.2).
            readTagAndContent(from: start, into: &message)
            return message
        }
        while i < end, bytes[i] == Self.space { i += 1 }
        // HOSTNAME, unless the token is already the tag (`app[pid]:` or `app:`).
        let e = tokenEnd(i)
        if e > i, !looksLikeTag(i, e) {
            message.hostname = text(i, e)
            i = e
            while i < end, bytes[i] == Self.space { i += 1 }
        }
        readTagAndContent(from: i, into: &message)
        return message
    }

    func looksLikeTag(_ s: Int, _ e: Int) -> Bool {
        if bytes[e - 1] == 0x3A { return true }
        var j = s
        while j < e { if bytes[j] == 0x5B { return true }; j += 1 }
        return false
    }

    /// `TAG[PID]: MSG` or `TAG: MSG`; anything else is all message.
    func readTagAndContent(from start: Int, into message: inout SyslogMessage) {
        var i = start
        let tagStart = i
        while i < end, i - tagStart <= 48 {
            let c = bytes[i]
            if c == 0x5B || c == 0x3A || c == Self.space { break }
            i += 1
        }
        let tagEnd = i
        if tagEnd > tagStart, i < end {
            if bytes[i] == 0x5B {
                let pidStart = i + 1
                var j = pidStart
                while j < end, bytes[j] != 0x5D, bytes[j] != Self.space, j - pidStart <= 32 { j += 1 }
                if j < end, bytes[j] == 0x5D, j > pidStart {
                    var k = j + 1
                    if k < end, bytes[k] == 0x3A { k += 1 }
                    if k == end || bytes[k] == Self.space {
                        message.appName = text(tagStart, tagEnd)
                        message.procID = text(pidStart, j)
                        if k < end { k += 1 }
                        message.message = text(k, end)
                        return
                    }
                }
            } else if bytes[i] == 0x3A, i + 1 == end || bytes[i + 1] == Self.space {
                message.appName = text(tagStart, tagEnd)
                message.message = text(min(i + 2, end), end)
                return
            }
        }
        message.message = text(start, end)
    }

    /// `Mmm dd hh:mm:ss[.frac]`, `Mmm dd yyyy hh:mm:ss`, or an ISO 8601 / RFC 3339 timestamp; on success
    /// `i` is past it. A date that does not exist gives a nil time but still counts as a timestamp.
    func parse3164Timestamp(_ i: inout Int) -> Date?? {
        let s = i
        guard end - s >= 10 else { return nil }
        if bytes[s] &- 48 < 10 {
            // ISO form: the token up to the next space.
            let e = tokenEnd(s)
            guard e - s >= 10, bytes[s + 4] == 0x2D else { return nil }
            guard let seconds = EventTime.parseSeconds(UnsafeBufferPointer(rebasing: bytes[s..<e])) else { return nil }
            i = e
            return .some(Date(timeIntervalSince1970: seconds))
        }
        guard let month = monthNumber(bytes[s], bytes[s + 1], bytes[s + 2]), bytes[s + 3] == Self.space else { return nil }
        var j = s + 4
        if bytes[j] == Self.space { j += 1 }
        var day: Int64 = 0, n = 0
        while j < end, bytes[j] &- 48 < 10, n < 2 { day = day * 10 + Int64(bytes[j] &- 48); j += 1; n += 1 }
        guard n > 0, j < end, bytes[j] == Self.space else { return nil }
        j += 1
        var year: Int64?
        // Optional year (`Mmm dd yyyy hh:mm:ss`).
        if end - j >= 5, isDigit(j), isDigit(j + 1), isDigit(j + 2), isDigit(j + 3), bytes[j + 4] == Self.space {
            year = Int64(bytes[j] &- 48) * 1000 + Int64(bytes[j + 1] &- 48) * 100 + Int64(bytes[j + 2] &- 48) * 10 + Int64(bytes[j + 3] &- 48)
            j += 5
        }
        guard end - j >= 8, isDigit(j), isDigit(j + 1), bytes[j + 2] == 0x3A, isDigit(j + 3), isDigit(j + 4),
              bytes[j + 5] == 0x3A, isDigit(j + 6), isDigit(j + 7) else { return nil }
        let hour = Int64(bytes[j] &- 48) * 10 + Int64(bytes[j + 1] &- 48)
        let minute = Int64(bytes[j + 3] &- 48) * 10 + Int64(bytes[j + 4] &- 48)
        let second = Int64(bytes[j + 6] &- 48) * 10 + Int64(bytes[j + 7] &- 48)
        j += 8
        var nanos: Int64 = 0
        if j < end, bytes[j] == 0x2E {
            var k = j + 1, digits = 0
            while k < end, isDigit(k) {
                if digits < 9 { nanos = nanos * 10 + Int64(bytes[k] &- 48) }
                digits += 1; k += 1
            }
            if digits > 0 {
                for _ in min(digits, 9)..<9 { nanos *= 10 }
                j = k
            }
        }
        // Cisco-style trailing colon after the time.
        if j < end, bytes[j] == 0x3A { j += 1 }
        guard j == end || bytes[j] == Self.space else { return nil }
        i = j
        guard hour <= 23, minute <= 59, second <= 60, day >= 1 else { return .some(nil) }

        let fraction = Double(nanos) / 1_000_000_000
        if let year {
            guard day <= EventTime.daysInMonth(month, year: year) else { return .some(nil) }
            let t = EventTime.secondsSince1970(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            return .some(Date(timeIntervalSince1970: Double(t) + fraction))
        }
        // The year is the latest (of next, this and last year of the receiver's clock, in UTC) that does
        // not put the message more than a day in the future: a "Dec 31" message received on January 1st
        // is last year's, a "Jan 1" message received just before midnight on December 31st is next year's.
        let received = receivedAt.timeIntervalSince1970
        guard received.isFinite, abs(received) < 2.5e11 else { return .some(nil) }
        let receivedYear = EventTime.civil(fromDays: Int64((received / 86_400).rounded(.down))).year
        for y in [receivedYear + 1, receivedYear, receivedYear - 1] {
            guard day <= EventTime.daysInMonth(month, year: y) else { continue }
            let t = Double(EventTime.secondsSince1970(year: y, month: month, day: day, hour: hour, minute: minute, second: second)) + fraction
            if t > received + 86_400 { continue }
            return .some(Date(timeIntervalSince1970: t))
        }
        return .some(nil)
    }

    @inline(__always) func isDigit(_ k: Int) -> Bool { bytes[k] &- 48 < 10 }

    func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int64? {
        // Case-insensitive three-letter English month names.
        let key = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
        switch key {
        case 0x6A616E: return 1  // jan
        case 0x666562: return 2  // feb
        case 0x6D6172: return 3  // mar
        case 0x617072: return 4  // apr
        case 0x6D6179: return 5  // may
        case 0x6A756E: return 6  // jun
        case 0x6A756C: return 7  // jul
        case 0x617567: return 8  // aug
        case 0x736570: return 9  // sep
        case 0x6F6374: return 10 // oct
        case 0x6E6F76: return 11 // nov
        case 0x646563: return 12 // dec
        default: return nil
        }
    }
}
