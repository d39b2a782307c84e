import Foundation
import Domain
import Formats

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

/// `X-UngCuu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, by the pure signer of
/// `Formats/Webhooks`; the receiver recomputes it over the timestamp and the raw body and rejects old timestamps.
enum WebhookSigning {
    static let header = Formats.WebhookSignature.headerName

    static func sign(body: [UInt8], secret: [UInt8], timestamp: Int) -> String {
        Formats.WebhookSignature.sign(body: Data(body), secret: Data(secret), timestamp: timestamp)
    }

    /// Checks a header value against the body (receivers, tests).
    static func verify(header value: String, body: [UInt8], secret: [UInt8], now: Date = Date()) -> Bool {
        Formats.WebhookSignature.verify(header: value, body: Data(body), secret: Data(secret), now: Int(now.timeIntervalSince1970))
    }

    static func newSecret() -> String { "whsec_" + Secrets.randomToken(bytes: 24) }
}
