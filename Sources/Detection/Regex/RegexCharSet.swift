/// A set of Unicode scalar values as sorted, disjoint, non-adjacent closed ranges, stored flat as
/// `[lo0, hi0, lo1, hi1, …]`. Surrogate code points may appear in ranges (a negated class covers them);
/// they never occur in text, so they are harmless.
struct ScalarSet: Hashable, Sendable {
    static let maxScalar: UInt32 = 0x10FFFF

    private(set) var bounds: [UInt32]

    init() { bounds = [] }

    /// From arbitrary (possibly overlapping, unsorted) closed ranges given as pairs.
    init(pairs: [UInt32]) {
        bounds = ScalarSet.normalize(pairs)
    }

    init(scalar: UInt32) { bounds = [scalar, scalar] }

    init(range lo: UInt32, _ hi: UInt32) { bounds = lo <= hi ? [lo, hi] : [] }

    static let all = ScalarSet(range: 0, maxScalar)

    var rangeCount: Int { bounds.count / 2 }
    var isEmpty: Bool { bounds.isEmpty }

    /// The only scalar of a one-element set.
    var singleScalar: UInt32? {
        bounds.count == 2 && bounds[0] == bounds[1] ? bounds[0] : nil
    }

    /// How many scalars the set holds (saturating at `UInt32.max` is not needed: at most 0x110000).
    var count: Int {
        var n = 0
        var i = 0
        while i < bounds.count { n += Int(bounds[i + 1] - bounds[i]) + 1; i += 2 }
        return n
    }

    var minScalar: UInt32? { bounds.first }

    func contains(_ x: UInt32) -> Bool {
        // Binary search over range starts.
        var lo = 0, hi = bounds.count / 2
        while lo < hi {
            let mid = (lo + hi) / 2
            if bounds[2 * mid + 1] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < bounds.count / 2 && bounds[2 * lo] <= x
    }

    func union(_ other: ScalarSet) -> ScalarSet {
        if other.bounds.isEmpty { return self }
        if bounds.isEmpty { return other }
        return ScalarSet(pairs: bounds + other.bounds)
    }

    /// The complement within 0…0x10FFFF.
    func inverted() -> ScalarSet {
        var out: [UInt32] = []
        out.reserveCapacity(bounds.count + 2)
        var next: UInt32 = 0
        var i = 0
        while i < bounds.count {
            let lo = bounds[i], hi = bounds[i + 1]
            if lo > next { out.append(next); out.append(lo - 1) }
            if hi >= ScalarSet.maxScalar { next = ScalarSet.maxScalar &+ 1; break }
            next = hi + 1
            i += 2
        }
        if next <= ScalarSet.maxScalar { out.append(next); out.append(ScalarSet.maxScalar) }
        var s = ScalarSet()
        s.bounds = out
        return s
    }

    /// Adds every scalar that matches a member case-insensitively: with `unicode`, Python's `re`
    /// IGNORECASE rule (same simple lowercase, plus its table of lowercase letters that share an
    /// uppercase such as s/ſ and k/K); otherwise ASCII letters only.
    func caseFolded(unicode: Bool) -> ScalarSet {
        var extra: [UInt32] = []
        var i = 0
        while i < bounds.count {
            let lo = bounds[i], hi = bounds[i + 1]
            // ASCII letters.
            let aLo = max(lo, 0x41), aHi = min(hi, 0x7A)
            if aLo <= aHi {
                for c in aLo...aHi {
                    if c >= 0x41 && c <= 0x5A { extra.append(c + 0x20); extra.append(c + 0x20) }
                    else if c >= 0x61 && c <= 0x7A { extra.append(c - 0x20); extra.append(c - 0x20) }
                }
            }
            if unicode {
                let table = CaseOrbits.shared
                var k = table.firstIndex(atOrAfter: lo)
                while k < table.cased.count, table.cased[k] <= hi {
                    for member in table.orbits[Int(table.orbitOf[k])] { extra.append(member); extra.append(member) }
                    k += 1
                }
            }
            i += 2
        }
        if extra.isEmpty { return self }
        return ScalarSet(pairs: bounds + extra)
    }

    private static func normalize(_ pairs: [UInt32]) -> [UInt32] {
        let n = pairs.count / 2
        if n == 0 { return [] }
        var idx = Array(0..<n)
        idx.sort { pairs[2 * $0] < pairs[2 * $1] }
        var out: [UInt32] = []
        out.reserveCapacity(pairs.count)
        var curLo = pairs[2 * idx[0]], curHi = pairs[2 * idx[0] + 1]
        for j in idx.dropFirst() {
            let lo = pairs[2 * j], hi = pairs[2 * j + 1]
            if lo > hi { continue }
            if curHi == UInt32.max || lo <= curHi + 1 {
                if hi > curHi { curHi = hi }
            } else {
                out.append(curLo); out.append(curHi)
                curLo = lo; curHi = hi
            }
        }
        if curLo <= curHi { out.append(curLo); out.append(curHi) }
        return out
    }
}

/// Python's `str` character categories (`re` without the ASCII flag): `\d` is a decimal digit (Nd),
/// `\w` is a letter (L*), any character with a numeric value, or `_`, `\s` is `str.isspace()`.
/// Built once from the standard library's Unicode properties.
enum UnicodeCategories {
    static let digit: ScalarSet = build { p in p.numericType == .decimal }
    static let word: ScalarSet = {
        var s = build { p in
            switch p.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
            default: return p.numericType != nil
            }
        }
        s = s.union(ScalarSet(scalar: 0x5F))
        return s
    }()
    static let space = ScalarSet(pairs: [
        0x09, 0x0D, 0x1C, 0x20, 0x85, 0x85, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A,
        0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000,
    ])

