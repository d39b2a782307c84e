import Foundation

// MARK: - The compiled program

/// Node of a compiled condition. `and`/`or`: children `children[a ..< a+b]`; `not`: child `a`;
/// `leaf`: `leaves[a]`.
struct SigmaNodeCode {
    enum Op: UInt8 { case and, or, not, leaf, yes, no }
    var op: Op
    var a: Int32
    var b: Int32
}

/// A compiled comparison of one field (or, with `slot == -1`, of every value: keyword search).
struct SigmaLeafCode {
    enum Kind: UInt8 {
        case equals, prefix, suffix, contains, glob, present
        case bool, null, exists, regex, cidr, compare, fieldref, time
    }
    var kind: Kind
    var slot: Int32
    /// Literal bytes `literals[lit ..< lit+litLen]`, lowered unless `cased`.
    var lit: Int32 = 0
    var litLen: Int32 = 0
    var cased = false
    /// `equals`/`prefix`/`suffix`/`contains`: the literal's id in its field's index (-1 when `cased`:
    /// compared directly);
    /// `glob`: index into globs; `regex`/`cidr`: index; `fieldref`: the other slot; `bool`/`exists`: 0/1.
    var aux: Int32 = -1
    /// `compare`/`time`: comparison (0 eq, 1 lt, 2 lte, 3 gt, 4 gte); `fieldref`: mode; `time`: part in `aux`.
    var op: UInt8 = 0
    var number: Double = 0
    /// For leaves decided otherwise (glob, regex, cased): a contains literal of the same field that must be
    /// present for the leaf to hold (-1: none), used to skip rules cheaply.
    var gateLiteral: Int32 = -1
}

/// A general wildcard pattern: tokens `lit(offset,len)`, `star`, `single` over `literals`.
struct SigmaGlobToken {
    enum Kind: UInt8 { case lit, star, single }
    var kind: Kind
    var offset: Int32
    var length: Int32
}

/// What a field slot stands for when it is not an event field of its own name.
enum SigmaSlotKind: Sendable {
    case field
    case domainUser(domain: Int32, user: Int32)
    case integrityLabel(Int32)
    case absent
    /// Every value of the event (keyword searches).
    case allValues
}

/// One form of one rule (a rule has a Sysmon form and, for process creation, a Security 4688 form).
struct SigmaVariant {
    var rule: Int32
    var root: Int32
    var gate: [[(Int32, Int32)]]?
    var nonWindowsProduct: Bool
    var channels: Set<String>?
    var eventIDs: Set<String>?
    var providers: Set<String>?
}

struct SigmaCompileError: Error { var message: String }

/// Builds the engine's program from rules.
struct SigmaCompiler {
    var config: SigmaConfig
    var fields = SigmaFieldTable()
    var slotKinds: [SigmaSlotKind] = []
    var nodes: [SigmaNodeCode] = []
    var children: [Int32] = []
    var leaves: [SigmaLeafCode] = []
    var literals: [UInt8] = []
    var globs: [SigmaGlobToken] = []
    var globStarts: [Int32] = []   // glob i: tokens globStarts[i] ..< globStarts[i+1]
    var regexes: [SafeRegex] = []
    var cidrs: [SigmaCIDR] = []
    var variants: [SigmaVariant] = []
    struct LiteralKey: Hashable { var kind: SigmaSlotIndex.Kind; var bytes: [UInt8] }
    /// Per slot: its literals (kind and lowered bytes → id); ids index `literalOffsets`.
    var literalIDs: [Int32: [LiteralKey: Int32]] = [:]
    var literalOffsets: [Int32] = []
    var literalLengths: [Int32] = []
    private var virtualSlots: [SigmaFieldSource: Int32] = [:]

    init(config: SigmaConfig) {
        self.config = config
        _ = slot(named: "Channel")
        _ = slot(named: "EventID")
        _ = slot(named: "Provider_Name")
    }

    /// The slot of a keyword search while compiling (virtual slots are -2, -3, … until `finish()`).
    static let keywordMarker: Int32 = -1
    static let channelSlot: Int32 = 0
    static let eventIDSlot: Int32 = 1
    static let providerSlot: Int32 = 2

