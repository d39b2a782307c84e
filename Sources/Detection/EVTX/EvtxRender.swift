import Foundation

/// Keys the crate's JSON layout adds to element objects.
enum EvtxSpecialKey {
    case attributes  // "#attributes"
    case text        // "#text"
    case data        // "Data" (positional, unnamed Data elements)
}

/// Receives the JSON structure of a record, as the walker produces it: the JSON writer prints it, the
/// flattener keeps the fields hunting needs.
protocol EvtxJSONSink {
    mutating func objectBegin()
    mutating func objectEnd()
    mutating func arrayBegin()
    mutating func arrayEnd()
    mutating func comma()
    mutating func keyElement(_ name: Int32, suffix: Int)
    mutating func keyAttribute(_ name: Int32)
    mutating func keySpecial(_ key: EvtxSpecialKey)
    /// A key made of text content (the `Name` attribute of `<Data>`).
    mutating func keyText(_ head: Int32, _ r: EvtxRenderContext) throws(EvtxParseError)
    mutating func valueNull()
    mutating func valueEmptyString()
    /// An integer or boolean value node.
    mutating func valueNumber(_ node: EvtxNode, _ r: EvtxRenderContext)
    /// A string made of the text content of a node list.
    mutating func valueText(_ head: Int32, skipElements: Bool, _ r: EvtxRenderContext) throws(EvtxParseError)
}

/// The tree of one record plus what rendering needs: the chunk bytes its nodes point into and the names.
struct EvtxRenderContext {
    /// The record's nodes (no node is added while rendering, so the pointer stays valid).
    let nodes: UnsafeMutablePointer<EvtxNode>
    let chunk: UnsafeRawPointer
    let keys: EvtxNameKeys

    init(store: EvtxNodeStore, chunk: UnsafeRawPointer, names: EvtxNameTable) {
        nodes = store.base
        self.chunk = chunk
        keys = names.keys
    }

    @inline(__always)
    func node(_ i: Int32) -> EvtxNode { nodes[Int(i)] }

    /// A record whose text grows beyond this fails (hostile templates repeating large values).
    static let maxOutput = 32 << 20
    /// Elements nested deeper than this fail the record (embedded fragments can stack up).
    static let maxDepth = 200

    // MARK: predicates (the crate's `has_non_empty_text_content`, `try_write_as_number`, ...)

    @inline(__always)
    func valueIsEmpty(_ n: EvtxNode) -> Bool {
        if n.vtype == EvtxValueType.null { return true }
        if n.vtype == EvtxValueType.binary || n.vtype == EvtxValueType.binXml || n.vtype & EvtxValueType.arrayFlag != 0 {
            return n.len == 0
        }
        return false
    }

    @inline(__always)
    func isNonEmptyText(_ n: EvtxNode) -> Bool {
        switch n.kind {
        case EvtxNodeKind.text16, EvtxNodeKind.text8, EvtxNodeKind.cdata: return n.len > 0
        case EvtxNodeKind.value: return !valueIsEmpty(n)
        case EvtxNodeKind.charRef, EvtxNodeKind.entityRef: return true
        default: return false
        }
    }

    func hasNonEmptyText(_ head: Int32) -> Bool {
        var i = head
        while i >= 0 {
            let n = node(i)
            if isNonEmptyText(n) { return true }
            i = n.next
        }
        return false
    }

    /// The single node of a list when it is an integer/boolean value.
    @inline(__always)
    func singleNumber(_ head: Int32) -> EvtxNode? {
        guard head >= 0 else { return nil }
        let n = node(head)
        guard n.next < 0, n.kind == EvtxNodeKind.value, EvtxValueType.isJSONNumber(n.vtype) else { return nil }
        return n
    }

    /// The crate's `try_write_as_number_skip_elements`: the only non-empty value, when numeric.
    func singleNumberSkippingElements(_ head: Int32) -> EvtxNode? {
        var single: EvtxNode? = nil
        var i = head
        while i >= 0 {
            let n = node(i)
            switch n.kind {
            case EvtxNodeKind.text16, EvtxNodeKind.text8, EvtxNodeKind.cdata:
                if n.len > 0 { return nil }
            case EvtxNodeKind.value:
                if !valueIsEmpty(n) {
                    if single != nil { return nil }
                    single = n
                }
            case EvtxNodeKind.charRef, EvtxNodeKind.entityRef:
                return nil
            default:
                break
            }
            i = n.next
        }
        guard let single, EvtxValueType.isJSONNumber(single.vtype) else { return nil }
        return single
    }

