import Foundation
import Testing
@testable import Detection

@Suite("Sigma detections and conditions")
struct SigmaDetectionTests {
    // MARK: Wildcards and escapes

    struct Pattern: CustomStringConvertible, Sendable {
        var pattern: String
        var value: String
        var expected: Bool
        var description: String { "\(pattern) vs \(value) → \(expected)" }
    }

    static let patterns: [Pattern] = [
        Pattern(pattern: "'C:\\\\*\\\\x.exe'", value: "c:\\Windows\\System32\\x.exe", expected: true),
        Pattern(pattern: "'C:\\*'", value: "c:\\Windows", expected: false),          // \* is a literal star
        Pattern(pattern: "'C:\\*'", value: "C:*", expected: true),
        Pattern(pattern: "'a*b*c'", value: "aXXbYYc", expected: true),
        Pattern(pattern: "'a*b*c'", value: "aXXcYYb", expected: false),
        Pattern(pattern: "'a?c'", value: "abc", expected: true),
        Pattern(pattern: "'a?c'", value: "ac", expected: false),
        Pattern(pattern: "'a?c'", value: "aéc", expected: true),          // ? is one character, not one byte
        Pattern(pattern: "'*'", value: "anything", expected: true),
        Pattern(pattern: "'*'", value: "", expected: true),
        Pattern(pattern: "'a\\*b'", value: "a*b", expected: true),        // \* is a literal star
        Pattern(pattern: "'a\\*b'", value: "aXb", expected: false),
        Pattern(pattern: "'a\\?b'", value: "a?b", expected: true),
        Pattern(pattern: "'a\\?b'", value: "aXb", expected: false),
        Pattern(pattern: "'a\\\\*'", value: "a\\anything", expected: true), // \\ is a backslash, then a wildcard
        Pattern(pattern: "'C:\\Windows\\'", value: "C:\\Windows\\", expected: true), // \W is a plain backslash
        Pattern(pattern: "'ab\\'", value: "ab\\", expected: true),         // a trailing backslash stays
        Pattern(pattern: "'*.exe'", value: "X.EXE", expected: true),
        Pattern(pattern: "'%temp%'", value: "%TEMP%", expected: true),
        Pattern(pattern: "''", value: "", expected: true),
        Pattern(pattern: "''", value: "x", expected: false),
        Pattern(pattern: "'ÄRGER'", value: "ärger", expected: true),       // Unicode case folding
        Pattern(pattern: "'straße*'", value: "STRAßE 1", expected: true),
    ]

    @Test(arguments: patterns)
    func wildcardsAndEscapes(_ p: Pattern) throws {
        #expect(try SigmaTest.fires("sel:\n    F: \(p.pattern)", ["F": p.value]) == p.expected)
    }

    // MARK: Maps, lists, keywords, types

    @Test func mapIsAndListOfMapsIsOr() throws {
        let and = "sel:\n    A: 'x'\n    B: 'y'"
        #expect(try SigmaTest.fires(and, ["A": "x", "B": "y"]))
        #expect(try !SigmaTest.fires(and, ["A": "x", "B": "z"]))
        let or = "sel:\n    - A: 'x'\n    - B: 'y'"
        #expect(try SigmaTest.fires(or, ["A": "q", "B": "y"]))
        #expect(try !SigmaTest.fires(or, ["A": "q", "B": "q"]))
    }

    @Test func keywordsSearchEveryValue() throws {
        let kw = "keywords:\n    - 'mimikatz'\n    - 'sekurlsa::'"
        #expect(try SigmaTest.fires(kw, ["CommandLine": "run Mimikatz now", "Other": 1]))
        #expect(try SigmaTest.fires(kw, ["X": ["a", "privilege::debug sekurlsa::logonpasswords"]]))
        #expect(try !SigmaTest.fires(kw, ["CommandLine": "notepad"]))
        let all = "keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '"
        #expect(try SigmaTest.fires(all, ["Payload": "Set-OabVirtualDirectory -ExternalUrl 'x'"]))
        #expect(try !SigmaTest.fires(all, ["Payload": "Set-OabVirtualDirectory"]))
        #expect(try SigmaTest.fires("keywords: 'a*c'", ["P": "xxabcxx"]))
        #expect(try SigmaTest.fires("keywords:\n    '|re': 'ab+c'", ["P": "xxabbc"]))
        #expect(try SigmaTest.fires("keywords:\n    - 4625", ["P": "id 4625"]))
    }

