import Foundation
import Domain
import Formats

/// The province overview of scans and hunts (`/proactive`) and its JSON twin.
enum ProactiveOverview {
    struct Filters: Sendable {
        var agencyId: UUID?
        var onlyOverdue = false
        /// The half-year whose completed scans and hunts are counted (and reported).
        var period: ProactiveReportPeriod
    }

    /// The latest completed scan or hunt of a system.
    struct Activity: Sendable {
        var id: UUID
        var at: Date
        var performerKind: String
        var performer: String
    }

    struct Row: Sendable {
        var systemId: UUID
        var code: String
        var name: String
        var agencyId: UUID
        var lifecycle: LifecycleStatus
        /// Approved level, when there is one.
        var level: Int?
        var lastScan: Activity?
        var lastHunt: Activity?
        var scanDuty: Obligation?
        var huntDuty: Obligation?
        var findingsDuty: Obligation?
        /// Open or in-progress findings by severity.
        var openBySeverity: [FindingSeverity: Int]
        /// Open findings past their remediation deadline.
        var overdueFindings: Int
        /// Completed scans and hunts that ended within the selected half-year.
        var scansInPeriod: Int
        var huntsInPeriod: Int

        var inDuty: Bool { scanDuty.map { $0.state != .notApplicable } ?? false }
        var anyOverdue: Bool { [scanDuty, huntDuty, findingsDuty].contains { $0?.state == .overdue } }
        var openFindings: Int { openBySeverity.values.reduce(0, +) }
        /// A completed activity within its interval (the duty is not overdue and rests on a recorded date).
        var scannedWithinInterval: Bool { inDuty && lastScan != nil && scanDuty?.state != .overdue }
        var huntedWithinInterval: Bool { inDuty && lastHunt != nil && huntDuty?.state != .overdue }
    }

    struct AgencyGroup: Sendable {
        var agencyId: UUID
        var name: String
        var rows: [Row]
    }

    struct Summary: Sendable {
        var systems = 0
        var inDuty = 0
        var scannedWithinInterval = 0
        var huntedWithinInterval = 0
        var scanStates: [ObligationState: Int] = [:]
        var huntStates: [ObligationState: Int] = [:]
        var findingsStates: [ObligationState: Int] = [:]
        var neverScanned = 0
        var neverHunted = 0
        var openFindings = 0
        var overdueFindings = 0
        var scansInPeriod = 0
        var huntsInPeriod = 0

        static func percent(_ part: Int, of whole: Int) -> Int { whole == 0 ? 0 : Int((Double(part) * 100 / Double(whole)).rounded()) }
        var scannedPercent: Int { Self.percent(scannedWithinInterval, of: inDuty) }
        var huntedPercent: Int { Self.percent(huntedWithinInterval, of: inDuty) }

        mutating func add(_ r: Row) {
            systems += 1
            openFindings += r.openFindings
            overdueFindings += r.overdueFindings
            scansInPeriod += r.scansInPeriod
            huntsInPeriod += r.huntsInPeriod
            if let s = r.findingsDuty?.state { findingsStates[s, default: 0] += 1 }
            guard r.inDuty else { return }
            inDuty += 1
            if r.scannedWithinInterval { scannedWithinInterval += 1 }
            if r.huntedWithinInterval { huntedWithinInterval += 1 }
            if r.lastScan == nil { neverScanned += 1 }
            if r.lastHunt == nil { neverHunted += 1 }
            if let s = r.scanDuty?.state { scanStates[s, default: 0] += 1 }
            if let s = r.huntDuty?.state { huntStates[s, default: 0] += 1 }
        }
    }

    struct Model: Sendable {
        var filters: Filters
        /// Agencies the reader may choose in the filter (tree order).
        var agencyChoices: [(id: UUID, name: String, depth: Int)]
        /// Agencies with their systems; with "only overdue", only the systems with an overdue duty.
        var groups: [AgencyGroup]
        /// Figures over every system under the agency filter (not only the overdue ones).
        var summary: Summary
        /// Interval months of the rules in force, for the captions.
        var scanMonths: Int
        var huntMonths: Int
    }
}
