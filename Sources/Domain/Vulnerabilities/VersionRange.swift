import Foundation

/// A range of versions ordered by `VersionOrder`, each end optional and including or excluding its version
/// (NVD `versionStartIncluding` … `versionEndExcluding`). With no ends it is every version.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    public struct Bound: Sendable, Hashable {
        public let version: ComparableVersion
        public let inclusive: Bool
    }

    public let lower: Bound?
    public let upper: Bound?

    public static let any = VersionRange()

    public init(startIncluding: String? = nil, startExcluding: String? = nil,
                endIncluding: String? = nil, endExcluding: String? = nil) {
        lower = Self.bound(startIncluding, true) ?? Self.bound(startExcluding, false)
        upper = Self.bound(endIncluding, true) ?? Self.bound(endExcluding, false)
    }

    init(lower: Bound?, upper: Bound?) {
        self.lower = lower
        self.upper = upper
    }

    private static func bound(_ text: String?, _ inclusive: Bool) -> Bound? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return Bound(version: ComparableVersion(t), inclusive: inclusive)
    }

    /// Exactly one version.
    public static func exactly(_ version: String) -> VersionRange {
        VersionRange(startIncluding: version, endIncluding: version)
    }

    public var startIncluding: String? { lower.flatMap { $0.inclusive ? $0.version.text : nil } }
    public var startExcluding: String? { lower.flatMap { $0.inclusive ? nil : $0.version.text } }
    public var endIncluding: String? { upper.flatMap { $0.inclusive ? $0.version.text : nil } }
    public var endExcluding: String? { upper.flatMap { $0.inclusive ? nil : $0.version.text } }

    public var isAny: Bool { lower == nil && upper == nil }

    /// The single version when both ends include the same version.
    public var exactVersion: String? {
        guard let l = lower, let u = upper, l.inclusive, u.inclusive, l.version == u.version else { return nil }
        return l.version.text
    }

    public func contains(_ v: ComparableVersion) -> Bool {
        if let l = lower {
            let c = v.compare(to: l.version)
            if c == .orderedAscending || (c == .orderedSame && !l.inclusive) { return false }
        }
        if let u = upper {
            let c = v.compare(to: u.version)
            if c == .orderedDescending || (c == .orderedSame && !u.inclusive) { return false }
        }
        return true
    }

    public func contains(_ version: String) -> Bool { contains(ComparableVersion(version)) }

    /// `>= 2.4.0, < 2.4.58`, `= 1.2.3` or `*`: the form `init(parsing:)` reads.
    public var description: String {
        if let v = exactVersion { return "= \(v)" }
        var parts: [String] = []
        if let l = lower { parts.append("\(l.inclusive ? ">=" : ">") \(l.version.text)") }
        if let u = upper { parts.append("\(u.inclusive ? "<=" : "<") \(u.version.text)") }
        return parts.isEmpty ? "*" : parts.joined(separator: ", ")
    }

    /// "from 2.4.0 up to (excluding) 2.4.58", "version 1.2.3", "all versions".
    public var english: String {
        if let v = exactVersion { return "version \(v)" }
        var parts: [String] = []
        if let l = lower { parts.append(l.inclusive ? "from \(l.version.text)" : "after \(l.version.text)") }
        if let u = upper { parts.append(u.inclusive ? "up to (including) \(u.version.text)" : "up to (excluding) \(u.version.text)") }
        return parts.isEmpty ? "all versions" : parts.joined(separator: " ")
    }

    /// "từ 2.4.0 đến trước 2.4.58", "phiên bản 1.2.3", "mọi phiên bản".
    public var vietnamese: String {
        if let v = exactVersion { return "phiên bản \(v)" }
        var parts: [String] = []
        if let l = lower { parts.append(l.inclusive ? "từ \(l.version.text)" : "sau \(l.version.text)") }
        if let u = upper { parts.append(u.inclusive ? "đến hết \(u.version.text)" : "đến trước \(u.version.text)") }
        return parts.isEmpty ? "mọi phiên bản" : parts.joined(separator: " ")
    }
}

extension VersionRange: Codable {
    enum CodingKeys: String, CodingKey {
        case startIncluding, startExcluding, endIncluding, endExcluding
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(startIncluding: try c.decodeIfPresent(String.self, forKey: .startIncluding),
                  startExcluding: try c.decodeIfPresent(String.self, forKey: .startExcluding),
                  endIncluding: try c.decodeIfPresent(String.self, forKey: .endIncluding),
                  endExcluding: try c.decodeIfPresent(String.self, forKey: .endExcluding))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(startIncluding, forKey: .startIncluding)
        try c.encodeIfPresent(startExcluding, forKey: .startExcluding)
        try c.encodeIfPresent(endIncluding, forKey: .endIncluding)
        try c.encodeIfPresent(endExcluding, forKey: .endExcluding)
    }
}

/// Why a version expression could not be read.
public struct VersionRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    public let message: String
    public var description: String { "Invalid version range \"\(expression)\": \(message)" }
}

