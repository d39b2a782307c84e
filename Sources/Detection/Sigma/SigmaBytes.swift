import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable array in memory of its own, read without bounds checks on the matching path (indices
/// come from the compiled program, never from events).
final class SigmaFrozen<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let count: Int

    init(_ array: [T]) {
        count = array.count
        base = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
        array.withUnsafeBufferPointer { buf in
            if let b = buf.baseAddress, buf.count > 0 { base.initialize(from: b, count: buf.count) }
        }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

enum SigmaBytes {
    /// ASCII lowercase of every byte (other bytes unchanged).
    static let lowerTable: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in 0..<256 { t[b] = UInt8(b) }
        for b in 0x41...0x5A { t[b] = UInt8(b + 0x20) }
        return t
    }()

    /// Lowercase as the matcher compares: ASCII folding for ASCII text, full Unicode lowercasing otherwise.
    static func lowered(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.map { lowerTable[Int($0)] } }
        guard let s = String(validating: bytes, as: UTF8.self) else { return bytes.map { lowerTable[Int($0)] } }
        return Array(s.lowercased().utf8)
    }

    /// A field name as fields are told apart: ASCII case folded, spaces dropped (`Threat Name` is the
    /// `ThreatName` of Sigma rules).
    @inline(__always)
    static func nameHash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for i in 0..<n {
            var c = p[i]
            if c == 0x20 { continue }
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            h = (h ^ UInt64(c)) &* 0x100000001b3
        }
        return h
    }

    /// Whether a name (`p`, any case, maybe with spaces) is the normalized `key`.
    @inline(__always)
    static func nameEqual(_ key: UnsafePointer<UInt8>, _ keyLen: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var j = 0
        for i in 0..<n {
            var c = p[i]
            if c == 0x20 { continue }
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if j == keyLen || key[j] != c { return false }
            j += 1
        }
        return j == keyLen
    }

    @inline(__always)
    static func find(_ hay: UnsafePointer<UInt8>, _ hayLen: Int, _ needle: UnsafePointer<UInt8>, _ needleLen: Int) -> Int? {
        if needleLen == 0 { return 0 }
        if needleLen > hayLen { return nil }
        let first = Int32(needle[0])
        let rest = needleLen - 1
        var from = 0
        let lastStart = hayLen - needleLen
        while from <= lastStart {
            guard let hit = memchr(hay + from, first, lastStart - from + 1) else { return nil }
            let at = UnsafeRawPointer(hay).distance(to: UnsafeRawPointer(hit))
            if rest == 0 || memcmp(hay + at + 1, needle + 1, rest) == 0 { return at }
            from = at + 1
        }
        return nil
    }

    /// Length in bytes of the UTF-8 sequence starting with `b` (1 for stray continuation bytes).
    @inline(__always)
    static func utf8Length(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }
}

/// Names → slots, without regard to ASCII case and spaces: the event's keys are looked up here once per
/// event. (Also used for channel, event id and provider values: those have no spaces that matter.)
struct SigmaFieldTable: Sendable {
    private var keys: [[UInt8]] = []      // normalized names
    private var slots: [Int32] = []       // table: index into keys + 1 (0 = empty)
    private var mask = 0

    private(set) var names: [String] = [] // the first spelling seen, by slot

    init() {
        slots = [Int32](repeating: 0, count: 16)
        mask = 15
    }

    var count: Int { keys.count }
    /// The names as compared (lowercase, no spaces), by slot.
    var normalizedNames: [[UInt8]] { keys }

    func lookup(_ name: String) -> Int32? {
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer { b in
            b.baseAddress.flatMap { lookup($0, b.count) } ?? lookupEmpty()
        }
    }

    private func lookupEmpty() -> Int32? {
        var i = Int(truncatingIfNeeded: UInt64(0xcbf29ce484222325)) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if keys[Int(s - 1)].isEmpty { return s - 1 }
            i = (i + 1) & mask
        }
    }

    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        var i = Int(truncatingIfNeeded: SigmaBytes.nameHash(p, n)) & mask
        return slots.withUnsafeBufferPointer { table -> Int32? in
            while true {
                let s = table[i]
                if s == 0 { return nil }
                let hit = keys[Int(s - 1)].withUnsafeBufferPointer { kb -> Bool in
                    guard let k = kb.baseAddress else { return !(0..<n).contains { p[$0] != 0x20 } }
                    return SigmaBytes.nameEqual(k, kb.count, p, n)
                }
                if hit { return s - 1 }
                i = (i + 1) & mask
            }
        }
    }

    /// The slot of a name, added if new.
    mutating func slot(for name: String) -> Int32 {
        if let s = lookup(name) { return s }
        let normalized = Array(name.utf8).filter { $0 != 0x20 }.map { SigmaBytes.lowerTable[Int($0)] }
        keys.append(normalized)
        names.append(name)
        let id = Int32(keys.count)
        if keys.count * 2 > slots.count { rehash(slots.count * 2) } else { insert(id, normalized) }
        return id - 1
    }

    private mutating func insert(_ id: Int32, _ key: [UInt8]) {
        let h = key.withUnsafeBufferPointer { b in b.baseAddress.map { SigmaBytes.nameHash($0, b.count) } ?? 0xcbf29ce484222325 }
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = id
    }

    private mutating func rehash(_ size: Int) {
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for (i, k) in keys.enumerated() { insert(Int32(i + 1), k) }
    }
}

