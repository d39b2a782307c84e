import Foundation

/// A growable byte buffer the JSON writer and the text renderer write into. Owned by its holder, which
/// calls `deallocate()` once; reused across records so the hot path does not allocate.
struct EvtxByteBuffer {
    private(set) var ptr: UnsafeMutablePointer<UInt8>
    var count: Int
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        ptr = .allocate(capacity: self.capacity)
        count = 0
    }

    func deallocate() { ptr.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: ptr, count: count) }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(extra) }
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < extra { newCapacity *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        p.update(from: ptr, count: count)
        ptr.deallocate()
        ptr = p
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        ptr[count] = b
        count += 1
    }

    @inline(__always)
    mutating func appendUnchecked(_ b: UInt8) {
        ptr[count] = b
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (ptr + count).update(from: src.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func append(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func append(contentsOf other: EvtxByteBuffer, from start: Int) {
        guard start < other.count else { return }
        append(UnsafeRawBufferPointer(start: other.ptr + start, count: other.count - start))
    }

    // MARK: numbers

    mutating func writeUInt64(_ value: UInt64) {
        reserve(20)
        var n = 1
        var t = value
        while t >= 10 {
            t /= 10
            n += 1
        }
        var v = value
        var i = count + n - 1
        repeat {
            ptr[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
            i -= 1
        } while v > 0
        count += n
    }

    mutating func writeInt64(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            writeUInt64(UInt64(bitPattern: value).magnitudeOfNegative)
        } else {
            writeUInt64(UInt64(value))
        }
    }

    /// `0x` and the value in lower-case hex without padding (the crate's HexInt32/HexInt64/SizeT form).
    mutating func writeHexPrefixed(_ value: UInt64) {
        reserve(18)
        appendUnchecked(UInt8(ascii: "0"))
        appendUnchecked(UInt8(ascii: "x"))
        if value == 0 {
            appendUnchecked(UInt8(ascii: "0"))
            return
        }
        var shift = (63 - value.leadingZeroBitCount) / 4 * 4
        while shift >= 0 {
            appendUnchecked(evtxHexDigit(UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF), upper: false))
            shift -= 4
        }
    }

    /// Two upper-case hex digits per byte (binary values).
    mutating func writeHexUpper(_ base: UnsafeRawPointer, _ off: Int, _ len: Int) {
        reserve(len * 2)
        for i in 0..<len {
            let b = base.load(fromByteOffset: off + i, as: UInt8.self)
            appendUnchecked(evtxHexDigit(b >> 4, upper: true))
            appendUnchecked(evtxHexDigit(b & 0xF, upper: true))
        }
    }

    /// `D1-D2-D3-D4[0..2]-D4[2..8]` in upper case, the first three groups little-endian, no braces.
    mutating func writeGUID(_ base: UnsafeRawPointer, _ off: Int) {
        reserve(36)
        // Bytes 3 2 1 0 - 5 4 - 7 6 - 8 9 - 10...15.
        for i in 0..<16 {
            if i == 4 || i == 6 || i == 8 || i == 10 { appendUnchecked(UInt8(ascii: "-")) }
            let source = i < 4 ? 3 - i : i < 8 ? (i ^ 1) : i
            let b = base.load(fromByteOffset: off + source, as: UInt8.self)
            appendUnchecked(evtxHexDigit(b >> 4, upper: true))
            appendUnchecked(evtxHexDigit(b & 0xF, upper: true))
        }
    }

    /// `S-<revision>-<authority>-<sub>...`; `len` covers the whole SID (8 + 4 per sub-authority).
    mutating func writeSID(_ base: UnsafeRawPointer, _ off: Int, _ len: Int) {
        guard len >= 8 else {
            append("S-?")
            return
        }
        let revision = base.load(fromByteOffset: off, as: UInt8.self)
        let subCount = Int(base.load(fromByteOffset: off + 1, as: UInt8.self))
        var authority: UInt64 = 0
        for i in 2..<8 { authority = (authority << 8) | UInt64(base.load(fromByteOffset: off + i, as: UInt8.self)) }
        append("S-")
        writeUInt64(UInt64(revision))
        append(UInt8(ascii: "-"))
        writeUInt64(authority)
        var p = off + 8
        var n = 0
        while n < subCount && p + 4 <= off + len {
            append(UInt8(ascii: "-"))
            writeUInt64(UInt64(evtxLoadU32(base, p)))
            p += 4
            n += 1
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, as the crate prints FILETIME and SYSTEMTIME).
    mutating func writeDateTime(_ t: EvtxDateTime) {
        reserve(27)
        put4(t.year)
        appendUnchecked(UInt8(ascii: "-"))
        put2(t.month)
        appendUnchecked(UInt8(ascii: "-"))
        put2(t.day)
        appendUnchecked(UInt8(ascii: "T"))
        put2(t.hour)
        appendUnchecked(UInt8(ascii: ":"))
        put2(t.minute)
        appendUnchecked(UInt8(ascii: ":"))
        put2(t.second)
        appendUnchecked(UInt8(ascii: "."))
        var m = t.micro
        for i in stride(from: 5, through: 0, by: -1) {
            ptr[count + i] = UInt8(truncatingIfNeeded: m % 10) &+ 48
            m /= 10
        }
        count += 6
        appendUnchecked(UInt8(ascii: "Z"))
    }

    @inline(__always)
    private mutating func put2(_ v: Int) {
        appendUnchecked(UInt8(truncatingIfNeeded: (v / 10) % 10) &+ 48)
        appendUnchecked(UInt8(truncatingIfNeeded: v % 10) &+ 48)
    }

    @inline(__always)
    private mutating func put4(_ v: Int) {
        appendUnchecked(UInt8(truncatingIfNeeded: (v / 1000) % 10) &+ 48)
        appendUnchecked(UInt8(truncatingIfNeeded: (v / 100) % 10) &+ 48)
        appendUnchecked(UInt8(truncatingIfNeeded: (v / 10) % 10) &+ 48)
        appendUnchecked(UInt8(truncatingIfNeeded: v % 10) &+ 48)
    }

    /// Shortest round-trip digits in the layout of the crate's formatter (`1.0`, `0.001`, `1e-7`, `1.5e+20`).
    mutating func writeFloat(_ value: Double) {
        writeShortestFloat(value.description, isNaN: value.isNaN, isInfinite: value.isInfinite, negative: value.sign == .minus)
    }

    mutating func writeFloat(_ value: Float) {
        writeShortestFloat(value.description, isNaN: value.isNaN, isInfinite: value.isInfinite, negative: value.sign == .minus)
    }

    private mutating func writeShortestFloat(_ description: String, isNaN: Bool, isInfinite: Bool, negative: Bool) {
        if isNaN { append("NaN"); return }
        if isInfinite { append(negative ? "-inf" : "inf"); return }
        // Parse Swift's shortest representation into digits and a decimal exponent.
        var digits: [UInt8] = []
        var pointPos = -1
        var exponent = 0
        var expNegative = false
        var inExponent = false
        for c in description.utf8 {
            if inExponent {
                if c == UInt8(ascii: "-") { expNegative = true } else if c >= 48 && c <= 57 { exponent = exponent * 10 + Int(c - 48) }
                continue
            }
            switch c {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "."): pointPos = digits.count
            case 48...57: digits.append(c)
            default: break
            }
        }
        if expNegative { exponent = -exponent }
        if pointPos < 0 { pointPos = digits.count }
        // value = 0.D * 10^kk after trimming zeros.
        var lead = 0
        while lead < digits.count && digits[lead] == 48 { lead += 1 }
        if lead == digits.count {
            append(negative ? "-0.0" : "0.0")
            return
        }
        var end = digits.count
        while end > lead && digits[end - 1] == 48 { end -= 1 }
        let d = Array(digits[lead..<end])
        let kk = pointPos - lead + exponent
        let length = d.count
        let k = kk - length
        if negative { append(UInt8(ascii: "-")) }
        if k >= 0 && kk <= 16 {
            append(d)
            for _ in 0..<k { append(UInt8(ascii: "0")) }
            append(".0")
        } else if kk > 0 && kk <= 16 {
            append(Array(d[0..<kk]))
            append(UInt8(ascii: "."))
            append(Array(d[kk...]))
        } else if kk > -5 && kk <= 0 {
            append("0.")
            for _ in 0..<(-kk) { append(UInt8(ascii: "0")) }
            append(d)
        } else {
            append(d[0])
            if length > 1 {
                append(UInt8(ascii: "."))
                append(Array(d[1...]))
            }
            // `1e-7`, `1e+21` (the crate's float formatter signs positive exponents).
            append(kk - 1 > 0 ? "e+" : "e")
            writeInt64(Int64(kk - 1))
        }
    }

    // MARK: text

    /// UTF-16LE code units to UTF-8; JSON-escaped when `json`. Unpaired surrogates are dropped.
    mutating func writeUTF16(_ base: UnsafeRawPointer, _ off: Int, _ units: Int, json: Bool) {
        guard units > 0 else { return }
        reserve(units * 6)
        var p = ptr + count
        var i = 0
        while i < units {
            // Fast path: four ASCII code units needing no escape at once.
            if i + 4 <= units {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: off + 2 * i, as: UInt64.self))
                if w & 0xFF80_FF80_FF80_FF80 == 0 {
                    let x = UInt32(truncatingIfNeeded: (w & 0x7F) | ((w >> 8) & 0x7F00) | ((w >> 16) & 0x7F_0000) | ((w >> 24) & 0x7F00_0000))
                    if !json || !evtxNeedsEscape4(x) {
                        UnsafeMutableRawPointer(p).storeBytes(of: x.littleEndian, as: UInt32.self)
                        p += 4
                        i += 4
                        continue
                    }
                }
            }
            let u = evtxLoadU16(base, off + 2 * i)
            i += 1
            if u < 0x80 {
                if json && (u < 0x20 || u == 0x22 || u == 0x5C) {
                    p = evtxWriteEscape(p, UInt8(truncatingIfNeeded: u))
                } else {
                    p.pointee = UInt8(truncatingIfNeeded: u)
                    p += 1
                }
            } else if u < 0x800 {
                p[0] = 0xC0 | UInt8(truncatingIfNeeded: u >> 6)
                p[1] = 0x80 | UInt8(truncatingIfNeeded: u & 0x3F)
                p += 2
            } else if u >= 0xD800 && u <= 0xDFFF {
                if u <= 0xDBFF && i < units {
                    let lo = evtxLoadU16(base, off + 2 * i)
                    if lo >= 0xDC00 && lo <= 0xDFFF {
                        i += 1
                        let cp = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(lo) - 0xDC00)
                        p[0] = 0xF0 | UInt8(truncatingIfNeeded: cp >> 18)
                        p[1] = 0x80 | UInt8(truncatingIfNeeded: (cp >> 12) & 0x3F)
                        p[2] = 0x80 | UInt8(truncatingIfNeeded: (cp >> 6) & 0x3F)
                        p[3] = 0x80 | UInt8(truncatingIfNeeded: cp & 0x3F)
                        p += 4
                        continue
                    }
                }
                // An unpaired surrogate is dropped (as the crate does).
            } else {
                p[0] = 0xE0 | UInt8(truncatingIfNeeded: u >> 12)
                p[1] = 0x80 | UInt8(truncatingIfNeeded: (u >> 6) & 0x3F)
                p[2] = 0x80 | UInt8(truncatingIfNeeded: u & 0x3F)
                p += 3
            }
        }
        count = p - ptr
    }

    /// ANSI (Windows-1252) bytes with NUL bytes dropped, as the crate decodes ANSI strings.
    mutating func writeAnsi(_ base: UnsafeRawPointer, _ off: Int, _ len: Int, json: Bool) {
        guard len > 0 else { return }
        reserve(len * 6)
        var p = ptr + count
        for i in 0..<len {
            let b = base.load(fromByteOffset: off + i, as: UInt8.self)
            if b == 0 { continue }
            if b < 0x80 {
                if json && (b < 0x20 || b == 0x22 || b == 0x5C) {
                    p = evtxWriteEscape(p, b)
                } else {
                    p.pointee = b
                    p += 1
                }
                continue
            }
            let cp: UInt32 = b < 0xA0 ? UInt32(evtxCP1252High[Int(b - 0x80)]) : UInt32(b)
            if cp < 0x800 {
                p[0] = 0xC0 | UInt8(truncatingIfNeeded: cp >> 6)
                p[1] = 0x80 | UInt8(truncatingIfNeeded: cp & 0x3F)
                p += 2
            } else {
                p[0] = 0xE0 | UInt8(truncatingIfNeeded: cp >> 12)
                p[1] = 0x80 | UInt8(truncatingIfNeeded: (cp >> 6) & 0x3F)
                p[2] = 0x80 | UInt8(truncatingIfNeeded: cp & 0x3F)
                p += 3
            }
        }
        count = p - ptr
    }

    /// UTF-8 bytes, JSON-escaped when `json` (names, already-decoded text).
    mutating func writeUTF8(_ bytes: UnsafeRawBufferPointer, json: Bool) {
        guard json else { append(bytes); return }
        reserve(bytes.count * 6)
        var p = ptr + count
        for b in bytes {
            if b < 0x20 || b == 0x22 || b == 0x5C {
                p = evtxWriteEscape(p, b)
            } else {
                p.pointee = b
                p += 1
            }
        }
        count = p - ptr
    }
}

