import Foundation

/// One observable (indicator of compromise) as exchanged with STIX 2.1 and MISP, independent of storage.
public struct ExchangeObservable: Sendable, Equatable, Hashable {
    /// UngCuu observable type raw value (`ExchangeObservableType`): ipv4, domain, sha256, …
    public var type: String
    public var value: String
    public var tlp: ExchangeTLP
    public var comment: String?
    public var firstSeen: Date?
    public var tags: [String]

    public init(type: String, value: String, tlp: ExchangeTLP, comment: String? = nil,
                firstSeen: Date? = nil, tags: [String] = []) {
        self.type = type
        self.value = value
        self.tlp = tlp
        self.comment = comment
        self.firstSeen = firstSeen
        self.tags = tags
    }

    public init(type: ExchangeObservableType, value: String, tlp: ExchangeTLP, comment: String? = nil,
                firstSeen: Date? = nil, tags: [String] = []) {
        self.init(type: type.rawValue, value: value, tlp: tlp, comment: comment, firstSeen: firstSeen, tags: tags)
    }

    /// The known type, or nil for a raw value UngCuu does not know.
    public var knownType: ExchangeObservableType? { ExchangeObservableType(rawValue: type) }
}

/// The observable types UngCuu stores (raw values are the stored codes).
public enum ExchangeObservableType: String, Sendable, CaseIterable, Codable {
    case ipv4, ipv6, cidr, domain, url, email, md5, sha1, sha256, sha512
    case fileName = "file_name"
    case filePath = "file_path"
    case registryKey = "registry_key"
    case mutex
    case userAgent = "user_agent"
    case asn, other

    public var isHash: Bool { [.md5, .sha1, .sha256, .sha512].contains(self) }

    /// Types whose values compare without regard to letter case (for de-duplication on import).
    var isCaseInsensitive: Bool { isHash || self == .domain || self == .email }
}

/// Traffic Light Protocol 2.0 (FIRST). Raw values are UngCuu's stored codes.
public enum ExchangeTLP: String, Sendable, CaseIterable, Codable, Comparable {
    case clear, green, amber
    case amberStrict = "amber_strict"
    case red

    /// Higher is more restrictive.
    public var restriction: Int {
        switch self {
        case .clear: return 0
        case .green: return 1
        case .amber: return 2
        case .amberStrict: return 3
        case .red: return 4
        }
    }

    public static func < (lhs: ExchangeTLP, rhs: ExchangeTLP) -> Bool { lhs.restriction < rhs.restriction }

    /// "TLP:AMBER+STRICT".
    public var label: String {
        switch self {
        case .amberStrict: return "TLP:AMBER+STRICT"
        default: return "TLP:" + rawValue.uppercased()
        }
    }

    /// Parses "amber+strict", "TLP:AMBER+STRICT", "amber_strict", "tlp:white" (TLP 1.0 white = clear) …
    public init?(label: String) {
        var text = label.trimmedWhitespace.lowercased()
        if text.hasPrefix("tlp:") { text.removeFirst(4) }
        text = text.replacingOccurrences(of: "+", with: "_").replacingOccurrences(of: "-", with: "_")
        if text == "white" { self = .clear; return }
        guard let tlp = ExchangeTLP(rawValue: text) else { return nil }
        self = tlp
    }
}

/// The case (incident) the observables belong to, as exported.
public struct ExchangeCase: Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var description: String?
    public var created: Date
    public var modified: Date
    /// UngCuu severity code, e.g. "low", "medium", "high", "critical".
    public var severity: String?
    /// Incident category code from the versioned category list, e.g. "malware", "ddos".
    public var categoryCode: String?
    /// Marking of the case as a whole; nil means the most restrictive marking among its observables.
    public var tlp: ExchangeTLP?
    /// True once the response is over (MISP `analysis` = completed).
    public var closed: Bool

    public init(id: UUID, title: String, description: String? = nil, created: Date, modified: Date,
                severity: String? = nil, categoryCode: String? = nil, tlp: ExchangeTLP? = nil, closed: Bool = false) {
        self.id = id
        self.title = title
        self.description = description
        self.created = created
        self.modified = modified
        self.severity = severity
        self.categoryCode = categoryCode
        self.tlp = tlp
        self.closed = closed
    }

    /// The title, or "Sự cố <id>" when it is blank (STIX names and MISP `info` must not be empty).
    public var displayTitle: String {
        nonEmpty(title) ?? "Sự cố \(id.uuidString.lowercased())"
    }

    /// The marking of the case: its own, else the most restrictive of `observables`, else AMBER.
    public func effectiveTLP(observables: [ExchangeObservable]) -> ExchangeTLP {
        tlp ?? observables.map(\.tlp).max() ?? .amber
    }
}

/// Who produces an export: the province's incident-response programme (STIX `identity`, MISP `Orgc`).
public struct ExchangeProducer: Sendable, Equatable {
    /// e.g. "Sở Khoa học và Công nghệ tỉnh Lạng Sơn (UngCuu)".
    public var name: String
    public var contactEmail: String?

    public init(name: String, contactEmail: String? = nil) {
        self.name = name
        self.contactEmail = contactEmail
    }

    /// The name, or "UngCuu" when it is blank.
    public var displayName: String { nonEmpty(name) ?? "UngCuu" }
}
