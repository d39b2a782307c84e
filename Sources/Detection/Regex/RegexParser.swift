/// Zero-width assertions. `dollar` is Python's `$` without MULTILINE: at the end, or before a final
/// `\n`. Word boundaries come in Unicode (Python's default `\w`) and ASCII (`(?a)`) flavours.
enum RegexAssertion: UInt8, Sendable {
    case textStart, lineStart, textEnd, dollar, lineEnd
    case wordBoundary, notWordBoundary, asciiWordBoundary, asciiNotWordBoundary
}

/// The parsed pattern. Groups of every kind are only grouping; lazy quantifiers are greedy (a yes/no
/// search cannot tell them apart).
indirect enum RegexNode: Sendable {
    case empty
    /// One scalar from the set.
    case set(ScalarSet)
    case concat([RegexNode])
    case alt([RegexNode])
    /// `max == nil`: unbounded. `offset`: where the quantifier is in the pattern (for errors).
    case repetition(RegexNode, min: Int, max: Int?, offset: Int)
    case assertion(RegexAssertion)
}

/// Parses Python `re` syntax (with the additions the contract names: `(?<name>…)` and `\z`) into a
/// `RegexNode`. Iterative (an explicit stack of open groups), so deep nesting cannot overflow the
/// stack; nesting deeper than `maxDepth` is an error.
struct RegexParser {
    struct Flags: Equatable {
        var ignoreCase = false
        var multiline = false
        var dotAll = false
        var verbose = false
        var ascii = false
    }

    static let maxDepth = 100
    /// Python's limit for a repetition count (`MAXREPEAT - 1`).
    static let maxRepeat = 4_294_967_294

    private let pattern: String
    private var s: [Unicode.Scalar] = []
    private var i = 0

    /// An item of the current branch: Python refuses a quantifier after nothing or after an anchor
    /// ("nothing to repeat") and after another quantifier ("multiple repeat").
    private enum ItemKind { case plain, anchor, repeated }
    private struct Item { var node: RegexNode; var kind: ItemKind }

    private struct Frame {
        var branches: [RegexNode] = []
        var items: [Item] = []
        var flags: Flags
        /// Flags to restore when the group closes.
        var outerFlags: Flags
        var openOffset: Int
    }

    private var groupNames: Set<String> = []
    private var groupCount = 0

    init(_ pattern: String) {
        self.pattern = pattern
    }

    private func error(_ offset: Int, _ message: String) -> SafeRegexError {
        SafeRegexError(pattern: pattern, offset: offset, message: message)
    }

    /// Longer patterns (in UTF-8 bytes) are refused before anything is built.
    static let maxPatternLength = 1_000_000

