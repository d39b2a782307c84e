import Foundation

/// The duties of an information system (domain.md §9.3).
public enum SystemDuty: String, CaseIterable, Codable, Sendable {
    /// An operating system must have an approved level; a planned one before it goes live.
    case levelNotApproved = "LEVEL_NOT_APPROVED"
    /// The system must not go live before its level is approved (Directive 09).
    case goLiveBeforeApproval = "GOLIVE_BEFORE_APPROVAL"
    /// Facts changed after approval in a way that requires determining the level again (Art 18).
    case levelRedetermination = "LEVEL_REDETERMINATION"
    /// The level's security plan must be fully implemented (Directive 09).
    case planNotImplemented = "PLAN_NOT_IMPLEMENTED"
    /// Level 3+: periodic inspection and assessment (Directive 14).
    case assessmentOverdue = "ASSESSMENT_OVERDUE"
    /// Level 3+: the assessment must be independent of the monitoring/protection provider (Directive 14).
    case assessmentIndependent = "ASSESSMENT_INDEPENDENT"
}

/// What the system duties read about one system.
public struct SystemObligationFacts: Sendable, Equatable {
    public var systemId: UUID
    public var agencyId: UUID?
    public var lifecycle: LifecycleStatus
    public var goLiveDate: Date?
    public var approvedLevel: Int?
    public var approvedAt: Date?
    public var proposedLevel: Int?
    public var needsRedetermination: Bool
    /// Progress of the plan for the approved level; nil when none was recorded.
    public var plan: PlanProgress?
    public var lastPeriodicAssessment: Date?
    public var lastAssessmentIndependent: Bool?

    public init(
        systemId: UUID, agencyId: UUID? = nil, lifecycle: LifecycleStatus, goLiveDate: Date? = nil,
        approvedLevel: Int? = nil, approvedAt: Date? = nil, proposedLevel: Int? = nil,
        needsRedetermination: Bool = false, plan: PlanProgress? = nil, lastPeriodicAssessment: Date? = nil,
        lastAssessmentIndependent: Bool? = nil
    ) {
        self.systemId = systemId
        self.agencyId = agencyId
        self.lifecycle = lifecycle
        self.goLiveDate = goLiveDate
        self.approvedLevel = approvedLevel
        self.approvedAt = approvedAt
        self.proposedLevel = proposedLevel
        self.needsRedetermination = needsRedetermination
        self.plan = plan
        self.lastPeriodicAssessment = lastPeriodicAssessment
        self.lastAssessmentIndependent = lastAssessmentIndependent
    }
}

public enum SystemObligations {
    public static let subjectKind = "system"

    /// Every system duty for one system, in ``SystemDuty`` order.
    public static func evaluate(_ facts: SystemObligationFacts, rules: SystemObligationRules, now: Date) -> [ObligationOccurrence] {
        ObligationEngine.evaluate(self.rules(rules), facts: facts, now: now)
    }

    /// The duties as rules, for callers that combine rule sets.
    public static func rules(_ rules: SystemObligationRules) -> [any ObligationRule<SystemObligationFacts>] {
        SystemDuty.allCases.map { duty in
            ObligationRuleFunction<SystemObligationFacts>(duty.rawValue) { facts, now in
                let outcome = evaluate(duty, facts, rules, now)
                let definition = rules.duties[duty.rawValue]
                let basis = definition.map(\.basis).flatMap { $0.isEmpty ? nil : $0 } ?? rules.header.basis
                return ObligationOccurrence(
                    dutyId: duty.rawValue, subjectKind: subjectKind, subjectId: facts.systemId, agencyId: facts.agencyId,
                    state: outcome.state, dueAt: outcome.dueAt, evidence: outcome.evidence, basis: basis,
                    title: definition?.title ?? LocalizedText(vi: duty.rawValue, en: duty.rawValue),
                    explanation: outcome.explanation, ruleId: rules.header.id, ruleVersion: rules.header.version)
            }
        }
    }

    struct Outcome {
        var state: ObligationState
        var dueAt: Date? = nil
        var evidence: String? = nil
        var explanation: LocalizedText
    }

    private static func text(_ vi: String, _ en: String) -> LocalizedText { LocalizedText(vi: vi, en: en) }
    private static func day(_ date: Date) -> String { DisplayTime.date(date) }
    private static let retired = text("Hệ thống đã ngừng vận hành.", "The system is retired.")

