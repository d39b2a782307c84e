import Foundation

/// CONTRACT (issue 6): the compact binary form in which the embedded event store keeps a batch of
/// events (one blob per batch; owners are columns of the batch, not repeated per event). Field names
/// are stored once per batch in a dictionary. Decoding is the hot path of every hunt: keep it at
/// millions of events per second, and reject damaged blobs with an error instead of trapping.
public struct EventBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public init(offset: Int, message: String) { self.offset = offset; self.message = message }
    public var description: String { "event batch damaged at byte \(offset): \(message)" }
}

/// What the codec keeps per event (the batch row holds agency, system and source).
public struct EncodedEvent: Sendable, Hashable {
    public var time: Date
    public var receivedAt: Date
    public var host: String?
    public var event: FlatEvent
    public init(time: Date, receivedAt: Date, host: String?, event: FlatEvent) {
        self.time = time; self.receivedAt = receivedAt; self.host = host; self.event = event
    }
}

/// Format, version 1 (all integers are LEB128 varints unless said otherwise; "zigzag" is signed):
///
///     "UCEB" 0x01                                  magic and version
///     n  (len utf8)×n                              field names
///     n  (len utf8)×n                              strings (values and hosts; each distinct string once)
///     n  (k  field×k)×n                            schemas: the sorted field set of events
///     n  event×n                                   events:
///        zigzag(time − previous time) in µs          (the first is relative to 0, the Unix epoch)
///        zigzag(receivedAt − time) in µs
///        host                                        0 = none, else string index + 1
///        schema                                      then one value per field of the schema:
///     value: tag, then 0 null · 1 false · 2 true · 3 int: zigzag · 4 double: 8 bytes little-endian
///            5 string: string index · 6 array: count, values (nested at most 32 deep)
///
/// Times are kept to the microsecond. Every count and index is checked against what remains of the
/// blob and the tables, strings must be valid UTF-8, and nothing may follow the last event.
public enum EventBatchCodec {
    public static let magic: [UInt8] = Array("UCEB".utf8)
    public static let version: UInt8 = 1
    /// Arrays inside values nest at most this deep.
    public static let maxArrayDepth = 32

    enum Tag: UInt8 {
        case null = 0, `false` = 1, `true` = 2, int = 3, double = 4, string = 5, array = 6
    }

    public static func encode(_ events: [EncodedEvent]) -> [UInt8] {
        var encoder = BatchEncoder()
        return encoder.encode(events)
    }

