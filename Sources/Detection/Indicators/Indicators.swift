import Foundation

/// CONTRACT (issue 6): indicator lists for hunts (IP addresses and CIDR ranges, domains, hashes, strings).
public enum IndicatorKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ip, domain, hash, string
}

public struct Indicator: Sendable, Hashable, Codable {
    public var kind: IndicatorKind
    public var value: String
    public init(kind: IndicatorKind, value: String) { self.kind = kind; self.value = value }
}

public struct IndicatorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) { self.line = line; self.message = message }
    public var description: String { "line \(line): \(message)" }
}

public enum IndicatorList {
    /// One indicator per line (blank lines and `#` comments skipped); the kind is told from the value
    /// (IPv4/IPv6 address or CIDR, MD5/SHA-1/SHA-256 hex, domain name) unless `kind` is given, in which
    /// case values that do not fit it are errors naming the line. Defanged forms (`1.2.3[.]4`,
    /// `example[.]com`, `hxxp://`) are accepted.
    ///
    /// Values are normalised: addresses to their canonical text (`10.0.0.0/8` with host bits cleared, IPv6
    /// as RFC 5952, IPv4-mapped IPv6 as IPv4), domains and hashes to lower case (a leading `*.` and a
    /// final dot dropped). A URL counts as its host when it has no path (`hxxp://evil[.]com/` → domain
    /// `evil.com`), and as a string otherwise; without `kind`, a value that is none of the above is a
    /// string (refanged); with `kind: .string` every value is kept exactly as written. Duplicates are
    /// dropped (the first kept).
    public static func parse(_ text: String, kind: IndicatorKind? = nil) throws(IndicatorError) -> [Indicator] {
        var result: [Indicator] = []
        var seen = Set<Indicator>()
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(decoding: rawLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let indicator: Indicator
            switch classify(line, kind: kind) {
            case .success(let i): indicator = i
            case .failure(let message): throw IndicatorError(line: lineNumber, message: message.text)
            }
            if seen.insert(indicator).inserted { result.append(indicator) }
        }
        return result
    }

    /// The indicator a single value stands for, or why it does not fit `kind`.
    public static func classify(_ value: String, kind: IndicatorKind?) -> Result<Indicator, IndicatorMessage> {
        let raw = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !raw.isEmpty else { return .failure(IndicatorMessage("an empty value")) }
        let plain = refang(raw)
        let shown = raw.count > 80 ? String(raw.prefix(80)) + "…" : raw
        switch kind {
        case .string:
            return .success(Indicator(kind: .string, value: raw))
        case .ip:
            if let ip = normalizedIP(plain) { return .success(Indicator(kind: .ip, value: ip)) }
            if let url = URLParts(plain), let ip = normalizedIP(url.host) { return .success(Indicator(kind: .ip, value: ip)) }
            return .failure(IndicatorMessage("\(shown.debugDescription) is not an IPv4/IPv6 address or CIDR range"))
        case .hash:
            if let h = normalizedHash(plain) { return .success(Indicator(kind: .hash, value: h)) }
            return .failure(IndicatorMessage("\(shown.debugDescription) is not an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hexadecimal digits)"))
        case .domain:
            if let d = normalizedDomain(plain) { return .success(Indicator(kind: .domain, value: d)) }
            if let url = URLParts(plain), let d = normalizedDomain(url.host) { return .success(Indicator(kind: .domain, value: d)) }
            return .failure(IndicatorMessage("\(shown.debugDescription) is not a domain name"))
        case nil:
            if let ip = normalizedIP(plain) { return .success(Indicator(kind: .ip, value: ip)) }
            if let h = normalizedHash(plain) { return .success(Indicator(kind: .hash, value: h)) }
            if let url = URLParts(plain) {
                if url.hostOnly {
                    if let ip = normalizedIP(url.host) { return .success(Indicator(kind: .ip, value: ip)) }
                    if let d = normalizedDomain(url.host) { return .success(Indicator(kind: .domain, value: d)) }
                }
                return .success(Indicator(kind: .string, value: plain))
            }
            if let d = normalizedDomain(plain) { return .success(Indicator(kind: .domain, value: d)) }
            return .success(Indicator(kind: .string, value: plain))
        }
    }

