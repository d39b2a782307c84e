import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The compiled rules: immutable once built, shared by every matcher.
final class SigmaProgram: @unchecked Sendable {
    let nodes: SigmaFrozen<SigmaNodeCode>
    let children: SigmaFrozen<Int32>
    let leaves: SigmaFrozen<SigmaLeafCode>
    let literals: SigmaFrozen<UInt8>
    let globTokens: SigmaFrozen<SigmaGlobToken>
    let globStarts: [Int32]
    let regexes: [SafeRegex]
    let cidrs: [SigmaCIDR]
    let variantRule: SigmaFrozen<Int32>
    let variantRoot: SigmaFrozen<Int32>
    let variantNonWindows: SigmaFrozen<Bool>
    let fields: SigmaFieldTable
    let namedSlots: Int
    let slotCount: Int
    let virtualKinds: [SigmaSlotKind]
    let slotIndex: [SigmaSlotIndex?]
    let literalOffsets: SigmaFrozen<Int32>
    let literalLengths: SigmaFrozen<Int32>
    let literalCount: Int
    /// Gates: variant v's OR-groups are `gateGroups[gateStart[v] ..< gateStart[v] + gateCount[v]]`
    /// (count -1: no gate); group g's pairs are `gateSlots/gateLiterals[groupStart[g] ..< +groupCount[g]]`.
    let gateStart: SigmaFrozen<Int32>
    let gateCount: SigmaFrozen<Int32>
    let groupStart: SigmaFrozen<Int32>
    let groupCount: SigmaFrozen<Int32>
    let gateSlots: SigmaFrozen<Int32>
    let gateLiterals: SigmaFrozen<Int32>
    // Candidate index
    let channelIDs: SigmaNameIndex
    let eventIDIDs: SigmaNameIndex
    let providerIDs: SigmaNameIndex
    let fieldIndex: SigmaNameIndex
    let byChannelAndEvent: [Int64: [Int32]]
    let byChannel: [Int32: [Int32]]
    let byEvent: [Int32: [Int32]]
    let byProvider: [Int32: [Int32]]
    let unbounded: [Int32]
    let hasKeywordLeaves: Bool

    init(_ c: inout SigmaCompiler) {
        let (named, virtual) = c.finish()
        nodes = SigmaFrozen(c.nodes)
        children = SigmaFrozen(c.children)
        leaves = SigmaFrozen(c.leaves)
        literals = SigmaFrozen(c.literals)
        globTokens = SigmaFrozen(c.globs)
        globStarts = c.globStarts + [Int32(c.globs.count)]
        regexes = c.regexes
        cidrs = c.cidrs
        fields = c.fields
        namedSlots = named
        virtualKinds = virtual
        slotCount = named + virtual.count
        var idx = [SigmaSlotIndex?](repeating: nil, count: slotCount)
        for (slot, index) in c.slotIndexes() where slot >= 0 && Int(slot) < slotCount { idx[Int(slot)] = index }
        slotIndex = idx
        literalOffsets = SigmaFrozen(c.literalOffsets)
        literalLengths = SigmaFrozen(c.literalLengths)
        literalCount = c.literalOffsets.count
        var gs: [Int32] = [], gc: [Int32] = [], grs: [Int32] = [], grc: [Int32] = [], ps: [Int32] = [], pl: [Int32] = []
        for v in c.variants {
            guard let gate = v.gate else { gs.append(0); gc.append(-1); continue }
            gs.append(Int32(grs.count)); gc.append(Int32(gate.count))
            for group in gate {
                grs.append(Int32(ps.count)); grc.append(Int32(group.count))
                for (slot, lit) in group { ps.append(slot); pl.append(lit) }
            }
        }
        gateStart = SigmaFrozen(gs); gateCount = SigmaFrozen(gc); groupStart = SigmaFrozen(grs); groupCount = SigmaFrozen(grc)
        gateSlots = SigmaFrozen(ps); gateLiterals = SigmaFrozen(pl)
        hasKeywordLeaves = c.leaves.contains { $0.slot < 0 }

        var channels = SigmaFieldTable(), eventIDs = SigmaFieldTable(), providers = SigmaFieldTable()
        var byCE: [Int64: [Int32]] = [:], byC: [Int32: [Int32]] = [:], byE: [Int32: [Int32]] = [:]
        var byP: [Int32: [Int32]] = [:], free: [Int32] = []
        var rules: [Int32] = [], roots: [Int32] = [], nonWindows: [Bool] = []
        for (i, v) in c.variants.enumerated() {
            rules.append(v.rule); roots.append(v.root); nonWindows.append(v.nonWindowsProduct)
            let vi = Int32(i)
            let cs = v.channels.map { $0.sorted().map { channels.slot(for: $0) } }
            let es = v.eventIDs.map { $0.sorted().map { eventIDs.slot(for: $0) } }
            switch (cs, es) {
            case let (c?, e?):
                for a in c { for b in e { byCE[SigmaProgram.key(a, b), default: []].append(vi) } }
            case let (c?, nil):
                for a in c { byC[a, default: []].append(vi) }
            case let (nil, e?):
                for b in e { byE[b, default: []].append(vi) }
            case (nil, nil):
                if let ps = v.providers {
                    for p in ps.sorted() { byP[providers.slot(for: p), default: []].append(vi) }
                } else {
                    free.append(vi)
                }
            }
        }
        variantRule = SigmaFrozen(rules); variantRoot = SigmaFrozen(roots); variantNonWindows = SigmaFrozen(nonWindows)
        channelIDs = SigmaNameIndex(channels); eventIDIDs = SigmaNameIndex(eventIDs); providerIDs = SigmaNameIndex(providers)
        fieldIndex = SigmaNameIndex(c.fields)
        byChannelAndEvent = byCE; byChannel = byC; byEvent = byE; byProvider = byP; unbounded = free
    }

