import Foundation

/// Outgoing mail server for e-mail notifications, from `UNGCUU_SMTP_*`. Absent host: e-mail is off.
/// The password never appears in descriptions or logs.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain SMTP (only sensible to a relay on the same host or network).
        case none
        /// Plain connection upgraded with STARTTLS before anything else is said; refused if the server cannot.
        case starttls
        /// TLS from the first byte (SMTPS, usually port 465).
        case tls
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var from: String
    public var security: Security
    /// Seconds allowed for connecting and for each reply.
    public var timeoutSeconds: Double = 20

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, from: String, security: Security) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.from = from
        self.security = security
    }

    public var description: String {
        "\(security.rawValue)://\(username.map { "\($0)@" } ?? "")\(host):\(port) from \(from)\(password == nil ? "" : " (password set)")"
    }
    public var debugDescription: String { description }

    static let variables = ["UNGCUU_SMTP_HOST", "UNGCUU_SMTP_PORT", "UNGCUU_SMTP_USERNAME", "UNGCUU_SMTP_PASSWORD", "UNGCUU_SMTP_FROM", "UNGCUU_SMTP_TLS"]

    static func load(from env: [String: String]) throws(AppConfig.Invalid) -> SMTPSettings? {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        guard let host = value("UNGCUU_SMTP_HOST") else { return nil }
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) else {
            throw AppConfig.Invalid(variable: "UNGCUU_SMTP_HOST", problem: "must be a host name or address, such as mail.example.gov.vn")
        }
        let security: Security
        if let raw = value("UNGCUU_SMTP_TLS") {
            guard let parsed = Security(rawValue: raw.lowercased()) else {
                throw AppConfig.Invalid(variable: "UNGCUU_SMTP_TLS", problem: "must be none, starttls or tls")
            }
            security = parsed
        } else {
            security = .starttls
        }
        var port = security == .tls ? 465 : (security == .starttls ? 587 : 25)
        if let raw = value("UNGCUU_SMTP_PORT") {
            guard let number = Int(raw), (1...65535).contains(number) else {
                throw AppConfig.Invalid(variable: "UNGCUU_SMTP_PORT", problem: "must be a port number from 1 to 65535")
            }
            port = number
        }
        guard let from = value("UNGCUU_SMTP_FROM") else {
            throw AppConfig.Invalid(variable: "UNGCUU_SMTP_FROM", problem: "must be set when UNGCUU_SMTP_HOST is (the sender address, e.g. ungcuu@example.gov.vn)")
        }
        guard SMTPAddress.isPlausible(from) else {
            throw AppConfig.Invalid(variable: "UNGCUU_SMTP_FROM", problem: "must be one e-mail address such as ungcuu@example.gov.vn")
        }
        let username = value("UNGCUU_SMTP_USERNAME")
        // Not trimmed: a password may begin or end with a space.
        let password = env["UNGCUU_SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if username != nil && password == nil {
            throw AppConfig.Invalid(variable: "UNGCUU_SMTP_PASSWORD", problem: "must be set when UNGCUU_SMTP_USERNAME is")
        }
        if password != nil && username == nil {
            throw AppConfig.Invalid(variable: "UNGCUU_SMTP_USERNAME", problem: "must be set when UNGCUU_SMTP_PASSWORD is")
        }
        return SMTPSettings(host: host, port: port, username: username, password: password, from: from, security: security)
    }
}

/// The minimal shape check of an address that goes into an SMTP envelope: one `local@domain`, no spaces,
/// angle brackets or line breaks (which could smuggle commands).
enum SMTPAddress {
    static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.utf8.count <= 254 else { return false }
        return !address.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }
}
