import Foundation

/// One substitution value of a template instance: raw bytes in the chunk, or the parsed root of an
/// embedded BinXML fragment.
struct EvtxSubValue {
    var vtype: UInt8
    var off: Int32
    var len: Int32
    /// Root element of an embedded BinXML value (type 0x21), -1 otherwise or when empty.
    var elem: Int32 = -1
    /// Whether `elem` has been placed in the tree already (a second use gets a copy).
    var used = false
    /// Items of an array value.
    var count: Int32 = 0
}

/// A template's GUID, the key of the crate's per-chunk template cache.
struct EvtxGUIDKey: Hashable {
    var lo: UInt64
    var hi: UInt64
}

/// Parses the BinXML of one chunk's records into a tree, following the Rust `evtx` crate (0.13, the
/// one inside the `evtx` 0.14 Python package): templates are parsed once per chunk (cached by GUID),
/// instantiated by cloning with their substitution values, embedded BinXML values become elements,
/// optional substitutions with empty values disappear, and array values repeat their element.
///
/// The chunk buffer is owned by the reader; this class keeps per-chunk caches (names by offset,
/// templates by offset and GUID) that `beginChunk()` invalidates.
final class EvtxBinXmlParser {
    static let chunkSize = 65536
    /// Nested template instances / embedded BinXML deeper than this fail the record (template loops).
    static let maxNesting = 16
    /// Elements nested deeper than this in one BinXML fragment fail the record (keeps recursion bounded).
    static let maxElementDepth = 64

    /// Tokens read plus nodes made per chunk beyond this fail the remaining records of the chunk:
    /// templates make records expand (a few bytes can stamp out a large template), and this keeps a
    /// hostile chunk's cost bounded (a normal chunk needs well under a million).
    static let maxWorkPerChunk = 32 << 20

    let chunk: UnsafeRawPointer
    let names: EvtxNameTable
    @exclusivity(unchecked) private var work = 0
    let templates = EvtxNodeStore(capacity: 4096, limit: 1 << 20)
    let record = EvtxNodeStore(capacity: 1024, limit: 1 << 19)

    @exclusivity(unchecked) private var generation: UInt32 = 1
    private let nameGen: UnsafeMutablePointer<UInt32>
    private let nameID: UnsafeMutablePointer<Int32>
    private let templateGen: UnsafeMutablePointer<UInt32>
    private let templateRoot: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var templateErrors: [Int: EvtxParseError] = [:]
    @exclusivity(unchecked) private var templatesByGUID: [EvtxGUIDKey: Int32] = [:]
    /// Templates whose parse is under way (a template that instantiates itself).
    @exclusivity(unchecked) private var templatesInProgress: Set<Int> = []

    @exclusivity(unchecked) var subValues = EvtxVector<EvtxSubValue>(capacity: 256)
    @exclusivity(unchecked) private var stack = EvtxVector<Int32>(capacity: 64)
    @exclusivity(unchecked) private var descriptors = EvtxVector<(size: Int, vtype: UInt8)>(capacity: 64)
    @exclusivity(unchecked) private var nameScratch: [UInt8] = []

    init(chunk: UnsafeRawPointer, names: EvtxNameTable) {
        self.chunk = chunk
        self.names = names
        // Zeroed by calloc (untouched pages cost nothing); an entry counts only when its generation
        // stamp is the current chunk's, and generations start at 1.
        let n = Self.chunkSize
        nameGen = Self.zeroed(UInt32.self, n)
        nameID = Self.zeroed(Int32.self, n)
        templateGen = Self.zeroed(UInt32.self, n)
        templateRoot = Self.zeroed(Int32.self, n)
    }

    deinit {
        subValues.deallocate()
        stack.deallocate()
        descriptors.deallocate()
        free(nameGen)
        free(nameID)
        free(templateGen)
        free(templateRoot)
    }

    private static func zeroed<T>(_: T.Type, _ n: Int) -> UnsafeMutablePointer<T> {
        if let p = calloc(n, MemoryLayout<T>.stride) { return p.assumingMemoryBound(to: T.self) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: n * MemoryLayout<T>.stride)
        return raw.assumingMemoryBound(to: T.self)
    }

    /// Changes with every chunk (never repeats for this parser): keys caches tied to chunk offsets.
    var chunkGeneration: Int { Int(generation) }

    /// A new chunk was loaded into the buffer: forget everything tied to the previous one.
    func beginChunk() {
        generation &+= 1
        if generation == 0 {
            nameGen.update(repeating: 0, count: Self.chunkSize)
            templateGen.update(repeating: 0, count: Self.chunkSize)
            generation = 1
        }
        templates.reset()
        work = 0
        chunkPrograms.removeAll(keepingCapacity: true)
        templateErrors.removeAll(keepingCapacity: true)
        templatesByGUID.removeAll(keepingCapacity: true)
        templatesInProgress.removeAll(keepingCapacity: true)
        names.trim()
    }

    /// Builds the tree of one record whose BinXML starts at `offset` (inside the chunk) and is `size`
    /// bytes long; returns the root element in `record`.
    func parseRecord(offset: Int, size: Int) throws(EvtxParseError) -> Int32 {
        record.reset()
        subValues.removeAll()
        stack.removeAll()
        return try build(into: record, start: offset, size: size, templateMode: false, hasDependencyID: false, nesting: 0)
    }

    // MARK: token loop

