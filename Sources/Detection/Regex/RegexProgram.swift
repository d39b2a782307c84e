/// A compiled pattern: a Thompson NFA over an alphabet of symbol classes, plus what the prefilter
/// needs. Immutable and shared by every matching thread.
///
/// The alphabet: every scalar of the text falls in one class (scalars no part of the pattern can tell
/// apart share a class), computed by partitioning the scalar range by all the sets the pattern uses.
/// ASCII bytes map through a 128-entry table; other scalars are decoded from UTF-8 and looked up by
/// binary search. Two extra symbols follow the real classes: `finalNewline` (a `\n` that is the last
/// scalar, needed only by Python's `$`) and `end` (the end of the text).
struct RegexProgram: Sendable {
    enum Op: UInt8 { case consume, split, nop, assert, match }

    // The NFA.
    var ops: [Op] = []
    var out1: [Int32] = []
    var out2: [Int32] = []
    /// Set id for `consume`, assertion raw value for `assert`.
    var arg: [Int32] = []
    var start: Int32 = 0

    // The alphabet.
    var asciiClass: [UInt16] = []
    /// Starts (sorted) of runs of non-ASCII scalars with the same class, and the class of each run.
    var runStarts: [UInt32] = []
    var runClasses: [UInt16] = []
    var classCount = 0
    var finalNewlineClass = 0
    var endClass = 0
    var stride = 0
    /// `membership[c * setWords + s / 64] >> (s % 64) & 1`: whether set `s` holds the scalars of class `c`.
    var membership: [UInt64] = []
    var setWords = 1
    var classIsNewline: [Bool] = []
    var classIsWord: [Bool] = []
    var classIsASCIIWord: [Bool] = []

    /// Which state flags the program reads (see `RegexDFA.Flag`).
    var relevantFlags: UInt8 = 0
    var usesFinalNewline = false
    /// Every match starts at the start of the text: no new threads after position 0.
    var anchoredStart = false
    /// Bytes that leave the DFA in its restart state (only the start instruction, no flags): they cannot
    /// begin a match and set no flag the program reads. The DFA skips them in a tight loop. Empty when
    /// the program can match without consuming anything, or is anchored at the start.
    var restartSkip: [Bool] = []

    // The prefilter.
    /// A literal that every match contains: bytes, with ASCII letters lowercased where `needleFold`.
    var needle: [UInt8] = []
    var needleFold: [Bool] = []
    /// The needle treats some letters as ASCII-only although the pattern also lets non-ASCII scalars
    /// stand for them (`(?i)s` also matches `ſ`): a miss is conclusive only for ASCII text.
    var needleNeedsASCII = false
    /// The whole pattern is the needle (no assertions, no choices): a hit is a match.
    var pureLiteral = false
    /// The fewest UTF-8 bytes any match needs.
    var minLength = 0

    static let noOut: Int32 = -1

    // MARK: Compiling