extension VersionRange {
    /// Reads the simple form of manual warnings: `*` (or empty, `all`) for every version, `= 1.2.3` or a bare
    /// `1.2.3` for one version, one or two comparisons (`< 2.4.58`, `>= 2.4.0 < 2.4.58`, `>=2.4.0, <=2.4.57`),
    /// or `2.4.0 - 2.4.57` (both ends included). A `vers:` string is read by `parseVers`.
    public init(parsing expression: String) throws(VersionRangeError) {
        let text = expression.trimmingCharacters(in: .whitespaces)
        func fail(_ m: String) -> VersionRangeError { VersionRangeError(expression: expression, message: m) }
        if text.isEmpty || text == "*" || text.lowercased() == "all" {
            self = .any
            return
        }
        let dash = text.components(separatedBy: " - ")
        if dash.count == 2, !dash[0].isEmpty, !dash[1].isEmpty, !dash[0].contains(where: { "<>=".contains($0) }) {
            self = try Self.checked(VersionRange(startIncluding: dash[0], endIncluding: dash[1]), expression)
            return
        }
        var lower: Bound?, upper: Bound?
        var s = Substring(text)
        var sawComparison = false
        while true {
            s = s.drop(while: { $0 == " " || $0 == "," || $0 == ";" })
            if s.isEmpty { break }
            var op = ""
            while let c = s.first, "<>=!".contains(c) { op.append(c); s = s.dropFirst() }
            s = s.drop(while: { $0 == " " })
            let version = String(s.prefix(while: { $0 != " " && $0 != "," && $0 != ";" }))
            s = s.dropFirst(version.count)
            guard !version.isEmpty else { throw fail("\"\(op)\" has no version after it") }
            if op.isEmpty && sawComparison { throw fail("expected a comparison (<, <=, >, >=, =) before \"\(version)\"") }
            sawComparison = true
            let v = ComparableVersion(version)
            switch op {
            case "", "=", "==":
                guard lower == nil && upper == nil else { throw fail("\"= \(version)\" cannot be combined with another comparison") }
                lower = Bound(version: v, inclusive: true)
                upper = lower
                guard s.drop(while: { $0 == " " || $0 == "," || $0 == ";" }).isEmpty else {
                    throw fail("\"= \(version)\" cannot be combined with another comparison")
                }
            case ">", ">=":
                guard lower == nil else { throw fail("two lower bounds") }
                lower = Bound(version: v, inclusive: op == ">=")
            case "<", "<=":
                guard upper == nil else { throw fail("two upper bounds") }
                upper = Bound(version: v, inclusive: op == "<=")
            default:
                throw fail("unknown comparison \"\(op)\" (use <, <=, >, >=, =)")
            }
        }
        self = try Self.checked(VersionRange(lower: lower, upper: upper), expression)
    }

    private static func checked(_ r: VersionRange, _ expression: String) throws(VersionRangeError) -> VersionRange {
        if let l = r.lower, let u = r.upper {
            let c = l.version.compare(to: u.version)
            if c == .orderedDescending || (c == .orderedSame && !(l.inclusive && u.inclusive)) {
                throw VersionRangeError(expression: expression, message: "the range is empty (its start is above its end)")
            }
        }
        return r
    }

    /// Reads a `vers:` version range specifier (`vers:generic/>=2.4.0|<2.4.58`, package-url/vers-spec):
    /// `|`-separated constraints in ascending order, each `*`, `=`, `!=`, `<`, `<=`, `>`, `>=` and a version.
    /// Returns the ranges (any of which matches) and the excluded (`!=`) versions.
    public static func parseVers(_ vers: String) throws(VersionRangeError) -> (ranges: [VersionRange], excluded: [String]) {
        func fail(_ m: String) -> VersionRangeError { VersionRangeError(expression: vers, message: m) }
        let text = vers.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("vers:"), let slash = text.firstIndex(of: "/") else {
            throw fail("a vers range reads vers:<scheme>/<constraints>")
        }
        let constraints = text[text.index(after: slash)...].split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if constraints == ["*"] { return ([.any], []) }
        var ranges: [VersionRange] = [], excluded: [String] = []
        var open: Bound?
        for c in constraints {
            guard !c.isEmpty else { throw fail("empty constraint") }
            var op = String(c.prefix(while: { "<>=!".contains($0) }))
            let version = c.dropFirst(op.count).trimmingCharacters(in: .whitespaces).removingPercentEncoding ?? ""
            guard !version.isEmpty, version != "*" else { throw fail("constraint \"\(c)\" has no version") }
            if op.isEmpty { op = "=" }
            let v = ComparableVersion(version)
            switch op {
            case "=":
                ranges.append(.exactly(version))
            case "!=":
                excluded.append(version)
            case ">", ">=":
                guard open == nil else { throw fail("two lower bounds in a row") }
                open = Bound(version: v, inclusive: op == ">=")
            case "<", "<=":
                ranges.append(try checked(VersionRange(lower: open, upper: Bound(version: v, inclusive: op == "<=")), vers))
                open = nil
            default:
                throw fail("unknown comparator \"\(op)\"")
            }
        }
        if let o = open { ranges.append(VersionRange(lower: o, upper: nil)) }
        if ranges.isEmpty && !excluded.isEmpty { ranges = [.any] }
        return (ranges, excluded)
    }
}