    static func evaluate(_ duty: SystemDuty, _ f: SystemObligationFacts, _ rules: SystemObligationRules, _ now: Date) -> Outcome {
        if f.lifecycle == .retired { return Outcome(state: .notApplicable, explanation: retired) }
        switch duty {
        case .levelNotApproved: return levelNotApproved(f, rules, now)
        case .goLiveBeforeApproval: return goLiveBeforeApproval(f)
        case .levelRedetermination: return redetermination(f)
        case .planNotImplemented: return plan(f, rules, now)
        case .assessmentOverdue: return assessment(f, rules, now)
        case .assessmentIndependent: return independence(f, rules, now)
        }
    }

    private static func approvalEvidence(_ f: SystemObligationFacts) -> String? {
        guard let level = f.approvedLevel else { return nil }
        return f.approvedAt.map { "L\(level) · \(day($0))" } ?? "L\(level)"
    }

    private static func proposed(_ f: SystemObligationFacts) -> LocalizedText {
        guard let level = f.proposedLevel else { return text("", "") }
        return text(" Cấp độ đề xuất: \(level).", " Proposed level: \(level).")
    }

    // MARK: LEVEL_NOT_APPROVED

    static func levelNotApproved(_ f: SystemObligationFacts, _ rules: SystemObligationRules, _ now: Date) -> Outcome {
        if let level = f.approvedLevel {
            let on = f.approvedAt.map { (" ngày \(day($0))", " on \(day($0))") } ?? ("", "")
            return Outcome(
                state: .met, evidence: approvalEvidence(f),
                explanation: text("Cấp độ \(level) đã được phê duyệt\(on.0).", "Level \(level) was approved\(on.1)."))
        }
        let p = proposed(f)
        if f.lifecycle == .operating {
            return Outcome(
                state: .overdue, dueAt: f.goLiveDate,
                explanation: text(
                    "Hệ thống đang vận hành nhưng chưa có quyết định phê duyệt cấp độ.\(p.vi)",
                    "The system is operating without an approved security level.\(p.en)"))
        }
        guard let goLive = f.goLiveDate else {
            return Outcome(
                state: .notApplicable,
                explanation: text(
                    "Chưa có ngày dự kiến đưa vào vận hành; cấp độ phải được phê duyệt trước khi hệ thống đưa vào vận hành.\(p.vi)",
                    "No planned go-live date yet; the level must be approved before the system goes live.\(p.en)"))
        }
        let state = ObligationEngine.state(dueAt: goLive, now: now, dueSoonDays: rules.dueSoonDays)
        let explanation = state == .overdue
            ? text(
                "Đã qua ngày dự kiến đưa vào vận hành \(day(goLive)) mà cấp độ chưa được phê duyệt.\(p.vi)",
                "The planned go-live date \(day(goLive)) has passed and the level is not approved.\(p.en)")
            : text(
                "Cấp độ phải được phê duyệt trước ngày dự kiến đưa vào vận hành \(day(goLive)).\(p.vi)",
                "The level must be approved before the planned go-live date \(day(goLive)).\(p.en)")
        return Outcome(state: state, dueAt: goLive, explanation: explanation)
    }

    // MARK: GOLIVE_BEFORE_APPROVAL

    static func goLiveBeforeApproval(_ f: SystemObligationFacts) -> Outcome {
        guard f.lifecycle == .operating else {
            return Outcome(state: .notApplicable, explanation: text("Hệ thống chưa đưa vào vận hành.", "The system is not live yet."))
        }
        guard let goLive = f.goLiveDate else {
            return Outcome(
                state: .notApplicable,
                explanation: text("Chưa ghi nhận ngày đưa vào vận hành.", "The go-live date is not recorded."))
        }
        guard let approvedAt = f.approvedAt else {
            if f.approvedLevel != nil {
                return Outcome(
                    state: .notApplicable,
                    explanation: text("Chưa ghi nhận ngày phê duyệt cấp độ.", "The level approval date is not recorded."))
            }
            return Outcome(
                state: .overdue, dueAt: goLive,
                explanation: text(
                    "Hệ thống đưa vào vận hành ngày \(day(goLive)) khi chưa có quyết định phê duyệt cấp độ.",
                    "The system went live on \(day(goLive)) without an approved level."))
        }
        let calendar = ObligationCalendar.calendar
        if calendar.startOfDay(for: approvedAt) > calendar.startOfDay(for: goLive) {
            // The late approval remedies the breach; it stays on record in the explanation, but a duty that can
            // no longer be acted on must not keep a province's overdue count up for ever.
            return Outcome(
                state: .met, dueAt: goLive, evidence: approvalEvidence(f),
                explanation: text(
                    "Đã khắc phục: hệ thống đưa vào vận hành ngày \(day(goLive)), trước ngày phê duyệt cấp độ \(day(approvedAt)).",
                    "Remedied: the system went live on \(day(goLive)), before its level was approved on \(day(approvedAt))."))
        }
        return Outcome(
            state: .met, dueAt: goLive, evidence: approvalEvidence(f),
            explanation: text(
                "Cấp độ được phê duyệt ngày \(day(approvedAt)), không muộn hơn ngày đưa vào vận hành \(day(goLive)).",
                "The level was approved on \(day(approvedAt)), no later than the go-live date \(day(goLive))."))
    }