    static let asciiDigit = ScalarSet(range: 0x30, 0x39)
    static let asciiWord = ScalarSet(pairs: [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A])
    static let asciiSpace = ScalarSet(pairs: [0x09, 0x0D, 0x20, 0x20])

    /// Scalars up to U+3FFFF (no letter or number is assigned above that).
    private static func build(_ test: (Unicode.Scalar.Properties) -> Bool) -> ScalarSet {
        var pairs: [UInt32] = []
        var runStart: UInt32? = nil
        var v: UInt32 = 0
        while v < 0x40000 {
            if v == 0xD800 { v = 0xE000 }
            let inSet: Bool
            if let s = Unicode.Scalar(v) { inSet = test(s.properties) } else { inSet = false }
            if inSet {
                if runStart == nil { runStart = v }
            } else if let start = runStart {
                pairs.append(start); pairs.append(v - 1); runStart = nil
            }
            v += 1
        }
        if let start = runStart { pairs.append(start); pairs.append(0x3FFFF) }
        return ScalarSet(pairs: pairs)
    }
}

/// Groups of scalars that Python's `re` treats as equal under IGNORECASE: scalars with the same simple
/// lowercase mapping, merged by the table of lowercase letters that share an uppercase (`re._casefix`).
final class CaseOrbits: Sendable {
    static let shared = CaseOrbits()

    /// Sorted scalars that belong to an orbit of two or more.
    let cased: [UInt32]
    /// For each of `cased`, the index of its orbit.
    let orbitOf: [Int32]
    let orbits: [[UInt32]]

    /// `re._casefix._EXTRA_CASES` (Python 3.11): lowercase letters with the same uppercase.
    private static let extraCases: [(UInt32, UInt32)] = [
        (0x69, 0x131), (0x73, 0x17F), (0xB5, 0x3BC), (0x345, 0x3B9), (0x345, 0x1FBE), (0x390, 0x1FD3),
        (0x3B0, 0x1FE3), (0x3B2, 0x3D0), (0x3B5, 0x3F5), (0x3B8, 0x3D1), (0x3BA, 0x3F0), (0x3C0, 0x3D6),
        (0x3C1, 0x3F1), (0x3C2, 0x3C3), (0x3C6, 0x3D5), (0x432, 0x1C80), (0x434, 0x1C81), (0x43E, 0x1C82),
        (0x441, 0x1C83), (0x442, 0x1C84), (0x442, 0x1C85), (0x44A, 0x1C86), (0x463, 0x1C87), (0x1C88, 0xA64B),
        (0x1E61, 0x1E9B), (0xFB05, 0xFB06),
    ]

    private init() {
        // Union-find over scalars keyed by their simple lowercase.
        var parent: [UInt32: UInt32] = [:]
        func find(_ x: UInt32) -> UInt32 {
            var r = x
            while let p = parent[r], p != r { r = p }
            var y = x
            while let p = parent[y], p != r { parent[y] = r; y = p }
            return r
        }
        func union(_ a: UInt32, _ b: UInt32) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var v: UInt32 = 0
        while v < 0x20000 {
            if v == 0xD800 { v = 0xE000 }
            if let s = Unicode.Scalar(v), s.properties.changesWhenCaseMapped {
                let lower: UInt32
                if v == 0x130 {
                    lower = 0x69  // simple lowercase of İ (the full mapping is i + U+0307)
                } else {
                    let mapped = s.properties.lowercaseMapping.unicodeScalars
                    lower = mapped.count == 1 ? (mapped.first?.value ?? v) : v
                }
                if lower != v { union(v, lower) }
            }
            v += 1
        }
        for (a, b) in CaseOrbits.extraCases { union(a, b) }
        var groups: [UInt32: [UInt32]] = [:]
        for key in parent.keys { groups[find(key), default: []].append(key) }
        var orbits: [[UInt32]] = []
        var pairs: [(UInt32, Int32)] = []
        for (_, members) in groups where members.count > 1 {
            let sorted = members.sorted()
            let id = Int32(orbits.count)
            orbits.append(sorted)
            for m in sorted { pairs.append((m, id)) }
        }
        pairs.sort { $0.0 < $1.0 }
        cased = pairs.map(\.0)
        orbitOf = pairs.map(\.1)
        self.orbits = orbits
    }

    func firstIndex(atOrAfter x: UInt32) -> Int {
        var lo = 0, hi = cased.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cased[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
