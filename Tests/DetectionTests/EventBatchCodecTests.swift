import Foundation
import Testing
@testable import Detection

@Suite("Event batch codec")
struct EventBatchCodecTests {
    /// A date that survives the codec exactly (whole microseconds).
    private func date(micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    private var sample: [EncodedEvent] {
        [
            EncodedEvent(time: date(micros: 1_553_038_465_210_585), receivedAt: date(micros: 1_553_038_466_000_000), host: "IEWIN7",
                         event: FlatEvent(fields: ["EventID": .int(4688), "Channel": .string("Security"), "CommandLine": .string("cmd.exe /c whoami"),
                                                   "Level": .int(0), "Score": .double(-0.25), "Elevated": .bool(true), "Empty": .null,
                                                   "List": .array([.string("a"), .int(-1), .array([.bool(false), .null, .double(1e300)])])])),
            EncodedEvent(time: date(micros: 1_553_038_465_000_001), receivedAt: date(micros: 1_553_038_466_000_000), host: nil,
                         event: FlatEvent(fields: ["EventID": .int(1), "Channel": .string("Security"), "Tên": .string("Sở Thông tin 😀")])),
            EncodedEvent(time: date(micros: -62_135_596_800_000_000), receivedAt: date(micros: 253_402_300_799_999_999), host: "",
                         event: FlatEvent()),
            EncodedEvent(time: date(micros: 0), receivedAt: date(micros: 0), host: "IEWIN7",
                         event: FlatEvent(fields: ["EventID": .int(Int64.min), "Channel": .string(""), "X": .int(Int64.max)])),
        ]
    }

    @Test func roundTripKeepsEveryTypeAndTime() throws {
        let events = sample
        let blob = EventBatchCodec.encode(events)
        #expect(Array(blob.prefix(5)) == Array("UCEB".utf8) + [1])
        #expect(try EventBatchCodec.decode(blob) == events)
        #expect(try EventBatchCodec.decode(EventBatchCodec.encode([])) == [])
    }

    @Test func timesAreKeptToTheMicrosecond() throws {
        let t = Date(timeIntervalSince1970: 1_700_000_000.123_456_7)
        let decoded = try EventBatchCodec.decode(EventBatchCodec.encode([EncodedEvent(time: t, receivedAt: t, host: nil, event: FlatEvent())]))
        #expect(abs(decoded[0].time.timeIntervalSince1970 - 1_700_000_000.123_457) < 1e-7)
    }

    @Test func fieldNamesAndRepeatedStringsAreStoredOnce() throws {
        let name = "AVeryLongFieldNameThatWouldCostALotIfRepeated"
        let value = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
        let events = (0..<100).map { k in
            EncodedEvent(time: date(micros: Int64(k)), receivedAt: date(micros: Int64(k)), host: "host",
                         event: FlatEvent(fields: [name: .string(value), "n": .int(Int64(k))]))
        }
        let blob = EventBatchCodec.encode(events)
        func occurrences(_ needle: String) -> Int {
            let n = Array(needle.utf8)
            return (0...(blob.count - n.count)).filter { Array(blob[$0..<($0 + n.count)]) == n }.count
        }
        #expect(occurrences(name) == 1)
        #expect(occurrences(value) == 1)
        #expect(blob.count < 1000)
        #expect(try EventBatchCodec.decode(blob) == events)
    }

    @Test func randomBatchesRoundTrip() throws {
        var rng = IngestRNG(seed: 2024)
        let names = ["EventID", "Image", "CommandLine", "TimeCreated_SystemTime", "a", "b.c", "Tên", "", "😀"]
        func value(_ depth: Int) -> EventValue {
            switch rng.next() % (depth < 3 ? 7 : 6) {
            case 0: return .string(String(repeating: names[Int(rng.next() % UInt64(names.count))], count: Int(rng.next() % 4)))
            case 1: return .int(Int64(bitPattern: rng.next()))
            case 2: return .double(Double(bitPattern: rng.next()).isNaN ? 0 : Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))
            case 3: return .bool(rng.next() % 2 == 0)
            case 4: return .null
            case 5: return .int(Int64(rng.next() % 300))
            default: return .array((0..<Int(rng.next() % 5)).map { _ in value(depth + 1) })
            }
        }
        for _ in 0..<200 {
            var events: [EncodedEvent] = []
            for _ in 0..<Int(rng.next() % 20) {
                var e = FlatEvent()
                for _ in 0..<Int(rng.next() % 10) { e[names[Int(rng.next() % UInt64(names.count))]] = value(0) }
                let t = Int64(rng.next() % 6_000_000_000_000_000) - 2_000_000_000_000_000 // 1906…2096
                events.append(EncodedEvent(time: date(micros: t), receivedAt: date(micros: t + Int64(rng.next() % 1_000_000_000)),
                                           host: rng.next() % 3 == 0 ? nil : names[Int(rng.next() % UInt64(names.count))], event: e))
            }
            #expect(try EventBatchCodec.decode(EventBatchCodec.encode(events)) == events)
        }
    }

    // MARK: damaged blobs