    mutating func parse(flags initial: Flags) throws(SafeRegexError) -> RegexNode {
        if pattern.utf8.count > Self.maxPatternLength {
            throw error(0, "pattern longer than \(Self.maxPatternLength) bytes")
        }
        s = Array(pattern.unicodeScalars)
        var stack: [Frame] = [Frame(flags: initial, outerFlags: initial, openOffset: 0)]
        while true {
            guard i < s.count else { break }
            let here = i
            let c = s[i]
            i += 1
            var frame = stack.removeLast()
            let flags = frame.flags
            if flags.verbose {
                if Self.isVerboseSpace(c) { stack.append(frame); continue }
                if c == "#" {
                    while i < s.count, s[i] != "\n" { i += 1 }
                    stack.append(frame); continue
                }
            }
            switch c {
            case "|":
                frame.branches.append(Self.concat(frame.items))
                frame.items = []
                stack.append(frame)
            case ")":
                guard stack.count >= 1 else { throw error(here, "unbalanced parenthesis") }
                frame.branches.append(Self.concat(frame.items))
                let node = frame.branches.count == 1 ? frame.branches[0] : .alt(frame.branches)
                var parent = stack.removeLast()
                parent.items.append(Item(node: node, kind: .plain))
                parent.flags = frame.outerFlags
                stack.append(parent)
            case "(":
                stack.append(frame)
                try openGroup(at: here, stack: &stack)
            case "*", "+", "?", "{":
                var lo = 0, hi: Int? = nil
                switch c {
                case "*": break
                case "+": lo = 1
                case "?": hi = 1
                default:
                    guard let (a, b) = try parseBraces() else {
                        frame.items.append(Item(node: literal(c, flags), kind: .plain))
                        stack.append(frame)
                        continue
                    }
                    lo = a; hi = b
                }
                guard let last = frame.items.last, last.kind != .anchor else { throw error(here, "nothing to repeat") }
                if last.kind == .repeated { throw error(here, "multiple repeat") }
                if let hi, hi < lo { throw error(here + 1, "min repeat greater than max repeat") }
                if i < s.count, s[i] == "?" {
                    i += 1
                } else if i < s.count, s[i] == "+" {
                    throw error(i, "possessive quantifiers are not supported (their meaning depends on backtracking)")
                }
                frame.items[frame.items.count - 1] = Item(node: .repetition(last.node, min: lo, max: hi, offset: here), kind: .repeated)
                stack.append(frame)
            case "[":
                frame.items.append(Item(node: .set(try parseClass(start: here, flags)), kind: .plain))
                stack.append(frame)
            case ".":
                let set = flags.dotAll ? ScalarSet.all : ScalarSet(scalar: 0x0A).inverted()
                frame.items.append(Item(node: .set(set), kind: .plain))
                stack.append(frame)
            case "^":
                frame.items.append(Item(node: .assertion(flags.multiline ? .lineStart : .textStart), kind: .anchor))
                stack.append(frame)
            case "$":
                frame.items.append(Item(node: .assertion(flags.multiline ? .lineEnd : .dollar), kind: .anchor))
                stack.append(frame)
            case "\\":
                frame.items.append(try parseEscape(start: here, flags))
                stack.append(frame)
            default:
                frame.items.append(Item(node: literal(c, flags), kind: .plain))
                stack.append(frame)
            }
        }
        guard var top = stack.popLast() else { return .empty }
        if !stack.isEmpty { throw error(top.openOffset, "missing ), unterminated subpattern") }
        top.branches.append(Self.concat(top.items))
        return top.branches.count == 1 ? top.branches[0] : .alt(top.branches)
    }

    // MARK: Groups

