import Foundation

/// Node kinds of the record tree (the crate's IR: elements with attributes and child nodes).
enum EvtxNodeKind {
    static let element: UInt8 = 1
    static let attribute: UInt8 = 2
    /// UTF-16LE text in the chunk: `off` in bytes, `len` in code units (already cut at the first NUL).
    static let text16: UInt8 = 3
    /// ANSI (Windows-1252) text in the chunk: `off`, `len` in bytes (`len` 0 when all bytes are NUL).
    static let text8: UInt8 = 4
    /// A typed value (`vtype`) whose raw bytes are `off`/`len` in the chunk.
    static let value: UInt8 = 5
    static let entityRef: UInt8 = 6
    static let charRef: UInt8 = 7
    /// CDATA section text (UTF-16, like `text16`).
    static let cdata: UInt8 = 8
    static let piTarget: UInt8 = 9
    static let piData: UInt8 = 10
    /// A template substitution (`a` = index, `flags` bit 0 = optional).
    static let placeholder: UInt8 = 11
}

/// BinXML value types (the byte in value tokens and substitution descriptors).
enum EvtxValueType {
    static let null: UInt8 = 0x00
    static let string: UInt8 = 0x01
    static let ansiString: UInt8 = 0x02
    static let int8: UInt8 = 0x03
    static let uint8: UInt8 = 0x04
    static let int16: UInt8 = 0x05
    static let uint16: UInt8 = 0x06
    static let int32: UInt8 = 0x07
    static let uint32: UInt8 = 0x08
    static let int64: UInt8 = 0x09
    static let uint64: UInt8 = 0x0A
    static let real32: UInt8 = 0x0B
    static let real64: UInt8 = 0x0C
    static let bool: UInt8 = 0x0D
    static let binary: UInt8 = 0x0E
    static let guid: UInt8 = 0x0F
    static let sizeT: UInt8 = 0x10
    static let fileTime: UInt8 = 0x11
    static let sysTime: UInt8 = 0x12
    static let sid: UInt8 = 0x13
    static let hexInt32: UInt8 = 0x14
    static let hexInt64: UInt8 = 0x15
    static let evtHandle: UInt8 = 0x20
    static let binXml: UInt8 = 0x21
    static let evtXml: UInt8 = 0x23
    static let arrayFlag: UInt8 = 0x80
    static let stringArray: UInt8 = 0x81
    static let sidArray: UInt8 = 0x93

    /// Whether the byte names a value type at all (unknown bytes make the record fail, as in the crate).
    static func isKnown(_ t: UInt8) -> Bool {
        switch t {
        case 0x00...0x15, 0x20, 0x21, 0x23, 0x81...0x95: return true
        default: return false
        }
    }

    /// Fixed size of one scalar (or one array item); 0 when variable or not a fixed-size type.
    static func fixedSize(_ t: UInt8) -> Int {
        switch t & 0x7F {
        case int8, uint8: return 1
        case int16, uint16: return 2
        case int32, uint32, real32, bool, hexInt32: return 4
        case int64, uint64, real64, fileTime, hexInt64: return 8
        case guid, sysTime: return 16
        default: return 0
        }
    }

    /// Integers and booleans render as JSON numbers/booleans; everything else as a string.
    static func isJSONNumber(_ t: UInt8) -> Bool { (t >= int8 && t <= uint64) || t == bool }
}

/// One node of a record or template tree. Children, attributes and attribute values are intrusive
/// singly linked lists (`first`/`last`/`next`), so building never allocates per node.
struct EvtxNode {
    var kind: UInt8
    var vtype: UInt8 = 0
    /// Element: bit 0 = has an element child. Placeholder: bit 0 = optional substitution.
    var flags: UInt8 = 0
    var a: Int32 = -1
    var off: Int32 = 0
    var len: Int32 = 0
    var first: Int32 = -1
    var last: Int32 = -1
    var attrFirst: Int32 = -1
    var attrLast: Int32 = -1
    var next: Int32 = -1

    init(kind: UInt8) { self.kind = kind }

    init(kind: UInt8, vtype: UInt8, a: Int32 = -1, off: Int, len: Int) {
        self.kind = kind
        self.vtype = vtype
        self.a = a
        self.off = Int32(truncatingIfNeeded: off)
        self.len = Int32(truncatingIfNeeded: len)
    }

    var hasElementChild: Bool { flags & 1 != 0 }
}

/// Node storage for one tree family (the chunk's templates, or the current record).
final class EvtxNodeStore {
    // Hot storage: dynamic exclusivity checks are off (the parser is single-threaded and never holds
    // two accesses to these at once).
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<EvtxNode>
    @exclusivity(unchecked) private(set) var count: Int = 0
    @exclusivity(unchecked) private var capacity: Int
    /// Nodes beyond this make the record (or template) fail: bounds memory for hostile input.
    let limit: Int

