import Foundation

/// The total order UngCuu puts on real-world version strings, for version ranges of advisories.
///
/// A version is read as `[epoch:]upstream[-revision]`, then compared part by part:
///
/// 1. **Clean-up.** Surrounding spaces are trimmed; letters compare case-insensitively; a leading `v`
///    before a digit is ignored (`v1.2` = `1.2`).
/// 2. **Epoch** (Debian): leading digits followed by `:` (`1:2.3`). A missing epoch is 0, and a higher
///    epoch wins whatever follows (`1:1.0` > `9.9`).
/// 3. **Revision** (Debian/Ubuntu, RPM release): the text after the last `-`, when it starts with a digit
///    (`2.4.57-1ubuntu2`). It is compared only when everything before it is equal; a missing revision is
///    `0`, so `2.4.57` < `2.4.57-1` and `2.4.57` = `2.4.57-0`.
/// 4. **Build metadata**: in the upstream part, everything from the first `+` is ignored
///    (`1.0.0+build.5` = `1.0.0`, and also `1.2+dfsg` = `1.2`). In the revision, `+` only separates
///    (`1+deb12u2` > `1+deb12u1` > `1`).
/// 5. **Release numbers**: the leading digit runs joined by `.` or `_` compare numerically
///    (`1.2.10` > `1.2.9`, `1.01` = `1.1`); missing numbers are 0, so trailing zeros do not count
///    (`1.0` = `1.0.0`). Numbers beyond 2⁶⁴−1 compare as 2⁶⁴−1.
/// 6. **Qualifiers**: what follows the release numbers is a list of qualifiers, each a word with an optional
///    number (`rc1`, `beta.2`, `p1`, `k`, `ubuntu2`, `+deb12u1`), a bare number, or `~`. The word's number
///    may follow it directly or after one `.`, `-` or `_`. Qualifiers compare one by one, by rank, then
///    word (alphabetically), then number; a version with fewer qualifiers is compared as if it had *end*:
///
///    `~` < dev (`dev`, `snapshot`, `nightly`) < alpha (`alpha`, `a1`) < beta (`beta`, `b1`)
///    < milestone (`milestone`, `m1`) < rc (`rc`, `cr`, `pre`, `preview`, `c1`) < **end**
///    < post-release words < bare numbers.
///
///    So pre-releases sort below their release (`1.0rc1` < `1.0`, `1.0.0-rc.1` < `1.0.0`,
///    `1.0-beta.2` < `1.0-beta.10` < `1.0-rc.1`), `~` below everything, even the release
///    (`1.0~rc1` < `1.0`, Debian), and post-release suffixes above it: `7.0.1` < `7.0.1p1` = `7.0.1_p1`
///    = `7.0.1-patch1` < `7.0.1p2` (`p`, `pl`, `patch`, `post`, `r` and `rev` are one word),
///    OpenSSL letters `1.1.1` < `1.1.1j` < `1.1.1k` < `1.1.1za`, Java `8u291` < `8u301` (`update` = `u`).
///    A single `a`, `b`, `c` or `m` is a pre-release only when a digit follows it (`1.0b2` is beta 2,
///    `0.9.8b` is a post-release letter). `final`, `release`, `ga` and `stable` are ignored
///    (`1.0.Final` = `1.0`), and trailing zero numbers are too (`1.0rc1.0` = `1.0rc1`).
/// 7. Any other character separates.
///
/// Known departures: SemVer's `1.0.0-alpha.beta` sorts below `1.0.0-alpha.1` (SemVer puts it above), and
/// a numeric SemVer pre-release (`1.0.0-1`) reads as a revision, above `1.0.0`.
public enum VersionOrder {
    /// Orders two version strings (see `VersionOrder`).
    public static func compare(_ a: String, _ b: String) -> ComparisonResult {
        ComparableVersion(a).compare(to: ComparableVersion(b))
    }
}

