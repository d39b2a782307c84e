import Foundation

/// What every reader's events pass through before anyone stores them: values a database or JSON cannot hold
/// become nil. Report times outside 2000-01-01 … now + 1 day (`inf`, `1e20`, negative epochs) would trap
/// PostgreSQL's date encoding; CVSS scores that are not finite or not in 0…10 (NaN, `1e400`) cannot be
/// encoded as JSON.
struct SanitizedScanReader: ScanReportReader {
    var base: any ScanReportReader
    let latest = Date().addingTimeInterval(86_400)
    static let earliest = Date(timeIntervalSince1970: 946_684_800)

    mutating func next() throws -> ScanReportEvent? {
        switch try base.next() {
        case .info(var info)?:
            info.startedAt = plausible(info.startedAt)
            info.finishedAt = plausible(info.finishedAt)
            return .info(info)
        case .finding(var finding)?:
            if let score = finding.cvssScore, !(score.isFinite && (0...10).contains(score)) { finding.cvssScore = nil }
            return .finding(finding)
        case let other:
            return other
        }
    }

    func plausible(_ date: Date?) -> Date? {
        guard let date, date.timeIntervalSince1970.isFinite, date >= Self.earliest, date <= latest else { return nil }
        return date
    }
}
