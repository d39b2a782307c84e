import Foundation

/// A minimal RFC 5322 message for a notification: UTF-8 subject as an encoded word, a base64 UTF-8 text
/// body, and no header that carries a line break (refused rather than folded, so nothing can be injected).
/// Stands in until the MIME composer of `Formats/Mail` lands; only ``compose(from:to:subject:text:date:messageIdDomain:)``
/// is called from elsewhere, so switching is a one-file change.
enum NotificationMail {
    struct HeaderInjection: Error, CustomStringConvertible {
        let header: String
        var description: String { "the \(header) header contains a line break" }
    }

    static func compose(from: String, to: String, subject: String, text: String, date: Date = Date(),
                        messageIdDomain: String) throws -> String {
        for (name, value) in [("From", from), ("To", to), ("Subject", subject), ("Message-ID domain", messageIdDomain)]
        where value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw HeaderInjection(header: name)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let body = Data(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(encodedWord(subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(messageIdDomain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "",
            body,
        ].joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, split between characters.
    static func encodedWord(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && $0 != "=" && $0 != "?" }) && text.utf8.count <= 70 { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}