    /// Undoes the usual defanging: `[.]` `(.)` `{.}` `[dot]` `(dot)` → `.`, `[:]` → `:`, `[://]` → `://`,
    /// `[@]` `[at]` → `@`, `hxxp`/`hxxps`/`fxp` schemes → `http`/`https`/`ftp`.
    public static func refang(_ value: String) -> String {
        var s = value
        for (from, to) in [("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("(dot)", "."), ("[DOT]", "."),
                           ("[:]", ":"), ("[://]", "://"), ("[@]", "@"), ("[at]", "@")] where s.contains(from) {
            s = s.replacingOccurrences(of: from, with: to)
        }
        let lower = s.lowercased()
        for (from, to) in [("hxxps://", "https://"), ("hxxp://", "http://"), ("hxxps[://]", "https://"), ("fxp://", "ftp://")]
        where lower.hasPrefix(from) {
            s = to + s.dropFirst(from.count)
            break
        }
        return s
    }

    static func normalizedIP(_ s: String) -> String? {
        guard let (address, prefix) = IPBytes.parseCIDR(s) else { return nil }
        let network = address.masked(prefix)
        return prefix == address.bitWidth ? network.text : "\(network.text)/\(prefix)"
    }

    static func normalizedHash(_ s: String) -> String? {
        let u = Array(s.utf8)
        guard u.count == 32 || u.count == 40 || u.count == 64, u.allSatisfy({ IPBytes.hexValue($0) != nil }) else { return nil }
        return s.lowercased()
    }

    /// A lower-case ASCII domain of at least two labels whose last label has a letter; nil otherwise.
    static func normalizedDomain(_ s: String) -> String? {
        var u = Array(s.utf8)
        if u.count >= 2, u[0] == UInt8(ascii: "*"), u[1] == UInt8(ascii: ".") { u.removeFirst(2) }
        if u.last == UInt8(ascii: ".") { u.removeLast() }
        guard !u.isEmpty, u.count <= 253 else { return nil }
        for k in u.indices where u[k] >= 0x41 && u[k] <= 0x5A { u[k] |= 0x20 }
        let labels = u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return nil }
            for c in label {
                guard (c >= 0x61 && c <= 0x7A) || c &- 48 < 10 || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") else { return nil }
            }
        }
        guard let tld = labels.last, tld.contains(where: { $0 >= 0x61 && $0 <= 0x7A }), !tld.contains(UInt8(ascii: "_")) else { return nil }
        return String(decoding: u, as: UTF8.self)
    }
}

/// Why a value is not an indicator of the kind asked for.
public struct IndicatorMessage: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

/// `scheme://[user@]host[:port][/path…]`, split.
struct URLParts {
    var host: String
    /// True when nothing but `/` follows the host and port.
    var hostOnly: Bool

    init?(_ s: String) {
        guard let sep = s.range(of: "://") else { return nil }
        let scheme = s[..<sep.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) else { return nil }
        let rest = s[sep.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        if host.hasSuffix(".") { host = host.dropLast() }
        self.host = String(host)
        let tail = rest[authorityEnd...]
        self.hostOnly = tail.isEmpty || tail == "/"
    }
}

/// Matches indicators against every field value of an event: IPs by address (CIDR containment),
/// domains by the name or any subdomain inside a value (URL, host, query), hashes case-insensitively
/// as whole tokens (also inside `SHA256=…,MD5=…` lists), strings case-insensitively as substrings.
///
/// Each value is read once: tokens of letters, digits and `-_.:` are cut from it and looked up (dotted
/// quads and IPv6 text by address in hash sets per prefix length, hex runs of 32/40/64 digits in a hash
/// set, host names by every label-aligned suffix through a hash of the reversed name), and string
/// indicators are found by a 4-byte-window filter over the lower-cased bytes. Numbers and booleans are
/// searched for strings only; arrays element by element. An indicator whose value does not parse as its
/// kind never matches.
public struct IndicatorMatcher: Sendable {
    private let indicators: [Indicator]
    private let v4Exact: [UInt32: [Int]]
    private let v4Ranges: [(prefix: Int, networks: [UInt32: [Int]])]
    private let v6Exact: [IPAddressValue: [Int]]
    private let v6Ranges: [(prefix: Int, networks: [IPAddressValue: [Int]])]
    private let domainsByHash: [UInt64: [(bytes: [UInt8], index: Int)]]
    private let hashes: [HexDigest: [Int]]
    private let strings: StringIndicatorSearch
    private let hasIPs: Bool
    private let hasTokens: Bool

