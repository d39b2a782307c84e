import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CONTRACT (issue 6): events as JSON lines, parsed fast (byte-level, no Foundation JSON on this path).
public struct JSONLineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public init(line: Int, column: Int, message: String) { self.line = line; self.column = column; self.message = message }
    public var description: String { "line \(line), column \(column): \(message)" }
}

public enum JSONLineEvent {
    /// Containers nest at most this deep (the line's object is depth 1).
    public static let maxDepth = 64

    /// One JSON object → a flat event. Nested objects join their keys with dots; an object in the
    /// shape the `evtx` crate prints (`{"Event":{"System":…,"EventData":…}}`) is flattened like EVTX
    /// records are. Arrays stay arrays. `line` only labels errors.
    ///
    /// Strict RFC 8259: the line must be one object (whitespace around it allowed), strings valid UTF-8
    /// with valid escapes (surrogate pairs joined, lone surrogates refused), no control characters in
    /// strings. Numbers without fraction or exponent that fit `Int64` become `.int`, all others `.double`
    /// (a number too large for a double is an error). Duplicate keys: the last wins. An object inside an
    /// array is kept as its JSON text (`.string`), since a flat event has no place for it; an empty object
    /// adds no field. The evtx shape is a line whose only key is `Event` holding an object with `System`;
    /// it is flattened like `../shared/bench/flatten_evtx.py`: System fields by name (`#text` as the value,
    /// attributes as `<Element>_<Attribute>`), then EventData, then UserData fields by name (one level of
    /// nesting, `#attributes` and arrays left out), later sections overriding earlier ones.
    /// Errors name the column as a 1-based byte offset in the line.
    public static func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(JSONLineError) -> FlatEvent {
        let parser = JSONLineParser(caching: false)
        return try parser.parse(bytes, line: line)
    }

    /// Lines longer than this are refused by `parse` (a `JSONLineParser` or reader can be given another limit).
    public static let defaultMaxLineBytes = 4 << 20