    /// The crate's `build_tree_from_binxml_bytes_direct_with_mode`: reads tokens until end-of-stream or
    /// `size` bytes, and returns the root element. In template mode substitutions become placeholders;
    /// in record mode template instances are instantiated where they appear.
    private func build(into store: EvtxNodeStore, start: Int, size: Int, templateMode: Bool,
                       hasDependencyID: Bool, nesting: Int) throws(EvtxParseError) -> Int32 {
        guard nesting <= Self.maxNesting else {
            throw EvtxParseError("templates and embedded BinXML nest deeper than \(Self.maxNesting) levels (a template loop?)", at: start)
        }
        var cur = EvtxCursor(base: chunk, limit: Self.chunkSize, pos: 0)
        try cur.seek(start, "BinXML start")
        let stackBase = stack.count
        defer { stack.truncate(to: stackBase) }
        var current: Int32 = -1      // element whose start tag is being read (attributes)
        var currentAttr: Int32 = -1  // attribute collecting values
        var root: Int32 = -1
        var dataRead = 0
        var eof = false

        func finishAttribute() {
            if currentAttr >= 0 {
                if store[currentAttr].first >= 0 { store.appendAttribute(current, currentAttr) }
                currentAttr = -1
            }
        }

        func attach(_ element: Int32, at offset: Int) throws(EvtxParseError) {
            if stack.count > stackBase {
                store.appendChild(stack[stack.count - 1], element)
            } else if root < 0 {
                root = element
            } else if templateMode {
                throw EvtxParseError("template definition has more than one root element", at: offset)
            }
            // Record mode: further roots are ignored (the crate keeps the first).
        }

        func push(_ node: EvtxNode, at offset: Int) throws(EvtxParseError) {
            if current >= 0 {
                if currentAttr >= 0 {
                    let id = try store.append(node)
                    var attr = store[currentAttr]
                    if attr.last < 0 { attr.first = id } else { store[attr.last].next = id }
                    attr.last = id
                    store[currentAttr] = attr
                }
                return
            }
            guard stack.count > stackBase else {
                throw EvtxParseError("text or value outside of any element", at: offset)
            }
            let id = try store.append(node)
            store.appendChild(stack[stack.count - 1], id)
        }

        while !eof && dataRead < size {
            work &+= 1
            if work > Self.maxWorkPerChunk { throw workExceeded(cur.pos) }
            let tokenStart = cur.pos
            let token = try cur.u8("BinXML token")
            switch token {
            case 0x00:
                eof = true
            case 0x0C:
                let instance = try readTemplateInstance(&cur, nesting: nesting)
                if templateMode {
                    throw EvtxParseError("template instance inside a template definition", at: tokenStart)
                }
                if current >= 0 {
                    throw EvtxParseError("template instance inside an attribute value", at: tokenStart)
                }
                let element = try instantiate(instance, into: store, nesting: nesting)
                try attach(element, at: tokenStart)
            case 0x01, 0x41:
                if hasDependencyID { _ = try cur.u16("element dependency identifier") }
                _ = try cur.u32("element data size")
                let nameOffset = try readNameRef(&cur)
                if token == 0x41 { _ = try cur.u32("attribute list size") }
                if current >= 0 {
                    throw EvtxParseError("element start inside another element's start tag", at: tokenStart)
                }
                let name = try name(at: nameOffset)
                var node = EvtxNode(kind: EvtxNodeKind.element)
                node.a = name
                current = try store.append(node)
                currentAttr = -1
            case 0x02:
                guard current >= 0 else { throw EvtxParseError("close of a start tag that was not opened", at: tokenStart) }
                finishAttribute()
                if stack.count - stackBase >= Self.maxElementDepth {
                    throw EvtxParseError("elements nested deeper than \(Self.maxElementDepth) levels", at: tokenStart)
                }
                stack.append(current)
                current = -1
            case 0x03:
                guard current >= 0 else { throw EvtxParseError("close of an empty element that was not opened", at: tokenStart) }
                finishAttribute()
                let element = current
                current = -1
                try attach(element, at: tokenStart)
            case 0x04:
                guard stack.count > stackBase else { throw EvtxParseError("end tag without an open element", at: tokenStart) }
                let element = stack.removeLast()
                try attach(element, at: tokenStart)
            case 0x05, 0x45:
                let vtype = try cur.u8("value type")
                guard EvtxValueType.isKnown(vtype) else {
                    throw EvtxParseError("unknown value type 0x\(String(vtype, radix: 16))", at: cur.pos - 1)
                }
                let v = try readValue(&cur, vtype: vtype, size: nil)
                if v.vtype == EvtxValueType.binXml {
                    if current >= 0 {
                        throw EvtxParseError("embedded BinXML inside an attribute value", at: tokenStart)
                    }
                    if v.len > 0 {
                        let element = try build(into: store, start: Int(v.off), size: Int(v.len), templateMode: false,
                                                hasDependencyID: false, nesting: nesting + 1)
                        try attach(element, at: tokenStart)
                    }
                } else {
                    try push(valueNode(v), at: tokenStart)
                }
            case 0x06, 0x46:
                let nameOffset = try readNameRef(&cur)
                let name = try name(at: nameOffset)
                guard current >= 0 else { throw EvtxParseError("attribute outside of a start tag", at: tokenStart) }
                finishAttribute()
                var node = EvtxNode(kind: EvtxNodeKind.attribute)
                node.a = name
                currentAttr = try store.append(node)
            case 0x09, 0x49:
                let nameOffset = try readNameRef(&cur)
                var node = EvtxNode(kind: EvtxNodeKind.entityRef)
                node.a = try name(at: nameOffset)
                try push(node, at: tokenStart)
            case 0x0A:
                let nameOffset = try readNameRef(&cur)
                var node = EvtxNode(kind: EvtxNodeKind.piTarget)
                node.a = try name(at: nameOffset)
                try push(node, at: tokenStart)
            case 0x0B:
                let (off, units) = try readLengthPrefixedUTF16(&cur)
                try push(EvtxNode(kind: EvtxNodeKind.piData, vtype: 0, off: off, len: units), at: tokenStart)
            case 0x0D, 0x0E:
                let index = try cur.u16("substitution index")
                let vtype = try cur.u8("substitution value type")
                guard EvtxValueType.isKnown(vtype) else {
                    throw EvtxParseError("unknown substitution value type 0x\(String(vtype, radix: 16))", at: cur.pos - 1)
                }
                guard templateMode else {
                    throw EvtxParseError("substitution outside of a template definition", at: tokenStart)
                }
                var node = EvtxNode(kind: EvtxNodeKind.placeholder)
                node.vtype = vtype
                node.a = Int32(index)
                node.flags = token == 0x0E ? 1 : 0
                try push(node, at: tokenStart)
            case 0x0F:
                try cur.skip(3, "fragment header")
            case 0x07, 0x47:
                // CDATA section: a length-prefixed UTF-16 string (the crate leaves it unimplemented).
                let (off, units) = try readLengthPrefixedUTF16(&cur)
                try push(EvtxNode(kind: EvtxNodeKind.cdata, vtype: 0, off: off, len: units), at: tokenStart)
            case 0x08, 0x48:
                // Character reference: a UTF-16 code unit (the crate leaves it unimplemented).
                let value = try cur.u16("character reference")
                var node = EvtxNode(kind: EvtxNodeKind.charRef)
                node.a = Int32(value)
                try push(node, at: tokenStart)
            default:
                throw EvtxParseError("invalid BinXML token 0x\(String(token, radix: 16))", at: tokenStart)
            }
            dataRead += cur.pos - tokenStart
        }

        if current >= 0 { throw EvtxParseError("BinXML ends inside a start tag", at: cur.pos) }
        if stack.count > stackBase { throw EvtxParseError("BinXML ends with unclosed elements", at: cur.pos) }
        if root >= 0 { return root }
        if templateMode { throw EvtxParseError("template definition has no root element", at: start) }
        // The crate keeps going with an empty <Event/> when a record has no element at all.
        var node = EvtxNode(kind: EvtxNodeKind.element)
        node.a = EvtxNameTable.event
        return try store.append(node)
    }

