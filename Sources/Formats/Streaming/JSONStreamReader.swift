import Foundation

/// One step of a JSON document, in order.
public enum JSONEvent: Sendable, Equatable {
    case beginObject, endObject, beginArray, endArray
    case key(String)
    case string(String)
    /// The number as written (lossless); convert with `Double(_:)` / `Int(_:)`.
    case number(String)
    case bool(Bool)
    case null
}

/// The type of the next value, seen without consuming it.
public enum JSONValueKind: Sendable, Equatable {
    case object, array, string, number, bool, null
}

/// A pull tokenizer for strict RFC 8259 JSON read a chunk at a time from a ``ByteSource``: memory is one chunk
/// plus the longest string, whatever the input's size. Enforces ``ScanLimits`` (nesting depth, string and number
/// length) and reports errors as ``ScanParseError``s whose location names the line, column, byte offset and
/// JSON path (`line 3, column 17 (byte 201), at $.Results[3].Vulnerabilities[0]`).
///
/// Use ``next()`` for raw events, or the structured helpers (``nextKey()``, ``nextElement()``, ``enterObject()``,
/// ``captureValue()``, ``skipValue()``, …) to walk known shapes; ``JSONElementStream`` streams the elements of
/// a keyed array. A leading UTF-8 byte order mark is skipped. After an error every call rethrows it.
public final class JSONStreamReader {
    var core: JSONTokenizer

    public init(source: ByteSource, limits: ScanLimits = ScanLimits(), format: ScannerFormat? = nil,
                allowsMultipleValues: Bool = false) {
        core = JSONTokenizer(source: source, limits: limits, format: format, allowsMultipleValues: allowsMultipleValues)
    }

    public convenience init(data: Data, limits: ScanLimits = ScanLimits(), format: ScannerFormat? = nil,
                            allowsMultipleValues: Bool = false) {
        self.init(source: ByteSource(data: data), limits: limits, format: format, allowsMultipleValues: allowsMultipleValues)
    }

    public var limits: ScanLimits { core.limits }
    /// Named in errors.
    public var format: ScannerFormat? { core.format }
    /// Whether the input may hold several top-level values separated by whitespace (JSON lines).
    public var allowsMultipleValues: Bool { core.allowsMultipleValues }
    /// Appended to line numbers in error locations, e.g. " of the JSON lines".
    public var lineLabel: String {
        get { core.lineLabel }
        set { core.lineLabel = newValue }
    }

    // MARK: Position

    /// Containers open around the position (0 at the top level).
    public var depth: Int { core.frames.count }
    public var line: Int { core.scanner.line }
    public var column: Int { core.scanner.column }
    /// Bytes consumed from the source.
    public var offset: Int { core.scanner.offset }
    /// Number of complete top-level values read.
    public var documentCount: Int { core.documentCount }
    /// Line on which the current (or last) top-level value began.
    public var documentLine: Int { core.documentLine }

    /// JSONPath of the position: `$`, `$.Results[3].Vulnerabilities`, `$.info["cvss metrics"]` (keys with
    /// characters other than letters, digits, `_` and `-` are bracketed).
    public var path: String { core.path }

    /// `line 3, column 17 (byte 201), at $.Results[3]` for the current position, or for `offset` on the current line.
    public func location(offset: Int? = nil) -> String { core.location(offset: offset) }

    /// An error at the current position (or `offset`), named with the reader's format.
    public func error(_ message: String, offset: Int? = nil) -> ScanParseError {
        core.error(message, offset: offset)
    }

    // MARK: Events

    /// The next event; nil at the end of the input (having checked nothing but whitespace follows the value).
    public func next() throws -> JSONEvent? { try core.nextEvent() }

    // MARK: Structured reading

    /// The type of the next value without consuming it; nil when a key, the end of the enclosing container or
    /// the end of the input comes next.
    public func peekKind() throws -> JSONValueKind? { try core.peekKind() }

    /// Inside an object: the next key (its value comes next), or nil after consuming the closing brace.
    /// A value left unread after the previous key is skipped.
    public func nextKey() throws -> String? { try core.nextKey() }

    /// Inside an array: true when another element follows (it comes next), false after consuming the closing
    /// bracket. An element left unread is skipped.
    public func nextElement() throws -> Bool { try core.nextElement() }

    /// Enters the next value when it is an object (read its members with ``nextKey()``); otherwise skips the
    /// value and returns false.
    public func enterObject() throws -> Bool { try core.enter(.object) }

    /// Enters the next value when it is an array (read its elements with ``nextElement()``); otherwise skips
    /// the value and returns false.
    public func enterArray() throws -> Bool { try core.enter(.array) }

    /// The next value as text: a string, a number as written, `true`/`false`; nil for null, and for objects and
    /// arrays (skipped).
    public func readString() throws -> String? { try core.readString() }

    /// The next value as a number (numbers, and strings holding one); nil otherwise (skipped).
    public func readDouble() throws -> Double? {
        try readString().flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Skips the next value, however large, without building strings; does nothing when no value comes next.
    public func skipValue() throws { try core.skipValue() }

    /// Reads the next value into a Foundation tree like `JSONSerialization` makes: `[String: Any]`, `[Any]`,
    /// `String`, `NSNumber` (integers as `Int` when they fit, else `Double`), `Bool`, `NSNull`. The value may
    /// span at most `limits.maxTokenBytes` of input and `max(4096, maxTokenBytes / 16)` nodes, so memory
    /// stays bounded by one element.
    public func captureValue() throws -> Any { try core.captureValue() }

    /// The next value when it is an object; nil (the value skipped) when it is anything else.
    public func captureObject() throws -> [String: Any]? {
        guard try peekKind() == .object else { try skipValue(); return nil }
        return try captureValue() as? [String: Any]
    }

    /// The exact bytes of the next value (at most `limits.maxTokenBytes`), checked as it is read; for
    /// `JSONDecoder` or storing the element verbatim.
    public func captureRawValue() throws -> Data { try core.captureRawValue() }

    /// Decodes the next value with `decoder`. A value that does not match `T` is consumed and reported as a
    /// ``ScanParseError`` at its path; the reader can go on with the next one.
    public func decodeValue<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        let data = try captureRawValue()
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw self.error("cannot decode \(T.self): \(error)")
        }
    }
}
