import Foundation

/// Builds the `FlatEvent` of a record exactly as `../shared/bench/flatten_evtx.py` flattens the crate's
/// JSON, but straight from the tree (no JSON text in between):
///
/// - `Event.System`: a scalar child `k` gives `k`; an object child gives `k` from its `#text` and
///   `k_<attr>` from each of its `#attributes`.
/// - `Event.EventData` and `Event.UserData`: every scalar member `k` gives `k` (named `<Data>` are
///   already members by their `Name`); an object member contributes its own scalar members except
///   `#attributes`; arrays and deeper objects are dropped.
/// - System fields first, then EventData, then UserData, later ones overwriting earlier ones.
///
/// Numbers stay numbers (`.int`; an unsigned 64-bit value above `Int64.max` becomes its decimal
/// `.string`), booleans `.bool`, JSON null `.null`, everything else `.string`.
///
/// Speed: records of one template produce the same field names in the same order. Field names are
/// kept as tokens (name ids), and the dictionary of the last record of each "shape" (token sequence)
/// is kept with the index of every field, so the next record of that shape only replaces values by
/// index (no hashing); when the caller still holds the previous event, copy-on-write copies it first.
struct EvtxFlattener: EvtxJSONSink {
    private enum Frame {
        case top
        case event
        case system
        case systemChild(Int32, Int)
        case systemAttributes(Int32, Int)
        case data(UInt8)
        case dataChild(UInt8)
        case ignore
    }

    private enum Key {
        case none
        case element(Int32, Int)
        case attribute(Int32)
        case special(EvtxSpecialKey)
        case name(Int32)
        /// A name kept in `dynamicNames` (the key stays a plain value: no reference counting).
        case dynamic(Int)
    }

    /// The last dictionary made for one sequence of field tokens.
    private final class Shape {
        let tokens: [Int64]
        let hash: Int
        var fields: [String: EventValue]
        var indices: [Dictionary<String, EventValue>.Index]
        var lastUse: Int

        init(tokens: [Int64], hash: Int, fields: [String: EventValue], indices: [Dictionary<String, EventValue>.Index], lastUse: Int) {
            self.tokens = tokens
            self.hash = hash
            self.fields = fields
            self.indices = indices
            self.lastUse = lastUse
        }
    }

    static let maxShapes = 32

    let names: EvtxNameTable
    private var frames = EvtxVector<Frame>(capacity: 16)
    private var key: Key = .none
    private var scratch: EvtxByteBuffer
    private var ordered = true
    private var cacheable = true
    private var tokens = EvtxVector<Int64>(capacity: 64)
    private var sections = EvtxVector<UInt8>(capacity: 64)
    private var values = EvtxValueBuffer(capacity: 64)
    private var dynamicNames: [String] = []
    /// Text bytes the record may still produce (see `EvtxRenderContext.maxOutput`).
    private var budget = EvtxRenderContext.maxOutput
    private var shapes: [Shape] = []
    private var uses = 0
    private var namesEpoch = -1
    /// `Element_Attribute` field names, made once per pair.
    private var attributeKeys = EvtxIntMap<String>()
    /// `<Data Name="...">` text by its chunk position (templates repeat it) → interned name id.
    private var dataNameIDs = EvtxIntMap<Int32>()
    private var dataNamesGeneration = -1

    init(names: EvtxNameTable) {
        self.names = names
        scratch = EvtxByteBuffer(capacity: 1024)
    }

    mutating func deallocate() {
        scratch.deallocate()
        frames.deallocate()
        tokens.deallocate()
        sections.deallocate()
        values.clear()
        values.deallocate()
    }

