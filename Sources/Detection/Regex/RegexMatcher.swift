#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A lazily built DFA over a `RegexProgram`, with the NFA simulation it is built from.
///
/// A DFA state is a set of NFA instructions *before* their ε-closure (the closure depends on the next
/// symbol when there are assertions) plus a few flags about the previous symbol. Computing a
/// transition runs the closure with the assertions decided by (flags, symbol), notes a match, and
/// steps over the symbol; the result is cached in a table of `stride` entries per state. The cache is
/// bounded (`memoryBudget` bytes): when full it is cleared, and after a few clears within one search
/// the search goes on without caching (the plain NFA simulation). Either way each symbol costs at
/// most O(program size): no backtracking.
///
/// Not thread-safe: `RegexEngine` hands each search its own instance from a small pool.
final class RegexDFA {
    enum Flag {
        static let atStart: UInt8 = 1
        static let prevNewline: UInt8 = 2
        static let prevWord: UInt8 = 4
        static let prevASCIIWord: UInt8 = 8
    }

    static let unknown: Int32 = -1
    static let matched: Int32 = -2
    static let dead: Int32 = -3

    struct StateKey: Hashable {
        var flags: UInt8
        var pcs: [Int32]

        func hash(into hasher: inout Hasher) {
            hasher.combine(flags)
            pcs.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    let program: RegexProgram
    let memoryBudget: Int
    private(set) var clears = 0

    private var states: [StateKey] = []
    private var index: [StateKey: Int32] = [:]
    private var trans: UnsafeMutablePointer<Int32>
    private var transCapacity: Int  // in states
    private var memoryUsed = 0
    private var startState: Int32 = -1
    /// The state with only the start instruction and no flags (after a byte that began nothing).
    private var restartState: Int32 = -1

    // Scratch for the NFA step (sized to the program once).
    private var mark: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []
    private var consumers: [Int32] = []
    private var next: [Int32] = []
    private var nextBits: [UInt64]

    init(program: RegexProgram, memoryBudget: Int = 8 << 20) {
        self.program = program
        self.memoryBudget = memoryBudget
        transCapacity = 16
        trans = UnsafeMutablePointer<Int32>.allocate(capacity: transCapacity * program.stride)
        mark = [UInt32](repeating: 0, count: program.ops.count)
        nextBits = [UInt64](repeating: 0, count: (program.ops.count + 63) / 64)
        stack.reserveCapacity(64)
        consumers.reserveCapacity(64)
        next.reserveCapacity(64)
    }

    deinit {
        trans.deallocate()
        RegexDFA.globalUsage.add(-memoryUsed)
    }

    /// Bytes held by all DFA caches of the process. Past `globalLimit` a cache that wants to grow
    /// clears itself instead, so many hostile patterns together cannot exhaust memory either.
    static let globalUsage = ByteCounter()
    static let globalLimit = 256 << 20

    final class ByteCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = 0
        func add(_ n: Int) { lock.lock(); bytes += n; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return bytes }
    }

    // MARK: Searching

    /// Whether the program matches anywhere in `text`.
    func search(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return searchEmpty() }
        let n = text.count
        let finalNL = program.usesFinalNewline
        let finalNewlineClass = program.finalNewlineClass
        let clearsAtStart = clears
        let startRow = Int(start()) &* program.stride
        // In the restart state, bytes that cannot begin a match (and set no flag) are skipped in a
        // tight loop instead of stepping the DFA.
        let skip = !program.restartSkip.isEmpty
        return program.asciiClass.withUnsafeBufferPointer { ascii -> Bool in
            program.restartSkip.withUnsafeBufferPointer { skippable -> Bool in
                // Locals only (captured variables would live in memory and slow the loop down).
                // `row` is the current state's offset in the table (state id × stride).
                var row = startRow
                var restartRow = restartState >= 0 ? Int(restartState) &* program.stride : -1
                var i = 0
                var table = trans
                while i < n {
                    if skip && row == restartRow {
                        while i < n && skippable[Int(base[i])] { i &+= 1 }
                        if i == n { break }
                    }
                    let b = base[i]
                    var cls: Int
                    if b < 0x80 {
                        cls = Int(ascii[Int(b)])
                        i &+= 1
                        if b == 0x0A && i == n && finalNL { cls = finalNewlineClass }
                    } else {
                        let (v, len) = Self.decode(base, i, n)
                        i &+= len
                        cls = program.classOf(scalar: v)
                    }
                    var t = table[row &+ cls]
                    if t < 0 {
                        if t == Self.matched { return true }
                        if t == Self.dead { return false }
                        let s = Int32(row / program.stride)
                        if clears - clearsAtStart >= 3 {
                            // The cache keeps filling up: finish with the plain NFA simulation.
                            return simulate(base, n, from: i, state: states[Int(s)], symbol: cls)
                        }
                        t = computeTransition(from: s, symbol: cls)
                        table = trans
                        // The cache may have been cleared: the start state may have a new row, or none yet.
                        if skip { restartRow = restartState >= 0 ? Int(restartState) &* program.stride : -1 }
                        if t == Self.matched { return true }
                        if t == Self.dead { return false }
                    }
                    row = Int(t)
                }
                var t = table[row + program.endClass]
                if t == Self.unknown { t = computeTransition(from: Int32(row / program.stride), symbol: program.endClass) }
                return t == Self.matched
            }
        }
    }