    public init(_ indicators: [Indicator]) {
        self.indicators = indicators
        var v4Exact: [UInt32: [Int]] = [:]
        var v4Ranges: [Int: [UInt32: [Int]]] = [:]
        var v6Exact: [IPAddressValue: [Int]] = [:]
        var v6Ranges: [Int: [IPAddressValue: [Int]]] = [:]
        var domains: [UInt64: [(bytes: [UInt8], index: Int)]] = [:]
        var hashes: [HexDigest: [Int]] = [:]
        var patterns: [(bytes: [UInt8], index: Int)] = []
        for (index, indicator) in indicators.enumerated() {
            switch indicator.kind {
            case .ip:
                guard let (address, prefix) = IPBytes.parseCIDR(IndicatorList.refang(indicator.value.trimmingCharacters(in: .whitespaces))) else { continue }
                let network = address.masked(prefix)
                if address.isV6 {
                    if prefix == 128 { v6Exact[network, default: []].append(index) } else { v6Ranges[prefix, default: [:]][network, default: []].append(index) }
                } else {
                    let a = UInt32(truncatingIfNeeded: network.low)
                    if prefix == 32 { v4Exact[a, default: []].append(index) } else { v4Ranges[prefix, default: [:]][a, default: []].append(index) }
                }
            case .domain:
                let plain = IndicatorList.refang(indicator.value.trimmingCharacters(in: .whitespaces))
                guard let d = IndicatorList.normalizedDomain(plain) ?? URLParts(plain).flatMap({ IndicatorList.normalizedDomain($0.host) }) else { continue }
                let bytes = Array(d.utf8)
                let h = bytes.withUnsafeBufferPointer { DomainHash.hash($0, 0, $0.count) }
                domains[h, default: []].append((bytes, index))
            case .hash:
                let bytes = Array(indicator.value.trimmingCharacters(in: .whitespaces).utf8)
                guard let digest = bytes.withUnsafeBufferPointer({ HexDigest($0, 0, $0.count) }) else { continue }
                hashes[digest, default: []].append(index)
            case .string:
                let lowered = Array(indicator.value.lowercased().utf8)
                guard !lowered.isEmpty else { continue }
                patterns.append((lowered, index))
            }
        }
        self.v4Exact = v4Exact
        self.v4Ranges = v4Ranges.sorted { $0.key > $1.key }.map { ($0.key, $0.value) }
        self.v6Exact = v6Exact
        self.v6Ranges = v6Ranges.sorted { $0.key > $1.key }.map { ($0.key, $0.value) }
        self.domainsByHash = domains
        self.hashes = hashes
        self.strings = StringIndicatorSearch(patterns)
        self.hasIPs = !v4Exact.isEmpty || !v4Ranges.isEmpty || !v6Exact.isEmpty || !v6Ranges.isEmpty
        self.hasTokens = hasIPs || !domains.isEmpty || !hashes.isEmpty
    }

    public var isEmpty: Bool { !hasTokens && strings.isEmpty }