    @Test func numbersAndBooleans() throws {
        #expect(try SigmaTest.fires("sel:\n    EventID: 4688", ["EventID": 4688]))
        #expect(try SigmaTest.fires("sel:\n    EventID: 4688", ["EventID": "4688"]))
        #expect(try SigmaTest.fires("sel:\n    EventID: '4688'", ["EventID": 4688]))
        #expect(try !SigmaTest.fires("sel:\n    EventID: 4688", ["EventID": 46880]))
        #expect(try SigmaTest.fires("sel:\n    EventID:\n        - 1\n        - 4688", ["EventID": 4688]))
        #expect(try SigmaTest.fires("sel:\n    Initiated: true", ["Initiated": true]))
        #expect(try SigmaTest.fires("sel:\n    Initiated: true", ["Initiated": "True"]))
        #expect(try SigmaTest.fires("sel:\n    Initiated: 'true'", ["Initiated": "true"]))
        #expect(try !SigmaTest.fires("sel:\n    Initiated: false", ["Initiated": true]))
        #expect(try SigmaTest.fires("sel:\n    F: 0x10", ["F": 16]))  // YAML 1.1 hex integer
        #expect(try SigmaTest.fires("sel:\n    F: 1.50", ["F": "1.5"]))
    }

    @Test func nullMeansAbsentOrNull() throws {
        let d = "sel:\n    A: 'x'\nfilter:\n    B: null"
        let cond = "\ncondition: sel and not filter"
        #expect(try SigmaTest.fires(d + cond, ["A": "x", "B": "set"]))
        #expect(try !SigmaTest.fires(d + cond, ["A": "x"]))
        #expect(try !SigmaTest.fires(d + cond, ["A": "x", "B": EventValue.null]))
        // An empty string is a value, matched by '' (as pySigma's SQL `= ''`), not by null.
        #expect(try SigmaTest.fires(d + cond, ["A": "x", "B": ""]))
        #expect(try SigmaTest.fires("sel:\n    B: ''", ["B": ""]))
        #expect(try SigmaTest.fires("sel:\n    B: []", ["C": "x"]))  // an empty list is null too
    }

    @Test func absentFieldsNeverMatchAndNegationFlipsThat() throws {
        #expect(try !SigmaTest.fires("sel:\n    A|contains: 'x'", [:]))
        #expect(try SigmaTest.fires("sel:\n    A: 'y'\nfilter:\n    B|contains: 'x'\ncondition: sel and not filter", ["A": "y"]))
    }

    @Test func fieldNamesIgnoreCase() throws {
        #expect(try SigmaTest.fires("sel:\n    commandline|contains: 'x'", ["CommandLine": "axb"]))
        #expect(try SigmaTest.fires("sel:\n    CommandLine|contains: 'x'", ["commandLINE": "axb"]))
    }

    @Test func arraysMatchWhenAnyElementDoes() throws {
        #expect(try SigmaTest.fires("sel:\n    Tags: 'b'", ["Tags": ["a", "B"]]))
        #expect(try !SigmaTest.fires("sel:\n    Tags: 'c'", ["Tags": ["a", "b"]]))
    }

    @Test func longValuesAndManyLiterals() throws {
        let big = String(repeating: "x", count: 200_000) + "needle" + String(repeating: "y", count: 100)
        #expect(try SigmaTest.fires("sel:\n    F|contains: 'NEEDLE'", ["F": big]))
        #expect(try SigmaTest.fires("sel:\n    F|endswith: 'xneedleyyy'", ["F": String(big.dropLast(97))]))
    }

    // MARK: Conditions

    struct Cond: CustomStringConvertible, Sendable {
        var condition: String
        var a: Bool, b: Bool, c: Bool
        var expected: Bool
        var description: String { "\(condition) with a=\(a) b=\(b) c=\(c) → \(expected)" }
    }

