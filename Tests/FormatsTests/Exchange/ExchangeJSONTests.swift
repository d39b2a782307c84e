import Foundation
import Testing
@testable import Formats

@Suite("Exchange JSON parser and writer")
struct ExchangeJSONTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8), limits: .default)
    }

    static func failure(_ bytes: [UInt8]) -> ExchangeError? {
        do {
            _ = try JSONValue.parse(Data(bytes), limits: .default)
            return nil
        } catch {
            return error as? ExchangeError
        }
    }

    static func failure(_ text: String) -> ExchangeError? { failure(Array(text.utf8)) }

    @Test func parsesValuesKeepingKeyOrder() throws {
        let value = try Self.parse("\u{FEFF} {\"z\": 1, \"a\": [true, false, null, -0.5, 1e3, 12345678901, \"x\"], \"m\": {}} ")
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == .array([.bool(true), .bool(false), .null, .number(-0.5), .number(1000), .integer(12_345_678_901), .string("x")]))
        #expect(object["m"] == .object(JSONObject()))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try Self.parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u1EE8ng c\u1EE9u", "\ud83d\ude00", "\ud800x", "Lạng Sơn"]"#)
        #expect(value == .array([.string("a\"b\\c/d\u{8}\u{C}\n\r\t"), .string("Ứng cứu"), .string("😀"), .string("\u{FFFD}x"), .string("Lạng Sơn")]))
    }

    @Test func errorsNameLineAndColumn() {
        #expect(Self.failure("{\n  \"a\": 1,\n  \"b\": tru\n}") ==
                ExchangeError(.malformedJSON, at: "line 3, column 8", "The file is not valid JSON: unexpected character."))
        #expect(Self.failure("[1, 2")?.message == "The file is not valid JSON: unexpected end of the file inside an array.")
        #expect(Self.failure("{\"a\" 1}")?.location == "line 1, column 6")
        #expect(Self.failure("{\"ấ\": x}")?.location == "line 1, column 7")
        #expect(Self.failure("")?.message == "The file is not valid JSON: the file is empty.")
        #expect(Self.failure("{} {}")?.message == "The file is not valid JSON: unexpected data after the JSON value.")
        #expect(Self.failure("[01]")?.code == .malformedJSON)
        #expect(Self.failure("[1.]")?.code == .malformedJSON)
        #expect(Self.failure("[\"a\u{1}\"]")?.message.contains("control character") == true)
        #expect(Self.failure(#"["\x"]"#)?.message.contains("invalid escape") == true)
        #expect(Self.failure([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])?.message.contains("UTF-8") == true)
        #expect(Self.failure("[1e999]")?.message.contains("out of range") == true)
        #expect(Self.failure(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))?.message.contains("nested deeper") == true)
        #expect(throws: Never.self) { try Self.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) }
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        #expect(try Self.parse(#"{"type":"x","type":"bundle"}"#).objectValue?["type"] == .string("bundle"))
    }

    @Test func serialisesCanonicallyForIdentifiers() {
        let value = JSONValue.object(JSONObject([("value", .string("a\"\\\u{1}é")), ("hashes", .object(JSONObject([("SHA-256", .string("x")), ("MD5", .string("y"))])))]))
        #expect(value.serialized(pretty: false, sortedKeys: true) == #"{"hashes":{"MD5":"y","SHA-256":"x"},"value":"a\"\\\u0001é"}"#)
        #expect(value.serialized() == "{\n  \"value\": \"a\\\"\\\\\\u0001é\",\n  \"hashes\": {\n    \"SHA-256\": \"x\",\n    \"MD5\": \"y\"\n  }\n}\n")
    }

    @Test func trimmingWithoutFoundation() {
        #expect("  \t Lạng Sơn \r\n\u{00A0}".trimmedWhitespace == "Lạng Sơn")
        #expect("x".trimmedWhitespace == "x")
        #expect(" \n ".trimmedWhitespace == "")
        #expect(nonEmpty(" \u{3000} ") == nil)
    }
}