    /// The indicators that occur in the event, each once, with the field it was found in.
    /// Indicators come in the order they were given; an indicator found in several fields names the
    /// first of them in byte order of the field names.
    public func matches(_ event: FlatEvent) -> [(indicator: Indicator, field: String)] {
        if isEmpty { return [] }
        var found = Found()
        for (field, value) in event.fields {
            scan(value, field: field, into: &found)
        }
        if found.map.isEmpty { return [] }
        return found.map.sorted { $0.key < $1.key }.map { (indicators[$0.key], $0.value) }
    }

    struct Found {
        var map: [Int: String] = [:]
        mutating func add(_ indices: [Int], _ field: String) {
            for i in indices { add(i, field) }
        }
        mutating func add(_ index: Int, _ field: String) {
            if let existing = map[index], !field.utf8.lexicographicallyPrecedes(existing.utf8) { return }
            map[index] = field
        }
    }

    private func scan(_ value: EventValue, field: String, into found: inout Found) {
        switch value {
        case .string(let s):
            if let done: Void = s.utf8.withContiguousStorageIfAvailable({ scanBytes($0, field: field, into: &found) }) {
                _ = done
            } else {
                Array(s.utf8).withUnsafeBufferPointer { scanBytes($0, field: field, into: &found) }
            }
            if strings.needsUnicodeFolding, s.utf8.contains(where: { $0 >= 0x80 }) {
                let lowered = s.lowercased()
                Array(lowered.utf8).withUnsafeBufferPointer { strings.search($0, unicodeOnly: true) { found.add($0, field) } }
            }
        case .int, .double, .bool:
            guard !strings.isEmpty, var text = value.text else { return }
            text.withUTF8 { strings.search($0, unicodeOnly: false) { found.add($0, field) } }
        case .array(let items):
            for item in items { scan(item, field: field, into: &found) }
        case .null:
            return
        }
    }

    private func scanBytes(_ p: UnsafeBufferPointer<UInt8>, field: String, into found: inout Found) {
        if !strings.isEmpty {
            strings.search(p, unicodeOnly: false) { found.add($0, field) }
        }
        guard hasTokens else { return }
        let n = p.count
        var k = 0
        while k < n {
            // Skip to the next token byte.
            while k < n, TokenBytes.kind(p[k]) == 0 { k += 1 }
            let s = k
            while k < n, TokenBytes.kind(p[k]) != 0 { k += 1 }
            if k > s { token(p, s, k, field: field, into: &found) }
        }
    }

    /// A run of `[A-Za-z0-9-_.:]`.
    private func token(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, field: String, into found: inout Found) {
        var colons = 0, dots = 0, letters = 0
        for k in s..<e {
            switch p[k] {
            case 0x3A: colons += 1
            case 0x2E: dots += 1
            default: if TokenBytes.kind(p[k]) == 2 { letters += 1 }
            }
        }
        if hasIPs, colons >= 2, let a = IPBytes.v6(p, s, e) { lookupIP(a, field: field, into: &found) }
        // Parts between colons: host names and dotted quads.
        var partStart = s
        for k in s...e where k == e || p[k] == 0x3A {
            if k > partStart { part(p, partStart, k, dots: dots, field: field, into: &found) }
            partStart = k + 1
        }
        // Hex runs between any non-alphanumeric bytes.
        if !hashes.isEmpty, e - s >= 32 {
            var runStart = s
            for k in s...e where k == e || TokenBytes.kind(p[k]) == 1 {
                let length = k - runStart
                if length == 32 || length == 40 || length == 64, let digest = HexDigest(p, runStart, k), let hit = hashes[digest] {
                    found.add(hit, field)
                }
                runStart = k + 1
            }
        }
    }

