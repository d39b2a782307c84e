import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CONTRACT (issue 6): the EVTX reader the App and the CLI use. The implementation replaces the bodies.
public struct EvtxRecord: Sendable {
    public var recordID: UInt64
    public var timestamp: Date
    /// The record as the Rust `evtx` crate prints it with its JSON output (`{"Event":{...}}`).
    public var json: String
    /// The record flattened for hunting (see `FlatEvent`).
    public var event: FlatEvent
    public init(recordID: UInt64, timestamp: Date, json: String, event: FlatEvent) {
        self.recordID = recordID; self.timestamp = timestamp; self.json = json; self.event = event
    }
}

/// A chunk or record that was skipped, and where.
public struct EvtxWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var chunk: Int?
    public var offset: UInt64
    public var message: String
    public init(file: String, chunk: Int?, offset: UInt64, message: String) {
        self.file = file; self.chunk = chunk; self.offset = offset; self.message = message
    }
    public var description: String {
        "\(file): " + (chunk.map { "chunk \($0), " } ?? "") + "offset \(offset): \(message)"
    }
}

public struct EvtxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String
    public init(file: String, message: String) { self.file = file; self.message = message }
    public var description: String { "\(file): \(message)" }
}

/// Reads the records of one `.evtx` file in order, a chunk (64 KiB) at a time, so memory stays bounded
/// whatever the file's size.
///
/// Records come out as the Rust `evtx` crate (0.13, inside the `evtx` 0.14 Python package) reads them:
/// chunks are taken from the file size (not the header's count), all-zero chunks are skipped silently,
/// a chunk with a bad signature is skipped with a warning, records are followed until the chunk's free
/// space offset or its last record id, a record that cannot be parsed or rendered is skipped with a
/// warning and the next one is tried, and a bad record header ends its chunk. Checksums are not
/// checked unless `validateChecksums` (the crate's default too).
public final class EvtxFileReader {
    /// Warnings so far (corrupt chunks and records that were skipped).
    public private(set) var warnings: [EvtxWarning] = []
    /// Bytes of the file consumed so far, for progress.
    public private(set) var bytesRead: UInt64 = 0
    public let fileSize: UInt64

