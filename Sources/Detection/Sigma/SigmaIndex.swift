import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The literals of one field, found in one pass over a value (lowered), so each `equals`, `startswith`,
/// `endswith` and `contains` comparison of every rule on that field becomes a bit test:
/// - equals and prefixes: a trie walked forward from the value's start;
/// - suffixes: a trie walked backward from its end;
/// - contains, four bytes or more: each literal keyed by one 4-byte window (the one the fewest literals
///   share), windows in a hash table behind a bitmap, a window seen in the value checked against its
///   literals; two or three bytes: keyed by their first two bytes the same way; one byte: memchr.
final class SigmaSlotIndex: @unchecked Sendable {
    enum Kind: UInt8 { case equals, prefix, suffix, contains }

    let forward: SigmaTrie?
    let backward: SigmaTrie?
    let grams4: SigmaGramTable?
    let grams2: SigmaGramTable?
    let singles: [(byte: UInt8, literal: Int32)]

    init(literals: [(bytes: [UInt8], kind: Kind, id: Int32)]) {
        var fwd: [([UInt8], Int32, Bool)] = []   // bytes, id, isEquals
        var bwd: [([UInt8], Int32, Bool)] = []
        var long: [([UInt8], Int32)] = []
        var short: [([UInt8], Int32)] = []
        var singles: [(UInt8, Int32)] = []
        for (b, kind, id) in literals {
            switch kind {
            case .equals: fwd.append((b, id, true))
            case .prefix: fwd.append((b, id, false))
            case .suffix: bwd.append((b.reversed(), id, false))
            case .contains:
                if b.count >= 4 { long.append((b, id)) } else if b.count >= 2 { short.append((b, id)) } else if b.count == 1 { singles.append((b[0], id)) }
            }
        }
        forward = fwd.isEmpty ? nil : SigmaTrie(fwd)
        backward = bwd.isEmpty ? nil : SigmaTrie(bwd)
        grams4 = long.isEmpty ? nil : SigmaGramTable(long, width: 4)
        grams2 = short.isEmpty ? nil : SigmaGramTable(short, width: 2)
        self.singles = singles.map { (byte: $0.0, literal: $0.1) }
    }

    /// Marks (`hit[id] = gen`) every literal of this field found in `p[0..<n]`.
    @inline(__always)
    func scan(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32, literals: UnsafePointer<UInt8>,
              offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) {
        forward?.walkForward(p, n, hit: hit, gen: gen)
        backward?.walkBackward(p, n, hit: hit, gen: gen)
        grams4?.scan(p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths)
        grams2?.scan(p, n, hit: hit, gen: gen, literals: literals, offsets: offsets, lengths: lengths)
        for s in singles where n > 0 && memchr(p, Int32(s.byte), n) != nil { hit[Int(s.literal)] = gen }
    }
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
    private let tableSize: Int
    private let termTotal: Int

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
        tableSize = size
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
        termTotal = flat.count
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
            node = child(node, p[i])
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
            node = child(node, p[i])
            if node < 0 { return }
            mark(Int(node), hit: hit, gen: gen)
            i -= 1
        }
    }
}

/// Literals keyed by one window of `width` (2 or 4) bytes: a bitmap over hashed windows, then an
/// open-addressing table window → (literal, offset of the window in it).
final class SigmaGramTable: @unchecked Sendable {
    private let width: Int
    private let bits: UnsafeMutablePointer<UInt64>
    private let bitWords: Int
    private let shift: UInt32
    private let keys: UnsafeMutablePointer<UInt32>
    private let starts: UnsafeMutablePointer<Int32>   // -1 empty
    private let counts: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let entryLiteral: UnsafeMutablePointer<Int32>
    private let entryOffset: UnsafeMutablePointer<Int32>

    @inline(__always)
    static func window(_ b: UnsafePointer<UInt8>, _ width: Int) -> UInt32 {
        width == 4 ? UnsafeRawPointer(b).loadUnaligned(as: UInt32.self) : UInt32(UnsafeRawPointer(b).loadUnaligned(as: UInt16.self))
    }

