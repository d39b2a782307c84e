import Foundation

/// Where a duty stands for one subject.
public enum ObligationState: String, Codable, Sendable, CaseIterable {
    case met
    case dueSoon = "due_soon"
    case overdue
    case notApplicable = "not_applicable"
}

/// One duty of one subject (a system, an agency, a team, an incident) as evaluated at a moment.
public struct ObligationOccurrence: Codable, Sendable, Equatable {
    public var dutyId: String
    /// "system", "agency", … (later features add theirs).
    public var subjectKind: String
    public var subjectId: UUID
    public var agencyId: UUID?
    public var state: ObligationState
    public var dueAt: Date?
    /// What satisfied the duty (a date, a decision, a percentage), language-neutral.
    public var evidence: String?
    public var basis: [LegalBasis]
    public var title: LocalizedText
    public var explanation: LocalizedText
    public var ruleId: String
    public var ruleVersion: String

    public init(
        dutyId: String, subjectKind: String, subjectId: UUID, agencyId: UUID?, state: ObligationState,
        dueAt: Date?, evidence: String?, basis: [LegalBasis], title: LocalizedText, explanation: LocalizedText,
        ruleId: String, ruleVersion: String
    ) {
        self.dutyId = dutyId
        self.subjectKind = subjectKind
        self.subjectId = subjectId
        self.agencyId = agencyId
        self.state = state
        self.dueAt = dueAt
        self.evidence = evidence
        self.basis = basis
        self.title = title
        self.explanation = explanation
        self.ruleId = ruleId
        self.ruleVersion = ruleVersion
    }
}

/// A duty as a pure function of the facts about one subject and the time. Each feature adds rule sets
/// over its own facts (systems here; incidents, scans and teams later) and evaluates them with
/// ``ObligationEngine``.
public protocol ObligationRule<Facts>: Sendable {
    associatedtype Facts
    var dutyId: String { get }
    /// nil when the duty says nothing about this subject at all.
    func evaluate(_ facts: Facts, now: Date) -> ObligationOccurrence?
}

/// An obligation rule given by a closure.
public struct ObligationRuleFunction<Facts>: ObligationRule {
    public let dutyId: String
    private let body: @Sendable (Facts, Date) -> ObligationOccurrence?

    public init(_ dutyId: String, _ body: @escaping @Sendable (Facts, Date) -> ObligationOccurrence?) {
        self.dutyId = dutyId
        self.body = body
    }

    public func evaluate(_ facts: Facts, now: Date) -> ObligationOccurrence? { body(facts, now) }
}

public enum ObligationEngine {
    public static func evaluate<Facts>(_ rules: [any ObligationRule<Facts>], facts: Facts, now: Date) -> [ObligationOccurrence] {
        rules.compactMap { $0.evaluate(facts, now: now) }
    }

    /// Met before the due-soon window, due soon from `dueSoonDays` days before the due day up to and
    /// including the due day, overdue from the day after (days in Vietnam's time zone).
    public static func state(dueAt: Date, now: Date, dueSoonDays: Int) -> ObligationState {
        let calendar = ObligationCalendar.calendar
        let today = calendar.startOfDay(for: now)
        let dueDay = calendar.startOfDay(for: dueAt)
        if today > dueDay { return .overdue }
        let soonFrom = calendar.date(byAdding: .day, value: -dueSoonDays, to: dueDay) ?? dueDay
        return today >= soonFrom ? .dueSoon : .met
    }
}

/// Calendar arithmetic for duties: Gregorian, in Asia/Ho_Chi_Minh.
public enum ObligationCalendar {
    public static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DisplayTime.zone
        return calendar
    }

    public static func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date) ?? date
    }

    public static func adding(days: Int, to date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: date) ?? date
    }
}

/// Counts of occurrences by state, for dashboards.
public struct ObligationSummary: Sendable, Equatable {
    public private(set) var counts: [ObligationState: Int]

    public init(_ occurrences: [ObligationOccurrence] = []) {
        counts = [:]
        for occurrence in occurrences { counts[occurrence.state, default: 0] += 1 }
    }

    public subscript(_ state: ObligationState) -> Int { counts[state] ?? 0 }

    public var met: Int { self[.met] }
    public var dueSoon: Int { self[.dueSoon] }
    public var overdue: Int { self[.overdue] }
    public var notApplicable: Int { self[.notApplicable] }
    /// All occurrences counted, not applicable ones included.
    public var total: Int { counts.values.reduce(0, +) }
    /// Occurrences that apply (met, due soon or overdue).
    public var applicable: Int { met + dueSoon + overdue }

    public mutating func add(_ occurrence: ObligationOccurrence) {
        counts[occurrence.state, default: 0] += 1
    }
}

/// How a duty stands for one subject, before it is dressed as an ``ObligationOccurrence`` with the duty's title,
/// legal basis (the duty's own, else the rule file's) and rule version.
struct DutyOutcome {
    var state: ObligationState
    var dueAt: Date? = nil
    var evidence: String? = nil
    var explanation: LocalizedText

    func occurrence(dutyId: String, subjectKind: String, subjectId: UUID, agencyId: UUID?, definition: DutyDefinition?,
                    header: RuleFileHeader) -> ObligationOccurrence {
        let basis = definition.map(\.basis).flatMap { $0.isEmpty ? nil : $0 } ?? header.basis
        return ObligationOccurrence(
            dutyId: dutyId, subjectKind: subjectKind, subjectId: subjectId, agencyId: agencyId, state: state,
            dueAt: dueAt, evidence: evidence, basis: basis,
            title: definition?.title ?? LocalizedText(vi: dutyId, en: dutyId), explanation: explanation,
            ruleId: header.id, ruleVersion: header.version)
    }
}