    func nameAttributeValues(_ element: EvtxNode) -> Int32? {
        var a = element.attrFirst
        while a >= 0 {
            let attr = node(a)
            if attr.a == EvtxNameTable.name { return attr.first }
            a = attr.next
        }
        return nil
    }

    // MARK: text

    /// Text content of a node list: strings, values as text, `&#N;` and `&name;`; processing
    /// instructions contribute nothing; an element is an error unless `skipElements`.
    func writeText(_ head: Int32, skipElements: Bool, json: Bool, into out: inout EvtxByteBuffer) throws(EvtxParseError) {
        var i = head
        while i >= 0 {
            let n = node(i)
            switch n.kind {
            case EvtxNodeKind.text16, EvtxNodeKind.cdata:
                out.writeUTF16(chunk, Int(n.off), Int(n.len), json: json)
            case EvtxNodeKind.text8:
                out.writeAnsi(chunk, Int(n.off), Int(n.len), json: json)
            case EvtxNodeKind.value:
                try writeValue(n, json: json, into: &out)
            case EvtxNodeKind.charRef:
                out.append("&#")
                out.writeUInt64(UInt64(UInt16(truncatingIfNeeded: n.a)))
                out.append(UInt8(ascii: ";"))
            case EvtxNodeKind.entityRef:
                // The XML predefined entities become their character, as in the crate; others stay `&name;`.
                let name = keys.utf8(n.a)
                if let ch = evtxPredefinedEntity(name) {
                    withUnsafeBytes(of: ch) { out.writeUTF8($0, json: json) }
                } else {
                    out.append(UInt8(ascii: "&"))
                    out.writeUTF8(name, json: json)
                    out.append(UInt8(ascii: ";"))
                }
            case EvtxNodeKind.piTarget, EvtxNodeKind.piData:
                break
            case EvtxNodeKind.element:
                if !skipElements { throw EvtxParseError("element inside text content", at: -1) }
            default:
                throw EvtxParseError("unresolved substitution in the record", at: -1)
            }
            if out.count > Self.maxOutput {
                throw EvtxParseError("the record's text is larger than \(Self.maxOutput >> 20) MiB", at: -1)
            }
            i = n.next
        }
    }

    /// A value as text (the crate's `ValueRenderer`): integers in decimal, `0x…` hex, upper-case GUIDs
    /// and binary, ISO times with microseconds, SIDs, arrays comma-separated.
    func writeValue(_ n: EvtxNode, json: Bool, into out: inout EvtxByteBuffer) throws(EvtxParseError) {
        let off = Int(n.off)
        let len = Int(n.len)
        let t = n.vtype
        if t & EvtxValueType.arrayFlag != 0 {
            switch t {
            case EvtxValueType.stringArray:
                var p = off
                var itemStart = off
                var first = true
                while p + 2 <= off + len {
                    if evtxLoadU16(chunk, p) == 0 {
                        if !first { out.append(UInt8(ascii: ",")) }
                        first = false
                        out.writeUTF16(chunk, itemStart, (p - itemStart) / 2, json: json)
                        itemStart = p + 2
                    }
                    p += 2
                }
            case EvtxValueType.sidArray:
                var p = off
                var first = true
                while p + 8 <= off + len {
                    let size = 8 + 4 * Int(chunk.load(fromByteOffset: p + 1, as: UInt8.self))
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    out.writeSID(chunk, p, size)
                    p += size
                }
            default:
                let item = EvtxValueType.fixedSize(t)
                guard item > 0 else { throw EvtxParseError("unsupported array type", at: off) }
                var p = off
                var first = true
                while p + item <= off + len {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    try writeScalar(t & 0x7F, p, item, into: &out)
                    p += item
                }
            }
            return
        }
        try writeScalar(t, off, len, into: &out)
    }

