import Foundation
import Testing
@testable import Detection

@Suite("Event time parsing")
struct EventTimeTests {
    private func seconds(_ text: String) -> Double? { EventTime.parse(text)?.timeIntervalSince1970 }

    @Test func evtxTimestampWithSevenFractionDigits() throws {
        let t = try #require(seconds("2019-03-19T23:34:25.2105850Z"))
        #expect(abs(t - 1_553_038_465.210585) < 1e-6)
    }

    @Test func fractionsOfOneToNineDigitsAndTenRefused() throws {
        #expect(try #require(seconds("2024-01-02T03:04:05.5Z")) == 1_704_164_645.5)
        let nine = try #require(seconds("2024-01-02T03:04:05.123456789Z"))
        #expect(abs(nine - 1_704_164_645.123456789) < 1e-6)
        #expect(seconds("2024-01-02T03:04:05.1234567891Z") == nil)
        #expect(seconds("2024-01-02T03:04:05.Z") == nil)
        #expect(try #require(seconds("2024-01-02T03:04:05,25Z")) == 1_704_164_645.25)
    }

    @Test func zonesShiftToUTCAndNoZoneMeansUTC() {
        let utc = 1_704_164_645.0 // 2024-01-02T03:04:05Z
        #expect(seconds("2024-01-02T03:04:05Z") == utc)
        #expect(seconds("2024-01-02T03:04:05z") == utc)
        #expect(seconds("2024-01-02T03:04:05") == utc)
        #expect(seconds("2024-01-02T10:04:05+07:00") == utc)
        #expect(seconds("2024-01-02T10:04:05+0700") == utc)
        #expect(seconds("2024-01-02T10:04:05+07") == utc)
        #expect(seconds("2024-01-01T21:34:05-05:30") == utc)
        #expect(seconds("2024-01-02T03:04:05+00:00") == utc)
    }

    @Test func spaceOrLowerCaseTSeparatesDateAndTime() {
        #expect(seconds("2024-01-02 03:04:05") == 1_704_164_645)
        #expect(seconds("2024-01-02t03:04:05Z") == 1_704_164_645)
        #expect(seconds("  2024-01-02 03:04:05.000  ") == 1_704_164_645)
    }

    @Test func dateAloneIsMidnightAndSecondsAreOptional() {
        #expect(seconds("2024-01-02") == 1_704_153_600)
        #expect(seconds("2024-01-02T03:04") == 1_704_164_640)
        #expect(seconds("2024-01-02T03:04+07:00") == 1_704_139_440)
    }

    @Test func rangesAreValidated() {
        for bad in ["2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
                    "2100-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z",
                    "2024-01-01T23:60:00Z", "2024-01-01T23:59:61Z", "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+05:60"] {
            #expect(seconds(bad) == nil, "\(bad)")
        }
        #expect(seconds("2024-02-29T00:00:00Z") != nil)
        #expect(seconds("2000-02-29T00:00:00Z") != nil)
    }

    @Test func leapSecondLandsOnTheNextMinute() {
        #expect(seconds("2016-12-31T23:59:60Z") == seconds("2017-01-01T00:00:00Z"))
    }

    @Test func malformedTextIsNil() {
        for bad in ["", " ", "2024", "2024-1-01", "2024-01-1T00:00:00Z", "2024/01/01 00:00:00", "2024-01-01T0:00:00Z",
                    "2024-01-01T00:00:00ZZ", "2024-01-01T00:00:00 UTC", "2024-01-01X00:00:00", "yesterday",
                    "2024-01-01T00:00:00+7", "١٩٧٠-01-01", "2024-01-01T00:00:00.5.5Z", "2024-01-01T00:00:00Z\u{0}"] {
            #expect(EventTime.parse(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test func earlyAndLateYears() {
        #expect(seconds("1970-01-01T00:00:00Z") == 0)
        #expect(seconds("1601-01-01T00:00:00Z") == -11_644_473_600)
        #expect(seconds("9999-12-31T23:59:59Z") == 253_402_300_799)
    }

    @Test func agreesWithFoundationOnRandomTimes() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var rng = IngestRNG(seed: 42)
        for _ in 0..<2000 {
            let t = Double(rng.next() % 8_000_000_000) - 2_000_000_000
            let date = Date(timeIntervalSince1970: t)
            let offsetMinutes = Int(rng.next() % 1680) - 840
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
            let text = formatter.string(from: date)
            #expect(EventTime.parse(text) == date, "\(text)")
        }
    }

    @Test func formattedTimesParseBackToTheMicrosecond() throws {
        var rng = IngestRNG(seed: 7)
        for _ in 0..<2000 {
            let micros = Int64(rng.next() % 5_000_000_000_000_000) - 1_000_000_000_000_000 // 1938…2096: Date holds whole microseconds there
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let text = EventTime.string(from: date)
            let back = try #require(EventTime.parse(text), "\(text)")
            #expect(Int64((back.timeIntervalSince1970 * 1_000_000).rounded()) == micros, "\(text)")
        }
        #expect(EventTime.string(from: Date(timeIntervalSince1970: 1_704_164_645)) == "2024-01-02T03:04:05Z")
        #expect(EventTime.string(from: Date(timeIntervalSince1970: 1_704_164_645.25)) == "2024-01-02T03:04:05.250000Z")
        #expect(EventTime.string(from: Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func flatEventTimeUsesTheParser() {
        let event = FlatEvent(fields: ["TimeCreated_SystemTime": .string("2019-03-19T23:34:25.2105850Z")])
        #expect(event.time != nil)
        #expect(FlatEvent(fields: ["time": .string("not a time")]).time == nil)
    }

    @Test func parsesConcurrently() async {
        await withTaskGroup(of: Bool.self) { group in
            for k in 0..<8 {
                group.addTask {
                    for m in 0..<5000 {
                        let second = (k + m) % 60
                        let text = "2024-01-02T03:04:\(second < 10 ? "0" : "")\(second).123Z"
                        guard EventTime.parse(text) != nil else { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}

/// A small deterministic generator for property tests.
struct IngestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