/// Whether any of four ASCII bytes (packed little-endian) is a control character, `"` or `\\`.
@inline(__always)
func evtxNeedsEscape4(_ x: UInt32) -> Bool {
    @inline(__always) func hasZero(_ v: UInt32) -> Bool { (v &- 0x0101_0101) & ~v & 0x8080_8080 != 0 }
    let control = (x &- 0x2020_2020) & ~x & 0x8080_8080 != 0
    return control || hasZero(x ^ 0x2222_2222) || hasZero(x ^ 0x5C5C_5C5C)
}

@inline(__always)
private func evtxWriteEscape(_ p: UnsafeMutablePointer<UInt8>, _ b: UInt8) -> UnsafeMutablePointer<UInt8> {
    p[0] = UInt8(ascii: "\\")
    switch b {
    case 0x22: p[1] = 0x22; return p + 2
    case 0x5C: p[1] = 0x5C; return p + 2
    case 0x0A: p[1] = UInt8(ascii: "n"); return p + 2
    case 0x0D: p[1] = UInt8(ascii: "r"); return p + 2
    case 0x09: p[1] = UInt8(ascii: "t"); return p + 2
    case 0x08: p[1] = UInt8(ascii: "b"); return p + 2
    case 0x0C: p[1] = UInt8(ascii: "f"); return p + 2
    default:
        p[1] = UInt8(ascii: "u"); p[2] = 48; p[3] = 48
        p[4] = evtxHexDigit(b >> 4, upper: false)
        p[5] = evtxHexDigit(b & 0xF, upper: false)
        return p + 6
    }
}