    /// The event as one JSON object (no newline), keys sorted (by their UTF-8 bytes). Non-finite doubles,
    /// which JSON cannot carry, are written as `null`.
    public static func serialize(_ event: FlatEvent) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + event.fields.count * 32)
        out.append(UInt8(ascii: "{"))
        let keys = event.fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var first = true
        for key in keys {
            guard let value = event.fields[key] else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.string(key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.value(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}

enum JSONWriter {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for c in s.utf8 {
            switch c {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
            case 0..<0x20, 0x7F:
                out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
                out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 15)])
            default: out.append(c)
            }
        }
        out.append(0x22)
    }

    static func value(_ v: EventValue, into out: inout [UInt8]) {
        switch v {
        case .string(let s): string(s, into: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite { out.append(contentsOf: d.description.utf8) } else { out.append(contentsOf: "null".utf8) }
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                value(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

/// Reads a JSON-lines file line by line with bounded memory. Blank lines are skipped;
/// a bad line is an error naming its number (the caller decides whether to stop or skip).
///
/// The file is read through one buffer of `maxLineBytes` plus 256 KiB, whatever its size. A line longer
/// than `maxLineBytes` is an error for that line and is skipped (reading goes on with the next line).
/// CRLF line ends and a UTF-8 byte-order mark at the start of the file are accepted.
public final class JSONLinesFileReader {
    public private(set) var bytesRead: UInt64 = 0
    public let fileSize: UInt64
    public let maxLineBytes: Int
    /// The number of the last line returned or refused (1-based).
    public private(set) var lineNumber: Int = 0

    private let fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var skippingLongLine = false
    private var atFileStart = true
    private let parser: JSONLineParser

    public init(url: URL, maxLineBytes: Int = 4 << 20) throws {
        let limit = max(16, maxLineBytes)
        let fd = url.withUnsafeFileSystemRepresentation { path -> Int32 in
            guard let path else { return -1 }
            return open(path, O_RDONLY | O_CLOEXEC)
        }
        guard fd >= 0 else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: url.path,
                NSLocalizedDescriptionKey: "cannot open \(url.path): \(String(cString: strerror(errno)))"])
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else {
            close(fd)
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: url.path,
                NSLocalizedDescriptionKey: "\(url.path) is not a readable file"])
        }
        self.fd = fd
        self.fileSize = UInt64(max(0, st.st_size))
        self.maxLineBytes = limit
        self.capacity = limit + 1 + (256 << 10)
        self.buffer = .allocate(capacity: capacity)
        self.parser = JSONLineParser(maxLineBytes: limit)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Reads more into the buffer (moving what is left to its front); false at the end of the file.
    private func fill() throws(JSONLineError) -> Bool {
        if atEOF { return false }
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            end -= start
            start = 0
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n > 0 { end += n; return true }
            if n == 0 { atEOF = true; return false }
            if errno == EINTR { continue }
            throw JSONLineError(line: lineNumber + 1, column: 0, message: "read error: \(String(cString: strerror(errno)))")
        }
    }

    /// The next event, nil at the end; throws for a line that is not a JSON object (reading can go on).
    public func next() throws(JSONLineError) -> FlatEvent? {
        while true {
            // Find the end of the next line, reading more as needed; [start, searched) holds no newline.
            var searched = start
            var newline: Int?
            while true {
                if end > searched, let found = memchr(buffer + searched, 0x0A, end - searched) {
                    newline = UnsafeMutableRawPointer(buffer).distance(to: found)
                    break
                }
                searched = end
                if end - start > maxLineBytes {
                    // Too long: drop what we have of it and look for its end.
                    skippingLongLine = true
                    bytesRead += UInt64(end - start)
                    start = end
                }
                let offset = searched - start
                guard try fill() else { break }
                searched = start + offset
            }
            let lineStart = start
            let lineEnd: Int
            if let newline {
                lineEnd = newline
                start = newline + 1
            } else {
                guard end > start || skippingLongLine else { return nil }
                lineEnd = end
                start = end
            }
            bytesRead += UInt64(start - lineStart)
            lineNumber += 1
            if lineEnd - lineStart > maxLineBytes { skippingLongLine = true }
            if skippingLongLine {
                skippingLongLine = false
                atFileStart = false
                throw JSONLineError(line: lineNumber, column: maxLineBytes + 1,
                                    message: "line longer than \(maxLineBytes) bytes; skipped")
            }
            var s = lineStart
            var e = lineEnd
            if atFileStart {
                atFileStart = false
                if e - s >= 3, buffer[s] == 0xEF, buffer[s + 1] == 0xBB, buffer[s + 2] == 0xBF { s += 3 }
            }
            if e > s, buffer[e - 1] == 0x0D { e -= 1 }
            var blank = true
            var k = s
            while k < e {
                let c = buffer[k]
                if c != 0x20, c != 0x09, c != 0x0D { blank = false; break }
                k += 1
            }
            if blank { continue }
            return try parser.parse(UnsafeRawBufferPointer(start: buffer + s, count: e - s), line: lineNumber)
        }
    }
}

// MARK: - The parser

/// The parser behind `JSONLineEvent.parse`, for callers that parse many lines from memory (an HTTP body,
/// a syslog payload): it keeps its scratch buffers, the strings of keys seen before and the dictionaries of
/// recent key sequences between lines, which makes the lines after the first much cheaper. One per thread:
/// not thread-safe. Same rules and errors as `JSONLineEvent.parse`.
public final class JSONLineParser {
    public let maxLineBytes: Int
    private let caching: Bool

    @exclusivity(unchecked) private var p: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
    @exclusivity(unchecked) private var n = 0
    @exclusivity(unchecked) private var i = 0
    @exclusivity(unchecked) private var line = 0
    /// The dotted key of the value being parsed.
    @exclusivity(unchecked) private var key: [UInt8] = []
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// The fields of the line so far, in order (duplicates included; the last wins).
    @exclusivity(unchecked) private var pairs: [Pair] = []
    @exclusivity(unchecked) private var keyCache = KeyCache()
    @exclusivity(unchecked) private var schemas = SchemaCache()

    // EVTX shape: entries of System, EventData and UserData, applied in that order at the end.
    @exclusivity(unchecked) private var sections: [[Pair]] = [[], [], []]
    @exclusivity(unchecked) private var sawSystem = false

    private enum Sink { case fields, section(Int) }
    @exclusivity(unchecked) private var sink = Sink.fields

    public convenience init(maxLineBytes: Int = JSONLineEvent.defaultMaxLineBytes) {
        self.init(maxLineBytes: maxLineBytes, caching: true)
    }