    @inline(__always)
    private func writeScalar(_ t: UInt8, _ off: Int, _ len: Int, into out: inout EvtxByteBuffer) throws(EvtxParseError) {
        switch t {
        case EvtxValueType.null: break
        case EvtxValueType.int8: out.writeInt64(Int64(Int8(bitPattern: chunk.load(fromByteOffset: off, as: UInt8.self))))
        case EvtxValueType.uint8: out.writeUInt64(UInt64(chunk.load(fromByteOffset: off, as: UInt8.self)))
        case EvtxValueType.int16: out.writeInt64(Int64(Int16(bitPattern: evtxLoadU16(chunk, off))))
        case EvtxValueType.uint16: out.writeUInt64(UInt64(evtxLoadU16(chunk, off)))
        case EvtxValueType.int32: out.writeInt64(Int64(Int32(bitPattern: evtxLoadU32(chunk, off))))
        case EvtxValueType.uint32: out.writeUInt64(UInt64(evtxLoadU32(chunk, off)))
        case EvtxValueType.int64: out.writeInt64(Int64(bitPattern: evtxLoadU64(chunk, off)))
        case EvtxValueType.uint64: out.writeUInt64(evtxLoadU64(chunk, off))
        case EvtxValueType.real32: out.writeFloat(Float(bitPattern: evtxLoadU32(chunk, off)))
        case EvtxValueType.real64: out.writeFloat(Double(bitPattern: evtxLoadU64(chunk, off)))
        case EvtxValueType.bool: out.append(evtxLoadU32(chunk, off) != 0 ? "true" : "false")
        case EvtxValueType.binary: out.writeHexUpper(chunk, off, len)
        case EvtxValueType.guid: out.writeGUID(chunk, off)
        case EvtxValueType.fileTime:
            guard let t = EvtxDateTime.fromFiletime(evtxLoadU64(chunk, off)) else { throw EvtxParseError("FILETIME out of range", at: off) }
            out.writeDateTime(t)
        case EvtxValueType.sysTime:
            guard let t = EvtxDateTime.fromSystemtime(chunk, off) else { throw EvtxParseError("invalid SYSTEMTIME", at: off) }
            out.writeDateTime(t)
        case EvtxValueType.sid: out.writeSID(chunk, off, len)
        case EvtxValueType.hexInt32: out.writeHexPrefixed(UInt64(evtxLoadU32(chunk, off)))
        case EvtxValueType.hexInt64: out.writeHexPrefixed(evtxLoadU64(chunk, off))
        default: throw EvtxParseError("unsupported value type 0x\(String(t, radix: 16)) in the record", at: off)
        }
    }

    // MARK: the walk (the crate's `ir_json` layout)

    /// `{"<root>": <value>}`.
    func render<S: EvtxJSONSink>(root: Int32, into sink: inout S) throws(EvtxParseError) {
        let r = node(root)
        sink.objectBegin()
        sink.keyElement(r.a, suffix: 0)
        try elementValue(r, childIsContainer: false, depth: 1, into: &sink)
        sink.objectEnd()
    }

    /// null, a scalar (number or text), or an object with `#attributes`, `#text` and child elements.
    private func elementValue<S: EvtxJSONSink>(_ e: EvtxNode, childIsContainer: Bool, depth: Int, into sink: inout S) throws(EvtxParseError) {
        let hasText = hasNonEmptyText(e.first)
        var hasAttributeText = false
        var a = e.attrFirst
        while a >= 0 {
            let attr = node(a)
            if hasNonEmptyText(attr.first) { hasAttributeText = true; break }
            a = attr.next
        }
        if !e.hasElementChild && !hasText && !hasAttributeText {
            sink.valueNull()
        } else if !e.hasElementChild && !hasAttributeText {
            try contentValue(e.first, into: &sink)
        } else {
            try elementBody(e, inDataContainer: childIsContainer, depth: depth, hasText: hasText, into: &sink)
        }
    }

    @inline(__always)
    private func contentValue<S: EvtxJSONSink>(_ head: Int32, into sink: inout S) throws(EvtxParseError) {
        if let n = singleNumber(head) {
            sink.valueNumber(n, self)
        } else {
            try sink.valueText(head, skipElements: false, self)
        }
    }

    private func dataElementValue<S: EvtxJSONSink>(_ e: EvtxNode, depth: Int, into sink: inout S) throws(EvtxParseError) {
        if e.hasElementChild {
            try elementBody(e, inDataContainer: false, depth: depth, into: &sink)
        } else if !hasNonEmptyText(e.first) {
            sink.valueEmptyString()
        } else {
            try contentValue(e.first, into: &sink)
        }
    }

