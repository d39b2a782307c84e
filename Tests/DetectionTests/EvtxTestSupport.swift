import Foundation
@testable import Detection

/// Writes small EVTX files byte by byte: a file header and chunks whose records' BinXML is written token
/// by token (element names go into the chunk's string table inline on first use, template definitions
/// inline on first use). Tests use it for shapes the corpus lacks and for hostile input.
struct EvtxTestChunk {
    var data = [UInt8](repeating: 0, count: 65536)
    var pos = 512
    private var names: [String: Int] = [:]
    private(set) var templateOffsets: [UInt32: Int] = [:]
    private var firstRecordID: UInt64 = 0
    private(set) var lastRecordID: UInt64 = 0

    /// A substitution value: its BinXML type and bytes.
    struct Value {
        var type: UInt8
        var bytes: [UInt8]
        /// Descriptor size when it must differ from the bytes' count.
        var declaredSize: Int? = nil

        static func string(_ s: String) -> Value { Value(type: 0x01, bytes: s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) }
        static func ansi(_ bytes: [UInt8]) -> Value { Value(type: 0x02, bytes: bytes) }
        static func uint8(_ v: UInt8) -> Value { Value(type: 0x04, bytes: [v]) }
        static func uint16(_ v: UInt16) -> Value { Value(type: 0x06, bytes: le(UInt64(v), 2)) }
        static func int32(_ v: Int32) -> Value { Value(type: 0x07, bytes: le(UInt64(UInt32(bitPattern: v)), 4)) }
        static func uint32(_ v: UInt32) -> Value { Value(type: 0x08, bytes: le(UInt64(v), 4)) }
        static func int64(_ v: Int64) -> Value { Value(type: 0x09, bytes: le(UInt64(bitPattern: v), 8)) }
        static func uint64(_ v: UInt64) -> Value { Value(type: 0x0A, bytes: le(v, 8)) }
        static func real64(_ v: Double) -> Value { Value(type: 0x0C, bytes: le(v.bitPattern, 8)) }
        static func bool(_ raw: UInt32) -> Value { Value(type: 0x0D, bytes: le(UInt64(raw), 4)) }
        static func binary(_ b: [UInt8]) -> Value { Value(type: 0x0E, bytes: b) }
        static func guid(_ b: [UInt8]) -> Value { Value(type: 0x0F, bytes: b) }
        static func sizeT(_ v: UInt64) -> Value { Value(type: 0x10, bytes: le(v, 8)) }
        static func filetime(_ v: UInt64) -> Value { Value(type: 0x11, bytes: le(v, 8)) }
        static func systemtime(_ f: [UInt16]) -> Value { Value(type: 0x12, bytes: f.flatMap { le(UInt64($0), 2) }) }
        static func sid(_ b: [UInt8]) -> Value { Value(type: 0x13, bytes: b) }
        static func hex32(_ v: UInt32) -> Value { Value(type: 0x14, bytes: le(UInt64(v), 4)) }
        static func hex64(_ v: UInt64) -> Value { Value(type: 0x15, bytes: le(v, 8)) }
        static let null = Value(type: 0x00, bytes: [])
        static func stringArray(_ items: [String]) -> Value {
            Value(type: 0x81, bytes: items.flatMap { $0.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0] })
        }
        static func uint16Array(_ items: [UInt16]) -> Value { Value(type: 0x86, bytes: items.flatMap { le(UInt64($0), 2) }) }
        static func binXml(_ b: [UInt8]) -> Value { Value(type: 0x21, bytes: b) }
    }

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    // MARK: raw bytes

    mutating func u8(_ v: UInt8) { data[pos] = v; pos += 1 }
    mutating func u16(_ v: UInt16) { for b in Self.le(UInt64(v), 2) { u8(b) } }
    mutating func u32(_ v: UInt32) { for b in Self.le(UInt64(v), 4) { u8(b) } }
    mutating func u64(_ v: UInt64) { for b in Self.le(v, 8) { u8(b) } }
    mutating func bytes(_ b: [UInt8]) { for x in b { u8(x) } }
    mutating func put32(_ v: UInt32, at offset: Int) { for (i, b) in Self.le(UInt64(v), 4).enumerated() { data[offset + i] = b } }

    // MARK: records

    /// A record: header, the BinXML `body` writes, and the trailing size copy.
    mutating func record(id: UInt64, filetime: UInt64 = 131_000_000_000_000_000, _ body: (inout EvtxTestChunk) -> Void) {
        if firstRecordID == 0 { firstRecordID = id }
        lastRecordID = id
        let start = pos
        u32(0x0000_2A2A)
        u32(0)
        u64(id)
        u64(filetime)
        body(&self)
        let size = pos - start + 4
        u32(UInt32(size))
        put32(UInt32(size), at: start + 4)
    }

    // MARK: BinXML tokens

    mutating func fragmentHeader() { bytes([0x0F, 0x01, 0x01, 0x00]) }
    mutating func eof() { u8(0x00) }

    /// A name reference; the name's string-table entry follows inline on first use.
    mutating func nameRef(_ name: String) {
        if let offset = names[name] {
            u32(UInt32(offset))
            return
        }
        let offset = pos + 4
        names[name] = offset
        u32(UInt32(offset))
        u32(0)
        u16(0)
        u16(UInt16(name.utf16.count))
        for unit in name.utf16 { u16(unit) }
        u16(0)
    }

    /// `<name` (dependency identifier inside template definitions).
    mutating func open(_ name: String, attributes: Bool = false, inTemplate: Bool = true) {
        u8(attributes ? 0x41 : 0x01)
        if inTemplate { u16(0xFFFF) }
        u32(0)
        nameRef(name)
        if attributes { u32(0) }
    }

    mutating func attribute(_ name: String, more: Bool = false) { u8(more ? 0x46 : 0x06); nameRef(name) }
    mutating func closeStart() { u8(0x02) }
    mutating func closeEmpty() { u8(0x03) }
    mutating func close() { u8(0x04) }

    /// A literal string value token.
    mutating func text(_ s: String) {
        u8(0x05)
        u8(0x01)
        u16(UInt16(s.utf16.count))
        for unit in s.utf16 { u16(unit) }
    }

    mutating func substitution(_ index: UInt16, type: UInt8, optional: Bool = false) {
        u8(optional ? 0x0E : 0x0D)
        u16(index)
        u8(type)
    }

    mutating func entity(_ name: String) { u8(0x09); nameRef(name) }
    mutating func charRef(_ v: UInt16) { u8(0x08); u16(v) }
    mutating func cdata(_ s: String) {
        u8(0x07)
        u16(UInt16(s.utf16.count))
        for unit in s.utf16 { u16(unit) }
    }

    /// A template instance. With `definition`, the template (GUID from `id`) is defined inline;
    /// without, it refers to the template already at `existing`.
    mutating func templateInstance(id: UInt32, existing: Int? = nil, definition: ((inout EvtxTestChunk) -> Void)? = nil, values: [Value]) {
        u8(0x0C)
        u8(0x01)
        u32(id)
        if let existing {
            u32(UInt32(existing))
        } else {
            let defOffset = pos + 4
            u32(UInt32(defOffset))
            templateOffsets[id] = defOffset
            u32(0)
            bytes(Self.le(UInt64(id), 4) + [UInt8](repeating: 0xAB, count: 12))
            let sizeAt = pos
            u32(0)
            let dataStart = pos
            definition?(&self)
            put32(UInt32(pos - dataStart), at: sizeAt)
        }
        u32(UInt32(values.count))
        for v in values {
            u16(UInt16(v.declaredSize ?? v.bytes.count))
            u8(v.type)
            u8(0)
        }
        for v in values { bytes(v.bytes) }
    }

    /// The chunk with its header filled in (checksums valid).
    func finished() -> [UInt8] {
        var d = data
        d.replaceSubrange(0..<8, with: Array("ElfChnk".utf8) + [0])
        func put64(_ v: UInt64, _ at: Int) { for (i, b) in EvtxTestChunk.le(v, 8).enumerated() { d[at + i] = b } }
        func put32(_ v: UInt32, _ at: Int) { for (i, b) in EvtxTestChunk.le(UInt64(v), 4).enumerated() { d[at + i] = b } }
        put64(firstRecordID, 8)
        put64(lastRecordID, 16)
        put64(firstRecordID, 24)
        put64(lastRecordID, 32)
        put32(128, 40)
        put32(UInt32(pos), 48)
        put32(d[512..<pos].withUnsafeBytes { EvtxCRC32.checksum($0) }, 52)
        let headerCRC = d.withUnsafeBytes { raw in
            EvtxCRC32.update(EvtxCRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<120])), UnsafeRawBufferPointer(rebasing: raw[128..<512]))
        }
        put32(headerCRC, 124)
        return d
    }

    /// A whole file: the 4096-byte header and the chunks.
    static func file(_ chunks: [[UInt8]]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 4096)
        header.replaceSubrange(0..<8, with: Array("ElfFile".utf8) + [0])
        header.replaceSubrange(16..<24, with: le(UInt64(max(chunks.count, 1) - 1), 8))
        header.replaceSubrange(32..<36, with: le(128, 4))
        header.replaceSubrange(36..<40, with: le(1, 2) + le(3, 2))
        header.replaceSubrange(40..<44, with: le(4096, 2) + le(UInt64(chunks.count), 2))
        return header + chunks.flatMap { $0 }
    }
}

