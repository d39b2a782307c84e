import Foundation
import Domain

/// Language of a generated proactive report. The official document is Vietnamese; English gives a working
/// translation of the same content (the national title, motto and date line stay as Decree 30 writes them).
public enum ProactiveReportLanguage: String, Sendable, CaseIterable, Codable {
    case vi, en

    func pick(_ vi: String, _ en: String) -> String { self == .en ? en : vi }
}

/// A half-year reporting period: 01/01–30/06 or 01/07–31/12 of a year, in Vietnam time.
public struct ProactiveReportPeriod: Sendable, Equatable, Hashable, Codable {
    public enum Half: Int, Sendable, CaseIterable, Codable {
        case first = 1, second = 2
    }

    public var year: Int
    public var half: Half

    public init(year: Int, half: Half) {
        self.year = year
        self.half = half
    }

    /// The half-year that contains `date` (Vietnam time).
    public static func containing(_ date: Date) -> ProactiveReportPeriod {
        let parts = Decree30.dateParts(date)
        return ProactiveReportPeriod(year: parts.year, half: parts.month <= 6 ? .first : .second)
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Decree30.timeZone
        return calendar
    }

    /// Start of the first day.
    public var start: Date {
        Self.calendar.date(from: DateComponents(year: year, month: half == .first ? 1 : 7, day: 1))!
    }

    /// Start of the last day (30/06 or 31/12).
    public var lastDay: Date {
        Self.calendar.date(from: DateComponents(year: year, month: half == .first ? 6 : 12, day: half == .first ? 30 : 31))!
    }

    /// The first instant after the period.
    public var end: Date { Self.calendar.date(byAdding: .day, value: 1, to: lastDay)! }

    public func contains(_ date: Date?) -> Bool {
        guard let date else { return false }
        return date >= start && date < end
    }

    /// "6 tháng đầu năm 2026" / "the first half of 2026".
    public func label(_ language: ProactiveReportLanguage) -> String {
        switch (half, language) {
        case (.first, .vi): "6 tháng đầu năm \(year)"
        case (.second, .vi): "6 tháng cuối năm \(year)"
        case (.first, .en): "the first half of \(year)"
        case (.second, .en): "the second half of \(year)"
        }
    }

    /// "từ ngày 01/01/2026 đến ngày 30/06/2026" / "from 01/01/2026 to 30/06/2026".
    public func range(_ language: ProactiveReportLanguage) -> String {
        language.pick("từ ngày \(DisplayTime.date(start)) đến ngày \(DisplayTime.date(lastDay))",
                      "from \(DisplayTime.date(start)) to \(DisplayTime.date(lastDay))")
    }
}

/// One information system in the report.
public struct ProactiveReportSystemRow: Sendable, Equatable {
    /// The owning agency; rows are grouped by it (in the order agencies first appear).
    public var agencyName: String
    public var systemName: String
    /// Approved level 1–5; nil when not approved.
    public var level: Int?
    public var lastScanAt: Date?
    public var lastHuntAt: Date?
    /// Completed vulnerability scans whose end falls in the period.
    public var scansInPeriod: Int
    /// Completed threat hunts whose end falls in the period.
    public var huntsInPeriod: Int
    /// SCAN_OVERDUE and HUNT_OVERDUE at the report date; nil when not evaluated.
    public var scanState: ObligationState?
    public var huntState: ObligationState?
    /// Open findings (open or in progress) by severity at the report date.
    public var openFindings: [FindingSeverity: Int]
    /// Open findings past their remediation deadline.
    public var overdueFindings: Int

    public init(agencyName: String, systemName: String, level: Int? = nil, lastScanAt: Date? = nil, lastHuntAt: Date? = nil,
                scansInPeriod: Int = 0, huntsInPeriod: Int = 0, scanState: ObligationState? = nil, huntState: ObligationState? = nil,
                openFindings: [FindingSeverity: Int] = [:], overdueFindings: Int = 0) {
        self.agencyName = agencyName
        self.systemName = systemName
        self.level = level
        self.lastScanAt = lastScanAt
        self.lastHuntAt = lastHuntAt
        self.scansInPeriod = scansInPeriod
        self.huntsInPeriod = huntsInPeriod
        self.scanState = scanState
        self.huntState = huntState
        self.openFindings = openFindings
        self.overdueFindings = overdueFindings
    }

    /// Scanned in the period: a completed scan counted in it, or the last one falls in it.
    public func scanned(in period: ProactiveReportPeriod) -> Bool { scansInPeriod > 0 || period.contains(lastScanAt) }
    public func hunted(in period: ProactiveReportPeriod) -> Bool { huntsInPeriod > 0 || period.contains(lastHuntAt) }
    public var openFindingsTotal: Int { openFindings.values.reduce(0, +) }
}