    /// How many earlier siblings (other than container `Data`) share `child`'s name.
    private func suffixFor(_ child: EvtxNode, in e: EvtxNode, inDataContainer: Bool, seen: Int, counts: inout [Int32: Int]?) -> Int {
        if seen >= 64 || counts != nil {
            var table: [Int32: Int]
            if let existing = counts {
                table = existing
                counts = nil
            } else {
                table = [:]
                var c = e.first
                var k = 0
                while c >= 0 && k < seen {
                    let n = node(c)
                    if n.kind == EvtxNodeKind.element && !(inDataContainer && n.a == EvtxNameTable.data) {
                        table[n.a, default: 0] += 1
                        k += 1
                    }
                    c = n.next
                }
            }
            let s = table[child.a, default: 0]
            table[child.a] = s + 1
            counts = table
            return s
        }
        var suffix = 0
        var c = e.first
        var k = 0
        while c >= 0 && k < seen {
            let n = node(c)
            if n.kind == EvtxNodeKind.element && !(inDataContainer && n.a == EvtxNameTable.data) {
                if n.a == child.a { suffix += 1 }
                k += 1
            }
            c = n.next
        }
        return suffix
    }

    private func elementBody<S: EvtxJSONSink>(_ e: EvtxNode, inDataContainer: Bool, depth: Int, hasText known: Bool? = nil,
                                              into sink: inout S) throws(EvtxParseError) {
        guard depth < Self.maxDepth else {
            throw EvtxParseError("elements nested deeper than \(Self.maxDepth) levels", at: -1)
        }
        // EventData/UserData whose Data elements carry a Name are flattened to "Name": value.
        var flattenNamedData = false
        var positionalCount = 0
        if inDataContainer {
            var c = e.first
            while c >= 0 {
                let child = node(c)
                if child.kind == EvtxNodeKind.element && child.a == EvtxNameTable.data {
                    if let nameValues = nameAttributeValues(child), hasNonEmptyText(nameValues) {
                        // Named: the positional count is not needed.
                        flattenNamedData = true
                        break
                    }
                    positionalCount += 1
                }
                c = child.next
            }
        }

        sink.objectBegin()
        var wroteAny = false

        var a = e.attrFirst
        var wroteAttributes = false
        while a >= 0 {
            let attr = node(a)
            if hasNonEmptyText(attr.first) {
                if !wroteAttributes {
                    sink.keySpecial(.attributes)
                    sink.objectBegin()
                    wroteAttributes = true
                } else {
                    sink.comma()
                }
                sink.keyAttribute(attr.a)
                if let n = singleNumber(attr.first) {
                    sink.valueNumber(n, self)
                } else {
                    try sink.valueText(attr.first, skipElements: false, self)
                }
            }
            a = attr.next
        }
        if wroteAttributes {
            sink.objectEnd()
            wroteAny = true
        }

        if known ?? hasNonEmptyText(e.first) {
            if wroteAny { sink.comma() }
            wroteAny = true
            sink.keySpecial(.text)
            if let n = singleNumberSkippingElements(e.first) {
                sink.valueNumber(n, self)
            } else {
                try sink.valueText(e.first, skipElements: true, self)
            }
        }

        var positionalDone = false
        // Children beyond this many get their `_N` suffixes from a dictionary instead of a backward scan;
        // `seenNames` (one bit per name id mod 64) skips the scan for names not met yet.
        var counts: [Int32: Int]? = nil
        var elementChildren = 0
        var seenNames: UInt64 = 0
        var c = e.first
        while c >= 0 {
            let child = node(c)
            c = child.next
            guard child.kind == EvtxNodeKind.element else { continue }
            if inDataContainer && child.a == EvtxNameTable.data {
                if flattenNamedData {
                    guard let nameValues = nameAttributeValues(child), hasNonEmptyText(nameValues) else { continue }
                    if wroteAny { sink.comma() }
                    wroteAny = true
                    try sink.keyText(nameValues, self)
                    try dataElementValue(child, depth: depth + 1, into: &sink)
                } else if !positionalDone && positionalCount > 0 {
                    if wroteAny { sink.comma() }
                    wroteAny = true
                    positionalDone = true
                    sink.keySpecial(.data)
                    sink.objectBegin()
                    sink.keySpecial(.text)
                    if positionalCount == 1 {
                        try dataElementValue(child, depth: depth + 1, into: &sink)
                    } else {
                        sink.arrayBegin()
                        var first = true
                        var d = e.first
                        while d >= 0 {
                            let candidate = node(d)
                            if candidate.kind == EvtxNodeKind.element && candidate.a == EvtxNameTable.data {
                                if !first { sink.comma() }
                                first = false
                                try dataElementValue(candidate, depth: depth + 1, into: &sink)
                            }
                            d = candidate.next
                        }
                        sink.arrayEnd()
                    }
                    sink.objectEnd()
                }
                continue
            }
            // Repeated names get `_1`, `_2`, ... (Header, Header_1, ...).
            let bit: UInt64 = 1 << UInt64(UInt32(bitPattern: child.a) & 63)
            let suffix = seenNames & bit == 0 && counts == nil && elementChildren < 64
                ? 0 : suffixFor(child, in: e, inDataContainer: inDataContainer, seen: elementChildren, counts: &counts)
            seenNames |= bit
            elementChildren += 1
            if wroteAny { sink.comma() }
            wroteAny = true
            sink.keyElement(child.a, suffix: suffix)
            let isContainer = child.a == EvtxNameTable.eventData || child.a == EvtxNameTable.userData
            try elementValue(child, childIsContainer: isContainer, depth: depth + 1, into: &sink)
        }
        sink.objectEnd()
    }
}