    static func key(_ channel: Int32, _ event: Int32) -> Int64 { Int64(channel) << 32 | Int64(UInt32(bitPattern: event)) }

    /// Variants that can match an event of this channel, event id and provider (ids -1 when unknown).
    func candidates(channel: Int32, event: Int32, provider: Int32) -> [Int32] {
        var lists: [[Int32]] = []
        if channel >= 0, event >= 0, let l = byChannelAndEvent[SigmaProgram.key(channel, event)] { lists.append(l) }
        if channel >= 0, let l = byChannel[channel] { lists.append(l) }
        if event >= 0, let l = byEvent[event] { lists.append(l) }
        if provider >= 0, let l = byProvider[provider] { lists.append(l) }
        if !unbounded.isEmpty { lists.append(unbounded) }
        if lists.count == 1 { return lists[0] }
        var merged = Set<Int32>()
        for l in lists { merged.formUnion(l) }
        return merged.sorted()
    }
}

/// Matches events against an engine's rules. Not thread-safe: use one per thread (`SigmaEngine.makeMatcher()`).
/// It keeps per-event scratch memory between calls, so it allocates almost nothing per event.
public final class SigmaMatcher {
    let program: SigmaProgram

    /// One value of the event: its type, its number, its text (strings copied in when the event is
    /// loaded; numbers written on first use) and lowered text (made on first use). No reference to the
    /// event's own storage is kept.
    private struct Entry {
        var next: Int32
        var kind: Kind
        var flags: UInt8      // 1: text made, 2: lower made
        var int: Int64        // .int, and .bool as 0/1
        var double: Double
        var text: UnsafePointer<UInt8>?
        var textLen: Int
        var lower: UnsafePointer<UInt8>?
        var lowerLen: Int
    }

    private enum Kind: UInt8 { case null, string, int, double, bool }

    /// Scalars of the current event, in memory of their own (no exclusivity checks on the hot path).
    private struct State {
        var gen: UInt32 = 0
        var entryCount = 0
        var entryCapacity = 0
        var loadedCount = 0   // entries from the event itself (not computed for virtual fields)
        var windows = false
        var cacheCount = 0
        var storeCount = 0
        var storeCapacity = 0
    }

    private let state: UnsafeMutablePointer<State>
    private let slotGen: UnsafeMutablePointer<UInt32>
    private let slotHead: UnsafeMutablePointer<Int32>
    private let scanGen: UnsafeMutablePointer<UInt32>
    private let litGen: UnsafeMutablePointer<UInt32>
    private var metas: UnsafeMutablePointer<Entry>
    private let arena = SigmaArena()
    // Candidate lists by (channel, event id, provider): open addressing, lists in `store`.
    private let cacheKeys: UnsafeMutablePointer<Int64>
    private let cacheStart: UnsafeMutablePointer<Int32>
    private let cacheLength: UnsafeMutablePointer<Int32>
    private static let cacheSize = 1 << 12
    private var store: UnsafeMutablePointer<Int32>