    init(capacity: Int, limit: Int) {
        self.capacity = capacity
        self.limit = limit
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    func reset() { count = 0 }

    @inline(__always)
    func append(_ node: EvtxNode) throws(EvtxParseError) -> Int32 {
        if count == capacity { try grow() }
        base[count] = node
        count += 1
        return Int32(truncatingIfNeeded: count - 1)
    }

    @inline(never)
    private func grow() throws(EvtxParseError) {
        guard capacity < limit else {
            throw EvtxParseError("the record expands to more than \(limit) XML nodes", at: -1)
        }
        let newCapacity = min(capacity * 2, limit)
        let p = UnsafeMutablePointer<EvtxNode>.allocate(capacity: newCapacity)
        p.moveInitialize(from: base, count: count)
        base.deallocate()
        base = p
        capacity = newCapacity
    }

    /// Appends a block of nodes whose links are relative to its start, shifted to where it lands.
    func appendBlock(_ nodes: UnsafeBufferPointer<EvtxNode>, rebasedBy base: Int32) throws(EvtxParseError) {
        while capacity - count < nodes.count { try grow() }
        let p = self.base + count
        for i in 0..<nodes.count {
            var n = nodes[i]
            if n.first >= 0 { n.first += base }
            if n.last >= 0 { n.last += base }
            if n.attrFirst >= 0 { n.attrFirst += base }
            if n.attrLast >= 0 { n.attrLast += base }
            if n.next >= 0 { n.next += base }
            p[i] = n
        }
        count += nodes.count
    }

    @inline(__always)
    subscript(_ i: Int32) -> EvtxNode {
        get { base[Int(i)] }
        set { base[Int(i)] = newValue }
    }

    /// Appends `child` to the children of `parent`, marking the parent when the child is an element.
    @inline(__always)
    func appendChild(_ parent: Int32, _ child: Int32) {
        let p = base + Int(parent)
        if p.pointee.last < 0 { p.pointee.first = child } else { base[Int(p.pointee.last)].next = child }
        p.pointee.last = child
        if base[Int(child)].kind == EvtxNodeKind.element { p.pointee.flags |= 1 }
    }

    @inline(__always)
    func appendAttribute(_ element: Int32, _ attr: Int32) {
        let p = base + Int(element)
        if p.pointee.attrLast < 0 { p.pointee.attrFirst = attr } else { base[Int(p.pointee.attrLast)].next = attr }
        p.pointee.attrLast = attr
    }
}

/// Pointers to the names' bytes, valid while no name is added (during a render).
struct EvtxNameKeys {
    let pool: UnsafePointer<UInt8>
    /// Per name: start in `pool`, length of the `"name":` key, length of the raw UTF-8 name after it.
    let spans: UnsafePointer<EvtxNameSpan>

    @inline(__always)
    func jsonKey(_ id: Int32) -> UnsafeRawBufferPointer {
        let s = spans[Int(id)]
        return UnsafeRawBufferPointer(start: pool + Int(s.start), count: Int(s.keyLength))
    }

    @inline(__always)
    func utf8(_ id: Int32) -> UnsafeRawBufferPointer {
        let s = spans[Int(id)]
        return UnsafeRawBufferPointer(start: pool + Int(s.start) + Int(s.keyLength), count: Int(s.rawLength))
    }
}

struct EvtxNameSpan {
    var start: Int32
    var keyLength: Int32
    var rawLength: Int32
}

/// Element and attribute names, interned by content for the whole file: the JSON key bytes and the
/// Swift string of each name are made once.
final class EvtxNameTable {
    static let event: Int32 = 0
    static let system: Int32 = 1
    static let eventData: Int32 = 2
    static let userData: Int32 = 3
    static let data: Int32 = 4
    static let name: Int32 = 5
    static let wellKnown = 6

    @exclusivity(unchecked) private(set) var strings: [String] = []
    /// Changes when ids are reassigned (`trim`).
    private(set) var epoch = 0
    @exclusivity(unchecked) private var byContent: [[UInt8]: Int32] = [:]
    @exclusivity(unchecked) private var pool: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var poolCount = 0
    @exclusivity(unchecked) private var poolCapacity = 4096
    @exclusivity(unchecked) private var spans: UnsafeMutablePointer<EvtxNameSpan>
    @exclusivity(unchecked) private var spanCapacity = 256

    init() {
        pool = .allocate(capacity: poolCapacity)
        spans = .allocate(capacity: spanCapacity)
        for n in ["Event", "System", "EventData", "UserData", "Data", "Name"] { _ = intern(Array(n.utf8)) }
    }

    deinit {
        pool.deallocate()
        spans.deallocate()
    }

    var count: Int { strings.count }

    var keys: EvtxNameKeys { EvtxNameKeys(pool: UnsafePointer(pool), spans: UnsafePointer(spans)) }

    func string(_ id: Int32) -> String { strings[Int(id)] }

    /// Names by a 63-bit FNV-1a hash of their bytes (checked against the bytes): the fast way in.
    @exclusivity(unchecked) private var byHash = EvtxIntMap<Int32>(capacity: 1024)