    init(maxLineBytes: Int = JSONLineEvent.defaultMaxLineBytes, caching: Bool) {
        self.maxLineBytes = maxLineBytes
        self.caching = caching
        key.reserveCapacity(64)
    }

    public func parse(_ raw: UnsafeRawBufferPointer, line: Int) throws(JSONLineError) -> FlatEvent {
        self.line = line
        guard let base = raw.baseAddress, raw.count > 0 else {
            throw JSONLineError(line: line, column: 1, message: "empty line: expected a JSON object")
        }
        guard raw.count <= maxLineBytes else {
            throw JSONLineError(line: line, column: maxLineBytes + 1, message: "line longer than \(maxLineBytes) bytes")
        }
        p = base.assumingMemoryBound(to: UInt8.self)
        n = raw.count
        defer { p = UnsafePointer(bitPattern: 1)!; n = 0 }
        pairs.removeAll(keepingCapacity: true)
        if try parseEvtxShape() {
            // done
        } else {
            pairs.removeAll(keepingCapacity: true)
            i = 0
            sink = .fields
            skipWhitespace()
            guard i < n, p[i] == UInt8(ascii: "{") else { throw error("expected a JSON object") }
            key.removeAll(keepingCapacity: true)
            try parseObjectFlattening(depth: 1)
        }
        skipWhitespace()
        guard i == n else { throw error("unexpected \(describe(i)) after the object") }
        let result = FlatEvent(fields: caching ? schemas.fields(pairs) : SchemaCache.plainFields(pairs))
        pairs.removeAll(keepingCapacity: true)
        return result
    }

    // MARK: errors

    private func error(_ message: String, at position: Int? = nil) -> JSONLineError {
        JSONLineError(line: line, column: min(position ?? i, n) + 1, message: message)
    }

    private func describe(_ k: Int) -> String {
        guard k < n else { return "end of line" }
        let c = p[k]
        if c >= 0x21, c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte " + Self.hexByte(c)
    }

    // MARK: helpers

    static func hexByte(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return "0x" + String(decoding: [digits[Int(c >> 4)], digits[Int(c & 15)]], as: UTF8.self)
    }

