import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The literals of one field, found in one pass over a value, so each `equals`, `startswith`,
/// `endswith` and `contains` comparison of every rule on that field becomes a bit test:
/// - equals and prefixes: a trie walked forward from the value's start;
/// - suffixes: a trie walked backward from its end;
/// - contains: two-byte windows tested against a bitmap of the windows literals are keyed by, then
///   a table of windows (four bytes for literals of four bytes or more, two for shorter ones) → the
///   literals keyed by it, each checked in place; one-byte literals with memchr.
///
/// Values are read as they are, ASCII letters folded on the fly. A value with non-ASCII bytes is
/// reported so the caller scans its Unicode-lowercased form too (hits found on the folded bytes are
/// valid for it as well: ASCII letters lowercase alike either way).
final class SigmaSlotIndex: @unchecked Sendable {
    enum Kind: UInt8 { case equals, prefix, suffix, contains }

    let forward: SigmaTrie?
    let backward: SigmaTrie?
    let anchored: SigmaAnchorIndex?
    let grams: SigmaGramIndex?
    let singles: [(byte: UInt8, literal: Int32)]

    init(literals: [(bytes: [UInt8], kind: Kind, id: Int32)]) {
        var fwd: [([UInt8], Int32, Bool)] = []   // bytes, id, isEquals
        var bwd: [([UInt8], Int32, Bool)] = []
        var multi: [([UInt8], Int32)] = []
        var singles: [(UInt8, Int32)] = []
        for (b, kind, id) in literals {
            switch kind {
            case .equals: fwd.append((b, id, true))
            case .prefix: fwd.append((b, id, false))
            case .suffix: bwd.append((b.reversed(), id, false))
            case .contains:
                if b.count >= 2 { multi.append((b, id)) } else if b.count == 1 { singles.append((b[0], id)) }
            }
        }
        forward = fwd.isEmpty ? nil : SigmaTrie(fwd)
        backward = bwd.isEmpty ? nil : SigmaTrie(bwd)
        // Few literals that few bytes cover: anchors; many: two-byte windows.
        let contains = multi + singles.map { ([$0.0], $0.1) }
        if contains.count <= 256, let a = SigmaAnchorIndex(contains) {
            anchored = a; grams = nil; self.singles = []
        } else {
            anchored = nil
            grams = multi.isEmpty ? nil : SigmaGramIndex(multi)
            self.singles = singles.map { (byte: $0.0, literal: $0.1) }
        }
    }

    /// Marks (`hit[id] = gen`) every literal of this field found in `p[0..<n]` (ASCII letters folded);
    /// true when the value has non-ASCII bytes.
    func scan(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32, literals: UnsafePointer<UInt8>,
              offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) -> Bool {
        forward?.walkForward(p, n, hit: hit, gen: gen)
        backward?.walkBackward(p, n, hit: hit, gen: gen)
        var nonASCII = false
        if let anchored {
            nonASCII = anchored.scan(p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths)
        } else if let grams {
            nonASCII = grams.scan(p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths)
        } else {
            var high: UInt8 = 0
            for i in 0..<n { high |= p[i] }
            nonASCII = high >= 0x80
        }
        for s in singles where n > 0 {
            let b = s.byte
            if memchr(p, Int32(b), n) != nil { hit[Int(s.literal)] = gen; continue }
            if b &- 0x61 < 26, memchr(p, Int32(b & ~0x20), n) != nil { hit[Int(s.literal)] = gen }
        }
        return nonASCII
    }

    @inline(__always)
    static func fold(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }
}

/// A byte trie frozen into an open-addressing table of (node, byte) → child.
final class SigmaTrie: @unchecked Sendable {
    private let keys: UnsafeMutablePointer<UInt64>   // (node << 8 | byte) + 1; 0 = empty
    private let children: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let termStart: UnsafeMutablePointer<Int32>  // per node: [start, start+count) in terms, prefix ends
    private let termCount: UnsafeMutablePointer<Int32>
    private let eqStart: UnsafeMutablePointer<Int32>    // per node: equals ends
    private let eqCount: UnsafeMutablePointer<Int32>
    private let terms: UnsafeMutablePointer<Int32>
    private let nodeCount: Int