/// A version string parsed once for comparison under `VersionOrder`. Equal versions (`1.0`, `1.0.0`,
/// `v1.0`) are `==` and hash alike; `text` keeps what was given.
public struct ComparableVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let text: String
    let epoch: UInt64
    let upstream: Part
    let revision: Part

    struct Part: Sendable, Hashable {
        var release: [UInt64] = []
        var qualifiers: [Qualifier] = []
    }

    struct Qualifier: Sendable, Hashable {
        static let tilde: UInt8 = 0, dev: UInt8 = 1, alpha: UInt8 = 2, beta: UInt8 = 3, milestone: UInt8 = 4, rc: UInt8 = 5
        static let end: UInt8 = 6, word: UInt8 = 7, number: UInt8 = 8
        var rank: UInt8
        var word: String = ""
        var number: UInt64 = 0
    }

    public init(_ text: String) {
        self.text = text
        var bytes = Array(text.utf8)
        // Trim, lowercase ASCII.
        while let f = bytes.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { bytes.removeFirst() }
        while let l = bytes.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { bytes.removeLast() }
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
        var start = 0
        if bytes.count > 1 && bytes[0] == UInt8(ascii: "v") && Self.isDigit(bytes[1]) { start = 1 }
        var epoch: UInt64 = 0
        if let colon = bytes[start...].firstIndex(of: UInt8(ascii: ":")), colon > start,
           bytes[start..<colon].allSatisfy(Self.isDigit) {
            epoch = Self.number(bytes[start..<colon])
            start = colon + 1
            if bytes.count > start + 1 && bytes[start] == UInt8(ascii: "v") && Self.isDigit(bytes[start + 1]) { start += 1 }
        }
        self.epoch = epoch
        var upstreamEnd = bytes.count
        var revision = Part()
        if let dash = bytes[start...].lastIndex(of: UInt8(ascii: "-")), dash + 1 < bytes.count, Self.isDigit(bytes[dash + 1]) {
            upstreamEnd = dash
            revision = Self.parsePart(bytes[(dash + 1)...])
        }
        let plus = bytes[start..<upstreamEnd].firstIndex(of: UInt8(ascii: "+")) ?? upstreamEnd
        upstream = Self.parsePart(bytes[start..<plus])
        self.revision = revision
    }

    public var description: String { text }

    public static func == (a: Self, b: Self) -> Bool {
        a.epoch == b.epoch && a.upstream == b.upstream && a.revision == b.revision
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(upstream)
        hasher.combine(revision)
    }

    public static func < (a: Self, b: Self) -> Bool { a.compare(to: b) == .orderedAscending }

    public func compare(to other: ComparableVersion) -> ComparisonResult {
        if epoch != other.epoch { return epoch < other.epoch ? .orderedAscending : .orderedDescending }
        let u = Self.compare(upstream, other.upstream)
        if u != .orderedSame { return u }
        return Self.compare(revision, other.revision)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    // MARK: Comparison

    static func compare(_ a: Part, _ b: Part) -> ComparisonResult {
        let n = max(a.release.count, b.release.count)
        var i = 0
        while i < n {
            let x = i < a.release.count ? a.release[i] : 0
            let y = i < b.release.count ? b.release[i] : 0
            if x != y { return x < y ? .orderedAscending : .orderedDescending }
            i += 1
        }
        let m = max(a.qualifiers.count, b.qualifiers.count)
        i = 0
        let end = Qualifier(rank: Qualifier.end)
        while i < m {
            let x = i < a.qualifiers.count ? a.qualifiers[i] : end
            let y = i < b.qualifiers.count ? b.qualifiers[i] : end
            if x.rank != y.rank { return x.rank < y.rank ? .orderedAscending : .orderedDescending }
            if x.word != y.word { return x.word < y.word ? .orderedAscending : .orderedDescending }
            if x.number != y.number { return x.number < y.number ? .orderedAscending : .orderedDescending }
            i += 1
        }
        return .orderedSame
    }

    // MARK: Parsing

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }

    static func number(_ digits: ArraySlice<UInt8>) -> UInt64 {
        var n: UInt64 = 0
        for d in digits {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d - 0x30))
            if o1 || o2 { return .max }
            n = s
        }
        return n
    }

    static func parsePart(_ b: ArraySlice<UInt8>) -> Part {
        var part = Part()
        var i = b.startIndex
        let end = b.endIndex
        // Release numbers.
        while i < end && isDigit(b[i]) {
            var j = i
            while j < end && isDigit(b[j]) { j += 1 }
            part.release.append(number(b[i..<j]))
            i = j
            if i + 1 < end && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "_")) && isDigit(b[i + 1]) {
                i += 1
            } else {
                break
            }
        }
        while part.release.last == 0 { part.release.removeLast() }
        // Qualifiers.
        var pending: Qualifier?  // a word waiting for its number
        while i < end {
            let c = b[i]
            if isDigit(c) {
                var j = i
                while j < end && isDigit(b[j]) { j += 1 }
                let n = number(b[i..<j])
                if var q = pending {
                    q.number = n
                    part.qualifiers.append(q)
                    pending = nil
                } else {
                    part.qualifiers.append(Qualifier(rank: Qualifier.number, number: n))
                }
                i = j
                continue
            }
            if let q = pending {
                // The word's number may follow one separator.
                let sep = c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                if !(sep && i + 1 < end && isDigit(b[i + 1])) {
                    part.qualifiers.append(q)
                    pending = nil
                }
            }
            if isLetter(c) {
                var j = i
                while j < end && isLetter(b[j]) { j += 1 }
                let digitFollows = j < end && isDigit(b[j])
                pending = qualifier(b[i..<j], digitFollows: digitFollows)
                i = j
            } else {
                if c == UInt8(ascii: "~") { part.qualifiers.append(Qualifier(rank: Qualifier.tilde)) }
                i += 1
            }
        }
        if let q = pending { part.qualifiers.append(q) }
        while let last = part.qualifiers.last, last.rank == Qualifier.number && last.number == 0 { part.qualifiers.removeLast() }
        return part
    }

    /// The qualifier a word starts; nil for words that mean "the release" (`final`, `ga`, …).
    static func qualifier(_ w: ArraySlice<UInt8>, digitFollows: Bool) -> Qualifier? {
        if w.count == 1 {
            switch w.first! {
            case UInt8(ascii: "a") where digitFollows: return Qualifier(rank: Qualifier.alpha)
            case UInt8(ascii: "b") where digitFollows: return Qualifier(rank: Qualifier.beta)
            case UInt8(ascii: "c") where digitFollows: return Qualifier(rank: Qualifier.rc)
            case UInt8(ascii: "m") where digitFollows: return Qualifier(rank: Qualifier.milestone)
            case UInt8(ascii: "p"), UInt8(ascii: "r"): return Qualifier(rank: Qualifier.word, word: "p")
            default: return Qualifier(rank: Qualifier.word, word: String(decoding: w, as: UTF8.self))
            }
        }
        let word = String(decoding: w, as: UTF8.self)
        switch word {
        case "dev", "snapshot", "nightly": return Qualifier(rank: Qualifier.dev)
        case "alpha": return Qualifier(rank: Qualifier.alpha)
        case "beta": return Qualifier(rank: Qualifier.beta)
        case "milestone": return Qualifier(rank: Qualifier.milestone)
        case "rc", "cr", "pre", "preview": return Qualifier(rank: Qualifier.rc)
        case "final", "release", "ga", "stable": return nil
        case "pl", "patch", "post", "rev": return Qualifier(rank: Qualifier.word, word: "p")
        case "update": return Qualifier(rank: Qualifier.word, word: "u")
        default: return Qualifier(rank: Qualifier.word, word: word)
        }
    }
}
