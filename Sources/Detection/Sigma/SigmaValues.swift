import Foundation

// MARK: - Patterns (Sigma strings with wildcards)

/// One piece of a Sigma string: literal bytes (UTF-8, or UTF-16 after `wide`), `*`, `?`, or a
/// `%placeholder%` left by `expand`.
enum SigmaPatternPart: Sendable, Hashable {
    case literal([UInt8])
    case star
    case single
    case placeholder(String)
}

/// A Sigma string value: wildcards `*` (any run) and `?` (one character), `\*` `\?` `\\` escapes, and a
/// backslash before any other character is a plain backslash (pySigma's `SigmaString`).
struct SigmaPattern: Sendable, Hashable {
    var parts: [SigmaPatternPart]
    var cased = false

    init(parts: [SigmaPatternPart], cased: Bool = false) {
        self.parts = SigmaPattern.merged(parts)
        self.cased = cased
    }

    /// Parses a rule's string with Sigma's wildcard and escape rules.
    init(sigma text: String) {
        var parts: [SigmaPatternPart] = []
        var acc: [UInt8] = []
        var escaped = false
        let backslash = UInt8(ascii: "\\"), star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        for c in text.utf8 {
            if escaped {
                if c == star || c == question || c == backslash {
                    acc.append(c)
                } else {
                    acc.append(backslash); acc.append(c)
                }
                escaped = false
            } else if c == backslash {
                escaped = true
            } else if c == star || c == question {
                if !acc.isEmpty { parts.append(.literal(acc)); acc = [] }
                parts.append(c == star ? .star : .single)
            } else {
                acc.append(c)
            }
        }
        if escaped { acc.append(backslash) }
        if !acc.isEmpty { parts.append(.literal(acc)) }
        self.parts = parts
    }

    static func literal(_ text: String) -> SigmaPattern {
        SigmaPattern(parts: text.isEmpty ? [] : [.literal(Array(text.utf8))])
    }

    static func merged(_ parts: [SigmaPatternPart]) -> [SigmaPatternPart] {
        var out: [SigmaPatternPart] = []
        out.reserveCapacity(parts.count)
        for p in parts {
            if case .literal(let b) = p {
                if b.isEmpty { continue }
                if case .literal(let a)? = out.last { out[out.count - 1] = .literal(a + b); continue }
            }
            out.append(p)
        }
        return out
    }

    var placeholders: [String] {
        parts.compactMap { if case .placeholder(let n) = $0 { return n } else { return nil } }
    }
    var startsWithStar: Bool { parts.first == .star }
    var endsWithStar: Bool { parts.last == .star }

    /// The bytes of a pattern without wildcards.
    var plainBytes: [UInt8]? {
        var out: [UInt8] = []
        for p in parts {
            guard case .literal(let b) = p else { return nil }
            out += b
        }
        return out
    }

    /// How the rule wrote it, for messages.
    var display: String {
        var s = ""
        for p in parts {
            switch p {
            case .literal(let b): s += String(decoding: b, as: UTF8.self)
            case .star: s += "*"
            case .single: s += "?"
            case .placeholder(let n): s += "%\(n)%"
            }
        }
        return s
    }

    /// `expand`: `%name%` inside literal pieces becomes a placeholder (a name is non-empty and has no
    /// backslash; a lone `%` stays literal).
    func insertingPlaceholders() -> SigmaPattern {
        var out: [SigmaPatternPart] = []
        for p in parts {
            guard case .literal(let b) = p else { out.append(p); continue }
            var acc: [UInt8] = []
            var i = 0
            while i < b.count {
                if b[i] == UInt8(ascii: "%"), let end = b[(i + 1)...].firstIndex(of: UInt8(ascii: "%")), end > i + 1,
                   !b[(i + 1)..<end].contains(UInt8(ascii: "\\")) {
                    if !acc.isEmpty { out.append(.literal(acc)); acc = [] }
                    out.append(.placeholder(String(decoding: b[(i + 1)..<end], as: UTF8.self)))
                    i = end + 1
                    continue
                }
                acc.append(b[i]); i += 1
            }
            if !acc.isEmpty { out.append(.literal(acc)) }
        }
        return SigmaPattern(parts: out, cased: cased)
    }

