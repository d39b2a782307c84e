import Foundation

/// Why a CPE name could not be read, and where: `position` is the 1-based character offset in `input`.
public struct CPEParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Neither `cpe:2.3:` nor `cpe:/`.
        case missingPrefix
        /// The formatted string has fewer than 11 values after `cpe:2.3:`.
        case tooFewValues(Int)
        case tooManyValues
        case emptyValue
        /// A character that must be quoted with `\` in the formatted string.
        case unescapedCharacter(String)
        /// `\` at the end of a value.
        case danglingEscape
        /// `*` or `?` unquoted inside a value, or `*` repeated.
        case misplacedWildcard
        /// The part is not `a`, `o`, `h` or ANY.
        case invalidPart(String)
        /// `%` not followed by two hex digits, or a percent-encoded byte sequence that is not UTF-8.
        case invalidPercentEncoding
        /// A packed URI edition (`~edition~sw_edition~target_sw~target_hw~other`) without its five fields.
        case invalidPackedEdition
    }

    public let kind: Kind
    public let position: Int
    public let attribute: CPEName.Attribute?
    public let input: String

    public var description: String {
        let at = attribute.map { " (\($0.name))" } ?? ""
        let what: String
        switch kind {
        case .missingPrefix: what = "a CPE name starts with \"cpe:2.3:\" (formatted string) or \"cpe:/\" (URI)"
        case .tooFewValues(let n): what = "a CPE 2.3 formatted string has 11 values after \"cpe:2.3:\", found \(n)"
        case .tooManyValues: what = "more than 11 values (is a \":\" inside a value missing its backslash?)"
        case .emptyValue: what = "empty value (use * for ANY or - for NA)"
        case .unescapedCharacter(let c): what = "\"\(c)\" must be quoted with a backslash (\\\(c))"
        case .danglingEscape: what = "backslash at the end of a value"
        case .misplacedWildcard: what = "unquoted * or ? may only begin or end a value (quote it as \\* or \\?)"
        case .invalidPart(let p): what = "part must be a (application), o (operating system), h (hardware) or *, found \"\(p)\""
        case .invalidPercentEncoding: what = "invalid percent-encoding"
        case .invalidPackedEdition: what = "a packed edition has five ~-separated fields: ~edition~sw_edition~target_sw~target_hw~other"
        }
        return "Invalid CPE name \"\(input)\" at character \(position)\(at): \(what)."
    }
}

enum CPEParser {
    static func hasPrefix(_ bytes: [UInt8], _ prefix: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard bytes.count >= p.count else { return false }
        for i in 0..<p.count where bytes[i] | 0x20 != p[i] | 0x20 { return false }
        return true
    }

    /// 1-based character position of a byte offset.
    static func position(_ bytes: [UInt8], _ offset: Int) -> Int {
        let clamped = min(max(offset, 0), bytes.count)
        if !bytes[..<clamped].contains(where: { $0 >= 0x80 }) { return clamped + 1 }
        return String(decoding: bytes[..<clamped], as: UTF8.self).count + 1
    }

    static func fail(_ kind: CPEParseError.Kind, _ bytes: [UInt8], _ offset: Int, _ attr: Int?, _ input: String) -> CPEParseError {
        CPEParseError(kind: kind, position: position(bytes, offset), attribute: attr.flatMap(CPEName.Attribute.init(rawValue:)), input: input)
    }

    // MARK: Formatted string (NISTIR 7695 §6.2.3 unbind_fs)

    static func parseFormattedString(_ b: [UInt8], input: String) throws(CPEParseError) -> CPEName {
        guard hasPrefix(b, "cpe:2.3:") else { throw fail(.missingPrefix, b, 0, nil, input) }
        var values: [CPEValue] = []
        values.reserveCapacity(11)
        var i = 8
        var start = 8
        while true {
            let atEnd = i == b.count
            if atEnd || b[i] == UInt8(ascii: ":") {
                guard values.count < 11 else { throw fail(.tooManyValues, b, start - 1, nil, input) }
                values.append(try fsValue(b, start, i, attr: values.count, input))
                if atEnd { break }
                i += 1
                start = i
                continue
            }
            if b[i] == UInt8(ascii: "\\") { i += 1 }
            i = min(i + 1, b.count)
        }
        guard values.count == 11 else { throw fail(.tooFewValues(values.count), b, b.count, nil, input) }
        guard CPEName.isValidPart(values[0]) else {
            throw fail(.invalidPart(String(decoding: b[8..<(b[8...].firstIndex(of: UInt8(ascii: ":")) ?? b.count)], as: UTF8.self)), b, 8, 0, input)
        }
        return CPEName(values: values)
    }