    mutating func slot(named name: String) -> Int32 {
        let s = fields.slot(for: name)
        while slotKinds.count < fields.count { slotKinds.append(.field) }
        return s
    }

    mutating func slot(for source: SigmaFieldSource) -> Int32 {
        switch source {
        case .field(let name): return slot(named: name)
        default:
            if let s = virtualSlots[source] { return s }
            let kind: SigmaSlotKind
            switch source {
            case .domainUser(let d, let u): kind = .domainUser(domain: slot(named: d), user: slot(named: u))
            case .integrityLabel(let f): kind = .integrityLabel(slot(named: f))
            case .allValues: kind = .allValues
            default: kind = .absent
            }
            // Virtual slots live past the table's names: events never fill them directly.
            let s = Int32(-(virtualSlots.count + 2))
            virtualSlots[source] = s
            virtualKinds.append(kind)
            return s
        }
    }

    var virtualKinds: [SigmaSlotKind] = []
    /// The rule being compiled (keyword searches get a field of their own per rule).
    var currentRule: Int32 = 0

    /// Checks that a parsed rule can be compiled with this configuration (regular expressions that
    /// SafeRegex accepts, placeholders configured); the reason when it cannot.
    static func validate(_ parsed: SigmaParsedRule, config: SigmaConfig) -> String? {
        var problem: String? = nil
        parsed.expression.visitValues { field, value in
            guard problem == nil else { return }
            if case .regex(let spec) = value {
                switch spec.text(placeholders: config.placeholders) {
                case .failure(let e): problem = e.message
                case .success(let texts):
                    for t in texts {
                        do { _ = try SafeRegex(t, options: spec.options) } catch let error as SafeRegexError {
                            problem = "\(field.map { "field '\($0)': " } ?? "")unsupported regular expression: \(error.description)"
                            return
                        } catch {
                            problem = "unsupported regular expression \(t.debugDescription)"
                            return
                        }
                    }
                }
            }
            if case .string(let p) = value, !p.placeholders.isEmpty {
                if case .failure(let e) = p.expandingPlaceholders(config.placeholders) { problem = e.message }
            }
        }
        return problem
    }

    // MARK: Rules

    /// Adds every log-source form of a rule; throws when the rule cannot be applied.
    mutating func add(rule index: Int32, parsed: SigmaParsedRule, logsource: SigmaLogSource) throws(SigmaCompileError) {
        currentRule = index
        let forms = SigmaLogSourceMapping.forms(for: logsource)
        var built: [(SigmaExpr, SigmaLogSourceForm)] = []
        for form in forms {
            let expr: SigmaExpr = form.conditions.isEmpty ? parsed.expression : .and(form.conditions + [parsed.expression])
            built.append((expr, form))
        }
        // Checked first, so compiling cannot fail half-way through a rule.
        if let problem = SigmaCompiler.validate(parsed, config: config) { throw SigmaCompileError(message: problem) }
        var roots: [(Int32, SigmaExpr, SigmaLogSourceForm)] = []
        for (expr, form) in built {
            let simplified = SigmaCompiler.simplify(expr)
            let root = try compile(simplified, map: form.fieldMap)
            roots.append((root, simplified, form))
        }
        for (root, expr, form) in roots {
            let bound = SigmaBounds.compute(expr, map: form.fieldMap)
            if bound.never { continue }
            variants.append(SigmaVariant(rule: index, root: root, gate: gate(root), nonWindowsProduct: form.nonWindowsProduct,
                                         channels: bound.channels, eventIDs: bound.eventIDs, providers: bound.providers))
        }
    }