enum EvtxTestFiles {
    /// Where the corpus is (tests that need it return early when it is absent).
    static let corpus: URL? = {
        let candidates = [
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpora"),
            URL(fileURLWithPath: "/work/shared/corpora"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("evtx").path) }?.standardizedFileURL
    }()

    static func sample(_ relative: String) -> URL? {
        guard let corpus else {
            print("note: the EVTX corpus (../shared/corpora/evtx) is absent; test skipped")
            return nil
        }
        let url = corpus.appendingPathComponent("evtx").appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("note: \(relative) is absent from the corpus; test skipped")
            return nil
        }
        return url
    }

    /// Writes `bytes` to a fresh temporary file.
    static func write(_ bytes: [UInt8], name: String = "test") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evtx-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("\(name)-\(UUID().uuidString).evtx")
        try Data(bytes).write(to: url)
        if let keep = ProcessInfo.processInfo.environment["EVTX_KEEP_SYNTHETIC"] {
            try? Data(bytes).write(to: URL(fileURLWithPath: keep).appendingPathComponent("\(name).evtx"))
        }
        return url
    }

    /// Every record of a file, and the reader's warnings.
    static func read(_ url: URL, outputs: EvtxFileReader.Outputs = [.json, .event]) throws -> ([EvtxRecord], [EvtxWarning]) {
        let reader = try EvtxFileReader(url: url, outputs: outputs)
        var records: [EvtxRecord] = []
        while let r = reader.next() { records.append(r) }
        return (records, reader.warnings)
    }

    /// A record's JSON parsed (tests only; the reader itself never uses Foundation JSON).
    static func parsed(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    /// A simple Event/System/EventData template (EventID, Computer) followed by named Data elements.
    static func writeEventTemplate(_ c: inout EvtxTestChunk, dataNames: [String], firstDataIndex: UInt16 = 2) {
        c.fragmentHeader()
        c.open("Event", attributes: true)
        c.attribute("xmlns")
        c.text("http://schemas.microsoft.com/win/2004/08/events/event")
        c.closeStart()
        c.open("System"); c.closeStart()
        c.open("EventID"); c.closeStart(); c.substitution(0, type: 0x06); c.close()
        c.open("Computer"); c.closeStart(); c.substitution(1, type: 0x01); c.close()
        c.close()
        c.open("EventData"); c.closeStart()
        for (i, name) in dataNames.enumerated() {
            c.open("Data", attributes: true)
            c.attribute("Name")
            c.text(name)
            c.closeStart()
            c.substitution(firstDataIndex + UInt16(i), type: 0x01, optional: true)
            c.close()
        }
        c.close()
        c.close()
        c.eof()
    }
}