    private func searchEmpty() -> Bool {
        let s = start()
        var t = trans[Int(s) * program.stride + program.endClass]
        if t == Self.unknown { t = computeTransition(from: s, symbol: program.endClass) }
        return t == Self.matched
    }

    /// Continues a search without the cache: `key` is the state before `symbol`, which ends at `i`.
    private func simulate(_ base: UnsafePointer<UInt8>, _ n: Int, from start: Int, state key: StateKey, symbol: Int) -> Bool {
        let p = program
        var cur = key
        var cls = symbol
        var i = start
        while true {
            guard let after = step(cur, symbol: cls) else { return true }
            if cls == p.endClass { return false }
            if after.pcs.isEmpty { return false }
            cur = after
            if i >= n {
                cls = p.endClass
                continue
            }
            let b = base[i]
            if b < 0x80 {
                cls = Int(p.asciiClass[Int(b)])
                i += 1
                if b == 0x0A && i == n && p.usesFinalNewline { cls = p.finalNewlineClass }
            } else {
                let (v, len) = Self.decode(base, i, n)
                i += len
                cls = p.classOf(scalar: v)
            }
        }
    }

    /// Decodes the UTF-8 scalar at `i` (U+FFFD for one byte of malformed input).
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 >= 0xC2 && b0 < 0xE0 {
            if i + 1 < n {
                let b1 = UInt32(p[i + 1])
                if b1 & 0xC0 == 0x80 { return ((b0 & 0x1F) << 6 | (b1 & 0x3F), 2) }
            }
        } else if b0 >= 0xE0 && b0 < 0xF0 {
            if i + 2 < n {
                let b1 = UInt32(p[i + 1]), b2 = UInt32(p[i + 2])
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                    let v = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F)
                    if v >= 0x800 && (v < 0xD800 || v > 0xDFFF) { return (v, 3) }
                }
            }
        } else if b0 >= 0xF0 && b0 < 0xF5 {
            if i + 3 < n {
                let b1 = UInt32(p[i + 1]), b2 = UInt32(p[i + 2]), b3 = UInt32(p[i + 3])
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 {
                    let v = (b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F)
                    if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
                }
            }
        }
        return (0xFFFD, 1)
    }

    // MARK: The cache

    private func start() -> Int32 {
        if startState >= 0 { return startState }
        let key = StateKey(flags: Flag.atStart & program.relevantFlags, pcs: [program.start])
        startState = insert(key)
        return startState
    }

    private func insert(_ key: StateKey) -> Int32 {
        if let id = index[key] { return id }
        let stride = program.stride
        let cost = key.pcs.count * 4 + stride * 4 + 128
        if !states.isEmpty && (memoryUsed + cost > memoryBudget || RegexDFA.globalUsage.value + cost > RegexDFA.globalLimit) {
            clear()
        }
        let id = Int32(states.count)
        if states.count == transCapacity {
            let newCapacity = transCapacity * 2
            let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity * stride)
            bigger.update(from: trans, count: transCapacity * stride)
            trans.deallocate()
            trans = bigger
            transCapacity = newCapacity
        }
        (trans + states.count * stride).initialize(repeating: Self.unknown, count: stride)
        states.append(key)
        index[key] = id
        if key.pcs.count == 1, key.pcs[0] == program.start {
            if key.flags == Flag.atStart & program.relevantFlags { startState = id }
            if key.flags == 0 { restartState = id }
        }
        memoryUsed += cost
        RegexDFA.globalUsage.add(cost)
        return id
    }

    private func clear() {
        clears += 1
        RegexDFA.globalUsage.add(-memoryUsed)
        states.removeAll(keepingCapacity: false)
        index.removeAll(keepingCapacity: false)
        memoryUsed = 0
        startState = -1
        restartState = -1
        if transCapacity > 64 {
            trans.deallocate()
            transCapacity = 16
            trans = UnsafeMutablePointer<Int32>.allocate(capacity: transCapacity * program.stride)
        }
    }

    /// Computes, caches (when the source state survives) and returns the transition: the target's
    /// row offset (id × stride), or `matched` / `dead`.
    private func computeTransition(from s: Int32, symbol: Int) -> Int32 {
        let key = states[Int(s)]
        let clearsBefore = clears
        let result: Int32
        if let after = step(key, symbol: symbol) {
            result = after.pcs.isEmpty ? Self.dead : insert(after) &* Int32(program.stride)
        } else {
            result = Self.matched
        }
        if clears == clearsBefore { trans[Int(s) * program.stride + symbol] = result }
        return result
    }

    // MARK: The NFA step

    /// Runs the ε-closure of `key` with the assertions decided by the symbol about to be read; nil if
    /// it reaches the match. Otherwise the state after consuming `symbol` (unused for `end`).
    func step(_ key: StateKey, symbol: Int) -> StateKey? {
        let p = program
        let flags = key.flags
        let atStart = flags & Flag.atStart != 0
        let isEnd = symbol == p.endClass
        let isFinalNL = symbol == p.finalNewlineClass
        let nextNL = p.classIsNewline[symbol]
        let prevNL = flags & Flag.prevNewline != 0
        let prevW = flags & Flag.prevWord != 0
        let nextW = p.classIsWord[symbol]
        let prevA = flags & Flag.prevASCIIWord != 0
        let nextA = p.classIsASCIIWord[symbol]

        generation &+= 1
        if generation == 0 {
            for k in mark.indices { mark[k] = 0 }
            generation = 1
        }
        let gen = generation
        // Scratch arrays move into locals for the step (no exclusivity checks in the loops).
        var stack = self.stack, consumers = self.consumers, next = self.next, nextBits = self.nextBits, mark = self.mark
        self.stack = []; self.consumers = []; self.next = []; self.nextBits = []; self.mark = []
        defer {
            self.stack = stack; self.consumers = consumers; self.nextBits = nextBits; self.mark = mark
            next.removeAll(keepingCapacity: true)
            self.next = next
        }
        stack.removeAll(keepingCapacity: true)
        consumers.removeAll(keepingCapacity: true)
        for pc in key.pcs.reversed() { stack.append(pc) }
        var found = false
        mark.withUnsafeMutableBufferPointer { mark in
            while let pc = stack.popLast() {
                let k = Int(pc)
                if mark[k] == gen { continue }
                mark[k] = gen
                switch p.ops[k] {
                case .consume:
                    consumers.append(pc)
                case .split:
                    stack.append(p.out2[k])
                    stack.append(p.out1[k])
                case .nop:
                    stack.append(p.out1[k])
                case .match:
                    found = true
                    return
                case .assert:
                    let holds: Bool
                    switch RegexAssertion(rawValue: UInt8(truncatingIfNeeded: p.arg[k])) {
                    case .textStart: holds = atStart
                    case .lineStart: holds = atStart || prevNL
                    case .textEnd: holds = isEnd
                    case .dollar: holds = isEnd || isFinalNL
                    case .lineEnd: holds = isEnd || nextNL
                    case .wordBoundary: holds = prevW != nextW
                    // Python (before 3.14) finds no \B in the empty text.
                    case .notWordBoundary: holds = prevW == nextW && !(atStart && isEnd)
                    case .asciiWordBoundary: holds = prevA != nextA
                    case .asciiNotWordBoundary: holds = prevA == nextA && !(atStart && isEnd)
                    case nil: holds = false
                    }
                    if holds { stack.append(p.out1[k]) }
                }
            }
        }
        if found { return nil }
        if isEnd { return StateKey(flags: 0, pcs: []) }

        // Step over the symbol; the targets are collected in a bitset so they come out sorted.
        next.removeAll(keepingCapacity: true)
        let words = p.setWords
        var lowWord = Int.max, highWord = -1
        nextBits.withUnsafeMutableBufferPointer { bits in
            for pc in consumers {
                let k = Int(pc)
                let set = Int(p.arg[k])
                if (p.membership[symbol * words + set >> 6] >> UInt64(set & 63)) & 1 == 1 {
                    let target = Int(p.out1[k])
                    bits[target >> 6] |= 1 << UInt64(target & 63)
                    lowWord = min(lowWord, target >> 6)
                    highWord = max(highWord, target >> 6)
                }
            }
            if !p.anchoredStart {
                let target = Int(p.start)
                bits[target >> 6] |= 1 << UInt64(target & 63)
                lowWord = min(lowWord, target >> 6)
                highWord = max(highWord, target >> 6)
            }
            if highWord >= 0 {
                for w in lowWord...highWord {
                    var word = bits[w]
                    bits[w] = 0
                    while word != 0 {
                        next.append(Int32(w << 6 + word.trailingZeroBitCount))
                        word &= word - 1
                    }
                }
            }
        }
        var newFlags: UInt8 = 0
        if nextNL { newFlags |= Flag.prevNewline }
        if nextW { newFlags |= Flag.prevWord }
        if nextA { newFlags |= Flag.prevASCIIWord }
        return StateKey(flags: newFlags & p.relevantFlags, pcs: Array(next))
    }
}