    init(_ literals: [([UInt8], Int32, Bool)]) {
        var edges: [UInt64: Int32] = [:]
        var prefixEnds: [[Int32]] = [[]]
        var equalEnds: [[Int32]] = [[]]
        for (bytes, id, isEquals) in literals {
            var node: Int32 = 0
            for b in bytes {
                let key = UInt64(node) << 8 | UInt64(b)
                if let c = edges[key] { node = c; continue }
                let c = Int32(prefixEnds.count)
                prefixEnds.append([]); equalEnds.append([])
                edges[key] = c
                node = c
            }
            if isEquals { equalEnds[Int(node)].append(id) } else { prefixEnds[Int(node)].append(id) }
        }
        nodeCount = prefixEnds.count
        var size = 16
        while size < edges.count * 2 { size *= 2 }
        mask = size - 1
        keys = .allocate(capacity: size); keys.initialize(repeating: 0, count: size)
        children = .allocate(capacity: size); children.initialize(repeating: 0, count: size)
        for (k, c) in edges {
            var i = SigmaTrie.slot(k, mask)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k + 1
            children[i] = c
        }
        termStart = .allocate(capacity: nodeCount); termCount = .allocate(capacity: nodeCount)
        eqStart = .allocate(capacity: nodeCount); eqCount = .allocate(capacity: nodeCount)
        var flat: [Int32] = []
        for i in 0..<nodeCount {
            termStart[i] = Int32(flat.count); termCount[i] = Int32(prefixEnds[i].count); flat += prefixEnds[i]
            eqStart[i] = Int32(flat.count); eqCount[i] = Int32(equalEnds[i].count); flat += equalEnds[i]
        }
        terms = .allocate(capacity: max(1, flat.count))
        flat.withUnsafeBufferPointer { b in if let base = b.baseAddress, b.count > 0 { terms.initialize(from: base, count: b.count) } }
    }

    deinit {
        keys.deallocate(); children.deallocate(); termStart.deallocate(); termCount.deallocate()
        eqStart.deallocate(); eqCount.deallocate(); terms.deallocate()
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E3779B97F4A7C15) >> 29) & mask
    }

    @inline(__always)
    private func child(_ node: Int32, _ b: UInt8) -> Int32 {
        let key = UInt64(node) << 8 | UInt64(b)
        var i = SigmaTrie.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key + 1 { return children[i] }
            if k == 0 { return -1 }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func mark(_ node: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32) {
        let c = Int(termCount[node])
        if c > 0 {
            let s = Int(termStart[node])
            for j in s..<(s + c) { hit[Int(terms[j])] = gen }
        }
    }

    func walkForward(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32) {
        var node: Int32 = 0
        mark(0, hit: hit, gen: gen)
        for i in 0..<n {
            node = child(node, SigmaSlotIndex.fold(p[i]))
            if node < 0 { return }
            mark(Int(node), hit: hit, gen: gen)
        }
        let c = Int(eqCount[Int(node)])
        if c > 0 {
            let s = Int(eqStart[Int(node)])
            for j in s..<(s + c) { hit[Int(terms[j])] = gen }
        }
    }

    func walkBackward(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32) {
        var node: Int32 = 0
        mark(0, hit: hit, gen: gen)
        var i = n - 1
        while i >= 0 {
            node = child(node, SigmaSlotIndex.fold(p[i]))
            if node < 0 { return }
            mark(Int(node), hit: hit, gen: gen)
            i -= 1
        }
    }
}

/// Contains literals of two bytes or more, keyed by one window each: four bytes (the window fewest
/// literals share) for literals of four bytes or more, their first two bytes otherwise.
final class SigmaGramIndex: @unchecked Sendable {
    /// Bit k: some key window starts with the two bytes k (little-endian).
    private let prefixBits: UnsafeMutablePointer<UInt64>
    private let keys: UnsafeMutablePointer<UInt32>    // window (two-byte windows have width bit 1 << 31… see below)
    private let starts: UnsafeMutablePointer<Int32>   // -1 empty
    private let counts: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let entryLiteral: UnsafeMutablePointer<Int32>
    private let entryOffset: UnsafeMutablePointer<Int32>
    private let has4: Bool
    private let has2: Bool