/// Short-lived bytes of one event (texts of its values, lowered copies): bump allocation in blocks that
/// are reused from event to event. Pointers stay valid until `reset()`.
final class SigmaArena {
    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    private var big: [UnsafeMutablePointer<UInt8>] = []
    private var current = 0
    private var used = 0
    private let blockSize = 1 << 16

    init() {
        blocks.append(UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize))
    }

    deinit {
        for p in blocks { p.deallocate() }
        for p in big { p.deallocate() }
    }

    func reset() {
        for p in big { p.deallocate() }
        big.removeAll(keepingCapacity: true)
        while blocks.count > 4 { blocks.removeLast().deallocate() }
        current = 0
        used = 0
    }

    func allocate(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if n > blockSize / 4 {
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1))
            big.append(p)
            return p
        }
        if used + n > blockSize {
            current += 1
            if current == blocks.count { blocks.append(UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)) }
            used = 0
        }
        let p = blocks[current] + used
        used += n
        return p
    }

    func copy(_ bytes: [UInt8]) -> UnsafePointer<UInt8> {
        let p = allocate(bytes.count)
        bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress, b.count > 0 { p.update(from: base, count: b.count) }
        }
        return UnsafePointer(p)
    }
}

/// A `SigmaFieldTable` frozen for lookups on the matching path: hashes and names in memory of their
/// own, compared without Swift array machinery.
final class SigmaNameIndex: @unchecked Sendable {
    private let hashes: UnsafeMutablePointer<UInt64>   // per table entry; 0 = empty
    private let ids: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<Int32>   // per id: normalized name bytes
    private let lengths: UnsafeMutablePointer<Int32>

    init(_ table: SigmaFieldTable) {
        let names = table.normalizedNames
        var size = 16
        while size < names.count * 2 { size *= 2 }
        mask = size - 1
        hashes = .allocate(capacity: size); hashes.initialize(repeating: 0, count: size)
        ids = .allocate(capacity: size); ids.initialize(repeating: -1, count: size)
        let total = names.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(1, total))
        offsets = .allocate(capacity: max(1, names.count))
        lengths = .allocate(capacity: max(1, names.count))
        var at = 0
        for (id, name) in names.enumerated() {
            offsets[id] = Int32(at); lengths[id] = Int32(name.count)
            for b in name { bytes[at] = b; at += 1 }
            let h = SigmaNameIndex.nonZero(name.withUnsafeBufferPointer { b in b.baseAddress.map { SigmaBytes.nameHash($0, b.count) } ?? 0xcbf29ce484222325 })
            var i = Int(truncatingIfNeeded: h) & mask
            while hashes[i] != 0 { i = (i + 1) & mask }
            hashes[i] = h
            ids[i] = Int32(id)
        }
    }

    deinit {
        hashes.deallocate(); ids.deallocate(); bytes.deallocate(); offsets.deallocate(); lengths.deallocate()
    }

    @inline(__always)
    private static func nonZero(_ h: UInt64) -> UInt64 { h == 0 ? 1 : h }

    func lookup(_ name: String) -> Int32? {
        var name = name
        return name.withUTF8 { b in
            b.baseAddress.flatMap { lookup($0, b.count) } ?? "".withCString { c in c.withMemoryRebound(to: UInt8.self, capacity: 1) { lookup($0, 0) } }
        }
    }

    /// The id of a name (ASCII case and spaces ignored), nil when unknown.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let h = SigmaNameIndex.nonZero(SigmaBytes.nameHash(p, n))
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = hashes[i]
            if e == 0 { return nil }
            if e == h {
                let id = Int(ids[i])
                if SigmaBytes.nameEqual(bytes + Int(offsets[id]), Int(lengths[id]), p, n) { return Int32(id) }
            }
            i = (i + 1) & mask
        }
    }
}
