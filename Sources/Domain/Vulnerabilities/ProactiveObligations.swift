import Crypto
import Foundation

/// The proactive duties of Directive 18/CT-TTg (domain.md §9.2 workflows C and D, §9.3).
public enum ProactiveDuty: String, CaseIterable, Codable, Sendable {
    /// An operating system needs a completed vulnerability scan (rà quét lỗ hổng) every `scanIntervalMonths`.
    case scanOverdue = "SCAN_OVERDUE"
    /// An operating system needs a completed threat hunt (săn lùng mối nguy hại) every `huntIntervalMonths`.
    case huntOverdue = "HUNT_OVERDUE"
    /// Open findings of a system must be remediated within the days their severity allows.
    case findingsOverdue = "FINDINGS_OVERDUE"
    /// A system a warning of a competent authority affects must be remediated by the warning's deadline.
    case warningRemediationDue = "WARNING_REMEDIATION_DUE"

    /// `system`, or `warning_system` for one warning × one affected system.
    public var subjectKind: String {
        switch self {
        case .scanOverdue, .huntOverdue, .findingsOverdue: ProactiveObligations.systemSubjectKind
        case .warningRemediationDue: ProactiveObligations.warningSystemSubjectKind
        }
    }
}

/// An open finding as the remediation duty sees it.
public struct OpenFindingFact: Sendable, Equatable {
    public var severity: FindingSeverity
    /// Remediation deadline (``FindingLifecycle/remediationDeadline(firstSeen:severity:rules:)``); nil: none.
    public var dueAt: Date?

    public init(severity: FindingSeverity, dueAt: Date?) {
        self.severity = severity
        self.dueAt = dueAt
    }
}

/// What the scan, hunt and findings duties read about one system.
public struct SystemProactiveFacts: Sendable, Equatable {
    public var systemId: UUID
    public var agencyId: UUID?
    public var lifecycle: LifecycleStatus
    public var goLiveDate: Date?
    /// When the system was recorded in the platform (the start of the first period when it has no go-live date).
    public var createdAt: Date?
    /// End of the latest completed vulnerability scan.
    public var lastScanAt: Date?
    /// End of the latest completed threat hunt.
    public var lastHuntAt: Date?
    /// Findings with status open or in progress (fixed ones wait for verification and are not late).
    public var openFindings: [OpenFindingFact]

    public init(systemId: UUID, agencyId: UUID? = nil, lifecycle: LifecycleStatus, goLiveDate: Date? = nil, createdAt: Date? = nil,
                lastScanAt: Date? = nil, lastHuntAt: Date? = nil, openFindings: [OpenFindingFact] = []) {
        self.systemId = systemId
        self.agencyId = agencyId
        self.lifecycle = lifecycle
        self.goLiveDate = goLiveDate
        self.createdAt = createdAt
        self.lastScanAt = lastScanAt
        self.lastHuntAt = lastHuntAt
        self.openFindings = openFindings
    }

    /// The deadlines of the open findings that have one.
    public var openFindingDeadlines: [Date] { openFindings.compactMap(\.dueAt) }
}

/// What the warning duty reads about one warning and one system it affects (a `warning_systems` row).
public struct WarningRemediationFacts: Sendable, Equatable {
    /// The `warning_systems` row, used as the subject id; nil: derived from the warning and the system
    /// (``ProactiveObligations/warningSystemSubjectId(warningId:systemId:)``).
    public var id: UUID?
    public var warningId: UUID
    public var systemId: UUID
    /// The system's agency.
    public var agencyId: UUID?
    /// Number and date of the warning, e.g. "Công văn 123/CATTT-NCSC ngày 01/10/2026", for the explanation.
    public var reference: String?
    /// The deadline the warning sets; nil when it sets none.
    public var deadline: Date?
    /// When the warning reached this system's agency (its issue date, or when the system was matched if later):
    /// the start of the default period when the warning sets no deadline.
    public var receivedAt: Date?
    public var acknowledgedAt: Date?
    public var remediatedAt: Date?
    /// The agency showed the system is not affected.
    public var notAffected: Bool