    @Test func everyTruncationIsRefused() {
        let blob = EventBatchCodec.encode(sample)
        for length in 0..<blob.count {
            #expect(throws: EventBatchError.self, "length \(length)") { try EventBatchCodec.decode(Array(blob[..<length])) }
        }
    }

    @Test func everySingleByteDamageIsRefusedOrDecodedNeverFatal() {
        let blob = EventBatchCodec.encode(sample)
        for position in 0..<blob.count {
            for replacement: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF, blob[position] ^ 0x10] {
                var damaged = blob
                damaged[position] = replacement
                _ = try? EventBatchCodec.decode(damaged)
            }
        }
    }

    @Test func randomBlobsNeverCrash() {
        var rng = IngestRNG(seed: 5)
        for _ in 0..<20_000 {
            var bytes = Array("UCEB".utf8) + [1]
            for _ in 0..<Int(rng.next() % 64) { bytes.append(UInt8(truncatingIfNeeded: rng.next() % 10 == 0 ? 0xFF : rng.next() % 8)) }
            _ = try? EventBatchCodec.decode(bytes)
        }
    }

    @Test func errorsNameTheOffsetAndTheProblem() {
        func error(_ bytes: [UInt8]) -> EventBatchError? {
            do { _ = try EventBatchCodec.decode(bytes); return nil } catch { return error }
        }
        let header = Array("UCEB".utf8) + [1]
        #expect(error([]) == EventBatchError(offset: 0, message: "not an event batch (the magic \"UCEB\" is missing)"))
        #expect(error(Array("UCEB".utf8) + [2]) == EventBatchError(offset: 4, message: "unsupported version 2"))
        // A field-name count larger than the blob could hold.
        #expect(error(header + [0xFF, 0xFF, 0x03]) == EventBatchError(offset: 5, message: "field name count 65535 is more than the 0 bytes left can hold"))
        // A varint that never ends, and one too large for 64 bits.
        #expect(error(header + [0x80, 0x80]) == EventBatchError(offset: 5, message: "truncated number"))
        #expect(error(header + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])?.message == "number too large")
        // A field name that is not UTF-8.
        #expect(error(header + [1, 2, 0xC3, 0x28, 0, 0, 0]) == EventBatchError(offset: 7, message: "field name is not valid UTF-8"))
        // No fields, no strings, one schema with field 0 that does not exist.
        #expect(error(header + [0, 0, 1, 1, 0, 0]) == EventBatchError(offset: 9, message: "field index 0 is out of range (there are 0)"))
        // An event pointing at a schema that does not exist.
        #expect(error(header + [0, 0, 0, 1, 0, 0, 0, 3]) == EventBatchError(offset: 12, message: "schema index 3 is out of range (there are 0)"))
        // Trailing bytes.
        var blob = EventBatchCodec.encode(sample)
        let end = blob.count
        blob.append(0)
        #expect(error(blob) == EventBatchError(offset: end, message: "1 trailing bytes after the last event"))
        #expect(EventBatchError(offset: 3, message: "x").description == "event batch damaged at byte 3: x")
    }

    @Test func unknownTagsAndDeepArraysAreRefused() throws {
        // One field "a", no strings, one schema [a], one event with value tag 9.
        let header = Array("UCEB".utf8) + [1, 1, 1, UInt8(ascii: "a"), 0, 1, 1, 0, 1, 0, 0, 0, 0]
        #expect(throws: EventBatchError(offset: 17, message: "unknown value tag 9")) { try EventBatchCodec.decode(header + [9]) }
        let deep = header + [UInt8](repeating: 6, count: 1) + Array(repeating: [1, 6], count: 40).flatMap { $0 } + [0]
        #expect(throws: EventBatchError.self) { try EventBatchCodec.decode(deep) }
        var nested: EventValue = .null
        for _ in 0..<EventBatchCodec.maxArrayDepth { nested = .array([nested]) }
        let ok = [EncodedEvent(time: date(micros: 0), receivedAt: date(micros: 0), host: nil, event: FlatEvent(fields: ["a": nested]))]
        #expect(try EventBatchCodec.decode(EventBatchCodec.encode(ok)) == ok)
        nested = .array([nested])
        let tooDeep = [EncodedEvent(time: date(micros: 0), receivedAt: date(micros: 0), host: nil, event: FlatEvent(fields: ["a": nested]))]
        #expect(throws: EventBatchError.self) { try EventBatchCodec.decode(EventBatchCodec.encode(tooDeep)) }
    }

    @Test func hugeCountsAreCappedByTheBytesLeft() {
        // An event count of 2^40 in a tiny blob must fail fast, not allocate.
        let blob = Array("UCEB".utf8) + [1, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]
        #expect(throws: EventBatchError.self) { try EventBatchCodec.decode(blob) }
        // An array claiming a billion elements.
        let array = Array("UCEB".utf8) + [1, 1, 1, UInt8(ascii: "a"), 0, 1, 1, 0, 1, 0, 0, 0, 0, 6, 0x80, 0x94, 0xEB, 0xDC, 0x03]
        #expect(throws: EventBatchError.self) { try EventBatchCodec.decode(array) }
    }
}
