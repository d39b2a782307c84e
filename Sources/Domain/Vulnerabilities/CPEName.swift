import Foundation

/// A CPE 2.3 name (NISTIR 7695): eleven attribute values, read from the formatted string binding
/// (`cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*`) or the URI binding nmap emits
/// (`cpe:/a:apache:http_server:2.4.57`), written back in either.
///
/// Names compare case-insensitively. `isSuperset(of:)` is the NISTIR 7696 name match used for NVD criteria:
/// the source (criterion) is a superset of or equal to the target (a component) on every attribute.
public struct CPEName: Sendable, Hashable, CustomStringConvertible {
    public enum Attribute: Int, CaseIterable, Sendable, Hashable, Codable {
        case part, vendor, product, version, update, edition, language, swEdition, targetSW, targetHW, other

        /// The WFN attribute name (`sw_edition`, `target_sw`, …).
        public var name: String {
            switch self {
            case .part: "part"
            case .vendor: "vendor"
            case .product: "product"
            case .version: "version"
            case .update: "update"
            case .edition: "edition"
            case .language: "language"
            case .swEdition: "sw_edition"
            case .targetSW: "target_sw"
            case .targetHW: "target_hw"
            case .other: "other"
            }
        }
    }

    /// The values in attribute order (`values[Attribute.vendor.rawValue]`); always 11.
    public private(set) var values: [CPEValue]

    public init(part: CPEValue = .any, vendor: CPEValue = .any, product: CPEValue = .any, version: CPEValue = .any,
                update: CPEValue = .any, edition: CPEValue = .any, language: CPEValue = .any,
                swEdition: CPEValue = .any, targetSW: CPEValue = .any, targetHW: CPEValue = .any, other: CPEValue = .any) {
        values = [part, vendor, product, version, update, edition, language, swEdition, targetSW, targetHW, other]
    }

    init(values: [CPEValue]) {
        precondition(values.count == 11)
        self.values = values
    }

    /// Reads either binding: `cpe:2.3:…` (formatted string) or `cpe:/…` (URI).
    public init(_ string: String) throws(CPEParseError) {
        let bytes = Array(string.utf8)
        if bytes.count >= 5, CPEParser.hasPrefix(bytes, "cpe:/") {
            self = try CPEParser.parseURI(bytes, input: string)
        } else {
            self = try CPEParser.parseFormattedString(bytes, input: string)
        }
    }

    public init(formattedString string: String) throws(CPEParseError) {
        self = try CPEParser.parseFormattedString(Array(string.utf8), input: string)
    }

    public init(uri string: String) throws(CPEParseError) {
        self = try CPEParser.parseURI(Array(string.utf8), input: string)
    }

    public subscript(_ attribute: Attribute) -> CPEValue {
        get { values[attribute.rawValue] }
        set {
            precondition(attribute != .part || Self.isValidPart(newValue), "a CPE part is a, o, h or ANY")
            values[attribute.rawValue] = newValue
        }
    }

    public var part: CPEValue { values[0] }
    public var vendor: CPEValue { values[1] }
    public var product: CPEValue { values[2] }
    public var version: CPEValue { values[3] }
    public var update: CPEValue { values[4] }
    public var edition: CPEValue { values[5] }

    static func isValidPart(_ v: CPEValue) -> Bool {
        switch v {
        case .any: true
        case .na: false
        case .text(let t): !t.hasWildcards && ["a", "o", "h"].contains(t.folded)
        }
    }

    /// The formatted string binding (NISTIR 7695 §6.2): `cpe:2.3:` and eleven colon-separated values.
    public var formattedString: String {
        var out = "cpe:2.3"
        for v in values {
            out += ":"
            out += v.description
        }
        return out
    }

    public var description: String { formattedString }

    /// The URI binding (NISTIR 7695 §6.1): seven components, the extended attributes packed into the edition
    /// with `~` when any of them is not ANY, trailing empty components dropped, percent-encoding.
    public var uri: String {
        var parts = (0...4).map { Self.uriValue(values[$0]) }
        let extended = values[7...10]
        if extended.allSatisfy({ $0 == .any }) {
            parts.append(Self.uriValue(values[5]))
        } else {
            parts.append("~" + ([values[5]] + extended).map { Self.uriValue($0) }.joined(separator: "~"))
        }
        parts.append(Self.uriValue(values[6]))
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        return "cpe:/" + parts.joined(separator: ":")
    }

    static func uriValue(_ v: CPEValue) -> String {
        switch v {
        case .any: return ""
        case .na: return "-"
        case .text(let t):
            // A lone literal hyphen is encoded, or it would read back as NA.
            if t.literal == "-" && !t.hasWildcards { return "%2d" }
            var out = ""
            func wildcard(_ w: CPEText.Wildcard) {
                switch w {
                case .none: break
                case .star: out += "%02"
                case .questionMarks(let n): out += String(repeating: "%01", count: n)
                }
            }
            wildcard(t.leading)
            for b in t.literal.utf8 {
                switch b {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D: out.unicodeScalars.append(Unicode.Scalar(b))
                default: out += String(format: "%%%02x", b)
                }
            }
            wildcard(t.trailing)
            return out
        }
    }

    // MARK: Matching (NISTIR 7696)

    /// The relation of each attribute of `self` (source) to the same attribute of `target`.
    public func relations(to target: CPEName) -> [CPERelation] {
        (0..<11).map { CPERelation.of(source: values[$0], target: target.values[$0]) }
    }

    /// CPE name match: every attribute of `self` is a superset of or equal to `target`'s.
    public func isSuperset(of target: CPEName) -> Bool {
        for i in 0..<11 where !CPERelation.of(source: values[i], target: target.values[i]).isSupersetOrEqual {
            return false
        }
        return true
    }

    /// Every attribute of `self` is a subset of or equal to `target`'s.
    public func isSubset(of target: CPEName) -> Bool {
        relations(to: target).allSatisfy { $0 == .subset || $0 == .equal }
    }

    /// Some attribute is disjoint.
    public func isDisjoint(with target: CPEName) -> Bool {
        relations(to: target).contains(.disjoint)
    }

    /// Every attribute is equal (case-insensitively); also `==`.
    public func isEqual(to target: CPEName) -> Bool {
        relations(to: target).allSatisfy { $0 == .equal }
    }
}

extension CPEName: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try CPEName(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(formattedString)
    }
}
