import Foundation

/// A JSON value whose objects keep their key order, so exported files are deterministic and readable.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// Integers, integral numbers and digit strings (MISP writes numbers as strings).
    var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return d.rounded() == d && abs(d) < 1e15 ? Int(d) : nil
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// A short name of the JSON type, for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// An ordered JSON object. Lookups are linear, which is fine for the small objects of STIX and MISP.
struct JSONObject: Sendable, Equatable {
    var entries: [(key: String, value: JSONValue)] = []

    init(_ entries: [(String, JSONValue)] = []) {
        self.entries = entries.map { (key: $0.0, value: $0.1) }
    }

    subscript(key: String) -> JSONValue? {
        get { entries.last(where: { $0.key == key })?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append((key: key, value: newValue)) }
        }
    }

    var keys: [String] { entries.map(\.key) }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

// MARK: - Parsing

extension JSONValue: Decodable {
    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var object = JSONObject()
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                object.entries.append((key: key.stringValue, value: try container.decode(JSONValue.self, forKey: key)))
            }
            self = .object(object)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            if let count = container.count { items.reserveCapacity(count) }
            while !container.isAtEnd { items.append(try container.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let bool = try? single.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? single.decode(Int.self) {
            self = .integer(int)
        } else if let double = try? single.decode(Double.self) {
            self = .number(double)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Deepest nesting accepted; deeper input is refused before decoding (recursion would exhaust the stack).
    static let maxDepth = 64

    /// Parses `data` after checking its size and nesting depth.
    static func parse(_ data: Data, limits: ExchangeLimits) throws -> JSONValue {
        guard data.count <= limits.maxBytes else {
            throw ExchangeError(.tooLarge, at: "$", "The file has \(data.count) bytes; at most \(limits.maxBytes) are accepted.")
        }
        try checkDepth(data)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            throw ExchangeError(.malformedJSON, at: "$", "The file is not valid JSON (\(detail)).")
        } catch {
            throw ExchangeError(.malformedJSON, at: "$", "The file is not valid JSON (\(error)).")
        }
    }

    private static func checkDepth(_ data: Data) throws {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth {
                    throw ExchangeError(.malformedJSON, at: "$", "The JSON nests deeper than \(maxDepth) levels.")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }
}

// MARK: - Writing

extension JSONValue {
    /// Serialises with two-space indentation (`pretty`) or compactly; `sortedKeys` gives RFC 8785 (JCS)
    /// output for the strings and integers STIX ids are computed from.
    func serialized(pretty: Bool = true, sortedKeys: Bool = false) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil, sortedKeys: sortedKeys)
        if pretty { out += "\n" }
        return out
    }

    private func write(into out: inout String, indent: Int?, sortedKeys: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d):
            if d.isFinite { out += d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d) } else { out += "null" }
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                Self.newline(&out, indent.map { $0 + 1 })
                item.write(into: &out, indent: indent.map { $0 + 1 }, sortedKeys: sortedKeys)
            }
            Self.newline(&out, indent)
            out += "]"
        case .object(let object):
            if object.entries.isEmpty { out += "{}"; return }
            let entries = sortedKeys
                ? object.entries.sorted { Array($0.key.utf16).lexicographicallyPrecedes(Array($1.key.utf16)) }
                : object.entries
            out += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += "," }
                Self.newline(&out, indent.map { $0 + 1 })
                Self.writeString(entry.key, into: &out)
                out += indent == nil ? ":" : ": "
                entry.value.write(into: &out, indent: indent.map { $0 + 1 }, sortedKeys: sortedKeys)
            }
            Self.newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
