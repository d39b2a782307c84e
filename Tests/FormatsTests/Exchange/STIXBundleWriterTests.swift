import Foundation
import Testing
@testable import Formats

@Suite("STIX 2.1 bundle writer")
struct STIXBundleWriterTests {
    static func bundle() throws -> JSONObject {
        let data = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                              producer: ExchangeSamples.producer)
        return try #require(JSONValue.parse(data, limits: .default).objectValue)
    }

    static func objects(_ bundle: JSONObject, type: String) -> [JSONObject] {
        (bundle["objects"]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["type"]?.stringValue == type }
    }

    @Test func bundleHasIdentityGroupingAndEveryObservable() throws {
        let bundle = try Self.bundle()
        #expect(bundle["type"]?.stringValue == "bundle")
        let identity = try #require(Self.objects(bundle, type: "identity").first)
        #expect(identity["name"]?.stringValue == ExchangeSamples.producer.name)
        #expect(identity["identity_class"]?.stringValue == "organization")
        let grouping = try #require(Self.objects(bundle, type: "grouping").first)
        #expect(grouping["name"]?.stringValue == ExchangeSamples.exchangeCase.title)
        #expect(grouping["context"]?.stringValue == "suspicious-activity")
        #expect(grouping["labels"] == .array([.string("severity:high"), .string("category:ransomware")]))
        #expect(grouping["created_by_ref"] == identity["id"])

        let scoTypes = ["ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file", "directory",
                        "windows-registry-key", "mutex", "autonomous-system"]
        for type in scoTypes { #expect(!Self.objects(bundle, type: type).isEmpty, "no \(type)") }
        #expect(Self.objects(bundle, type: "file").count == 5)      // four hashes and a name
        #expect(Self.objects(bundle, type: "indicator").count == 17) // every type but `other`
        #expect(Self.objects(bundle, type: "observed-data").count == 3)
        let note = try #require(Self.objects(bundle, type: "note").first)
        #expect(note["content"]?.stringValue?.hasPrefix("Ví Bitcoin") == true)

        // The grouping lists every observable, indicator and sighting.
        let refs = Set((grouping["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue))
        for type in scoTypes + ["indicator", "observed-data"] {
            for object in Self.objects(bundle, type: type) {
                #expect(refs.contains(object["id"]?.stringValue ?? ""), "grouping misses \(type)")
            }
        }
    }

    @Test func usesTheOfficialTLP2MarkingDefinitions() throws {
        let bundle = try Self.bundle()
        let markings = Self.objects(bundle, type: "marking-definition")
        let ids = Set(markings.compactMap { $0["id"]?.stringValue })
        #expect(ids == [
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        ])
        let strict = try #require(markings.first { $0["name"]?.stringValue == "TLP:AMBER+STRICT" })
        #expect(strict["extensions"]?.objectValue?["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]?
            .objectValue?["tlp_2_0"]?.stringValue == "amber+strict")
        // The RED URL is marked RED, and so is the case (its most restrictive observable).
        let url = try #require(Self.objects(bundle, type: "url").first)
        #expect(url["object_marking_refs"] == .array([.string("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")]))
        let grouping = try #require(Self.objects(bundle, type: "grouping").first)
        #expect(grouping["object_marking_refs"] == url["object_marking_refs"])
    }

    @Test func cyberObservableIDsAreUUIDv5OfTheirContributingProperties() throws {
        // Expected ids computed with Python: uuid.uuid5(UUID("00abedb4-…"), '{"value":"203.0.113.45"}').
        let ipv4 = STIXBundleWriter.cyberObservable(type: .ipv4, value: "203.0.113.45")
        #expect(ipv4?["id"]?.stringValue == "ipv4-addr--cb9d70c5-d244-531c-9efb-bcae57adc793")
        let file = STIXBundleWriter.cyberObservable(type: .md5, value: "44d88612fea8a8f36de82e1278abb02f")
        #expect(file?["id"]?.stringValue == "file--5a0c55a1-48a3-5003-9776-42946d1054cb")
        let asn = STIXBundleWriter.cyberObservable(type: .asn, value: "AS64500")
        #expect(asn?["id"]?.stringValue == "autonomous-system--0a5f7072-df00-5729-9f0a-4eb18631a446")
        let name = STIXBundleWriter.cyberObservable(type: .fileName, value: "hóa_đơn_tháng_11.pdf.exe")
        #expect(name?["id"]?.stringValue == "file--ffdb0eb7-42df-535e-8f5b-1e9c728f12b6")
    }

    @Test func otherIDsAreVersion4AndTimestampsHaveMilliseconds() throws {
        let bundle = try Self.bundle()
        let timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
        for object in (bundle["objects"]?.arrayValue ?? []).compactMap(\.objectValue) {
            let type = object["type"]?.stringValue ?? ""
            guard ["identity", "grouping", "indicator", "observed-data", "note"].contains(type) else { continue }
            let id = try #require(object["id"]?.stringValue)
            let uuid = try #require(UUID(uuidString: String(id.dropFirst(type.count + 2))))
            #expect(uuid.uuidString.lowercased().dropFirst(14).first == "4", "\(id) is not version 4")
            for key in ["created", "modified", "valid_from", "first_observed", "last_observed"] {
                if let text = object[key]?.stringValue { #expect(text.wholeMatch(of: timestamp) != nil, "\(key) \(text)") }
            }
        }
        let grouping = try #require(Self.objects(bundle, type: "grouping").first)
        #expect(grouping["created"]?.stringValue == "2026-11-25T00:30:00.123Z")
        #expect(grouping["modified"]?.stringValue == "2026-11-25T03:45:10.500Z")
    }

    @Test func patternsAreWrittenPerTypeAndParse() throws {
        let expected: [(ExchangeObservableType, String, String)] = [
            (.ipv4, "203.0.113.45", "[ipv4-addr:value = '203.0.113.45']"),
            (.cidr, "2001:db8::/32", "[ipv6-addr:value ISSUBSET '2001:db8::/32']"),
            (.sha256, "ab", "[file:hashes.'SHA-256' = 'ab']"),
            (.md5, "ab", "[file:hashes.MD5 = 'ab']"),
            (.registryKey, "HKLM\\Run", "[windows-registry-key:key = 'HKLM\\\\Run']"),
            (.url, "http://x/?a='b'", "[url:value = 'http://x/?a=\\'b\\'']"),
            (.asn, "AS64500", "[autonomous-system:number = 64500]"),
            (.userAgent, "Bot/1", "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Bot/1']"),
        ]
        for (type, value, pattern) in expected {
            #expect(STIXBundleWriter.pattern(type: type, value: value) == pattern)
            let parsed = try STIXPattern.parse(pattern)
            #expect(parsed.comparisons.first?.values.first?.text == value.replacingOccurrences(of: "AS", with: ""))
        }
        #expect(STIXBundleWriter.pattern(type: .other, value: "x") == nil)
    }

    @Test func outputIsDeterministic() throws {
        let first = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                               producer: ExchangeSamples.producer)
        let second = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                                producer: ExchangeSamples.producer)
        #expect(first == second)
    }

    @Test func refusesUnknownTypesAndMalformedValues() {
        let c = ExchangeSamples.exchangeCase
        let p = ExchangeSamples.producer
        #expect(throws: ExchangeError(.unsupportedType, at: "observables[1].type", "\"bitcoin\" is not an observable type.")) {
            try STIXBundleWriter.write(case: c, observables: [ExchangeObservable(type: .ipv4, value: "1.2.3.4", tlp: .green),
                                                             ExchangeObservable(type: "bitcoin", value: "x", tlp: .green)], producer: p)
        }
        do {
            _ = try STIXBundleWriter.write(case: c, observables: [ExchangeObservable(type: .sha256, value: "abc", tlp: .green)], producer: p)
            Issue.record("a three-digit SHA-256 was exported")
        } catch let error as ExchangeError {
            #expect(error.code == .invalidValue)
            #expect(error.location == "observables[0].value")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func duplicateObservablesAreMergedKeepingTheStricterMarking() throws {
        let observables = [
            ExchangeObservable(type: .domain, value: "Evil.Example", tlp: .green, tags: ["a"]),
            ExchangeObservable(type: .domain, value: "evil.example", tlp: .red, comment: "c", tags: ["b"]),
        ]
        let data = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: observables, producer: ExchangeSamples.producer)
        let bundle = try #require(JSONValue.parse(data, limits: .default).objectValue)
        let domains = Self.objects(bundle, type: "domain-name")
        #expect(domains.count == 1)
        #expect(domains.first?["value"]?.stringValue == "evil.example")
        #expect(domains.first?["object_marking_refs"] == .array([.string(STIXVocabulary.markingID(.red))]))
        let indicator = try #require(Self.objects(bundle, type: "indicator").first)
        #expect(indicator["labels"] == .array([.string("a"), .string("b")]))
        #expect(indicator["description"]?.stringValue == "c")
    }

    @Test func anEmptyCaseStillHasAGroupingWithAReference() throws {
        let data = try STIXBundleWriter.write(case: ExchangeSamples.exchangeCase, observables: [], producer: ExchangeSamples.producer)
        let bundle = try #require(JSONValue.parse(data, limits: .default).objectValue)
        let grouping = try #require(Self.objects(bundle, type: "grouping").first)
        #expect(grouping["object_refs"]?.arrayValue?.count == 1)
        #expect(grouping["object_marking_refs"] == .array([.string(STIXVocabulary.markingID(.amber))]))
    }
}