    /// After `(` at `start`. Pushes a frame for a group, or handles a flags-only group or comment.
    private mutating func openGroup(at start: Int, stack: inout [Frame]) throws(SafeRegexError) {
        guard var frame = stack.popLast() else { return }
        defer { stack.append(frame) }
        var groupFlags = frame.flags
        if i < s.count, s[i] == "?" {
            i += 1
            guard i < s.count else { throw error(i, "unexpected end of pattern") }
            let c = s[i]
            i += 1
            switch c {
            case ":":
                break
            case "P":
                guard i < s.count else { throw error(i, "unexpected end of pattern") }
                let k = s[i]
                i += 1
                if k == "<" {
                    try parseGroupName(terminator: ">")
                } else if k == "=" {
                    throw error(start, "backreferences (?P=name) are not supported (they cannot be matched without backtracking)")
                } else {
                    throw error(i - 2, "unknown extension ?P\(k)")
                }
            case "<":
                guard i < s.count else { throw error(i, "unexpected end of pattern") }
                if s[i] == "=" || s[i] == "!" {
                    throw error(start, "look-behind assertions (?<=…) and (?<!…) are not supported")
                }
                try parseGroupName(terminator: ">")
            case "=", "!":
                throw error(start, "look-ahead assertions (?=…) and (?!…) are not supported")
            case ">":
                throw error(start, "atomic groups (?>…) are not supported (their meaning depends on backtracking)")
            case "(":
                throw error(start, "conditional groups (?(…)…) are not supported")
            case "#":
                while i < s.count, s[i] != ")" { i += 1 }
                guard i < s.count else { throw error(start, "missing ), unterminated comment") }
                i += 1
                return
            default:
                // Inline flags: (?flags) global at the start, or (?flags-flags:…) scoped.
                i -= 1
                var on = Flags(), off = Flags()
                var onAny = false, offAny = false
                var sawA = false, sawU = false
                while i < s.count, let flag = Self.flagLetter(s[i]) {
                    if flag == "L" { throw error(i + 1, "bad inline flags: cannot use 'L' flag with a str pattern") }
                    if flag == "a" { sawA = true } else if flag == "u" { sawU = true }
                    if sawA && sawU { throw error(i + 1, "bad inline flags: flags 'a', 'u' and 'L' are incompatible") }
                    Self.set(flag, in: &on)
                    onAny = true
                    i += 1
                }
                if i < s.count, s[i] == "-" {
                    i += 1
                    while i < s.count, let flag = Self.flagLetter(s[i]) {
                        if flag == "a" || flag == "u" || flag == "L" {
                            throw error(i + 1, "bad inline flags: cannot turn off flags 'a', 'u' and 'L'")
                        }
                        if Self.has(flag, in: on) { throw error(i + 1, "bad inline flags: flag turned on and off") }
                        Self.set(flag, in: &off)
                        offAny = true
                        i += 1
                    }
                    guard offAny else { throw error(i, "missing flag") }
                    guard i < s.count, s[i] == ":" else {
                        throw error(i, i < s.count ? "missing :" : "missing :, unterminated subpattern")
                    }
                }
                guard i < s.count else { throw error(i, "missing -, : or )") }
                if s[i] == ")" {
                    // Global flags.
                    guard onAny, !offAny else { throw error(start + 1, "unknown extension ?\(c)") }
                    guard stack.isEmpty, frame.branches.isEmpty, frame.items.isEmpty else {
                        throw error(start, "global flags not at the start of the expression")
                    }
                    i += 1
                    frame.flags = Self.apply(on, off: Flags(), to: frame.flags)
                    frame.outerFlags = frame.flags
                    return
                }
                guard s[i] == ":" else {
                    if !onAny && !offAny { throw error(start + 1, "unknown extension ?\(c)") }
                    throw error(i, "missing -, : or )")
                }
                i += 1
                guard onAny || offAny else { throw error(start + 1, "unknown extension ?:") }
                groupFlags = Self.apply(on, off: off, to: groupFlags)
            }
        } else {
            groupCount += 1
        }
        if stack.count + 1 >= Self.maxDepth {
            throw error(start, "groups nested more than \(Self.maxDepth) deep")
        }
        stack.append(frame)
        frame = Frame(flags: groupFlags, outerFlags: frame.flags, openOffset: start)
    }