    /// Flattens nested and/or, drops constants where they decide nothing, and orders children so cheap
    /// tests run first (pure boolean expressions: order does not change the result).
    static func simplify(_ e: SigmaExpr) -> SigmaExpr {
        switch e {
        case .and(let xs):
            var out: [SigmaExpr] = []
            for x in xs.map(simplify) {
                switch x {
                case .constant(true): continue
                case .constant(false): return .constant(false)
                case .and(let inner): out += inner
                default: out.append(x)
                }
            }
            if out.isEmpty { return .constant(true) }
            if out.count == 1 { return out[0] }
            return .and(sortByCost(out))
        case .or(let xs):
            var out: [SigmaExpr] = []
            for x in xs.map(simplify) {
                switch x {
                case .constant(false): continue
                case .constant(true): return .constant(true)
                case .or(let inner): out += inner
                default: out.append(x)
                }
            }
            if out.isEmpty { return .constant(false) }
            if out.count == 1 { return out[0] }
            return .or(sortByCost(out))
        case .not(let x):
            let s = simplify(x)
            if case .constant(let b) = s { return .constant(!b) }
            if case .not(let inner) = s { return inner }
            return .not(s)
        default:
            return e
        }
    }

    private static func sortByCost(_ xs: [SigmaExpr]) -> [SigmaExpr] {
        xs.enumerated().sorted { a, b in
            let ca = cost(a.element), cb = cost(b.element)
            return ca != cb ? ca < cb : a.offset < b.offset
        }.map(\.element)
    }

    static func cost(_ e: SigmaExpr) -> Int {
        switch e {
        case .and(let xs), .or(let xs): return xs.reduce(0) { $0 + cost($1) }
        case .not(let x): return cost(x) + 1
        case .constant: return 0
        case .match(let field, let value):
            if field == nil { return 40 }
            switch value {
            case .string(let p):
                if p.cased { return 6 }
                let stars = p.parts.filter { $0 == .star }.count
                if p.parts.contains(.single) || stars > 2 { return 8 }
                if p.startsWithStar && p.endsWithStar { return 4 }
                return 1
            case .number, .bool, .null, .exists: return 1
            case .compare, .cidr, .timePart, .timeCompare: return 3
            case .fieldref: return 4
            case .regex: return 25
            case .expansion(let xs): return xs.count
            }
        }
    }

    // MARK: Expressions