    public init(id: UUID? = nil, warningId: UUID, systemId: UUID, agencyId: UUID?, reference: String? = nil, deadline: Date?,
                receivedAt: Date? = nil, acknowledgedAt: Date? = nil, remediatedAt: Date? = nil, notAffected: Bool = false) {
        self.id = id
        self.warningId = warningId
        self.systemId = systemId
        self.agencyId = agencyId
        self.reference = reference
        self.deadline = deadline
        self.receivedAt = receivedAt
        self.acknowledgedAt = acknowledgedAt
        self.remediatedAt = remediatedAt
        self.notAffected = notAffected
    }

    public var subjectId: UUID { id ?? ProactiveObligations.warningSystemSubjectId(warningId: warningId, systemId: systemId) }
}

/// The proactive duties as pure functions of the facts and the time (Vietnam calendar days).
///
/// A system never scanned (hunted) counts its first period from its go-live date, else from when it was recorded,
/// but not from before `firstPeriodFrom` (the directive's date): it is "not yet due" until that start plus the
/// interval, due soon in the last `dueSoonDays`, overdue after. A system live longer than the interval with no scan
/// is therefore overdue at once, and a newly live one gets a full period for its first scan.
public enum ProactiveObligations {
    public static let systemSubjectKind = "system"
    public static let warningSystemSubjectKind = "warning_system"

    typealias Outcome = DutyOutcome

    private static func text(_ vi: String, _ en: String) -> LocalizedText { LocalizedText(vi: vi, en: en) }
    private static func day(_ date: Date) -> String { DisplayTime.date(date) }

    private static func occurrence(_ duty: ProactiveDuty, subjectId: UUID, agencyId: UUID?, _ o: Outcome,
                                   _ rules: ProactiveObligationRules) -> ObligationOccurrence {
        o.occurrence(dutyId: duty.rawValue, subjectKind: duty.subjectKind, subjectId: subjectId, agencyId: agencyId,
                     definition: rules.duties[duty.rawValue], header: rules.header)
    }

    // MARK: systems

    /// SCAN_OVERDUE, HUNT_OVERDUE and FINDINGS_OVERDUE for one system, in that order.
    public static func evaluate(system f: SystemProactiveFacts, rules: ProactiveObligationRules, now: Date) -> [ObligationOccurrence] {
        [occurrence(.scanOverdue, subjectId: f.systemId, agencyId: f.agencyId, periodic(.vulnerabilityScan, f, rules, now), rules),
         occurrence(.huntOverdue, subjectId: f.systemId, agencyId: f.agencyId, periodic(.threatHunt, f, rules, now), rules),
         occurrence(.findingsOverdue, subjectId: f.systemId, agencyId: f.agencyId, findings(f, rules, now), rules)]
    }

    /// Every duty for many systems and warnings at once.
    public static func evaluate(systems: [SystemProactiveFacts], warnings: [WarningRemediationFacts], rules: ProactiveObligationRules,
                                now: Date) -> [ObligationOccurrence] {
        systems.flatMap { evaluate(system: $0, rules: rules, now: now) } + warnings.map { evaluate(warning: $0, rules: rules, now: now) }
    }

    static func lifecycleLabel(_ status: LifecycleStatus) -> LocalizedText {
        switch status {
        case .planned: text("đang lập kế hoạch", "planned")
        case .building: text("đang xây dựng", "being built")
        case .operating: text("đang vận hành", "operating")
        case .retired: text("đã ngừng vận hành", "retired")
        }
    }