    /// Starts a record. `ordered`: System, EventData and UserData appear in that order; `chunk`
    /// identifies the chunk the tree points into.
    mutating func reset(ordered: Bool, chunk: Int) {
        frames.removeAll()
        key = .none
        self.ordered = ordered
        cacheable = true
        budget = EvtxRenderContext.maxOutput
        tokens.removeAll()
        sections.removeAll()
        values.clear()
        if !dynamicNames.isEmpty { dynamicNames.removeAll(keepingCapacity: true) }
        if chunk != dataNamesGeneration || dataNameIDs.count > 4096 {
            dataNameIDs.removeAll()
            dataNamesGeneration = chunk
        }
        if names.epoch != namesEpoch {
            // Name ids were reassigned: tokens made before mean nothing now.
            shapes.removeAll()
            attributeKeys.removeAll()
            dataNameIDs.removeAll()
            namesEpoch = names.epoch
        }
        if attributeKeys.count > 4096 { attributeKeys.removeAll() }
    }

    /// The fields collected since `reset` (takes the collected values).
    mutating func event() -> FlatEvent {
        let n = tokens.count
        // Insertion order: as met when System, EventData and UserData came in order, else by section.
        var order: [Int] = []
        if !ordered {
            order.reserveCapacity(n)
            for s in 0..<UInt8(3) {
                for i in 0..<n where sections[i] == s { order.append(i) }
            }
        }
        @inline(__always) func position(_ k: Int) -> Int { ordered ? k : order[k] }
        uses += 1
        defer { values.markTaken() }
        guard cacheable else {
            var fields: [String: EventValue] = [:]
            fields.reserveCapacity(n)
            for k in 0..<n {
                let i = position(k)
                fields[keyString(tokens[i])] = values.take(i)
            }
            return FlatEvent(fields: fields)
        }
        var hash = n
        for k in 0..<n { hash = (hash &* 31) &+ Int(truncatingIfNeeded: tokens[position(k)]) }
        for shape in shapes where shape.hash == hash && shape.tokens.count == n {
            var same = true
            for k in 0..<n where shape.tokens[k] != tokens[position(k)] {
                same = false
                break
            }
            guard same else { continue }
            shape.lastUse = uses
            // Unique (so updated in place) unless the caller still holds the previous event.
            var fields = shape.fields
            shape.fields = [:]
            let indices = shape.indices
            for k in 0..<n { fields.values[indices[k]] = values.take(position(k)) }
            shape.fields = fields
            return FlatEvent(fields: fields)
        }
        var fields: [String: EventValue] = [:]
        fields.reserveCapacity(n)
        var keys: [String] = []
        keys.reserveCapacity(n)
        var shapeTokens: [Int64] = []
        shapeTokens.reserveCapacity(n)
        for k in 0..<n {
            let i = position(k)
            let name = keyString(tokens[i])
            keys.append(name)
            shapeTokens.append(tokens[i])
            fields[name] = values.take(i)
        }
        var indices: [Dictionary<String, EventValue>.Index] = []
        indices.reserveCapacity(n)
        for name in keys {
            guard let index = fields.index(forKey: name) else { return FlatEvent(fields: fields) }
            indices.append(index)
        }
        if shapes.count >= Self.maxShapes, let oldest = shapes.indices.min(by: { shapes[$0].lastUse < shapes[$1].lastUse }) {
            shapes.remove(at: oldest)
        }
        shapes.append(Shape(tokens: shapeTokens, hash: hash, fields: fields, indices: indices, lastUse: uses))
        return FlatEvent(fields: fields)
    }

    // MARK: structure

    mutating func objectBegin() {
        let frame: Frame
        if let top = frames.last {
            switch top {
            case .top:
                if case .element(EvtxNameTable.event, 0) = key { frame = .event } else { frame = .ignore }
            case .event:
                switch key {
                case .element(EvtxNameTable.system, 0): frame = .system
                case .element(EvtxNameTable.eventData, 0): frame = .data(1)
                case .element(EvtxNameTable.userData, 0): frame = .data(2)
                default: frame = .ignore
                }
            case .system:
                if case .element(let id, let suffix) = key { frame = .systemChild(id, suffix) } else { frame = .ignore }
            case .systemChild(let id, let suffix):
                if case .special(.attributes) = key { frame = .systemAttributes(id, suffix) } else { frame = .ignore }
            case .data(let s):
                if case .special(.attributes) = key { frame = .ignore } else { frame = .dataChild(s) }
            case .systemAttributes, .dataChild, .ignore:
                frame = .ignore
            }
        } else {
            frame = .top
        }
        frames.append(frame)
        key = .none
    }

