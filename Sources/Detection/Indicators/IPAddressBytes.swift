import Foundation

/// An IPv4 or IPv6 address as numbers (IPv4 in the low 32 bits of `low`, `high` zero).
struct IPAddressValue: Hashable, Sendable {
    var isV6: Bool
    var high: UInt64
    var low: UInt64

    static func v4(_ a: UInt32) -> IPAddressValue { IPAddressValue(isV6: false, high: 0, low: UInt64(a)) }

    var bitWidth: Int { isV6 ? 128 : 32 }

    /// The address with all but the first `prefix` bits cleared.
    func masked(_ prefix: Int) -> IPAddressValue {
        if !isV6 {
            let mask: UInt64 = prefix <= 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - min(prefix, 32))) & 0xFFFF_FFFF
            return IPAddressValue(isV6: false, high: 0, low: low & mask)
        }
        if prefix <= 0 { return IPAddressValue(isV6: true, high: 0, low: 0) }
        if prefix <= 64 {
            let mask: UInt64 = prefix == 64 ? ~0 : ~(~UInt64(0) >> UInt64(prefix))
            return IPAddressValue(isV6: true, high: high & mask, low: 0)
        }
        let p = min(prefix, 128) - 64
        let mask: UInt64 = p == 64 ? ~0 : ~(~UInt64(0) >> UInt64(p))
        return IPAddressValue(isV6: true, high: high, low: low & mask)
    }

    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as IPv4; others unchanged.
    var unmapped: IPAddressValue {
        if isV6, high == 0, low >> 32 == 0xFFFF { return .v4(UInt32(truncatingIfNeeded: low)) }
        return self
    }

    /// Canonical text: dotted quad, or RFC 5952 for IPv6.
    var text: String {
        if !isV6 {
            let a = UInt32(truncatingIfNeeded: low)
            return "\(a >> 24).\(a >> 16 & 255).\(a >> 8 & 255).\(a & 255)"
        }
        var groups: [UInt16] = []
        for k in 0..<4 { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * k))) }
        for k in 0..<4 { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * k))) }
        var bestStart = -1, bestLength = 0, k = 0
        while k < 8 {
            if groups[k] == 0 {
                var e = k
                while e < 8, groups[e] == 0 { e += 1 }
                if e - k > bestLength, e - k >= 2 { bestStart = k; bestLength = e - k }
                k = e
            } else { k += 1 }
        }
        var out = ""
        k = 0
        while k < 8 {
            if k == bestStart {
                out += "::"
                k += bestLength
                continue
            }
            if !out.isEmpty, !out.hasSuffix(":") { out += ":" }
            out += String(groups[k], radix: 16)
            k += 1
        }
        return out
    }
}

enum IPBytes {
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// A dotted quad filling `p[s..<e]` exactly (decimal parts of 1–3 digits, each ≤ 255).
    static func v4(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt32? {
        guard e - s >= 7, e - s <= 15 else { return nil }
        var result: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var k = s
        while k < e {
            let c = p[k]
            if c &- 48 < 10 {
                part = part * 10 + UInt32(c &- 48)
                digits += 1
                guard digits <= 3, part <= 255 else { return nil }
            } else if c == 0x2E {
                guard digits > 0, parts < 3 else { return nil }
                result = result << 8 | part
                parts += 1; part = 0; digits = 0
            } else {
                return nil
            }
            k += 1
        }
        guard digits > 0, parts == 3 else { return nil }
        return result << 8 | part
    }

    /// An IPv6 address filling `p[s..<e]` exactly (with `::` and an embedded dotted quad allowed).
    static func v6(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> IPAddressValue? {
        guard e - s >= 2, e - s <= 45 else { return nil }
        var groups = (UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        return withUnsafeMutableBytes(of: &groups) { raw -> IPAddressValue? in
            let g = raw.bindMemory(to: UInt16.self)
            var count = 0
            var gap: Int?
            var k = s
            if p[k] == 0x3A {
                guard k + 1 < e, p[k + 1] == 0x3A else { return nil }
                gap = 0
                k += 2
                if k == e { return IPAddressValue(isV6: true, high: 0, low: 0) }
            }
            while k < e {
                // One group: 1–4 hex digits, or a dotted quad at the end.
                let groupStart = k
                var v: UInt32 = 0
                var n = 0
                while k < e, let h = hexValue(p[k]) {
                    v = v << 4 | UInt32(h); n += 1; k += 1
                    guard n <= 4 else { return nil }
                }
                if k < e, p[k] == 0x2E {
                    guard count <= 6, let quad = v4(p, groupStart, e) else { return nil }
                    g[count] = UInt16(quad >> 16); g[count + 1] = UInt16(quad & 0xFFFF)
                    count += 2
                    k = e
                    break
                }
                guard n > 0, count < 8 else { return nil }
                g[count] = UInt16(v)
                count += 1
                if k == e { break }
                guard p[k] == 0x3A else { return nil }
                k += 1
                if k < e, p[k] == 0x3A {
                    guard gap == nil else { return nil }
                    gap = count
                    k += 1
                    if k == e { break }
                } else if k == e {
                    return nil // trailing single colon
                }
            }
            if let gap {
                guard count < 8 else { return nil }
                let tail = count - gap
                let shift = 8 - count
                var m = tail - 1
                while m >= 0 { g[gap + m + shift] = g[gap + m]; m -= 1 }
                for z in gap..<(gap + shift) { g[z] = 0 }
            } else {
                guard count == 8 else { return nil }
            }
            var high: UInt64 = 0, low: UInt64 = 0
            for z in 0..<4 { high = high << 16 | UInt64(g[z]) }
            for z in 4..<8 { low = low << 16 | UInt64(g[z]) }
            return IPAddressValue(isV6: true, high: high, low: low)
        }
    }

    /// An address or `address/prefix`; nil for anything else.
    static func parseCIDR(_ text: String) -> (address: IPAddressValue, prefix: Int)? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p -> (IPAddressValue, Int)? in
            var slash = p.count
            for k in 0..<p.count where p[k] == 0x2F { slash = k; break }
            let address: IPAddressValue
            if let a = v4(p, 0, slash) { address = .v4(a) } else if let a = v6(p, 0, slash) { address = a } else { return nil }
            var prefix = address.bitWidth
            if slash < p.count {
                let digits = p.count - slash - 1
                guard digits >= 1, digits <= 3 else { return nil }
                var v = 0
                for k in (slash + 1)..<p.count {
                    guard p[k] &- 48 < 10 else { return nil }
                    v = v * 10 + Int(p[k] &- 48)
                }
                guard v <= address.bitWidth else { return nil }
                prefix = v
            }
            let unmapped = address.unmapped
            if unmapped != address, prefix >= 96 { return (unmapped, prefix - 96) }
            return (address, prefix)
        }
    }
}