    /// What each record carries: hunting needs only `.event`, `ungcuu evtx` only `.json`.
    public struct Outputs: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let json = Outputs(rawValue: 1)
        public static let event = Outputs(rawValue: 2)
    }

    static let headerSize = 4096
    static let chunkSize = 65536
    static let chunkHeaderSize = 512
    /// Warnings kept per file (the count goes on; the first ones say what is wrong).
    static let maxWarnings = 1000

    private let name: String
    private let outputs: Outputs
    private let validateChecksums: Bool
    private let fd: Int32
    private let engine: EvtxEngine
    private let chunkBuffer: UnsafeMutableRawPointer
    private let names: EvtxNameTable
    private let parser: EvtxBinXmlParser

    private let chunkCount: Int
    private var nextChunk = 0
    /// The chunk being read: its number, record cursor and limits.
    private var chunkNumber = -1
    private var recordOffset = 0
    private var freeSpaceEnd = 0
    private var lastRecordID: UInt64 = 0
    private var chunkExhausted = true
    private var reportedTail = false
    /// Warnings beyond `maxWarnings` that were counted but not kept.
    public private(set) var suppressedWarnings = 0

    /// Throws `EvtxError` when the file cannot be opened or its header is not an EVTX header.
    /// A record's `json` is empty unless `.json` is asked for, and its `event` empty unless `.event` is.
    public convenience init(url: URL, name: String? = nil, outputs: Outputs = [.json, .event]) throws {
        try self.init(url: url, name: name, outputs: outputs, validateChecksums: false)
    }

    /// As above; with `validateChecksums` a chunk whose header or record-area CRC32 does not match is
    /// skipped with a warning (chunks flagged as having no CRC are accepted).
    public init(url: URL, name: String? = nil, outputs: Outputs = [.json, .event], validateChecksums: Bool) throws {
        let displayName = name ?? url.path
        self.name = displayName
        self.outputs = outputs
        self.validateChecksums = validateChecksums
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw EvtxError(file: displayName, message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw EvtxError(file: displayName, message: "cannot read the file's size: \(String(cString: strerror(errno)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw EvtxError(file: displayName, message: "is a directory, not an EVTX file")
        }
        let size = UInt64(max(0, Int64(st.st_size)))
        guard size >= UInt64(Self.headerSize) else {
            close(fd)
            throw EvtxError(file: displayName, message: "is \(size) bytes long, shorter than the 4096-byte EVTX file header")
        }
        var magic = [UInt8](repeating: 0, count: 8)
        let got = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, 0) }
        guard got == 8 else {
            close(fd)
            throw EvtxError(file: displayName, message: "cannot read the file header")
        }
        guard magic == Array("ElfFile".utf8) + [0] else {
            close(fd)
            let shown = magic.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            throw EvtxError(file: displayName, message: "not an EVTX file: the header signature is \(shown), not ElfFile")
        }
        self.fd = fd
        fileSize = size
        chunkCount = Int((size - UInt64(Self.headerSize)) / UInt64(Self.chunkSize))
        engine = EvtxEngine.take()
        chunkBuffer = engine.chunkBuffer
        names = engine.names
        parser = engine.parser
        bytesRead = UInt64(Self.headerSize)
    }

    deinit {
        close(fd)
        EvtxEngine.give(engine)
    }

    /// The next record, or nil at the end. Never throws: damage becomes a warning and reading goes on.
    public func next() -> EvtxRecord? {
        while let (id, ft, root) = nextTree() {
            var text = ""
            var event = FlatEvent()
            do {
                if outputs.contains(.json) {
                    try renderJSON(root)
                    text = String(decoding: engine.json.bytes, as: UTF8.self)
                }
                if outputs.contains(.event) { event = try flatten(root) }
            } catch {
                warnRecord(id, error)
                continue
            }
            return EvtxRecord(recordID: id, timestamp: Self.date(fromFiletime: ft), json: text, event: event)
        }
        return nil
    }

    /// The next record's JSON bytes (valid only inside `body`), without making a `String`: what
    /// `ungcuu evtx` prints. Returns false at the end.
    public func nextJSON(_ body: (_ recordID: UInt64, _ json: UnsafeRawBufferPointer) -> Void) -> Bool {
        while let (id, _, root) = nextTree() {
            do {
                try renderJSON(root)
            } catch {
                warnRecord(id, error)
                continue
            }
            body(id, engine.json.bytes)
            return true
        }
        return false
    }

    // MARK: rendering

    private var context: EvtxRenderContext {
        EvtxRenderContext(store: parser.record, chunk: UnsafeRawPointer(chunkBuffer), names: names)
    }

    private func renderJSON(_ root: Int32) throws(EvtxParseError) {
        engine.json.count = 0
        var writer = EvtxJSONWriter(out: engine.json, keys: names.keys)
        defer { engine.json = writer.out }
        try context.render(root: root, into: &writer)
    }

    private func flatten(_ root: Int32) throws(EvtxParseError) -> FlatEvent {
        let ctx = context
        let ordered = sectionsInOrder(root, ctx)
        engine.flattener.reset(ordered: ordered, chunk: parser.chunkGeneration)
        if try !engine.flattener.flattenDirect(root, ctx) {
            // An unusual shape: the generic walk of the JSON structure.
            engine.flattener.reset(ordered: ordered, chunk: parser.chunkGeneration)
            try ctx.render(root: root, into: &engine.flattener)
        }
        return engine.flattener.event()
    }

    /// Whether the first System, EventData and UserData children of the root come in that order.
    private func sectionsInOrder(_ root: Int32, _ ctx: EvtxRenderContext) -> Bool {
        var seen = 0  // bit per section met
        var c = ctx.node(root).first
        while c >= 0 {
            let n = ctx.node(c)
            if n.kind == EvtxNodeKind.element {
                let section: Int
                switch n.a {
                case EvtxNameTable.system: section = 0
                case EvtxNameTable.eventData: section = 1
                case EvtxNameTable.userData: section = 2
                default: section = -1
                }
                if section >= 0 && seen & (1 << section) == 0 {
                    if seen >> (section + 1) != 0 { return false }
                    seen |= 1 << section
                }
            }
            c = n.next
        }
        return true
    }

    static func date(fromFiletime ft: UInt64) -> Date {
        let seconds = Int64(ft / 10_000_000) - EvtxDateTime.filetimeEpochDelta
        return Date(timeIntervalSince1970: Double(seconds) + Double(ft % 10_000_000) / 10_000_000)
    }

    // MARK: chunks and records

    private var chunkFileOffset: Int { Self.headerSize + chunkNumber * Self.chunkSize }

    private func warn(chunk: Int?, offset: Int, _ message: String) {
        guard warnings.count < Self.maxWarnings else {
            suppressedWarnings += 1
            return
        }
        warnings.append(EvtxWarning(file: name, chunk: chunk, offset: UInt64(max(0, offset)), message: message))
    }

    private func warnRecord(_ id: UInt64, _ error: EvtxParseError) {
        let at = error.offset >= 0 ? chunkFileOffset + error.offset : chunkFileOffset + currentRecordStart
        warn(chunk: chunkNumber, offset: at, "record \(id) skipped: \(error.message)")
    }

    private var currentRecordStart = 0

    /// Loads the next chunk that has a valid header; false when there is none.
    private func loadNextChunk() -> Bool {
        while nextChunk < chunkCount {
            let number = nextChunk
            nextChunk += 1
            let fileOffset = Self.headerSize + number * Self.chunkSize
            var done = 0
            while done < Self.chunkSize {
                let n = pread(fd, chunkBuffer + done, Self.chunkSize - done, off_t(fileOffset + done))
                if n <= 0 { break }
                done += n
            }
            bytesRead = min(fileSize, UInt64(fileOffset + Self.chunkSize))
            guard done == Self.chunkSize else {
                warn(chunk: number, offset: fileOffset, "chunk could not be read (\(done) of 65536 bytes); skipped")
                continue
            }
            let base = UnsafeRawPointer(chunkBuffer)
            if isAllZero(base) { continue }
            if memcmp(base, "ElfChnk", 8) != 0 {
                warn(chunk: number, offset: fileOffset, "not a chunk: the signature is not ElfChnk; chunk skipped")
                continue
            }
            let free = Int(evtxLoadU32(base, 48))
            let flags = evtxLoadU32(base, 120)
            if validateChecksums && flags & 0x4 == 0 {
                let headerCRC = EvtxCRC32.update(EvtxCRC32.checksum(UnsafeRawBufferPointer(start: base, count: 120)),
                                                 UnsafeRawBufferPointer(start: base + 128, count: 384))
                guard headerCRC == evtxLoadU32(base, 124) else {
                    warn(chunk: number, offset: fileOffset, "chunk header checksum mismatch; chunk skipped")
                    continue
                }
                let end = min(max(free, Self.chunkHeaderSize), Self.chunkSize)
                let dataCRC = EvtxCRC32.checksum(UnsafeRawBufferPointer(start: base + Self.chunkHeaderSize, count: end - Self.chunkHeaderSize))
                guard dataCRC == evtxLoadU32(base, 52) else {
                    warn(chunk: number, offset: fileOffset, "chunk records checksum mismatch; chunk skipped")
                    continue
                }
            }
            chunkNumber = number
            lastRecordID = evtxLoadU64(base, 32)
            freeSpaceEnd = min(free, Self.chunkSize)
            recordOffset = Self.chunkHeaderSize
            chunkExhausted = false
            parser.beginChunk()
            return true
        }
        if !reportedTail {
            reportedTail = true
            let tail = (fileSize - UInt64(Self.headerSize)) % UInt64(Self.chunkSize)
            if tail > 0 {
                warn(chunk: chunkCount, offset: Self.headerSize + chunkCount * Self.chunkSize,
                     "the file ends inside chunk \(chunkCount) (\(tail) of 65536 bytes); its records are skipped")
            }
        }
        return false
    }

    private func isAllZero(_ base: UnsafeRawPointer) -> Bool {
        var i = 0
        while i < Self.chunkSize {
            if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) != 0 { return false }
            i += 8
        }
        return true
    }

    /// The next record's id, header timestamp and tree root.
    private func nextTree() -> (UInt64, UInt64, Int32)? {
        while true {
            if chunkExhausted {
                guard loadNextChunk() else { return nil }
            }
            let base = UnsafeRawPointer(chunkBuffer)
            let start = recordOffset
            currentRecordStart = start
            if start >= freeSpaceEnd || Self.chunkSize - start < 4 {
                chunkExhausted = true
                continue
            }
            let magic = evtxLoadU32(base, start)
            if magic != 0x0000_2A2A {
                if magic != 0 {
                    warn(chunk: chunkNumber, offset: chunkFileOffset + start,
                         "invalid record signature; the rest of the chunk is skipped")
                }
                chunkExhausted = true
                continue
            }
            if Self.chunkSize - start < 24 {
                chunkExhausted = true
                continue
            }
            let size = Int(evtxLoadU32(base, start + 4))
            let id = evtxLoadU64(base, start + 8)
            let ft = evtxLoadU64(base, start + 16)
            guard ft <= EvtxDateTime.maxFiletime else {
                warn(chunk: chunkNumber, offset: chunkFileOffset + start + 16,
                     "record \(id) has an out-of-range time; the rest of the chunk is skipped")
                chunkExhausted = true
                continue
            }
            guard size >= 28 else {
                warn(chunk: chunkNumber, offset: chunkFileOffset + start + 4,
                     "record \(id) has size \(size), less than a record header; the rest of the chunk is skipped")
                chunkExhausted = true
                continue
            }
            let dataStart = start + 24
            let dataSize = size - 28
            recordOffset = start + size
            if id == lastRecordID { chunkExhausted = true }
            guard dataSize <= Self.chunkSize - dataStart else {
                warn(chunk: chunkNumber, offset: chunkFileOffset + start + 4,
                     "record \(id) is \(size) bytes long, past the end of its chunk; skipped")
                continue
            }
            do {
                let root = try parser.parseRecord(offset: dataStart, size: dataSize)
                return (id, ft, root)
            } catch {
                warnRecord(id, error)
            }
        }
    }
}