    @inline(__always)
    static func hash(_ w: UInt32) -> UInt32 { (w &* 0x85EBCA6B) ^ (w >> 13) }

    init(_ literals: [([UInt8], Int32)], width: Int) {
        self.width = width
        // How many literals contain each window; each literal is keyed by its rarest one.
        var freq: [UInt32: Int] = [:]
        var windows: [[UInt32]] = []
        for (b, _) in literals {
            var ws: [UInt32] = []
            b.withUnsafeBufferPointer { buf in
                for i in 0...(buf.count - width) { ws.append(SigmaGramTable.window(buf.baseAddress! + i, width)) }
            }
            for w in Set(ws) { freq[w, default: 0] += 1 }
            windows.append(ws)
        }
        var byWindow: [UInt32: [(Int32, Int32)]] = [:]
        for (k, (_, id)) in literals.enumerated() {
            let ws = windows[k]
            var best = 0, bestCount = Int.max
            for (i, w) in ws.enumerated() {
                let c = freq[w] ?? 0
                if c < bestCount { best = i; bestCount = c }
            }
            byWindow[ws[best], default: []].append((id, Int32(best)))
        }
        var size = 16
        while size < byWindow.count * 2 { size *= 2 }
        mask = size - 1
        keys = .allocate(capacity: size); keys.initialize(repeating: 0, count: size)
        starts = .allocate(capacity: size); starts.initialize(repeating: -1, count: size)
        counts = .allocate(capacity: size); counts.initialize(repeating: 0, count: size)
        var bitCount = 1 << 12
        while bitCount < byWindow.count * 16, bitCount < 1 << 20 { bitCount *= 2 }
        bitWords = bitCount / 64
        bits = .allocate(capacity: bitWords); bits.initialize(repeating: 0, count: bitWords)
        shift = UInt32(32 - bitCount.trailingZeroBitCount)
        var lits: [Int32] = [], offs: [Int32] = []
        for (w, entries) in byWindow {
            var i = Int(SigmaGramTable.hash(w)) & mask
            while starts[i] >= 0 { i = (i + 1) & mask }
            keys[i] = w
            starts[i] = Int32(lits.count)
            counts[i] = Int32(entries.count)
            for (lid, off) in entries { lits.append(lid); offs.append(off) }
            let h = Int((w &* 0x9E3779B1) >> shift)
            bits[h >> 6] |= 1 << UInt64(h & 63)
        }
        entryLiteral = .allocate(capacity: max(1, lits.count))
        entryOffset = .allocate(capacity: max(1, offs.count))
        for i in 0..<lits.count { entryLiteral[i] = lits[i]; entryOffset[i] = offs[i] }
    }

    deinit {
        bits.deallocate(); keys.deallocate(); starts.deallocate(); counts.deallocate()
        entryLiteral.deallocate(); entryOffset.deallocate()
    }

    func scan(_ p: UnsafePointer<UInt8>, _ n: Int, hit: UnsafeMutablePointer<UInt32>, gen: UInt32, literals: UnsafePointer<UInt8>,
              offsets: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>) {
        guard n >= width else { return }
        let last = n - width
        var i = 0
        while i <= last {
            let w = SigmaGramTable.window(p + i, width)
            let h = Int((w &* 0x9E3779B1) >> shift)
            if bits[h >> 6] & (1 << UInt64(h & 63)) != 0 {
                var t = Int(SigmaGramTable.hash(w)) & mask
                while starts[t] >= 0 {
                    if keys[t] == w {
                        let from = Int(starts[t])
                        for j in from..<(from + Int(counts[t])) {
                            let lid = Int(entryLiteral[j])
                            if hit[lid] == gen { continue }
                            let begin = i - Int(entryOffset[j])
                            let len = Int(lengths[lid])
                            if begin >= 0, begin + len <= n, memcmp(p + begin, literals + Int(offsets[lid]), len) == 0 {
                                hit[lid] = gen
                            }
                        }
                        break
                    }
                    t = (t + 1) & mask
                }
            }
            i += 1
        }
    }
}
