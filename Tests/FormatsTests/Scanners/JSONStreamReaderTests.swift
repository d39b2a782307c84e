import Foundation
import Testing
@testable import Formats

/// The shared scanner corpora (`<repo>/../shared/corpora`) and helpers for the JSON report reader tests.
enum JSONReportCorpus {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora")

    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("scanners").path) }

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func source(_ path: String, chunkSize: Int = 1 << 16) throws -> ByteSource {
        try ByteSource(url: url(path), chunkSize: chunkSize)
    }

    static func events(_ reader: some ScanReportReader) throws -> [ScanReportEvent] {
        var reader = reader
        var events: [ScanReportEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }

    static func findings(_ events: [ScanReportEvent]) -> [ScanFinding] {
        events.compactMap { if case .finding(let f) = $0 { f } else { nil } }
    }

    static func hosts(_ events: [ScanReportEvent]) -> [ScanHost] {
        events.compactMap { if case .host(let h) = $0 { h } else { nil } }
    }

    static func infos(_ events: [ScanReportEvent]) -> [ScanReportInfo] {
        events.compactMap { if case .info(let i) = $0 { i } else { nil } }
    }

    /// The error `body` throws; fails the test when it throws none or another type.
    static func parseError(_ body: () throws -> Void) -> ScanParseError? {
        do {
            try body()
            Issue.record("expected a ScanParseError")
        } catch let error as ScanParseError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    static func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("json-\(UUID().uuidString).json")
        try data.write(to: url)
        return url
    }
}

@Suite("JSON stream reader")
struct JSONStreamReaderTests {
    func events(_ text: String, limits: ScanLimits = ScanLimits()) throws -> [JSONEvent] {
        let reader = JSONStreamReader(data: Data(text.utf8), limits: limits)
        var events: [JSONEvent] = []
        while let e = try reader.next() { events.append(e) }
        return events
    }

    func failure(_ bytes: [UInt8], limits: ScanLimits = ScanLimits()) -> ScanParseError? {
        JSONReportCorpus.parseError {
            let reader = JSONStreamReader(data: Data(bytes), limits: limits, format: .trivy)
            while try reader.next() != nil {}
        }
    }

    func failure(_ text: String) -> ScanParseError? { failure(Array(text.utf8)) }

