import Foundation
import Crypto
import Domain

/// Which webhook URLs are accepted: https, or plain http only to this machine (a local relay, tests).
/// No user name or password in the URL (they would end up in logs).
enum WebhookURLRule {
    static func problem(with text: String) -> String? {
        guard text.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return "webhooks.urlInvalid"
        }
        guard url.user == nil, url.password == nil else { return "webhooks.urlCredentials" }
        switch scheme {
        case "https": return nil
        case "http": return isLoopback(host) ? nil : "webhooks.urlHttps"
        default: return "webhooks.urlInvalid"
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}

/// Which events an endpoint may receive: an endpoint scoped to an agency only gets events of records
/// owned by that agency or one below it; a province-wide endpoint gets every event of its kinds;
/// records restricted to named people (TLP:RED) never leave by webhook.
enum WebhookScope {
    static func covers(webhookAgency: UUID?, event: NotificationEvent, tree: AgencyTree) -> Bool {
        guard event.restrictedTo == nil else { return false }
        return covers(webhookAgency: webhookAgency, recordAgency: event.agencyId, tree: tree)
    }

    static func covers(webhookAgency: UUID?, recordAgency: UUID?, tree: AgencyTree) -> Bool {
        guard let webhookAgency else { return true }
        guard let recordAgency else { return false }
        return tree.subtree(of: webhookAgency).contains(recordAgency)
    }
}

/// `X-UngCuu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the receiver recomputes
/// the HMAC over the timestamp and the raw body, compares in constant time and rejects old timestamps.
/// Stands in until the signer of `Formats/Webhooks` lands.
enum WebhookSignature {
    static let header = "X-UngCuu-Signature"

    static func sign(body: [UInt8], secret: [UInt8], timestamp: Int) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a header value against the body (receivers, tests); `tolerance` seconds of clock difference.
    static func verify(header value: String, body: [UInt8], secret: [UInt8], now: Date = Date(), tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in value.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = sign(body: body, secret: secret, timestamp: timestamp)
        return signatures.contains { Secrets.constantTimeEquals("t=\(timestamp),v1=" + $0, expected) }
    }

    static func newSecret() -> String { "whsec_" + Secrets.randomToken(bytes: 24) }
}
