import Foundation

/// Why the byte scanner stopped; ``JSONStreamReader`` turns it into a ``ScanParseError`` with line and path.
struct JSONScanFailure: Error {
    var message: String
    /// Input offset of the offending byte.
    var offset: Int
}

/// Memory the scanner copies chunks into, so hot loops read a raw pointer (no reference counting, no
/// exclusivity checks).
final class JSONChunkStorage {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }
}

/// The byte level of ``JSONStreamReader``: the current chunk of a ``ByteSource``, line counting, strings
/// (escapes, strict UTF-8) and numbers.
struct JSONByteScanner {
    let source: ByteSource
    private let storage = JSONChunkStorage(capacity: 1 << 16)
    private let base: UnsafeMutablePointer<UInt8>
    /// Bytes from the source not yet copied into `storage` (a source may hand over all its data at once).
    private var pending: ArraySlice<UInt8> = []
    /// Bytes in `storage`.
    private(set) var count = 0
    /// Index of the next byte in `storage`.
    var pos = 0
    /// Input offset of `storage`'s first byte.
    private(set) var chunkOffset: Int
    private(set) var line = 1
    /// Input offset of the current line's first byte (for columns).
    private(set) var lineStart: Int
    private var atEnd = false
    private var scratch: [UInt8] = []

    // Raw capture of a value's bytes across chunk refills.
    private(set) var recording = false
    private var recordStart = 0
    private(set) var recorded: [UInt8] = []
    var recordLimit = Int.max

    init(source: ByteSource) {
        self.source = source
        base = storage.base
        chunkOffset = source.offset
        lineStart = source.offset
    }

    var offset: Int { chunkOffset + pos }
    var column: Int { offset - lineStart + 1 }

