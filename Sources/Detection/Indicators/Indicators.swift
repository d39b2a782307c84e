import Foundation

/// CONTRACT (issue 6): indicator lists for hunts (IP addresses and CIDR ranges, domains, hashes, strings).
public enum IndicatorKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ip, domain, hash, string
}

public struct Indicator: Sendable, Hashable, Codable {
    public var kind: IndicatorKind
    public var value: String
    public init(kind: IndicatorKind, value: String) { self.kind = kind; self.value = value }
}

public struct IndicatorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) { self.line = line; self.message = message }
    public var description: String { "line \(line): \(message)" }
}

public enum IndicatorList {
    /// One indicator per line (blank lines and `#` comments skipped); the kind is told from the value
    /// (IPv4/IPv6 address or CIDR, MD5/SHA-1/SHA-256 hex, domain name) unless `kind` is given, in which
    /// case values that do not fit it are errors naming the line. Defanged forms (`1.2.3[.]4`,
    /// `example[.]com`, `hxxp://`) are accepted.
    public static func parse(_ text: String, kind: IndicatorKind? = nil) throws(IndicatorError) -> [Indicator] {
        fatalError("IndicatorList.parse: not implemented yet")
    }
}

/// Matches indicators against every field value of an event: IPs by address (CIDR containment),
/// domains by the name or any subdomain inside a value (URL, host, query), hashes case-insensitively
/// as whole tokens (also inside `SHA256=…,MD5=…` lists), strings case-insensitively as substrings.
public struct IndicatorMatcher: Sendable {
    public init(_ indicators: [Indicator]) {
        fatalError("IndicatorMatcher.init: not implemented yet")
    }

    public var isEmpty: Bool { fatalError("IndicatorMatcher.isEmpty: not implemented yet") }

    /// The indicators that occur in the event, each once, with the field it was found in.
    public func matches(_ event: FlatEvent) -> [(indicator: Indicator, field: String)] {
        fatalError("IndicatorMatcher.matches: not implemented yet")
    }
}