    // MARK: names

    /// A name reference: the offset of the name in the chunk's string table. When the name itself
    /// follows right here (first use), it is skipped.
    private func readNameRef(_ cur: inout EvtxCursor) throws(EvtxParseError) -> Int {
        let offset = Int(try cur.u32("name offset"))
        if offset == cur.pos {
            _ = try cur.u32("name link")
            _ = try cur.u16("name hash")
            let count = try cur.u16("name length")
            // The crate computes `len * 2` in 16 bits.
            let skip = 6 + Int(count &* 2) + 4
            try cur.seek(offset + skip, "name")
        }
        return offset
    }

    /// Decodes (once per chunk) the name stored at `offset`: a 6-byte link, a u16 length, that many
    /// UTF-16 code units and a NUL.
    func name(at offset: Int) throws(EvtxParseError) -> Int32 {
        if offset >= 0 && offset < Self.chunkSize && nameGen[offset] == generation { return nameID[offset] }
        var cur = EvtxCursor(base: chunk, limit: Self.chunkSize, pos: 0)
        try cur.seek(offset, "name")
        try cur.skip(6, "name link")
        let count = Int(try cur.u16("name length"))
        var units = count
        if count > 0 {
            try cur.require(count * 2, "name")
            for i in 0..<count where evtxLoadU16(chunk, cur.pos + 2 * i) == 0 {
                units = i
                break
            }
            cur.pos += count * 2
        }
        _ = try cur.u16("name terminator")
        nameScratch.removeAll(keepingCapacity: true)
        var i = 0
        let start = offset + 8
        while i < units {
            let u = UInt32(evtxLoadU16(chunk, start + 2 * i))
            i += 1
            var cp = u
            if u >= 0xD800 && u <= 0xDFFF {
                guard u <= 0xDBFF, i < units else { throw EvtxParseError("name is not valid UTF-16", at: offset) }
                let lo = UInt32(evtxLoadU16(chunk, start + 2 * i))
                guard lo >= 0xDC00 && lo <= 0xDFFF else { throw EvtxParseError("name is not valid UTF-16", at: offset) }
                i += 1
                cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
            }
            evtxAppendUTF8(cp, to: &nameScratch)
        }
        let id = names.intern(nameScratch)
        if offset < Self.chunkSize {
            nameGen[offset] = generation
            nameID[offset] = id
        }
        return id
    }

    // MARK: values

    private func readLengthPrefixedUTF16(_ cur: inout EvtxCursor) throws(EvtxParseError) -> (Int, Int) {
        let count = Int(try cur.u16("string length"))
        let off = cur.pos
        guard count > 0 else { return (off, 0) }
        try cur.require(count * 2, "string")
        cur.pos += count * 2
        return (off, utf16UnitsBeforeNUL(off, count))
    }

    @inline(__always)
    private func utf16UnitsBeforeNUL(_ off: Int, _ count: Int) -> Int {
        var i = 0
        while i < count {
            if evtxLoadU16(chunk, off + 2 * i) == 0 { return i }
            i += 1
        }
        return count
    }

    /// Reads one value of type `vtype`; `size` is the substitution descriptor's size (nil for value
    /// tokens, which are self-delimiting). Mirrors `deserialize_value_type_cursor_in`.
    private func readValue(_ cur: inout EvtxCursor, vtype: UInt8, size: Int?) throws(EvtxParseError) -> EvtxSubValue {
        let start = cur.pos
        @inline(__always) func fixed(_ n: Int, _ t: UInt8 = vtype) throws(EvtxParseError) -> EvtxSubValue {
            try cur.skip(n, "value")
            return EvtxSubValue(vtype: t, off: Int32(start), len: Int32(n))
        }
        switch vtype {
        case EvtxValueType.null:
            return EvtxSubValue(vtype: vtype, off: Int32(start), len: 0)
        case EvtxValueType.string:
            if let size {
                guard size > 0 else { return EvtxSubValue(vtype: vtype, off: Int32(start), len: 0) }
                guard size % 2 == 0 else { throw EvtxParseError("string value of odd size \(size)", at: start) }
                try cur.skip(size, "string value")
                return EvtxSubValue(vtype: vtype, off: Int32(start), len: Int32(utf16UnitsBeforeNUL(start, size / 2)))
            }
            let (off, units) = try readLengthPrefixedUTF16(&cur)
            return EvtxSubValue(vtype: vtype, off: Int32(off), len: Int32(units))
        case EvtxValueType.ansiString:
            guard let size else { throw EvtxParseError("ANSI string value without a size", at: start) }
            try cur.skip(size, "ANSI string value")
            var nonNUL = false
            for i in 0..<size where chunk.load(fromByteOffset: start + i, as: UInt8.self) != 0 {
                nonNUL = true
                break
            }
            return EvtxSubValue(vtype: vtype, off: Int32(start), len: nonNUL ? Int32(size) : 0)
        case EvtxValueType.int8, EvtxValueType.uint8: return try fixed(1)
        case EvtxValueType.int16, EvtxValueType.uint16: return try fixed(2)
        case EvtxValueType.int32, EvtxValueType.uint32, EvtxValueType.real32, EvtxValueType.hexInt32: return try fixed(4)
        case EvtxValueType.bool:
            // A boolean other than 0 or 1 comes out as the integer it holds (as the crate prints it).
            try cur.require(4, "boolean value")
            let raw = evtxLoadU32(chunk, start)
            return try fixed(4, raw <= 1 ? EvtxValueType.bool : EvtxValueType.int32)
        case EvtxValueType.int64, EvtxValueType.uint64, EvtxValueType.real64, EvtxValueType.hexInt64: return try fixed(8)
        case EvtxValueType.guid: return try fixed(16)
        case EvtxValueType.sizeT:
            if size == 4 { return try fixed(4, EvtxValueType.hexInt32) }
            if size == 8 { return try fixed(8, EvtxValueType.hexInt64) }
            throw EvtxParseError("SizeT value of size \(size.map(String.init) ?? "none")", at: start)
        case EvtxValueType.fileTime:
            let v = try fixed(8)
            guard evtxLoadU64(chunk, start) <= EvtxDateTime.maxFiletime else {
                throw EvtxParseError("FILETIME value out of range", at: start)
            }
            return v
        case EvtxValueType.sysTime:
            let v = try fixed(16)
            guard EvtxDateTime.fromSystemtime(chunk, start) != nil else {
                throw EvtxParseError("SYSTEMTIME value is not a valid date", at: start)
            }
            return v
        case EvtxValueType.sid:
            return EvtxSubValue(vtype: vtype, off: Int32(start), len: Int32(try readSID(&cur)))
        case EvtxValueType.binXml:
            var n: Int
            if let size { n = size } else { n = Int(try cur.u16("BinXML value length")) }
            let off = cur.pos
            if n > 0 { try cur.skip(n, "BinXML value") } else { n = 0 }
            return EvtxSubValue(vtype: vtype, off: Int32(off), len: Int32(n))
        case EvtxValueType.binary:
            guard let size else { throw EvtxParseError("binary value without a size", at: start) }
            try cur.skip(size, "binary value")
            return EvtxSubValue(vtype: vtype, off: Int32(start), len: Int32(size))
        case EvtxValueType.stringArray:
            guard let size else { throw EvtxParseError("string array without a size", at: start) }
            let end = start + size
            var items: Int32 = 0
            while cur.pos < end {
                // Items are NUL-terminated; the last one may run past the declared size (as in the crate).
                while true {
                    let u = try cur.u16("string array item")
                    if u == 0 { break }
                }
                items += 1
            }
            var v = EvtxSubValue(vtype: vtype, off: Int32(start), len: Int32(cur.pos - start))
            v.count = items
            return v
        case EvtxValueType.sidArray:
            guard let size else { throw EvtxParseError("SID array without a size", at: start) }
            var items: Int32 = 0
            while cur.pos - start < size {
                _ = try readSID(&cur)
                items += 1
            }
            var v = EvtxSubValue(vtype: vtype, off: Int32(start), len: Int32(cur.pos - start))
            v.count = items
            return v
        case 0x83...0x95:
            guard let size else { throw EvtxParseError("array value without a size", at: start) }
            let item = EvtxValueType.fixedSize(vtype)
            guard item > 0 else {
                throw EvtxParseError("unsupported array value type 0x\(String(vtype, radix: 16))", at: start)
            }
            guard size % item == 0 else {
                throw EvtxParseError("array of size \(size) is not a multiple of its \(item)-byte items", at: start)
            }
            try cur.skip(size, "array value")
            let base = vtype & 0x7F
            for i in 0..<(size / item) {
                let o = start + i * item
                if base == EvtxValueType.fileTime, evtxLoadU64(chunk, o) > EvtxDateTime.maxFiletime {
                    throw EvtxParseError("FILETIME array item out of range", at: o)
                }
                if base == EvtxValueType.sysTime, EvtxDateTime.fromSystemtime(chunk, o) == nil {
                    throw EvtxParseError("SYSTEMTIME array item is not a valid date", at: o)
                }
            }
            var v = EvtxSubValue(vtype: vtype, off: Int32(start), len: Int32(size))
            v.count = Int32(size / item)
            return v
        default:
            throw EvtxParseError("unsupported value type 0x\(String(vtype, radix: 16))", at: start)
        }
    }

