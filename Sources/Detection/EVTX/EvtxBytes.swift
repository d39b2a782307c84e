import Foundation

/// Why a record, template or chunk could not be read, and where (an offset inside the chunk).
struct EvtxParseError: Error, Sendable {
    var message: String
    /// Offset inside the 64 KiB chunk, or -1 when not tied to one.
    var offset: Int

    init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    static func truncated(_ what: StaticString, at offset: Int, need: Int) -> EvtxParseError {
        EvtxParseError("\(what): needs \(need) bytes at chunk offset \(offset), past the end of the chunk", at: offset)
    }
}

/// A bounds-checked little-endian reader over the bytes of one chunk. Every read checks the end of the
/// buffer; nothing derived from the file is trusted.
struct EvtxCursor {
    let base: UnsafeRawPointer
    let limit: Int
    var pos: Int

    @inline(__always)
    init(base: UnsafeRawPointer, limit: Int, pos: Int) {
        self.base = base
        self.limit = limit
        self.pos = pos
    }

    @inline(__always)
    func require(_ n: Int, _ what: StaticString) throws(EvtxParseError) {
        if n < 0 || pos < 0 || pos > limit || limit - pos < n {
            throw EvtxParseError.truncated(what, at: pos, need: n)
        }
    }

    @inline(__always)
    mutating func u8(_ what: StaticString = "u8") throws(EvtxParseError) -> UInt8 {
        try require(1, what)
        let v = base.load(fromByteOffset: pos, as: UInt8.self)
        pos += 1
        return v
    }

    @inline(__always)
    mutating func u16(_ what: StaticString = "u16") throws(EvtxParseError) -> UInt16 {
        try require(2, what)
        let v = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt16.self))
        pos += 2
        return v
    }

    @inline(__always)
    mutating func u32(_ what: StaticString = "u32") throws(EvtxParseError) -> UInt32 {
        try require(4, what)
        let v = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
        pos += 4
        return v
    }

    @inline(__always)
    mutating func u64(_ what: StaticString = "u64") throws(EvtxParseError) -> UInt64 {
        try require(8, what)
        let v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
        pos += 8
        return v
    }

    @inline(__always)
    mutating func skip(_ n: Int, _ what: StaticString) throws(EvtxParseError) {
        try require(n, what)
        pos += n
    }

    /// Moves to an absolute position; `pos == limit` (end of buffer) is allowed.
    @inline(__always)
    mutating func seek(_ p: Int, _ what: StaticString) throws(EvtxParseError) {
        if p < 0 || p > limit {
            throw EvtxParseError("\(what): position \(p) is outside the chunk", at: pos)
        }
        pos = p
    }
}

/// Little-endian loads at an offset the caller has already checked.
@inline(__always)
func evtxLoadU16(_ base: UnsafeRawPointer, _ off: Int) -> UInt16 {
    UInt16(littleEndian: base.loadUnaligned(fromByteOffset: off, as: UInt16.self))
}

@inline(__always)
func evtxLoadU32(_ base: UnsafeRawPointer, _ off: Int) -> UInt32 {
    UInt32(littleEndian: base.loadUnaligned(fromByteOffset: off, as: UInt32.self))
}

@inline(__always)
func evtxLoadU64(_ base: UnsafeRawPointer, _ off: Int) -> UInt64 {
    UInt64(littleEndian: base.loadUnaligned(fromByteOffset: off, as: UInt64.self))
}

/// CRC-32 (IEEE 802.3, as the EVTX header and chunk checksums use).
enum EvtxCRC32 {
    static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
            table[i] = c
        }
        return table
    }()

    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }
}