    private func part(_ p: UnsafeBufferPointer<UInt8>, _ s0: Int, _ e0: Int, dots: Int, field: String, into found: inout Found) {
        guard dots > 0 else { return }
        var s = s0, e = e0
        while s < e, p[s] == 0x2E || p[s] == 0x2D { s += 1 }
        while e > s, p[e - 1] == 0x2E || p[e - 1] == 0x2D { e -= 1 }
        guard e - s >= 3 else { return }
        if hasIPs {
            // Dotted quads: runs of digits and dots.
            var runStart = s
            for k in s...e where k == e || !(p[k] &- 48 < 10 || p[k] == 0x2E) {
                if k - runStart >= 7 {
                    var a = runStart, b = k
                    while a < b, p[a] == 0x2E { a += 1 }
                    while b > a, p[b - 1] == 0x2E { b -= 1 }
                    if let v4 = IPBytes.v4(p, a, b) { lookupIP(.v4(v4), field: field, into: &found) }
                }
                runStart = k + 1
            }
        }
        if !domainsByHash.isEmpty {
            // Every label-aligned suffix of the name, hashed from the end.
            var h = DomainHash.seed
            var k = e
            while k > s {
                k -= 1
                let c = p[k]
                if c == 0x2E {
                    lookupDomain(p, k + 1, e, hash: h, field: field, into: &found)
                }
                h = DomainHash.step(h, c)
            }
            lookupDomain(p, s, e, hash: h, field: field, into: &found)
        }
    }

    private func lookupDomain(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, hash: UInt64, field: String, into found: inout Found) {
        guard let candidates = domainsByHash[hash] else { return }
        for (bytes, index) in candidates where bytes.count == e - s {
            var same = true
            for k in 0..<bytes.count where DomainHash.lower(p[s + k]) != bytes[k] { same = false; break }
            if same { found.add(index, field) }
        }
    }

    private func lookupIP(_ address: IPAddressValue, field: String, into found: inout Found) {
        let a = address.unmapped
        if a.isV6 {
            if let hit = v6Exact[a] { found.add(hit, field) }
            for (prefix, networks) in v6Ranges {
                if let hit = networks[a.masked(prefix)] { found.add(hit, field) }
            }
        } else {
            let v = UInt32(truncatingIfNeeded: a.low)
            if let hit = v4Exact[v] { found.add(hit, field) }
            for (prefix, networks) in v4Ranges {
                let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
                if let hit = networks[v & mask] { found.add(hit, field) }
            }
        }
    }
}

enum TokenBytes {
    /// 0: not in a token; 1: `-_.:`; 2: a letter; 3: a digit.
    @inline(__always) static func kind(_ c: UInt8) -> UInt8 {
        if (c | 0x20) &- 0x61 < 26 { return 2 }
        if c &- 0x30 < 10 { return 3 }
        if c == 0x2D || c == 0x5F || c == 0x2E || c == 0x3A { return 1 }
        return 0
    }
}

enum DomainHash {
    static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
    @inline(__always) static func step(_ h: UInt64, _ c: UInt8) -> UInt64 { (h ^ UInt64(lower(c))) &* 0x100_0000_01B3 }
    /// The hash of `p[s..<e]` read from the end, as `IndicatorMatcher` computes it for suffixes.
    static func hash(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
        var h = seed
        var k = e
        while k > s { k -= 1; h = step(h, p[k]) }
        return h
    }
}

/// An MD5, SHA-1 or SHA-256 digest read from hex.
struct HexDigest: Hashable, Sendable {
    var length: UInt8
    var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0

    init?(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) {
        let n = e - s
        guard n == 32 || n == 40 || n == 64 else { return nil }
        length = UInt8(n)
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &words) { raw -> Bool in
            let w = raw.bindMemory(to: UInt64.self)
            for k in 0..<n {
                guard let v = IPBytes.hexValue(p[s + k]) else { return false }
                w[k >> 4] = w[k >> 4] << 4 | UInt64(v)
            }
            return true
        }
        guard ok else { return nil }
        (a, b, c, d) = words
    }
}