    func intern(_ utf8: [UInt8]) -> Int32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hashKey = Int64(bitPattern: h & 0x7FFF_FFFF_FFFF_FFFF)
        if let id = byHash.get(hashKey), keys.utf8(id).elementsEqual(utf8) { return id }
        let id = internSlow(utf8)
        byHash.set(hashKey, id)
        return id
    }

    private func internSlow(_ utf8: [UInt8]) -> Int32 {
        if let id = byContent[utf8] { return id }
        let id = Int32(strings.count)
        var key = EvtxByteBuffer(capacity: utf8.count * 6 + 8)
        key.append(UInt8(ascii: "\""))
        utf8.withUnsafeBytes { key.writeUTF8($0, json: true) }
        key.append("\":")
        let need = key.count + utf8.count
        if poolCapacity - poolCount < need {
            var c = poolCapacity * 2
            while c - poolCount < need { c *= 2 }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            p.update(from: pool, count: poolCount)
            pool.deallocate()
            pool = p
            poolCapacity = c
        }
        if strings.count == spanCapacity {
            let p = UnsafeMutablePointer<EvtxNameSpan>.allocate(capacity: spanCapacity * 2)
            p.update(from: spans, count: strings.count)
            spans.deallocate()
            spans = p
            spanCapacity *= 2
        }
        (pool + poolCount).update(from: key.ptr, count: key.count)
        utf8.withUnsafeBufferPointer { (pool + poolCount + key.count).update(from: $0.baseAddress!, count: utf8.count) }
        spans[strings.count] = EvtxNameSpan(start: Int32(poolCount), keyLength: Int32(key.count), rawLength: Int32(utf8.count))
        poolCount += need
        key.deallocate()
        strings.append(String(decoding: utf8, as: UTF8.self))
        byContent[utf8] = id
        return id
    }

    /// Forgets every name but the well-known ones (a hostile file with endless distinct names); only
    /// between chunks.
    func trim() {
        guard strings.count > 200_000 else { return }
        strings.removeSubrange(Self.wellKnown...)
        byContent = byContent.filter { $0.value < Int32(Self.wellKnown) }
        byHash.removeAll()
        poolCount = Int(spans[Self.wellKnown].start)
        epoch += 1
    }
}

/// A small open-addressing map from non-negative integer keys, cheaper than `Dictionary` (whose seeded
/// SipHash dominates for tiny keys) on the flattening hot path.
struct EvtxIntMap<V> {
    private var keys: [Int64]
    private var values: [V?]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 256) {
        var c = 16
        while c < capacity * 2 { c *= 2 }
        keys = [Int64](repeating: -1, count: c)
        values = [V?](repeating: nil, count: c)
        mask = c - 1
    }

    @inline(__always)
    private func slot(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    func get(_ key: Int64) -> V? {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k < 0 { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: Int64, _ value: V) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { values[i] = value; return }
            if k < 0 {
                keys[i] = key
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    mutating func removeAll() {
        guard count > 0 else { return }
        for i in 0..<keys.count where keys[i] >= 0 {
            keys[i] = -1
            values[i] = nil
        }
        count = 0
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let c = keys.count * 2
        keys = [Int64](repeating: -1, count: c)
        values = [V?](repeating: nil, count: c)
        mask = c - 1
        count = 0
        for i in 0..<oldKeys.count where oldKeys[i] >= 0 {
            if let v = oldValues[i] { set(oldKeys[i], v) }
        }
    }
}

/// A growable buffer of trivial values with no copy-on-write or reference counting (the parser's
/// stacks and substitution values); the owner calls `deallocate()`.
struct EvtxVector<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func append(_ v: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: v)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let c = capacity * 2
        let p = UnsafeMutablePointer<T>.allocate(capacity: c)
        p.moveInitialize(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    @inline(__always)
    subscript(_ i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inline(__always)
    var last: T? { count > 0 ? base[count - 1] : nil }

    @inline(__always)
    mutating func removeLast() -> T {
        count -= 1
        return base[count]
    }

    @inline(__always)
    mutating func truncate(to n: Int) { if n < count { count = n } }

    @inline(__always)
    mutating func removeAll() { count = 0 }
}

/// The values of the record being flattened, moved out (not copied) into the event's dictionary: one
/// retain/release pair less per field.
struct EvtxValueBuffer {
    private var base: UnsafeMutablePointer<EventValue>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    /// Only once `clear()`ed.
    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func append(_ v: EventValue) {
        if count == capacity { grow() }
        (base + count).initialize(to: v)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let c = capacity * 2
        let p = UnsafeMutablePointer<EventValue>.allocate(capacity: c)
        p.moveInitialize(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    /// Moves value `i` out; every value must be taken exactly once before `markTaken()`.
    @inline(__always)
    func take(_ i: Int) -> EventValue { (base + i).move() }

    /// All values were taken.
    mutating func markTaken() { count = 0 }

    /// Drops values that were not taken (a record that failed half-way).
    mutating func clear() {
        base.deinitialize(count: count)
        count = 0
    }
}