    @inline(__always) private func skipWhitespace() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
        }
    }

    @inline(__always) private func expect(_ c: UInt8, _ what: String) throws(JSONLineError) {
        skipWhitespace()
        guard i < n, p[i] == c else { throw error("expected \(what), found \(describe(i))") }
        i += 1
    }

    private func emit(_ value: EventValue) {
        let (name, hash) = caching ? keyCache.string(for: key) : (String(decoding: key, as: UTF8.self), 0)
        switch sink {
        case .fields: pairs.append(Pair(key: name, hash: hash, value: value))
        case .section(let s): sections[s].append(Pair(key: name, hash: hash, value: value))
        }
    }

    // MARK: EVTX shape

    /// Tries the `{"Event":{...}}` shape; false (position undefined) when the line is not in it.
    private func parseEvtxShape() throws(JSONLineError) -> Bool {
        i = 0
        skipWhitespace()
        guard i < n, p[i] == UInt8(ascii: "{") else { return false }
        i += 1
        skipWhitespace()
        guard i < n, p[i] == 0x22 else { return false }
        key.removeAll(keepingCapacity: true)
        try readString(into: &key)
        guard keyIs("Event") else { return false }
        try expect(UInt8(ascii: ":"), "':'")
        skipWhitespace()
        guard i < n, p[i] == UInt8(ascii: "{") else { return false }
        for s in 0..<3 { sections[s].removeAll(keepingCapacity: true) }
        sawSystem = false
        try forEachMember(depth: 2) { () throws(JSONLineError) in
            let section: Int? = keyIs("System") ? 0 : keyIs("EventData") ? 1 : keyIs("UserData") ? 2 : nil
            guard let section else { try skipValue(depth: 3); return }
            // A section given twice: the last one counts, as in a Python dict.
            sections[section].removeAll(keepingCapacity: true)
            if section == 0 { sawSystem = false }
            guard i < n, p[i] == UInt8(ascii: "{") else { try skipValue(depth: 3); return }
            if section == 0 { sawSystem = true; try parseSystem() } else { try parseDataSection(section) }
        }
        skipWhitespace()
        guard sawSystem, i < n, p[i] == UInt8(ascii: "}") else { return false }
        i += 1
        for s in 0..<3 {
            pairs.append(contentsOf: sections[s])
            sections[s].removeAll(keepingCapacity: true)
        }
        return true
    }

    private func keyIs(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard key.count == count else { return false }
        let lit = literal.utf8Start
        for k in 0..<count where key[k] != lit[k] { return false }
        return true
    }

    /// Visits the members of the object at `i` (which is `{`): `body` is called with the member's key in
    /// `key` and `i` at its value, and must consume the value.
    private func forEachMember(depth: Int, _ body: () throws(JSONLineError) -> Void) throws(JSONLineError) {
        guard depth <= JSONLineEvent.maxDepth else { throw error("nesting deeper than \(JSONLineEvent.maxDepth)") }
        i += 1 // {
        skipWhitespace()
        if i < n, p[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipWhitespace()
            guard i < n, p[i] == 0x22 else { throw error(i < n ? "expected a key, found \(describe(i))" : "unterminated object") }
            key.removeAll(keepingCapacity: true)
            try readString(into: &key)
            try expect(UInt8(ascii: ":"), "':' after the key")
            skipWhitespace()
            try body()
            skipWhitespace()
            guard i < n else { throw error("unterminated object") }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            guard p[i] == UInt8(ascii: "}") else { throw error("expected ',' or '}', found \(describe(i))") }
            i += 1
            return
        }
    }

    private func parseSystem() throws(JSONLineError) {
        sink = .section(0)
        defer { sink = .fields }
        try forEachMember(depth: 3) { () throws(JSONLineError) in
            guard i < n, p[i] == UInt8(ascii: "{") else { emit(try parseValue(depth: 4)); return }
            let element = key
            try forEachMember(depth: 4) { () throws(JSONLineError) in
                if keyIs("#text") {
                    key = element
                    try emitValueFlattening(depth: 5)
                } else if keyIs("#attributes"), i < n, p[i] == UInt8(ascii: "{") {
                    try forEachMember(depth: 5) { () throws(JSONLineError) in
                        let attribute = key
                        key = element
                        key.append(UInt8(ascii: "_"))
                        key.append(contentsOf: attribute)
                        try emitValueFlattening(depth: 6)
                    }
                } else {
                    try skipValue(depth: 5)
                }
            }
        }
    }

    private func parseDataSection(_ section: Int) throws(JSONLineError) {
        sink = .section(section)
        defer { sink = .fields }
        try forEachMember(depth: 3) { () throws(JSONLineError) in
            if keyIs("#attributes") { try skipValue(depth: 4); return }
            guard i < n else { throw error("expected a value") }
            switch p[i] {
            case UInt8(ascii: "{"):
                try forEachMember(depth: 4) { () throws(JSONLineError) in
                    guard !keyIs("#attributes"), i < n, p[i] != UInt8(ascii: "{"), p[i] != UInt8(ascii: "[") else {
                        try skipValue(depth: 5); return
                    }
                    emit(try parseValue(depth: 5))
                }
            case UInt8(ascii: "["):
                try skipValue(depth: 4)
            default:
                emit(try parseValue(depth: 4))
            }
        }
    }

    // MARK: generic flattening

    /// The value at `i` under the current key: objects are flattened with dots, others emitted.
    private func emitValueFlattening(depth: Int) throws(JSONLineError) {
        if i < n, p[i] == UInt8(ascii: "{") {
            try parseObjectFlattening(depth: depth)
        } else {
            emit(try parseValue(depth: depth))
        }
    }

    private func parseObjectFlattening(depth: Int) throws(JSONLineError) {
        let prefix = key
        let topLevel = depth == 1
        try forEachMember(depth: depth) { () throws(JSONLineError) in
            if !topLevel {
                let member = key
                key = prefix
                key.append(UInt8(ascii: "."))
                key.append(contentsOf: member)
            }
            try emitValueFlattening(depth: depth + 1)
        }
    }

    // MARK: values

    /// A scalar or an array at `i` (objects inside arrays become their JSON text).
    private func parseValue(depth: Int) throws(JSONLineError) -> EventValue {
        guard i < n else { throw error("expected a value, found end of line") }
        switch p[i] {
        case 0x22:
            return .string(try readStringValue())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        case UInt8(ascii: "["):
            return .array(try readArray(depth: depth))
        case UInt8(ascii: "{"):
            let s = i
            try skipValue(depth: depth)
            return .string(String(decoding: UnsafeBufferPointer(start: p + s, count: i - s), as: UTF8.self))
        default:
            throw error("expected a value, found \(describe(i))")
        }
    }

    private func literal(_ word: StaticString) throws(JSONLineError) {
        let count = word.utf8CodeUnitCount
        let w = word.utf8Start
        guard n - i >= count else { throw error("invalid literal") }
        for k in 0..<count where p[i + k] != w[k] { throw error("invalid literal") }
        i += count
    }

    private func readArray(depth: Int) throws(JSONLineError) -> [EventValue] {
        guard depth <= JSONLineEvent.maxDepth else { throw error("nesting deeper than \(JSONLineEvent.maxDepth)") }
        i += 1
        var items: [EventValue] = []
        skipWhitespace()
        if i < n, p[i] == UInt8(ascii: "]") { i += 1; return items }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard i < n else { throw error("unterminated array") }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            guard p[i] == UInt8(ascii: "]") else { throw error("expected ',' or ']', found \(describe(i))") }
            i += 1
            return items
        }
    }

    /// Validates and skips the value at `i`.
    private func skipValue(depth: Int) throws(JSONLineError) {
        skipWhitespace()
        guard i < n else { throw error("expected a value, found end of line") }
        switch p[i] {
        case 0x22:
            scratch.removeAll(keepingCapacity: true)
            try readString(into: &scratch)
        case UInt8(ascii: "{"):
            let saved = key
            try forEachMember(depth: depth) { () throws(JSONLineError) in try skipValue(depth: depth + 1) }
            key = saved
        case UInt8(ascii: "["):
            guard depth <= JSONLineEvent.maxDepth else { throw error("nesting deeper than \(JSONLineEvent.maxDepth)") }
            i += 1
            skipWhitespace()
            if i < n, p[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < n else { throw error("unterminated array") }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                guard p[i] == UInt8(ascii: "]") else { throw error("expected ',' or ']', found \(describe(i))") }
                i += 1
                return
            }
        default:
            _ = try parseValue(depth: depth)
        }
    }

    // MARK: strings

    /// The first index at or after `k` whose byte is `"`, `\\`, a control character or non-ASCII
    /// (or `n`): 8 bytes at a time.
    @inline(__always) private func scanPlain(_ start: Int) -> Int {
        var k = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        while n - k >= 8 {
            let x = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
            let quote = x ^ (ones &* 0x22)
            let slash = x ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((x &- ones &* 0x20) & ~x) | x
            if special & high != 0 { break }
            k += 8
        }
        while k < n {
            let c = p[k]
            if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { return k }
            k += 1
        }
        return k
    }

    /// The string at `i` (which is `"`) as a Swift string.
    private func readStringValue() throws(JSONLineError) -> String {
        let s = i + 1
        var k = s
        var ascii = true
        while true {
            k = scanPlain(k)
            guard k < n else { break }
            let c = p[k]
            if c == 0x22 {
                if !ascii, let bad = Self.invalidUTF8(p, s, k) { throw error("invalid UTF-8 in string", at: bad) }
                i = k + 1
                return String(decoding: UnsafeBufferPointer(start: p + s, count: k - s), as: UTF8.self)
            }
            if c >= 0x80 { ascii = false; k += 1; continue }
            break // an escape or a control character: the careful way
        }
        scratch.removeAll(keepingCapacity: true)
        try readString(into: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Decodes the string at `i` (which is `"`), appending its UTF-8 to `out`; `i` ends past the quote.
    private func readString(into out: inout [UInt8]) throws(JSONLineError) {
        let open = i
        i += 1
        var runStart = i
        while true {
            i = scanPlain(i)
            guard i < n else { throw error("unterminated string (opened at column \(open + 1))") }
            let c = p[i]
            if c == 0x22 {
                try appendRun(runStart, i, into: &out)
                i += 1
                return
            }
            if c == 0x5C {
                try appendRun(runStart, i, into: &out)
                try readEscape(into: &out)
                runStart = i
                continue
            }
            if c >= 0x80 { i += 1; continue }
            throw error("control character U+00\(Self.hexByte(c).dropFirst(2)) in a string (must be escaped)")
        }
    }

    @inline(__always) private func appendRun(_ s: Int, _ e: Int, into out: inout [UInt8]) throws(JSONLineError) {
        guard e > s else { return }
        var k = s
        while k < e, p[k] < 0x80 { k += 1 }
        if k < e, let bad = Self.invalidUTF8(p, k, e) { throw error("invalid UTF-8 in string", at: bad) }
        out.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s))
    }

    private func readEscape(into out: inout [UInt8]) throws(JSONLineError) {
        let at = i
        guard i + 1 < n else { throw error("unterminated escape") }
        let c = p[i + 1]
        i += 2
        switch c {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x2F: out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: at)
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard i + 1 < n, p[i] == 0x5C, p[i + 1] == UInt8(ascii: "u") else {
                    throw error("lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) (a high surrogate needs a low one)", at: at)
                }
                let lowAt = i
                i += 2
                let low = try hex4(at: lowAt)
                guard low >= 0xDC00, low <= 0xDFFF else {
                    throw error("lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) (followed by \\u\(String(low, radix: 16, uppercase: true)))", at: at)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw error("lone surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: at)
            }
            Self.appendUTF8(scalar, into: &out)
        default:
            throw error("invalid escape \\\(c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : Self.hexByte(c))", at: at)
        }
    }

    /// Four hex digits at `i`; `escapeAt` labels errors.
    private func hex4(at escapeAt: Int) throws(JSONLineError) -> UInt32 {
        guard n - i >= 4 else { throw error("incomplete \\u escape", at: escapeAt) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid \\u escape (expected 4 hex digits)", at: escapeAt)
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }

    static func appendUTF8(_ v: UInt32, into out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// The offset of the first byte of an invalid UTF-8 sequence in `p[s..<e]`, or nil.
    static func invalidUTF8(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var k = s
        while k < e {
            let c = p[k]
            if c < 0x80 { k += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return k
            }
            guard e - k > need else { return k }
            let c1 = p[k + 1]
            guard c1 >= lo, c1 <= hi else { return k }
            for m in 2...max(2, need) where m <= need {
                guard p[k + m] & 0xC0 == 0x80 else { return k }
            }
            k += need + 1
        }
        return nil
    }

    // MARK: numbers

    private static let exactPowers: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    private func readNumber() throws(JSONLineError) -> EventValue {
        let s = i
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < n, p[i] &- 48 < 10 else { throw error("invalid number: expected a digit after '-'", at: s) }
        var mantissa: UInt64 = 0
        var digits = 0 // significant digits kept in mantissa
        var dropped = 0 // integer digits beyond 19 (scale the exponent)
        var overflow = false
        if p[i] == 0x30 {
            i += 1
            if i < n, p[i] &- 48 < 10 { throw error("invalid number: leading zero", at: s) }
        } else {
            while i < n, p[i] &- 48 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); if mantissa != 0 { digits += 1 }
                } else { dropped += 1; overflow = true }
                i += 1
            }
        }
        var isInteger = true
        var exponent = dropped
        if i < n, p[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < n, p[i] &- 48 < 10 else { throw error("invalid number: expected a digit after '.'", at: s) }
            while i < n, p[i] &- 48 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); exponent -= 1
                    if mantissa != 0 { digits += 1 }
                } else if p[i] != 0x30 { overflow = true }
                i += 1
            }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { expNegative = p[i] == UInt8(ascii: "-"); i += 1 }
            guard i < n, p[i] &- 48 < 10 else { throw error("invalid number: expected a digit in the exponent", at: s) }
            var e = 0
            while i < n, p[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                i += 1
            }
            exponent += expNegative ? -e : e
        }
        if isInteger, !overflow {
            if !negative, mantissa <= UInt64(Int64.max) { return .int(Int64(mantissa)) }
            if negative, mantissa <= UInt64(Int64.max) + 1 { return .int(mantissa == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mantissa)) }
        }
        // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
        if !overflow, mantissa <= (1 << 53), exponent >= -22, exponent <= 22 {
            var d = Double(mantissa)
            d = exponent < 0 ? d / Self.exactPowers[-exponent] : d * Self.exactPowers[exponent]
            return .double(negative ? -d : d)
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + s, count: i - s), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw error("number out of range", at: s) }
        return .double(d)
    }
}