    static func compile(_ root: RegexNode, pattern: String, maxStates: Int) throws(SafeRegexError) -> RegexProgram {
        var p = RegexProgram()
        // Size first (saturating), so a huge counted repetition is refused before anything is built.
        var tooBig: (offset: Int, size: Int)? = nil
        let size = programSize(root, limit: maxStates, tooBig: &tooBig) + 1
        if size > maxStates {
            let offset = tooBig?.offset ?? 0
            let shown = size >= maxStates * 4 ? "far more than \(maxStates)" : "\(size), more than \(maxStates)"
            throw SafeRegexError(pattern: pattern, offset: offset, message: "the compiled program would need \(shown) states (counted repetitions are expanded); simplify the pattern or raise maxStates")
        }

        // Collect the sets and assertions.
        var sets: [ScalarSet] = []
        var setIDs: [ScalarSet: Int32] = [:]
        var assertions: Set<RegexAssertion> = []
        collect(root, &sets, &setIDs, &assertions)
        func pseudo(_ s: ScalarSet) -> Int32 {
            if let id = setIDs[s] { return id }
            let id = Int32(sets.count)
            sets.append(s); setIDs[s] = id
            return id
        }
        var flags: UInt8 = 0
        var wordSet: Int32 = -1, asciiWordSet: Int32 = -1, newlineSet: Int32 = -1
        if assertions.contains(.textStart) || assertions.contains(.lineStart) { flags |= RegexDFA.Flag.atStart }
        if assertions.contains(.lineStart) { flags |= RegexDFA.Flag.prevNewline }
        if assertions.contains(.wordBoundary) || assertions.contains(.notWordBoundary) {
            flags |= RegexDFA.Flag.prevWord | RegexDFA.Flag.atStart
            wordSet = pseudo(UnicodeCategories.word)
        }
        if assertions.contains(.asciiWordBoundary) || assertions.contains(.asciiNotWordBoundary) {
            flags |= RegexDFA.Flag.prevASCIIWord | RegexDFA.Flag.atStart
            asciiWordSet = pseudo(UnicodeCategories.asciiWord)
        }
        if assertions.contains(.lineStart) || assertions.contains(.lineEnd) || assertions.contains(.dollar) {
            newlineSet = pseudo(ScalarSet(scalar: 0x0A))
        }
        p.relevantFlags = flags
        p.usesFinalNewline = assertions.contains(.dollar)

        try p.buildAlphabet(sets, pattern: pattern)
        func member(_ c: Int, _ s: Int32) -> Bool {
            s >= 0 && (p.membership[c * p.setWords + Int(s) / 64] >> (UInt64(s) % 64)) & 1 == 1
        }
        p.classIsNewline = (0..<p.stride).map { member($0, newlineSet) }
        p.classIsWord = (0..<p.stride).map { member($0, wordSet) }
        p.classIsASCIIWord = (0..<p.stride).map { member($0, asciiWordSet) }
        if newlineSet < 0 {
            // `\n` needs no class of its own; still, the final-newline symbol must read as a newline.
            p.classIsNewline[p.finalNewlineClass] = true
        }

        // The NFA.
        let matchPC = p.emit(.match, 0, noOut, noOut)
        p.start = p.compileNode(root, next: matchPC, setIDs)

        // Prefilter facts.
        p.anchoredStart = isAnchoredStart(root)
        p.restartSkip = p.computeRestartSkip()
        let info = literalInfo(root)
        p.minLength = min(info.minLength, Int(Int32.max))
        let best = info.exact ?? info.best
        if !best.isEmpty {
            p.needle = best.map { UInt8(truncatingIfNeeded: $0) }
            p.needleFold = best.map { $0 & LiteralElement.fold != 0 }
            p.needleNeedsASCII = best.contains { $0 & LiteralElement.nonASCIIAlternatives != 0 }
            p.pureLiteral = info.exact != nil && assertions.isEmpty
        } else if info.exact != nil && assertions.isEmpty {
            // The empty pattern (or only empty groups): everything matches.
            p.pureLiteral = true
        }
        return p
    }

    private mutating func emit(_ op: Op, _ a: Int32, _ o1: Int32, _ o2: Int32) -> Int32 {
        ops.append(op); arg.append(a); out1.append(o1); out2.append(o2)
        return Int32(ops.count - 1)
    }

    /// Emits `node` so that it continues at `next`; returns its entry.
    private mutating func compileNode(_ node: RegexNode, next: Int32, _ setIDs: [ScalarSet: Int32]) -> Int32 {
        switch node {
        case .empty:
            return next
        case .set(let s):
            return emit(.consume, setIDs[s] ?? 0, next, Self.noOut)
        case .assertion(let a):
            return emit(.assert, Int32(a.rawValue), next, Self.noOut)
        case .concat(let children):
            var cur = next
            for child in children.reversed() { cur = compileNode(child, next: cur, setIDs) }
            return cur
        case .alt(let children):
            let starts = children.map { compileNode($0, next: next, setIDs) }
            guard var acc = starts.last else { return next }
            for s in starts.dropLast().reversed() { acc = emit(.split, 0, s, acc) }
            return acc
        case .repetition(let child, let lo, let hi, _):
            var cur = next
            var required = lo
            if let hi {
                if hi == 0 { return next }
                for _ in 0..<(hi - lo) {
                    let body = compileNode(child, next: cur, setIDs)
                    cur = emit(.split, 0, body, next)
                }
            } else if lo == 0 {
                let loop = emit(.split, 0, Self.noOut, next)
                let body = compileNode(child, next: loop, setIDs)
                out1[Int(loop)] = body
                return loop
            } else {
                // x{n,} = x{n-1} followed by x+ (one copy looping back).
                let loop = emit(.split, 0, Self.noOut, next)
                let body = compileNode(child, next: loop, setIDs)
                out1[Int(loop)] = body
                cur = body
                required -= 1
            }
            for _ in 0..<required { cur = compileNode(child, next: cur, setIDs) }
            return cur
        }
    }

