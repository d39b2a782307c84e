import Foundation
import Testing
@testable import Formats

@Suite("MISP event writer and reader")
struct MISPEventTests {
    static func event() throws -> JSONObject {
        let data = try MISPEventWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                             producer: ExchangeSamples.producer)
        return try #require(JSONValue.parse(data, limits: .default).objectValue?["Event"]?.objectValue)
    }

    static func read(_ json: String, limits: ExchangeLimits = .default) throws -> ExchangeImport {
        try MISPEventReader.read(Data(json.utf8), limits: limits)
    }

    static func error(_ json: String, limits: ExchangeLimits = .default) -> ExchangeError? {
        do {
            _ = try read(json, limits: limits)
            return nil
        } catch {
            return error as? ExchangeError
        }
    }

    static func pairs(_ result: ExchangeImport) -> [String] {
        result.observables.map { "\($0.type) \($0.value) \($0.tlp.rawValue)" }
    }

    @Test func eventCarriesInfoDateLevelsAndTags() throws {
        let event = try Self.event()
        #expect(event["info"]?.stringValue == ExchangeSamples.exchangeCase.title)
        #expect(event["uuid"]?.stringValue == ExchangeSamples.caseID.uuidString.lowercased())
        #expect(event["date"]?.stringValue == "2026-11-25")
        #expect(event["threat_level_id"]?.stringValue == "1")
        #expect(event["analysis"]?.stringValue == "1")
        #expect(event["distribution"]?.stringValue == "0") // the case is RED (its most restrictive observable)
        #expect(event["published"] == .bool(false))
        let tags = (event["Tag"]?.arrayValue ?? []).compactMap { $0.objectValue?["name"]?.stringValue }
        #expect(tags == ["tlp:red", "ungcuu:severity=\"high\"", "ungcuu:category=\"ransomware\""])
        #expect(event["EventReport"]?.arrayValue?.count == 1)
    }

    @Test func attributesUseMISPTypesCategoriesAndTags() throws {
        let attributes = (try Self.event()["Attribute"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(attributes.count == ExchangeSamples.observables.count)
        let types = attributes.compactMap { $0["type"]?.stringValue }
        #expect(types == ["ip-dst", "ip-dst", "ip-dst", "ip-dst", "domain", "url", "email-src", "md5", "sha1", "sha256", "sha512",
                          "filename", "filename", "regkey", "mutex", "user-agent", "AS", "text"])
        let first = attributes[0]
        #expect(first["category"]?.stringValue == "Network activity")
        #expect(first["to_ids"] == .bool(true))
        #expect(first["comment"]?.stringValue == "Máy chủ điều khiển (C2)")
        #expect(first["first_seen"]?.stringValue == "2026-11-24T22:10:00.000000+00:00")
        #expect(first["distribution"]?.stringValue == "1")
        #expect((first["Tag"]?.arrayValue ?? []).compactMap { $0.objectValue?["name"]?.stringValue } == ["tlp:amber", "c2", "ransomware"])
        let asn = try #require(attributes.first { $0["type"]?.stringValue == "AS" })
        #expect(asn["value"]?.stringValue == "64500")
        #expect(asn["to_ids"] == .bool(false))
        let red = try #require(attributes.first { $0["type"]?.stringValue == "url" })
        #expect(red["distribution"]?.stringValue == "5") // same as the event: inherit
        let strict = try #require(attributes.first { $0["type"]?.stringValue == "domain" })
        #expect((strict["Tag"]?.arrayValue?.first?.objectValue?["name"]?.stringValue) == "tlp:amber+strict")
    }

    @Test func outputIsDeterministic() throws {
        let a = try MISPEventWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables, producer: ExchangeSamples.producer)
        let b = try MISPEventWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables, producer: ExchangeSamples.producer)
        #expect(a == b)
    }

    @Test func roundTripsEveryObservable() throws {
        let data = try MISPEventWriter.write(case: ExchangeSamples.exchangeCase, observables: ExchangeSamples.observables,
                                             producer: ExchangeSamples.producer)
        let result = try MISPEventReader.read(data)
        #expect(result.title == ExchangeSamples.exchangeCase.title)
        let expected = try ExchangeMerge.validated(ExchangeSamples.observables).map(\.observable)
        #expect(result.observables == expected)
    }

    @Test func splitsCompositeTypesAndReadsObjects() throws {
        let sha = String(repeating: "b", count: 64)
        let result = try Self.read("""
        {"info":"Bare event","Tag":[{"name":"tlp:white"}],"Attribute":[
          {"type":"ip-dst|port","value":"198.51.100.9|8443","comment":"C2"},
          {"type":"ip-src|port","value":"2001:db8::9|53"},
          {"type":"filename|sha256","value":"dropper.exe|\(sha)","Tag":[{"name":"tlp:red"},{"name":"kill-chain:delivery"}]},
          {"type":"domain|ip","value":"bad.example|192.0.2.55"},
          {"type":"regkey|value","value":"HKCU\\\\Software\\\\Run|evil.exe"},
          {"type":"malware-sample","value":"sample.bin|d41d8cd98f00b204e9800998ecf8427e"},
          {"type":"hostname|port","value":"mail.bad.example|25"},
          {"type":"filename","value":"/tmp/.x/run.sh"},
          {"type":"btc","value":"bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"},
          {"type":"AS","value":"AS4134"},
          {"type":"url","value":"http://deleted.example/","deleted":true}
        ],"Object":[{"name":"file","Tag":[{"name":"tlp:amber+strict"}],"Attribute":[
          {"type":"sha1","value":"3395856CE81F2B7382DEE72602F798B642F14140","first_seen":"2026-11-01T08:00:00.000000+00:00"},
          {"type":"email-dst","value":"victim@example.org","Tag":[{"name":"TLP:GREEN"}]}
        ]}]}
        """)
        #expect(Self.pairs(result) == [
            "ipv4 198.51.100.9 clear", "other 198.51.100.9:8443 clear",
            "ipv6 2001:db8::9 clear", "other [2001:db8::9]:53 clear",
            "file_name dropper.exe red", "sha256 \(sha) red",
            "domain bad.example clear", "ipv4 192.0.2.55 clear",
            "registry_key HKCU\\Software\\Run clear", "other evil.exe clear",
            "file_name sample.bin clear", "md5 d41d8cd98f00b204e9800998ecf8427e clear",
            "domain mail.bad.example clear", "other mail.bad.example:25 clear",
            "file_path /tmp/.x/run.sh clear",
            "other bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh clear",
            "asn AS4134 clear",
            "sha1 3395856ce81f2b7382dee72602f798b642f14140 amber_strict",
            "email victim@example.org green",
        ])
        #expect(result.observables[0].comment == "C2")
        #expect(result.observables[1].comment == "ip-dst|port: C2")
        #expect(result.observables[4].tags == ["kill-chain:delivery"])
        #expect(result.observables[15].comment == "MISP type btc")
        #expect(result.observables[17].firstSeen == ExchangeIdentifiers.parseTimestamp("2026-11-01T08:00:00Z"))
        #expect(result.title == "Bare event")
    }

    @Test func acceptsTheAPIResponseShape() throws {
        let result = try Self.read(#"{"response":[{"Event":{"info":"x","Attribute":[{"type":"mutex","value":"m"}]}}]}"#)
        #expect(Self.pairs(result) == ["mutex m amber"])
    }

    @Test func refusesMalformedFilesNamingThePlace() {
        #expect(Self.error("<xml/>")?.code == .malformedJSON)
        #expect(Self.error(#"{"type":"bundle","objects":[]}"#) == ExchangeError(.wrongType, at: "type", "This is a STIX bundle, not a MISP event."))
        #expect(Self.error(#"{"hello":"world"}"#)?.code == .wrongType)
        #expect(Self.error(#"{"Event":[1]}"#)?.location == "Event")
        #expect(Self.error(#"{"Event":{"Attribute":{"type":"md5"}}}"#) == ExchangeError(.invalidObject, at: "Event.Attribute", "\"Attribute\" must be an array, found a object."))
        let hash = Self.error(#"{"Event":{"Attribute":[{"type":"mutex","value":"m"},{"type":"md5","value":"1234"}]}}"#)
        #expect(hash?.code == .invalidValue)
        #expect(hash?.location == "Event.Attribute[1].value")
        #expect(Self.error(#"{"Event":{"Attribute":[{"type":"ip-dst","value":"localhost"}]}}"#)?.location == "Event.Attribute[0].value")
        #expect(Self.error(#"{"Event":{"Attribute":[{"type":"ip-dst|port","value":"1.2.3.4"}]}}"#)?.code == .invalidValue)
        #expect(Self.error(#"{"Event":{"Attribute":[{"value":"x"}]}}"#)?.location == "Event.Attribute[0].type")
        #expect(Self.error(#"{"Event":{"Attribute":[{"type":"text","value":["x"]}]}}"#)?.location == "Event.Attribute[0].value")
        #expect(Self.error(#"{"Event":{"Object":[{"Attribute":[{"type":"sha256","value":"zz"}]}]}}"#)?.location == "Event.Object[0].Attribute[0].value")
        #expect(Self.error(#"{"Event":{"Tag":[{"colour":"red"}],"Attribute":[]}}"#)?.location == "Event.Tag[0]")
    }

    @Test func limitsAttributesAndBytes() {
        let many = #"{"Event":{"Attribute":["# + (0..<6).map { #"{"type":"mutex","value":"m\#($0)"}"# }.joined(separator: ",")
            + #"],"Object":[{"Attribute":["# + (0..<5).map { #"{"type":"mutex","value":"o\#($0)"}"# }.joined(separator: ",") + "]}]}}"
        #expect(Self.error(many, limits: ExchangeLimits(maxObjects: 10)) == ExchangeError(.tooManyObjects, at: "Event.Attribute", "The event has 11 attributes; at most 10 are accepted."))
        #expect(Self.error(many, limits: ExchangeLimits(maxBytes: 64))?.code == .tooLarge)
        let composite = #"{"Event":{"Attribute":[{"type":"filename|md5","value":"a|d41d8cd98f00b204e9800998ecf8427e"}]}}"#
        #expect(Self.error(composite, limits: ExchangeLimits(maxObservables: 1))?.code == .tooManyObjects)
    }
}
