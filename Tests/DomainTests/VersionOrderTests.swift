import Foundation
import Testing
@testable import Domain

@Suite struct VersionOrderTests {
    /// (a, relation, b): each rule of `VersionOrder`'s documentation.
    static let pairs: [(String, String, String)] = [
        // Numeric segments
        ("1.2.10", ">", "1.2.9"),
        ("1.10", ">", "1.9.9"),
        ("2.4.57", "<", "2.4.58"),
        ("10.0.19045.3693", ">", "10.0.19045.3570"),
        ("1.01", "=", "1.1"),
        ("1", "<", "1.0.1"),
        ("20240101", ">", "20231231"),
        ("99999999999999999999999", "=", "99999999999999999999"),
        // Leading v, case, spaces
        ("v1.2.3", "=", "1.2.3"),
        ("V2.0", "=", "2.0"),
        (" 1.0 ", "=", "1.0"),
        ("1.0RC1", "=", "1.0rc1"),
        // Trailing zeros
        ("1.0", "=", "1.0.0"),
        ("1", "=", "1.0.0.0"),
        ("1.0.0rc1", "=", "1.0rc1"),
        ("1.0rc1.0", "=", "1.0rc1"),
        // Epochs
        ("1:2.3", ">", "2.3"),
        ("1:1.0", ">", "9.9"),
        ("0:2.3", "=", "2.3"),
        ("2:1.0", ">", "1:5.0"),
        // Debian / Ubuntu revisions
        ("2.4.57", "<", "2.4.57-1"),
        ("2.4.57-0", "=", "2.4.57"),
        ("2.4.57-1ubuntu2", "<", "2.4.57-1ubuntu10"),
        ("2.4.57-1", "<", "2.4.57-1ubuntu1"),
        ("2.4.57-2", ">", "2.4.57-1ubuntu10"),
        ("2.4.57-1", "<", "2.4.58"),
        ("2.4.57-1+deb12u1", ">", "2.4.57-1"),
        ("2.4.57-1+deb12u2", ">", "2.4.57-1+deb12u1"),
        ("1:7.4p1-10+deb9u7", ">", "1:7.4p1-10+deb9u6"),
        ("2.4.52-1ubuntu4.7", ">", "2.4.52-1ubuntu4.6"),
        ("2.4-1", "<", "2.4.1"),
        // Debian tilde
        ("1.0~rc1", "<", "1.0"),
        ("1.0~rc1", "<", "1.0~rc2"),
        ("1.0~~", "<", "1.0~"),
        ("1.0~", "<", "1.0rc1"),
        ("2.4.57-1~bpo11+1", "<", "2.4.57-1"),
        // Pre-releases
        ("1.0rc1", "<", "1.0"),
        ("1.0.0-rc.1", "<", "1.0.0"),
        ("1.0alpha", "<", "1.0beta"),
        ("1.0a1", "<", "1.0b1"),
        ("1.0b2", "<", "1.0rc1"),
        ("1.0-beta.2", "<", "1.0-beta.10"),
        ("1.0-beta.2", ">", "1.0-beta"),
        ("1.0.0-alpha", "<", "1.0.0-alpha.1"),
        ("1.0-M1", "<", "1.0-RC1"),
        ("1.0-M1", ">", "1.0-beta3"),
        ("1.0.dev1", "<", "1.0a1"),
        ("1.0-SNAPSHOT", "<", "1.0-alpha"),
        ("1.0-rc1", "=", "1.0rc1"),
        ("1.0.preview", "=", "1.0-rc"),
        ("2.0rc1", ">", "1.9.9"),
        ("1.0.Final", "=", "1.0"),
        ("5.3.2.RELEASE", "=", "5.3.2"),
        // Post-releases
        ("7.0.1_p2", ">", "7.0.1"),
        ("7.0.1_p2", ">", "7.0.1_p1"),
        ("7.0.1p1", ">", "7.0.1"),
        ("7.0.1p1", "=", "7.0.1_p1"),
        ("7.0.1-patch1", "=", "7.0.1p1"),
        ("9.3p2", ">", "9.3p1"),
        ("9.3p2", "<", "9.4p1"),
        ("9.3p1", "<", "9.3.1"),
        ("1.1.1k", ">", "1.1.1j"),
        ("1.1.1", "<", "1.1.1a"),
        ("1.1.1w", "<", "1.1.1za"),
        ("1.1.1k", "<", "3.0.0"),
        ("0.9.8b", ">", "0.9.8"),
        ("8u291", "<", "8u301"),
        ("8u291", "=", "8update291"),
        ("1.0.post1", ">", "1.0"),
        // Build metadata
        ("1.0.0+build.5", "=", "1.0.0"),
        ("1.0.0-rc.1+build.5", "=", "1.0.0-rc.1"),
        ("1.0.0+20130313144700", "<", "1.0.1"),
        ("1.2+dfsg-1", "=", "1.2-1"),
    ]