private extension UInt64 {
    /// The magnitude of a two's-complement negative value held as a bit pattern.
    var magnitudeOfNegative: UInt64 { (~self) &+ 1 }
}

@inline(__always)
func evtxHexDigit(_ v: UInt8, upper: Bool) -> UInt8 {
    v < 10 ? 48 &+ v : (upper ? 55 : 87) &+ v
}

/// Windows-1252 0x80–0x9F (WHATWG index: the five undefined bytes map to the C1 controls).
let evtxCP1252High: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
]

/// A UTC civil date and time with microseconds.
struct EvtxDateTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var micro: Int

    /// Seconds between 1601-01-01 and 1970-01-01.
    static let filetimeEpochDelta: Int64 = 11_644_473_600
    /// The last instant the crate's time type accepts (9999-12-30T22:00:00.999999999Z), as FILETIME.
    static let maxFiletime: UInt64 = (253_402_207_200 + 11_644_473_600) * 10_000_000 + 9_999_999

    /// FILETIME (100 ns ticks since 1601) truncated to microseconds; nil past year 9999.
    static func fromFiletime(_ ft: UInt64) -> EvtxDateTime? {
        guard ft <= maxFiletime else { return nil }
        let micros = Int64(ft / 10)
        let days = micros / 86_400_000_000
        var rem = micros % 86_400_000_000
        let (y, m, d) = civil(fromDaysSince1970: days - 134_774)
        let hour = rem / 3_600_000_000
        rem %= 3_600_000_000
        let minute = rem / 60_000_000
        rem %= 60_000_000
        return EvtxDateTime(year: Int(y), month: Int(m), day: Int(d), hour: Int(hour), minute: Int(minute),
                            second: Int(rem / 1_000_000), micro: Int(rem % 1_000_000))
    }

    /// SYSTEMTIME (eight little-endian u16: year, month, weekday, day, hour, minute, second, ms). All zero
    /// means unset (1601-01-01); anything else must be a valid date and time.
    static func fromSystemtime(_ base: UnsafeRawPointer, _ off: Int) -> EvtxDateTime? {
        @inline(__always) func field(_ i: Int) -> Int { Int(evtxLoadU16(base, off + 2 * i)) }
        let (year, month, day, hour, minute, second, ms) = (field(0), field(1), field(3), field(4), field(5), field(6), field(7))
        if year == 0 && month == 0 && day == 0 && hour == 0 && minute == 0 && second == 0 && ms == 0 {
            return EvtxDateTime(year: 1601, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0)
        }
        guard year <= 9999, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year, month),
              hour < 24, minute < 60, second < 60, ms < 1000 else { return nil }
        return EvtxDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, micro: ms * 1000)
    }

    /// Seconds since 1970 (for `Date`).
    var unixSeconds: Double {
        let days = EvtxDateTime.days(fromCivil: Int64(year), Int64(month), Int64(day))
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Double(secs) + Double(micro) / 1_000_000
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        default: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        }
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(fromDaysSince1970 z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = m > 2 ? m - 3 : m + 9
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