    @Test func eventsOfADocument() throws {
        let text = #"{"a": [1, -2.5e3, true, false, null], "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00y"}, "": {}}"#
        #expect(try events(text) == [
            .beginObject, .key("a"), .beginArray, .number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null,
            .endArray, .key("b"), .beginObject, .key("c"), .string("x\"\\/\u{8}\u{c}\n\r\té😀y"), .endObject,
            .key(""), .beginObject, .endObject, .endObject,
        ])
        #expect(try events("\"Hà Nội\"") == [.string("Hà Nội")])
        #expect(try events("[]") == [.beginArray, .endArray])
        #expect(try events("0") == [.number("0")])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let reader = JSONStreamReader(data: Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)))
        #expect(try reader.captureValue() as? [Int] == [1])
    }

    @Test func everyChunkSizeGivesTheSameValue() throws {
        let text = #"{"tên": "Sở Y tế 😀 \u0041\ud83d\ude00", "n": [0, -1, 3.25, 1e-7, 12345678901234567890], "t": true, "z": null, "deep": [[[{"k": "\\"}]]]}"#
        let url = try JSONReportCorpus.temporaryFile(Data(text.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let expected = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! NSDictionary
        for size in [1, 2, 3, 5, 7, 64, 4096] {
            let reader = JSONStreamReader(source: try ByteSource(url: url, chunkSize: size))
            let value = try reader.captureValue() as! NSDictionary
            #expect(value == expected, "chunk size \(size)")
            #expect(try reader.next() == nil)
        }
    }

    @Test func capturedNumbersBridgeLikeJSONSerialization() throws {
        let value = try JSONStreamReader(data: Data(#"{"i": 5, "d": 6.5, "b": true, "n": null}"#.utf8)).captureObject()!
        #expect(value["i"] as? Int == 5)
        #expect(value["i"] as? Double == 5)
        #expect(value["d"] as? Double == 6.5)
        #expect(value["d"] as? Int == nil)
        #expect(value["b"] as? Bool == true)
        #expect(value["n"] is NSNull)
    }

    @Test func errorsNameLineColumnAndPath() throws {
        let text = "{\"Results\": [{}, {}, {},\n  {\"Vulnerabilities\": [{\"Severity\": tru}]}]}"
        let error = try #require(failure(text))
        #expect(error.format == .trivy)
        #expect(error.location == "line 2, column 37 (byte 61), at $.Results[3].Vulnerabilities[0].Severity")
        #expect(error.message.contains("invalid literal"))
        #expect(failure(#"{"info": {"cvss-metrics": x}}"#)?.location?.hasSuffix("at $.info.cvss-metrics") == true)
        #expect(failure(#"{"a b": x}"#)?.location?.hasSuffix(#"at $["a b"]"#) == true)
    }

    @Test func structuralErrors() {
        let cases: [(String, String)] = [
            ("", "empty input"),
            ("{\"a\": 1", "unexpected end of input inside an object"),
            ("[1, 2", "unexpected end of input inside an array"),
            ("{\"a\": 1,}", "expected a string key"),
            ("[1,]", "where a value was expected"),
            ("[,1]", "where a value was expected"),
            ("{\"a\" 1}", "expected ':'"),
            ("{a: 1}", "expected a string key"),
            ("[1 2]", "expected ',' or ']'"),
            ("{} x", "unexpected data after the JSON value"),
            ("[] []", "unexpected data after the JSON value"),
            ("01", "unexpected data after the JSON value"),
            ("[01]", "expected ',' or ']'"),
            ("1.", "malformed number"),
            ("-", "malformed number"),
            ("1e", "malformed number"),
            ("+1", "unexpected character '+'"),
            ("nul", "invalid literal"),
            ("\"abc", "unterminated string"),
            ("\"a\tb\"", "control character"),
            ("'a'", "unexpected character"),
        ]
        for (text, message) in cases {
            let error = failure(text)
            #expect(error?.message.contains(message) == true, "\(text): \(String(describing: error))")
            #expect(error?.location?.contains("line 1") == true)
        }
    }

    @Test func invalidEscapesAndUTF8() {
        let cases: [([UInt8], String)] = [
            (Array(#""\x""#.utf8), "invalid escape '\\x'"),
            (Array(#""\u12G4""#.utf8), "invalid \\u escape"),
            (Array(#""\udc00""#.utf8), "lone low surrogate"),
            (Array(#""\ud800x""#.utf8), "not followed by a low surrogate"),
            (Array(#""\ud800\u0041""#.utf8), "not followed by a low surrogate"),
            ([0x22, 0xC3, 0x28, 0x22], "invalid UTF-8 sequence"),
            ([0x22, 0xC0, 0x80, 0x22], "invalid UTF-8 byte 0xC0"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 sequence"),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 sequence"),
            ([0x22, 0xE2, 0x82, 0x22], "invalid UTF-8 sequence"),
            ([0x22, 0xFF, 0x22], "invalid UTF-8 byte 0xFF"),
            ([0x5B, 0xC3, 0xA9, 0x5D], "unexpected character '0xC3'"),
        ]
        for (bytes, message) in cases {
            let error = failure(bytes)
            #expect(error?.message.contains(message) == true, "\(bytes): \(String(describing: error))")
            #expect(error?.location != nil)
        }
    }

    @Test func deepNestingIsRefused() throws {
        let deep = [UInt8](repeating: 0x5B, count: 100_000)
        let error = try #require(failure(deep))
        #expect(error.message == "nesting deeper than 256 levels")
        #expect(error.location?.contains("byte 256") == true)
        // Capturing and skipping refuse it too, instead of recursing.
        let reader = JSONStreamReader(data: Data(deep))
        #expect(throws: ScanParseError.self) { try reader.skipValue() }
        #expect(throws: ScanParseError.self) { try reader.captureValue() }
        #expect(failure(Array(String(repeating: "{\"a\":", count: 300).utf8))?.message == "nesting deeper than 256 levels")
    }

    @Test func longStringsAndNumbersAreRefused() throws {
        var big = [UInt8](repeating: 0x61, count: 20 << 20)
        big.insert(0x22, at: 0)
        big.append(0x22)
        let error = try #require(failure(big))
        #expect(error.message == "string longer than \(16 << 20) bytes")
        #expect(error.location == "line 1, column 1 (byte 0), at $")

        var limits = ScanLimits()
        limits.maxTokenBytes = 10
        #expect(failure(Array("[12345678901]".utf8), limits: limits)?.message == "number longer than 10 bytes")
        #expect(failure(Array(#"{"keykeykeykey": 1}"#.utf8), limits: limits)?.message == "string longer than 10 bytes")
        #expect(failure(Array(#"["a\n\n\n\n\n\n"]"#.utf8), limits: limits)?.message == "string longer than 10 bytes")
    }

    @Test func errorsAreSticky() throws {
        let reader = JSONStreamReader(data: Data("[1, x, 2]".utf8))
        #expect(try reader.next() == .beginArray)
        #expect(try reader.next() == .number("1"))
        #expect(throws: ScanParseError.self) { try reader.next() }
        #expect(throws: ScanParseError.self) { try reader.next() }
        #expect(throws: ScanParseError.self) { try reader.skipValue() }
    }

    @Test func structuredWalkSkipsWhatIsNotRead() throws {
        let reader = JSONStreamReader(data: Data(#"{"skip": {"x": [1, {"y": 2}]}, "list": [{"id": 1}, {"id": 2}, 3], "last": "z"}"#.utf8))
        #expect(try reader.enterObject())
        #expect(try reader.nextKey() == "skip")
        #expect(try reader.nextKey() == "list") // the unread value is skipped
        #expect(try reader.enterArray())
        #expect(try reader.nextElement())
        #expect(try reader.captureObject()?["id"] as? Int == 1)
        #expect(try reader.nextElement())
        #expect(try reader.nextElement()) // element 1 unread: skipped
        #expect(try reader.peekKind() == .number)
        #expect(try reader.readString() == "3")
        #expect(try reader.nextElement() == false)
        #expect(try reader.nextKey() == "last")
        #expect(try reader.readString() == "z")
        #expect(try reader.nextKey() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func rawCaptureAndDecoding() throws {
        struct Item: Decodable, Equatable { var id: String; var score: Double }
        let text = #"[{"id": "a", "score": 1.5}, {"id": "b\u00e9", "score": 2}, {"id": 3}]"#
        let url = try JSONReportCorpus.temporaryFile(Data(text.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let stream = JSONElementStream(source: try ByteSource(url: url, chunkSize: 3), path: [])
        #expect(try stream.nextRaw() == Data(#"{"id": "a", "score": 1.5}"#.utf8))
        #expect(try stream.next(as: Item.self) == Item(id: "bé", score: 2))
        let error = JSONReportCorpus.parseError { _ = try stream.next(as: Item.self) }
        #expect(error?.location?.hasSuffix("at $[2]") == true)
        #expect(try stream.next() == nil)
    }

    @Test func jsonLinesMode() throws {
        let reader = JSONStreamReader(data: Data("{\"a\": 1}\n{\"a\": 2}\n\n[3]\n".utf8), allowsMultipleValues: true)
        #expect(try reader.captureObject()?["a"] as? Int == 1)
        #expect(try reader.peekKind() == .object)
        #expect(reader.line == 2)
        #expect(try reader.captureObject()?["a"] as? Int == 2)
        #expect(try reader.captureValue() as? [Int] == [3])
        #expect(try reader.peekKind() == nil)
        #expect(reader.documentCount == 3)
        #expect(try JSONStreamReader(data: Data(), allowsMultipleValues: true).next() == nil)
    }
}

@Suite("JSON element stream (NVD feeds)", .enabled(if: JSONReportCorpus.available))
struct JSONElementStreamTests {
    @Test func nvdPageElementByElement() throws {
        let stream = JSONElementStream(source: try JSONReportCorpus.source("nvd/vunnel/full-page.json", chunkSize: 4096),
                                       path: ["vulnerabilities"])
        var ids: [String] = []
        while let element = try stream.nextObject() {
            if ids.isEmpty { #expect(stream.fields["totalResults"] as? Int == 38) }
            ids.append(try #require((element["cve"] as? [String: Any])?["id"] as? String))
        }
        #expect(ids.count == 38)
        #expect(ids.first == "CVE-2023-27314")
        #expect(ids.last == "CVE-2023-20261")
        #expect(stream.foundArray)
        #expect(stream.fields["format"] as? String == "NVD_CVE")
        #expect(stream.fields["version"] as? String == "2.0")
        #expect(stream.fields["timestamp"] as? String == "2023-10-18T18:04:18.493")
    }

    @Test func forEachElementAndDecodable() throws {
        var count = 0
        let fields = try JSONStreamReader.forEachElement(in: try JSONReportCorpus.source("nvd/vunnel/full-page.json"),
                                                         atPath: ["vulnerabilities"]) { element, fields in
            count += 1
            #expect(fields["resultsPerPage"] as? Int == 38)
            #expect(element is [String: Any])
        }
        #expect(count == 38)
        #expect(fields["startIndex"] as? Int == 0)

        struct Entry: Decodable { struct CVE: Decodable { var id: String; var published: String }; var cve: CVE }
        let stream = JSONElementStream(source: try JSONReportCorpus.source("nvd/vunnel/full-page.json"), path: ["vulnerabilities"])
        let first = try #require(try stream.next(as: Entry.self))
        #expect(first.cve.id == "CVE-2023-27314")
        #expect(first.cve.published == "2023-10-12T19:15:11.747")
    }

    @Test func nestedPathsMissingAndNullArrays() throws {
        let text = #"{"a": 1, "page": {"n": 2, "skip": [1, 2], "items": [{"x": 1}, {"x": 2}], "after": true}, "z": null}"#
        let stream = JSONElementStream(source: ByteSource(data: Data(text.utf8)), path: ["page", "items"])
        var xs: [Int] = []
        while let o = try stream.nextObject() { xs.append(o["x"] as! Int) }
        #expect(xs == [1, 2])
        #expect(stream.fields["a"] as? Int == 1)
        #expect(stream.fields["page.n"] as? Int == 2)
        #expect(stream.fields["page.after"] as? Bool == true)
        #expect(stream.fields["z"] is NSNull)
        #expect(stream.fields["page.skip"] == nil)

        let missing = JSONElementStream(source: ByteSource(data: Data(#"{"other": [1]}"#.utf8)), path: ["vulnerabilities"])
        #expect(try missing.next() == nil)
        #expect(!missing.foundArray)
        let null = JSONElementStream(source: ByteSource(data: Data(#"{"vulnerabilities": null, "n": 0}"#.utf8)), path: ["vulnerabilities"])
        #expect(try null.next() == nil)
        #expect(null.fields["n"] as? Int == 0)
        let wrong = JSONElementStream(source: ByteSource(data: Data(#"{"vulnerabilities": "x"}"#.utf8)), path: ["vulnerabilities"])
        #expect(JSONReportCorpus.parseError { _ = try wrong.next() }?.message == "expected an array")
        let trailing = JSONElementStream(source: ByteSource(data: Data(#"{"vulnerabilities": [1]} ]"#.utf8)), path: ["vulnerabilities"])
        #expect(try trailing.next() as? Int == 1)
        #expect(JSONReportCorpus.parseError { _ = try trailing.next() }?.message.contains("unexpected data") == true)
    }
}