    /// Replaces placeholders with every combination of their configured values (each value is a Sigma
    /// string with wildcards). Nil names the first placeholder that has no values.
    func expandingPlaceholders(_ values: [String: [String]], limit: Int = 200) -> Result<[SigmaPattern], SigmaValueError> {
        var results: [[SigmaPatternPart]] = [[]]
        for p in parts {
            guard case .placeholder(let name) = p else {
                for i in results.indices { results[i].append(p) }
                continue
            }
            guard let list = SigmaPlaceholders.values(of: name, in: values), !list.isEmpty else {
                return .failure(SigmaValueError(SigmaPlaceholders.unconfigured(name)))
            }
            var next: [[SigmaPatternPart]] = []
            for r in results {
                for v in list {
                    next.append(r + SigmaPattern(sigma: v).parts)
                    if next.count > limit {
                        return .failure(SigmaValueError("placeholder expansion gives more than \(limit) values"))
                    }
                }
            }
            results = next
        }
        return .success(results.map { SigmaPattern(parts: $0, cased: cased) })
    }
}

struct SigmaValueError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

enum SigmaPlaceholders {
    /// A placeholder's configured values (names compared exactly, then without regard to case).
    static func values(of name: String, in placeholders: [String: [String]]) -> [String]? {
        placeholders[name] ?? placeholders.first(where: { $0.key.lowercased() == name.lowercased() })?.value
    }

    static func unconfigured(_ placeholder: String) -> String {
        "placeholder %\(placeholder)% is not configured (the expand modifier needs its values)"
    }
}

// MARK: - Value types after modifiers

enum SigmaCompareOp: String, Sendable, Hashable {
    case lt, lte, gt, gte
}

enum SigmaTimePart: String, Sendable, Hashable {
    case minute, hour, day, week, month, year
}

enum SigmaFieldRefMode: Sendable, Hashable {
    case equals, startswith, endswith, contains
}

/// A regular expression as the rule wrote it, with its flags; compiled with `SafeRegex` by the engine.
struct SigmaRegexSpec: Sendable, Hashable {
    var source: SigmaPattern  // literal pieces and placeholders only (no wildcards)
    var options: SafeRegex.Options

    func text(placeholders: [String: [String]]) -> Result<[String], SigmaValueError> {
        var results = [""]
        for p in source.parts {
            switch p {
            case .literal(let b):
                let s = String(decoding: b, as: UTF8.self)
                for i in results.indices { results[i] += s }
            case .placeholder(let name):
                guard let list = SigmaPlaceholders.values(of: name, in: placeholders), !list.isEmpty else {
                    return .failure(SigmaValueError(SigmaPlaceholders.unconfigured(name)))
                }
                results = results.flatMap { r in list.map { r + $0 } }
                if results.count > 200 { return .failure(SigmaValueError("placeholder expansion gives more than 200 values")) }
            case .star: for i in results.indices { results[i] += "*" }
            case .single: for i in results.indices { results[i] += "?" }
            }
        }
        return .success(results)
    }
}

/// A number as pySigma keeps it: an integer when the value is integral, else a float.
struct SigmaNumber: Sendable, Hashable {
    var value: Double
    var text: String

    init(int: Int64) { value = Double(int); text = String(int) }
    init?(double: Double) {
        guard double.isFinite else { return nil }
        value = double
        text = SigmaScalar.pythonText(double)
    }
    init?(text: String) {
        if let i = Int64(text) { self.init(int: i); return }
        guard let d = Double(text), d.isFinite else { return nil }
        self.init(double: d)
    }
}

/// An IPv4 or IPv6 network.
struct SigmaCIDR: Sendable, Hashable {
    var address: [UInt8]  // 4 or 16 bytes, host bits cleared
    var prefix: Int
    var text: String

    init?(_ text: String) {
        self.text = text
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addr = SigmaIP.parse(Substring(pieces[0])) else { return nil }
        let bits = addr.count * 8
        var prefix = bits
        if pieces.count == 2 {
            guard let p = Int(pieces[1]), p >= 0, p <= bits else { return nil }
            prefix = p
        }
        var masked = addr
        for i in 0..<masked.count {
            let keep = max(0, min(8, prefix - i * 8))
            let mask: UInt8 = keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
            masked[i] &= mask
        }
        self.address = masked
        self.prefix = prefix
    }

    func contains(_ addr: [UInt8]) -> Bool {
        guard addr.count == address.count else { return false }
        var remaining = prefix
        var i = 0
        while remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if addr[i] & mask != address[i] { return false }
            remaining -= take
            i += 1
        }
        return true
    }
}

