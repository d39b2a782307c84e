import Foundation

/// The elements of the array at a key path, one at a time, from a JSON document of any size; for feeds
/// such as NVD's `{"totalResults": 38, "vulnerabilities": [{"cve": {…}}, …]}`. Memory stays bounded by one
/// element (at most `limits.maxTokenBytes` of input). Members other than the path are skipped, except scalars
/// (strings, numbers, booleans, null) met in the objects along the path, which are kept in ``fields``.
///
///     let stream = try JSONElementStream(source: ByteSource(url: feed), path: ["vulnerabilities"])
///     while let element = try stream.nextObject() {
///         let id = (element["cve"] as? [String: Any])?["id"] as? String
///     }
///     let total = stream.fields["totalResults"] as? Int
///
/// A missing or null array yields no elements; any other non-array value there is an error.
public final class JSONElementStream {
    public let reader: JSONStreamReader
    public let path: [String]
    /// Scalar members of the objects along the path, keyed by their names joined with "." from the root
    /// ("totalResults", "result.count"); null is `NSNull`. Complete once ``next()`` has returned nil.
    public private(set) var fields: [String: Any] = [:]
    /// Index of the last element returned (-1 before the first).
    public private(set) var index = -1
    /// Whether the path led to an array.
    public private(set) var foundArray = false

    private var level = 0
    private var phase = Phase.start

    private enum Phase { case start, descending, elements, ascending, done }

    public init(reader: JSONStreamReader, path: [String]) {
        self.reader = reader
        self.path = path
    }

    public convenience init(source: ByteSource, path: [String], limits: ScanLimits = ScanLimits(), format: ScannerFormat? = nil) {
        self.init(reader: JSONStreamReader(source: source, limits: limits, format: format), path: path)
    }

    /// The next element as a Foundation value (see ``JSONStreamReader/captureValue()``); nil after the last,
    /// once the rest of the document has been read and checked.
    public func next() throws -> Any? {
        guard try advance() else { return nil }
        return try reader.captureValue()
    }

    /// The next element, which must be an object.
    public func nextObject() throws -> [String: Any]? {
        guard try advance() else { return nil }
        guard let object = try reader.captureValue() as? [String: Any] else {
            throw reader.error("expected an object")
        }
        return object
    }

    /// The next element's exact bytes.
    public func nextRaw() throws -> Data? {
        guard try advance() else { return nil }
        return try reader.captureRawValue()
    }

    /// The next element decoded as `T`; a mismatch throws a ``ScanParseError`` naming the element's path.
    public func next<T: Decodable>(as type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T? {
        guard try advance() else { return nil }
        return try reader.decodeValue(type, decoder: decoder)
    }

    /// Positions the reader at the next element; false (having read the rest of the document) when none is left.
    private func advance() throws -> Bool {
        while true {
            switch phase {
            case .start:
                if path.isEmpty {
                    try startArray()
                } else if try reader.enterObject() {
                    phase = .descending
                } else {
                    phase = .ascending
                }
            case .descending:
                guard let key = try reader.nextKey() else {
                    level -= 1
                    phase = .ascending
                    continue
                }
                if key == path[level] {
                    if level == path.count - 1 {
                        try startArray()
                    } else if try reader.enterObject() {
                        level += 1
                    } else {
                        phase = .ascending
                    }
                } else {
                    try keepScalar(key)
                }
            case .elements:
                if try reader.nextElement() {
                    index += 1
                    return true
                }
                level -= 1
                phase = .ascending
            case .ascending:
                if reader.depth == 0 {
                    // Reads to the end, so trailing garbage is reported.
                    guard try reader.next() == nil else { throw reader.error("unexpected data after the JSON value") }
                    phase = .done
                    continue
                }
                if let key = try reader.nextKey() {
                    try keepScalar(key)
                } else {
                    level -= 1
                }
            case .done:
                return false
            }
        }
    }

    private func startArray() throws {
        switch try reader.peekKind() {
        case .array:
            _ = try reader.enterArray()
            foundArray = true
            level = path.count
            phase = .elements
        case .null:
            try reader.skipValue()
            level = path.count - 1
            phase = .ascending
        default:
            throw reader.error("expected an array")
        }
    }

    private func keepScalar(_ key: String) throws {
        switch try reader.peekKind() {
        case .object, .array, nil:
            try reader.skipValue()
        default:
            let name = (path.prefix(level) + [key]).joined(separator: ".")
            fields[name] = try reader.captureValue()
        }
    }
}

extension JSONStreamReader {
    /// Calls `body` with each element of the array at `path` (keys from the root; [] for a top-level array)
    /// and the scalar fields seen so far; returns all scalar fields along the path. See ``JSONElementStream``.
    ///
    ///     let fields = try JSONStreamReader.forEachElement(in: source, atPath: ["vulnerabilities"]) { element, _ in
    ///         let cve = (element as? [String: Any])?["cve"] as? [String: Any]
    ///     }
    @discardableResult
    public static func forEachElement(in source: ByteSource, atPath path: [String], limits: ScanLimits = ScanLimits(),
                                      _ body: (_ element: Any, _ fields: [String: Any]) throws -> Void) throws -> [String: Any] {
        let stream = JSONElementStream(source: source, path: path, limits: limits)
        while let element = try stream.next() {
            try body(element, stream.fields)
        }
        return stream.fields
    }
}