/// The compiled program and a small pool of DFA caches shared by the copies of one `SafeRegex`.
final class RegexEngine: @unchecked Sendable {
    let program: RegexProgram
    private let lock = NSLock()
    private var idle: [RegexDFA] = []
    static let poolLimit = 4

    init(program: RegexProgram) { self.program = program }

    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if text.count < program.minLength { return false }
        if !program.needle.isEmpty {
            if !RegexPrefilter.contains(program.needle, fold: program.needleFold, in: text) {
                if !program.needleNeedsASCII || RegexPrefilter.isASCII(text) { return false }
            } else if program.pureLiteral {
                return true
            }
        } else if program.pureLiteral {
            return true
        }
        lock.lock()
        let cached = idle.popLast()
        lock.unlock()
        let dfa = cached ?? RegexDFA(program: program)
        let result = dfa.search(text)
        lock.lock()
        if idle.count < Self.poolLimit { idle.append(dfa) }
        lock.unlock()
        return result
    }
}

/// Literal search before the automaton: most texts do not contain the literal every match needs.
enum RegexPrefilter {
    /// Whether `needle` occurs in `text`; elements with `fold` match an ASCII letter in either case
    /// (the needle holds the lowercase letter).
    static func contains(_ needle: [UInt8], fold: [Bool], in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count, n = text.count
        guard m > 0 else { return true }
        guard m <= n, let base = text.baseAddress else { return false }
        // The anchor: the rarest exact byte, else the rarest folded letter.
        var anchor = -1
        var bestRank = Int.max
        for k in 0..<m where !fold[k] {
            let r = rank(needle[k])
            if r < bestRank { bestRank = r; anchor = k }
        }
        return needle.withUnsafeBufferPointer { nd in
            fold.withUnsafeBufferPointer { fd in
                @inline(__always) func verify(_ at: Int) -> Bool {
                    var j = 0
                    while j < m {
                        let t = base[at + j]
                        if fd[j] ? (t | 0x20) != nd[j] : t != nd[j] { return false }
                        j += 1
                    }
                    return true
                }
                if anchor >= 0 {
                    let byte = Int32(nd[anchor])
                    var pos = anchor
                    let last = n - m + anchor  // the last position the anchor byte can be at
                    while pos <= last {
                        guard let hit = memchr(base + pos, byte, last - pos + 1) else { return false }
                        let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                        if verify(at - anchor) { return true }
                        pos = at + 1
                    }
                    return false
                }
                // Only folded letters: scan for the first one in either case.
                let first = nd[0]
                var pos = 0
                let last = n - m
                while pos <= last {
                    if (base[pos] | 0x20) == first, verify(pos) { return true }
                    pos += 1
                }
                return false
            }
        }
    }

    /// Lower is rarer in typical logs and command lines.
    private static func rank(_ b: UInt8) -> Int {
        switch b {
        case 0x20: return 100
        case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
             UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"): return 90
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return 70
        case UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): return 60
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 50
        case 0x80...0xFF: return 40
        default: return 20
        }
    }

    static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        let n = text.count
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }
}
