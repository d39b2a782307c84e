import Foundation
import Testing
@testable import Formats

@Suite("STIX 2.1 bundle reader")
struct STIXBundleReaderTests {
    static func read(_ json: String, limits: ExchangeLimits = .default) throws -> ExchangeImport {
        try STIXBundleReader.read(Data(json.utf8), limits: limits)
    }

    static func error(_ json: String, limits: ExchangeLimits = .default) -> ExchangeError? {
        do {
            _ = try read(json, limits: limits)
            return nil
        } catch let error as ExchangeError {
            return error
        } catch {
            return ExchangeError(.malformedJSON, at: "?", "unexpected \(error)")
        }
    }

    static func pairs(_ result: ExchangeImport) -> [String] {
        result.observables.map { "\($0.type) \($0.value) \($0.tlp.rawValue)" }
    }

    @Test func roundTripsEveryTypeMarkingCommentTagAndSighting() throws {
        let data = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                              producer: ExchangeSamples.producer)
        let result = try STIXBundleReader.read(data)
        #expect(result.title == ExchangeSamples.exchangeCase.title)
        #expect(result.skipped.isEmpty, "\(result.skipped)")
        let expected = try ExchangeMerge.validated(ExchangeSamples.observables).map(\.observable)
        #expect(result.observables.count == expected.count)
        for original in expected {
            let found = result.observables.first { $0.type == original.type && $0.value == original.value }
            #expect(found != nil, "lost \(original.type) \(original.value)")
            guard let found else { continue }
            #expect(found.tlp == original.tlp, "\(original.type)")
            #expect(found.tags == original.tags, "\(original.type)")
            #expect(found.comment == (original.comment ?? found.comment), "\(original.type)")
            if original.firstSeen != nil, original.knownType != .userAgent {
                #expect(found.firstSeen == original.firstSeen, "\(original.type)")
            }
        }
    }

    @Test func readsIndicatorPatternsWithOrAndIn() throws {
        let result = try Self.read("""
        {"type":"bundle","id":"bundle--1","objects":[
          {"type":"indicator","id":"indicator--1","pattern_type":"stix","description":"C2 hạ tầng","labels":["apt"],
           "pattern":"[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '203.0.113.0/24'] OR [file:hashes.'SHA-256' = 'AB\(String(repeating: "c", count: 62))']"},
          {"type":"indicator","id":"indicator--2","pattern":"[domain-name:value IN ('Evil.Example', 'bad.example') AND url:value LIKE 'http://%'] AND [autonomous-system:number = 64511] AND [email-message:from_ref.value = 'x@bad.example'] AND [network-traffic:dst_ref.value = '2001:db8::1'] AND [file:name = 'a.exe' AND file:parent_directory_ref.path = 'C:\\\\\\\\Temp'] AND [ipv6-addr:value ISSUBSET '2001:db8::/32'] AND [domain-name:value NOT = 'good.example']"},
          {"type":"indicator","id":"indicator--3","pattern_type":"snort","pattern":"alert tcp any any -> any any"}
        ]}
        """)
        #expect(Self.pairs(result) == [
            "ipv4 198.51.100.1 amber", "cidr 203.0.113.0/24 amber", "sha256 ab\(String(repeating: "c", count: 62)) amber",
            "domain evil.example amber", "domain bad.example amber", "asn AS64511 amber", "email x@bad.example amber",
            "ipv6 2001:db8::1 amber", "file_name a.exe amber", "file_path C:\\Temp amber", "cidr 2001:db8::/32 amber",
        ])
        #expect(result.observables.first?.comment == "C2 hạ tầng")
        #expect(result.observables.first?.tags == ["apt"])
        let reasons = result.skipped.map(\.reason)
        #expect(reasons.contains { $0.contains("url:value LIKE") })
        #expect(reasons.contains { $0.contains("negated") })
        #expect(reasons.contains { $0.contains("snort") })
    }

    @Test func mapsTLP1AndTLP2MarkingsAndInheritsFromTheGrouping() throws {
        let result = try Self.read("""
        {"type":"bundle","id":"bundle--1","objects":[
          {"type":"marking-definition","id":"marking-definition--custom-1","definition_type":"tlp","definition":{"tlp":"red"}},
          {"type":"grouping","id":"grouping--1","name":"Vụ việc","context":"suspicious-activity",
           "object_marking_refs":["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"],
           "object_refs":["domain-name--1"]},
          {"type":"ipv4-addr","id":"ipv4-addr--1","value":"192.0.2.1","object_marking_refs":["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"]},
          {"type":"ipv4-addr","id":"ipv4-addr--2","value":"192.0.2.2","object_marking_refs":["marking-definition--custom-1", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]},
          {"type":"domain-name","id":"domain-name--1","value":"x.example"},
          {"type":"mutex","id":"mutex--1","name":"m1"},
          {"type":"url","id":"url--1","value":"http://x.example/","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}
        ]}
        """)
        #expect(Self.pairs(result) == ["ipv4 192.0.2.1 clear", "ipv4 192.0.2.2 red", "domain x.example amber_strict",
                                       "mutex m1 amber", "url http://x.example/ green"])
        #expect(result.title == "Vụ việc")
        let green = try STIXBundleReader.read(Data(#"{"type":"bundle","objects":[{"type":"mutex","name":"m"}]}"#.utf8), defaultTLP: .green)
        #expect(green.observables.first?.tlp == .green)
    }

    @Test func readsSTIX20ObservedDataAndSkipsWhatItCannotKeep() throws {
        let result = try Self.read("""
        {"type":"bundle","id":"bundle--1","spec_version":"2.0","objects":[
          {"type":"observed-data","id":"observed-data--1","first_observed":"2026-11-20T10:00:00Z","last_observed":"2026-11-20T10:00:00Z","number_observed":1,
           "objects":{"0":{"type":"ipv4-addr","value":"198.51.100.7"},"1":{"type":"file","hashes":{"MD5":"d41d8cd98f00b204e9800998ecf8427e","SSDEEP":"3:a:b"},"name":"x.dll"},
                      "2":{"type":"network-traffic","protocols":["tcp"],"extensions":{"http-request-ext":{"request_method":"get","request_value":"/","request_header":{"User-Agent":"EvilBot/2"}}}}}},
          {"type":"process","id":"process--1","pid":4},
          {"type":"process","id":"process--2","pid":5},
          {"type":"malware","id":"malware--1","name":"x","is_family":false}
        ]}
        """)
        #expect(Self.pairs(result) == ["ipv4 198.51.100.7 amber", "md5 d41d8cd98f00b204e9800998ecf8427e amber",
                                       "file_name x.dll amber", "user_agent EvilBot/2 amber"])
        #expect(result.observables.first?.firstSeen == ExchangeIdentifiers.parseTimestamp("2026-11-20T10:00:00Z"))
        #expect(result.skipped.contains(ExchangeSkipped(location: "objects", reason: "2 process objects carry no observable UngCuu keeps.")))
        #expect(result.skipped.contains(ExchangeSkipped(location: "objects[0].objects.1.hashes.SSDEEP", reason: "SSDEEP hashes are not kept.")))
    }

    @Test func mergesTheSameValueFromObjectAndIndicator() throws {
        let result = try Self.read("""
        {"type":"bundle","objects":[
          {"type":"domain-name","id":"domain-name--1","value":"EVIL.example","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
          {"type":"indicator","id":"indicator--1","pattern":"[domain-name:value = 'evil.example']","labels":["phishing"],
           "object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]}
        ]}
        """)
        #expect(Self.pairs(result) == ["domain evil.example red"])
        #expect(result.observables.first?.tags == ["phishing"])
    }

    @Test func refusesWhatIsNotABundle() {
        #expect(Self.error("{not json")?.code == .malformedJSON)
        #expect(Self.error("")?.code == .malformedJSON)
        #expect(Self.error("[1,2]") == ExchangeError(.wrongType, at: "$", "Expected a STIX bundle (a JSON object with \"type\": \"bundle\"), found a JSON array."))
        #expect(Self.error(#"{"type":"indicator","pattern":"[a:b = 'c']"}"#)?.location == "type")
        #expect(Self.error(#"{"type":"indicator"}"#)?.code == .wrongType)
        #expect(Self.error(#"{"objects":[]}"#)?.code == .wrongType)
        #expect(Self.error(#"{"Event":{"info":"x"}}"#)?.code == .wrongType)
        #expect(Self.error(#"{"type":"bundle","objects":{"a":1}}"#) == ExchangeError(.invalidObject, at: "objects", "\"objects\" must be an array, found a object."))
        #expect(Self.error(#"{"type":"bundle","objects":[{"id":"x"}]}"#)?.location == "objects[0].type")
        #expect(Self.error(#"{"type":"bundle","objects":[{"type":"mutex","name":"m"}, 5]}"#)?.location == "objects[1]")
    }

    @Test func namesTheBrokenPatternAndValue() {
        let pattern = Self.error(#"{"type":"bundle","objects":[{"type":"mutex","name":"m"},{"type":"indicator","pattern":"[ipv4-addr:value = '1.2.3.4'"}]}"#)
        #expect(pattern?.code == .invalidPattern)
        #expect(pattern?.location == "objects[1].pattern")
        #expect(pattern?.message.contains("character 29") == true)
        let value = Self.error(#"{"type":"bundle","objects":[{"type":"ipv4-addr","value":"999.1.1.1"}]}"#)
        #expect(value == ExchangeError(.invalidValue, at: "objects[0].value", "\"999.1.1.1\" is not an IP address or CIDR range."))
        let hash = Self.error(#"{"type":"bundle","objects":[{"type":"indicator","pattern":"[file:hashes.MD5 = 'xyz']"}]}"#)
        #expect(hash?.code == .invalidValue)
        #expect(hash?.location == "objects[0].pattern")
        let missing = Self.error(#"{"type":"bundle","objects":[{"type":"url"}]}"#)
        #expect(missing?.code == .invalidObject)
        let control = Self.error(#"{"type":"bundle","objects":[{"type":"mutex","name":"a\u0007b"}]}"#)
        #expect(control?.code == .invalidValue)
        let refs = Self.error(#"{"type":"bundle","objects":[{"type":"mutex","name":"m","object_marking_refs":[1]}]}"#)
        #expect(refs?.location == "objects[0].object_marking_refs[0]")
    }

    @Test func limitsBytesObjectsObservablesAndDepth() {
        let big = #"{"type":"bundle","objects":[{"type":"mutex","name":""# + String(repeating: "a", count: 2_000) + #""}]}"#
        #expect(Self.error(big, limits: ExchangeLimits(maxBytes: 1_000))?.code == .tooLarge)
        #expect(Self.error(big, limits: ExchangeLimits(maxValueLength: 100))?.code == .invalidValue)
        let many = #"{"type":"bundle","objects":["# + (0..<11).map { #"{"type":"mutex","name":"m\#($0)"}"# }.joined(separator: ",") + "]}"
        #expect(Self.error(many, limits: ExchangeLimits(maxObjects: 10)) == ExchangeError(.tooManyObjects, at: "objects", "The bundle has 11 objects; at most 10 are accepted."))
        let ored = #"{"type":"bundle","objects":[{"type":"indicator","pattern":"["# + (0..<20).map { "mutex:name = 'm\($0)'" }.joined(separator: " OR ") + #"]"}]}"#
        #expect(Self.error(ored, limits: ExchangeLimits(maxObservables: 10))?.code == .tooManyObjects)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.error(deep)?.code == .malformedJSON)
    }

    @Test func anEmptyBundleImportsNothing() throws {
        #expect(try Self.read(#"{"type":"bundle","id":"bundle--1"}"#).observables.isEmpty)
    }

    @Test func readsTheDefaultLimits() {
        #expect(ExchangeLimits.default.maxBytes == 10 * 1024 * 1024)
        #expect(ExchangeLimits.default.maxObjects == 10_000)
    }
}
