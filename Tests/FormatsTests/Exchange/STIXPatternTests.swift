import Foundation
import Testing
@testable import Formats

@Suite("STIX patterns")
struct STIXPatternTests {
    @Test func simpleAndOredComparisons() throws {
        let pattern = try STIXPattern.parse("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '203.0.113.33'] OR [file:hashes.'SHA-256' = 'aa']")
        #expect(pattern.comparisons.map(\.objectType) == ["ipv4-addr", "ipv4-addr", "file"])
        #expect(pattern.comparisons.map(\.path) == [["value"], ["value"], ["hashes", "SHA-256"]])
        #expect(pattern.comparisons.map { $0.values.first?.text } == ["198.51.100.1", "203.0.113.33", "aa"])
    }

    @Test func theWholeLanguageParses() throws {
        let samples = [
            "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:name = 'x.exe'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS",
            "([domain-name:value = 'a.example'] AND [url:value LIKE 'http://%']) REPEATS 5 TIMES",
            "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8'] START t'2026-01-01T00:00:00Z' STOP t'2026-12-31T23:59:59.999Z'",
            "[email-message:to_refs[*].value = 'a@b.vn' AND email-message:to_refs[0].value != 'c@d.vn']",
            "[process:pid > 4 AND process:pid <= 100 AND process:name NOT MATCHES '^cmd']",
            "[ipv4-addr:value IN ('1.1.1.1', '2.2.2.2')] OR [autonomous-system:number = 64500]",
            "[artifact:payload_bin = b'aGVsbG8=' OR artifact:hashes.'SHA-1' = h'00ff']",
            "[x-custom:flag = true] AND [windows-registry-key:key = 'HKLM\\\\Software\\\\O\\'Brien']",
            "[file:size == 10 OR file:size <> 11 OR EXISTS file:name]",
        ]
        for sample in samples {
            #expect(throws: Never.self, "\(sample)") { try STIXPattern.parse(sample) }
        }
        let escaped = try STIXPattern.parse("[windows-registry-key:key = 'HKLM\\\\Software\\\\O\\'Brien']")
        #expect(escaped.comparisons.first?.values.first?.text == "HKLM\\Software\\O'Brien")
        let list = try STIXPattern.parse("[ipv4-addr:value IN ('1.1.1.1', '2.2.2.2')]")
        #expect(list.comparisons.first?.op == "IN")
        #expect(list.comparisons.first?.values.compactMap(\.text) == ["1.1.1.1", "2.2.2.2"])
        let negated = try STIXPattern.parse("[domain-name:value NOT = 'x']")
        #expect(negated.comparisons.first?.negated == true)
    }

    @Test func syntaxErrorsSayWhere() {
        let cases: [(String, Int)] = [
            ("[ipv4-addr:value = '1.2.3.4'", 28),
            ("ipv4-addr:value = '1.2.3.4'", 0),
            ("[ipv4-addr:value = '1.2.3.4]", 19),
            ("[ipv4-addr:value '1.2.3.4']", 17),
            ("[ipv4-addr:value = '1'] WITHIN -5 SECONDS", 31),
            ("[ipv4-addr:value = '1'] AND", 27),
            ("[url:value LIKE 5]", 16),
            ("[ipv4-addr:value = '1'] START t'yesterday' STOP t'2026-01-01T00:00:00Z'", 30),
            ("[a:b = 'x\\n']", 9),
            ("[ipv4-addr:value = '1'] ; DROP", 24),
            ("", 0),
        ]
        for (pattern, offset) in cases {
            do {
                _ = try STIXPattern.parse(pattern)
                Issue.record("\(pattern) parsed")
            } catch let error as STIXPattern.SyntaxError {
                #expect(error.offset == offset, "\(pattern): \(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "(", count: 10_000) + "[a:b = 'c']" + String(repeating: ")", count: 10_000)
        #expect(throws: STIXPattern.SyntaxError.self) { try STIXPattern.parse(deep) }
        let comparisonDeep = "[" + String(repeating: "(", count: 10_000) + "a:b = 'c'" + String(repeating: ")", count: 10_000) + "]"
        #expect(throws: STIXPattern.SyntaxError.self) { try STIXPattern.parse(comparisonDeep) }
    }
}
