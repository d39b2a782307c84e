import Foundation

/// Why sending an e-mail failed, in words an operator can act on. Never contains the password.
enum SMTPError: Error, CustomStringConvertible, Equatable {
    case connectFailed(host: String, port: Int, reason: String)
    case timedOut(stage: String, seconds: Double)
    /// The server answered with an error (or an unexpected code) to a command.
    case rejected(stage: String, code: Int, message: String)
    case connectionClosed(stage: String)
    case malformedReply(String)
    case startTLSUnavailable(host: String)
    case authenticationUnavailable(offered: String)
    /// Credentials are configured but the connection is not encrypted and the server is not on this machine.
    case credentialsOverPlaintext(host: String)
    case invalidAddress(String)

    var description: String {
        switch self {
        case .connectFailed(let host, let port, let reason): "cannot connect to the SMTP server \(host):\(port): \(reason)"
        case .timedOut(let stage, let seconds): "the SMTP server did not answer within \(Int(seconds)) s (\(stage))"
        case .rejected(let stage, let code, let message): "the SMTP server refused \(stage): \(code) \(message)"
        case .connectionClosed(let stage): "the SMTP server closed the connection during \(stage)"
        case .malformedReply(let line): "the SMTP server sent something that is not an SMTP reply: \(line.prefix(120))"
        case .startTLSUnavailable(let host): "\(host) does not offer STARTTLS (set UNGCUU_SMTP_TLS=tls for port 465, or none for a local relay)"
        case .authenticationUnavailable(let offered):
            "the SMTP server offers no supported authentication (PLAIN or LOGIN); it offers: \(offered.isEmpty ? "none" : offered)"
        case .credentialsOverPlaintext(let host): "refusing to send the SMTP password to \(host) without TLS (set UNGCUU_SMTP_TLS to starttls or tls)"
        case .invalidAddress(let address): "not a usable e-mail address: \(address.prefix(120))"
        }
    }
}

/// One SMTP reply: the three-digit code and the text of each line.
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let lines: [String]
    var text: String { lines.joined(separator: " ") }
    var isPositive: Bool { (200..<400).contains(code) }
}
