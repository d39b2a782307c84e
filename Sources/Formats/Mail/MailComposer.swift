import Foundation
import Crypto

/// Composes RFC 5322 / MIME messages for notification e-mails: UTF-8 headers as encoded words, a text part
/// and an optional HTML part (multipart/alternative), both base64 in lines of 76 characters, CRLF line
/// ends. Any header value with CR, LF or NUL is refused rather than cleaned, so nothing can be injected.
public enum MailComposer {
    /// The message as bytes (7-bit ASCII, CRLF), ready for SMTP DATA after `SMTPData.dotStuffed`.
    public static func compose(_ message: MailMessage) throws -> Data {
        guard !message.envelopeRecipients.isEmpty else { throw MailError.noRecipients }
        try checkInjection(message)
        let messageID = try message.messageID.map(checkedMessageID) ?? newMessageID(domain: domain(of: message.from.address))

        var lines: [String] = []
        lines.append("Date: " + MIMEHeaderEncoding.date(message.date))
        lines.append(try mailboxHeader("From", [message.from]))
        if !message.to.isEmpty { lines.append(try mailboxHeader("To", message.to)) }
        if !message.cc.isEmpty { lines.append(try mailboxHeader("Cc", message.cc)) }
        if let replyTo = message.replyTo { lines.append(try mailboxHeader("Reply-To", [replyTo])) }
        lines.append(MIMEHeaderEncoding.unstructured(name: "Subject", value: message.subject))
        lines.append("Message-ID: " + messageID)
        lines.append("MIME-Version: 1.0")
        for header in message.extraHeaders {
            try checkHeaderName(header.name)
            lines.append(MIMEHeaderEncoding.unstructured(name: header.name, value: header.value))
        }

        let text = base64Body(message.textBody)
        if let html = message.htmlBody {
            let boundary = boundary(text: message.textBody, html: html)
            lines.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a multi-part message in MIME format.")
            lines.append("--" + boundary)
            lines.append("Content-Type: text/plain; charset=UTF-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(text)
            lines.append("--" + boundary)
            lines.append("Content-Type: text/html; charset=UTF-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(base64Body(html))
            lines.append("--" + boundary + "--")
        } else {
            lines.append("Content-Type: text/plain; charset=UTF-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(text)
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// "<3f2a…@langson.gov.vn>".
    public static func newMessageID(domain: String) -> String {
        "<\(UUID().uuidString.lowercased())@\(domain.isEmpty ? "localhost" : domain)>"
    }

    // MARK: Checks

    static func hasLineBreak(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }

    static func checkInjection(_ m: MailMessage) throws {
        var fields: [(String, String)] = [("Subject", m.subject), ("Message-ID", m.messageID ?? "")]
        for (name, list) in [("From", [m.from]), ("To", m.to), ("Cc", m.cc), ("Bcc", m.bcc), ("Reply-To", m.replyTo.map { [$0] } ?? [])] {
            for mailbox in list { fields += [(name, mailbox.address), (name, mailbox.displayName ?? "")] }
        }
        for header in m.extraHeaders { fields += [(header.name, header.name), (header.name, header.value)] }
        if let bad = fields.first(where: { hasLineBreak($0.1) }) { throw MailError.headerInjection(field: bad.0) }
    }

    /// Letters, digits and the other characters of RFC 5322 atext, dot-separated, "@", a host name.
    static func isAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.utf8.count <= 254 else { return false }
        let local = parts[0], domain = parts[1]
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        let localOK = !local.isEmpty && local.count <= 64
            && local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy(atext.contains) }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let domainOK = labels.count >= 1 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        return localOK && domainOK
    }

    static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    static func checkedMessageID(_ id: String) throws -> String {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        let inner = trimmed.hasPrefix("<") && trimmed.hasSuffix(">") ? String(trimmed.dropFirst().dropLast()) : trimmed
        let parts = inner.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              inner.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) }) else {
            throw MailError.invalidMessageID(id)
        }
        return "<\(inner)>"
    }

    /// Headers the composer writes itself cannot be added again.
    static let reservedHeaders: Set<String> = ["date", "from", "to", "cc", "bcc", "reply-to", "subject", "message-id",
                                               "mime-version", "content-type", "content-transfer-encoding", "sender"]

    static func checkHeaderName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 76, name.unicodeScalars.allSatisfy({ $0.value >= 33 && $0.value <= 126 && $0 != ":" }),
              !reservedHeaders.contains(name.lowercased()) else {
            throw MailError.invalidHeaderName(name)
        }
    }

    // MARK: Parts

    static func mailboxHeader(_ name: String, _ mailboxes: [MailAddress]) throws -> String {
        var tokens: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            let address = mailbox.address.trimmingCharacters(in: .whitespaces)
            guard isAddress(address) else { throw MailError.invalidAddress(field: name, address: mailbox.address) }
            let separator = index < mailboxes.count - 1 ? "," : ""
            if let display = mailbox.displayName?.trimmingCharacters(in: .whitespaces), !display.isEmpty {
                let budget = tokens.isEmpty ? MIMEHeaderEncoding.lineLimit - name.count - 2 : 75
                tokens += MIMEHeaderEncoding.phrase(display, firstBudget: budget)
                tokens.append("<\(address)>" + separator)
            } else {
                tokens.append(address + separator)
            }
        }
        return MIMEHeaderEncoding.fold(name: name, tokens: tokens)
    }

    /// The body with CRLF line ends, base64 in lines of 76 characters.
    static func base64Body(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString()
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// "=_UngCuu_…": "=_" never occurs in base64, so the boundary cannot appear inside a part.
    static func boundary(text: String, html: String) -> String {
        let digest = SHA256.hash(data: Data((text + "\u{0}" + html).utf8))
        return "=_UngCuu_" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}

/// Helpers for the SMTP DATA command (RFC 5321 §4.5.2).
public enum SMTPData {
    /// Lines end in CRLF (bare CR or LF become CRLF) and a line starting with "." gets another ".".
    public static func dotStuffed(_ message: Data) -> Data {
        var out = Data()
        out.reserveCapacity(message.count + message.count / 50 + 8)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if previous == 0x0D, byte != 0x0A {
                out.append(0x0A)
                atLineStart = true
            }
            switch byte {
            case 0x0A:
                if previous != 0x0D { out.append(0x0D) }
                out.append(0x0A)
                atLineStart = true
            case 0x0D:
                out.append(0x0D)
                atLineStart = false
            default:
                if atLineStart, byte == 0x2E { out.append(0x2E) }
                out.append(byte)
                atLineStart = false
            }
            previous = byte
        }
        if previous == 0x0D { out.append(0x0A) }
        return out
    }

    /// What to send after the server's 354 reply: the dot-stuffed message, ending in CRLF "." CRLF.
    public static func dataPayload(_ message: Data) -> Data {
        var out = dotStuffed(message)
        if !out.isEmpty, !out.ends(with: [0x0D, 0x0A]) { out.append(contentsOf: [0x0D, 0x0A]) }
        out.append(contentsOf: [0x2E, 0x0D, 0x0A])
        return out
    }
}

private extension Data {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self.suffix(suffix.count)) == suffix
    }
}