    // MARK: LEVEL_REDETERMINATION

    static func redetermination(_ f: SystemObligationFacts) -> Outcome {
        guard let level = f.approvedLevel else {
            return Outcome(state: .notApplicable, explanation: text("Chưa có cấp độ được phê duyệt.", "No approved level yet."))
        }
        if f.needsRedetermination {
            let p = proposed(f)
            return Outcome(
                state: .overdue,
                explanation: text(
                    "Thông tin của hệ thống đã thay đổi sau khi cấp độ \(level) được phê duyệt; cần xác định lại cấp độ.\(p.vi)",
                    "The system's facts changed after level \(level) was approved; the level must be determined again.\(p.en)"))
        }
        return Outcome(
            state: .met, evidence: approvalEvidence(f),
            explanation: text(
                "Không có thay đổi cần xác định lại cấp độ \(level).",
                "No change requires determining level \(level) again."))
    }

    // MARK: PLAN_NOT_IMPLEMENTED

    static func plan(_ f: SystemObligationFacts, _ rules: SystemObligationRules, _ now: Date) -> Outcome {
        guard let level = f.approvedLevel else {
            return Outcome(state: .notApplicable, explanation: text("Chưa có cấp độ được phê duyệt.", "No approved level yet."))
        }
        let progress = f.plan ?? PlanProgress(status: .notStarted, percent: 0, implemented: 0, applicable: 0, notApplicable: 0)
        let figures = "\(progress.percent)% (\(progress.implemented)/\(progress.applicable))"
        if progress.status == .fullyImplemented {
            return Outcome(
                state: .met, evidence: figures,
                explanation: text(
                    "Phương án bảo đảm an toàn thông tin theo cấp độ \(level) đã được triển khai đầy đủ.",
                    "The level-\(level) security plan is fully implemented."))
        }
        let shortfall = f.plan == nil
            ? text(
                "Chưa ghi nhận việc triển khai phương án bảo đảm an toàn thông tin theo cấp độ \(level).",
                "No implementation of the level-\(level) security plan is recorded.")
            : text(
                "Phương án bảo đảm an toàn thông tin theo cấp độ \(level) mới triển khai \(progress.percent)% (\(progress.implemented)/\(progress.applicable) biện pháp).",
                "The level-\(level) security plan is \(progress.percent)% implemented (\(progress.implemented) of \(progress.applicable) controls).")
        if f.lifecycle == .operating {
            return Outcome(state: .overdue, explanation: shortfall)
        }
        guard let goLive = f.goLiveDate else {
            return Outcome(
                state: .notApplicable,
                explanation: text(
                    "\(shortfall.vi) Hệ thống chưa vận hành và chưa có ngày dự kiến đưa vào vận hành.",
                    "\(shortfall.en) The system is not live and has no planned go-live date."))
        }
        let state = ObligationEngine.state(dueAt: goLive, now: now, dueSoonDays: rules.dueSoonDays)
        return Outcome(
            state: state, dueAt: goLive,
            explanation: text(
                "\(shortfall.vi) Cần hoàn thành trước ngày dự kiến đưa vào vận hành \(day(goLive)).",
                "\(shortfall.en) It must be complete before the planned go-live date \(day(goLive))."))
    }

    // MARK: ASSESSMENT_OVERDUE

    /// The next periodic assessment due date, or nil when the system has no starting point.
    struct AssessmentDue {
        var dueAt: Date?
        var months: Int
        var fromApproval: Bool
    }

    private static func assessmentApplies(_ f: SystemObligationFacts, fromLevel: Int) -> Outcome? {
        guard f.lifecycle == .operating else {
            return Outcome(state: .notApplicable, explanation: text("Hệ thống chưa đưa vào vận hành.", "The system is not live yet."))
        }
        guard let level = f.approvedLevel else {
            return Outcome(state: .notApplicable, explanation: text("Chưa có cấp độ được phê duyệt.", "No approved level yet."))
        }
        if level < fromLevel {
            return Outcome(
                state: .notApplicable,
                explanation: text(
                    "Áp dụng từ cấp độ \(fromLevel); hệ thống có cấp độ \(level).",
                    "Applies from level \(fromLevel); the system is at level \(level)."))
        }
        return nil
    }