/// One warning of a competent authority handled in the period.
public struct ProactiveReportWarningRow: Sendable, Equatable {
    public var title: String
    /// Issuer, number and date, e.g. "Công văn số 123/CATTT-NCSC ngày 01/10/2026 của Cục An toàn thông tin".
    public var reference: String?
    public var deadline: Date?
    /// Systems the warning affects (not counting those shown not affected).
    public var affectedSystems: Int
    /// Of those, remediated.
    public var remediated: Int

    public init(title: String, reference: String? = nil, deadline: Date? = nil, affectedSystems: Int, remediated: Int) {
        self.title = title
        self.reference = reference
        self.deadline = deadline
        self.affectedSystems = affectedSystems
        self.remediated = remediated
    }

    public var notRemediated: Int { max(0, affectedSystems - remediated) }
}

/// Figures of the report, computed from its rows.
public struct ProactiveReportSummary: Sendable, Equatable {
    public var systems: Int
    public var scanned: Int
    public var hunted: Int
    public var scanOverdue: Int
    public var huntOverdue: Int
    /// Systems overdue for a scan or a hunt (or both).
    public var anyOverdue: Int
    public var openFindings: [FindingSeverity: Int]
    public var overdueFindings: Int
    public var warnings: Int
    public var warningSystems: Int
    public var warningRemediated: Int
    public var warningNotRemediated: Int

    public init(systems: [ProactiveReportSystemRow], warnings: [ProactiveReportWarningRow], period: ProactiveReportPeriod) {
        self.systems = systems.count
        scanned = systems.filter { $0.scanned(in: period) }.count
        hunted = systems.filter { $0.hunted(in: period) }.count
        scanOverdue = systems.filter { $0.scanState == .overdue }.count
        huntOverdue = systems.filter { $0.huntState == .overdue }.count
        anyOverdue = systems.filter { $0.scanState == .overdue || $0.huntState == .overdue }.count
        var open: [FindingSeverity: Int] = [:]
        for row in systems { for (severity, count) in row.openFindings { open[severity, default: 0] += count } }
        openFindings = open
        overdueFindings = systems.map(\.overdueFindings).reduce(0, +)
        self.warnings = warnings.count
        warningSystems = warnings.map(\.affectedSystems).reduce(0, +)
        warningRemediated = warnings.map(\.remediated).reduce(0, +)
        warningNotRemediated = warnings.map(\.notRemediated).reduce(0, +)
    }

    public var openFindingsTotal: Int { openFindings.values.reduce(0, +) }
}

/// Everything the half-year report on vulnerability scanning and threat hunting shows (Directive 18/CT-TTg;
/// domain.md §9.4 item 1), as plain values. Both the .docx and the .xlsx come from it.
public struct ProactiveReportContent: Sendable, Equatable {
    public var issuer: ReportIssuer
    /// "Kính gửi" lines.
    public var addressees: [String]
    /// "Căn cứ …" sentences from rule data, in force on the report date.
    public var legalBasis: [String]
    public var period: ProactiveReportPeriod
    public var systems: [ProactiveReportSystemRow]
    public var warnings: [ProactiveReportWarningRow]
    /// Free text: how the activities were organised (tools, providers, coordination).
    public var overview: String?
    /// Free text: the reporting unit's assessment.
    public var assessment: String?
    /// Free text: proposals and recommendations.
    public var proposals: String?

    public init(issuer: ReportIssuer, addressees: [String] = [], legalBasis: [String] = [], period: ProactiveReportPeriod,
                systems: [ProactiveReportSystemRow] = [], warnings: [ProactiveReportWarningRow] = [], overview: String? = nil,
                assessment: String? = nil, proposals: String? = nil) {
        self.issuer = issuer
        self.addressees = addressees
        self.legalBasis = legalBasis
        self.period = period
        self.systems = systems
        self.warnings = warnings
        self.overview = overview
        self.assessment = assessment
        self.proposals = proposals
    }

    public var summary: ProactiveReportSummary { ProactiveReportSummary(systems: systems, warnings: warnings, period: period) }

    /// Rows grouped by agency, agencies in the order they first appear.
    public var systemsByAgency: [(agency: String, systems: [ProactiveReportSystemRow])] {
        var order: [String] = []
        var groups: [String: [ProactiveReportSystemRow]] = [:]
        for row in systems {
            let key = nonEmpty(row.agencyName) ?? ""
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }
}
