import Foundation

/// Strict parsing and canonical text of IP addresses (RFC 4291 input, RFC 5952 output).
enum IPAddressText {
    static func parseIPv4(_ text: some StringProtocol) -> [UInt8]? {
        let s = String(text)
        guard InventoryValidators.isIPv4(s) else { return nil }
        return s.split(separator: ".").map { UInt8($0)! }
    }

    /// The eight 16-bit groups of an IPv6 address, or nil. No zone index (`%eth0`), no brackets.
    static func parseIPv6(_ text: String) -> [UInt16]? {
        guard text.contains(":"), text.utf8.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, ipv4Allowed: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if piece.contains(".") {
                    guard ipv4Allowed, index == pieces.count - 1, let b = parseIPv4(piece) else { return nil }
                    result += [UInt16(b[0]) << 8 | UInt16(b[1]), UInt16(b[2]) << 8 | UInt16(b[3])]
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy({ $0.isASCII && $0.isHexDigit }),
                          let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], ipv4Allowed: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = groups(halves[0], ipv4Allowed: false), let tail = groups(halves[1], ipv4Allowed: true),
              head.count + tail.count <= 7 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// RFC 5952: lower-case hex without leading zeros, the longest run (first on a tie) of two or more zero
    /// groups as `::`, IPv4-mapped addresses as `::ffff:a.b.c.d`.
    static func formatIPv6(_ g: [UInt16]) -> String {
        if g[0..<5].allSatisfy({ $0 == 0 }), g[5] == 0xffff {
            return "::ffff:\(g[6] >> 8).\(g[6] & 0xff).\(g[7] >> 8).\(g[7] & 0xff)"
        }
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard g[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, g[end] == 0 { end += 1 }
            if end - index > best.length { best = (index, end - index) }
            index = end
        }
        let hex = g.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }

    /// Whether any bit after the first `prefix` bits of `bytes` is set.
    static func hasHostBits(_ bytes: [UInt8], prefix: Int) -> Bool {
        for (index, byte) in bytes.enumerated() {
            let bitsInNetwork = max(0, min(8, prefix - index * 8))
            let hostMask: UInt8 = bitsInNetwork == 8 ? 0 : (0xff >> bitsInNetwork)
            if byte & hostMask != 0 { return true }
        }
        return false
    }

    static func bytes(_ groups: [UInt16]) -> [UInt8] { groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } }
}