    /// Two-byte keys live in the same table, tagged so they cannot collide with four-byte windows whose
    /// top bytes are zero.
    private static let shortTag: UInt32 = 0xFFFF_0000

    @inline(__always)
    static func hash(_ w: UInt32) -> Int { Int(truncatingIfNeeded: (UInt64(w) &* 0x9E3779B97F4A7C15) >> 32) }

    init(_ literals: [([UInt8], Int32)]) {
        func window4(_ b: [UInt8], _ i: Int) -> UInt32 {
            UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
        }
        var freq: [UInt32: Int] = [:]
        for (b, _) in literals where b.count >= 4 {
            var seen = Set<UInt32>()
            for i in 0...(b.count - 4) { seen.insert(window4(b, i)) }
            for w in seen { freq[w, default: 0] += 1 }
        }
        var byKey: [UInt32: [(Int32, Int32)]] = [:]
        var any4 = false, any2 = false
        for (b, id) in literals {
            if b.count >= 4 {
                var best = 0, bestCount = Int.max
                for i in 0...(b.count - 4) {
                    let c = freq[window4(b, i)] ?? 0
                    if c < bestCount { best = i; bestCount = c }
                }
                byKey[window4(b, best), default: []].append((id, Int32(best)))
                any4 = true
            } else {
                let k = SigmaGramIndex.shortTag | UInt32(b[0]) | UInt32(b[1]) << 8
                byKey[k, default: []].append((id, 0))
                any2 = true
            }
        }
        has4 = any4; has2 = any2
        var size = 16
        while size < byKey.count * 2 { size *= 2 }
        mask = size - 1
        keys = .allocate(capacity: size); keys.initialize(repeating: 0, count: size)
        starts = .allocate(capacity: size); starts.initialize(repeating: -1, count: size)
        counts = .allocate(capacity: size); counts.initialize(repeating: 0, count: size)
        prefixBits = .allocate(capacity: 1024); prefixBits.initialize(repeating: 0, count: 1024)
        var lits: [Int32] = [], offs: [Int32] = []
        for (k, entries) in byKey {
            var i = SigmaGramIndex.hash(k) & mask
            while starts[i] >= 0 { i = (i + 1) & mask }
            keys[i] = k
            starts[i] = Int32(lits.count)
            counts[i] = Int32(entries.count)
            for (lid, off) in entries { lits.append(lid); offs.append(off) }
            let two = Int(k & 0xFFFF)
            prefixBits[two >> 6] |= 1 << UInt64(two & 63)
        }
        entryLiteral = .allocate(capacity: max(1, lits.count))
        entryOffset = .allocate(capacity: max(1, offs.count))
        for i in 0..<lits.count { entryLiteral[i] = lits[i]; entryOffset[i] = offs[i] }
    }

    deinit {
        prefixBits.deallocate(); keys.deallocate(); starts.deallocate(); counts.deallocate()
        entryLiteral.deallocate(); entryOffset.deallocate()
    }

    @inline(__always)
    private func lookup(_ k: UInt32) -> Int {
        var t = SigmaGramIndex.hash(k) & mask
        while starts[t] >= 0 {
            if keys[t] == k { return t }
            t = (t + 1) & mask
        }
        return -1
    }

    /// Marks the literals found in `p[0..<n]`, ASCII letters folded; true when it has non-ASCII bytes.
    func scan(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32, literals: UnsafePointer<UInt8>,
              offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) -> Bool {
        var high: UInt8 = 0
        for i in 0..<n { high |= p[i] }
        guard n >= 2 else { return high >= 0x80 }
        let bits = prefixBits
        let last = n - 1
        var i = 0
        while i < last {
            // The tight part: find the next position whose two bytes start some key window.
            var two = UInt32(SigmaSlotIndex.fold(p[i])) | UInt32(SigmaSlotIndex.fold(p[i + 1])) << 8
            while bits[Int(two >> 6)] & (1 << UInt64(two & 63)) == 0 {
                i += 1
                if i >= last { return high >= 0x80 }
                two = two >> 8 | UInt32(SigmaSlotIndex.fold(p[i + 1])) << 8
            }
            if has4, i + 4 <= n {
                let w = two | UInt32(SigmaSlotIndex.fold(p[i + 2])) << 16 | UInt32(SigmaSlotIndex.fold(p[i + 3])) << 24
                let t = lookup(w)
                if t >= 0 { verify(t, at: i, p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths) }
            }
            if has2 {
                let t = lookup(SigmaGramIndex.shortTag | two)
                if t >= 0 { verify(t, at: i, p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths) }
            }
            i += 1
        }
        return high >= 0x80
    }

