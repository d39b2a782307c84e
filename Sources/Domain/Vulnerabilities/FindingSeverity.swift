import Foundation

/// Severity of a vulnerability finding, normalised across scanners.
public enum FindingSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// CVSS v3/v4 qualitative rating of a base score (0 is "none", kept as info).
    public static func fromCVSS(_ score: Double) -> FindingSeverity {
        switch score {
        case 9.0...: .critical
        case 7.0..<9.0: .high
        case 4.0..<7.0: .medium
        case 0.1..<4.0: .low
        default: .info
        }
    }

    /// Words scanners use ("Critical", "High", "Medium", "Moderate", "Low", "Info", "Informational",
    /// "None", "Log", "Note", "Warning", "Error", "Unknown"); nil when none applies.
    public static func fromWord(_ word: String) -> FindingSeverity? {
        switch word.trimmingCharacters(in: .whitespaces).lowercased() {
        case "critical", "urgent": .critical
        case "high", "error", "important": .high
        case "medium", "moderate", "warning": .medium
        case "low", "note": .low
        case "info", "informational", "information", "none", "log", "debug", "unknown", "negligible": .info
        default: nil
        }
    }
}