enum SigmaIP {
    /// Parses an IPv4 dotted quad or an IPv6 address (with `::`, an IPv4 tail, and a `%zone` ignored).
    static func parse(_ s: Substring) -> [UInt8]? {
        if s.contains(":") { return parse6(s) }
        return parse4(s)
    }

    static func parse4(_ s: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var value = 0, digits = 0
        for c in s.utf8 {
            if c == UInt8(ascii: ".") {
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value)); value = 0; digits = 0
            } else if c >= 0x30 && c <= 0x39 {
                value = value * 10 + Int(c - 0x30); digits += 1
                guard value <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    static func parse6(_ input: Substring) -> [UInt8]? {
        var s = input
        if let pct = s.firstIndex(of: "%") { s = s[..<pct] }
        if s.hasPrefix("[") && s.hasSuffix("]") { s = s.dropFirst().dropLast() }
        guard s.utf8.count <= 45 else { return nil }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowV4Tail: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var out: [UInt8] = []
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, item) in items.enumerated() {
                if i == items.count - 1, allowV4Tail, item.contains(".") {
                    guard let v4 = parse4(item) else { return nil }
                    out += v4
                    continue
                }
                guard !item.isEmpty, item.utf8.count <= 4, let v = UInt16(item, radix: 16) else { return nil }
                out.append(UInt8(v >> 8)); out.append(UInt8(v & 0xFF))
            }
            return out
        }
        if halves.count == 1 {
            guard let g = groups(halves[0], allowV4Tail: true), g.count == 16 else { return nil }
            return g
        }
        guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
              head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

/// A value of a detection item once its modifiers are applied (pySigma's Sigma types).
indirect enum SigmaValue: Sendable {
    case string(SigmaPattern)
    case number(SigmaNumber)
    case bool(Bool)
    case null
    case regex(SigmaRegexSpec)
    case cidr(SigmaCIDR)
    case compare(SigmaCompareOp, SigmaNumber)
    case fieldref(String, SigmaFieldRefMode, cased: Bool)
    case exists(Bool)
    case timePart(SigmaTimePart, SigmaNumber)
    case timeCompare(SigmaTimePart, SigmaCompareOp, SigmaNumber)
    case expansion([SigmaValue])

    var typeName: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        case .regex: return "regular expression"
        case .cidr: return "CIDR network"
        case .compare: return "comparison"
        case .fieldref: return "field reference"
        case .exists: return "exists test"
        case .timePart, .timeCompare: return "time part"
        case .expansion: return "expansion"
        }
    }
}

// MARK: - Modifiers

enum SigmaModifier: String, Sendable, CaseIterable {
    case contains, startswith, endswith, all, base64, base64offset
    case wide, utf16le, utf16be, utf16, windash, re, i, m, s
    case ignorecase, multiline, dotall, cased, cidr, exists
    case lt, lte, gt, gte, neq, fieldref, expand
    case minute, hour, day, week, month, year

    static func named(_ name: String) -> SigmaModifier? {
        SigmaModifier(rawValue: name)
    }
}