    /// A SID: revision, sub-authority count, 6-byte authority, 4 bytes per sub-authority.
    private func readSID(_ cur: inout EvtxCursor) throws(EvtxParseError) -> Int {
        try cur.require(8, "SID")
        let subCount = Int(chunk.load(fromByteOffset: cur.pos + 1, as: UInt8.self))
        let n = 8 + 4 * subCount
        try cur.skip(n, "SID")
        return n
    }

    /// The tree node for a scalar value (strings become text nodes, as in the crate's IR).
    private func valueNode(_ v: EvtxSubValue) -> EvtxNode {
        switch v.vtype {
        case EvtxValueType.string: return EvtxNode(kind: EvtxNodeKind.text16, vtype: v.vtype, off: Int(v.off), len: Int(v.len))
        case EvtxValueType.ansiString: return EvtxNode(kind: EvtxNodeKind.text8, vtype: v.vtype, off: Int(v.off), len: Int(v.len))
        default:
            // Array values keep their item count in `a`.
            return EvtxNode(kind: EvtxNodeKind.value, vtype: v.vtype, a: v.vtype & EvtxValueType.arrayFlag != 0 ? v.count : -1,
                            off: Int(v.off), len: Int(v.len))
        }
    }

    // MARK: templates

    struct TemplateInstance {
        var definitionOffset: Int
        var values: Range<Int>
    }

    /// The crate's `read_template_values_cursor`: template id and definition offset (the definition
    /// itself follows inline on first use and is skipped), then the substitution descriptors and values.
    private func readTemplateInstance(_ cur: inout EvtxCursor, nesting: Int) throws(EvtxParseError) -> TemplateInstance {
        _ = try cur.u8("template instance")
        _ = try cur.u32("template id")
        let definitionOffset = Int(try cur.u32("template definition offset"))
        if cur.pos == definitionOffset {
            _ = try cur.u32("next template offset")
            try cur.skip(16, "template GUID")
            let dataSize = Int(try cur.u32("template data size"))
            try cur.seek(cur.pos + dataSize, "inline template definition")
        }
        let count = Int(try cur.u32("substitution count"))
        try cur.require(count * 4, "substitution descriptors")
        descriptors.removeAll()
        // The descriptors (size u16, type u8, padding u8) are all inside the chunk (checked above).
        for i in 0..<count {
            let at = cur.pos + 4 * i
            let vtype = chunk.load(fromByteOffset: at + 2, as: UInt8.self)
            guard EvtxValueType.isKnown(vtype) else {
                throw EvtxParseError("unknown substitution value type 0x\(String(vtype, radix: 16))", at: at + 2)
            }
            descriptors.append((Int(evtxLoadU16(chunk, at)), vtype))
        }
        cur.pos += 4 * count
        let first = subValues.count
        for k in 0..<descriptors.count {
            let d = descriptors[k]
            let before = cur.pos
            // The common cases inline: sized strings and plain fixed-size scalars.
            if d.vtype == EvtxValueType.string && d.size > 0 && d.size % 2 == 0 && d.size <= Self.chunkSize - before {
                cur.pos += d.size
                subValues.append(EvtxSubValue(vtype: d.vtype, off: Int32(before), len: Int32(utf16UnitsBeforeNUL(before, d.size / 2))))
                continue
            }
            let plainSize = Self.plainScalarSize[Int(d.vtype)]
            if plainSize > 0 && d.size == Int(plainSize) && Int(plainSize) <= Self.chunkSize - before {
                cur.pos += Int(plainSize)
                subValues.append(EvtxSubValue(vtype: d.vtype, off: Int32(before), len: Int32(plainSize)))
                continue
            }
            let v = try readValue(&cur, vtype: d.vtype, size: d.size)
            if v.vtype == EvtxValueType.null {
                // A deleted substitution: its bytes are skipped.
                try cur.seek(cur.pos + d.size, "null substitution")
            }
            let expected = before + d.size
            if cur.pos < expected {
                try cur.seek(expected, "substitution value")
            }
            // Reading past the declared size leaves the cursor where it is (the crate logs "Broken record").
            subValues.append(v)
        }
        return TemplateInstance(definitionOffset: definitionOffset, values: first..<subValues.count)
    }

