import Domain
import Foundation
import Testing

@Suite struct DisplayTimeInstantTests {
    static let cases: [(String, String?)] = [
        ("2026-11-20T08:30", "2026-11-20T01:30:00Z"),
        ("20/11/2026 08:30", "2026-11-20T01:30:00Z"),
        ("2026-11-20T08:30:00+07:00", "2026-11-20T01:30:00Z"),
        ("2026-11-20T01:30:00Z", "2026-11-20T01:30:00Z"),
        ("2026-11-20T01:30:00.250Z", "2026-11-20T01:30:00Z"),
        ("01/01/2027 00:00", "2026-12-31T17:00:00Z"),
        ("31/02/2026 10:00", nil),
        ("2026-11-20T24:00", nil),
        ("2026-11-20", nil),
        ("yesterday", nil),
        ("", nil),
    ]

    @Test(arguments: cases)
    func parsesInstantsInVietnamTime(text: String, expected: String?) {
        let parsed = DisplayTime.parseInstant(text)
        if let expected {
            let want = ISO8601DateFormatter().date(from: expected)!
            #expect(parsed.map { abs($0.timeIntervalSince(want)) < 1 } == true, "\(text)")
        } else {
            #expect(parsed == nil, "\(text)")
        }
    }

    @Test func localInputRoundTrips() {
        let date = ISO8601DateFormatter().date(from: "2026-02-28T18:05:00Z")!
        #expect(DisplayTime.localInput(date) == "2026-03-01T01:05")
        #expect(DisplayTime.parseInstant(DisplayTime.localInput(date)) == date)
    }
}