    /// Where the first period of a system never scanned (hunted) starts, and what that date is.
    static func firstPeriodStart(_ f: SystemProactiveFacts, _ rules: ProactiveObligationRules) -> (date: Date, what: LocalizedText) {
        let floor = rules.firstPeriodFromDate
        let directive = text("ngày bắt đầu áp dụng \(day(floor))", "the start of the duty on \(day(floor))")
        if let goLive = f.goLiveDate {
            return goLive > floor ? (goLive, text("ngày đưa vào vận hành \(day(goLive))", "the go-live date \(day(goLive))")) : (floor, directive)
        }
        if let created = f.createdAt {
            return created > floor
                ? (created, text("ngày ghi nhận hệ thống \(day(created)) (chưa có ngày đưa vào vận hành)",
                                 "the day the system was recorded, \(day(created)) (no go-live date)"))
                : (floor, directive)
        }
        return (floor, directive)
    }

    static func periodic(_ kind: AssessmentKind, _ f: SystemProactiveFacts, _ rules: ProactiveObligationRules, _ now: Date) -> Outcome {
        guard rules.lifecycleStates.contains(f.lifecycle) else {
            let l = lifecycleLabel(f.lifecycle)
            return Outcome(state: .notApplicable,
                           explanation: text("Không áp dụng với hệ thống \(l.vi).", "Does not apply to a system that is \(l.en)."))
        }
        let months = rules.intervalMonths(kind)
        let activity = kind == .vulnerabilityScan ? text("rà quét lỗ hổng", "vulnerability scan") : text("săn lùng mối nguy hại", "threat hunt")
        let period = text("tối thiểu 01 lần/\(months) tháng", "at least once every \(months) months")
        let last = kind == .vulnerabilityScan ? f.lastScanAt : f.lastHuntAt
        if let last {
            let due = ObligationCalendar.adding(months: months, to: last)
            let state = ObligationEngine.state(dueAt: due, now: now, dueSoonDays: rules.dueSoonDays)
            let when = state == .overdue
                ? text("đã quá hạn (hạn ngày \(day(due)))", "overdue (due on \(day(due)))")
                : text("lần tiếp theo đến hạn ngày \(day(due))", "the next is due on \(day(due))")
            return Outcome(
                state: state, dueAt: due, evidence: day(last),
                explanation: text("Lần \(activity.vi) gần nhất hoàn thành ngày \(day(last)); \(when.vi) (\(period.vi)).",
                                  "Last \(activity.en) completed on \(day(last)); \(when.en) (\(period.en))."))
        }
        let start = firstPeriodStart(f, rules)
        let due = ObligationCalendar.adding(months: months, to: start.date)
        let state = ObligationEngine.state(dueAt: due, now: now, dueSoonDays: rules.dueSoonDays)
        let when = state == .overdue
            ? text("đã quá hạn (hạn ngày \(day(due)))", "overdue (due on \(day(due)))")
            : text("lần đầu phải thực hiện trước ngày \(day(due))", "the first is due by \(day(due))")
        return Outcome(
            state: state, dueAt: due,
            explanation: text("Chưa ghi nhận lần \(activity.vi) nào; kỳ đầu tính từ \(start.what.vi), \(when.vi) (\(period.vi)).",
                              "No \(activity.en) is recorded; the first period runs from \(start.what.en), \(when.en) (\(period.en))."))
    }

    static func severityLabel(_ s: FindingSeverity) -> LocalizedText {
        switch s {
        case .critical: text("nghiêm trọng", "critical")
        case .high: text("cao", "high")
        case .medium: text("trung bình", "medium")
        case .low: text("thấp", "low")
        case .info: text("thông tin", "info")
        }
    }

    /// "2 nghiêm trọng, 1 cao" / "2 critical, 1 high", gravest first.
    static func bySeverity(_ findings: [OpenFindingFact]) -> LocalizedText {
        var counts: [FindingSeverity: Int] = [:]
        for f in findings { counts[f.severity, default: 0] += 1 }
        let parts = FindingSeverity.allCases.sorted(by: >).compactMap { s in counts[s].map { (s, $0) } }
        return text(parts.map { "\($0.1) \(severityLabel($0.0).vi)" }.joined(separator: ", "),
                    parts.map { "\($0.1) \(severityLabel($0.0).en)" }.joined(separator: ", "))
    }