    /// Instructions `node` compiles to, saturating just above `limit`. Records the outermost
    /// repetition that alone exceeds the limit.
    private static func programSize(_ node: RegexNode, limit: Int, tooBig: inout (offset: Int, size: Int)?) -> Int {
        let cap = limit + 1
        func add(_ a: Int, _ b: Int) -> Int { min(cap, a + b) }
        func mul(_ a: Int, _ b: Int) -> Int {
            if a == 0 || b == 0 { return 0 }
            return a > cap / b ? cap : min(cap, a * b)
        }
        switch node {
        case .empty: return 0
        case .set, .assertion: return 1
        case .concat(let c): return c.reduce(0) { add($0, programSize($1, limit: limit, tooBig: &tooBig)) }
        case .alt(let c): return c.reduce(c.count - 1) { add($0, programSize($1, limit: limit, tooBig: &tooBig)) }
        case .repetition(let child, let lo, let hi, let offset):
            let s = programSize(child, limit: limit, tooBig: &tooBig)
            let total: Int
            if let hi {
                total = add(mul(lo, s), mul(hi - lo, s + 1))
            } else {
                total = lo == 0 ? add(s, 1) : add(mul(lo, s), 1)
            }
            if total >= cap { tooBig = (offset, total) }
            return total
        }
    }

    private static func collect(_ node: RegexNode, _ sets: inout [ScalarSet], _ ids: inout [ScalarSet: Int32], _ assertions: inout Set<RegexAssertion>) {
        switch node {
        case .empty: break
        case .set(let s):
            if ids[s] == nil { ids[s] = Int32(sets.count); sets.append(s) }
        case .assertion(let a): assertions.insert(a)
        case .concat(let c), .alt(let c): for x in c { collect(x, &sets, &ids, &assertions) }
        case .repetition(let child, _, let hi, _):
            if hi != 0 { collect(child, &sets, &ids, &assertions) }
        }
    }

    // MARK: Alphabet