    private mutating func refill() throws -> Bool {
        if atEnd { return false }
        if recording {
            recorded.append(contentsOf: UnsafeBufferPointer(start: base + recordStart, count: count - recordStart))
            recordStart = 0
            if recorded.count > recordLimit { throw JSONScanFailure(message: "value longer than \(recordLimit) bytes", offset: offset) }
        }
        chunkOffset += count
        pos = 0
        count = 0
        if pending.isEmpty { pending = try source.readAvailable() }
        if pending.isEmpty { atEnd = true; return false }
        count = min(pending.count, storage.capacity)
        pending.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: count) }
        pending = pending.dropFirst(count)
        return true
    }

    // MARK: Bytes

    /// Skips JSON whitespace (counting lines) and returns the next byte without consuming it; nil at the end.
    mutating func peekNonWhitespace() throws -> UInt8? {
        while true {
            var p = pos
            while p < count {
                switch base[p] {
                case 0x20, 0x09, 0x0D: p += 1
                case 0x0A: p += 1; line += 1; lineStart = chunkOffset + p
                default: pos = p; return base[p]
                }
            }
            pos = p
            if try !refill() { return nil }
        }
    }

    /// The next byte without consuming it, whitespace included; nil at the end.
    mutating func peekByte() throws -> UInt8? {
        if pos == count, try !refill() { return nil }
        return base[pos]
    }

    mutating func readByte() throws -> UInt8? {
        if pos == count, try !refill() { return nil }
        defer { pos += 1 }
        return base[pos]
    }

    /// Consumes `word` (a literal such as `true`), whose first byte has been peeked.
    mutating func expectLiteral(_ word: StaticString) throws {
        let start = offset
        var i = 0
        while i < word.utf8CodeUnitCount {
            guard let b = try readByte(), b == word.utf8Start[i] else {
                throw JSONScanFailure(message: "invalid literal (expected '\(word)')", offset: start)
            }
            i += 1
        }
    }

    // MARK: Recording

    mutating func startRecording(limit: Int) {
        recording = true
        recordStart = pos
        recorded.removeAll(keepingCapacity: true)
        recordLimit = limit
    }

    mutating func stopRecording() -> [UInt8] {
        if recording { recorded.append(contentsOf: UnsafeBufferPointer(start: base + recordStart, count: pos - recordStart)) }
        recording = false
        defer { recorded = [] }
        return recorded
    }

    // MARK: Strings

    /// Reads a string after its opening quote, through the closing quote. Returns the text when `keep`,
    /// else only validates. `maxBytes` bounds the encoded length.
    mutating func string(keep: Bool, maxBytes: Int) throws -> String? {
        let startOffset = offset - 1
        var total = 0
        var usedScratch = false
        if keep { scratch.removeAll(keepingCapacity: true) }
        // UTF-8 state: continuation bytes still needed and the allowed range of the next one.
        var need = 0, lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        while true {
            if pos == count, try !refill() {
                throw JSONScanFailure(message: "unterminated string", offset: startOffset)
            }
            let start = pos
            var p = pos
            var stop: UInt8 = 0
            var failure: String?
            scan: while p < count {
                if need == 0 {
                    // Eight plain ASCII bytes at a time: none is a quote, a backslash, a control or non-ASCII byte.
                    while p + 8 <= count {
                        let v = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                        if Self.hasSpecialByte(v) { break }
                        p += 8
                    }
                    if p == count { break scan }
                }
                let x = base[p]
                if need == 0 {
                    if x < 0x80 {
                        if x == 0x22 || x == 0x5C { stop = x; break scan }
                        if x < 0x20 { failure = "control character U+\(Self.hex4(UInt32(x))) in a string (must be escaped)"; break scan }
                    } else {
                        switch x {
                        case 0xC2...0xDF: need = 1
                        case 0xE0: need = 2; lo = 0xA0
                        case 0xE1...0xEC, 0xEE, 0xEF: need = 2
                        case 0xED: need = 2; hi = 0x9F
                        case 0xF0: need = 3; lo = 0x90
                        case 0xF1...0xF3: need = 3
                        case 0xF4: need = 3; hi = 0x8F
                        default: failure = "invalid UTF-8 byte 0x\(String(x, radix: 16, uppercase: true))"; break scan
                        }
                    }
                } else {
                    if x < lo || x > hi { failure = "invalid UTF-8 sequence"; break scan }
                    lo = 0x80; hi = 0xBF; need -= 1
                }
                p += 1
            }
            total += p - start
            if total > maxBytes {
                throw JSONScanFailure(message: "string longer than \(maxBytes) bytes", offset: startOffset)
            }
            if let failure { pos = p; throw JSONScanFailure(message: failure, offset: offset) }
            let run = UnsafeBufferPointer(start: base + start, count: p - start)
            if stop == 0x22 {
                pos = p + 1
                guard keep else { return nil }
                if !usedScratch { return String(decoding: run, as: UTF8.self) }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            }
            if keep { scratch.append(contentsOf: run); usedScratch = true }
            pos = p
            if stop == 0x5C {
                pos += 1
                total += try escape(keep: keep)
                usedScratch = true
                if total > maxBytes { throw JSONScanFailure(message: "string longer than \(maxBytes) bytes", offset: startOffset) }
            }
        }
    }

    /// Reads an escape after its backslash; appends the UTF-8 it stands for when `keep`. Returns bytes read.
    private mutating func escape(keep: Bool) throws -> Int {
        let at = offset - 1
        guard let e = try readByte() else { throw JSONScanFailure(message: "unterminated string", offset: at) }
        let simple: UInt8?
        switch e {
        case 0x22, 0x5C, 0x2F: simple = e
        case 0x62: simple = 0x08
        case 0x66: simple = 0x0C
        case 0x6E: simple = 0x0A
        case 0x72: simple = 0x0D
        case 0x74: simple = 0x09
        case 0x75: simple = nil
        default: throw JSONScanFailure(message: "invalid escape '\\\(Self.printable(e))'", offset: at)
        }
        if let simple {
            if keep { scratch.append(simple) }
            return 2
        }
        var scalar = try hexQuad(at: at)
        var read = 6
        if (0xDC00...0xDFFF).contains(scalar) {
            throw JSONScanFailure(message: "lone low surrogate \\u\(Self.hex4(scalar))", offset: at)
        }
        if (0xD800...0xDBFF).contains(scalar) {
            guard try readByte() == 0x5C, try readByte() == 0x75 else {
                throw JSONScanFailure(message: "high surrogate \\u\(Self.hex4(scalar)) not followed by a low surrogate", offset: at)
            }
            let low = try hexQuad(at: offset - 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONScanFailure(message: "high surrogate \\u\(Self.hex4(scalar)) not followed by a low surrogate", offset: at)
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            read += 6
        }
        if keep, let s = Unicode.Scalar(scalar) { scratch.append(contentsOf: UTF8.encode(s)!) }
        return read
    }

    private mutating func hexQuad(at: Int) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let h = try readByte() else { throw JSONScanFailure(message: "unterminated \\u escape", offset: at) }
            let d: UInt8
            switch h {
            case 0x30...0x39: d = h - 0x30
            case 0x41...0x46: d = h - 0x41 + 10
            case 0x61...0x66: d = h - 0x61 + 10
            default: throw JSONScanFailure(message: "invalid \\u escape (hex digit expected, found '\(Self.printable(h))')", offset: at)
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    // MARK: Numbers

    /// Reads a number whose first byte has been peeked (RFC 8259 grammar). Returns its text when `keep`.
    mutating func number(keep: Bool, maxBytes: Int) throws -> String? {
        let start = offset
        if keep { scratch.removeAll(keepingCapacity: true) }
        // 0 start, 1 after '-', 2 after leading 0, 3 int digits, 4 after '.', 5 fraction, 6 after e, 7 after sign, 8 exponent
        var state = 0
        var length = 0
        while let b = try peekByte() {
            let isDigit = b >= 0x30 && b <= 0x39
            let next: Int
            switch state {
            case 0: next = b == 0x2D ? 1 : b == 0x30 ? 2 : isDigit ? 3 : -1
            case 1: next = b == 0x30 ? 2 : isDigit ? 3 : -1
            case 2, 3: next = isDigit && state == 3 ? 3 : b == 0x2E ? 4 : (b == 0x65 || b == 0x45) ? 6 : -1
            case 4, 5: next = isDigit ? 5 : (state == 5 && (b == 0x65 || b == 0x45)) ? 6 : -1
            case 6: next = (b == 0x2B || b == 0x2D) ? 7 : isDigit ? 8 : -1
            default: next = isDigit ? 8 : -1
            }
            if next < 0 { break }
            state = next
            pos += 1
            length += 1
            if length > maxBytes { throw JSONScanFailure(message: "number longer than \(maxBytes) bytes", offset: start) }
            if keep { scratch.append(b) }
        }
        guard state == 2 || state == 3 || state == 5 || state == 8 else {
            throw JSONScanFailure(message: "malformed number", offset: start)
        }
        return keep ? String(decoding: scratch, as: UTF8.self) : nil
    }
}

extension JSONByteScanner {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `v` is below 0x20, a quote, a backslash or 0x80 and above (SWAR zero-byte tests).
    @inline(__always)
    static func hasSpecialByte(_ v: UInt64) -> Bool {
        func hasZero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let control = (v &- ones &* 0x20) & ~v & highs
        return (v & highs) | control | hasZero(v ^ (ones &* 0x22)) | hasZero(v ^ (ones &* 0x5C)) != 0
    }

    static func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// A byte as shown in messages: itself when printable ASCII, else its hex code.
    static func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "0x" + String(b, radix: 16, uppercase: true)
    }
}