    private mutating func parseGroupName(terminator: Unicode.Scalar) throws(SafeRegexError) {
        let nameStart = i
        while i < s.count, s[i] != terminator { i += 1 }
        guard i < s.count else { throw error(nameStart, "missing \(terminator), unterminated name") }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: s[nameStart..<i])
        let text = String(name)
        i += 1
        if text.isEmpty { throw error(nameStart, "missing group name") }
        guard Self.isIdentifier(s[nameStart..<(i - 1)]) else {
            throw error(nameStart, "bad character in group name \(text.debugDescription)")
        }
        groupCount += 1
        if !groupNames.insert(text).inserted {
            throw error(nameStart, "redefinition of group name \(text.debugDescription)")
        }
    }

    private static func isIdentifier(_ name: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = name.first else { return false }
        let p = first.properties
        guard first == "_" || p.isXIDStart else { return false }
        return name.dropFirst().allSatisfy { $0.properties.isXIDContinue }
    }

    private static func flagLetter(_ c: Unicode.Scalar) -> Character? {
        switch c {
        case "i", "m", "s", "x", "a", "u", "L": return Character(c)
        default: return nil
        }
    }

    private static func set(_ flag: Character, in f: inout Flags) {
        switch flag {
        case "i": f.ignoreCase = true
        case "m": f.multiline = true
        case "s": f.dotAll = true
        case "x": f.verbose = true
        case "a": f.ascii = true
        default: break
        }
    }

    private static func has(_ flag: Character, in f: Flags) -> Bool {
        switch flag {
        case "i": return f.ignoreCase
        case "m": return f.multiline
        case "s": return f.dotAll
        case "x": return f.verbose
        case "a": return f.ascii
        default: return false
        }
    }

    private static func apply(_ on: Flags, off: Flags, to f: Flags) -> Flags {
        var r = f
        if on.ignoreCase { r.ignoreCase = true }
        if on.multiline { r.multiline = true }
        if on.dotAll { r.dotAll = true }
        if on.verbose { r.verbose = true }
        if on.ascii { r.ascii = true }
        if off.ignoreCase { r.ignoreCase = false }
        if off.multiline { r.multiline = false }
        if off.dotAll { r.dotAll = false }
        if off.verbose { r.verbose = false }
        return r
    }

    // MARK: Quantifier braces

    /// After `{`: `m}`, `m,}`, `,n}`, `m,n}`, `,}` as Python reads them; nil (and the position
    /// restored) when it is not a quantifier, so `{` is a literal.
    private mutating func parseBraces() throws(SafeRegexError) -> (Int, Int?)? {
        let here = i
        if i < s.count, s[i] == "}" { return nil }
        var lo = "", hi = ""
        while i < s.count, let d = Self.digit(s[i]) { lo.append(d); i += 1 }
        var sawComma = false
        if i < s.count, s[i] == "," {
            sawComma = true
            i += 1
            while i < s.count, let d = Self.digit(s[i]) { hi.append(d); i += 1 }
        }
        guard i < s.count, s[i] == "}" else { i = here; return nil }
        i += 1
        let minCount = lo.isEmpty ? 0 : Self.count(lo)
        let maxCount: Int? = sawComma ? (hi.isEmpty ? nil : Self.count(hi)) : minCount
        if minCount > Self.maxRepeat || (maxCount ?? 0) > Self.maxRepeat {
            throw error(here, "the repetition number is too large")
        }
        return (minCount, maxCount)
    }

    private static func digit(_ c: Unicode.Scalar) -> Character? {
        c.value >= 0x30 && c.value <= 0x39 ? Character(c) : nil
    }

    /// A decimal count, saturating far above `maxRepeat`.
    private static func count(_ digits: String) -> Int {
        var v = 0
        for d in digits.utf8 {
            v = v * 10 + Int(d - 0x30)
            if v > maxRepeat { return maxRepeat + 1 }
        }
        return v
    }

    // MARK: Atoms

    private func literal(_ c: Unicode.Scalar, _ flags: Flags) -> RegexNode {
        .set(Self.folded(ScalarSet(scalar: c.value), flags))
    }

    private static func folded(_ set: ScalarSet, _ flags: Flags) -> ScalarSet {
        flags.ignoreCase ? set.caseFolded(unicode: !flags.ascii) : set
    }

    private static func category(_ c: Unicode.Scalar, _ flags: Flags) -> ScalarSet? {
        switch c {
        case "d": return flags.ascii ? UnicodeCategories.asciiDigit : UnicodeCategories.digit
        case "D": return (flags.ascii ? UnicodeCategories.asciiDigit : UnicodeCategories.digit).inverted()
        case "w": return flags.ascii ? UnicodeCategories.asciiWord : UnicodeCategories.word
        case "W": return (flags.ascii ? UnicodeCategories.asciiWord : UnicodeCategories.word).inverted()
        case "s": return flags.ascii ? UnicodeCategories.asciiSpace : UnicodeCategories.space
        case "S": return (flags.ascii ? UnicodeCategories.asciiSpace : UnicodeCategories.space).inverted()
        default: return nil
        }
    }

    private static func simpleEscape(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "a": return 0x07
        case "f": return 0x0C
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "v": return 0x0B
        case "\\": return 0x5C
        default: return nil
        }
    }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    private static func isOctal(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x37 }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    private static func isVerboseSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c.value == 0x0B || c.value == 0x0C
    }

    /// `\x`, `\u`, `\U`, `\N{…}` after the letter; `start` is the backslash.
    private mutating func codeEscape(_ c: Unicode.Scalar, start: Int) throws(SafeRegexError) -> UInt32? {
        let digits: Int
        switch c {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        case "N": return try namedEscape(start: start)
        default: return nil
        }
        var v: UInt32 = 0
        var n = 0
        while n < digits, i < s.count, let h = Self.hexValue(s[i]) {
            v = v &* 16 &+ h
            i += 1
            n += 1
        }
        let text = String(String.UnicodeScalarView(s[start..<i]))
        guard n == digits else { throw error(start, "incomplete escape \(text)") }
        if v > ScalarSet.maxScalar { throw error(start, "bad escape \(text)") }
        return v
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    private mutating func namedEscape(start: Int) throws(SafeRegexError) -> UInt32 {
        guard i < s.count, s[i] == "{" else { throw error(start, "missing {") }
        i += 1
        let nameStart = i
        while i < s.count, s[i] != "}" { i += 1 }
        guard i < s.count, i > nameStart else { throw error(nameStart, "missing character name") }
        let name = String(String.UnicodeScalarView(s[nameStart..<i])).uppercased()
        i += 1
        if let v = Self.scalar(named: name) { return v }
        throw error(start, "undefined character name \(String(String.UnicodeScalarView(s[nameStart..<(i - 1)])).debugDescription)")
    }

    /// Looks a Unicode character name (or name alias) up. Algorithmic names (CJK ideographs and the
    /// like) are parsed; other names are found by scanning the assigned scalars outside those blocks.
    private static func scalar(named name: String) -> UInt32? {
        for prefix in ["CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-", "TANGUT IDEOGRAPH-",
                       "KHITAN SMALL SCRIPT CHARACTER-", "NUSHU CHARACTER-"] where name.hasPrefix(prefix) {
            let hex = name.dropFirst(prefix.count)
            guard hex.count >= 4, hex.count <= 5, let v = UInt32(hex, radix: 16), let sc = Unicode.Scalar(v),
                  sc.properties.name == name else { return nil }
            return v
        }
        let hangul = name.hasPrefix("HANGUL SYLLABLE ")
        var v: UInt32 = 0
        while v < 0xE01F0 {
            switch v {
            case 0x3400: v = 0x4DC0; continue               // CJK extension A
            case 0x4E00: v = 0xA000; continue               // CJK unified ideographs
            case 0xAC00 where !hangul: v = 0xD7A4; continue // Hangul syllables
            case 0xD800: v = 0xF900; continue               // surrogates, private use
            case 0x17000: v = 0x18800; continue             // Tangut ideographs
            case 0x18B00: v = 0x18D00; continue             // Khitan small script
            case 0x1B170: v = 0x1B300; continue             // Nushu
            case 0x20000: v = 0xE0000; continue             // CJK extensions B…, unassigned planes
            default: break
            }
            if let sc = Unicode.Scalar(v) {
                let p = sc.properties
                if p.generalCategory != .unassigned, p.name == name || p.nameAlias == name { return v }
            }
            v += 1
        }
        return nil
    }

    /// An escape outside a class; `start` is the backslash (already consumed, `i` is after it).
    private mutating func parseEscape(start: Int, _ flags: Flags) throws(SafeRegexError) -> Item {
        guard i < s.count else { throw error(start, "bad escape (end of pattern)") }
        let c = s[i]
        i += 1
        switch c {
        case "A": return Item(node: .assertion(.textStart), kind: .anchor)
        case "Z", "z": return Item(node: .assertion(.textEnd), kind: .anchor)
        case "b": return Item(node: .assertion(flags.ascii ? .asciiWordBoundary : .wordBoundary), kind: .anchor)
        case "B": return Item(node: .assertion(flags.ascii ? .asciiNotWordBoundary : .notWordBoundary), kind: .anchor)
        default: break
        }
        if let set = Self.category(c, flags) { return Item(node: .set(set), kind: .plain) }
        if let v = Self.simpleEscape(c) { return Item(node: .set(Self.folded(ScalarSet(scalar: v), flags)), kind: .plain) }
        if let v = try codeEscape(c, start: start) { return Item(node: .set(Self.folded(ScalarSet(scalar: v), flags)), kind: .plain) }
        if c == "0" {
            var v: UInt32 = 0
            var n = 0
            while n < 2, i < s.count, Self.isOctal(s[i]) { v = v * 8 + (s[i].value - 0x30); i += 1; n += 1 }
            return Item(node: .set(Self.folded(ScalarSet(scalar: v), flags)), kind: .plain)
        }
        if Self.isDigit(c) {
            // Python: three octal digits make an octal escape; otherwise a group reference.
            if i + 1 < s.count, Self.isOctal(c), Self.isOctal(s[i]), Self.isOctal(s[i + 1]) {
                let v = (c.value - 0x30) * 64 + (s[i].value - 0x30) * 8 + (s[i + 1].value - 0x30)
                i += 2
                if v > 0o377 { throw error(start, "octal escape value \\\(String(v, radix: 8)) outside of range 0-0o377") }
                return Item(node: .set(Self.folded(ScalarSet(scalar: v), flags)), kind: .plain)
            }
            var n = Int(c.value - 0x30)
            if i < s.count, Self.isDigit(s[i]) { n = n * 10 + Int(s[i].value - 0x30); i += 1 }
            if n <= groupCount {
                throw error(start, "backreferences (\\\(n)) are not supported (they cannot be matched without backtracking)")
            }
            throw error(start + 1, "invalid group reference \(n)")
        }
        if Self.isASCIILetter(c) { throw error(start, "bad escape \\\(c)") }
        return Item(node: .set(Self.folded(ScalarSet(scalar: c.value), flags)), kind: .plain)
    }

    /// One member of a class: a scalar, or a category set (`\d` and the like).
    private enum ClassAtom { case scalar(UInt32), category(ScalarSet) }

    /// An escape inside a class; `start` is the backslash.
    private mutating func classEscape(start: Int, _ flags: Flags) throws(SafeRegexError) -> ClassAtom {
        guard i < s.count else { throw error(start, "bad escape (end of pattern)") }
        let c = s[i]
        i += 1
        if let set = Self.category(c, flags) { return .category(set) }
        if c == "b" { return .scalar(0x08) }
        if let v = Self.simpleEscape(c) { return .scalar(v) }
        if let v = try codeEscape(c, start: start) { return .scalar(v) }
        if Self.isOctal(c) {
            var v = c.value - 0x30
            var n = 1
            while n < 3, i < s.count, Self.isOctal(s[i]) { v = v * 8 + (s[i].value - 0x30); i += 1; n += 1 }
            if v > 0o377 { throw error(start, "octal escape value \\\(String(v, radix: 8)) outside of range 0-0o377") }
            return .scalar(v)
        }
        if Self.isDigit(c) || Self.isASCIILetter(c) { throw error(start, "bad escape \\\(c)") }
        return .scalar(c.value)
    }

    /// After `[` at `start`.
    private mutating func parseClass(start: Int, _ flags: Flags) throws(SafeRegexError) -> ScalarSet {
        var negate = false
        if i < s.count, s[i] == "^" { negate = true; i += 1 }
        var pairs: [UInt32] = []
        var categories = ScalarSet()
        var first = true
        func atomText(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(s[from..<to])) }
        items: while true {
            guard i < s.count else { throw error(start, "unterminated character set") }
            let itemStart = i
            let c = s[i]
            i += 1
            if c == "]" && !first { break items }
            first = false
            let atom1: ClassAtom = c == "\\" ? try classEscape(start: itemStart, flags) : .scalar(c.value)
            if i < s.count, s[i] == "-" {
                i += 1
                guard i < s.count else { throw error(start, "unterminated character set") }
                let thatStart = i
                let that = s[i]
                i += 1
                if that == "]" {
                    switch atom1 {
                    case .scalar(let v): pairs.append(v); pairs.append(v)
                    case .category(let set): categories = categories.union(set)
                    }
                    pairs.append(0x2D); pairs.append(0x2D)
                    break items
                }
                let atom2: ClassAtom = that == "\\" ? try classEscape(start: thatStart, flags) : .scalar(that.value)
                guard case .scalar(let lo) = atom1, case .scalar(let hi) = atom2, lo <= hi else {
                    throw error(itemStart, "bad character range \(atomText(itemStart, i))")
                }
                pairs.append(lo); pairs.append(hi)
            } else {
                switch atom1 {
                case .scalar(let v): pairs.append(v); pairs.append(v)
                case .category(let set): categories = categories.union(set)
                }
            }
        }
        var set = Self.folded(ScalarSet(pairs: pairs), flags).union(categories)
        if negate { set = set.inverted() }
        return set
    }

    private static func concat(_ items: [Item]) -> RegexNode {
        switch items.count {
        case 0: return .empty
        case 1: return items[0].node
        default: return .concat(items.map(\.node))
        }
    }
}