enum SigmaModifiers {
    /// Applies one value modifier to one value (pySigma's `SigmaValueModifier.apply`, including the
    /// per-item handling of expansions).
    static func apply(_ modifier: SigmaModifier, to value: SigmaValue, applied: [SigmaModifier], field: String?) throws(SigmaValueError) -> [SigmaValue] {
        if case .expansion(let items) = value, modifier != .all, modifier != .neq {
            var out: [SigmaValue] = []
            for item in items { out += try apply(modifier, to: item, applied: applied, field: field) }
            return [.expansion(out)]
        }
        func mismatch() -> SigmaValueError {
            SigmaValueError("modifier '\(modifier.rawValue)' cannot be applied to a \(value.typeName) value")
        }
        /// Numbers and booleans written without quotes are accepted where a string is expected.
        func asString() throws(SigmaValueError) -> SigmaPattern {
            switch value {
            case .string(let p): return p
            case .number(let n): return SigmaPattern.literal(n.text)
            case .bool(let b): return SigmaPattern.literal(b ? "true" : "false")
            default: throw mismatch()
            }
        }
        switch modifier {
        case .all, .neq:
            return [value]  // list modifiers, handled by the caller
        case .contains, .startswith, .endswith:
            switch value {
            case .regex:
                // A regex is searched anywhere in the value already; pySigma only adds `.*`.
                return [value]
            case .fieldref(let f, let mode, let cased):
                var starts = mode == .startswith || mode == .contains
                var ends = mode == .endswith || mode == .contains
                if modifier == .contains || modifier == .startswith { starts = true }
                if modifier == .contains || modifier == .endswith { ends = true }
                let newMode: SigmaFieldRefMode = starts && ends ? .contains : (starts ? .startswith : (ends ? .endswith : .equals))
                return [.fieldref(f, newMode, cased: cased)]
            default:
                var p = try asString()
                if modifier != .startswith, !p.startsWithStar { p.parts.insert(.star, at: 0) }
                if modifier != .endswith, !p.endsWithStar { p.parts.append(.star) }
                return [.string(p)]
            }
        case .base64, .base64offset:
            let p = try asString()
            guard let bytes = p.plainBytes, p.placeholders.isEmpty else {
                throw SigmaValueError("modifier '\(modifier.rawValue)' cannot encode a value with wildcards ('\(p.display)')")
            }
            if modifier == .base64 {
                return [.string(SigmaPattern(parts: [.literal(Array(SigmaBase64.encode(bytes).utf8))], cased: p.cased))]
            }
            var variants: [SigmaValue] = []
            let startOffsets = [0, 2, 3]
            let endOffsets = [0, -3, -2]  // 0 means none
            for i in 0..<3 {
                let encoded = Array(SigmaBase64.encode([UInt8](repeating: 0x20, count: i) + bytes).utf8)
                let start = startOffsets[i]
                let endCut = endOffsets[(bytes.count + i) % 3]
                let end = encoded.count + endCut
                let slice = start < end ? Array(encoded[start..<end]) : []
                variants.append(.string(SigmaPattern(parts: slice.isEmpty ? [] : [.literal(slice)], cased: p.cased)))
            }
            return [.expansion(variants)]
        case .wide, .utf16le, .utf16be, .utf16:
            let p = try asString()
            var parts: [SigmaPatternPart] = []
            if modifier == .utf16 { parts.append(.literal([0xFF, 0xFE])) }
            for part in p.parts {
                if case .literal(let b) = part {
                    let s = String(decoding: b, as: UTF8.self)
                    var out: [UInt8] = []
                    for unit in s.utf16 {
                        if modifier == .utf16be {
                            out.append(UInt8(unit >> 8)); out.append(UInt8(unit & 0xFF))
                        } else {
                            out.append(UInt8(unit & 0xFF)); out.append(UInt8(unit >> 8))
                        }
                    }
                    parts.append(.literal(out))
                } else {
                    parts.append(part)
                }
            }
            return [.string(SigmaPattern(parts: parts, cased: p.cased))]
        case .windash:
            let p = try asString()
            return [.expansion(try SigmaWindash.expand(p).map { .string($0) })]
        case .re:
            guard applied.isEmpty else {
                throw SigmaValueError("modifier 're' must come first (it applies to the value as written)")
            }
            guard case .string(let p) = value else { throw mismatch() }
            return [.regex(SigmaRegexSpec(source: p, options: []))]
        case .i, .ignorecase, .m, .multiline, .s, .dotall:
            guard case .regex(var spec) = value else { throw mismatch() }
            switch modifier {
            case .i, .ignorecase: spec.options.insert(.caseInsensitive)
            case .m, .multiline: spec.options.insert(.multiline)
            default: spec.options.insert(.dotAll)
            }
            return [.regex(spec)]
        case .cased:
            switch value {
            case .string(var p): p.cased = true; return [.string(p)]
            case .fieldref(let f, let mode, _): return [.fieldref(f, mode, cased: true)]
            default:
                var p = try asString(); p.cased = true; return [.string(p)]
            }
        case .cidr:
            guard applied.isEmpty else { throw SigmaValueError("modifier 'cidr' applies only to the value as written") }
            let p = try asString()
            guard let text = p.plainBytes.map({ String(decoding: $0, as: UTF8.self) }), let net = SigmaCIDR(text) else {
                throw SigmaValueError("'\(p.display)' is not a CIDR network")
            }
            return [.cidr(net)]
        case .exists:
            guard field != nil else { throw SigmaValueError("modifier 'exists' needs a field") }
            guard applied.isEmpty else { throw SigmaValueError("modifier 'exists' applies only to the value as written") }
            guard case .bool(let b) = value else { throw SigmaValueError("modifier 'exists' needs true or false, got a \(value.typeName) value") }
            return [.exists(b)]
        case .lt, .lte, .gt, .gte:
            let op = SigmaCompareOp(rawValue: modifier.rawValue) ?? .lt
            switch value {
            case .number(let n): return [.compare(op, n)]
            case .timePart(let part, let n): return [.timeCompare(part, op, n)]
            case .string(let p):
                if let b = p.plainBytes, let n = SigmaNumber(text: String(decoding: b, as: UTF8.self)) { return [.compare(op, n)] }
                throw mismatch()
            default: throw mismatch()
            }
        case .fieldref:
            let p = try asString()
            guard let b = p.plainBytes, !b.isEmpty else {
                throw SigmaValueError("a field reference must be a plain field name ('\(p.display)')")
            }
            return [.fieldref(String(decoding: b, as: UTF8.self), .equals, cased: p.cased)]
        case .expand:
            switch value {
            case .string(let p): return [.string(p.insertingPlaceholders())]
            case .regex(var spec): spec.source = spec.source.insertingPlaceholders(); return [.regex(spec)]
            default: throw mismatch()
            }
        case .minute, .hour, .day, .week, .month, .year:
            let part = SigmaTimePart(rawValue: modifier.rawValue) ?? .year
            switch value {
            case .number(let n): return [.timePart(part, n)]
            case .string(let p):
                if let b = p.plainBytes, let n = SigmaNumber(text: String(decoding: b, as: UTF8.self)) { return [.timePart(part, n)] }
                throw mismatch()
            default: throw mismatch()
            }
        }
    }
}

