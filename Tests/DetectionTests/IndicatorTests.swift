import Foundation
import Testing
@testable import Detection

@Suite("Indicators")
struct IndicatorTests {
    private func ip(_ v: String) -> Indicator { Indicator(kind: .ip, value: v) }
    private func domain(_ v: String) -> Indicator { Indicator(kind: .domain, value: v) }
    private func hash(_ v: String) -> Indicator { Indicator(kind: .hash, value: v) }
    private func string(_ v: String) -> Indicator { Indicator(kind: .string, value: v) }

    private let md5 = "d41d8cd98f00b204e9800998ecf8427e"
    private let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    private let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    // MARK: lists

    @Test func kindsAreToldFromTheValues() throws {
        let text = """
        # a comment
        10.0.0.5

        10.1.2.3/16
        2001:0DB8:0:0:0:0:0:1
        2001:db8::/32
        ::ffff:192.0.2.7
        \(md5.uppercased())
        \(sha1)
        \(sha256)
        Evil.Example.COM.
        *.bad.net
        powershell -enc
        cmd.exe
        """
        #expect(try IndicatorList.parse(text) == [
            ip("10.0.0.5"), ip("10.1.0.0/16"), ip("2001:db8::1"), ip("2001:db8::/32"), ip("192.0.2.7"),
            hash(md5), hash(sha1), hash(sha256), domain("evil.example.com"), domain("bad.net"),
            string("powershell -enc"), domain("cmd.exe"),
        ])
    }

    @Test func defangedFormsAreAccepted() throws {
        let text = "1.2.3[.]4\nexample[.]com\nhxxp://evil(.)org/\nhXXps://bad[.]net:8443\nhxxp://evil[.]org/path?q=1\nuser[@]mail[dot]ru\n10[.]0[.]0[.]0/8"
        #expect(try IndicatorList.parse(text) == [
            ip("1.2.3.4"), domain("example.com"), domain("evil.org"), domain("bad.net"),
            string("http://evil.org/path?q=1"), string("user@mail.ru"), ip("10.0.0.0/8"),
        ])
    }

    @Test func duplicatesAreDroppedAndCRLFIsFine() throws {
        #expect(try IndicatorList.parse("evil.com\r\nEVIL.com\r\n  evil.com.  \r\n") == [domain("evil.com")])
    }

    @Test func aGivenKindRefusesValuesThatDoNotFitNamingTheLine() {
        #expect(throws: IndicatorError(line: 3, message: "\"evil.com\" is not an IPv4/IPv6 address or CIDR range")) {
            try IndicatorList.parse("1.2.3.4\n# c\nevil.com", kind: .ip)
        }
        #expect(throws: IndicatorError(line: 2, message: "\"abc123\" is not an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hexadecimal digits)")) {
            try IndicatorList.parse("\(md5)\nabc123", kind: .hash)
        }
        #expect(throws: IndicatorError(line: 1, message: "\"10.0.0.1/33\" is not a domain name")) {
            try IndicatorList.parse("10.0.0.1/33", kind: .domain)
        }
        #expect(throws: IndicatorError.self) { try IndicatorList.parse("300.1.1.1", kind: .ip) }
        #expect(throws: IndicatorError.self) { try IndicatorList.parse("10.0.0.0/40", kind: .ip) }
        #expect(throws: IndicatorError.self) { try IndicatorList.parse("bad_tld.c_m", kind: .domain) }
        #expect(throws: IndicatorError.self) { try IndicatorList.parse("-bad.com", kind: .domain) }
    }

    @Test func givenKindsNormaliseToo() throws {
        #expect(try IndicatorList.parse("hxxps://Evil[.]com/x", kind: .domain) == [domain("evil.com")])
        #expect(try IndicatorList.parse("http://[2001:db8::5]:80/", kind: .ip) == [ip("2001:db8::5")])
        #expect(try IndicatorList.parse("Exact [.] Text", kind: .string) == [string("Exact [.] Text")])
    }

    // MARK: matching

    private func matches(_ indicators: [Indicator], _ fields: [String: EventValue]) -> [String] {
        IndicatorMatcher(indicators).matches(FlatEvent(fields: fields)).map { "\($0.indicator.value)@\($0.field)" }
    }

    @Test func ipv4ByAddressAndRange() {
        let list = [ip("10.0.0.5"), ip("192.168.0.0/16"), ip("0.0.0.0/0")]
        #expect(matches(Array(list.prefix(2)), ["DestinationIp": .string("10.0.0.5")]) == ["10.0.0.5@DestinationIp"])
        #expect(matches(Array(list.prefix(2)), ["m": .string("conn from 10.0.0.5:443 to 192.168.44.1,")]) == ["10.0.0.5@m", "192.168.0.0/16@m"])
        for miss in ["10.0.0.55", "110.0.0.5", "1.10.0.0.5", "10.0.0.5.1", "version 10.0.0.50", "192.169.0.1"] {
            #expect(matches(Array(list.prefix(2)), ["m": .string(miss)]).isEmpty, "\(miss)")
        }
        #expect(matches(list, ["m": .string("x=8.8.8.8")]) == ["0.0.0.0/0@m"])
        #expect(matches([ip("10.0.0.5")], ["m": .string("ip=::ffff:10.0.0.5")]) == ["10.0.0.5@m"])
    }

    @Test func ipv6ByAddressNotByText() {
        let list = [ip("2001:db8::1"), ip("fe80::/10")]
        #expect(matches(list, ["a": .string("2001:0db8:0000:0000:0000:0000:0000:0001")]) == ["2001:db8::1@a"])
        #expect(matches(list, ["a": .string("[2001:DB8::1]:443")]) == ["2001:db8::1@a"])
        #expect(matches(list, ["a": .string("src fe80::1c2:3%eth0")]) == ["fe80::/10@a"])
        #expect(matches(list, ["a": .string("2001:db8::10 12:34:56 00:11:22:33:44:55")]).isEmpty)
    }

    @Test func domainsAndTheirSubdomainsInsideValues() {
        let list = [domain("evil.com")]
        for hit in ["evil.com", "EVIL.COM", "http://www.Evil.com:8080/path?q=1", "user@mail.evil.com", "a.b.c.evil.com.",
                    "QueryName: cdn.evil.com; type A"] {
            #expect(matches(list, ["QueryName": .string(hit)]) == ["evil.com@QueryName"], "\(hit)")
        }
        for miss in ["notevil.com", "evil.com.au", "evil.co", "evil-com", "evil.community.org"] {
            #expect(matches(list, ["QueryName": .string(miss)]).isEmpty, "\(miss)")
        }
    }

    @Test func hashesAsWholeTokensIncludingSysmonHashLists() {
        let list = [hash(md5), hash(sha256)]
        let sysmon = "SHA1=\(sha1.uppercased()),MD5=\(md5.uppercased()),SHA256=\(sha256.uppercased()),IMPHASH=00000000000000000000000000000000"
        #expect(matches(list, ["Hashes": .string(sysmon)]) == ["\(md5)@Hashes", "\(sha256)@Hashes"])
        #expect(matches(list, ["x": .string("a" + md5)]).isEmpty)
        #expect(matches(list, ["x": .string(md5 + "0")]).isEmpty)
        #expect(matches(list, ["x": .string("file_" + md5 + ".bin")]) == ["\(md5)@x"])
    }

    @Test func stringsCaseInsensitiveSubstrings() {
        let list = [string("Invoke-Mimikatz"), string("đà nẵng"), string("44"), string("zz9")]
        #expect(matches(list, ["CommandLine": .string("powershell IEX (invoke-mimikatz -DumpCreds)")]) == ["Invoke-Mimikatz@CommandLine"])
        #expect(matches(list, ["City": .string("Sở TT ĐÀ NẴNG")]) == ["đà nẵng@City"])
        #expect(matches(list, ["Port": .int(4444)]) == ["44@Port"])
        #expect(matches(list, ["Tags": .array([.string("a"), .string("ZZ9")])]) == ["zz9@Tags"])
        #expect(matches(list, ["Port": .int(3)]).isEmpty)
    }

    @Test func eachIndicatorOnceInGivenOrderWithTheFirstFieldByName() {
        let list = [string("needle"), ip("10.0.0.1"), domain("evil.com")]
        let found = matches(list, ["z": .string("needle 10.0.0.1"), "b": .string("NEEDLE evil.com"), "a": .string("evil.com 10.0.0.1"), "n": .null])
        #expect(found == ["needle@b", "10.0.0.1@a", "evil.com@a"])
    }

    @Test func indicatorsThatDoNotParseNeverMatchAndEmptyIsEmpty() {
        #expect(IndicatorMatcher([]).isEmpty)
        #expect(IndicatorMatcher([ip("not an ip"), hash("xyz"), string("")]).isEmpty)
        #expect(!IndicatorMatcher([string("a")]).isEmpty)
        #expect(matches([ip("not an ip")], ["a": .string("not an ip")]).isEmpty)
        // Unnormalised values given directly still work.
        #expect(matches([domain("Evil.COM"), hash(md5.uppercased()), ip("10.0.0.9/24")], ["a": .string("x.evil.com \(md5) 10.0.0.77")]).count == 3)
    }

    private func hex32(_ v: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 32 - digits.count) + digits
    }

    @Test func thousandsOfIndicators() throws {
        var lines: [String] = []
        for k in 0..<2000 { lines.append("10.\(k % 256).\(k / 256).0/24") }
        for k in 0..<2000 { lines.append("host\(k).bad\(k % 13).org") }
        for k in 0..<2000 { lines.append(hex32(k * 7919)) }
        for k in 0..<2000 { lines.append("marker-\(k)-x") }
        let list = try IndicatorList.parse(lines.joined(separator: "\n"))
        #expect(list.count == 8000)
        let matcher = IndicatorMatcher(list)
        let event = FlatEvent(fields: [
            "a": .string("connect 10.7.3.200 then 10.255.255.1"),
            "b": .string("https://www.host1999.bad10.org/x and host5.bad5.org"),
            "c": .string("MD5=" + hex32(1234 * 7919).uppercased()),
            "d": .string("...MARKER-1500-X..."),
        ])
        let found = matcher.matches(event).map(\.indicator.value)
        #expect(found == ["10.7.3.0/24", "host5.bad5.org", "host1999.bad10.org", hex32(1234 * 7919), "marker-1500-x"])
    }
}
