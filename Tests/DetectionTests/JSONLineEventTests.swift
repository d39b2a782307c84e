import Foundation
import Testing
@testable import Detection

@Suite("JSON-lines events")
struct JSONLineEventTests {
    private func parse(_ text: String, line: Int = 1) throws(JSONLineError) -> FlatEvent {
        let bytes = Array(text.utf8)
        return try parse(bytes, line: line)
    }

    private func parse(_ bytes: [UInt8], line: Int = 1) throws(JSONLineError) -> FlatEvent {
        let result: Result<FlatEvent, JSONLineError> = bytes.withUnsafeBytes { raw in
            do throws(JSONLineError) { return .success(try JSONLineEvent.parse(raw, line: line)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private func failure(_ text: String) -> JSONLineError? {
        do { _ = try parse(text, line: 7); return nil } catch { return error }
    }

    // MARK: values

    @Test func scalarsKeepTheirTypes() throws {
        let e = try parse(#"{"s":"text","i":42,"n":-7,"d":1.5,"e":2e3,"z":-0.0,"t":true,"f":false,"null":null,"one":1.0}"#)
        #expect(e.fields == ["s": .string("text"), "i": .int(42), "n": .int(-7), "d": .double(1.5), "e": .double(2000),
                             "z": .double(-0.0), "t": .bool(true), "f": .bool(false), "null": .null, "one": .double(1)])
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        let e = try parse(#"{"max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,"big":123456789012345678901234567890,"under":-9223372036854775809}"#)
        #expect(e["max"] == .int(.max))
        #expect(e["min"] == .int(.min))
        #expect(e["over"] == .double(9_223_372_036_854_775_808))
        #expect(e["big"] == .double(1.2345678901234568e29))
        #expect(e["under"] == .double(-9.223372036854775809e18))
    }

    @Test func doublesAreCorrectlyRounded() throws {
        let cases = ["0.1", "3.141592653589793", "2.2250738585072014e-308", "1.7976931348623157e308", "5e-324",
                     "123456789.123456789", "0.000001", "1e22", "1e23", "9007199254740993", "4.9406564584124654e-324",
                     "-12.5E+2", "0.30000000000000004", "100000000000000000000000000000e-10"]
        for text in cases {
            let e = try parse("{\"v\":\(text)}")
            let expected = try #require(Double(text))
            if case .int(let i) = e["v"] { #expect(Double(i) == expected, "\(text)") } else { #expect(e["v"] == .double(expected), "\(text)") }
        }
        #expect(failure(#"{"v":1e400}"#)?.message == "number out of range")
    }

    @Test func arraysStayArraysAndObjectsInsideKeepTheirText() throws {
        let e = try parse(#"{"a":[1,"x",[true,null],{"k": [1]}],"empty":[]}"#)
        #expect(e["a"] == .array([.int(1), .string("x"), .array([.bool(true), .null]), .string(#"{"k": [1]}"#)]))
        #expect(e["empty"] == .array([]))
    }

    @Test func nestedObjectsJoinKeysWithDots() throws {
        let e = try parse(#"{"host":{"name":"web","ip":["10.0.0.1"],"os":{"family":"linux"}},"empty":{},"@timestamp":"2024-01-01T00:00:00Z"}"#)
        #expect(e.fields == ["host.name": .string("web"), "host.ip": .array([.string("10.0.0.1")]),
                             "host.os.family": .string("linux"), "@timestamp": .string("2024-01-01T00:00:00Z")])
        #expect(e.host == "web")
        #expect(e.time == EventTime.parse("2024-01-01T00:00:00Z"))
    }

    @Test func duplicateKeysKeepTheLast() throws {
        #expect(try parse(#"{"a":1,"a":2}"#).fields == ["a": .int(2)])
        #expect(try parse(#"{"a.b":1,"a":{"b":2}}"#).fields == ["a.b": .int(2)])
    }

    @Test func stringEscapesAndSurrogatePairs() throws {
        let e = try parse(#"{"s":"q\"b\\s\/n\nt\tr\rb\bf\f\u00e9\u4e2d\ud83d\ude00","k\u0041y":"v"}"#)
        #expect(e["s"] == .string("q\"b\\s/n\nt\tr\rb\u{8}f\u{C}é中😀"))
        #expect(e["kAy"] == .string("v"))
        #expect(try parse("{\"vi\":\"Sở Thông tin và Truyền thông\"}")["vi"] == .string("Sở Thông tin và Truyền thông"))
    }

    // MARK: errors

    @Test func syntaxErrorsNameLineAndColumn() {
        let cases: [(String, Int, String)] = [
            (#"{"a":1,}"#, 8, "expected a key, found '}'"),
            (#"{"a" 1}"#, 6, "expected ':' after the key, found '1'"),
            (#"{'a':1}"#, 2, "expected a key, found '''"),
            (#"{"a":01}"#, 6, "invalid number: leading zero"),
            (#"{"a":1.}"#, 6, "invalid number: expected a digit after '.'"),
            (#"{"a":.5}"#, 6, "expected a value, found '.'"),
            (#"{"a":+1}"#, 6, "expected a value, found '+'"),
            (#"{"a":NaN}"#, 6, "expected a value, found 'N'"),
            (#"{"a":tru}"#, 6, "invalid literal"),
            (#"{"a":"open}"#, 12, "unterminated string (opened at column 6)"),
            (#"[1,2]"#, 1, "expected a JSON object"),
            (#"{"a":1} x"#, 9, "unexpected 'x' after the object"),
            (#"{"a":1"#, 7, "unterminated object"),
            (#"{"a":[1 2]}"#, 9, "expected ',' or ']', found '2'"),
            (#"{"a":"\x"}"#, 7, #"invalid escape \x"#),
            (#"{"a":"\u12G4"}"#, 7, #"invalid \u escape (expected 4 hex digits)"#),
            (#"{"a":"\ud800"}"#, 7, #"lone surrogate \uD800 (a high surrogate needs a low one)"#),
            (#"{"a":"\udc00"}"#, 7, #"lone surrogate \uDC00"#),
            (#"{"a":"\ud800\u0041"}"#, 7, #"lone surrogate \uD800 (followed by \u41)"#),
            ("{\"a\":\"tab\there\"}", 10, "control character U+0009 in a string (must be escaped)"),
            ("", 1, "empty line: expected a JSON object"),
        ]
        for (text, column, message) in cases {
            let error = failure(text)
            #expect(error == JSONLineError(line: 7, column: column, message: message), "\(text)")
        }
    }

    @Test func invalidUTF8IsRefusedWhereItStarts() throws {
        var bytes = Array(#"{"a":"ok","b":"x"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}"#.utf8)
        do { _ = try parse(bytes); Issue.record("accepted invalid UTF-8") } catch {
            #expect(error == JSONLineError(line: 1, column: 17, message: "invalid UTF-8 in string"))
        }
        for bad: [UInt8] in [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            var line = Array(#"{"k":""#.utf8)
            line += bad
            line += Array(#""}"#.utf8)
            #expect(throws: JSONLineError.self) { try parse(line) }
        }
    }

    @Test func nestingIsLimitedTo64() throws {
        func nested(_ depth: Int) -> String {
            // depth 1 is the line's object; the rest are arrays.
            "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        }
        _ = try parse(nested(64))
        #expect(failure(nested(65))?.message == "nesting deeper than 64")
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(failure(objects)?.message == "nesting deeper than 64")
        // Far deeper input is refused without exhausting the stack.
        #expect(failure("{\"a\":" + String(repeating: "[", count: 100_000))?.message == "nesting deeper than 64")
    }

    @Test func randomBytesNeverCrash() {
        var rng = IngestRNG(seed: 11)
        let alphabet = Array(#"{}[]:,"\ u0123456789.eE+-truefalsn"#.utf8) + [0xC3, 0xA9, 0xFF, 0x0A, 0x09]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = [UInt8(ascii: "{")]
            for _ in 0..<Int(rng.next() % 60) { bytes.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            _ = try? parse(bytes)
        }
    }

    // MARK: the evtx crate's shape

    static let evtxUserData = ##"{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Eventlog","Guid":"{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}"}},"EventID":1102,"Version":0,"Level":4,"Task":104,"Opcode":0,"Keywords":"0x4020000000000000","TimeCreated":{"#attributes":{"SystemTime":"2019-02-13T18:01:41.593830Z"}},"EventRecordID":227693,"Correlation":null,"Execution":{"#attributes":{"ProcessID":820,"ThreadID":608}},"Channel":"Security","Computer":"PC01.example.corp","Security":null},"UserData":{"LogFileCleared":{"#attributes":{"xmlns:auto-ns3":"http://schemas.microsoft.com/win/2004/08/events","xmlns":"http://manifests.microsoft.com/win/2004/08/windows/eventlog"},"SubjectUserSid":"S-1-5-21-1587066498-1489273250-1035260531-1108","SubjectUserName":"admin01","SubjectDomainName":"EXAMPLE","SubjectLogonId":"0xaf855"}}}}"##
    /// What `flatten_evtx.py` makes of it.
    static let flatUserData = #"{"Provider_Name":"Microsoft-Windows-Eventlog","Provider_Guid":"{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}","EventID":1102,"Version":0,"Level":4,"Task":104,"Opcode":0,"Keywords":"0x4020000000000000","TimeCreated_SystemTime":"2019-02-13T18:01:41.593830Z","EventRecordID":227693,"Correlation":null,"Execution_ProcessID":820,"Execution_ThreadID":608,"Channel":"Security","Computer":"PC01.example.corp","Security":null,"SubjectUserSid":"S-1-5-21-1587066498-1489273250-1035260531-1108","SubjectUserName":"admin01","SubjectDomainName":"EXAMPLE","SubjectLogonId":"0xaf855"}"#

    static let evtxQualifiers = ##"{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{"Provider":{"#attributes":{"Name":"EventLog"}},"EventID":{"#attributes":{"Qualifiers":32768},"#text":6009},"Level":4,"Task":0,"Keywords":"0x80000000000000","TimeCreated":{"#attributes":{"SystemTime":"2018-07-06T18:38:38.811220Z"}},"EventRecordID":2,"Channel":"System","Computer":"DESKTOP-1N4R894","Security":null},"EventData":{"Data":{"#text":["10.00.","17134","","Multiprocessor Free","0"]},"Binary":null}}}"##
    static let flatQualifiers = #"{"Provider_Name":"EventLog","EventID":6009,"EventID_Qualifiers":32768,"Level":4,"Task":0,"Keywords":"0x80000000000000","TimeCreated_SystemTime":"2018-07-06T18:38:38.811220Z","EventRecordID":2,"Channel":"System","Computer":"DESKTOP-1N4R894","Security":null,"Binary":null}"#

    static let evtxNullEventData = ##"{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-TerminalServices-RemoteConnectionManager","Guid":"C76BAA63-AE81-421C-B425-340B4B24157F"}},"EventID":1155,"Version":0,"Level":4,"Task":0,"Opcode":0,"Keywords":"0x1000000000000000","TimeCreated":{"#attributes":{"SystemTime":"2018-11-06T21:31:54.070985Z"}},"EventRecordID":1,"Correlation":null,"Execution":{"#attributes":{"ProcessID":812,"ThreadID":1328}},"Channel":"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational","Computer":"IEWIN7","Security":{"#attributes":{"UserID":"S-1-5-20"}}},"EventData":null}}"##
    static let flatNullEventData = #"{"Provider_Name":"Microsoft-Windows-TerminalServices-RemoteConnectionManager","Provider_Guid":"C76BAA63-AE81-421C-B425-340B4B24157F","EventID":1155,"Version":0,"Level":4,"Task":0,"Opcode":0,"Keywords":"0x1000000000000000","TimeCreated_SystemTime":"2018-11-06T21:31:54.070985Z","EventRecordID":1,"Correlation":null,"Execution_ProcessID":812,"Execution_ThreadID":1328,"Channel":"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational","Computer":"IEWIN7","Security_UserID":"S-1-5-20"}"#

    @Test func evtxCrateRecordsAreFlattenedLikeFlattenEvtxPy() throws {
        for (raw, flat) in [(Self.evtxUserData, Self.flatUserData), (Self.evtxQualifiers, Self.flatQualifiers),
                            (Self.evtxNullEventData, Self.flatNullEventData)] {
            let event = try parse(raw)
            #expect(event == (try parse(flat)))
        }
        let e = try parse(Self.evtxUserData)
        #expect(e.host == "PC01.example.corp")
        #expect(e.time == EventTime.parse("2019-02-13T18:01:41.593830Z"))
    }

    @Test func evtxShapeSectionOrderAndNesting() throws {
        // EventData overrides System, UserData overrides EventData, whatever their order in the text;
        // one level of nesting is read, deeper objects and arrays are left out.
        let e = try parse(##"{"Event":{"UserData":{"X":{"Computer":"from-user-data","Deep":{"a":1},"List":[1]}},"EventData":{"Computer":"from-event-data","Image":"C:\\a.exe","Data":[1,2],"#attributes":{"Name":"n"}},"System":{"Computer":"from-system","EventID":1}}}"##)
        #expect(e.fields == ["Computer": .string("from-user-data"), "EventID": .int(1), "Image": .string("C:\\a.exe")])
    }

    @Test func objectsWithMoreThanEventAreFlattenedWithDots() throws {
        let e = try parse(#"{"Event":{"System":{"EventID":4}},"extra":1}"#)
        #expect(e.fields == ["Event.System.EventID": .int(4), "extra": .int(1)])
        let noSystem = try parse(#"{"Event":{"kind":"login"}}"#)
        #expect(noSystem.fields == ["Event.kind": .string("login")])
    }

    @Test func evtxShapeStillRefusesBadSyntax() {
        #expect(failure(#"{"Event":{"System":{"EventID":4,}}}"#)?.column == 33)
        #expect(failure(#"{"Event":{"System":{"EventID":4}}} junk"#)?.message == "unexpected 'j' after the object")
    }

    /// Every record of `../shared/corpora/evtx/` as the `evtx` crate prints it, parsed here, equals the line
    /// `../shared/bench/flatten_evtx.py` makes of it (skipped without the corpus or the reference virtualenv).
    @Test func evtxCorpusAgreesWithFlattenEvtxPy() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
        let python = root.deletingLastPathComponent().appendingPathComponent("refvenv/bin/python")
        let corpus = shared.appendingPathComponent("corpora/evtx")
        let flatten = shared.appendingPathComponent("bench/flatten_evtx.py")
        guard FileManager.default.fileExists(atPath: corpus.path), FileManager.default.isExecutableFile(atPath: python.path),
              FileManager.default.fileExists(atPath: flatten.path) else {
            print("skipped: needs \(corpus.path), \(flatten.path) and \(python.path)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evtx-pair-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The crate's records and flatten_evtx.py's `flat` of each, line by line.
        let script = """
        import sys, glob, orjson
        from evtx import PyEvtxParser
        src = open(sys.argv[1]).read()
        exec(src[src.index('def flat'):src.index('def files')])
        with open(sys.argv[3] + '/raw.jsonl', 'wb') as fr, open(sys.argv[3] + '/flat.jsonl', 'wb') as ff:
            for f in sorted(glob.glob(sys.argv[2] + '/**/*.evtx', recursive=True)):
                try:
                    for r in PyEvtxParser(f).records_json():
                        fr.write(orjson.dumps(orjson.loads(r['data'])) + b'\\n')
                        ff.write(orjson.dumps(flat(r['data'])) + b'\\n')
                except Exception:
                    pass
        """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, flatten.path, corpus.path, folder.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let raw = try JSONLinesFileReader(url: folder.appendingPathComponent("raw.jsonl"))
        let flat = try JSONLinesFileReader(url: folder.appendingPathComponent("flat.jsonl"))
        var count = 0, differences = 0
        while let a = try raw.next() {
            let b = try flat.next()
            if a != b {
                differences += 1
                if differences <= 5 { Issue.record("record \(raw.lineNumber) differs: \(JSONLineEvent.serialize(a))") }
            }
            count += 1
        }
        #expect(try flat.next() == nil)
        #expect(count > 1000)
        #expect(differences == 0)
    }

    // MARK: the reusable parser

    @Test func reusableParserGivesTheSameEventsAsParse() throws {
        let parser = JSONLineParser()
        let lines = [#"{"a":1,"b":"x"}"#, #"{"a":2,"b":"y"}"#, #"{"b":"z","a":3}"#, #"{"a":1,"a":2,"b":3}"#, #"{"a":5,"b":6}"#,
                     Self.evtxUserData, Self.evtxQualifiers, Self.evtxUserData, #"{"a":{"b":1}}"#, #"{"a.b":2}"#,
                     #"{"TimeCreated_SystemTime":"t","CommandLineOfAVeryLongFieldName":[1]}"#, "{}"]
        for (k, line) in (lines + lines + lines).enumerated() {
            let bytes = Array(line.utf8)
            let reused = try bytes.withUnsafeBytes { raw throws(JSONLineError) in try parser.parse(raw, line: k) }
            #expect(reused == (try parse(line)), "\(line)")
        }
        // An error in the middle leaves the parser usable.
        #expect(throws: JSONLineError.self) { try Array("{\"a\":".utf8).withUnsafeBytes { raw throws(JSONLineError) in try parser.parse(raw, line: 1) } }
        let after = try Array(#"{"a":1,"b":"x"}"#.utf8).withUnsafeBytes { raw throws(JSONLineError) in try parser.parse(raw, line: 2) }
        #expect(after.fields == ["a": .int(1), "b": .string("x")])
    }

    @Test func linesOverTheLimitAreRefused() {
        let parser = JSONLineParser(maxLineBytes: 10)
        #expect(throws: JSONLineError(line: 3, column: 11, message: "line longer than 10 bytes")) {
            try Array(#"{"a":"0123"}"#.utf8).withUnsafeBytes { raw throws(JSONLineError) in try parser.parse(raw, line: 3) }
        }
        #expect(JSONLineEvent.defaultMaxLineBytes == 4 << 20)
    }

    // MARK: serialize

    @Test func serializeSortsKeysAndEscapes() {
        let e = FlatEvent(fields: ["b": .int(-3), "a": .string("q\"\\\n\t\u{1}é😀"), "c": .array([.bool(true), .null, .double(0.5)]),
                                   "d": .double(.nan), "e": .double(1e300), "A": .double(2)])
        #expect(JSONLineEvent.serialize(e) == #"{"A":2.0,"a":"q\"\\\n\t\u0001é😀","b":-3,"c":[true,null,0.5],"d":null,"e":1e+300}"#)
        #expect(JSONLineEvent.serialize(FlatEvent()) == "{}")
    }

    @Test func serializeThenParseGivesTheEventBack() throws {
        var rng = IngestRNG(seed: 99)
        let pieces = ["a", "Image", "é", "😀", " ", "\"", "\\", "\n", "\u{7F}", "\u{1}", ".", "中", "x.y", "/"]
        func text() -> String { (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        func value(_ depth: Int) -> EventValue {
            switch rng.next() % (depth < 2 ? 7 : 6) {
            case 0: return .string(text())
            case 1: return .int(Int64(bitPattern: rng.next()))
            case 2: return .double(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (rng.next() % 2 == 0 ? 1 : -1))
            case 3: return .bool(rng.next() % 2 == 0)
            case 4: return .null
            case 5: return .double(Double(Int64(rng.next() % 1000)) / 8)
            default: return .array((0..<Int(rng.next() % 4)).map { _ in value(depth + 1) })
            }
        }
        for _ in 0..<500 {
            var e = FlatEvent()
            for _ in 0..<Int(rng.next() % 8) { e[text()] = value(0) }
            let line = JSONLineEvent.serialize(e)
            #expect(try parse(line) == e, "\(line)")
        }
    }

    // MARK: the file reader

    private func withFile(_ bytes: [UInt8], _ body: (URL) throws -> Void) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jsonl-\(UUID().uuidString).jsonl")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        try body(url)
    }

    /// Reads everything: events as their `a` field, errors as "error N".
    private func readAll(_ reader: JSONLinesFileReader) -> [String] {
        var out: [String] = []
        while true {
            do {
                guard let e = try reader.next() else { break }
                out.append(e["a"]?.text ?? "?")
            } catch {
                out.append("error \(error.line)")
            }
        }
        return out
    }

    @Test func readerSkipsBlankLinesAndReportsBadOnesByNumber() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("{\"a\":1}\r\n\n   \n{\"a\":2}\n{bad}\n{\"a\":3}".utf8)
        try withFile(bytes) { url in
            let reader = try JSONLinesFileReader(url: url)
            #expect(reader.fileSize == UInt64(bytes.count))
            #expect(readAll(reader) == ["1", "2", "error 5", "3"])
            #expect(reader.bytesRead == reader.fileSize)
            #expect(reader.lineNumber == 6)
        }
    }

    @Test func readerErrorsCarryTheColumn() throws {
        try withFile(Array("{\"a\":1}\n{\"a\":tru}\n".utf8)) { url in
            let reader = try JSONLinesFileReader(url: url)
            _ = try reader.next()
            #expect(throws: JSONLineError(line: 2, column: 6, message: "invalid literal")) { try reader.next() }
            #expect(try reader.next() == nil)
        }
    }

    @Test func tooLongLinesAreErrorsAndSkipped() throws {
        let long = "{\"a\":\"" + String(repeating: "x", count: 300_000) + "\"}"
        let bytes = Array("{\"a\":1}\n\(long)\n{\"a\":2}\n\(long)".utf8)
        try withFile(bytes) { url in
            let reader = try JSONLinesFileReader(url: url, maxLineBytes: 1000)
            #expect(readAll(reader) == ["1", "error 2", "2", "error 4"])
            #expect(reader.bytesRead == reader.fileSize)
        }
        // Just within the limit is fine.
        try withFile(Array("\(long)\n".utf8)) { url in
            let reader = try JSONLinesFileReader(url: url, maxLineBytes: long.utf8.count)
            #expect(readAll(reader).count == 1)
            #expect(throws: JSONLineError.self) { try JSONLinesFileReader(url: url, maxLineBytes: long.utf8.count - 1).next() }
        }
    }

    @Test func readerStreamsAFileLargerThanItsBuffer() throws {
        var bytes: [UInt8] = []
        let n = 40_000
        for k in 0..<n { bytes += Array("{\"a\":\(k),\"pad\":\"\(String(repeating: "p", count: k % 97))\"}\n".utf8) }
        try withFile(bytes) { url in
            let reader = try JSONLinesFileReader(url: url, maxLineBytes: 512)
            var k = 0
            while let e = try reader.next() {
                #expect(e["a"] == .int(Int64(k)))
                k += 1
            }
            #expect(k == n)
            #expect(reader.bytesRead == UInt64(bytes.count))
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: (any Error).self) { try JSONLinesFileReader(url: URL(fileURLWithPath: "/nonexistent/x.jsonl")) }
        #expect(throws: (any Error).self) { try JSONLinesFileReader(url: FileManager.default.temporaryDirectory) }
    }
}