/// Strings for keys seen before, so that a key is not decoded and allocated again on every line.
/// A direct-mapped table over one byte arena (cleared when it fills up).
struct KeyCache {
    private static let slots = 2048
    private static let arenaLimit = 1 << 16
    private var hashes: [UInt64] = []
    private var offsets: [Int] = []
    private var lengths: [Int] = []
    private var strings: [String] = []
    private var arena: [UInt8] = []

    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        var k = 0
        while count - k >= 8 {
            h = (h ^ UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < count { tail |= UInt64(p[k]) << shift; shift += 8; k += 1 }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }

    /// The key as a string, and a hash of its bytes.
    mutating func string(for key: [UInt8]) -> (String, UInt64) {
        key.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return ("", 0) }
            guard buffer.count <= 256 else { return (String(decoding: buffer, as: UTF8.self), Self.hash(base, buffer.count)) }
            let count = buffer.count
            let h = Self.hash(base, count)
            if hashes.isEmpty {
                hashes = [UInt64](repeating: 0, count: Self.slots)
                offsets = [Int](repeating: -1, count: Self.slots)
                lengths = [Int](repeating: 0, count: Self.slots)
                strings = [String](repeating: "", count: Self.slots)
            }
            let slot = Int(truncatingIfNeeded: h) & (Self.slots - 1)
            let offset = offsets[slot]
            if offset >= 0, hashes[slot] == h, lengths[slot] == count,
               arena.withUnsafeBufferPointer({ a in a.count >= offset + count && a.baseAddress.map { memcmp($0 + offset, base, count) == 0 } == true }) {
                return (strings[slot], h)
            }
            let s = String(decoding: buffer, as: UTF8.self)
            if arena.count + count > Self.arenaLimit {
                arena.removeAll(keepingCapacity: true)
                for k in 0..<Self.slots { offsets[k] = -1 }
            }
            hashes[slot] = h
            offsets[slot] = arena.count
            lengths[slot] = count
            strings[slot] = s
            arena.append(contentsOf: buffer)
            return (s, h)
        }
    }
}