    static func fsValue(_ b: [UInt8], _ start: Int, _ end: Int, attr: Int, _ input: String) throws(CPEParseError) -> CPEValue {
        let n = end - start
        if n == 0 { throw fail(.emptyValue, b, start, attr, input) }
        if n == 1 && b[start] == UInt8(ascii: "*") { return .any }
        if n == 1 && b[start] == UInt8(ascii: "-") { return .na }
        var i = start
        var leading = CPEText.Wildcard.none
        if b[i] == UInt8(ascii: "*") {
            leading = .star
            i += 1
        } else {
            var q = 0
            while i < end && b[i] == UInt8(ascii: "?") { q += 1; i += 1 }
            if q > 0 { leading = .questionMarks(q) }
        }
        var literal: [UInt8] = []
        literal.reserveCapacity(end - i)
        var trailing = CPEText.Wildcard.none
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < end else { throw fail(.danglingEscape, b, i, attr, input) }
                literal.append(b[i + 1])
                i += 2
                continue
            }
            if c == UInt8(ascii: "*") || c == UInt8(ascii: "?") {
                if c == UInt8(ascii: "*") && i == end - 1 && !(literal.isEmpty && leading != .none) {
                    trailing = .star
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "?") && !(literal.isEmpty && leading == .star) && b[i..<end].allSatisfy({ $0 == UInt8(ascii: "?") }) {
                    trailing = .questionMarks(end - i)
                    break
                }
                throw fail(.misplacedWildcard, b, i, attr, input)
            }
            guard CPESyntax.isPlainInFS(byte: c) else {
                throw fail(.unescapedCharacter(String(UnicodeScalar(c))), b, i, attr, input)
            }
            literal.append(c)
            i += 1
        }
        return .text(CPEText(literal: String(decoding: literal, as: UTF8.self), leading: leading, trailing: trailing))
    }

    // MARK: URI (NISTIR 7695 §6.1.3 unbind_uri)

    static func parseURI(_ b: [UInt8], input: String) throws(CPEParseError) -> CPEName {
        guard hasPrefix(b, "cpe:/") else { throw fail(.missingPrefix, b, 0, nil, input) }
        var components: [(Int, Int)] = []
        var start = 5
        for i in 5...b.count where i == b.count || b[i] == UInt8(ascii: ":") {
            components.append((start, i))
            start = i + 1
        }
        guard components.count <= 7 else { throw fail(.tooManyValues, b, components[7].0 - 1, nil, input) }
        var values = [CPEValue](repeating: .any, count: 11)
        for (index, (s, e)) in components.enumerated() {
            if index == 5 && e > s && b[s] == UInt8(ascii: "~") {
                var fields: [(Int, Int)] = []
                var fs = s + 1
                for i in (s + 1)...e where i == e || b[i] == UInt8(ascii: "~") {
                    fields.append((fs, i))
                    fs = i + 1
                }
                guard fields.count == 5 else { throw fail(.invalidPackedEdition, b, s, 5, input) }
                for (k, f) in fields.enumerated() {
                    let attr = k == 0 ? 5 : 6 + k
                    values[attr] = try uriValue(b, f.0, f.1, attr: attr, input)
                }
            } else {
                values[index] = try uriValue(b, s, e, attr: index, input)
            }
        }
        guard CPEName.isValidPart(values[0]) else {
            let (s, e) = components[0]
            throw fail(.invalidPart(String(decoding: b[s..<e], as: UTF8.self)), b, s, 0, input)
        }
        return CPEName(values: values)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    static func uriValue(_ b: [UInt8], _ start: Int, _ end: Int, attr: Int, _ input: String) throws(CPEParseError) -> CPEValue {
        if start == end { return .any }
        if end - start == 1 && b[start] == UInt8(ascii: "-") { return .na }
        // Decode first: %01 is an unquoted ?, %02 an unquoted *, any other %xx a literal byte.
        var tokens: [(byte: UInt8, wildcard: Bool, offset: Int)] = []
        var i = start
        while i < end {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < end, let h = hex(b[i + 1]), let l = hex(b[i + 2]) else {
                    throw fail(.invalidPercentEncoding, b, i, attr, input)
                }
                let byte = h << 4 | l
                switch byte {
                case 1: tokens.append((UInt8(ascii: "?"), true, i))
                case 2: tokens.append((UInt8(ascii: "*"), true, i))
                default: tokens.append((byte, false, i))
                }
                i += 3
            } else {
                tokens.append((b[i], false, i))
                i += 1
            }
        }
        var lo = 0, hi = tokens.count
        func isWild(_ k: Int, _ c: Unicode.Scalar) -> Bool { tokens[k].wildcard && tokens[k].byte == UInt8(ascii: c) }
        var leading = CPEText.Wildcard.none, trailing = CPEText.Wildcard.none
        if isWild(0, "*") {
            leading = .star
            lo = 1
        } else {
            while lo < hi && isWild(lo, "?") { lo += 1 }
            if lo > 0 { leading = .questionMarks(lo) }
        }
        if hi > lo && isWild(hi - 1, "*") {
            trailing = .star
            hi -= 1
        } else {
            var q = 0
            while hi > lo && isWild(hi - 1, "?") { hi -= 1; q += 1 }
            if q > 0 { trailing = .questionMarks(q) }
        }
        if let bad = tokens[lo..<hi].first(where: { $0.wildcard }) {
            throw fail(.misplacedWildcard, b, bad.offset, attr, input)
        }
        if lo == hi && leading != .none && trailing != .none {
            throw fail(.misplacedWildcard, b, tokens[hi].offset, attr, input)
        }
        if lo == hi && leading == .star { return .any }
        guard let text = String(bytes: tokens[lo..<hi].map(\.byte), encoding: .utf8) else {
            throw fail(.invalidPercentEncoding, b, start, attr, input)
        }
        return .text(CPEText(literal: text, leading: leading, trailing: trailing))
    }
}
