import Foundation

/// The value of one attribute of a CPE 2.3 name (NISTIR 7695 §5.3): the logical values ANY (`*`) and
/// NA (`-`), or a string that may start and/or end with a wildcard.
public enum CPEValue: Sendable, Hashable, CustomStringConvertible {
    case any
    case na
    case text(CPEText)

    /// A literal value without wildcards (`"2.4.57"`, `"http_server"`).
    public static func literal(_ s: String) -> CPEValue { .text(CPEText(literal: s)) }

    public var text: CPEText? {
        if case .text(let t) = self { return t }
        return nil
    }

    /// The value in the formatted-string binding (`*`, `-`, `http_server`, `1.0\:2`, `*beta`).
    public var description: String {
        switch self {
        case .any: "*"
        case .na: "-"
        case .text(let t): t.formatted
        }
    }
}

/// A string attribute value: a literal (unescaped, case preserved) and the unquoted wildcards at its ends.
/// Comparison is case-insensitive (NISTIR 7695 §5.3.2), so equality and hashing use the lowercased literal.
public struct CPEText: Sendable, Hashable {
    /// An unquoted wildcard at one end of a value: `*` (any run of characters) or n `?` (NISTIR 7696 and its
    /// reference implementation: up to n characters).
    public enum Wildcard: Sendable, Hashable {
        case none, star
        case questionMarks(Int)
    }

    public let leading: Wildcard
    public let literal: String
    public let trailing: Wildcard
    /// `literal`, lowercased: what comparisons use.
    public let folded: String

    public init(literal: String, leading: Wildcard = .none, trailing: Wildcard = .none) {
        self.literal = literal
        self.leading = leading
        self.trailing = trailing
        folded = literal.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? literal.lowercased() : literal
    }

    public var hasWildcards: Bool { leading != .none || trailing != .none }

    public static func == (a: CPEText, b: CPEText) -> Bool {
        a.leading == b.leading && a.trailing == b.trailing && a.folded == b.folded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(leading)
        hasher.combine(folded)
        hasher.combine(trailing)
    }

    /// Whether this value, as a pattern (source), matches `target`, a value without wildcards
    /// (NISTIR 7696 §6.1.2 compareStrings). Case-insensitive; allocates nothing.
    public func matches(_ target: CPEText) -> Bool {
        if !hasWildcards { return folded == target.folded }
        let body = folded.utf8, text = target.folded.utf8
        let bodyCount = body.count, textCount = text.count
        guard textCount >= bodyCount else { return false }
        let maxStart: Int
        switch leading {
        case .none: maxStart = 0
        case .star: maxStart = textCount - bodyCount
        case .questionMarks(let n): maxStart = Swift.min(n, textCount - bodyCount)
        }
        var start = 0
        var startIndex = text.startIndex
        while start <= maxStart {
            let leftover = textCount - start - bodyCount
            let tailOK: Bool
            switch trailing {
            case .none: tailOK = leftover == 0
            case .star: tailOK = true
            case .questionMarks(let n): tailOK = leftover <= n
            }
            if tailOK && text[startIndex...].starts(with: body) { return true }
            start += 1
            startIndex = text.index(after: startIndex)
        }
        return false
    }

    /// The value in the formatted-string binding: wildcards unquoted, every other character that is not
    /// alphanumeric, `_`, `.` or `-` quoted with a backslash (a lone `-` is quoted so it does not read as NA).
    public var formatted: String {
        var out = ""
        out.reserveCapacity(literal.utf8.count + 4)
        Self.append(leading, to: &out)
        if literal == "-" && !hasWildcards {
            out += "\\-"
        } else {
            for scalar in literal.unicodeScalars {
                if !CPESyntax.isPlainInFS(scalar) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
        }
        Self.append(trailing, to: &out)
        return out
    }

    static func append(_ w: Wildcard, to out: inout String) {
        switch w {
        case .none: break
        case .star: out += "*"
        case .questionMarks(let n): out += String(repeating: "?", count: n)
        }
    }
}

/// How a source (criterion) value relates to a target value (NISTIR 7696 §6.1, Table 6-2).
public enum CPERelation: String, Sendable, Hashable, Codable {
    case superset, subset, equal, disjoint
    /// The target has wildcards: the specification leaves the relation undefined.
    case undefined

    /// NISTIR 7696 attribute comparison, case-insensitive.
    public static func of(source: CPEValue, target: CPEValue) -> CPERelation {
        switch (source, target) {
        case (_, .text(let t)) where t.hasWildcards: return .undefined
        case (.any, .any), (.na, .na): return .equal
        case (.any, _): return .superset
        case (_, .any): return .subset
        case (.na, _), (_, .na): return .disjoint
        case (.text(let s), .text(let t)):
            if s == t { return .equal }
            return s.matches(t) ? .superset : .disjoint
        }
    }

    /// Whether a source value with this relation to the target still matches it (the CPE name match test).
    public var isSupersetOrEqual: Bool { self == .superset || self == .equal }
}

enum CPESyntax {
    /// Characters the formatted string writes without a backslash (besides non-ASCII, passed through).
    static func isPlainInFS(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D: true
        case 0x80...: true
        default: false
        }
    }

    static func isPlainInFS(byte b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D, 0x80...: true
        default: false
        }
    }
}