    /// Partitions the scalars into classes by membership in every set.
    private mutating func buildAlphabet(_ sets: [ScalarSet], pattern: String) throws(SafeRegexError) {
        // Elementary intervals: every ASCII scalar alone, then the set boundaries above.
        var cuts = Set<UInt32>(0...0x80)
        for s in sets {
            let b = s.bounds
            var k = 0
            while k < b.count {
                cuts.insert(b[k])
                if b[k + 1] < ScalarSet.maxScalar { cuts.insert(b[k + 1] + 1) }
                k += 2
            }
        }
        let starts = cuts.sorted()
        let words = max(1, (sets.count + 63) / 64)
        if starts.count * words > 4_000_000 || starts.count * sets.count > 40_000_000 {
            throw SafeRegexError(pattern: pattern, offset: 0, message: "too many distinct character classes (\(sets.count) sets over \(starts.count) ranges)")
        }
        var sig = [UInt64](repeating: 0, count: starts.count * words)
        func intervalIndex(_ x: UInt32) -> Int {
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] <= x { lo = mid + 1 } else { hi = mid }
            }
            return lo - 1
        }
        for (sid, s) in sets.enumerated() {
            let b = s.bounds
            var k = 0
            while k < b.count {
                var j = intervalIndex(b[k])
                while j < starts.count, starts[j] <= b[k + 1] {
                    sig[j * words + sid / 64] |= 1 << UInt64(sid % 64)
                    j += 1
                }
                k += 2
            }
        }
        var classOf: [[UInt64]: UInt16] = [:]
        var rows: [[UInt64]] = []
        var intervalClass = [UInt16](repeating: 0, count: starts.count)
        for j in 0..<starts.count {
            let row = Array(sig[(j * words)..<((j + 1) * words)])
            if let c = classOf[row] {
                intervalClass[j] = c
            } else {
                let c = UInt16(truncatingIfNeeded: rows.count)
                classOf[row] = c
                rows.append(row)
                intervalClass[j] = c
            }
        }
        if rows.count > 60_000 {
            throw SafeRegexError(pattern: pattern, offset: 0, message: "too many distinct character classes (\(rows.count))")
        }
        asciiClass = (0..<128).map { intervalClass[$0] }
        // Runs above ASCII (interval 128 starts at 0x80).
        runStarts = []; runClasses = []
        for j in 128..<starts.count {
            if let last = runClasses.last, last == intervalClass[j] { continue }
            runStarts.append(starts[j]); runClasses.append(intervalClass[j])
        }
        classCount = rows.count
        finalNewlineClass = classCount
        endClass = classCount + 1
        stride = classCount + 2
        setWords = words
        membership = []
        membership.reserveCapacity(stride * words)
        for row in rows { membership.append(contentsOf: row) }
        membership.append(contentsOf: rows[Int(asciiClass[0x0A])])
        membership.append(contentsOf: [UInt64](repeating: 0, count: words))
    }

    /// The class of a non-ASCII scalar.
    @inline(__always)
    func classOf(scalar v: UInt32) -> Int {
        var lo = 0, hi = runStarts.count
        while lo < hi {
            let mid = (lo + hi) &>> 1
            if runStarts[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? Int(runClasses[lo - 1]) : 0
    }

    /// See `restartSkip`. Assertions are assumed to hold (a superset of the bytes that can begin a match).
    private func computeRestartSkip() -> [Bool] {
        if anchoredStart { return [] }
        var seen = Set<Int32>()
        var stack: [Int32] = [start]
        var firstSets: [Int] = []
        while let pc = stack.popLast() {
            guard pc >= 0, seen.insert(pc).inserted else { continue }
            let k = Int(pc)
            switch ops[k] {
            case .consume: firstSets.append(Int(arg[k]))
            case .split: stack.append(out1[k]); stack.append(out2[k])
            case .nop, .assert: stack.append(out1[k])
            case .match: return []  // can match without consuming anything
            }
        }
        func skippable(_ c: Int) -> Bool {
            if firstSets.contains(where: { (membership[c * setWords + $0 >> 6] >> UInt64($0 & 63)) & 1 == 1 }) { return false }
            if relevantFlags & RegexDFA.Flag.prevNewline != 0 && classIsNewline[c] { return false }
            if relevantFlags & RegexDFA.Flag.prevWord != 0 && classIsWord[c] { return false }
            if relevantFlags & RegexDFA.Flag.prevASCIIWord != 0 && classIsASCIIWord[c] { return false }
            return true
        }
        var table = [Bool](repeating: false, count: 256)
        for b in 0..<128 { table[b] = skippable(Int(asciiClass[b])) }
        if Set(runClasses).allSatisfy({ skippable(Int($0)) }) {
            for b in 128..<256 { table[b] = true }
        }
        return table
    }

    // MARK: Literal analysis

    enum LiteralElement {
        /// An ASCII letter matched in either case (the byte is the lowercase letter).
        static let fold: UInt16 = 0x100
        /// … and also by some non-ASCII scalars (Python's `(?i)` lets `ſ` match `s`, `K` match `k`).
        static let nonASCIIAlternatives: UInt16 = 0x200
    }

    struct LiteralInfo {
        /// All matches are exactly this literal (nil: they are not, or it is too long to keep).
        var exact: [UInt16]?
        var prefix: [UInt16] = []
        var suffix: [UInt16] = []
        /// The longest literal known to occur in every match.
        var best: [UInt16] = []
        var minLength = 0
    }

    static let maxLiteral = 64
    static let impossible = 1 << 40

    private static func longer(_ a: [UInt16], _ b: [UInt16]) -> [UInt16] { b.count > a.count ? b : a }

    /// The literal elements of a one-scalar set, when it is one.
    private static func literal(of set: ScalarSet) -> [UInt16]? {
        if let v = set.singleScalar {
            guard let scalar = Unicode.Scalar(v) else { return nil }
            return Array(String(Character(scalar)).utf8).map { UInt16($0) }
        }
        // An ASCII letter in both cases, possibly with non-ASCII alternatives.
        guard set.count <= 6, let first = set.minScalar, first >= 0x41, first <= 0x5A else { return nil }
        let lower = first + 0x20
        guard set.contains(lower) else { return nil }
        var others = 0
        var nonASCII = 0
        let b = set.bounds
        var k = 0
        while k < b.count {
            for v in b[k]...b[k + 1] where v != first && v != lower {
                if v < 0x80 { others += 1 } else { nonASCII += 1 }
            }
            k += 2
        }
        guard others == 0 else { return nil }
        return [UInt16(lower) | LiteralElement.fold | (nonASCII > 0 ? LiteralElement.nonASCIIAlternatives : 0)]
    }

    private static func utf8Length(_ v: UInt32) -> Int { v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4 }

    static func literalInfo(_ node: RegexNode) -> LiteralInfo {
        switch node {
        case .empty, .assertion:
            return LiteralInfo(exact: [])
        case .set(let s):
            guard let first = s.minScalar else { return LiteralInfo(exact: nil, minLength: impossible) }
            let minLength = utf8Length(first)
            if let lit = literal(of: s) { return LiteralInfo(exact: lit, prefix: lit, suffix: lit, best: lit, minLength: minLength) }
            return LiteralInfo(exact: nil, minLength: minLength)
        case .concat(let children):
            let infos = children.map(literalInfo)
            var out = LiteralInfo(exact: [])
            var run: [UInt16] = []
            var prefixDone = false
            for info in infos {
                out.minLength = min(impossible, out.minLength + info.minLength)
                out.best = longer(out.best, info.best)
                if let e = info.exact, run.count + e.count <= maxLiteral {
                    run += e
                    if !prefixDone { out.prefix = run }
                } else {
                    let e = info.exact
                    let head = e.map { Array($0.prefix(maxLiteral)) } ?? info.prefix
                    let candidate = Array((run + head).prefix(maxLiteral))
                    out.best = longer(out.best, candidate)
                    if !prefixDone { out.prefix = candidate; prefixDone = true }
                    run = e.map { Array($0.suffix(maxLiteral)) } ?? info.suffix
                    out.exact = nil
                }
            }
            out.best = longer(out.best, run)
            out.suffix = run
            if out.exact != nil { out.exact = run; out.prefix = run; out.best = run }
            return out
        case .alt(let children):
            let infos = children.map(literalInfo)
            guard let first = infos.first else { return LiteralInfo(exact: []) }
            var out = LiteralInfo()
            out.minLength = infos.map(\.minLength).min() ?? 0
            if let e = first.exact, infos.allSatisfy({ $0.exact == e }) {
                return LiteralInfo(exact: e, prefix: e, suffix: e, best: e, minLength: out.minLength)
            }
            func starts(_ i: LiteralInfo) -> [UInt16] { i.exact ?? i.prefix }
            func ends(_ i: LiteralInfo) -> [UInt16] { i.exact ?? i.suffix }
            var prefix = starts(first)
            var suffix = ends(first)
            for info in infos.dropFirst() {
                let p = starts(info)
                var n = 0
                while n < prefix.count, n < p.count, prefix[n] == p[n] { n += 1 }
                prefix = Array(prefix.prefix(n))
                let s = ends(info)
                var m = 0
                while m < suffix.count, m < s.count, suffix[suffix.count - 1 - m] == s[s.count - 1 - m] { m += 1 }
                suffix = Array(suffix.suffix(m))
            }
            out.prefix = prefix
            out.suffix = suffix
            out.best = longer(prefix, suffix)
            return out
        case .repetition(let child, let lo, let hi, _):
            if hi == 0 { return LiteralInfo(exact: []) }
            let info = literalInfo(child)
            var out = LiteralInfo()
            out.minLength = lo == 0 ? 0 : (info.minLength >= impossible / max(lo, 1) ? impossible : min(impossible, info.minLength * lo))
            if lo == 0 { return out }
            if let e = info.exact {
                let repeated = Array(Array(repeating: e, count: min(lo, maxLiteral)).joined().prefix(maxLiteral))
                if hi == lo, e.count * lo <= maxLiteral {
                    return LiteralInfo(exact: repeated, prefix: repeated, suffix: repeated, best: repeated, minLength: out.minLength)
                }
                out.prefix = repeated
                out.suffix = repeated
                out.best = repeated
            } else {
                out.prefix = info.prefix
                out.suffix = info.suffix
                out.best = info.best
            }
            return out
        }
    }

    static func isAnchoredStart(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(let a): return a == .textStart
        case .concat(let c):
            for child in c {
                if case .empty = child { continue }
                return isAnchoredStart(child)
            }
            return false
        case .alt(let c): return !c.isEmpty && c.allSatisfy(isAnchoredStart)
        case .repetition(let child, let lo, _, _): return lo >= 1 && isAnchoredStart(child)
        case .empty, .set: return false
        }
    }
}
