import Foundation

/// Duties of incident response readiness (Directive 18/CT-TTg; Circular 20/2017), domain.md §9.3.
public enum ResponseDuty: String, CaseIterable, Codable, Sendable {
    /// A response team needs at least `minExperts` network-security experts, outsourced ones included.
    case teamUnderstaffed = "TEAM_UNDERSTAFFED"
    /// The decision establishing the team has lapsed.
    case teamExpired = "TEAM_EXPIRED"
    /// An agency must keep a 24/7 incident contact point (phone and e-mail).
    case focalPointMissing = "FOCAL_POINT_MISSING"
    /// An operating system needs an approved response plan covering it.
    case planMissing = "IRPLAN_MISSING"
    /// The plan must be updated when the system changes, and reviewed periodically.
    case planStale = "IRPLAN_STALE"
    /// Level 3+: a drill every year.
    case drillOverdue = "DRILL_OVERDUE"

    public var subjectKind: String {
        switch self {
        case .teamUnderstaffed, .teamExpired: "team"
        case .focalPointMissing: "agency"
        case .planMissing, .planStale, .drillOverdue: "system"
        }
    }
}

public struct TeamObligationFacts: Sendable, Equatable {
    public var teamId: UUID
    public var agencyId: UUID?
    public var experts: Int
    public var validFrom: Date?
    public var validTo: Date?

