import Foundation

/// The state machine behind ``JSONStreamReader``. A struct, so its hot paths run without the dynamic
/// exclusivity checks a class's stored properties cost on every access; the class makes one access per call.
struct JSONTokenizer {
    let limits: ScanLimits
    let format: ScannerFormat?
    let allowsMultipleValues: Bool
    var lineLabel = ""

    var scanner: JSONByteScanner
    var frames: [Frame] = []
    var rootState = FrameState.empty
    /// Number of complete top-level values read.
    var documentCount = 0
    /// Line on which the current (or last) top-level value began.
    var documentLine = 0
    /// Payload of the last key/string/number token read with `keep`.
    var text = ""
    /// Records the bytes of the next value (for raw capture).
    var armRecording = false
    var recordLimit = Int.max
    var failure: ScanParseError?

    enum FrameState: UInt8 { case empty, expectValue, afterValue }

    struct Frame {
        var isObject: Bool
        var state = FrameState.empty
        var key: String?
        var index = -1
    }

    enum Token: UInt8 {
        case beginObject, endObject, beginArray, endArray, key, string, number, trueValue, falseValue, null
    }

    init(source: ByteSource, limits: ScanLimits, format: ScannerFormat?, allowsMultipleValues: Bool) {
        self.limits = limits
        self.format = format
        self.allowsMultipleValues = allowsMultipleValues
        if let bom = try? source.peek(3), bom.elementsEqual([0xEF, 0xBB, 0xBF]) { try? source.skip(3) }
        scanner = JSONByteScanner(source: source)
    }

    // MARK: Position and errors