    static func findings(_ f: SystemProactiveFacts, _ rules: ProactiveObligationRules, _ now: Date) -> Outcome {
        if f.lifecycle == .retired {
            return Outcome(state: .notApplicable, explanation: text("Hệ thống đã ngừng vận hành.", "The system is retired."))
        }
        let open = f.openFindings
        guard let earliest = f.openFindingDeadlines.min() else {
            if open.isEmpty {
                return Outcome(state: .met, evidence: "0",
                               explanation: text("Không có lỗ hổng nào chưa khắc phục.", "No open findings."))
            }
            return Outcome(state: .met, evidence: "0",
                           explanation: text("Có \(open.count) lỗ hổng mức thông tin chưa xử lý, không có thời hạn khắc phục.",
                                             "\(open.count) informational findings are open; they have no remediation deadline."))
        }
        let late = open.filter { $0.dueAt.map { ObligationEngine.state(dueAt: $0, now: now, dueSoonDays: rules.dueSoonDays) == .overdue } ?? false }
        let soon = open.filter { $0.dueAt.map { ObligationEngine.state(dueAt: $0, now: now, dueSoonDays: rules.dueSoonDays) == .dueSoon } ?? false }
        let state = ObligationEngine.state(dueAt: earliest, now: now, dueSoonDays: rules.dueSoonDays)
        switch state {
        case .overdue:
            let s = bySeverity(late)
            return Outcome(
                state: .overdue, dueAt: earliest, evidence: String(late.count),
                explanation: text("\(late.count) lỗ hổng đã quá thời hạn khắc phục (\(s.vi)); hạn sớm nhất ngày \(day(earliest)). Tổng số lỗ hổng chưa khắc phục: \(open.count).",
                                  "\(late.count) findings are past their remediation deadline (\(s.en)); the earliest was due on \(day(earliest)). Open findings: \(open.count)."))
        case .dueSoon:
            let s = bySeverity(soon)
            return Outcome(
                state: .dueSoon, dueAt: earliest, evidence: "0",
                explanation: text("\(soon.count) lỗ hổng sắp đến hạn khắc phục (\(s.vi)); hạn sớm nhất ngày \(day(earliest)). Tổng số lỗ hổng chưa khắc phục: \(open.count).",
                                  "\(soon.count) findings are due for remediation soon (\(s.en)); the earliest on \(day(earliest)). Open findings: \(open.count)."))
        default:
            return Outcome(
                state: .met, dueAt: earliest, evidence: "0",
                explanation: text("\(open.count) lỗ hổng chưa khắc phục, trong thời hạn; hạn sớm nhất ngày \(day(earliest)).",
                                  "\(open.count) open findings, all within their deadlines; the earliest is due on \(day(earliest))."))
        }
    }

    // MARK: warnings