    public init(teamId: UUID, agencyId: UUID?, experts: Int, validFrom: Date? = nil, validTo: Date? = nil) {
        self.teamId = teamId
        self.agencyId = agencyId
        self.experts = experts
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

public struct AgencyContactFacts: Sendable, Equatable {
    public var agencyId: UUID
    public var kind: String
    public var ownsSystems: Bool
    public var phone: String?
    public var email: String?

    public init(agencyId: UUID, kind: String, ownsSystems: Bool, phone: String?, email: String?) {
        self.agencyId = agencyId
        self.kind = kind
        self.ownsSystems = ownsSystems
        self.phone = phone
        self.email = email
    }
}

/// What the plan and drill duties read about one system.
public struct SystemResponseFacts: Sendable, Equatable {
    public struct CoveringPlan: Sendable, Equatable {
        public var planId: UUID
        public var title: String
        public var versionNumber: Int
        public var approvedAt: Date
        /// Watched fields that changed since the plan was approved (empty: none).
        public var changedFields: [String]

        public init(planId: UUID, title: String, versionNumber: Int, approvedAt: Date, changedFields: [String] = []) {
            self.planId = planId
            self.title = title
            self.versionNumber = versionNumber
            self.approvedAt = approvedAt
            self.changedFields = changedFields
        }
    }

    public var systemId: UUID
    public var agencyId: UUID?
    public var lifecycle: LifecycleStatus
    public var approvedLevel: Int?
    public var approvedAt: Date?
    /// Approved plans covering the system (the most recently approved first matters).
    public var plans: [CoveringPlan]
    /// Days of executed drills of a counting kind that covered the system.
    public var executedDrills: [Date]

    public init(systemId: UUID, agencyId: UUID?, lifecycle: LifecycleStatus, approvedLevel: Int? = nil, approvedAt: Date? = nil,
                plans: [CoveringPlan] = [], executedDrills: [Date] = []) {
        self.systemId = systemId
        self.agencyId = agencyId
        self.lifecycle = lifecycle
        self.approvedLevel = approvedLevel
        self.approvedAt = approvedAt
        self.plans = plans
        self.executedDrills = executedDrills
    }
}

/// The response duties as pure functions of the facts and the time.
public enum ResponseObligations {
    typealias Outcome = DutyOutcome

    private static func text(_ vi: String, _ en: String) -> LocalizedText { LocalizedText(vi: vi, en: en) }
    private static func day(_ date: Date) -> String { DisplayTime.date(date) }

    private static func occurrence(_ duty: ResponseDuty, subjectId: UUID, agencyId: UUID?, _ o: Outcome,
                                   _ rules: ResponseObligationRules) -> ObligationOccurrence {
        o.occurrence(dutyId: duty.rawValue, subjectKind: duty.subjectKind, subjectId: subjectId, agencyId: agencyId,
                     definition: rules.duties[duty.rawValue], header: rules.header)
    }

    // MARK: teams

    public static func evaluate(team f: TeamObligationFacts, rules: ResponseObligationRules, now: Date) -> [ObligationOccurrence] {
        [occurrence(.teamUnderstaffed, subjectId: f.teamId, agencyId: f.agencyId, staffing(f, rules), rules),
         occurrence(.teamExpired, subjectId: f.teamId, agencyId: f.agencyId, validity(f, rules, now), rules)]
    }

    static func staffing(_ f: TeamObligationFacts, _ rules: ResponseObligationRules) -> Outcome {
        let figures = "\(f.experts)/\(rules.minExperts)"
        if f.experts >= rules.minExperts {
            return Outcome(state: .met, evidence: figures,
                           explanation: text("Đội có \(f.experts) chuyên gia an toàn thông tin mạng (tối thiểu \(rules.minExperts), kể cả thuê ngoài).",
                                             "The team has \(f.experts) network-security experts (at least \(rules.minExperts), outsourced included)."))
        }
        return Outcome(state: .overdue, evidence: figures,
                       explanation: text("Đội mới có \(f.experts) chuyên gia an toàn thông tin mạng; cần tối thiểu \(rules.minExperts) (được thuê chuyên gia bên ngoài).",
                                         "The team has only \(f.experts) network-security experts; at least \(rules.minExperts) are required (outsourced experts count)."))
    }

    static func validity(_ f: TeamObligationFacts, _ rules: ResponseObligationRules, _ now: Date) -> Outcome {
        guard let to = f.validTo else {
            return Outcome(state: .met, explanation: text("Quyết định thành lập đội không có thời hạn.", "The establishing decision has no end date."))
        }
        let state = ObligationEngine.state(dueAt: to, now: now, dueSoonDays: rules.dueSoonDays)
        switch state {
        case .overdue:
            return Outcome(state: .overdue, dueAt: to,
                           explanation: text("Quyết định thành lập, kiện toàn đội đã hết hiệu lực ngày \(day(to)); cần kiện toàn lại đội.",
                                             "The team's establishing decision lapsed on \(day(to)); the team must be re-established."))
        default:
            return Outcome(state: state, dueAt: to, evidence: f.validFrom.map { "\(day($0)) – \(day(to))" } ?? "– \(day(to))",
                           explanation: text("Quyết định thành lập, kiện toàn đội có hiệu lực đến ngày \(day(to)).",
                                             "The team's establishing decision is valid until \(day(to))."))
        }
    }

    // MARK: agencies

    /// nil when the agency need not publish a contact point (not a listed kind, owns no system).
    public static func evaluate(agency f: AgencyContactFacts, rules: ResponseObligationRules, now: Date) -> [ObligationOccurrence] {
        guard f.ownsSystems || rules.focalPointAgencyKinds.contains(f.kind) else { return [] }
        let phone = f.phone?.trimmingCharacters(in: .whitespaces).isEmpty == false ? f.phone : nil
        let email = f.email?.trimmingCharacters(in: .whitespaces).isEmpty == false ? f.email : nil
        let outcome: Outcome
        switch (phone, email) {
        case let (p?, e?):
            outcome = Outcome(state: .met, evidence: "\(p) · \(e)",
                              explanation: text("Đầu mối tiếp nhận sự cố 24/7: \(p), \(e).", "24/7 incident contact point: \(p), \(e)."))
        case (nil, nil):
            outcome = Outcome(state: .overdue,
                              explanation: text("Chưa có đầu mối tiếp nhận sự cố 24/7 (số điện thoại và thư điện tử).",
                                                "No 24/7 incident contact point (phone and e-mail) is recorded."))
        case (nil, _):
            outcome = Outcome(state: .overdue,
                              explanation: text("Đầu mối tiếp nhận sự cố thiếu số điện thoại liên lạc 24/7.", "The incident contact point has no 24/7 phone."))
        case (_, nil):
            outcome = Outcome(state: .overdue,
                              explanation: text("Đầu mối tiếp nhận sự cố thiếu địa chỉ thư điện tử.", "The incident contact point has no e-mail address."))
        }
        return [occurrence(.focalPointMissing, subjectId: f.agencyId, agencyId: f.agencyId, outcome, rules)]
    }

    // MARK: systems

    public static func evaluate(system f: SystemResponseFacts, rules: ResponseObligationRules, now: Date) -> [ObligationOccurrence] {
        [occurrence(.planMissing, subjectId: f.systemId, agencyId: f.agencyId, planMissing(f), rules),
         occurrence(.planStale, subjectId: f.systemId, agencyId: f.agencyId, planStale(f, rules, now), rules),
         occurrence(.drillOverdue, subjectId: f.systemId, agencyId: f.agencyId, drill(f, rules, now), rules)]
    }

    static func latestPlan(_ f: SystemResponseFacts) -> SystemResponseFacts.CoveringPlan? {
        f.plans.max { $0.approvedAt < $1.approvedAt }
    }

    static func planMissing(_ f: SystemResponseFacts) -> Outcome {
        guard f.lifecycle == .operating else {
            return Outcome(state: .notApplicable, explanation: text("Hệ thống không ở trạng thái đang vận hành.", "The system is not operating."))
        }
        guard let plan = latestPlan(f) else {
            return Outcome(state: .overdue,
                           explanation: text("Hệ thống đang vận hành nhưng chưa có phương án ứng cứu sự cố được phê duyệt.",
                                             "The system is operating without an approved incident response plan."))
        }
        return Outcome(state: .met, evidence: "v\(plan.versionNumber) · \(day(plan.approvedAt))",
                       explanation: text("Phương án \"\(plan.title)\" (phiên bản \(plan.versionNumber)) được phê duyệt ngày \(day(plan.approvedAt)).",
                                         "Plan \"\(plan.title)\" (version \(plan.versionNumber)) was approved on \(day(plan.approvedAt))."))
    }

    static func planStale(_ f: SystemResponseFacts, _ rules: ResponseObligationRules, _ now: Date) -> Outcome {
        guard f.lifecycle != .retired else {
            return Outcome(state: .notApplicable, explanation: text("Hệ thống đã ngừng vận hành.", "The system is retired."))
        }
        guard let plan = latestPlan(f) else {
            return Outcome(state: .notApplicable, explanation: text("Chưa có phương án được phê duyệt.", "No approved plan yet."))
        }
        if !plan.changedFields.isEmpty {
            let fields = plan.changedFields.joined(separator: ", ")
            return Outcome(state: .overdue, evidence: fields,
                           explanation: text("Hệ thống đã thay đổi (\(fields)) sau khi phương án được phê duyệt ngày \(day(plan.approvedAt)); cần cập nhật phương án.",
                                             "The system changed (\(fields)) after the plan was approved on \(day(plan.approvedAt)); the plan must be updated."))
        }
        let due = ObligationCalendar.adding(months: rules.planReviewMonths, to: plan.approvedAt)
        let state = ObligationEngine.state(dueAt: due, now: now, dueSoonDays: rules.dueSoonDays)
        let explanation = state == .overdue
            ? text("Phương án được phê duyệt ngày \(day(plan.approvedAt)) đã quá \(rules.planReviewMonths) tháng chưa được rà soát (hạn \(day(due))).",
                   "The plan approved on \(day(plan.approvedAt)) has not been reviewed for \(rules.planReviewMonths) months (due \(day(due))).")
            : text("Hệ thống không thay đổi từ khi phương án được phê duyệt; rà soát định kỳ trước ngày \(day(due)).",
                   "The system has not changed since the plan was approved; periodic review due by \(day(due)).")
        return Outcome(state: state, dueAt: due, evidence: day(plan.approvedAt), explanation: explanation)
    }

    /// 31/12 of the year of `date`, as the start of that day in Vietnam.
    static func endOfYear(_ date: Date) -> Date {
        let calendar = ObligationCalendar.calendar
        let year = calendar.component(.year, from: date)
        return calendar.date(from: DateComponents(year: year, month: 12, day: 31)) ?? date
    }

    static func drill(_ f: SystemResponseFacts, _ rules: ResponseObligationRules, _ now: Date) -> Outcome {
        guard f.lifecycle == .operating else {
            return Outcome(state: .notApplicable, explanation: text("Hệ thống không ở trạng thái đang vận hành.", "The system is not operating."))
        }
        guard let level = f.approvedLevel, level >= rules.drillFromLevel else {
            let current = f.approvedLevel.map { text(" Hệ thống có cấp độ \($0).", " The system is at level \($0).") } ?? text(" Chưa có cấp độ được phê duyệt.", " No approved level yet.")
            return Outcome(state: .notApplicable,
                           explanation: text("Áp dụng với hệ thống từ cấp độ \(rules.drillFromLevel).\(current.vi)",
                                             "Applies from level \(rules.drillFromLevel).\(current.en)"))
        }
        let calendar = ObligationCalendar.calendar
        let drills = f.executedDrills.filter { $0 <= now }.sorted()
        let last = drills.last
        switch rules.drillMode {
        case .calendarYear:
            let year = calendar.component(.year, from: now)
            let due = endOfYear(now)
            if let last, calendar.component(.year, from: last) == year {
                return Outcome(state: .met, dueAt: due, evidence: day(last),
                               explanation: text("Đã diễn tập ngày \(day(last)) trong năm \(year).", "Drilled on \(day(last)) in \(year)."))
            }
            // The previous year's drill was missed if the system was already at this level before that year ended.
            let previousEnd = endOfYear(calendar.date(byAdding: .year, value: -1, to: now) ?? now)
            let drilledLastYear = drills.contains { calendar.component(.year, from: $0) == year - 1 }
            if let approvedAt = f.approvedAt, approvedAt < previousEnd, !drilledLastYear {
                return Outcome(state: .overdue, dueAt: previousEnd, evidence: last.map(day),
                               explanation: text("Năm \(year - 1) hệ thống cấp độ \(level) không được diễn tập; năm \(year) chưa có cuộc diễn tập nào được thực hiện.",
                                                 "The level-\(level) system was not drilled in \(year - 1), and no drill has been executed in \(year) yet."))
            }
            // No evidence: a duty met only because its day has not come reads "not yet due".
            let state = ObligationEngine.state(dueAt: due, now: now, dueSoonDays: rules.dueSoonDays)
            return Outcome(state: state, dueAt: due,
                           explanation: text("Hệ thống cấp độ \(level) phải được diễn tập ít nhất một lần trong năm \(year) (hạn \(day(due))).",
                                             "The level-\(level) system must be drilled at least once in \(year) (due \(day(due)))."))
        case .rolling12Months:
            guard let base = last ?? f.approvedAt else {
                return Outcome(state: .overdue, explanation: text("Chưa có cuộc diễn tập nào.", "No drill yet."))
            }
            let due = ObligationCalendar.adding(months: 12, to: base)
            let state = ObligationEngine.state(dueAt: due, now: now, dueSoonDays: rules.dueSoonDays)
            let since = last.map { text("Lần diễn tập gần nhất: \(day($0))", "Last drill: \(day($0))") }
                ?? text("Chưa diễn tập; tính từ ngày phê duyệt cấp độ \(day(base))", "No drill yet; counted from the level approval on \(day(base))")
            return Outcome(state: state, dueAt: due, evidence: last.map(day),
                           explanation: text("\(since.vi); lần tiếp theo trước ngày \(day(due)).", "\(since.en); the next is due by \(day(due))."))
        }
    }

    /// Which watched fields differ between the system as it was when the plan was approved and now.
    /// `components` stands for the component list.
    public static func changedFields(old: [String: String], oldComponents: [String], new: [String: String], newComponents: [String],
                                     watched: [String]) -> [String] {
        watched.filter { field in
            field == "components" ? Set(oldComponents) != Set(newComponents) || oldComponents.count != newComponents.count
                : (old[field] ?? "") != (new[field] ?? "")
        }
    }
}