    @inline(__always)
    private func verify(_ t: Int, at i: Int, _ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32,
                        literals: UnsafePointer<UInt8>, offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) {
        let from = Int(starts[t])
        for j in from..<(from + Int(counts[t])) {
            let lid = Int(entryLiteral[j])
            if hit[lid] == gen { continue }
            let begin = i - Int(entryOffset[j])
            let len = Int(lengths[lid])
            guard begin >= 0, begin + len <= n else { continue }
            let lit = literals + Int(offsets[lid])
            var same = true
            for k in 0..<len where SigmaSlotIndex.fold(p[begin + k]) != lit[k] { same = false; break }
            if same { hit[lid] = gen }
        }
    }
}

/// Contains literals found from "anchor" bytes: each literal is keyed by one of its bytes, chosen so
/// that few distinct, rarely seen bytes cover every literal (`:` for `sekurlsa::`, `.` for
/// `mimidrv.sys`, …). A value is searched sixteen bytes at a time for any anchor, and only where one
/// occurs are the literals keyed by it checked. Used instead of `SigmaGramIndex` when sixteen or
/// fewer raw bytes (letters in both cases) cover a field's literals — typically keyword searches,
/// which read every value of every event.
final class SigmaAnchorIndex: @unchecked Sendable {
    private let anchors: [SIMD16<UInt8>]
    private let isAnchor: UnsafeMutablePointer<Bool>      // by raw byte
    private let groupStart: UnsafeMutablePointer<Int32>  // by folded byte
    private let groupCount: UnsafeMutablePointer<Int32>
    private let entryLiteral: UnsafeMutablePointer<Int32>
    private let entryOffset: UnsafeMutablePointer<Int32>