// MARK: - JSON writer

/// Prints the structure as compact JSON into a byte buffer.
struct EvtxJSONWriter: EvtxJSONSink {
    var out: EvtxByteBuffer
    let keys: EvtxNameKeys

    mutating func objectBegin() { out.append(UInt8(ascii: "{")) }
    mutating func objectEnd() { out.append(UInt8(ascii: "}")) }
    mutating func arrayBegin() { out.append(UInt8(ascii: "[")) }
    mutating func arrayEnd() { out.append(UInt8(ascii: "]")) }
    mutating func comma() { out.append(UInt8(ascii: ",")) }

    mutating func keyElement(_ name: Int32, suffix: Int) {
        if suffix == 0 {
            out.append(keys.jsonKey(name))
        } else {
            out.append(UInt8(ascii: "\""))
            out.writeUTF8(keys.utf8(name), json: true)
            out.append(UInt8(ascii: "_"))
            out.writeUInt64(UInt64(suffix))
            out.append("\":")
        }
    }

    mutating func keyAttribute(_ name: Int32) { out.append(keys.jsonKey(name)) }

    mutating func keySpecial(_ key: EvtxSpecialKey) {
        switch key {
        case .attributes: out.append("\"#attributes\":")
        case .text: out.append("\"#text\":")
        case .data: out.append("\"Data\":")
        }
    }

    mutating func keyText(_ head: Int32, _ r: EvtxRenderContext) throws(EvtxParseError) {
        out.append(UInt8(ascii: "\""))
        try r.writeText(head, skipElements: false, json: true, into: &out)
        out.append("\":")
    }

    mutating func valueNull() { out.append("null") }
    mutating func valueEmptyString() { out.append("\"\"") }

    mutating func valueNumber(_ node: EvtxNode, _ r: EvtxRenderContext) {
        // Integers and booleans never fail to render.
        try? r.writeValue(node, json: true, into: &out)
    }

    mutating func valueText(_ head: Int32, skipElements: Bool, _ r: EvtxRenderContext) throws(EvtxParseError) {
        out.append(UInt8(ascii: "\""))
        try r.writeText(head, skipElements: skipElements, json: true, into: &out)
        out.append(UInt8(ascii: "\""))
    }
}

/// The character of `&lt;`, `&gt;`, `&amp;`, `&quot;` and `&apos;`.
func evtxPredefinedEntity(_ name: UnsafeRawBufferPointer) -> UInt8? {
    switch Array(name) {
    case [0x6C, 0x74]: return UInt8(ascii: "<")
    case [0x67, 0x74]: return UInt8(ascii: ">")
    case [0x61, 0x6D, 0x70]: return UInt8(ascii: "&")
    case [0x71, 0x75, 0x6F, 0x74]: return UInt8(ascii: "\"")
    case [0x61, 0x70, 0x6F, 0x73]: return UInt8(ascii: "'")
    default: return nil
    }
}
