import Foundation

/// RFC 2047 encoded words, RFC 5322 header folding and dates.
public enum MIMEHeaderEncoding {
    /// Longest header line written (RFC 2047 §2 limits lines with encoded words to 76 characters).
    static let lineLimit = 76
    static let wordPrefix = "=?UTF-8?B?"
    static let wordSuffix = "?="

    /// True when `text` can be written as it is in an unstructured header: printable ASCII, no "=?",
    /// and no word too long to fold.
    static func isPlain(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
            && !text.contains("=?")
            && text.split(separator: " ").allSatisfy { $0.count <= lineLimit - 12 }
    }

    /// `text` as UTF-8 "B" encoded words; the first fits in `firstBudget` characters, the others in 75.
    /// Words end between characters (grapheme clusters), never inside one.
    public static func encodedWords(_ text: String, firstBudget: Int = 75) -> [String] {
        func capacity(_ budget: Int) -> Int {
            // Bytes whose base64 fits in the budget after the 12 characters of "=?UTF-8?B?" and "?=".
            max(3, (max(budget, 16) - wordPrefix.count - wordSuffix.count) / 4 * 3)
        }
        var words: [String] = []
        var chunk = Data()
        var limit = capacity(firstBudget)
        for character in text {
            let bytes = Data(String(character).utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > limit {
                words.append(wordPrefix + chunk.base64EncodedString() + wordSuffix)
                chunk = Data()
                limit = capacity(75)
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(wordPrefix + chunk.base64EncodedString() + wordSuffix) }
        return words
    }

    /// Joins `tokens` with spaces after "Name: ", folding (CRLF + space) before a token that would pass the limit.
    static func fold(name: String, tokens: [String]) -> String {
        var out = name + ":"
        var lineLength = out.count
        for token in tokens {
            if lineLength + 1 + token.count > lineLimit, lineLength > name.count + 1 || token.count <= lineLimit - 1 {
                out += "\r\n " + token
                lineLength = 1 + token.count
            } else {
                out += " " + token
                lineLength += 1 + token.count
            }
        }
        return out
    }

    /// An unstructured header (Subject, extra headers): plain when possible, else encoded words.
    static func unstructured(name: String, value: String) -> String {
        if isPlain(value) {
            return fold(name: name, tokens: value.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
        }
        return fold(name: name, tokens: encodedWords(value, firstBudget: lineLimit - name.count - 2))
    }

    /// A display name as phrase tokens: atoms as they are, other ASCII quoted, anything else encoded.
    static func phrase(_ name: String, firstBudget: Int) -> [String] {
        let atext = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        if name.unicodeScalars.allSatisfy({ atext.contains($0) }), !name.contains("=?") {
            return name.split(separator: " ").map(String.init)
        }
        if name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }), name.count <= 60 {
            return ["\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""]
        }
        // One encoded word when the name fits in one, even if it then starts on the next line: some decoders
        // (Python's address parser among them) keep the space between adjacent encoded words of a phrase.
        let single = encodedWords(name, firstBudget: 75)
        return single.count == 1 ? single : encodedWords(name, firstBudget: firstBudget)
    }

    /// "Wed, 25 Nov 2026 14:30:00 +0700" in `timeZone` (Vietnam by default).
    public static func date(_ date: Date, timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 25_200)!) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d %@%02d%02d",
                      days[((c.weekday ?? 1) - 1) % 7], c.day ?? 1, months[((c.month ?? 1) - 1) % 12], c.year ?? 1970,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0, sign, minutes / 60, minutes % 60)
    }
}