    static func assessmentDue(_ f: SystemObligationFacts, _ rules: SystemObligationRules) -> AssessmentDue? {
        guard let level = f.approvedLevel, let months = rules.assessmentIntervalMonths[level] else { return nil }
        let base = f.lastPeriodicAssessment ?? f.approvedAt
        return AssessmentDue(
            dueAt: base.map { ObligationCalendar.adding(months: months, to: $0) }, months: months,
            fromApproval: f.lastPeriodicAssessment == nil)
    }

    static func assessment(_ f: SystemObligationFacts, _ rules: SystemObligationRules, _ now: Date) -> Outcome {
        if let na = assessmentApplies(f, fromLevel: rules.periodicAssessmentFromLevel) { return na }
        let level = f.approvedLevel ?? 0
        guard let due = assessmentDue(f, rules) else {
            return Outcome(
                state: .notApplicable,
                explanation: text(
                    "Không có chu kỳ kiểm tra, đánh giá cho cấp độ \(level) trong quy tắc.",
                    "The rules set no assessment interval for level \(level)."))
        }
        let period = text("\(due.months) tháng một lần với cấp độ \(level)", "every \(due.months) months at level \(level)")
        guard let dueAt = due.dueAt else {
            return Outcome(
                state: .overdue,
                explanation: text(
                    "Chưa ghi nhận lần kiểm tra, đánh giá định kỳ nào (\(period.vi)).",
                    "No periodic assessment is recorded (\(period.en))."))
        }
        let state = ObligationEngine.state(dueAt: dueAt, now: now, dueSoonDays: rules.dueSoonDays)
        let since: LocalizedText
        if due.fromApproval, let approvedAt = f.approvedAt {
            since = text(
                "Chưa có lần kiểm tra, đánh giá định kỳ; tính từ ngày phê duyệt cấp độ \(day(approvedAt))",
                "No periodic assessment yet; counted from the level approval on \(day(approvedAt))")
        } else {
            since = text(
                "Lần kiểm tra, đánh giá định kỳ gần nhất: \(day(f.lastPeriodicAssessment ?? dueAt))",
                "Last periodic assessment: \(day(f.lastPeriodicAssessment ?? dueAt))")
        }
        let when = state == .overdue
            ? text("đã quá hạn từ ngày \(day(dueAt))", "overdue since \(day(dueAt))")
            : text("lần tiếp theo đến hạn ngày \(day(dueAt))", "the next is due on \(day(dueAt))")
        return Outcome(
            state: state, dueAt: dueAt, evidence: f.lastPeriodicAssessment.map(day),
            explanation: text("\(since.vi); \(when.vi) (\(period.vi)).", "\(since.en); \(when.en) (\(period.en))."))
    }

    // MARK: ASSESSMENT_INDEPENDENT

    static func independence(_ f: SystemObligationFacts, _ rules: SystemObligationRules, _ now: Date) -> Outcome {
        if let na = assessmentApplies(f, fromLevel: rules.independentAssessmentFromLevel) { return na }
        let next = assessmentDue(f, rules)?.dueAt
        guard let last = f.lastPeriodicAssessment else {
            let state = next.map { ObligationEngine.state(dueAt: $0, now: now, dueSoonDays: rules.dueSoonDays) } ?? .overdue
            let due = next.map { text(" trước ngày \(day($0))", " by \(day($0))") } ?? text("", "")
            return Outcome(
                state: state, dueAt: next,
                explanation: text(
                    "Chưa có lần kiểm tra, đánh giá nào; lần đầu phải do đơn vị độc lập với đơn vị giám sát, bảo vệ hệ thống thực hiện\(due.vi).",
                    "No assessment yet; the first must be done by a body independent of the monitoring/protection provider\(due.en)."))
        }
        switch f.lastAssessmentIndependent {
        case true?:
            return Outcome(
                state: .met, dueAt: next, evidence: day(last),
                explanation: text(
                    "Lần kiểm tra, đánh giá ngày \(day(last)) do đơn vị độc lập thực hiện.",
                    "The assessment of \(day(last)) was done by an independent body."))
        case false?:
            return Outcome(
                state: .overdue, dueAt: next,
                explanation: text(
                    "Lần kiểm tra, đánh giá ngày \(day(last)) không do đơn vị độc lập với đơn vị giám sát, bảo vệ hệ thống thực hiện.",
                    "The assessment of \(day(last)) was not done by a body independent of the monitoring/protection provider."))
        case nil:
            return Outcome(
                state: .overdue, dueAt: next,
                explanation: text(
                    "Chưa ghi nhận lần kiểm tra, đánh giá ngày \(day(last)) có do đơn vị độc lập thực hiện hay không.",
                    "It is not recorded whether the assessment of \(day(last)) was done by an independent body."))
        }
    }
}
