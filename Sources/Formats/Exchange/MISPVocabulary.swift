import Foundation

/// MISP attribute types, categories and tags used by the MISP writer and reader.
enum MISPVocabulary {
    /// MISP type, category and the MISP default of `to_ids` (describeTypes `sane_defaults`).
    static func attributeType(_ type: ExchangeObservableType, value: String) -> (type: String, category: String, toIDS: Bool) {
        switch type {
        case .ipv4, .ipv6, .cidr: return ("ip-dst", "Network activity", true)
        case .domain: return ("domain", "Network activity", true)
        case .url: return ("url", "Network activity", true)
        case .email: return ("email-src", "Payload delivery", true)
        case .md5: return ("md5", "Payload delivery", true)
        case .sha1: return ("sha1", "Payload delivery", true)
        case .sha256: return ("sha256", "Payload delivery", true)
        case .sha512: return ("sha512", "Payload delivery", true)
        case .fileName, .filePath: return ("filename", "Payload delivery", true)
        case .registryKey: return ("regkey", "Persistence mechanism", true)
        case .mutex: return ("mutex", "Artifacts dropped", true)
        case .userAgent: return ("user-agent", "Network activity", false)
        case .asn: return ("AS", "Network activity", false)
        case .other: return ("text", "Other", false)
        }
    }

    /// MISP distribution for a TLP: 0 your organisation only, 1 this community only,
    /// 2 connected communities, 3 all communities.
    static func distribution(_ tlp: ExchangeTLP) -> String {
        switch tlp {
        case .red, .amberStrict: return "0"
        case .amber: return "1"
        case .green: return "2"
        case .clear: return "3"
        }
    }

    /// MISP threat level: 1 high, 2 medium, 3 low, 4 undefined.
    static func threatLevel(severity: String?) -> String {
        switch severity?.lowercased() {
        case "critical", "high", "serious": return "1"
        case "medium", "moderate": return "2"
        case "low", "info", "informational": return "3"
        default: return "4"
        }
    }

    /// "tlp:amber+strict" (MISP tlp taxonomy).
    static func tag(_ tlp: ExchangeTLP) -> String { "tlp:" + STIXVocabulary.tlp2Value(tlp) }

    /// The TLP of a MISP tag ("tlp:amber", "tlp:white", "TLP:AMBER+STRICT"), nil for other tags.
    static func tlp(ofTag name: String) -> ExchangeTLP? {
        let lower = name.trimmedWhitespace.lowercased()
        guard lower.hasPrefix("tlp:") else { return nil }
        return ExchangeTLP(label: lower)
    }

    /// Machine tags the writer adds to the event.
    static let severityTagPrefix = "ungcuu:severity="
    static let categoryTagPrefix = "ungcuu:category="
}