    @Test func thereAreEnoughPairs() { #expect(Self.pairs.count >= 40) }

    @Test(arguments: pairs)
    func comparesPairs(a: String, relation: String, b: String) {
        let expected: ComparisonResult = relation == "<" ? .orderedAscending : relation == ">" ? .orderedDescending : .orderedSame
        let inverse: ComparisonResult = relation == "<" ? .orderedDescending : relation == ">" ? .orderedAscending : .orderedSame
        #expect(VersionOrder.compare(a, b) == expected, "\(a) \(relation) \(b)")
        #expect(VersionOrder.compare(b, a) == inverse, "\(b) vs \(a)")
        if relation == "=" {
            #expect(ComparableVersion(a) == ComparableVersion(b))
            #expect(ComparableVersion(a).hashValue == ComparableVersion(b).hashValue)
        }
    }

    /// Antisymmetric and transitive over every version of the table: sorting is consistent with each pair.
    @Test func isATotalOrder() {
        let versions = Array(Set(Self.pairs.flatMap { [$0.0, $0.2] })).map(ComparableVersion.init)
        let sorted = versions.sorted()
        for i in sorted.indices {
            for j in sorted.indices where i < j {
                #expect(sorted[i] <= sorted[j], "\(sorted[i]) ≤ \(sorted[j])")
                #expect(!(sorted[j] < sorted[i]))
            }
        }
        for a in versions {
            for b in versions {
                for c in versions where a < b && b < c {
                    #expect(a < c, "\(a) < \(b) < \(c)")
                }
                #expect((a < b) != (b < a) || a == b)
            }
        }
    }

    @Test func keepsTheTextItWasGiven() throws {
        let v = ComparableVersion("v1.0.0-RC1")
        #expect(v.text == "v1.0.0-RC1" && v.description == "v1.0.0-RC1")
        let data = try JSONEncoder().encode([v])
        #expect(try JSONDecoder().decode([ComparableVersion].self, from: data) == [v])
    }

    @Test func versionRangesIncludeOrExcludeEachEnd() throws {
        let r = VersionRange(startIncluding: "2.4.0", endExcluding: "2.4.58")
        #expect(r.contains("2.4.0") && r.contains("2.4.57") && r.contains("2.4.57-1ubuntu10"))
        #expect(!r.contains("2.4.58") && !r.contains("2.3.99") && r.contains("2.4.58~rc1"))
        let open = VersionRange(startExcluding: "1.0", endIncluding: "2.0")
        #expect(!open.contains("1.0") && !open.contains("1.0.0") && open.contains("1.0.1") && open.contains("2.0.0") && !open.contains("2.0p1"))
        #expect(VersionRange.any.contains("anything"))
        #expect(r.english == "from 2.4.0 up to (excluding) 2.4.58")
        #expect(r.vietnamese == "từ 2.4.0 đến trước 2.4.58")
        #expect(open.english == "after 1.0 up to (including) 2.0")
        #expect(open.vietnamese == "sau 1.0 đến hết 2.0")
        #expect(r.description == ">= 2.4.0, < 2.4.58")
    }

    @Test(arguments: [
        ("< 2.4.58", VersionRange(endExcluding: "2.4.58")),
        ("<=2.4.57", VersionRange(endIncluding: "2.4.57")),
        (">= 2.4.0 < 2.4.58", VersionRange(startIncluding: "2.4.0", endExcluding: "2.4.58")),
        (">2.4.0, <=2.4.57", VersionRange(startExcluding: "2.4.0", endIncluding: "2.4.57")),
        ("= 1.2.3", VersionRange.exactly("1.2.3")),
        ("1.2.3", VersionRange.exactly("1.2.3")),
        ("2.4.0 - 2.4.57", VersionRange(startIncluding: "2.4.0", endIncluding: "2.4.57")),
        ("*", VersionRange.any),
        ("", VersionRange.any),
    ])
    func readsSimpleVersionExpressions(text: String, range: VersionRange) throws {
        #expect(try VersionRange(parsing: text) == range)
    }

    @Test(arguments: ["< ", ">= 1.0 >= 2.0", "= 1.0 < 2.0", "~> 1.0", ">= 3.0 < 2.0", "1.0 2.0"])
    func rejectsBadExpressions(text: String) {
        #expect(throws: VersionRangeError.self) { try VersionRange(parsing: text) }
    }

    @Test func readsVersRanges() throws {
        let (ranges, excluded) = try VersionRange.parseVers("vers:generic/>=2.4.0|<2.4.58")
        #expect(ranges == [VersionRange(startIncluding: "2.4.0", endExcluding: "2.4.58")] && excluded.isEmpty)
        let many = try VersionRange.parseVers("vers:semver/<1.0.5|>=2.0.0|<2.0.3|=3.1.0|!=2.0.1|>4.0")
        #expect(many.ranges == [VersionRange(endExcluding: "1.0.5"), VersionRange(startIncluding: "2.0.0", endExcluding: "2.0.3"),
                                .exactly("3.1.0"), VersionRange(startExcluding: "4.0")])
        #expect(many.excluded == ["2.0.1"])
        #expect(try VersionRange.parseVers("vers:deb/*").ranges == [.any])
        #expect(throws: VersionRangeError.self) { try VersionRange.parseVers("generic/>=1.0") }
        #expect(throws: VersionRangeError.self) { try VersionRange.parseVers("vers:generic/>=1.0|>=2.0") }
    }
}
