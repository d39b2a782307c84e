import Foundation

/// An e-mail address with an optional display name ("Sở Y tế <soyte@langson.gov.vn>").
public struct MailAddress: Sendable, Equatable, Hashable {
    /// The addr-spec, ASCII only ("local@domain"); internationalised domains must be given in punycode.
    public var address: String
    public var displayName: String?

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.displayName = name
    }
}

/// One extra header, e.g. `Auto-Submitted: auto-generated` or `X-UngCuu-Event: incident.assigned`.
public struct MailHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A notification e-mail: plain text, and optionally the same content in HTML.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    /// Envelope recipients only: never written into the headers.
    public var bcc: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var textBody: String
    public var htmlBody: String?
    public var date: Date
    /// "<unique@domain>"; nil lets the composer make one from a random UUID and the sender's domain.
    public var messageID: String?
    public var extraHeaders: [MailHeader]

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], bcc: [MailAddress] = [],
                replyTo: MailAddress? = nil, subject: String, textBody: String, htmlBody: String? = nil,
                date: Date, messageID: String? = nil,
                extraHeaders: [MailHeader] = [MailHeader("Auto-Submitted", "auto-generated")]) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.date = date
        self.messageID = messageID
        self.extraHeaders = extraHeaders
    }

    /// The addresses for SMTP `RCPT TO`: To, Cc and Bcc, each once.
    public var envelopeRecipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }
}

/// Why a message cannot be composed.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header value contains CR, LF or NUL (an attempt to add headers or end the header block).
    case headerInjection(field: String)
    /// Not an ASCII `local@domain` address.
    case invalidAddress(field: String, address: String)
    /// An extra header has an illegal name, or one the composer writes itself.
    case invalidHeaderName(String)
    case invalidMessageID(String)
    case noRecipients

    public var description: String {
        switch self {
        case .headerInjection(let field): return "The \(field) header contains a line break."
        case .invalidAddress(let field, let address): return "\(field): \"\(address)\" is not an e-mail address."
        case .invalidHeaderName(let name): return "\"\(name)\" cannot be used as an extra header."
        case .invalidMessageID(let id): return "\"\(id)\" is not a Message-ID (<unique@domain>)."
        case .noRecipients: return "The message has no recipient."
        }
    }
}