    mutating func objectEnd() { if frames.count > 0 { _ = frames.removeLast() } }
    mutating func arrayBegin() { frames.append(.ignore); key = .none }
    mutating func arrayEnd() { if frames.count > 0 { _ = frames.removeLast() } }
    mutating func comma() {}

    mutating func keyElement(_ name: Int32, suffix: Int) { key = .element(name, suffix) }
    mutating func keyAttribute(_ name: Int32) { key = .attribute(name) }
    mutating func keySpecial(_ k: EvtxSpecialKey) { key = .special(k) }

    mutating func keyText(_ head: Int32, _ r: EvtxRenderContext) throws(EvtxParseError) {
        guard case .data = frames.last else {
            key = .none
            return
        }
        let n = r.node(head)
        if n.next < 0 && n.kind == EvtxNodeKind.text16 {
            // The usual case: the Name is literal text of the template, at the same chunk position
            // for every record of the chunk.
            let cacheKey = Int64(n.off) << 32 | Int64(n.len)
            if let id = dataNameIDs.get(cacheKey) {
                key = .name(id)
                return
            }
            scratch.count = 0
            try r.writeText(head, skipElements: false, json: false, into: &scratch)
            let id = names.intern(Array(scratch.bytes))
            dataNameIDs.set(cacheKey, id)
            key = .name(id)
            return
        }
        dynamicNames.append(try render(head, skipElements: false, r))
        key = .dynamic(dynamicNames.count - 1)
    }

    /// The interned name of a Data Name text already met in this chunk.
    func dataNameID(_ cacheKey: Int64) -> Int32? { dataNameIDs.get(cacheKey) }

    // MARK: values

    /// The field token of a name id with a `_N` suffix (kind 1), of `Element[_N]_Attribute` (kind 2),
    /// of `#text`/`Data`/`#attributes` (kind 3), or of a name kept aside (kind 7).
    @inline(__always)
    private static func nameToken(_ id: Int32, _ suffix: Int) -> Int64 {
        1 << 56 | Int64(id) << 8 | Int64(suffix)
    }

    private mutating func dynamicToken(_ name: String) -> Int64 {
        dynamicNames.append(name)
        return dynamicToken(index: dynamicNames.count - 1)
    }

    private mutating func dynamicToken(index: Int) -> Int64 {
        cacheable = false
        return 7 << 56 | Int64(index)
    }

    private mutating func keyToken() -> Int64 {
        switch key {
        case .none: return dynamicToken("")
        case .element(let id, let suffix):
            return suffix < 256 ? Self.nameToken(id, suffix) : dynamicToken(names.string(id) + "_" + String(suffix))
        case .attribute(let id), .name(let id): return Self.nameToken(id, 0)
        case .special(.text): return 3 << 56
        case .special(.data): return 3 << 56 | 1
        case .special(.attributes): return 3 << 56 | 2
        case .dynamic(let i): return dynamicToken(index: i)
        }
    }

    /// Where a scalar value for the current key goes: (section, field token), or nil to drop it.
    private mutating func destination() -> (UInt8, Int64)? {
        guard let top = frames.last else { return nil }
        switch top {
        case .system:
            return (0, keyToken())
        case .systemChild(let id, let suffix):
            guard case .special(.text) = key else { return nil }
            return (0, suffix < 256 ? Self.nameToken(id, suffix) : dynamicToken(names.string(id) + "_" + String(suffix)))
        case .systemAttributes(let id, let suffix):
            guard case .attribute(let attr) = key else { return nil }
            if suffix < 256 { return (0, 2 << 56 | Int64(id) << 32 | Int64(attr) << 8 | Int64(suffix)) }
            return (0, dynamicToken(names.string(id) + "_" + String(suffix) + "_" + names.string(attr)))
        case .data(let s), .dataChild(let s):
            if case .special(.attributes) = key { return nil }
            return (s, keyToken())
        case .top, .event, .ignore:
            return nil
        }
    }