    private mutating func emit(_ node: SigmaNodeCode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    mutating func compile(_ e: SigmaExpr, map: (String) -> SigmaFieldSource) throws(SigmaCompileError) -> Int32 {
        switch e {
        case .constant(let b):
            return emit(SigmaNodeCode(op: b ? .yes : .no, a: 0, b: 0))
        case .not(let x):
            let c = try compile(x, map: map)
            return emit(SigmaNodeCode(op: .not, a: c, b: 0))
        case .and(let xs), .or(let xs):
            var ids: [Int32] = []
            for x in xs { ids.append(try compile(x, map: map)) }
            let start = Int32(children.count)
            children += ids
            let isAnd: Bool
            if case .and = e { isAnd = true } else { isAnd = false }
            return emit(SigmaNodeCode(op: isAnd ? .and : .or, a: start, b: Int32(ids.count)))
        case .match(let field, let value):
            var fieldSlot: Int32 = SigmaCompiler.keywordMarker
            if let field {
                let source = map(field)
                if source == .absent {
                    // A field this form of the rule never has: only null and `exists: false` hold.
                    var holds = false
                    switch value {
                    case .null: holds = true
                    case .exists(let b): holds = !b
                    default: holds = false
                    }
                    return emit(SigmaNodeCode(op: holds ? .yes : .no, a: 0, b: 0))
                }
                fieldSlot = self.slot(for: source)
            }
            let ls = try leafCodes(slot: fieldSlot, value: value, map: map)
            if ls.count == 1 { return ls[0] }
            if ls.isEmpty { return emit(SigmaNodeCode(op: .no, a: 0, b: 0)) }
            let start = Int32(children.count)
            children += ls
            return emit(SigmaNodeCode(op: .or, a: start, b: Int32(ls.count)))
        }
    }

    private mutating func leafNode(_ leaf: SigmaLeafCode) -> Int32 {
        leaves.append(leaf)
        return emit(SigmaNodeCode(op: .leaf, a: Int32(leaves.count - 1), b: 0))
    }

    private mutating func addLiteral(_ bytes: [UInt8]) -> (Int32, Int32) {
        let off = Int32(literals.count)
        literals += bytes
        return (off, Int32(bytes.count))
    }

    private mutating func leafCodes(slot: Int32, value: SigmaValue, map: (String) -> SigmaFieldSource) throws(SigmaCompileError) -> [Int32] {
        switch value {
        case .expansion(let items):
            var out: [Int32] = []
            for it in items { out += try leafCodes(slot: slot, value: it, map: map) }
            return out
        case .string(let p):
            var patterns = [p]
            if !p.placeholders.isEmpty {
                switch p.expandingPlaceholders(config.placeholders) {
                case .success(let list): patterns = list
                case .failure(let e): throw SigmaCompileError(message: e.message)
                }
            }
            return patterns.map { patternLeaf(slot: slot, pattern: $0) }
        case .number(let n):
            let p = SigmaPattern.literal(n.text)
            return [patternLeaf(slot: slot, pattern: slot == SigmaCompiler.keywordMarker ? SigmaPattern(parts: [.star] + p.parts + [.star]) : p)]
        case .bool(let b):
            if slot == SigmaCompiler.keywordMarker { return [patternLeaf(slot: slot, pattern: SigmaPattern(parts: [.star, .literal(Array((b ? "true" : "false").utf8)), .star]))] }
            return [leafNode(SigmaLeafCode(kind: .bool, slot: slot, aux: b ? 1 : 0))]
        case .null:
            return [leafNode(SigmaLeafCode(kind: .null, slot: slot))]
        case .exists(let b):
            return [leafNode(SigmaLeafCode(kind: .exists, slot: slot, aux: b ? 1 : 0))]
        case .regex(let spec):
            let texts: [String]
            switch spec.text(placeholders: config.placeholders) {
            case .success(let t): texts = t
            case .failure(let e): throw SigmaCompileError(message: e.message)
            }
            var out: [Int32] = []
            for t in texts {
                let re: SafeRegex
                do { re = try SafeRegex(t, options: spec.options) } catch {
                    throw SigmaCompileError(message: "unsupported regular expression: \(error.description)")
                }
                regexes.append(re)
                var leaf = SigmaLeafCode(kind: .regex, slot: slot, aux: Int32(regexes.count - 1))
                if let lit = SigmaCompiler.requiredLiteral(regex: t) {
                    leaf.gateLiteral = gateLiteral(slot: slot, [lit], cased: true)
                }
                out.append(leafNode(leaf))
            }
            return out
        case .cidr(let c):
            cidrs.append(c)
            return [leafNode(SigmaLeafCode(kind: .cidr, slot: slot, aux: Int32(cidrs.count - 1)))]
        case .compare(let op, let n):
            return [leafNode(SigmaLeafCode(kind: .compare, slot: slot, op: SigmaCompiler.opCode(op), number: n.value))]
        case .fieldref(let other, let mode, let cased):
            let s2 = self.slot(for: map(other))
            let m: UInt8
            switch mode { case .equals: m = 0; case .startswith: m = 1; case .endswith: m = 2; case .contains: m = 3 }
            return [leafNode(SigmaLeafCode(kind: .fieldref, slot: slot, cased: cased, aux: s2, op: m))]
        case .timePart(let part, let n):
            return [leafNode(SigmaLeafCode(kind: .time, slot: slot, aux: SigmaCompiler.partCode(part), op: 0, number: n.value))]
        case .timeCompare(let part, let op, let n):
            return [leafNode(SigmaLeafCode(kind: .time, slot: slot, aux: SigmaCompiler.partCode(part), op: SigmaCompiler.opCode(op), number: n.value))]
        }
    }

    static func opCode(_ op: SigmaCompareOp) -> UInt8 {
        switch op { case .lt: return 1; case .lte: return 2; case .gt: return 3; case .gte: return 4 }
    }

    static func partCode(_ p: SigmaTimePart) -> Int32 {
        switch p { case .minute: return 0; case .hour: return 1; case .day: return 2; case .week: return 3; case .month: return 4; case .year: return 5 }
    }

    /// One wildcard pattern as the cheapest leaf that decides it.
    private mutating func patternLeaf(slot: Int32, pattern: SigmaPattern) -> Int32 {
        let cased = pattern.cased
        var parts: [SigmaPatternPart] = []
        for p in pattern.parts {
            if case .literal(let b) = p { parts.append(.literal(cased ? b : SigmaBytes.lowered(b))) } else { parts.append(p) }
        }
        parts = SigmaPattern.merged(parts)
        // Keyword searches look for the pattern inside any value.
        if slot == SigmaCompiler.keywordMarker {
            if parts.first != .star { parts.insert(.star, at: 0) }
            if parts.last != .star { parts.append(.star) }
        }
        func lit(_ kind: SigmaLeafCode.Kind, _ bytes: [UInt8]) -> Int32 {
            let (o, l) = addLiteral(bytes)
            var leaf = SigmaLeafCode(kind: kind, slot: slot, lit: o, litLen: l, cased: cased)
            if !cased {
                let indexSlot = slot == SigmaCompiler.keywordMarker ? keywordSlot() : slot
                let k: SigmaSlotIndex.Kind
                switch kind {
                case .equals: k = .equals
                case .prefix: k = .prefix
                case .suffix: k = .suffix
                default: k = .contains
                }
                leaf.slot = indexSlot
                leaf.aux = registerLiteral(slot: indexSlot, kind: k, bytes)
            } else {
                leaf.gateLiteral = gateLiteral(slot: slot, [bytes], cased: true)
            }
            return leafNode(leaf)
        }
        switch parts.count {
        case 0: return lit(.equals, [])
        case 1:
            if case .literal(let b) = parts[0] { return lit(.equals, b) }
            if parts[0] == .star { return leafNode(SigmaLeafCode(kind: .present, slot: slot)) }
        case 2:
            if case .literal(let b) = parts[0], parts[1] == .star { return lit(.prefix, b) }
            if parts[0] == .star, case .literal(let b) = parts[1] { return lit(.suffix, b) }
        case 3:
            if parts[0] == .star, parts[2] == .star, case .literal(let b) = parts[1] { return lit(.contains, b) }
        default: break
        }
        // General pattern.
        let start = Int32(globs.count)
        var tokens: [SigmaGlobToken] = []
        for p in parts {
            switch p {
            case .literal(let b):
                let (o, l) = addLiteral(b)
                tokens.append(SigmaGlobToken(kind: .lit, offset: o, length: l))
            case .star: tokens.append(SigmaGlobToken(kind: .star, offset: 0, length: 0))
            case .single: tokens.append(SigmaGlobToken(kind: .single, offset: 0, length: 0))
            case .placeholder: tokens.append(SigmaGlobToken(kind: .star, offset: 0, length: 0))
            }
        }
        globs += tokens
        globStarts.append(start)
        var leaf = SigmaLeafCode(kind: .glob, slot: slot, cased: cased, aux: Int32(globStarts.count - 1), number: Double(tokens.count))
        leaf.gateLiteral = gateLiteral(slot: slot, parts.compactMap { if case .literal(let b) = $0 { return b } else { return nil } }, cased: cased)
        return leafNode(leaf)
    }

    /// The id of a literal of a field's index (one id per field, kind and bytes).
    private mutating func registerLiteral(slot: Int32, kind: SigmaSlotIndex.Kind, _ bytes: [UInt8]) -> Int32 {
        if let found = literalIDs[slot]?[LiteralKey(kind: kind, bytes: bytes)] { return found }
        let id = Int32(literalOffsets.count)
        let (o, l) = addLiteral(bytes)
        literalOffsets.append(o)
        literalLengths.append(l)
        literalIDs[slot, default: [:]][LiteralKey(kind: kind, bytes: bytes)] = id
        return id
    }

    /// Registers the longest of the given pieces (lowered) as a contains literal of the field, for gates.
    private mutating func gateLiteral(slot: Int32, _ pieces: [[UInt8]], cased: Bool) -> Int32 {
        guard slot != SigmaCompiler.keywordMarker, let longest = pieces.max(by: { $0.count < $1.count }), longest.count >= 2 else { return -1 }
        return registerLiteral(slot: slot, kind: .contains, cased ? SigmaBytes.lowered(longest) : longest)
    }

    /// A run of literal characters every match of the regular expression contains (conservatively: from
    /// the top-level sequence only, nil with a top-level alternation), at least three bytes.
    static func requiredLiteral(regex: String) -> [UInt8]? {
        let c = Array(regex.unicodeScalars)
        var i = 0
        // Inline flags at the start: (?i) (?s) (?m) …
        while i + 2 < c.count, c[i] == "(", c[i + 1] == "?", let close = c[(i + 2)...].firstIndex(of: ")"),
              c[(i + 2)..<close].allSatisfy({ "imsxu".unicodeScalars.contains($0) }) {
            i = close + 1
        }
        var runs: [[Unicode.Scalar]] = []
        var run: [Unicode.Scalar] = []
        func cut() { if !run.isEmpty { runs.append(run); run = [] } }
        let meta: Set<Unicode.Scalar> = [".", "^", "$", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "\\"]
        var depth = 0
        while i < c.count {
            let ch = c[i]
            var literal: Unicode.Scalar? = nil
            var width = 1
            if depth > 0 {
                if ch == "\\" { i += 2; continue }
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                i += 1
                continue
            }
            switch ch {
            case "|": return nil
            case "(": cut(); depth = 1; i += 1; continue
            case "[":
                cut()
                var j = i + 1
                if j < c.count, c[j] == "^" { j += 1 }
                if j < c.count, c[j] == "]" { j += 1 }
                while j < c.count, c[j] != "]" { if c[j] == "\\" { j += 1 }; j += 1 }
                i = j + 1
                continue
            case "\\":
                guard i + 1 < c.count else { return nil }
                let next = c[i + 1]
                if next.properties.isAlphabetic || next.properties.numericType != nil { cut(); i += 2; continue }
                literal = next; width = 2
            default:
                if meta.contains(ch) { cut(); i += 1; continue }
                literal = ch
            }
            guard let lit = literal else { i += 1; continue }
            // A quantifier after it: optional (?, *, {0) drops it; + or {n≥1} keeps one and ends the run.
            let after = i + width
            if after < c.count {
                let q = c[after]
                if q == "?" || q == "*" || (q == "{" && after + 1 < c.count && c[after + 1] == "0") {
                    cut(); i = after + 1; continue
                }
                if q == "+" || q == "{" { run.append(lit); cut(); i = after + 1; continue }
            }
            run.append(lit)
            i += width
        }
        cut()
        guard let best = runs.max(by: { $0.count < $1.count }) else { return nil }
        var s = ""
        s.unicodeScalars.append(contentsOf: best)
        let bytes = Array(s.utf8)
        return bytes.count >= 3 ? bytes : nil
    }

    /// The pseudo-field of keyword searches: every value of the event.
    mutating func keywordSlot() -> Int32 { slot(for: .allValues(rule: currentRule)) }

    // MARK: Literal indexes

    /// Builds the per-slot literal indexes.
    func slotIndexes() -> [Int32: SigmaSlotIndex] {
        var out: [Int32: SigmaSlotIndex] = [:]
        for (slot, lits) in literalIDs {
            let list = lits.map { (bytes: $0.key.bytes, kind: $0.key.kind, id: $0.value) }.sorted { $0.id < $1.id }
            out[slot] = SigmaSlotIndex(literals: list)
        }
        return out
    }

    // MARK: Gates

    /// A necessary condition of a node, as OR-groups that must all hold, each a list of (slot, literal):
    /// nil when the node cannot be narrowed that way. Fields the candidate index already decides
    /// (channel, event id, provider) are not used.
    func gate(_ n: Int32) -> [[(Int32, Int32)]]? {
        let node = nodes[Int(n)]
        switch node.op {
        case .leaf:
            let leaf = leaves[Int(node.a)]
            // Channel, event id and provider are decided by the candidate index already.
            guard leaf.slot > SigmaCompiler.providerSlot || leaf.slot <= -2 else { return nil }
            switch leaf.kind {
            case .equals, .prefix, .suffix, .contains:
                if leaf.aux >= 0, !leaf.cased { return [[(leaf.slot, leaf.aux)]] }
                return leaf.gateLiteral >= 0 ? [[(leaf.slot, leaf.gateLiteral)]] : nil
            default:
                return leaf.gateLiteral >= 0 ? [[(leaf.slot, leaf.gateLiteral)]] : nil
            }
        case .and:
            var groups: [[(Int32, Int32)]] = []
            for i in Int(node.a)..<Int(node.a + node.b) {
                if let g = gate(children[i]) { groups += g }
            }
            if groups.isEmpty { return nil }
            // The most selective few: fewest alternatives first.
            return Array(groups.sorted { $0.count < $1.count }.prefix(3))
        case .or:
            var union: [(Int32, Int32)] = []
            for i in Int(node.a)..<Int(node.a + node.b) {
                guard let g = gate(children[i]), let best = g.min(by: { $0.count < $1.count }) else { return nil }
                union += best
            }
            return union.isEmpty ? nil : [union]
        case .no:
            return [[]]
        case .not, .yes:
            return nil
        }
    }
}

// MARK: - Bounds: which channels, event ids and providers a rule can match at all

struct SigmaBounds {
    var channels: Set<String>?
    var eventIDs: Set<String>?
    var providers: Set<String>?
    var never = false