    /// The subject id of one warning × one system when no `warning_systems` row id is at hand: a name-based UUID
    /// (version 5 layout, SHA-256 truncated) of the two ids, stable across runs.
    public static func warningSystemSubjectId(warningId: UUID, systemId: UUID) -> UUID {
        let name = "warning_system:\(warningId.uuidString.lowercased()):\(systemId.uuidString.lowercased())"
        var b = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        b[6] = (b[6] & 0x0f) | 0x50
        b[8] = (b[8] & 0x3f) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// The deadline that applies: the warning's, else receipt + `warningDefaultRemediationDays`; nil when neither.
    public static func warningDeadline(_ f: WarningRemediationFacts, rules: ProactiveObligationRules) -> (date: Date, fromWarning: Bool)? {
        if let deadline = f.deadline { return (deadline, true) }
        guard let received = f.receivedAt, let days = rules.warningDefaultRemediationDays else { return nil }
        return (ObligationCalendar.adding(days: days, to: received), false)
    }

    /// WARNING_REMEDIATION_DUE for one warning × one affected system (subject kind `warning_system`).
    public static func evaluate(warning f: WarningRemediationFacts, rules: ProactiveObligationRules, now: Date) -> ObligationOccurrence {
        occurrence(.warningRemediationDue, subjectId: f.subjectId, agencyId: f.agencyId, warning(f, rules, now), rules)
    }

    static func warning(_ f: WarningRemediationFacts, _ rules: ProactiveObligationRules, _ now: Date) -> Outcome {
        let ref = f.reference.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        let name = ref.map { text("cảnh báo của cơ quan chức năng (\($0))", "the competent authority's warning (\($0))") }
            ?? text("cảnh báo của cơ quan chức năng", "the competent authority's warning")
        if f.notAffected {
            return Outcome(state: .notApplicable,
                           explanation: text("Đơn vị đã xác định hệ thống không bị ảnh hưởng bởi \(name.vi).",
                                             "The agency established that the system is not affected by \(name.en)."))
        }
        let deadline = warningDeadline(f, rules: rules)
        let whose = deadline.map { $0.fromWarning ? text("theo cảnh báo", "set by the warning") : text("mặc định \(rules.warningDefaultRemediationDays ?? 0) ngày kể từ khi nhận", "by default, \(rules.warningDefaultRemediationDays ?? 0) days from receipt") }
        if let done = f.remediatedAt {
            if let deadline, ObligationCalendar.calendar.startOfDay(for: done) > ObligationCalendar.calendar.startOfDay(for: deadline.date) {
                return Outcome(state: .met, dueAt: deadline.date, evidence: day(done),
                               explanation: text("Đã khắc phục theo \(name.vi) ngày \(day(done)), sau thời hạn \(day(deadline.date)).",
                                                 "Remediated per \(name.en) on \(day(done)), after the deadline of \(day(deadline.date))."))
            }
            return Outcome(state: .met, dueAt: deadline?.date, evidence: day(done),
                           explanation: text("Đã khắc phục theo \(name.vi) ngày \(day(done)).", "Remediated per \(name.en) on \(day(done))."))
        }
        let acknowledged = f.acknowledgedAt.map { text(" Đơn vị đã tiếp nhận ngày \(day($0)).", " The agency acknowledged it on \(day($0)).") }
            ?? text(" Đơn vị chưa xác nhận đã tiếp nhận.", " The agency has not acknowledged it.")
        guard let deadline, let whose else {
            return Outcome(state: .met,
                           explanation: text("Hệ thống bị ảnh hưởng bởi \(name.vi), chưa khắc phục; cảnh báo không nêu thời hạn.\(acknowledged.vi)",
                                             "The system is affected by \(name.en) and not yet remediated; the warning sets no deadline.\(acknowledged.en)"))
        }
        let state = ObligationEngine.state(dueAt: deadline.date, now: now, dueSoonDays: rules.dueSoonDays)
        let explanation = state == .overdue
            ? text("Hệ thống bị ảnh hưởng bởi \(name.vi) nhưng chưa khắc phục; đã quá thời hạn \(day(deadline.date)) (\(whose.vi)).\(acknowledged.vi)",
                   "The system is affected by \(name.en) and not remediated; the deadline of \(day(deadline.date)) (\(whose.en)) has passed.\(acknowledged.en)")
            : text("Hệ thống bị ảnh hưởng bởi \(name.vi); phải khắc phục trước ngày \(day(deadline.date)) (\(whose.vi)).\(acknowledged.vi)",
                   "The system is affected by \(name.en); it must be remediated by \(day(deadline.date)) (\(whose.en)).\(acknowledged.en)")
        return Outcome(state: state, dueAt: deadline.date, explanation: explanation)
    }
}