    @inline(__always)
    private mutating func store(_ section: UInt8, _ token: Int64, _ value: EventValue) {
        tokens.append(token)
        sections.append(section)
        values.append(value)
    }

    mutating func valueNull() { emit(.null) }
    mutating func valueEmptyString() { emit(.string("")) }

    mutating func valueNumber(_ node: EvtxNode, _ r: EvtxRenderContext) {
        guard let (section, token) = destination() else { key = .none; return }
        store(section, token, Self.number(node, r))
        key = .none
    }

    /// An integer or boolean value node as an event value.
    static func number(_ node: EvtxNode, _ r: EvtxRenderContext) -> EventValue {
        let chunk = r.chunk
        let off = Int(node.off)
        switch node.vtype {
        case EvtxValueType.int8: return .int(Int64(Int8(bitPattern: chunk.load(fromByteOffset: off, as: UInt8.self))))
        case EvtxValueType.uint8: return .int(Int64(chunk.load(fromByteOffset: off, as: UInt8.self)))
        case EvtxValueType.int16: return .int(Int64(Int16(bitPattern: evtxLoadU16(chunk, off))))
        case EvtxValueType.uint16: return .int(Int64(evtxLoadU16(chunk, off)))
        case EvtxValueType.int32: return .int(Int64(Int32(bitPattern: evtxLoadU32(chunk, off))))
        case EvtxValueType.uint32: return .int(Int64(evtxLoadU32(chunk, off)))
        case EvtxValueType.int64: return .int(Int64(bitPattern: evtxLoadU64(chunk, off)))
        case EvtxValueType.uint64:
            let v = evtxLoadU64(chunk, off)
            return v <= UInt64(Int64.max) ? .int(Int64(v)) : .string(String(v))
        default: return .bool(evtxLoadU32(chunk, off) != 0)
        }
    }

    mutating func valueText(_ head: Int32, skipElements: Bool, _ r: EvtxRenderContext) throws(EvtxParseError) {
        guard let (section, token) = destination() else { key = .none; return }
        let text = try render(head, skipElements: skipElements, r)
        store(section, token, .string(text))
        key = .none
    }

    private mutating func emit(_ value: EventValue) {
        if let (section, token) = destination() { store(section, token, value) }
        key = .none
    }

    /// The field name of a token.
    private mutating func keyString(_ token: Int64) -> String {
        let kind = token >> 56
        let a = Int32(truncatingIfNeeded: (token >> 32) & 0xFF_FFFF)
        let b = Int32(truncatingIfNeeded: (token >> 8) & 0xFF_FFFF)
        let suffix = Int(token & 0xFF)
        switch kind {
        case 1:
            return suffix == 0 ? names.string(b) : names.string(b) + "_" + String(suffix)
        case 2:
            if let s = attributeKeys.get(token) { return s }
            let element = suffix == 0 ? names.string(a) : names.string(a) + "_" + String(suffix)
            let s = element + "_" + names.string(b)
            attributeKeys.set(token, s)
            return s
        case 3:
            switch token & 0xFF {
            case 0: return "#text"
            case 1: return "Data"
            default: return "#attributes"
            }
        default:
            let i = Int(token & 0xFFFF_FFFF)
            return i < dynamicNames.count ? dynamicNames[i] : ""
        }
    }

    private mutating func render(_ head: Int32, skipElements: Bool, _ r: EvtxRenderContext) throws(EvtxParseError) -> String {
        scratch.count = 0
        try r.writeText(head, skipElements: skipElements, json: false, into: &scratch)
        budget -= scratch.count
        if budget < 0 { throw EvtxParseError("the record's text is larger than \(EvtxRenderContext.maxOutput >> 20) MiB", at: -1) }
        return String(decoding: scratch.bytes, as: UTF8.self)
    }
}

// MARK: - direct flattening