    public static func decode(_ bytes: [UInt8]) throws(EventBatchError) -> [EncodedEvent] {
        let result: Result<[EncodedEvent], EventBatchError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(EventBatchError) {
                var decoder = BatchDecoder(buffer)
                return .success(try decoder.decode())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Microseconds since 1970, rounded, clamped to ±2^62 (and 0 for a date that is not finite).
    static func micros(_ date: Date) -> Int64 {
        let us = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard us.isFinite else { return 0 }
        if us >= 4.611686018427388e18 { return 1 << 62 }
        if us <= -4.611686018427388e18 { return -(1 << 62) }
        return Int64(us)
    }

    static func date(micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}

// MARK: - Encoding

struct BatchEncoder {
    private var fieldIndex: [String: Int] = [:]
    private var fieldNames: [String] = []
    private var stringIndex: [String: Int] = [:]
    private var strings: [String] = []
    private var schemaIndex: [[Int]: Int] = [:]
    private var schemas: [[Int]] = []
    private var body: [UInt8] = []

    mutating func encode(_ events: [EncodedEvent]) -> [UInt8] {
        body.reserveCapacity(events.count * 128)
        var previous: Int64 = 0
        var ids: [(Int, EventValue)] = []
        for e in events {
            let time = EventBatchCodec.micros(e.time)
            let received = EventBatchCodec.micros(e.receivedAt)
            Varint.append(Varint.zigzag(time &- previous), to: &body)
            Varint.append(Varint.zigzag(received &- time), to: &body)
            previous = time
            if let host = e.host { Varint.append(UInt64(intern(host) + 1), to: &body) } else { body.append(0) }
            ids.removeAll(keepingCapacity: true)
            for (name, value) in e.event.fields { ids.append((field(name), value)) }
            ids.sort { $0.0 < $1.0 }
            let schema = ids.map(\.0)
            let s: Int
            if let known = schemaIndex[schema] { s = known } else {
                s = schemas.count; schemas.append(schema); schemaIndex[schema] = s
            }
            Varint.append(UInt64(s), to: &body)
            for (_, value) in ids { append(value) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 16 + (fieldNames.count + strings.count) * 24 + schemas.count * 16)
        out.append(contentsOf: EventBatchCodec.magic)
        out.append(EventBatchCodec.version)
        for table in [fieldNames, strings] {
            Varint.append(UInt64(table.count), to: &out)
            for s in table {
                var s = s
                s.withUTF8 { utf8 in
                    Varint.append(UInt64(utf8.count), to: &out)
                    out.append(contentsOf: utf8)
                }
            }
        }
        Varint.append(UInt64(schemas.count), to: &out)
        for schema in schemas {
            Varint.append(UInt64(schema.count), to: &out)
            for f in schema { Varint.append(UInt64(f), to: &out) }
        }
        Varint.append(UInt64(events.count), to: &out)
        out.append(contentsOf: body)
        return out
    }

    private mutating func field(_ name: String) -> Int {
        if let i = fieldIndex[name] { return i }
        let i = fieldNames.count
        fieldNames.append(name)
        fieldIndex[name] = i
        return i
    }

    private mutating func intern(_ s: String) -> Int {
        if let i = stringIndex[s] { return i }
        let i = strings.count
        strings.append(s)
        stringIndex[s] = i
        return i
    }

    private mutating func append(_ value: EventValue) {
        switch value {
        case .null: body.append(EventBatchCodec.Tag.null.rawValue)
        case .bool(let b): body.append(b ? EventBatchCodec.Tag.true.rawValue : EventBatchCodec.Tag.false.rawValue)
        case .int(let i):
            body.append(EventBatchCodec.Tag.int.rawValue)
            Varint.append(Varint.zigzag(i), to: &body)
        case .double(let d):
            body.append(EventBatchCodec.Tag.double.rawValue)
            withUnsafeBytes(of: d.bitPattern.littleEndian) { body.append(contentsOf: $0) }
        case .string(let s):
            body.append(EventBatchCodec.Tag.string.rawValue)
            Varint.append(UInt64(intern(s)), to: &body)
        case .array(let items):
            body.append(EventBatchCodec.Tag.array.rawValue)
            Varint.append(UInt64(items.count), to: &body)
            for item in items { append(item) }
        }
    }
}

enum Varint {
    @inline(__always) static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inline(__always) static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    @inline(__always) static func append(_ v: UInt64, to out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

// MARK: - Decoding

struct BatchDecoder {
    private let p: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var fieldNames: [String] = []
    private var strings: [EventValue] = []
    private var hosts: [String] = []

    private typealias Fields = [String: EventValue]
    /// Per schema: a dictionary holding every field of the schema (values null), and where each field's
    /// value sits in it (`slots[slotStart[s]..<slotStart[s + 1]]`). Events copy their schema's dictionary
    /// and fill the values in place, with no hashing per field.
    private var templates: [Fields] = []
    private var slots: [Fields.Index] = []
    private var slotStart: [Int] = [0]

    init(_ buffer: UnsafeBufferPointer<UInt8>) { p = buffer }

    private func fail(_ message: String, at offset: Int? = nil) -> EventBatchError {
        EventBatchError(offset: offset ?? i, message: message)
    }

    private var remaining: Int { p.count - i }

    @inline(__always) private mutating func varint() throws(EventBatchError) -> UInt64 {
        guard i < p.count else { throw fail("truncated number") }
        let first = p[i]
        if first < 0x80 { i += 1; return UInt64(first) }
        return try longVarint()
    }

    private mutating func longVarint() throws(EventBatchError) -> UInt64 {
        let start = i
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < p.count else { throw fail("truncated number", at: start) }
            let b = p[i]
            i += 1
            if shift == 63, b > 1 { throw fail("number too large", at: start) }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw fail("number too long", at: start) }
        }
    }

    /// A count of things that take at least `bytesEach` bytes each: never more than the rest of the blob holds.
    @inline(__always) private mutating func count(_ what: @autoclosure () -> String, bytesEach: Int = 1) throws(EventBatchError) -> Int {
        let at = i
        let v = try varint()
        let limit = remaining / bytesEach
        guard v <= UInt64(limit) else {
            throw fail("\(what()) \(v) is more than the \(remaining) bytes left can hold", at: at)
        }
        return Int(v)
    }

    /// A host reference: 0 for none, else a string index + 1.
    @inline(__always) private mutating func hostReference(_ stringCount: Int) throws(EventBatchError) -> Int {
        let at = i
        let v = try varint()
        guard v <= UInt64(stringCount) else { throw fail("host index \(v) is out of range (there are \(stringCount) strings)", at: at) }
        return Int(v)
    }

    /// An index that must be below `count`.
    @inline(__always) private mutating func index(below count: Int, _ what: @autoclosure () -> String) throws(EventBatchError) -> Int {
        let at = i
        let v = try varint()
        guard v < UInt64(max(0, count)) else { throw fail("\(what()) \(v) is out of range (there are \(count))", at: at) }
        return Int(v)
    }

    private mutating func string(_ what: String) throws(EventBatchError) -> String {
        let length = try count("length of \(what)")
        let at = i
        let bytes = UnsafeBufferPointer(rebasing: p[i..<(i + length)])
        if let base = bytes.baseAddress, JSONLineParser.invalidUTF8(base, 0, length) != nil {
            throw fail("\(what) is not valid UTF-8", at: at)
        }
        i += length
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func decode() throws(EventBatchError) -> [EncodedEvent] {
        guard p.count >= 5, p[0] == 0x55, p[1] == 0x43, p[2] == 0x45, p[3] == 0x42 else {
            throw fail("not an event batch (the magic \"UCEB\" is missing)", at: 0)
        }
        guard p[4] == EventBatchCodec.version else { throw fail("unsupported version \(p[4])", at: 4) }
        i = 5
        let fieldCount = try count("field name count")
        fieldNames.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount { fieldNames.append(try string("field name")) }
        let stringCount = try count("string count")
        strings.reserveCapacity(stringCount)
        hosts.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let s = try string("string")
            strings.append(.string(s))
            hosts.append(s)
        }
        let schemaCount = try count("schema count")
        templates.reserveCapacity(schemaCount)
        slotStart.reserveCapacity(schemaCount + 1)
        for _ in 0..<schemaCount {
            let k = try count("schema size")
            var template = Fields(minimumCapacity: k)
            var names: [String] = []
            names.reserveCapacity(k)
            for _ in 0..<k {
                let name = fieldNames[try index(below: fieldCount, "field index")]
                template[name] = .null
                names.append(name)
            }
            for name in names {
                guard let index = template.index(forKey: name) else { throw fail("schema could not be built") }
                slots.append(index)
            }
            templates.append(template)
            slotStart.append(slots.count)
        }
        // Every event takes at least 4 bytes.
        let eventCount = try count("event count", bytesEach: 4)
        var events: [EncodedEvent] = []
        events.reserveCapacity(eventCount)
        var previous: Int64 = 0
        for _ in 0..<eventCount {
            let time = previous &+ Varint.unzigzag(try varint())
            let received = time &+ Varint.unzigzag(try varint())
            previous = time
            let hostRef = try hostReference(stringCount)
            let s = try index(below: schemaCount, "schema index")
            var fields = templates[s]
            var k = slotStart[s]
            let slotEnd = slotStart[s + 1]
            while k < slotEnd {
                fields.values[slots[k]] = try value(depth: 0)
                k += 1
            }
            events.append(EncodedEvent(time: EventBatchCodec.date(micros: time),
                                       receivedAt: EventBatchCodec.date(micros: received),
                                       host: hostRef == 0 ? nil : hosts[hostRef - 1],
                                       event: FlatEvent(fields: fields)))
        }
        guard i == p.count else { throw fail("\(p.count - i) trailing bytes after the last event") }
        return events
    }

    @inline(__always) private mutating func value(depth: Int) throws(EventBatchError) -> EventValue {
        guard i < p.count else { throw fail("truncated value") }
        let tag = p[i]
        i += 1
        switch tag {
        case 5:
            let at = i
            let v = try varint()
            guard v < UInt64(strings.count) else { throw fail("string index \(v) is out of range (there are \(strings.count))", at: at) }
            return strings[Int(v)]
        case 3: return .int(Varint.unzigzag(try varint()))
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 4:
            guard remaining >= 8 else { throw fail("truncated double") }
            let bits = UInt64(littleEndian: UnsafeRawBufferPointer(p).loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
            return .double(Double(bitPattern: bits))
        case 6:
            return try array(depth: depth)
        default:
            throw fail("unknown value tag \(tag)", at: i - 1)
        }
    }

    private mutating func array(depth: Int) throws(EventBatchError) -> EventValue {
        guard depth < EventBatchCodec.maxArrayDepth else { throw fail("arrays nested deeper than \(EventBatchCodec.maxArrayDepth)") }
        let count = try count("array length")
        var items: [EventValue] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try value(depth: depth + 1)) }
        return .array(items)
    }
}
