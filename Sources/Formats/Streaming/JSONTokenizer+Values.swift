import Foundation

/// Structured reading (see the same methods of ``JSONStreamReader``); skipping and capturing loop here, inside
/// the struct, so whole values are read without per-token overhead.
extension JSONTokenizer {
    mutating func peekKind() throws -> JSONValueKind? {
        guard let b = try prepareValue() else { return nil }
        switch b {
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x22: return .string
        case 0x2D, 0x30...0x39: return .number
        case 0x74, 0x66: return .bool
        case 0x6E: return .null
        default: throw fail(error("unexpected character '\(JSONByteScanner.printable(b))' where a value was expected"))
        }
    }

    mutating func nextKey() throws -> String? {
        if let failure { throw failure }
        guard let top = frames.last, top.isObject else { throw fail(error("nextKey() used outside an object")) }
        if top.state == .expectValue { try skipValue() }
        switch try nextToken(keep: true) {
        case .key: return text
        case .endObject: return nil
        default: throw fail(error("expected a key"))
        }
    }

    mutating func nextElement() throws -> Bool {
        if let failure { throw failure }
        guard let top = frames.last, !top.isObject else { throw fail(error("nextElement() used outside an array")) }
        if top.state == .expectValue { try skipValue() }
        if try prepareValue() != nil {
            frames[frames.count - 1].state = .expectValue
            return true
        }
        guard try nextToken(keep: false) == .endArray else { throw fail(error("expected the end of the array")) }
        return false
    }

    mutating func enter(_ kind: JSONValueKind) throws -> Bool {
        guard let next = try peekKind() else { throw fail(error("expected a value")) }
        guard next == kind else { try skipValue(); return false }
        _ = try nextToken(keep: false)
        return true
    }

    mutating func readString() throws -> String? {
        guard let kind = try peekKind() else { throw fail(error("expected a value")) }
        if kind == .object || kind == .array { try skipValue(); return nil }
        switch try nextToken(keep: true) {
        case .string, .number: return text
        case .trueValue: return "true"
        case .falseValue: return "false"
        default: return nil
        }
    }

    mutating func skipValue() throws {
        guard try peekKind() != nil else { return }
        try guarded { t in
            let base = t.frames.count
            repeat {
                guard try t.readToken(keep: false) != nil else { throw t.error("unexpected end of input") }
            } while t.frames.count > base
        }
    }

    mutating func captureValue() throws -> Any {
        guard try peekKind() != nil else { throw fail(error("expected a value")) }
        return try guarded { t in
            let start = t.scanner.offset
            let maxNodes = max(4096, t.limits.maxTokenBytes / 16)
            var nodes = 0
            var stack: [Builder] = []
            while true {
                guard let token = try t.readToken(keep: true) else { throw t.error("unexpected end of input") }
                nodes += 1
                if nodes > maxNodes || t.scanner.offset - start > t.limits.maxTokenBytes {
                    throw t.error("value too large to capture (over \(t.limits.maxTokenBytes) bytes or \(maxNodes) values)")
                }
                let value: Any
                switch token {
                case .beginObject: stack.append(Builder(isObject: true)); continue
                case .beginArray: stack.append(Builder(isObject: false)); continue
                case .key: stack[stack.count - 1].key = t.text; continue
                case .endObject, .endArray: value = stack.removeLast().value
                case .string: value = t.text
                case .number: value = Self.number(t.text)
                case .trueValue: value = true
                case .falseValue: value = false
                case .null: value = NSNull()
                }
                if stack.isEmpty { return value }
                stack[stack.count - 1].add(value)
            }
        }
    }

    mutating func captureRawValue() throws -> Data {
        guard try peekKind() != nil else { throw fail(error("expected a value")) }
        armRecording = true
        recordLimit = limits.maxTokenBytes
        defer { armRecording = false }
        try skipValue()
        return Data(scanner.stopRecording())
    }

    static func number(_ text: String) -> NSNumber {
        if !text.utf8.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }), let i = Int(text) {
            return NSNumber(value: i)
        }
        return NSNumber(value: Double(text) ?? .nan)
    }

    struct Builder {
        var isObject: Bool
        var object: [String: Any] = [:]
        var array: [Any] = []
        var key = ""

        var value: Any { isObject ? object : array }

        mutating func add(_ value: Any) {
            if isObject { object[key] = value } else { array.append(value) }
        }
    }
}