    static let conditions: [Cond] = [
        Cond(condition: "sel_a and sel_b", a: true, b: true, c: false, expected: true),
        Cond(condition: "sel_a and sel_b", a: true, b: false, c: false, expected: false),
        Cond(condition: "sel_a or sel_b", a: false, b: true, c: false, expected: true),
        Cond(condition: "not sel_a", a: false, b: false, c: false, expected: true),
        Cond(condition: "sel_a or sel_b and sel_c", a: true, b: false, c: false, expected: true),     // and binds tighter
        Cond(condition: "(sel_a or sel_b) and sel_c", a: true, b: false, c: false, expected: false),
        Cond(condition: "not sel_a and sel_b", a: false, b: true, c: false, expected: true),          // not binds tighter than and
        Cond(condition: "not (sel_a and sel_b)", a: true, b: false, c: false, expected: true),
        Cond(condition: "1 of sel_*", a: false, b: false, c: true, expected: true),
        Cond(condition: "any of sel_*", a: false, b: false, c: false, expected: false),
        Cond(condition: "all of sel_*", a: true, b: true, c: false, expected: false),
        Cond(condition: "all of sel_*", a: true, b: true, c: true, expected: true),
        Cond(condition: "1 of them", a: false, b: true, c: false, expected: true),
        Cond(condition: "all of them", a: true, b: true, c: true, expected: true),
        Cond(condition: "sel_a and not 1 of sel_b*", a: true, b: false, c: false, expected: true),
        Cond(condition: "not 1 of sel_* or sel_a", a: false, b: false, c: false, expected: true),
        Cond(condition: "sel_a AND NOT sel_b", a: true, b: false, c: false, expected: true),
        Cond(condition: "sel_a and\n(\n    sel_b or sel_c\n)", a: true, b: false, c: true, expected: true),
    ]

    @Test(arguments: conditions)
    func conditionForms(_ c: Cond) throws {
        let detection = "sel_a:\n    A: 'a'\nsel_b:\n    B: 'b'\nsel_c:\n    C: 'c'\ncondition: \(c.condition.contains("\n") ? "|\n    " + c.condition.replacingOccurrences(of: "\n", with: "\n    ") : c.condition)"
        var fields: [String: Any] = [:]
        if c.a { fields["A"] = "a" }
        if c.b { fields["B"] = "b" }
        if c.c { fields["C"] = "c" }
        #expect(try SigmaTest.fires(detection, fields) == c.expected)
    }

    @Test func themLeavesOutUnderscoreIdentifiers() throws {
        let d = "sel:\n    A: 'a'\n_hidden:\n    B: 'b'\ncondition: all of them"
        #expect(try SigmaTest.fires(d, ["A": "a"]))
    }

    @Test func conditionListIsOr() throws {
        let d = "sel_a:\n    A: 'a'\nsel_b:\n    B: 'b'\ncondition:\n    - sel_a\n    - sel_b"
        #expect(try SigmaTest.fires(d, ["B": "b"]))
        #expect(try !SigmaTest.fires(d, ["C": "c"]))
    }

    @Test func invalidConditionsAreUnsupportedWithPosition() throws {
        func reason(_ condition: String) throws -> String {
            try SigmaTest.unsupported("sel:\n    A: 'a'\ncondition: \(condition)") ?? ""
        }
        #expect(try reason("sel and").contains("at character 8"))
        #expect(try reason("sel and missing").contains("'missing' is not defined"))
        #expect(try reason("(sel").contains("expected ')'"))
        #expect(try reason("sel)").contains("unexpected ')'"))
        #expect(try reason("1 of nothing_*").contains("matches no search identifier"))
        #expect(try reason("sel | count() > 5").contains("aggregation"))
        #expect(try reason("sel_*").contains("only allowed after"))
        #expect(try reason("2 of sel").contains("'2 of'"))
        #expect(try reason("sel and sel ; x").contains("unexpected character ';'"))
        let noCondition = try SigmaRuleLoader.parse(yaml: "title: t\nlogsource:\n    category: x\ndetection:\n    sel:\n        A: 'a'\n", origin: "t.yml")[0]
        #expect(noCondition.unsupported?.contains("no condition") == true)
        #expect(try reason("sel").isEmpty)
    }

    @Test func engineIsSafeFromManyThreads() async throws {
        let r = try SigmaTest.rule("sel:\n    F|contains: 'evil'")
        let engine = SigmaEngine(rules: [r])
        let hits = await withTaskGroup(of: Int.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var n = 0
                    for i in 0..<500 {
                        let e = SigmaTest.event(["F": (i + t) % 2 == 0 ? "an evil thing" : "good"])
                        n += engine.match(e).count
                    }
                    return n
                }
            }
            var total = 0
            for await n in group { total += n }
            return total
        }
        #expect(hits == 2000)
    }
}
