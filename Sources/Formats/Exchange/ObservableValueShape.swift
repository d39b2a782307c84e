import Foundation

/// Shape checks and normal forms of observable values, used by the readers (to type and refuse values)
/// and the writers (to pick the STIX object and MISP type). The App may check more strictly.
public enum ObservableValueShape {
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), let value = Int(part) else { return false }
            return value <= 255 && (part.count == 1 || part.first != "0")
        }
    }

    public static func isIPv6(_ text: String) -> Bool {
        guard text.count >= 2, text.count <= 45, text.allSatisfy({ $0.isASCIIHexDigit || $0 == ":" || $0 == "." }) else { return false }
        var body = Substring(text)
        var extraGroups = 0
        // A trailing dotted IPv4 part counts as two groups.
        if let lastColon = body.lastIndex(of: ":"), body[lastColon...].contains(".") {
            guard isIPv4(String(body[body.index(after: lastColon)...])) else { return false }
            body = body[...lastColon]
            if !body.hasSuffix("::") { body = body.dropLast() }
            extraGroups = 2
        }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            return items.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isASCIIHexDigit) }) ? items : nil
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 2 {
            guard let tail = groups(halves[1]) else { return false }
            return head.count + tail.count + extraGroups <= 7
        }
        return head.count + extraGroups == 8
    }

    /// "10.0.0.0/8", "2001:db8::/32".
    public static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit), !parts[1].isEmpty else { return false }
        let address = String(parts[0])
        if isIPv4(address) { return (0...32).contains(prefix) }
        if isIPv6(address) { return (0...128).contains(prefix) }
        return false
    }

    public static func isIPv6CIDR(_ text: String) -> Bool {
        isCIDR(text) && text.contains(":")
    }

    /// The UngCuu type of an address-like value: ipv4, ipv6 or cidr; nil if it is none of them.
    public static func addressType(_ text: String) -> ExchangeObservableType? {
        if isIPv4(text) { return .ipv4 }
        if isIPv6(text) { return .ipv6 }
        if isCIDR(text) { return .cidr }
        return nil
    }

    /// Number of hexadecimal digits of each hash type.
    public static func hexLength(of type: ExchangeObservableType) -> Int? {
        switch type {
        case .md5: return 32
        case .sha1: return 40
        case .sha256: return 64
        case .sha512: return 128
        default: return nil
        }
    }

    public static func isHash(_ text: String, of type: ExchangeObservableType) -> Bool {
        guard let length = hexLength(of: type) else { return false }
        return text.utf8.count == length && text.allSatisfy(\.isASCIIHexDigit)
    }

    /// AS number of "AS64500", "as 64500" or "64500" (0 … 4294967295).
    public static func asNumber(_ text: String) -> Int? {
        var digits = Substring(text.trimmedWhitespace)
        if digits.lowercased().hasPrefix("as") { digits = digits.dropFirst(2).drop(while: { $0 == " " }) }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy(\.isASCIIDigit), let number = Int(digits),
              number <= 4_294_967_295 else { return nil }
        return number
    }

    /// True for a path rather than a bare file name ("C:\Windows\x.exe", "/tmp/x").
    public static func looksLikePath(_ text: String) -> Bool {
        text.contains("/") || text.contains("\\")
    }

    /// Refuses values that cannot be exchanged: empty, too long, or with control characters.
    static func check(_ value: String, type: ExchangeObservableType, at location: String, maxLength: Int) throws -> String {
        let trimmed = value.trimmedWhitespace
        guard !trimmed.isEmpty else { throw ExchangeError(.invalidValue, at: location, "The \(type.rawValue) value is empty.") }
        guard trimmed.count <= maxLength else {
            throw ExchangeError(.invalidValue, at: location, "The \(type.rawValue) value has \(trimmed.count) characters; at most \(maxLength) are accepted.")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ExchangeError(.invalidValue, at: location, "The \(type.rawValue) value contains control characters.")
        }
        switch type {
        case .md5, .sha1, .sha256, .sha512:
            guard isHash(trimmed, of: type) else {
                throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not a \(type.rawValue) hash (\(hexLength(of: type) ?? 0) hexadecimal digits).")
            }
            return trimmed.lowercased()
        case .ipv4:
            guard isIPv4(trimmed) else { throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not an IPv4 address.") }
        case .ipv6:
            guard isIPv6(trimmed) else { throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not an IPv6 address.") }
        case .cidr:
            guard isCIDR(trimmed) else { throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not an address range in CIDR notation.") }
        case .asn:
            guard let number = asNumber(trimmed) else { throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not an autonomous system number.") }
            return "AS\(number)"
        case .domain:
            guard !trimmed.contains(where: { $0 == " " || $0 == "/" || $0 == "@" }) else {
                throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not a domain name.")
            }
            return trimmed.lowercased()
        case .email:
            guard trimmed.contains("@"), !trimmed.contains(" ") else {
                throw ExchangeError(.invalidValue, at: location, "\"\(excerpt(trimmed))\" is not an e-mail address.")
            }
        default:
            break
        }
        return trimmed
    }

    /// At most 60 characters of `text`, for messages.
    static func excerpt(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Character {
    var isASCIIHexDigit: Bool { isASCII && isHexDigit }
}