    var path: String {
        var s = "$"
        for f in frames {
            if f.isObject {
                guard let key = f.key else { continue }
                if !key.isEmpty, key.utf8.allSatisfy({ $0 == 0x5F || $0 == 0x2D || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) {
                    s += "." + key
                } else {
                    s += "[\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
                }
            } else if f.index >= 0 {
                s += "[\(f.index)]"
            }
        }
        return s
    }

    func location(offset: Int? = nil) -> String {
        let off = offset ?? scanner.offset
        let column = max(1, off - scanner.lineStart + 1)
        return "line \(scanner.line)\(lineLabel), column \(column) (byte \(off)), at \(path)"
    }

    func error(_ message: String, offset: Int? = nil) -> ScanParseError {
        ScanParseError(format: format, location: location(offset: offset), message: message)
    }

    /// Records `e` so later calls rethrow it, and returns it.
    mutating func fail(_ e: ScanParseError) -> ScanParseError {
        if failure == nil { failure = e }
        return failure!
    }

    /// Runs `body`, turning scanner failures and read errors into a (sticky) ``ScanParseError``.
    mutating func guarded<T>(_ body: (inout JSONTokenizer) throws -> T) throws -> T {
        if let failure { throw failure }
        do {
            return try body(&self)
        } catch let e as ScanParseError {
            throw fail(e)
        } catch let e as JSONScanFailure {
            throw fail(error(e.message, offset: e.offset))
        } catch {
            throw fail(self.error("cannot read the input: \(error.localizedDescription)"))
        }
    }

    // MARK: Tokens

    mutating func nextToken(keep: Bool) throws -> Token? {
        try guarded { try $0.readToken(keep: keep) }
    }

    mutating func nextEvent() throws -> JSONEvent? {
        guard let token = try nextToken(keep: true) else { return nil }
        switch token {
        case .beginObject: return .beginObject
        case .endObject: return .endObject
        case .beginArray: return .beginArray
        case .endArray: return .endArray
        case .key: return .key(text)
        case .string: return .string(text)
        case .number: return .number(text)
        case .trueValue: return .bool(true)
        case .falseValue: return .bool(false)
        case .null: return .null
        }
    }

    /// Unguarded token read, for loops that are guarded as a whole.
    mutating func readToken(keep: Bool) throws -> Token? {
        guard let i = frames.indices.last else {
            let b = try scanner.peekNonWhitespace()
            if rootState == .afterValue, let b, !allowsMultipleValues {
                throw error("unexpected data after the JSON value ('\(JSONByteScanner.printable(b))')")
            }
            guard let b else {
                if rootState == .empty, documentCount == 0, !allowsMultipleValues { throw error("empty input: no JSON value") }
                return nil
            }
            documentLine = scanner.line
            return try beginValue(b, keep: keep)
        }
        guard var b = try scanner.peekNonWhitespace() else {
            throw error("unexpected end of input inside \(frames[i].isObject ? "an object" : "an array")")
        }
        let state = frames[i].state
        if frames[i].isObject {
            if state == .expectValue { return try beginValue(b, keep: keep) }
            if b == 0x7D { scanner.pos += 1; return endContainer(.endObject) }
            if state == .afterValue {
                guard b == 0x2C else { throw error("expected ',' or '}' after an object member, found '\(JSONByteScanner.printable(b))'") }
                scanner.pos += 1
                guard let c = try scanner.peekNonWhitespace() else { throw error("unexpected end of input inside an object") }
                b = c
            }
            guard b == 0x22 else { throw error("expected a string key, found '\(JSONByteScanner.printable(b))'") }
            scanner.pos += 1
            let key = try scanner.string(keep: true, maxBytes: limits.maxTokenBytes) ?? ""
            frames[i].key = key
            guard let colon = try scanner.peekNonWhitespace() else { throw error("unexpected end of input after a key") }
            guard colon == 0x3A else { throw error("expected ':' after the key, found '\(JSONByteScanner.printable(colon))'") }
            scanner.pos += 1
            frames[i].state = .expectValue
            text = key
            return .key
        }
        switch state {
        case .expectValue:
            return try beginValue(b, keep: keep)
        case .empty:
            if b == 0x5D { scanner.pos += 1; return endContainer(.endArray) }
            return try beginValue(b, keep: keep)
        case .afterValue:
            if b == 0x5D { scanner.pos += 1; return endContainer(.endArray) }
            guard b == 0x2C else { throw error("expected ',' or ']' after an array element, found '\(JSONByteScanner.printable(b))'") }
            scanner.pos += 1
            guard let c = try scanner.peekNonWhitespace() else { throw error("unexpected end of input inside an array") }
            return try beginValue(c, keep: keep)
        }
    }

    /// Positions the reader just before the next value (consuming an array's comma) and returns the value's
    /// first byte; nil when a key, the end of the container or the end of the input comes next instead.
    mutating func prepareValue() throws -> UInt8? {
        try guarded { try $0.readyValue() }
    }

    private mutating func readyValue() throws -> UInt8? {
        guard let i = frames.indices.last else {
            guard let b = try scanner.peekNonWhitespace() else {
                if rootState == .empty, documentCount == 0, !allowsMultipleValues { throw error("empty input: no JSON value") }
                return nil
            }
            if rootState == .afterValue, !allowsMultipleValues {
                throw error("unexpected data after the JSON value ('\(JSONByteScanner.printable(b))')")
            }
            return b
        }
        guard let b = try scanner.peekNonWhitespace() else {
            throw error("unexpected end of input inside \(frames[i].isObject ? "an object" : "an array")")
        }
        switch (frames[i].isObject, frames[i].state) {
        case (_, .expectValue): return b
        case (true, _): return nil
        case (false, .empty): return b == 0x5D ? nil : b
        case (false, .afterValue):
            if b == 0x5D { return nil }
            guard b == 0x2C else { throw error("expected ',' or ']' after an array element, found '\(JSONByteScanner.printable(b))'") }
            scanner.pos += 1
            guard let c = try scanner.peekNonWhitespace() else { throw error("unexpected end of input inside an array") }
            frames[i].state = .expectValue
            return c
        }
    }

    private mutating func beginValue(_ b: UInt8, keep: Bool) throws -> Token {
        if let i = frames.indices.last, !frames[i].isObject { frames[i].index += 1 }
        if armRecording {
            armRecording = false
            scanner.startRecording(limit: recordLimit)
        }
        switch b {
        case 0x7B, 0x5B:
            guard frames.count < limits.maxDepth else {
                throw error("nesting deeper than \(limits.maxDepth) levels")
            }
            scanner.pos += 1
            frames.append(Frame(isObject: b == 0x7B))
            return b == 0x7B ? .beginObject : .beginArray
        case 0x22:
            scanner.pos += 1
            text = try scanner.string(keep: keep, maxBytes: limits.maxTokenBytes) ?? ""
            completeValue()
            return .string
        case 0x2D, 0x30...0x39:
            text = try scanner.number(keep: keep, maxBytes: limits.maxTokenBytes) ?? ""
            completeValue()
            return .number
        case 0x74:
            try scanner.expectLiteral("true")
            completeValue()
            return .trueValue
        case 0x66:
            try scanner.expectLiteral("false")
            completeValue()
            return .falseValue
        case 0x6E:
            try scanner.expectLiteral("null")
            completeValue()
            return .null
        default:
            throw error("unexpected character '\(JSONByteScanner.printable(b))' where a value was expected")
        }
    }

    private mutating func endContainer(_ token: Token) -> Token {
        frames.removeLast()
        completeValue()
        return token
    }

    private mutating func completeValue() {
        if let i = frames.indices.last {
            frames[i].state = .afterValue
        } else {
            rootState = .afterValue
            documentCount += 1
        }
    }
}
