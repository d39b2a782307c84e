import Foundation
import Yams

/// A position in a YAML text (1-based line and column, as libyaml counts them).
struct SigmaPosition: Sendable, Hashable {
    var line: Int
    var column: Int
}

/// A scalar with the type YAML 1.1 (PyYAML's `safe_load`, which pySigma uses) gives a plain scalar.
enum SigmaScalar: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    /// The scalar as text, as a metadata field shows it (`2023-01-05`, `true`, `42`).
    var text: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return SigmaScalar.pythonText(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return nil
        }
    }

    /// Python's `str()` of a number, which is how pySigma writes a number into a query.
    static func pythonText(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e16 { return String(Int64(d)) }
        return "\(d)"
    }
}

/// The YAML tree Sigma needs: mappings keep their order and key positions.
indirect enum SigmaNode: Sendable {
    case scalar(SigmaScalar, raw: String, plain: Bool, SigmaPosition)
    case sequence([SigmaNode], SigmaPosition)
    case mapping([(key: String, keyPosition: SigmaPosition, value: SigmaNode)], SigmaPosition)

    var position: SigmaPosition {
        switch self {
        case .scalar(_, _, _, let p), .sequence(_, let p), .mapping(_, let p): return p
        }
    }

    subscript(key: String) -> SigmaNode? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.last(where: { $0.key == key })?.value
    }

    var scalar: SigmaScalar? {
        if case .scalar(let s, _, _, _) = self { return s }
        return nil
    }

    /// A scalar's text (nil for null, sequences and mappings).
    var text: String? { scalar?.text }

    /// A scalar or a sequence of scalars as a list of texts.
    var texts: [String] {
        switch self {
        case .scalar(let s, _, _, _): return s.text.map { [$0] } ?? []
        case .sequence(let items, _): return items.compactMap { $0.text }
        case .mapping: return []
        }
    }

    var kindName: String {
        switch self {
        case .scalar(.null, _, _, _): return "null"
        case .scalar: return "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// Reading YAML with Yams's composer (libyaml) into `SigmaNode`s, with the scalar typing of YAML 1.1.
enum SigmaYAML {
    /// Upper bound on nodes per document once aliases are expanded (an alias bomb stops here).
    static let maxNodes = 200_000
    static let maxDepth = 64

    struct Failure: Error {
        var message: String
        var position: SigmaPosition?
    }

    /// Bounds checked before libyaml sees the text (its composer recurses once per nesting level and
    /// hashes mapping keys, aliases expanded): flow nesting, indentation and alias references.
    static let maxFlowDepth = 256
    static let maxIndent = 256
    static let maxAliases = 16

    static func precheck(_ text: String) throws(Failure) {
        var depth = 0, line = 1, column = 0, indent = 0, atLineStart = true
        var anchors = false, aliases = 0, firstAlias: SigmaPosition? = nil
        var prev: UInt8 = 0x0A
        for c in text.utf8 {
            column += 1
            switch c {
            case 0x0A:
                line += 1; column = 0; indent = 0; atLineStart = true
                prev = c
                continue
            case 0x20 where atLineStart:
                indent += 1
                if indent > maxIndent {
                    throw Failure(message: "YAML indented more than \(maxIndent) columns", position: SigmaPosition(line: line, column: column))
                }
                prev = c
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxFlowDepth {
                    throw Failure(message: "YAML nested deeper than \(maxFlowDepth) brackets", position: SigmaPosition(line: line, column: column))
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "&"), UInt8(ascii: "*"):
                let boundary = prev == 0x20 || prev == 0x0A || prev == 0x09 || prev == UInt8(ascii: "[") || prev == UInt8(ascii: "{")
                    || prev == UInt8(ascii: ",") || prev == UInt8(ascii: ":") || prev == UInt8(ascii: "-")
                if boundary {
                    if c == UInt8(ascii: "&") { anchors = true } else {
                        aliases += 1
                        if firstAlias == nil { firstAlias = SigmaPosition(line: line, column: column) }
                    }
                }
            default:
                break
            }
            atLineStart = false
            prev = c
        }
        if anchors, aliases > maxAliases {
            throw Failure(message: "YAML uses more than \(maxAliases) aliases", position: firstAlias)
        }
    }

    /// Every document of the text; nil for an empty document (a trailing `---`).
    static func documents(_ text: String) throws(Failure) -> [SigmaNode?] {
        try precheck(text)
        var out: [SigmaNode?] = []
        do {
            let parser = try Parser(yaml: text, resolver: .basic, constructor: .default)
            while let root = try parser.nextRoot() {
                var budget = maxNodes
                out.append(try convert(root, depth: 0, budget: &budget))
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as YamlError {
            throw describe(error)
        } catch {
            throw Failure(message: "YAML: \(error)", position: nil)
        }
        return out
    }

    private static func describe(_ error: YamlError) -> Failure {
        func place(_ mark: Mark) -> SigmaPosition { SigmaPosition(line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return Failure(message: "YAML: \(prefix)\(problem)", position: place(mark))
        case let .reader(problem, offset, _, _):
            return Failure(message: "YAML: \(problem)" + (offset.map { " at byte \($0)" } ?? ""), position: nil)
        case let .duplicatedKeysInMapping(duplicates, context):
            return Failure(message: "YAML: duplicate keys in a mapping: \(duplicates.joined(separator: ", "))",
                           position: place(context.mark))
        default:
            return Failure(message: "YAML: \(error)", position: nil)
        }
    }

    private static func position(_ mark: Mark?) -> SigmaPosition {
        SigmaPosition(line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int) throws(Failure) -> SigmaNode {
        budget -= 1
        if budget < 0 {
            throw Failure(message: "YAML document has more than \(maxNodes) nodes (alias expansion?)", position: position(node.mark))
        }
        if depth > maxDepth {
            throw Failure(message: "YAML nested deeper than \(maxDepth) levels", position: position(node.mark))
        }
        switch node {
        case .scalar(let s):
            let plain = s.style == .plain || s.style == .any
            let value: SigmaScalar = plain ? resolvePlain(s.string) : .string(s.string)
            return .scalar(value, raw: s.string, plain: plain, position(s.mark))
        case .sequence(let seq):
            var items: [SigmaNode] = []
            items.reserveCapacity(seq.count)
            for item in seq { items.append(try convert(item, depth: depth + 1, budget: &budget)) }
            return .sequence(items, position(seq.mark))
        case .mapping(let map):
            var pairs: [(key: String, keyPosition: SigmaPosition, value: SigmaNode)] = []
            pairs.reserveCapacity(map.count)
            for (k, v) in map {
                guard case .scalar(let ks) = k else {
                    throw Failure(message: "mapping key is not a scalar", position: position(k.mark))
                }
                let keyText: String
                if ks.style == .plain || ks.style == .any {
                    keyText = resolvePlain(ks.string).text ?? ""
                } else {
                    keyText = ks.string
                }
                budget -= 1
                pairs.append((keyText, position(ks.mark), try convert(v, depth: depth + 1, budget: &budget)))
            }
            return .mapping(pairs, position(map.mark))
        case .alias(let alias):
            throw Failure(message: "unresolved YAML alias \(alias.anchor.rawValue)", position: position(alias.mark))
        }
    }

    /// YAML 1.1 resolution of a plain scalar, as PyYAML's SafeLoader does it (null, bool, int, float;
    /// timestamps stay text).
    static func resolvePlain(_ s: String) -> SigmaScalar {
        let u = Array(s.utf8)
        if u.isEmpty { return .null }
        switch s {
        case "~", "null", "Null", "NULL": return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        let first = u[0]
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= 0x30 && first <= 0x39) else { return .string(s) }
        if let i = resolveInt(u) { return .int(i) }
        if let d = resolveFloat(u) { return .double(d) }
        return .string(s)
    }

    private static func digitValue(_ c: UInt8, radix: Int) -> Int? {
        let v: Int
        switch c {
        case 0x30...0x39: v = Int(c - 0x30)
        case 0x61...0x66: v = Int(c - 0x61 + 10)
        case 0x41...0x46: v = Int(c - 0x41 + 10)
        default: return nil
        }
        return v < radix ? v : nil
    }

    private static func resolveInt(_ u: [UInt8]) -> Int64? {
        var i = 0
        var negative = false
        if u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+") { negative = u[0] == UInt8(ascii: "-"); i = 1 }
        guard i < u.count else { return nil }
        var radix = 10
        if u[i] == UInt8(ascii: "0"), i + 1 < u.count {
            switch u[i + 1] {
            case UInt8(ascii: "b"): radix = 2; i += 2
            case UInt8(ascii: "x"): radix = 16; i += 2
            case UInt8(ascii: "o"): radix = 8; i += 2
            default: radix = 8; i += 1
            }
            guard i < u.count else { return nil }
        }
        // Sexagesimal (190:20:30) only for decimal numbers not starting with 0.
        if radix == 10, u[i...].contains(UInt8(ascii: ":")) {
            var total: Int64 = 0
            for part in u[i...].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                guard !part.isEmpty, part.count <= 18 else { return nil }
                var v: Int64 = 0
                for c in part where c != UInt8(ascii: "_") {
                    guard let d = digitValue(c, radix: 10) else { return nil }
                    v = v * 10 + Int64(d)
                }
                let (m, o) = total.multipliedReportingOverflow(by: 60)
                guard !o else { return nil }
                total = m + v
            }
            return negative ? -total : total
        }
        var value: Int64 = 0
        var digits = 0
        while i < u.count {
            let c = u[i]
            i += 1
            if c == UInt8(ascii: "_") { continue }
            guard let d = digitValue(c, radix: radix) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: Int64(radix))
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = a
            digits += 1
        }
        guard digits > 0 || radix == 8 else { return nil }
        return negative ? -value : value
    }

    private static func resolveFloat(_ u: [UInt8]) -> Double? {
        let s = String(decoding: u, as: UTF8.self)
        switch s {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // PyYAML: [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)? — a dot is required.
        guard u.contains(UInt8(ascii: ".")), !u.contains(UInt8(ascii: ":")) else { return nil }
        var i = 0
        if u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+") { i = 1 }
        var sawDigit = false
        var cleaned: [UInt8] = Array(u[..<i])
        while i < u.count, (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == UInt8(ascii: "_") {
            if u[i] != UInt8(ascii: "_") { cleaned.append(u[i]); sawDigit = true }
            i += 1
        }
        guard i < u.count, u[i] == UInt8(ascii: ".") else { return nil }
        cleaned.append(u[i]); i += 1
        while i < u.count, (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == UInt8(ascii: "_") {
            if u[i] != UInt8(ascii: "_") { cleaned.append(u[i]); sawDigit = true }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < u.count {
            guard u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E"), i + 2 < u.count,
                  u[i + 1] == UInt8(ascii: "-") || u[i + 1] == UInt8(ascii: "+") else { return nil }
            cleaned.append(u[i]); cleaned.append(u[i + 1]); i += 2
            var expDigits = 0
            while i < u.count, u[i] >= 0x30 && u[i] <= 0x39 { cleaned.append(u[i]); i += 1; expDigits += 1 }
            guard expDigits > 0, i == u.count else { return nil }
        }
        if cleaned.last == UInt8(ascii: ".") { cleaned.append(UInt8(ascii: "0")) }
        return Double(String(decoding: cleaned, as: UTF8.self))
    }
}