/// Case-insensitive search for many substrings at once: a filter on the first (up to) 4 lower-cased
/// bytes of each pattern (a bit set per key length), then a byte comparison of the candidates.
struct StringIndicatorSearch: Sendable {
    private struct Pattern: Sendable {
        var bytes: [UInt8]
        var index: Int
        var ascii: Bool
    }
    /// Patterns by the length of their key (1, 2, 3 or 4 bytes) and the key.
    private var tables: [[UInt32: [Pattern]]] = [[:], [:], [:], [:]]
    /// 4 × 1024 words: the bit set of each key length.
    private var bloom = [UInt64](repeating: 0, count: 4096)
    private var hasLength = (false, false, false, false)
    let isEmpty: Bool
    /// Some pattern has non-ASCII letters: values with non-ASCII bytes are also searched lower-cased
    /// by Unicode rules (only those patterns then).
    let needsUnicodeFolding: Bool

    init(_ patterns: [(bytes: [UInt8], index: Int)]) {
        isEmpty = patterns.isEmpty
        var unicode = false
        for (bytes, index) in patterns {
            let ascii = bytes.allSatisfy { $0 < 0x80 }
            if !ascii { unicode = true }
            let length = min(4, bytes.count)
            var key: UInt32 = 0
            for k in 0..<length { key = key << 8 | UInt32(bytes[k]) }
            tables[length - 1][key, default: []].append(Pattern(bytes: bytes, index: index, ascii: ascii))
            let bit = Self.bloomBit(key)
            bloom[(length - 1) * 1024 + bit >> 6] |= 1 << UInt64(bit & 63)
            switch length {
            case 1: hasLength.0 = true
            case 2: hasLength.1 = true
            case 3: hasLength.2 = true
            default: hasLength.3 = true
            }
        }
        needsUnicodeFolding = unicode
    }

    @inline(__always) private static func bloomBit(_ key: UInt32) -> Int { Int((key &* 0x9E37_79B1) >> 16) }

    /// Calls `hit` with the index of every pattern found in `p` (ASCII letters folded). With
    /// `unicodeOnly`, `p` is already lower-cased and only non-ASCII patterns are tried.
    func search(_ p: UnsafeBufferPointer<UInt8>, unicodeOnly: Bool, _ hit: (Int) -> Void) {
        let n = p.count
        guard n > 0, !isEmpty else { return }
        let short = hasLength.0 || hasLength.1 || hasLength.2
        bloom.withUnsafeBufferPointer { bits in
            var window: UInt32 = 0
            // Prime the window with the first 3 bytes.
            for k in 0..<min(3, n) { window = window << 8 | UInt32(DomainHash.lower(p[k])) }
            var k = 0
            while k < n {
                if k + 3 < n { window = window << 8 | UInt32(DomainHash.lower(p[k + 3])) } else { window <<= 8 }
                // window holds bytes k..k+3 (zero past the end).
                if hasLength.3, k + 4 <= n {
                    let bit = Self.bloomBit(window)
                    if bits[3072 + bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                        verify(p, at: k, length: 4, key: window, unicodeOnly: unicodeOnly, hit)
                    }
                }
                if short {
                    for length in 1...3 where k + length <= n {
                        let present = length == 1 ? hasLength.0 : length == 2 ? hasLength.1 : hasLength.2
                        guard present else { continue }
                        let key = window >> UInt32(32 - 8 * length)
                        let bit = Self.bloomBit(key)
                        if bits[(length - 1) * 1024 + bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                            verify(p, at: k, length: length, key: key, unicodeOnly: unicodeOnly, hit)
                        }
                    }
                }
                k += 1
            }
        }
    }

    private func verify(_ p: UnsafeBufferPointer<UInt8>, at k: Int, length: Int, key: UInt32, unicodeOnly: Bool, _ hit: (Int) -> Void) {
        guard let candidates = tables[length - 1][key] else { return }
        let n = p.count
        for pattern in candidates where pattern.bytes.count <= n - k && (!unicodeOnly || !pattern.ascii) {
            var same = true
            var m = length
            while m < pattern.bytes.count {
                if DomainHash.lower(p[k + m]) != pattern.bytes[m] { same = false; break }
                m += 1
            }
            if same { hit(pattern.index) }
        }
    }
}