    static func compute(_ e: SigmaExpr, map: (String) -> SigmaFieldSource) -> SigmaBounds {
        var b = SigmaBounds()
        b.channels = bound(e, field: "channel", map: map)
        b.eventIDs = bound(e, field: "eventid", map: map)
        b.providers = bound(e, field: "provider_name", map: map)
        b.never = b.channels?.isEmpty == true || b.eventIDs?.isEmpty == true || b.providers?.isEmpty == true
        if case .constant(false) = e { b.never = true }
        return b
    }

    /// The values (lowered) the field must equal for `e` to hold; nil when any value could do
    /// (pySigma's `_field_value_bound`).
    static func bound(_ e: SigmaExpr, field: String, map: (String) -> SigmaFieldSource) -> Set<String>? {
        switch e {
        case .match(let f, let value):
            guard let f, case .field(let name) = map(f), name.lowercased() == field else { return nil }
            switch value {
            case .string(let p):
                guard !p.cased, p.placeholders.isEmpty, let b = p.plainBytes else { return nil }
                return [String(decoding: SigmaBytes.lowered(b), as: UTF8.self)]
            case .number(let n):
                return [n.text]
            case .expansion(let xs):
                var out = Set<String>()
                for x in xs {
                    guard let s = bound(.match(field: f, x), field: field, map: map) else { return nil }
                    out.formUnion(s)
                }
                return out
            default:
                return nil
            }
        case .and(let xs):
            var result: Set<String>? = nil
            for x in xs {
                if let s = bound(x, field: field, map: map) { result = result.map { $0.intersection(s) } ?? s }
            }
            return result
        case .or(let xs):
            var result = Set<String>()
            for x in xs {
                guard let s = bound(x, field: field, map: map) else { return nil }
                result.formUnion(s)
            }
            return result
        case .constant(false):
            return []
        case .not, .constant:
            return nil
        }
    }
}

extension SigmaCompiler {
    /// Gives virtual slots (negative while compiling) their final numbers after the named fields.
    mutating func finish() -> (namedCount: Int, virtualKinds: [SigmaSlotKind]) {
        let named = Int32(fields.count)
        func remap(_ s: Int32) -> Int32 { s <= -2 ? named + (-s - 2) : s }
        for i in leaves.indices {
            leaves[i].slot = remap(leaves[i].slot)
            if leaves[i].kind == .fieldref { leaves[i].aux = remap(leaves[i].aux) }
        }
        for v in variants.indices {
            if let g = variants[v].gate { variants[v].gate = g.map { $0.map { (remap($0.0), $0.1) } } }
        }
        var ids: [Int32: [LiteralKey: Int32]] = [:]
        for (k, v) in literalIDs { ids[remap(k)] = v }
        literalIDs = ids
        return (Int(named), virtualKinds)
    }
}
