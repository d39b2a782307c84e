import Foundation
import Crypto

/// Identifiers and timestamps in the forms STIX 2.1 requires.
enum ExchangeIdentifiers {
    /// The STIX 2.1 namespace for deterministic SCO identifiers (§2.9).
    static let stixNamespace = UUID(uuidString: "00abedb4-aa42-466c-9c01-fed23315a9b7")!

    /// RFC 4122 version 5 (SHA-1, name-based) UUID.
    static func uuidV5(namespace: UUID, name: String) -> UUID {
        var bytes = Data(bytes(of: namespace))
        bytes.append(contentsOf: Array(name.utf8))
        var digest = Array(Insecure.SHA1.hash(data: bytes)).prefix(16).map { $0 }
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return uuid(from: digest)
    }

    /// A UUID with version 4 layout whose bits come from SHA-256 of `seed`. STIX asks for UUIDv4 on SDOs;
    /// deriving the bits from the case id and the object's key keeps an object's id the same from one
    /// export of a case to the next (a re-export is then a new version of the same objects, as STIX intends).
    static func stableV4(_ seed: String) -> UUID {
        var digest = Array(SHA256.hash(data: Data(seed.utf8))).prefix(16).map { $0 }
        digest[6] = (digest[6] & 0x0F) | 0x40
        digest[8] = (digest[8] & 0x3F) | 0x80
        return uuid(from: digest)
    }

    private static func bytes(of uuid: UUID) -> [UInt8] {
        let u = uuid.uuid
        return [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
    }

    private static func uuid(from b: [UInt8]) -> UUID {
        UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// "type--uuid" with a lower-case UUID.
    static func stixID(_ type: String, _ uuid: UUID) -> String { "\(type)--\(uuid.uuidString.lowercased())" }

    // MARK: Timestamps

    private static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }

    /// "2026-11-25T07:30:00.123Z": UTC with exactly three fractional digits.
    static func timestamp(_ date: Date) -> String {
        // Truncate to whole milliseconds first so rounding never carries into the seconds field.
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: (millis / 1000).rounded(.down))
        let fraction = Int(millis - (millis / 1000).rounded(.down) * 1000)
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0, fraction)
    }

    /// Parses RFC 3339 timestamps: "2026-11-25T07:30:00Z", with any fraction and a "Z" or ±hh:mm offset;
    /// also "2026-11-25 07:30:00" (taken as UTC) and a bare date "2026-11-25".
    static func parseTimestamp(_ text: String) -> Date? {
        let s = Array(text.trimmedWhitespace.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= s.count else { return nil }
            var value = 0
            for i in range {
                guard (48...57).contains(s[i]) else { return nil }
                value = value * 10 + Int(s[i] - 48)
            }
            return value
        }
        guard let year = number(0..<4), s.count >= 10, s[4] == UInt8(ascii: "-"), let month = number(5..<7),
              s[7] == UInt8(ascii: "-"), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var offsetSeconds = 0
        var fraction = 0.0
        if s.count > 10 {
            guard s.count >= 19, s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t") || s[10] == UInt8(ascii: " "),
                  let hour = number(11..<13), s[13] == UInt8(ascii: ":"), let minute = number(14..<16),
                  s[16] == UInt8(ascii: ":"), let second = number(17..<19),
                  hour < 24, minute < 60, second <= 60 else { return nil }
            components.hour = hour
            components.minute = minute
            components.second = min(second, 59)
            var i = 19
            if i < s.count, s[i] == UInt8(ascii: ".") {
                i += 1
                var scale = 0.1
                let start = i
                while i < s.count, (48...57).contains(s[i]) {
                    fraction += Double(s[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
            if i < s.count {
                switch s[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = number(i + 1..<i + 3) else { return nil }
                    var j = i + 3
                    if j < s.count, s[j] == UInt8(ascii: ":") { j += 1 }
                    guard let om = number(j..<j + 2) else { return nil }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                    i = j + 2
                default:
                    return nil
                }
            }
            guard i == s.count else { return nil }
        }
        guard let date = utc.date(from: components) else { return nil }
        return date.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}