/// One field of a line: its key, a hash of the key's bytes, its value.
struct Pair {
    var key: String
    var hash: UInt64
    var value: EventValue
}

/// Dictionaries for the key sequences seen lately: a line whose keys come in the same order as an
/// earlier line's copies that line's dictionary and writes its values in place, with no hashing of
/// keys (the keys are compared, so a hash collision only costs the fast path).
struct SchemaCache {
    private typealias Fields = [String: EventValue]
    private struct Schema {
        var hashes: [UInt64]
        var template: Fields
        var slots: [Fields.Index]
    }
    private static let size = 256
    private var entries: [Schema?] = []

    static func plainFields(_ pairs: [Pair]) -> [String: EventValue] {
        var fields = Fields(minimumCapacity: pairs.count)
        for pair in pairs { fields[pair.key] = pair.value }
        return fields
    }

    /// Lines with more fields than this are not cached (bounds the cache's memory).
    private static let maxFields = 512

    mutating func fields(_ pairs: [Pair]) -> [String: EventValue] {
        guard pairs.count <= Self.maxFields else { return Self.plainFields(pairs) }
        if entries.isEmpty { entries = [Schema?](repeating: nil, count: Self.size) }
        var h: UInt64 = UInt64(pairs.count) &* 0x9E37_79B9_7F4A_7C15
        for pair in pairs { h = (h ^ pair.hash) &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 31 }
        let slot = Int(truncatingIfNeeded: h >> 40) & (Self.size - 1)
        if let schema = entries[slot], schema.hashes.count == pairs.count {
            var same = true
            for k in 0..<pairs.count where schema.hashes[k] != pairs[k].hash { same = false; break }
            if same {
                var fields = schema.template
                for k in 0..<pairs.count {
                    let index = schema.slots[k]
                    guard fields.keys[index] == pairs[k].key else { same = false; break }
                    fields.values[index] = pairs[k].value
                }
                if same { return fields }
            }
        }
        var fields = Fields(minimumCapacity: pairs.count)
        for pair in pairs { fields[pair.key] = pair.value }
        let template = fields.mapValues { _ in EventValue.null }
        var slots: [Fields.Index] = []
        slots.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let index = template.index(forKey: pair.key) else { return fields }
            slots.append(index)
        }
        entries[slot] = Schema(hashes: pairs.map(\.hash), template: template, slots: slots)
        return fields
    }
}
