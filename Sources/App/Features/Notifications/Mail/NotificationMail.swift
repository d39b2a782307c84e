import Foundation
import Formats

/// The e-mail of a notification, composed by the MIME composer of `Formats/Mail` (RFC 5322, UTF-8 encoded-word
/// subject, base64 text part, `Auto-Submitted`; a header value with a line break is refused, never folded in).
enum NotificationMail {
    static func compose(from: String, to: String, subject: String, text: String, date: Date = Date(),
                        messageIdDomain: String) throws -> String {
        let message = MailMessage(from: Formats.MailAddress(from, name: "UngCuu"), to: [Formats.MailAddress(to)], subject: subject,
                                  textBody: text, date: date, messageID: MailComposer.newMessageID(domain: messageIdDomain))
        return String(decoding: try MailComposer.compose(message), as: UTF8.self)
    }
}