    init(program: SigmaProgram, ruleCount: Int) {
        self.program = program
        let n = max(program.slotCount, 1)
        slotGen = .allocate(capacity: n); slotGen.initialize(repeating: 0, count: n)
        slotHead = .allocate(capacity: n); slotHead.initialize(repeating: -1, count: n)
        scanGen = .allocate(capacity: n); scanGen.initialize(repeating: 0, count: n)
        let l = max(program.literalCount, 1)
        litGen = .allocate(capacity: l); litGen.initialize(repeating: 0, count: l)
        state = .allocate(capacity: 1); state.initialize(to: State())
        state.pointee.entryCapacity = 64
        metas = .allocate(capacity: 64)
        let c = SigmaMatcher.cacheSize
        cacheKeys = .allocate(capacity: c); cacheKeys.initialize(repeating: -1, count: c)
        cacheStart = .allocate(capacity: c); cacheStart.initialize(repeating: 0, count: c)
        cacheLength = .allocate(capacity: c); cacheLength.initialize(repeating: 0, count: c)
        state.pointee.storeCapacity = 4096
        store = .allocate(capacity: 4096)
    }

    deinit {
        metas.deallocate()
        slotGen.deallocate(); slotHead.deallocate(); scanGen.deallocate(); litGen.deallocate()
        cacheKeys.deallocate(); cacheStart.deallocate(); cacheLength.deallocate(); store.deallocate()
        state.deallocate()
    }

    /// Indices (into the engine's `rules`) of the rules the event matches, ascending.
    public func match(_ event: FlatEvent) -> [Int] {
        var out: [Int] = []
        match(event, into: &out)
        return out
    }

    /// Puts the matching rules' indices, ascending, in `result` (emptied first).
    public func match(_ event: FlatEvent, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        nextGeneration()
        load(event)
        let ch = internSlot(SigmaCompiler.channelSlot, program.channelIDs)
        let ev = internSlot(SigmaCompiler.eventIDSlot, program.eventIDIDs)
        let pr = internSlot(SigmaCompiler.providerSlot, program.providerIDs)
        state.pointee.windows = first(SigmaCompiler.channelSlot) >= 0
        let (start, count) = candidates(ch, ev, pr)
        guard count > 0 else { return }
        var last = -1
        var sorted = true
        let windows = state.pointee.windows
        let nonWindows = program.variantNonWindows.base, roots = program.variantRoot.base, rules = program.variantRule.base
        for k in start..<(start + count) {
            let vi = Int(store[k])
            if windows && nonWindows[vi] { continue }
            if !gatePasses(vi) { continue }
            if eval(roots[vi]) {
                let r = Int(rules[vi])
                if r == last { continue }
                if r < last { sorted = false }
                result.append(r)
                last = r
            }
        }
        if !sorted { result = Array(Set(result)).sorted() }
    }

    private func nextGeneration() {
        var g = state.pointee.gen &+ 1
        if g == 0 {
            // Wrapped: clear the stamps so none looks current.
            slotGen.update(repeating: 0, count: max(program.slotCount, 1))
            scanGen.update(repeating: 0, count: max(program.slotCount, 1))
            litGen.update(repeating: 0, count: max(program.literalCount, 1))
            g = 1
        }
        state.pointee.gen = g
        state.pointee.entryCount = 0
        state.pointee.loadedCount = 0
        arena.reset()
    }