/// The usual record shapes flattened without walking the JSON structure: the same fields as the
/// generic walk (`EvtxRenderContext.render` into this sink), for less work. `flattenDirect` returns
/// false when the record has a shape it leaves to the generic walk (the caller then resets and walks).
extension EvtxFlattener {
    private static let textToken: Int64 = 3 << 56

    /// Suffix bookkeeping for the children of one element (`Header`, `Header_1`, ...): a bit per name
    /// id (mod 64) met, and a scan of the earlier siblings only when the bit is set.
    private struct Suffixes {
        var seen: UInt64 = 0
        let first: Int32
        let skipData: Bool

        init(first: Int32, skipData: Bool = false) {
            self.first = first
            self.skipData = skipData
        }

        mutating func next(_ name: Int32, at position: Int32, _ r: EvtxRenderContext) -> Int {
            let bit: UInt64 = 1 << UInt64(UInt32(bitPattern: name) & 63)
            defer { seen |= bit }
            if seen & bit == 0 { return 0 }
            var n = 0
            var c = first
            while c >= 0 && c != position {
                let x = r.node(c)
                if x.kind == EvtxNodeKind.element && x.a == name && !(skipData && x.a == EvtxNameTable.data) { n += 1 }
                c = x.next
            }
            return n
        }
    }

    private enum Rendering { case null, scalar, object }

    /// What the element renders as (the crate's `write_element_value` decision).
    private static func rendering(_ e: EvtxNode, _ r: EvtxRenderContext) -> (Rendering, hasText: Bool) {
        let hasText = r.hasNonEmptyText(e.first)
        var a = e.attrFirst
        while a >= 0 {
            let attr = r.node(a)
            if r.hasNonEmptyText(attr.first) { return (.object, hasText) }
            a = attr.next
        }
        if e.hasElementChild { return (.object, hasText) }
        return (hasText ? .scalar : .null, hasText)
    }

    private mutating func content(_ head: Int32, skipElements: Bool, _ r: EvtxRenderContext) throws(EvtxParseError) -> EventValue {
        if let n = skipElements ? r.singleNumberSkippingElements(head) : r.singleNumber(head) { return Self.number(n, r) }
        return .string(try render(head, skipElements: skipElements, r))
    }

    mutating func flattenDirect(_ root: Int32, _ r: EvtxRenderContext) throws(EvtxParseError) -> Bool {
        let e = r.node(root)
        // Only an `Event` object has fields (a null or scalar root has none).
        guard e.a == EvtxNameTable.event, Self.rendering(e, r).0 == .object else { return true }
        var suffixes = Suffixes(first: e.first)
        var c = e.first
        while c >= 0 {
            let at = c
            let child = r.node(c)
            c = child.next
            guard child.kind == EvtxNodeKind.element else { continue }
            guard suffixes.next(child.a, at: at, r) == 0 else { continue }
            switch child.a {
            case EvtxNameTable.system:
                guard try system(child, r) else { return false }
            case EvtxNameTable.eventData:
                guard try container(child, section: 1, r) else { return false }
            case EvtxNameTable.userData:
                guard try container(child, section: 2, r) else { return false }
            default:
                break
            }
        }
        return true
    }

    private mutating func system(_ e: EvtxNode, _ r: EvtxRenderContext) throws(EvtxParseError) -> Bool {
        let (shape, hasText) = Self.rendering(e, r)
        guard shape == .object else { return true }
        if hasText { store(0, Self.textToken, try content(e.first, skipElements: true, r)) }
        var suffixes = Suffixes(first: e.first)
        var c = e.first
        while c >= 0 {
            let at = c
            let child = r.node(c)
            c = child.next
            guard child.kind == EvtxNodeKind.element else { continue }
            let suffix = suffixes.next(child.a, at: at, r)
            guard suffix < 256 else { return false }
            let token = Self.nameToken(child.a, suffix)
            let (childShape, childText) = Self.rendering(child, r)
            switch childShape {
            case .null:
                store(0, token, .null)
            case .scalar:
                store(0, token, try content(child.first, skipElements: false, r))
            case .object:
                var a = child.attrFirst
                while a >= 0 {
                    let attr = r.node(a)
                    a = attr.next
                    guard r.hasNonEmptyText(attr.first) else { continue }
                    let attrToken: Int64 = 2 << 56 | Int64(child.a) << 32 | Int64(attr.a) << 8 | Int64(suffix)
                    store(0, attrToken, try content(attr.first, skipElements: false, r))
                }
                if childText { store(0, token, try content(child.first, skipElements: true, r)) }
            }
        }
        return true
    }

