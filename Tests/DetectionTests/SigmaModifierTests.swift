import Foundation
import Testing
@testable import Detection

@Suite("Sigma value modifiers")
struct SigmaModifierTests {
    struct Case: CustomStringConvertible, Sendable {
        var detection: String
        var value: String
        var expected: Bool
        var description: String { "\(detection.replacingOccurrences(of: "\n", with: " ")) vs \(value.debugDescription) → \(expected)" }
    }

    static let stringCases: [Case] = [
        // plain equality: whole value, case-insensitive
        Case(detection: "sel:\n    F: 'Cmd.exe'", value: "cmd.EXE", expected: true),
        Case(detection: "sel:\n    F: 'cmd.exe'", value: "xcmd.exe", expected: false),
        // contains / startswith / endswith
        Case(detection: "sel:\n    F|contains: 'Invoke-'", value: "powershell invoke-expression", expected: true),
        Case(detection: "sel:\n    F|contains: 'Invoke-'", value: "powershell", expected: false),
        Case(detection: "sel:\n    F|startswith: 'C:\\Windows\\'", value: "c:\\windows\\system32\\x.exe", expected: true),
        Case(detection: "sel:\n    F|startswith: 'C:\\Windows\\'", value: "d:\\c:\\windows\\", expected: false),
        Case(detection: "sel:\n    F|endswith: '\\rundll32.exe'", value: "C:\\Windows\\System32\\RUNDLL32.EXE", expected: true),
        Case(detection: "sel:\n    F|endswith: '\\rundll32.exe'", value: "C:\\rundll32.exe.bak", expected: false),
        // lists are OR, |all makes them AND
        Case(detection: "sel:\n    F|contains:\n        - 'aaa'\n        - 'bbb'", value: "xx bbb", expected: true),
        Case(detection: "sel:\n    F|contains|all:\n        - 'aaa'\n        - 'bbb'", value: "xx bbb", expected: false),
        Case(detection: "sel:\n    F|contains|all:\n        - 'aaa'\n        - 'bbb'", value: "bbb aaa", expected: true),
        // short contains literals (1 to 3 bytes) and long ones
        Case(detection: "sel:\n    F|contains: '\"'", value: "say \"hi\"", expected: true),
        Case(detection: "sel:\n    F|contains: ' /c'", value: "cmd /C dir", expected: true),
        Case(detection: "sel:\n    F|contains: ' /c'", value: "cmd /k dir", expected: false),
        // cased: case-sensitive
        Case(detection: "sel:\n    F|cased: 'Secret'", value: "Secret", expected: true),
        Case(detection: "sel:\n    F|cased: 'Secret'", value: "secret", expected: false),
        Case(detection: "sel:\n    F|contains|cased: 'AbC'", value: "xxAbCxx", expected: true),
        Case(detection: "sel:\n    F|contains|cased: 'AbC'", value: "xxabcxx", expected: false),
        // re with flags
        Case(detection: "sel:\n    F|re: 'ab+c'", value: "xxabbbcxx", expected: true),
        Case(detection: "sel:\n    F|re: 'ab+c'", value: "ABBC", expected: false),
        Case(detection: "sel:\n    F|re|i: 'ab+c'", value: "ABBC", expected: true),
        Case(detection: "sel:\n    F|re: '^b$'", value: "a\nb", expected: false),
        Case(detection: "sel:\n    F|re|m: '^b$'", value: "a\nb", expected: true),
        Case(detection: "sel:\n    F|re: 'a.b'", value: "a\nb", expected: false),
        Case(detection: "sel:\n    F|re|s: 'a.b'", value: "a\nb", expected: true),
        Case(detection: "sel:\n    F|re|contains: 'b+c'", value: "abbc", expected: true),
        // base64 and base64offset (with contains)
        Case(detection: "sel:\n    F|base64: 'cmd'", value: "Y21k", expected: true),
        Case(detection: "sel:\n    F|base64|contains: 'http://'", value: "xxaHR0cDovLw==yy", expected: true),
        Case(detection: "sel:\n    F|base64|contains: 'http://'", value: "xxaHR0cDovLyy", expected: false),  // padding is part of it
        Case(detection: "sel:\n    F|base64offset|contains: 'IEX'", value: Data("IEX(".utf8).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|base64offset|contains: 'IEX'", value: Data("    IEX(".utf8).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|base64offset|contains: 'IEX'", value: Data(" IEX(".utf8).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|base64offset|contains: 'IEX'", value: Data("  IEX(".utf8).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|base64offset|contains: 'IEX'", value: Data("hello world".utf8).base64EncodedString(), expected: false),
        // utf16 encodings, then base64 (the usual way to use them)
        Case(detection: "sel:\n    F|wide|base64offset|contains: 'ping'", value: Data("x ping y".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|utf16le|base64: 'ab'", value: Data([0x61, 0, 0x62, 0]).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|utf16be|base64: 'ab'", value: Data([0, 0x61, 0, 0x62]).base64EncodedString(), expected: true),
        Case(detection: "sel:\n    F|utf16|base64: 'ab'", value: Data([0xFF, 0xFE, 0x61, 0, 0x62, 0]).base64EncodedString(), expected: true),
        // windash: - / en dash, em dash, horizontal bar
        Case(detection: "sel:\n    F|windash|contains: ' -enc '", value: "powershell /enc abc", expected: true),
        Case(detection: "sel:\n    F|windash|contains: ' -enc '", value: "powershell \u{2013}enc abc", expected: true),
        Case(detection: "sel:\n    F|windash|contains: ' -enc '", value: "powershell \u{2015}enc abc", expected: true),
        Case(detection: "sel:\n    F|windash|contains: ' -enc '", value: "powershell enc abc", expected: false),
        Case(detection: "sel:\n    F|windash|contains: 'a-b'", value: "a/b", expected: false),  // not before a word start
        // expand: placeholders from the configuration
        Case(detection: "sel:\n    F|expand: '%hosts%'", value: "srv-02", expected: true),
        Case(detection: "sel:\n    F|expand: '%hosts%'", value: "ws-01", expected: false),
        Case(detection: "sel:\n    F|expand: 'pre-%hosts%'", value: "pre-dc1", expected: true),
        Case(detection: "sel:\n    F: '%hosts%'", value: "%hosts%", expected: true),  // without expand: literal
    ]

    static let config = SigmaConfig(placeholders: ["hosts": ["srv-*", "dc1"]])

    @Test(arguments: stringCases)
    func stringModifiers(_ c: Case) throws {
        #expect(try SigmaTest.fires(c.detection, ["F": c.value], config: SigmaModifierTests.config) == c.expected)
    }

    @Test func cidrMatchesIPv4AndIPv6Networks() throws {
        let v4 = "sel:\n    F|cidr:\n        - '10.0.0.0/8'\n        - '192.168.1.0/24'"
        #expect(try SigmaTest.fires(v4, ["F": "10.200.3.4"]))
        #expect(try SigmaTest.fires(v4, ["F": "192.168.1.77"]))
        #expect(try !SigmaTest.fires(v4, ["F": "192.168.2.1"]))
        #expect(try !SigmaTest.fires(v4, ["F": "10.foo"]))   // not an address
        #expect(try !SigmaTest.fires(v4, ["F": "::ffff:10.0.0.1"]))  // IPv6 is not in an IPv4 network
        let v6 = "sel:\n    F|cidr: 'fe80::/10'"
        #expect(try SigmaTest.fires(v6, ["F": "FE80::1"]))
        #expect(try SigmaTest.fires(v6, ["F": "febf:1:2::3"]))
        #expect(try !SigmaTest.fires(v6, ["F": "fec0::1"]))
        #expect(try SigmaTest.fires("sel:\n    F|cidr: '2001:db8::/32'", ["F": "2001:0db8:0000:0000:0000:0000:0000:0001"]))
        #expect(try SigmaTest.unsupported("sel:\n    F|cidr: 'not-a-net'")?.contains("is not a CIDR network") == true)
    }

    @Test func numericComparisons() throws {
        #expect(try SigmaTest.fires("sel:\n    F|gt: 10", ["F": 11]))
        #expect(try !SigmaTest.fires("sel:\n    F|gt: 10", ["F": 10]))
        #expect(try SigmaTest.fires("sel:\n    F|gte: 10", ["F": 10]))
        #expect(try SigmaTest.fires("sel:\n    F|lt: 10", ["F": "9"]))        // numeric text is a number
        #expect(try !SigmaTest.fires("sel:\n    F|lt: 10", ["F": "100"]))     // compared as numbers, not text
        #expect(try SigmaTest.fires("sel:\n    F|lte: 2.5", ["F": 2.5]))
        #expect(try !SigmaTest.fires("sel:\n    F|lt: 10", ["F": "abc"]))
        #expect(try !SigmaTest.fires("sel:\n    F|lt: 10", [:]))
    }

    @Test func neqNegatesTheItem() throws {
        #expect(try SigmaTest.fires("sel:\n    F|neq: 'a'", ["F": "b"]))
        #expect(try !SigmaTest.fires("sel:\n    F|neq: 'a'", ["F": "A"]))
        #expect(try SigmaTest.fires("sel:\n    F|neq: 5", ["F": 6]))
    }

    @Test func existsTestsPresenceOnly() throws {
        #expect(try SigmaTest.fires("sel:\n    F|exists: true", ["F": ""]))
        #expect(try SigmaTest.fires("sel:\n    F|exists: true", ["F": EventValue.null]))  // present, even null (specification)
        #expect(try !SigmaTest.fires("sel:\n    F|exists: true", ["G": "x"]))
        #expect(try SigmaTest.fires("sel:\n    F|exists: false", ["G": "x"]))
        #expect(try SigmaTest.unsupported("sel:\n    F|exists: 'yes please'")?.contains("true or false") == true)
    }

    @Test func fieldrefComparesTwoFields() throws {
        #expect(try SigmaTest.fires("sel:\n    A|fieldref: B", ["A": "Admin", "B": "admin"]))
        #expect(try !SigmaTest.fires("sel:\n    A|fieldref: B", ["A": "Admin", "B": "root"]))
        #expect(try !SigmaTest.fires("sel:\n    A|fieldref: B", ["A": "Admin"]))
        #expect(try SigmaTest.fires("sel:\n    A|fieldref|startswith: B", ["A": "C:\\Temp\\x.exe", "B": "c:\\temp"]))
        #expect(try SigmaTest.fires("sel:\n    A|fieldref|endswith: B", ["A": "C:\\Temp\\x.exe", "B": "X.EXE"]))
        #expect(try SigmaTest.fires("sel:\n    A|fieldref|contains: B", ["A": "C:\\Temp\\x.exe", "B": "temp"]))
        #expect(try !SigmaTest.fires("sel:\n    A|fieldref|cased: B", ["A": "Admin", "B": "admin"]))
        #expect(try SigmaTest.fires("sel:\n    A|fieldref|neq: B", ["A": "x", "B": "y"]))
    }

    @Test func timeModifiersReadTheTimestampAsWritten() throws {
        let t = "2024-03-10T23:45:12.123Z"
        #expect(try SigmaTest.fires("sel:\n    T|hour: 23", ["T": t]))
        #expect(try SigmaTest.fires("sel:\n    T|minute: 45", ["T": t]))
        #expect(try SigmaTest.fires("sel:\n    T|day: 10", ["T": t]))
        #expect(try SigmaTest.fires("sel:\n    T|month: 3", ["T": t]))
        #expect(try SigmaTest.fires("sel:\n    T|year: 2024", ["T": t]))
        #expect(try SigmaTest.fires("sel:\n    T|week: 10", ["T": t]))  // ISO week of 2024-03-10 (a Sunday)
        #expect(try SigmaTest.fires("sel:\n    T|hour|gte: 22", ["T": "2024-03-10 22:00:00"]))
        #expect(try !SigmaTest.fires("sel:\n    T|hour|lt: 8", ["T": t]))
        #expect(try !SigmaTest.fires("sel:\n    T|hour: 23", ["T": "yesterday"]))
    }

    @Test func unknownModifierIsNamed() throws {
        let reason = try SigmaTest.unsupported("sel:\n    F|contains|sideways: 'x'")
        #expect(reason?.contains("unknown modifier 'sideways'") == true)
        #expect(reason?.contains("line") == true)
    }

    @Test func invalidCombinationsAreUnsupported() throws {
        #expect(try SigmaTest.unsupported("sel:\n    F|contains|base64: 'x'")?.contains("wildcards") == true)
        #expect(try SigmaTest.unsupported("sel:\n    F|contains|re: 'x'")?.contains("'re' must come first") == true)
        #expect(try SigmaTest.unsupported("sel:\n    F|i: 'x'")?.contains("modifier 'i'") == true)
        #expect(try SigmaTest.unsupported("sel:\n    F|gt: 'abc'")?.contains("modifier 'gt'") == true)
        #expect(try SigmaTest.unsupported("sel:\n    F|windash|contains: '-a -b -c -d'")?.contains("at most 3") == true)
        #expect(try SigmaTest.unsupported("sel:\n    F|expand: '%nobody%'")?.contains("%nobody%") == true)
        #expect(try SigmaTest.unsupported("sel:\n    F|re: '(a)\\1'")?.contains("regular expression") == true)
    }

    @Test func hostileRegexIsBounded() throws {
        let value = String(repeating: "a", count: 30_000) + "!"
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try !SigmaTest.fires("sel:\n    F|re: '^(a+)+$'", ["F": value]))
        #expect(clock.now - start < .seconds(5))
    }

    @Test func base64OffsetVariantsAreThePySigmaOnes() throws {
        // pySigma gives aHR0c, h0dH and odHRw for 'http'.
        var seen: [String] = []
        let r = try SigmaTest.rule("sel:\n    F|base64offset|contains: 'http'")
        r.parsed?.expression.visitValues { _, v in
            if case .string(let p) = v { seen.append(p.display) }
        }
        #expect(Set(seen) == ["*aHR0c*", "*h0dH*", "*odHRw*"])
    }
}