    /// The candidate variants for the event's channel, event id and provider ids: a range of `store`.
    private func candidates(_ ch: Int32, _ ev: Int32, _ pr: Int32) -> (Int, Int) {
        let key = Int64(ch + 1) | Int64(ev + 1) << 21 | Int64(pr + 1) << 42
        let mask = SigmaMatcher.cacheSize - 1
        var i = Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E3779B97F4A7C15) >> 40) & mask
        while true {
            let k = cacheKeys[i]
            if k == key { return (Int(cacheStart[i]), Int(cacheLength[i])) }
            if k == -1 { break }
            i = (i + 1) & mask
        }
        let list = program.candidates(channel: ch, event: ev, provider: pr)
        // Remember it while the cache has room (beyond that, compute each time).
        if state.pointee.cacheCount < SigmaMatcher.cacheSize / 2 {
            var needed = state.pointee.storeCount + list.count
            if needed > state.pointee.storeCapacity {
                var cap = state.pointee.storeCapacity
                while cap < needed { cap *= 2 }
                let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: cap)
                bigger.update(from: store, count: state.pointee.storeCount)
                store.deallocate()
                store = bigger
                state.pointee.storeCapacity = cap
            }
            let start = state.pointee.storeCount
            for (j, v) in list.enumerated() { store[start + j] = v }
            needed = start + list.count
            state.pointee.storeCount = needed
            cacheKeys[i] = key
            cacheStart[i] = Int32(start)
            cacheLength[i] = Int32(list.count)
            state.pointee.cacheCount += 1
            return (start, list.count)
        }
        // Not cached: put it after the cached lists, overwritten next time.
        let start = state.pointee.storeCount
        if start + list.count > state.pointee.storeCapacity {
            var cap = state.pointee.storeCapacity
            while cap < start + list.count { cap *= 2 }
            let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: cap)
            bigger.update(from: store, count: start)
            store.deallocate()
            store = bigger
            state.pointee.storeCapacity = cap
        }
        for (j, v) in list.enumerated() { store[start + j] = v }
        return (start, list.count)
    }

    /// The id of the (first) value of a slot in an intern table (-1: absent or unknown).
    private func internSlot(_ slot: Int32, _ table: SigmaNameIndex) -> Int32 {
        let e = first(slot)
        guard e >= 0, let (p, n) = text(Int(e)) else { return -1 }
        return table.lookup(p, n) ?? -1
    }

    /// Digits of `i` at the end of `buf` (24 bytes); returns how many.
    static func formatInt(_ value: Int64, into buf: inout [UInt8]) -> Int {
        var n = 0
        var v = value.magnitude
        repeat {
            buf[23 - n] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            n += 1
        } while v > 0
        if value < 0 { buf[23 - n] = UInt8(ascii: "-"); n += 1 }
        return n
    }

    /// Every field of the event becomes entries (arrays one per element); those of fields some rule
    /// reads are linked to their slot.
    private func load(_ event: FlatEvent) {
        for (key, value) in event.fields {
            var k = key
            let slot: Int32 = k.withUTF8 { b in
                guard let p = b.baseAddress else { return -1 }
                return program.fieldIndex.lookup(p, b.count) ?? -1
            }
            add(slot: slot, value: value, depth: 0)
        }
        state.pointee.loadedCount = state.pointee.entryCount
    }

    private func append(_ entry: Entry) -> Int {
        let n = state.pointee.entryCount
        if n == state.pointee.entryCapacity {
            let cap = n * 2
            let m = UnsafeMutablePointer<Entry>.allocate(capacity: cap)
            m.moveInitialize(from: metas, count: n)
            metas.deallocate(); metas = m
            state.pointee.entryCapacity = cap
        }
        (metas + n).initialize(to: entry)
        state.pointee.entryCount = n + 1
        return n
    }

    /// A string entry whose text is ready.
    private func appendText(_ p: UnsafePointer<UInt8>, _ n: Int, next: Int32) -> Int {
        append(Entry(next: next, kind: .string, flags: 1, int: 0, double: 0, text: p, textLen: n, lower: nil, lowerLen: 0))
    }

    private func add(slot: Int32, value: EventValue, depth: Int) {
        let gen = state.pointee.gen
        let s = Int(slot)
        let head: Int32 = slot >= 0 && slotGen[s] == gen ? slotHead[s] : -1
        var entry = Entry(next: head, kind: .null, flags: 0, int: 0, double: 0, text: nil, textLen: 0, lower: nil, lowerLen: 0)
        switch value {
        case .array(let items):
            guard depth < 4 else { return }
            for item in items.prefix(10_000) { add(slot: slot, value: item, depth: depth + 1) }
            return
        case .string(var text):
            entry.kind = .string
            entry.flags = 1
            text.withUTF8 { b in
                let n = b.count
                let dst = arena.allocate(n)
                if let base = b.baseAddress, n > 0 { dst.update(from: base, count: n) }
                entry.text = UnsafePointer(dst)
                entry.textLen = n
            }
        case .int(let i): entry.kind = .int; entry.int = i
        case .double(let d): entry.kind = .double; entry.double = d
        case .bool(let b): entry.kind = .bool; entry.int = b ? 1 : 0
        case .null: entry.flags = 3   // no text, no lowered text
        }
        let e = append(entry)
        if slot >= 0 {
            slotGen[s] = gen
            slotHead[s] = Int32(e)
        }
    }

    // MARK: Values

    /// The first entry of a slot (virtual slots are computed on first use).
    @inline(__always)
    private func first(_ slot: Int32) -> Int32 {
        let s = Int(slot)
        if slotGen[s] == state.pointee.gen { return slotHead[s] }
        if s >= program.namedSlots { return materialize(s) }
        return -1
    }

    @inline(__always)
    private func next(_ e: Int32) -> Int32 { metas[Int(e)].next }

    private func materialize(_ s: Int) -> Int32 {
        slotGen[s] = state.pointee.gen
        slotHead[s] = -1
        let kind = program.virtualKinds[s - program.namedSlots]
        var bytes: [UInt8]? = nil
        switch kind {
        case .domainUser(let d, let u):
            let de = first(d), ue = first(u)
            if ue >= 0, let (up, un) = text(Int(ue)) {
                let user = Array(UnsafeBufferPointer(start: up, count: un))
                if de >= 0, let (dp, dn) = text(Int(de)), dn > 0, !(dn == 1 && dp[0] == UInt8(ascii: "-")) {
                    bytes = Array(UnsafeBufferPointer(start: dp, count: dn)) + [UInt8(ascii: "\\")] + user
                } else {
                    bytes = user
                }
            }
        case .integrityLabel(let f):
            let e = first(f)
            if e >= 0, let (p, n) = text(Int(e)) {
                let sid = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                bytes = Array((SigmaLogSourceMapping.integrityName(sid) ?? sid).utf8)
            }
        case .absent, .field, .allValues:
            break
        }
        if let bytes {
            slotHead[s] = Int32(appendText(arena.copy(bytes), bytes.count, next: -1))
        }
        return slotHead[s]
    }

    /// The value's text as UTF-8 (nil for null): numbers in decimal, booleans as `true`/`false`.
    @inline(__always)
    private func text(_ e: Int) -> (UnsafePointer<UInt8>, Int)? {
        let m = metas + e
        if m.pointee.flags & 1 != 0 {
            guard let p = m.pointee.text else { return nil }
            return (p, m.pointee.textLen)
        }
        m.pointee.flags |= 1
        var bytes: [UInt8]
        switch m.pointee.kind {
        case .int:
            var buf = [UInt8](repeating: 0, count: 24)
            let n = SigmaMatcher.formatInt(m.pointee.int, into: &buf)
            bytes = Array(buf[(24 - n)...])
        case .double:
            bytes = Array((EventValue.double(m.pointee.double).text ?? "").utf8)
        case .bool:
            bytes = Array((m.pointee.int == 1 ? "true" : "false").utf8)
        case .null, .string:
            return nil
        }
        let p = arena.copy(bytes)
        m.pointee.text = p
        m.pointee.textLen = bytes.count
        return (p, bytes.count)
    }

    /// The value's text lowered as patterns are (ASCII folding, Unicode lowercasing for other text).
    @inline(__always)
    private func lower(_ e: Int) -> (UnsafePointer<UInt8>, Int)? {
        let m = metas + e
        if m.pointee.flags & 2 != 0 {
            guard let p = m.pointee.lower else { return nil }
            return (p, m.pointee.lowerLen)
        }
        guard let (p, n) = text(e) else { m.pointee.flags |= 2; return nil }
        m.pointee.flags |= 2
        let out = lowered(p, n)
        m.pointee.lower = out.0
        m.pointee.lowerLen = out.1
        return out
    }

    // MARK: Evaluation

    /// Whether every OR-group of the variant's gate has a literal in the event (true without a gate).
    @inline(__always)
    private func gatePasses(_ v: Int) -> Bool {
        let count = Int(program.gateCount.base[v])
        if count < 0 { return true }
        let start = Int(program.gateStart.base[v])
        let gen = state.pointee.gen
        for g in start..<(start + count) {
            let from = Int(program.groupStart.base[g])
            var any = false
            for j in from..<(from + Int(program.groupCount.base[g])) {
                let s = Int(program.gateSlots.base[j])
                if scanGen[s] != gen { index(slot: Int32(s)) }
                if litGen[Int(program.gateLiterals.base[j])] == gen { any = true; break }
            }
            if !any { return false }
        }
        return true
    }

    private func eval(_ n: Int32) -> Bool {
        let node = program.nodes.base[Int(n)]
        switch node.op {
        case .and:
            let c = program.children.base
            for i in Int(node.a)..<Int(node.a + node.b) where !eval(c[i]) { return false }
            return true
        case .or:
            let c = program.children.base
            for i in Int(node.a)..<Int(node.a + node.b) where eval(c[i]) { return true }
            return false
        case .not:
            return !eval(node.a)
        case .leaf:
            return evalLeaf(Int(node.a))
        case .yes:
            return true
        case .no:
            return false
        }
    }

    private func evalLeaf(_ i: Int) -> Bool {
        let leaf = program.leaves.base[i]
        if leaf.slot < 0 { return evalKeyword(leaf) }
        switch leaf.kind {
        case .equals, .prefix, .suffix, .contains, .glob:
            if leaf.aux >= 0, leaf.kind != .glob {
                let s = Int(leaf.slot)
                if scanGen[s] != state.pointee.gen { index(slot: leaf.slot) }
                return litGen[Int(leaf.aux)] == state.pointee.gen
            }
            var e = first(leaf.slot)
            while e >= 0 {
                if let (p, n) = leaf.cased ? text(Int(e)) : lower(Int(e)), matchText(leaf, p, n) { return true }
                e = next(e)
            }
            return false
        case .present:
            var e = first(leaf.slot)
            while e >= 0 {
                if metas[Int(e)].kind != .null { return true }
                e = next(e)
            }
            return false
        case .null:
            var e = first(leaf.slot)
            if e < 0 { return true }
            while e >= 0 {
                if metas[Int(e)].kind == .null { return true }
                e = next(e)
            }
            return false
        case .exists:
            return (first(leaf.slot) >= 0) == (leaf.aux == 1)
        case .bool:
            var e = first(leaf.slot)
            let want = leaf.aux == 1
            while e >= 0 {
                switch metas[Int(e)].kind {
                case .bool, .int: if metas[Int(e)].int == (want ? 1 : 0) { return true }
                default:
                    if let (p, n) = lower(Int(e)) {
                        let t = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                        if t == (want ? "true" : "false") || t == (want ? "1" : "0") { return true }
                    }
                }
                e = next(e)
            }
            return false
        case .regex:
            let re = program.regexes[Int(leaf.aux)]
            var e = first(leaf.slot)
            while e >= 0 {
                if let s = stringValue(Int(e)), re.matches(s) { return true }
                e = next(e)
            }
            return false
        case .cidr:
            let net = program.cidrs[Int(leaf.aux)]
            var e = first(leaf.slot)
            while e >= 0 {
                if let (p, n) = text(Int(e)), n <= 64 {
                    let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                    if let addr = SigmaIP.parse(Substring(s.trimmingCharacters(in: .whitespaces))), net.contains(addr) { return true }
                }
                e = next(e)
            }
            return false
        case .compare:
            var e = first(leaf.slot)
            while e >= 0 {
                if let v = numberValue(Int(e)), SigmaMatcher.compare(v, leaf.op, leaf.number) { return true }
                e = next(e)
            }
            return false
        case .time:
            var e = first(leaf.slot)
            while e >= 0 {
                if let (p, n) = text(Int(e)), let part = SigmaMatcher.timePart(p, n, Int(leaf.aux)),
                   SigmaMatcher.compare(Double(part), leaf.op, leaf.number) { return true }
                e = next(e)
            }
            return false
        case .fieldref:
            var a = first(leaf.slot)
            while a >= 0 {
                if let (pa, na) = leaf.cased ? text(Int(a)) : lower(Int(a)) {
                    var b = first(leaf.aux)
                    while b >= 0 {
                        if let (pb, nb) = leaf.cased ? text(Int(b)) : lower(Int(b)),
                           SigmaMatcher.fieldRef(pa, na, pb, nb, leaf.op) { return true }
                        b = next(b)
                    }
                }
                a = next(a)
            }
            return false
        }
    }

    private func stringValue(_ e: Int) -> String? {
        guard let (p, n) = text(e) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    private func numberValue(_ e: Int) -> Double? {
        switch metas[e].kind {
        case .int: return Double(metas[e].int)
        case .double: return metas[e].double
        case .string:
            guard let s = stringValue(e) else { return nil }
            let t = s.trimmingCharacters(in: .whitespaces)
            guard t.utf8.count <= 64 else { return nil }
            if let i = Int64(t) { return Double(i) }
            if let d = Double(t), d.isFinite { return d }
            if t.hasPrefix("0x") || t.hasPrefix("0X"), let i = Int64(t.dropFirst(2), radix: 16) { return Double(i) }
            return nil
        default: return nil
        }
    }

    static func compare(_ v: Double, _ op: UInt8, _ n: Double) -> Bool {
        switch op {
        case 0: return v == n
        case 1: return v < n
        case 2: return v <= n
        case 3: return v > n
        default: return v >= n
        }
    }

    static func fieldRef(_ a: UnsafePointer<UInt8>, _ na: Int, _ b: UnsafePointer<UInt8>, _ nb: Int, _ mode: UInt8) -> Bool {
        switch mode {
        case 0: return na == nb && memcmp(a, b, na) == 0
        case 1: return nb <= na && memcmp(a, b, nb) == 0
        case 2: return nb <= na && memcmp(a + (na - nb), b, nb) == 0
        default: return SigmaBytes.find(a, na, b, nb) != nil
        }
    }

    /// Minute, hour, day, ISO week, month or year of a `YYYY-MM-DD[T ]hh:mm…` timestamp as written.
    static func timePart(_ p: UnsafePointer<UInt8>, _ n: Int, _ part: Int) -> Int? {
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= n else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = p[i]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard n >= 10, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
              let year = num(0, 4), let month = num(5, 2), let day = num(8, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        switch part {
        case 0, 1:
            guard n >= 16, p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " ") || p[10] == UInt8(ascii: "t"),
                  let hour = num(11, 2), p[13] == UInt8(ascii: ":"), let minute = num(14, 2) else { return nil }
            return part == 0 ? minute : hour
        case 2: return day
        case 3: return isoWeek(year: year, month: month, day: day)
        case 4: return month
        default: return year
        }
    }

    static func isoWeek(year: Int, month: Int, day: Int) -> Int {
        func dayOfYear(_ y: Int, _ m: Int, _ d: Int) -> Int {
            let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            return cum[m - 1] + d + (leap && m > 2 ? 1 : 0)
        }
        func weekday(_ y: Int, _ m: Int, _ d: Int) -> Int {  // 1 = Monday … 7 = Sunday
            let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
            let yy = m < 3 ? y - 1 : y
            let w = (yy + yy / 4 - yy / 100 + yy / 400 + t[m - 1] + d) % 7  // 0 = Sunday
            return w == 0 ? 7 : w
        }
        func weeksIn(_ y: Int) -> Int {
            let jan1 = weekday(y, 1, 1)
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52
        }
        let w = (dayOfYear(year, month, day) - weekday(year, month, day) + 10) / 7
        if w < 1 { return weeksIn(year - 1) }
        if w > weeksIn(year) { return 1 }
        return w
    }

    @inline(__always)
    private func matchText(_ leaf: SigmaLeafCode, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let lit = program.literals.base + Int(leaf.lit)
        let m = Int(leaf.litLen)
        switch leaf.kind {
        case .equals: return n == m && (m == 0 || memcmp(p, lit, m) == 0)
        case .prefix: return m <= n && (m == 0 || memcmp(p, lit, m) == 0)
        case .suffix: return m <= n && (m == 0 || memcmp(p + (n - m), lit, m) == 0)
        case .contains: return SigmaBytes.find(p, n, lit, m) != nil
        case .glob: return globMatch(Int(leaf.aux), p, n)
        default: return false
        }
    }

    /// Wildcard matching with backtracking to the last `*` only (linear in practice, at worst
    /// value length × pattern length).
    private func globMatch(_ g: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = Int(program.globStarts[g]), end = Int(program.globStarts[g + 1])
        let tokens = program.globTokens.base
        let lits = program.literals.base
        var ti = start, pos = 0
        var starTi = -1, starPos = 0
        while true {
            var ok = false
            if ti == end {
                if pos == n { return true }
            } else {
                let t = tokens[ti]
                switch t.kind {
                case .star:
                    starTi = ti; starPos = pos; ti += 1
                    continue
                case .single:
                    if pos < n { pos += min(SigmaBytes.utf8Length(p[pos]), n - pos); ti += 1; ok = true }
                case .lit:
                    let m = Int(t.length)
                    if pos + m <= n, memcmp(p + pos, lits + Int(t.offset), m) == 0 { pos += m; ti += 1; ok = true }
                }
                if ok { continue }
            }
            // Backtrack: let the last star take one more character.
            guard starTi >= 0, starPos < n else { return false }
            starPos += min(SigmaBytes.utf8Length(p[starPos]), n - starPos)
            pos = starPos
            ti = starTi + 1
        }
    }

    /// Runs the slot's literal index over each of its values (every value of the event for the keyword
    /// slot), marking the literals found.
    private func index(slot: Int32) {
        let s = Int(slot)
        let gen = state.pointee.gen
        scanGen[s] = gen
        guard let index = program.slotIndex[s] else { return }
        let lits = program.literals.base, offsets = program.literalOffsets.base, lengths = program.literalLengths.base
        if s >= program.namedSlots, case .allValues = program.virtualKinds[s - program.namedSlots] {
            for e in 0..<state.pointee.loadedCount {
                guard let (p, n) = text(e) else { continue }
                if index.scan(p, n, hit: litGen, gen: gen, literals: lits, offsets: offsets, lengths: lengths),
                   let (lp, ln) = lower(e) {
                    _ = index.scan(lp, ln, hit: litGen, gen: gen, literals: lits, offsets: offsets, lengths: lengths)
                }
            }
            return
        }
        var e = first(slot)
        while e >= 0 {
            if let (p, n) = text(Int(e)) {
                // Non-ASCII text: scan its Unicode-lowercased form too.
                if index.scan(p, n, hit: litGen, gen: gen, literals: lits, offsets: offsets, lengths: lengths),
                   let (lp, ln) = lower(Int(e)) {
                    _ = index.scan(lp, ln, hit: litGen, gen: gen, literals: lits, offsets: offsets, lengths: lengths)
                }
            }
            e = next(e)
        }
    }

    /// Lowered bytes in the arena (or the bytes themselves when nothing changes): ASCII folding in one
    /// pass, Unicode lowercasing when the text is not ASCII.
    private func lowered(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UnsafePointer<UInt8>, Int) {
        if n == 0 { return (p, 0) }
        let dst = arena.allocate(n)
        var high: UInt8 = 0
        var changed: UInt8 = 0
        for i in 0..<n {
            let c = p[i]
            high |= c
            let upper: UInt8 = c &- 0x41 < 26 ? 0x20 : 0
            changed |= upper
            dst[i] = c | upper
        }
        if high >= 0x80 {
            let bytes = Array(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self).lowercased().utf8)
            return (arena.copy(bytes), bytes.count)
        }
        return changed == 0 ? (p, n) : (UnsafePointer(dst), n)
    }

    // MARK: Keyword searches

    /// Keyword leaves no index decides (wildcards inside, `cased`, regular expressions): every value.
    private func evalKeyword(_ leaf: SigmaLeafCode) -> Bool {
        let count = state.pointee.loadedCount
        switch leaf.kind {
        case .regex:
            let re = program.regexes[Int(leaf.aux)]
            for e in 0..<count { if let s = stringValue(e), re.matches(s) { return true } }
            return false
        case .present:
            for e in 0..<count where metas[e].kind != .null { return true }
            return false
        default:
            for e in 0..<count {
                if let (p, n) = leaf.cased ? text(e) : lower(e), matchText(leaf, p, n) { return true }
            }
            return false
        }
    }
}