    /// EventData / UserData: named Data by their Name, a single positional Data as `#text`, other
    /// children by name (their scalar members when they are objects).
    private mutating func container(_ e: EvtxNode, section: UInt8, _ r: EvtxRenderContext) throws(EvtxParseError) -> Bool {
        let (shape, hasText) = Self.rendering(e, r)
        guard shape == .object else { return true }
        if hasText { store(section, Self.textToken, try content(e.first, skipElements: true, r)) }
        var named = false
        var positional = 0
        var c = e.first
        while c >= 0 {
            let child = r.node(c)
            if child.kind == EvtxNodeKind.element && child.a == EvtxNameTable.data {
                if let nameValues = r.nameAttributeValues(child), r.hasNonEmptyText(nameValues) {
                    named = true
                    break
                }
                positional += 1
            }
            c = child.next
        }
        var positionalDone = false
        var suffixes = Suffixes(first: e.first, skipData: true)
        c = e.first
        while c >= 0 {
            let at = c
            let child = r.node(c)
            c = child.next
            guard child.kind == EvtxNodeKind.element else { continue }
            if child.a == EvtxNameTable.data {
                if named {
                    guard let nameValues = r.nameAttributeValues(child), r.hasNonEmptyText(nameValues) else { continue }
                    let n = r.node(nameValues)
                    guard n.next < 0, n.kind == EvtxNodeKind.text16, !child.hasElementChild else { return false }
                    let cacheKey = Int64(n.off) << 32 | Int64(n.len)
                    let id: Int32
                    if let known = dataNameID(cacheKey) {
                        id = known
                    } else {
                        try keyText(nameValues, r)  // interns and caches the name
                        guard let made = dataNameID(cacheKey) else { return false }
                        id = made
                    }
                    let value: EventValue = r.hasNonEmptyText(child.first) ? try content(child.first, skipElements: false, r) : .string("")
                    store(section, Self.nameToken(id, 0), value)
                } else if !positionalDone {
                    positionalDone = true
                    // {"Data": {"#text": value}}: one Data gives `#text`, several a list (dropped).
                    if positional == 1 {
                        guard !child.hasElementChild else { return false }
                        let value: EventValue = r.hasNonEmptyText(child.first) ? try content(child.first, skipElements: false, r) : .string("")
                        store(section, Self.textToken, value)
                    }
                }
                continue
            }
            let suffix = suffixes.next(child.a, at: at, r)
            guard suffix < 256 else { return false }
            let (childShape, childText) = Self.rendering(child, r)
            switch childShape {
            case .null:
                store(section, Self.nameToken(child.a, suffix), .null)
            case .scalar:
                store(section, Self.nameToken(child.a, suffix), try content(child.first, skipElements: false, r))
            case .object:
                // A container inside a container flattens its Data: left to the generic walk.
                guard child.a != EvtxNameTable.eventData && child.a != EvtxNameTable.userData else { return false }
                if childText { store(section, Self.textToken, try content(child.first, skipElements: true, r)) }
                var inner = Suffixes(first: child.first)
                var g = child.first
                while g >= 0 {
                    let gAt = g
                    let grand = r.node(g)
                    g = grand.next
                    guard grand.kind == EvtxNodeKind.element else { continue }
                    let s = inner.next(grand.a, at: gAt, r)
                    guard s < 256 else { return false }
                    switch Self.rendering(grand, r).0 {
                    case .null: store(section, Self.nameToken(grand.a, s), .null)
                    case .scalar: store(section, Self.nameToken(grand.a, s), try content(grand.first, skipElements: false, r))
                    case .object: break
                    }
                }
            }
        }
        return true
    }
}