    /// Sizes of the scalar types read without any check of their bytes (0 for the others: strings,
    /// booleans, times, SIDs, sizes, binary, arrays, BinXML).
    static let plainScalarSize: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        t[Int(EvtxValueType.int8)] = 1; t[Int(EvtxValueType.uint8)] = 1
        t[Int(EvtxValueType.int16)] = 2; t[Int(EvtxValueType.uint16)] = 2
        t[Int(EvtxValueType.int32)] = 4; t[Int(EvtxValueType.uint32)] = 4; t[Int(EvtxValueType.real32)] = 4
        t[Int(EvtxValueType.hexInt32)] = 4
        t[Int(EvtxValueType.int64)] = 8; t[Int(EvtxValueType.uint64)] = 8; t[Int(EvtxValueType.real64)] = 8
        t[Int(EvtxValueType.hexInt64)] = 8
        t[Int(EvtxValueType.guid)] = 16
        return t
    }()

    /// The template definition at `offset` parsed (once per chunk, keyed by GUID like the crate).
    private func template(at offset: Int, nesting: Int) throws(EvtxParseError) -> Int32 {
        if offset >= 0 && offset < Self.chunkSize && templateGen[offset] == generation {
            let root = templateRoot[offset]
            if root >= 0 { return root }
            if let error = templateErrors[offset] { throw error }
        }
        var cur = EvtxCursor(base: chunk, limit: Self.chunkSize, pos: 0)
        try cur.seek(offset, "template definition")
        _ = try cur.u32("next template offset")
        let guidLo = try cur.u64("template GUID")
        let guidHi = try cur.u64("template GUID")
        let dataSize = Int(try cur.u32("template data size"))
        let key = EvtxGUIDKey(lo: guidLo, hi: guidHi)
        if let root = templatesByGUID[key] {
            remember(offset, root: root)
            return root
        }
        let dataStart = offset + 24
        guard dataSize <= Self.chunkSize - dataStart else {
            throw EvtxParseError("template data (\(dataSize) bytes) runs past the end of the chunk", at: offset)
        }
        guard !templatesInProgress.contains(offset) else {
            throw EvtxParseError("template at chunk offset \(offset) instantiates itself", at: offset)
        }
        templatesInProgress.insert(offset)
        defer { templatesInProgress.remove(offset) }
        let stackMark = stack.count
        do {
            let root = try build(into: templates, start: dataStart, size: dataSize, templateMode: true,
                                 hasDependencyID: true, nesting: nesting + 1)
            templatesByGUID[key] = root
            remember(offset, root: root)
            return root
        } catch {
            // Nodes of the failed parse stay in the store (a template parsed inside it may be cached).
            stack.truncate(to: stackMark)
            var e = error
            e.message = "template at chunk offset \(offset): " + e.message
            if offset < Self.chunkSize {
                templateGen[offset] = generation
                templateRoot[offset] = -1
                templateErrors[offset] = e
            }
            throw e
        }
    }

    private func remember(_ offset: Int, root: Int32) {
        guard offset >= 0 && offset < Self.chunkSize else { return }
        templateGen[offset] = generation
        templateRoot[offset] = root
    }

    /// Parses the template (if needed) and the embedded BinXML values, then clones the template with its
    /// placeholders resolved into `store`.
    private func instantiate(_ instance: TemplateInstance, into store: EvtxNodeStore, nesting: Int) throws(EvtxParseError) -> Int32 {
        let root = try template(at: instance.definitionOffset, nesting: nesting)
        var plain = true  // no array to repeat, nothing unsupported
        for i in instance.values {
            let v = subValues[i]
            switch v.vtype {
            case EvtxValueType.binXml:
                guard v.len > 0 else { continue }
                let element = try build(into: store, start: Int(v.off), size: Int(v.len), templateMode: false,
                                        hasDependencyID: false, nesting: nesting + 1)
                subValues[i].elem = element
            case EvtxValueType.evtHandle, EvtxValueType.evtXml:
                plain = false
            default:
                if v.vtype & EvtxValueType.arrayFlag != 0 && v.count > 1 { plain = false }
            }
        }
        if plain && store === record {
            return try instantiateFromBlock(root, values: instance.values)
        }
        return try cloneResolve(root, values: instance.values, into: store).element
    }

    // MARK: compiled instantiation

    /// The record-tree blocks a template produced, per pattern of left-out substitutions: records of
    /// one template (the bulk of a file) copy the block, patch the substituted value nodes and point the
    /// template's literal nodes at where the template sits in the current chunk, instead of walking the
    /// template again. Templates are recognised by their structure (names, literal contents,
    /// substitutions), so the blocks serve every chunk and every file read with this parser.
    private struct Program {
        var signature: [Int64]
        /// Every substitution in the order instantiation meets it: (value index, optional).
        var placeholders: [(index: Int32, optional: Bool)]
        var blocks: [Block]
    }

    private struct Block {
        /// Two bits per substitution k: 0 left out, 1 a value node, 2 an embedded BinXML element.
        var key: [UInt64]
        /// The nodes, with links relative to the block's start.
        var nodes: [EvtxNode]
        /// Node (relative) made from substitution k (a value node, or the copy of an embedded element's
        /// root), or -1 when left out.
        var valuePatches: [Int32]
        /// (node, literal): node copied from the template's literal number `literal` (its chunk offset).
        var literalPatches: [(node: Int32, literal: Int32)]
    }

    /// For a template of this chunk: its program and where its literal nodes are in this chunk.
    private struct ChunkProgram {
        var program: Int
        var literalOffsets: [Int32]
    }

    @exclusivity(unchecked) private var programs: [Program] = []
    @exclusivity(unchecked) private var programsByHash: [Int: [Int]] = [:]
    @exclusivity(unchecked) private var programNodes = 0
    @exclusivity(unchecked) private var programsEpoch = -1
    @exclusivity(unchecked) private var chunkPrograms: [Int32: ChunkProgram] = [:]
    @exclusivity(unchecked) private var keyScratch: [UInt64] = []
    /// While a block is being recorded (`isRecording`): the node made from each substitution met, and
    /// the literal copies.
    @exclusivity(unchecked) private var recording: [Int32] = []
    @exclusivity(unchecked) private var recordingLiterals: [(node: Int32, literal: Int32)] = []
    @exclusivity(unchecked) private var isRecording = false
    @exclusivity(unchecked) private var recordingStart: Int32 = 0
    @exclusivity(unchecked) private var occurrence = 0
    @exclusivity(unchecked) private var literalOccurrence = 0
    /// Nodes kept in blocks, at most (then the programs start over).
    static let maxProgramNodes = 1 << 16

    /// The template's structure in the order instantiation walks it, and its literal nodes' offsets.
    private func encode(_ e: Int32, _ signature: inout [Int64], _ literals: inout [Int32],
                        _ placeholders: inout [(index: Int32, optional: Bool)]) {
        @inline(__always) func leaf(_ n: EvtxNode) {
            if n.kind == EvtxNodeKind.placeholder {
                placeholders.append((n.a, n.flags & 1 != 0))
                signature.append(11 << 56 | Int64(n.a) << 16 | Int64(n.vtype) << 8 | Int64(n.flags & 1))
                return
            }
            literals.append(n.off)
            signature.append(Int64(n.kind) << 56 | Int64(n.vtype) << 48 | Int64(UInt32(bitPattern: n.a)) << 16 | Int64(n.flags))
            signature.append(Int64(n.len))
            // The literal's content: UTF-16 units or bytes, eight bytes per word.
            let byteCount: Int
            switch n.kind {
            case EvtxNodeKind.text16, EvtxNodeKind.cdata, EvtxNodeKind.piData: byteCount = Int(n.len) * 2
            case EvtxNodeKind.text8, EvtxNodeKind.value: byteCount = Int(n.len)
            default: byteCount = 0
            }
            var i = 0
            while i < byteCount {
                var w: UInt64 = 0
                for j in 0..<min(8, byteCount - i) {
                    w |= UInt64(chunk.load(fromByteOffset: Int(n.off) + i + j, as: UInt8.self)) << UInt64(8 * j)
                }
                signature.append(Int64(bitPattern: w))
                i += 8
            }
        }
        let element = templates[e]
        signature.append(1 << 56 | Int64(element.a))
        var a = element.attrFirst
        while a >= 0 {
            signature.append(2 << 56 | Int64(templates[a].a))
            var v = templates[a].first
            while v >= 0 {
                leaf(templates[v])
                v = templates[v].next
            }
            signature.append(13 << 56)
            a = templates[a].next
        }
        var c = element.first
        while c >= 0 {
            let n = templates[c]
            if n.kind == EvtxNodeKind.element { encode(c, &signature, &literals, &placeholders) } else { leaf(n) }
            c = n.next
        }
        signature.append(14 << 56)
    }

    private func chunkProgram(_ root: Int32) -> ChunkProgram {
        if let cp = chunkPrograms[root] { return cp }
        if names.epoch != programsEpoch {
            // Name ids were reassigned: signatures made before mean nothing now.
            programs.removeAll()
            programsByHash.removeAll()
            programNodes = 0
            programsEpoch = names.epoch
        }
        var signature: [Int64] = []
        var literals: [Int32] = []
        var placeholders: [(index: Int32, optional: Bool)] = []
        encode(root, &signature, &literals, &placeholders)
        var hash = signature.count
        for w in signature { hash = (hash &* 0x100_0000_01B3) ^ Int(truncatingIfNeeded: w) }
        var index = -1
        for candidate in programsByHash[hash] ?? [] where programs[candidate].signature == signature {
            index = candidate
            break
        }
        if index < 0 {
            index = programs.count
            programs.append(Program(signature: signature, placeholders: placeholders, blocks: []))
            programsByHash[hash, default: []].append(index)
        }
        let cp = ChunkProgram(program: index, literalOffsets: literals)
        chunkPrograms[root] = cp
        return cp
    }

    private func instantiateFromBlock(_ root: Int32, values: Range<Int>) throws(EvtxParseError) -> Int32 {
        let cp = chunkProgram(root)
        let count = programs[cp.program].placeholders.count
        let words = (count + 31) / 32
        keyScratch.removeAll(keepingCapacity: true)
        for _ in 0..<words { keyScratch.append(0) }
        var elementValues = 0  // value indices used as embedded elements (each may be used once here)
        for k in 0..<count {
            let p = programs[cp.program].placeholders[k]
            let index = Int(p.index)
            var state: UInt64 = 1
            if index >= values.count {
                state = 0
            } else {
                let v = subValues[values.lowerBound + index]
                if p.optional && isOptionalEmpty(v) {
                    state = 0
                } else if v.vtype == EvtxValueType.binXml && v.elem >= 0 {
                    state = 2
                    let bit = 1 << (index & 63)
                    if elementValues & bit != 0 || v.used {
                        // One embedded element in two places: the instantiation copies it (slow path).
                        return try cloneResolve(root, values: values, into: record).element
                    }
                    elementValues |= bit
                }
            }
            keyScratch[k >> 5] |= state << UInt64(2 * (k & 31))
        }
        for b in 0..<programs[cp.program].blocks.count where programs[cp.program].blocks[b].key == keyScratch {
            let base = Int32(truncatingIfNeeded: record.count)
            let made = programs[cp.program].blocks[b].nodes.count
            work &+= made
            if work > Self.maxWorkPerChunk { throw workExceeded(-1) }
            try programs[cp.program].blocks[b].nodes.withUnsafeBufferPointer { (p) throws(EvtxParseError) in
                try record.appendBlock(p, rebasedBy: base)
            }
            for (node, literal) in programs[cp.program].blocks[b].literalPatches where Int(literal) < cp.literalOffsets.count {
                record[base + node].off = cp.literalOffsets[Int(literal)]
            }
            for k in 0..<count {
                let at = programs[cp.program].blocks[b].valuePatches[k]
                guard at >= 0 else { continue }
                let vi = values.lowerBound + Int(programs[cp.program].placeholders[k].index)
                let v = subValues[vi]
                let target = base + at
                if (keyScratch[k >> 5] >> UInt64(2 * (k & 31))) & 3 == 2 {
                    // The embedded element takes the place of the recorded copy of its root.
                    var root = record[v.elem]
                    root.next = record[target].next
                    record[target] = root
                    subValues[vi].used = true
                    continue
                }
                let made = v.vtype == EvtxValueType.binXml
                    ? EvtxNode(kind: EvtxNodeKind.value, vtype: EvtxValueType.null, off: Int(v.off), len: 0)
                    : valueNode(v)
                var n = record[target]
                n.kind = made.kind
                n.vtype = made.vtype
                n.a = made.a
                n.off = made.off
                n.len = made.len
                record[target] = n
            }
            return base
        }
        // First record of this pattern: instantiate normally, noting the nodes made from substitutions
        // and copied from literals.
        let start = Int32(truncatingIfNeeded: record.count)
        recording = [Int32](repeating: -1, count: count)
        recordingLiterals.removeAll(keepingCapacity: true)
        recordingStart = start
        occurrence = 0
        literalOccurrence = 0
        isRecording = true
        defer { isRecording = false }
        let element = try cloneResolve(root, values: values, into: record).element
        let made = record.count - Int(start)
        if occurrence == count, literalOccurrence == cp.literalOffsets.count, element == start,
           programs[cp.program].blocks.count < 8 {
            if programNodes + made > Self.maxProgramNodes {
                // Full: start over (the templates of what is read now will come back).
                programs.removeAll()
                programsByHash.removeAll()
                chunkPrograms.removeAll()
                programNodes = 0
                return element
            }
            var nodes = [EvtxNode]()
            nodes.reserveCapacity(made)
            @inline(__always) func rebase(_ x: Int32) -> Int32 { x < 0 ? x : x - start }
            for i in 0..<made {
                var n = record[start + Int32(i)]
                n.first = rebase(n.first); n.last = rebase(n.last)
                n.attrFirst = rebase(n.attrFirst); n.attrLast = rebase(n.attrLast)
                n.next = rebase(n.next)
                nodes.append(n)
            }
            programNodes += made
            programs[cp.program].blocks.append(Block(key: keyScratch, nodes: nodes, valuePatches: recording,
                                                     literalPatches: recordingLiterals))
        }
        return element
    }

    // MARK: instantiation

    /// Deep-clones template element `e` into `store`, resolving placeholders with `values`. Reports
    /// whether an array value with more than one item landed directly in the clone (it then repeats).
    private func cloneResolve(_ e: Int32, values: Range<Int>, into store: EvtxNodeStore) throws(EvtxParseError) -> (element: Int32, expand: Bool) {
        let source = templates[e]
        var node = EvtxNode(kind: EvtxNodeKind.element)
        node.a = source.a
        let n = try store.append(node)
        var expand = false

        var a = source.attrFirst
        while a >= 0 {
            let attr = templates[a]
            var attrNode = EvtxNode(kind: EvtxNodeKind.attribute)
            attrNode.a = attr.a
            let na = try store.append(attrNode)
            var v = attr.first
            while v >= 0 {
                if try resolve(v, values: values, into: store, owner: na, isAttribute: true) { expand = true }
                v = templates[v].next
            }
            if store[na].first >= 0 { store.appendAttribute(n, na) }
            a = attr.next
        }

        var c = source.first
        while c >= 0 {
            if try resolve(c, values: values, into: store, owner: n, isAttribute: false) { expand = true }
            c = templates[c].next
        }
        return (n, expand)
    }

    /// Resolves template node `t` into the children (or attribute values) of `owner`. Returns true when
    /// it appended an array value with more than one item.
    private func workExceeded(_ offset: Int) -> EvtxParseError {
        EvtxParseError("the chunk needs more than \(Self.maxWorkPerChunk) parse steps (templates expanding without end?)", at: offset)
    }

    private func resolve(_ t: Int32, values: Range<Int>, into store: EvtxNodeStore, owner: Int32, isAttribute: Bool) throws(EvtxParseError) -> Bool {
        work &+= 1
        if work > Self.maxWorkPerChunk { throw workExceeded(-1) }
        let node = templates[t]
        switch node.kind {
        case EvtxNodeKind.placeholder:
            let k = occurrence
            occurrence += 1
            let index = Int(node.a)
            guard index < values.count else { return false }
            let vi = values.lowerBound + index
            let v = subValues[vi]
            if node.flags & 1 != 0 && isOptionalEmpty(v) { return false }
            if isRecording && k < recording.count {
                // The value node made below is the next node appended.
                recording[k] = Int32(truncatingIfNeeded: store.count) - recordingStart
            }
            if v.vtype == EvtxValueType.binXml {
                if v.elem < 0 {
                    try link(store.append(EvtxNode(kind: EvtxNodeKind.value, vtype: EvtxValueType.null, off: Int(v.off), len: 0)),
                             to: owner, in: store, isAttribute: isAttribute)
                    return false
                }
                if isAttribute { throw EvtxParseError("embedded BinXML substituted into an attribute value", at: Int(v.off)) }
                let element: Int32
                if v.used {
                    element = try deepCopy(v.elem, in: store)
                } else if isRecording && k < recording.count {
                    // Recording a block: a copy of the root stands in the block where the element goes.
                    subValues[vi].used = true
                    var root = store[v.elem]
                    root.next = -1
                    recording[k] = Int32(truncatingIfNeeded: store.count) - recordingStart
                    element = try store.append(root)
                } else {
                    subValues[vi].used = true
                    element = v.elem
                }
                store.appendChild(owner, element)
                return false
            }
            switch v.vtype {
            case EvtxValueType.evtHandle, EvtxValueType.evtXml:
                throw EvtxParseError("unsupported substitution value type 0x\(String(v.vtype, radix: 16))", at: Int(v.off))
            default:
                try link(store.append(valueNode(v)), to: owner, in: store, isAttribute: isAttribute)
                return v.vtype & EvtxValueType.arrayFlag != 0 && v.count > 1
            }
        case EvtxNodeKind.element:
            let (element, expand) = try cloneResolve(t, values: values, into: store)
            if expand, let copies = try expandArrays(element, in: store) {
                for copy in copies { store.appendChild(owner, copy) }
            } else {
                store.appendChild(owner, element)
            }
            return false
        default:
            if isRecording {
                recordingLiterals.append((Int32(truncatingIfNeeded: store.count) - recordingStart, Int32(literalOccurrence)))
            }
            literalOccurrence += 1
            var copy = node
            copy.next = -1
            try link(store.append(copy), to: owner, in: store, isAttribute: isAttribute)
            return false
        }
    }

    @inline(__always)
    private func link(_ id: Int32, to owner: Int32, in store: EvtxNodeStore, isAttribute: Bool) {
        if isAttribute {
            var o = store[owner]
            if o.last < 0 { o.first = id } else { store[o.last].next = id }
            o.last = id
            store[owner] = o
        } else {
            store.appendChild(owner, id)
        }
    }

    /// The crate's `is_optional_empty`: what an optional substitution leaves out.
    private func isOptionalEmpty(_ v: EvtxSubValue) -> Bool {
        switch v.vtype {
        case EvtxValueType.null: return true
        case EvtxValueType.string, EvtxValueType.ansiString, EvtxValueType.binary, EvtxValueType.binXml: return v.len == 0
        default: return v.vtype & EvtxValueType.arrayFlag != 0 && v.len == 0
        }
    }

    /// The items of an array value as scalar nodes, in one pass; nil for an empty string item (omitted).
    private func arrayItems(_ v: EvtxNode) -> [EvtxNode?] {
        let off = Int(v.off)
        let len = Int(v.len)
        var out: [EvtxNode?] = []
        out.reserveCapacity(Int(max(v.a, 0)))
        switch v.vtype {
        case EvtxValueType.stringArray:
            var p = off
            var itemStart = off
            while p + 2 <= off + len {
                if evtxLoadU16(chunk, p) == 0 {
                    let units = (p - itemStart) / 2
                    out.append(units == 0 ? nil : EvtxNode(kind: EvtxNodeKind.text16, vtype: EvtxValueType.string, off: itemStart, len: units))
                    itemStart = p + 2
                }
                p += 2
            }
        case EvtxValueType.sidArray:
            var p = off
            while p + 8 <= off + len {
                let n = 8 + 4 * Int(chunk.load(fromByteOffset: p + 1, as: UInt8.self))
                out.append(EvtxNode(kind: EvtxNodeKind.value, vtype: EvtxValueType.sid, off: p, len: n))
                p += n
            }
        default:
            let item = EvtxValueType.fixedSize(v.vtype)
            guard item > 0 else { return out }
            var p = off
            while p + item <= off + len {
                out.append(EvtxNode(kind: EvtxNodeKind.value, vtype: v.vtype & 0x7F, off: p, len: item))
                p += item
            }
        }
        return out
    }

    /// MS-EVEN6 array substitution: an element holding an array value with several items is repeated
    /// once per item (the first such array, children before attributes; then again for the next one).
    private func expandArrays(_ element: Int32, in store: EvtxNodeStore) throws(EvtxParseError) -> [Int32]? {
        // Locate the first expandable array value.
        var location: (attr: Int32, index: Int)? = nil
        var arrayNode = EvtxNode(kind: 0)
        var count = 0
        var i = 0
        var c = store[element].first
        while c >= 0 && location == nil {
            let n = store[c]
            if n.kind == EvtxNodeKind.value && n.vtype & EvtxValueType.arrayFlag != 0 {
                let k = Int(n.a)
                if k > 1 { location = (-1, i); arrayNode = n; count = k }
            }
            c = n.next
            i += 1
        }
        var a = store[element].attrFirst
        while a >= 0 && location == nil {
            var j = 0
            var v = store[a].first
            while v >= 0 && location == nil {
                let n = store[v]
                if n.kind == EvtxNodeKind.value && n.vtype & EvtxValueType.arrayFlag != 0 {
                    let k = Int(n.a)
                    if k > 1 { location = (a, j); arrayNode = n; count = k }
                }
                v = n.next
                j += 1
            }
            a = store[a].next
        }
        guard let location else { return nil }

        var out: [Int32] = []
        let items = arrayItems(arrayNode)
        work &+= items.count * 4
        if work > Self.maxWorkPerChunk { throw workExceeded(Int(arrayNode.off)) }
        for item in 0..<min(count, items.count) {
            let replacement = items[item]
            let source = store[element]
            var copy = EvtxNode(kind: EvtxNodeKind.element)
            copy.a = source.a
            copy.flags = source.flags
            let n = try store.append(copy)
            var a = source.attrFirst
            while a >= 0 {
                let attr = store[a]
                var attrNode = EvtxNode(kind: EvtxNodeKind.attribute)
                attrNode.a = attr.a
                let na = try store.append(attrNode)
                var j = 0
                var v = attr.first
                while v >= 0 {
                    if location.attr == a && location.index == j {
                        if let replacement { try link(store.append(replacement), to: na, in: store, isAttribute: true) }
                    } else {
                        var valueCopy = store[v]
                        valueCopy.next = -1
                        try link(store.append(valueCopy), to: na, in: store, isAttribute: true)
                    }
                    v = store[v].next
                    j += 1
                }
                if store[na].first >= 0 { store.appendAttribute(n, na) }
                a = attr.next
            }
            var j = 0
            var c = source.first
            while c >= 0 {
                if location.attr < 0 && location.index == j {
                    if let replacement {
                        let id = try store.append(replacement)
                        store.appendChild(n, id)
                    }
                } else if store[c].kind == EvtxNodeKind.element {
                    store.appendChild(n, try deepCopy(c, in: store))
                } else {
                    var childCopy = store[c]
                    childCopy.next = -1
                    store.appendChild(n, try store.append(childCopy))
                }
                c = store[c].next
                j += 1
            }
            // The crate keeps the original element's has-element-child flag on every copy.
            store[n].flags = source.flags
            if let more = try expandArrays(n, in: store) { out.append(contentsOf: more) } else { out.append(n) }
        }
        return out
    }

    /// A copy of the subtree at `e` (an element may appear only once in the intrusive lists).
    private func deepCopy(_ e: Int32, in store: EvtxNodeStore) throws(EvtxParseError) -> Int32 {
        work &+= 1
        if work > Self.maxWorkPerChunk { throw workExceeded(-1) }
        let source = store[e]
        var node = source
        node.first = -1; node.last = -1; node.attrFirst = -1; node.attrLast = -1; node.next = -1
        let n = try store.append(node)
        var a = source.attrFirst
        while a >= 0 {
            var attrNode = store[a]
            attrNode.first = -1; attrNode.last = -1; attrNode.next = -1
            let na = try store.append(attrNode)
            var v = store[a].first
            while v >= 0 {
                var valueCopy = store[v]
                valueCopy.next = -1
                try link(store.append(valueCopy), to: na, in: store, isAttribute: true)
                v = store[v].next
            }
            store.appendAttribute(n, na)
            a = store[a].next
        }
        var c = source.first
        while c >= 0 {
            if store[c].kind == EvtxNodeKind.element {
                store.appendChild(n, try deepCopy(c, in: store))
            } else {
                var childCopy = store[c]
                childCopy.next = -1
                store.appendChild(n, try store.append(childCopy))
            }
            c = store[c].next
        }
        store[n].flags = source.flags
        return n
    }
}

@inline(__always)
func evtxAppendUTF8(_ cp: UInt32, to out: inout [UInt8]) {
    if cp < 0x80 {
        out.append(UInt8(cp))
    } else if cp < 0x800 {
        out.append(0xC0 | UInt8(cp >> 6))
        out.append(0x80 | UInt8(cp & 0x3F))
    } else if cp < 0x10000 {
        out.append(0xE0 | UInt8(cp >> 12))
        out.append(0x80 | UInt8((cp >> 6) & 0x3F))
        out.append(0x80 | UInt8(cp & 0x3F))
    } else {
        out.append(0xF0 | UInt8(cp >> 18))
        out.append(0x80 | UInt8((cp >> 12) & 0x3F))
        out.append(0x80 | UInt8((cp >> 6) & 0x3F))
        out.append(0x80 | UInt8(cp & 0x3F))
    }
}