    /// How often a byte turns up in event text, roughly (lower: rarer, a better anchor).
    static func rank(_ b: UInt8) -> Int {
        switch b {
        case 0x80...: return 1
        case UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "|"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "'"), UInt8(ascii: "\""),
             UInt8(ascii: "!"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "^"), UInt8(ascii: "~"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"): return 2
        case UInt8(ascii: "q"), UInt8(ascii: "j"), UInt8(ascii: "z"), UInt8(ascii: "x"): return 3
        case UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "="): return 4
        case UInt8(ascii: "k"), UInt8(ascii: "v"), UInt8(ascii: "y"), UInt8(ascii: "w"), UInt8(ascii: "g"), UInt8(ascii: "b"): return 5
        case UInt8(ascii: "-"), UInt8(ascii: "."): return 6
        case UInt8(ascii: "p"), UInt8(ascii: "f"), UInt8(ascii: "u"), UInt8(ascii: "m"), UInt8(ascii: "h"): return 7
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 8
        case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "l"), UInt8(ascii: "r"): return 8
        case UInt8(ascii: " "): return 12
        default: return 10
        }
    }

    /// Nil when the literals need more than sixteen raw anchor bytes.
    init?(_ literals: [([UInt8], Int32)]) {
        guard !literals.isEmpty else { return nil }
        // Greedy cover: the byte covering most uncovered literals per (rarity cost)².
        var uncovered = Set(literals.indices)
        var chosen: [UInt8] = []
        while !uncovered.isEmpty {
            var gain = [Int](repeating: 0, count: 256)
            for i in uncovered { for b in Set(literals[i].0) { gain[Int(b)] += 1 } }
            var best = -1, bestScore = 0.0
            for b in 0..<256 where gain[b] > 0 {
                let r = Double(SigmaAnchorIndex.rank(UInt8(b)))
                let score = Double(gain[b]) / (r * r)
                if score > bestScore { bestScore = score; best = b }
            }
            guard best >= 0 else { return nil }
            chosen.append(UInt8(best))
            uncovered = uncovered.filter { !literals[$0].0.contains(UInt8(best)) }
        }
        var raw: [UInt8] = []
        for b in chosen {
            raw.append(b)
            if b &- 0x61 < 26 { raw.append(b & ~0x20) }
        }
        guard raw.count <= 16 else { return nil }
        anchors = raw.map { SIMD16<UInt8>(repeating: $0) }
        isAnchor = .allocate(capacity: 256); isAnchor.initialize(repeating: false, count: 256)
        for b in raw { isAnchor[Int(b)] = true }
        // Each literal keyed by its rarest chosen byte, at that byte's first position in it.
        var groups = [[(Int32, Int32)]](repeating: [], count: 256)
        for (bytes, id) in literals {
            var bestByte: UInt8 = 0, bestOffset = -1, bestRank = Int.max
            for (o, b) in bytes.enumerated() where chosen.contains(b) {
                let r = SigmaAnchorIndex.rank(b)
                if r < bestRank { bestRank = r; bestByte = b; bestOffset = o }
            }
            guard bestOffset >= 0 else { return nil }
            groups[Int(bestByte)].append((id, Int32(bestOffset)))
        }
        groupStart = .allocate(capacity: 256); groupCount = .allocate(capacity: 256)
        var lits: [Int32] = [], offs: [Int32] = []
        for b in 0..<256 {
            groupStart[b] = Int32(lits.count); groupCount[b] = Int32(groups[b].count)
            for (l, o) in groups[b] { lits.append(l); offs.append(o) }
        }
        entryLiteral = .allocate(capacity: max(1, lits.count))
        entryOffset = .allocate(capacity: max(1, offs.count))
        for i in 0..<lits.count { entryLiteral[i] = lits[i]; entryOffset[i] = offs[i] }
    }

    deinit {
        isAnchor.deallocate(); groupStart.deallocate(); groupCount.deallocate()
        entryLiteral.deallocate(); entryOffset.deallocate()
    }

    /// Marks the literals found in `p[0..<n]`, ASCII letters folded; true when it has non-ASCII bytes.
    func scan(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32, literals: UnsafePointer<UInt8>,
              offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) -> Bool {
        var i = 0
        var highV = SIMD16<UInt8>(repeating: 0)
        let raw = UnsafeRawPointer(p)
        while i + 16 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            highV |= v
            var m = v .== anchors[0]
            for k in 1..<anchors.count { m = m .| (v .== anchors[k]) }
            // Any lane set (the mask's lanes are all-ones or zero bytes).
            let lanes = unsafeBitCast(m, to: SIMD2<UInt64>.self)
            if lanes[0] | lanes[1] != 0 {
                for lane in i..<(i + 16) where isAnchor[Int(p[lane])] {
                    check(lane, p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths)
                }
            }
            i += 16
        }
        var high: UInt8 = 0
        for lane in 0..<16 { high |= highV[lane] }
        while i < n {
            let c = p[i]
            high |= c
            if isAnchor[Int(c)] { check(i, p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths) }
            i += 1
        }
        return high >= 0x80
    }

    @inline(__always)
    private func check(_ at: Int, _ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32,
                       literals: UnsafePointer<UInt8>, offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) {
        let b = Int(SigmaSlotIndex.fold(p[at]))
        let from = Int(groupStart[b])
        for j in from..<(from + Int(groupCount[b])) {
            let lid = Int(entryLiteral[j])
            if hit[lid] == gen { continue }
            let begin = at - Int(entryOffset[j])
            let len = Int(lengths[lid])
            guard begin >= 0, begin + len <= n else { continue }
            let lit = literals + Int(offsets[lid])
            var same = true
            for k in 0..<len where SigmaSlotIndex.fold(p[begin + k]) != lit[k] { same = false; break }
            if same { hit[lid] = gen }
        }
    }
}