enum SigmaBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            out.append(alphabet[v >> 18 & 63]); out.append(alphabet[v >> 12 & 63])
            out.append(alphabet[v >> 6 & 63]); out.append(alphabet[v & 63])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = Int(bytes[i]) << 16
            out.append(alphabet[v >> 18 & 63]); out.append(alphabet[v >> 12 & 63])
            out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let v = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8
            out.append(alphabet[v >> 18 & 63]); out.append(alphabet[v >> 12 & 63])
            out.append(alphabet[v >> 6 & 63]); out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum SigmaWindash {
    /// The dash characters `windash` puts in place of each other: -, /, en dash, em dash, horizontal bar.
    static let dashes: [[UInt8]] = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"].map { Array($0.utf8) }
    static let maxExpanded = 3

    /// pySigma: every `-` or `/` matching `\B[-/]\b` inside a literal piece (not preceded by a word
    /// character, followed by one) takes each of the five forms; at most three per value.
    static func expand(_ p: SigmaPattern) throws(SigmaValueError) -> [SigmaPattern] {
        // Split literal pieces at expandable dashes, marked with a placeholder-like sentinel.
        enum Piece { case part(SigmaPatternPart); case dash }
        var pieces: [Piece] = []
        var count = 0
        for part in p.parts {
            guard case .literal(let b) = part else { pieces.append(.part(part)); continue }
            let scalars = Array(String(decoding: b, as: UTF8.self).unicodeScalars)
            var acc = ""
            for (i, u) in scalars.enumerated() {
                if (u == "-" || u == "/"), i + 1 < scalars.count, isWord(scalars[i + 1]), i == 0 || !isWord(scalars[i - 1]) {
                    if !acc.isEmpty { pieces.append(.part(.literal(Array(acc.utf8)))); acc = "" }
                    pieces.append(.dash)
                    count += 1
                } else {
                    acc.unicodeScalars.append(u)
                }
            }
            if !acc.isEmpty { pieces.append(.part(.literal(Array(acc.utf8)))) }
        }
        if count > maxExpanded {
            throw SigmaValueError("windash expands at most \(maxExpanded) dashes in one value ('\(p.display)' has \(count))")
        }
        var results: [[SigmaPatternPart]] = [[]]
        for piece in pieces {
            switch piece {
            case .part(let part): for i in results.indices { results[i].append(part) }
            case .dash: results = results.flatMap { r in dashes.map { r + [.literal($0)] } }
            }
        }
        return results.map { SigmaPattern(parts: $0, cased: p.cased) }
    }

    /// Python's `\w` for `str` patterns: Unicode letters, digits and the underscore.
    static func isWord(_ u: Unicode.Scalar) -> Bool {
        if u == "_" { return true }
        let p = u.properties
        return p.isAlphabetic || p.numericType != nil
    }
}