/// The buffers and caches one reader works with: the chunk buffer, the name table, the parser with its
/// per-chunk caches, the JSON buffer and the flattener. Kept in a small pool so that reading many files
/// does not allocate and zero them again for each file.
final class EvtxEngine {
    let chunkBuffer: UnsafeMutableRawPointer
    let names: EvtxNameTable
    let parser: EvtxBinXmlParser
    @exclusivity(unchecked) var json: EvtxByteBuffer
    @exclusivity(unchecked) var flattener: EvtxFlattener

    private init() {
        chunkBuffer = .allocate(byteCount: EvtxFileReader.chunkSize, alignment: 16)
        names = EvtxNameTable()
        parser = EvtxBinXmlParser(chunk: UnsafeRawPointer(chunkBuffer), names: names)
        json = EvtxByteBuffer(capacity: 16 * 1024)
        flattener = EvtxFlattener(names: names)
    }

    deinit {
        chunkBuffer.deallocate()
        json.deallocate()
        flattener.deallocate()
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var pool: [EvtxEngine] = []

    static func take() -> EvtxEngine {
        lock.lock()
        let engine = pool.popLast()
        lock.unlock()
        return engine ?? EvtxEngine()
    }

    static func give(_ engine: EvtxEngine) {
        if engine.json.capacity > 1 << 22 {
            // An unusually large record grew the buffer: do not keep that memory around.
            return
        }
        lock.lock()
        if pool.count < 4 { pool.append(engine) }
        lock.unlock()
    }
}
