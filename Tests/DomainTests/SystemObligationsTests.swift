import Foundation
import Testing
@testable import Domain

@Suite struct SystemObligationsTests {
    static let rules = RuleBook.shipped.systemObligations()
    /// 25/11/2026 10:00 in Vietnam.
    static let now = vnDay("2026-11-25").addingTimeInterval(10 * 3600)
    static let system = UUID()
    static let agency = UUID()

    static func facts(
        _ lifecycle: LifecycleStatus = .operating, goLive: String? = "2024-01-15", level: Int? = 3,
        approved: String? = "2024-01-10", proposed: Int? = nil, redetermine: Bool = false, plan: PlanProgress? = nil,
        assessed: String? = nil, independent: Bool? = nil
    ) -> SystemObligationFacts {
        SystemObligationFacts(
            systemId: system, agencyId: agency, lifecycle: lifecycle, goLiveDate: goLive.map(vnDay), approvedLevel: level,
            approvedAt: approved.map(vnDay), proposedLevel: proposed, needsRedetermination: redetermine, plan: plan,
            lastPeriodicAssessment: assessed.map(vnDay), lastAssessmentIndependent: independent)
    }

    static func occurrence(_ duty: SystemDuty, _ facts: SystemObligationFacts, now: Date = now) throws -> ObligationOccurrence {
        try #require(SystemObligations.evaluate(facts, rules: rules, now: now).first { $0.dutyId == duty.rawValue })
    }

    static let full = PlanProgress(status: .fullyImplemented, percent: 100, implemented: 40, applicable: 40, notApplicable: 2)
    static let partial = PlanProgress(status: .partial, percent: 45, implemented: 18, applicable: 40, notApplicable: 0)

    // MARK: general

    @Test func everyDutyIsEvaluatedOnceAndRecordsTheRuleVersion() {
        let occurrences = SystemObligations.evaluate(Self.facts(), rules: Self.rules, now: Self.now)
        #expect(occurrences.map(\.dutyId) == SystemDuty.allCases.map(\.rawValue))
        for occurrence in occurrences {
            #expect(occurrence.ruleId == "obligations.systems")
            #expect(occurrence.ruleVersion == Self.rules.header.version)
            #expect(occurrence.subjectKind == "system")
            #expect(occurrence.subjectId == Self.system)
            #expect(occurrence.agencyId == Self.agency)
            #expect(!occurrence.basis.isEmpty)
            #expect(occurrence.title == Self.rules.duties[occurrence.dutyId]?.title)
            #expect(!occurrence.explanation.vi.isEmpty && !occurrence.explanation.en.isEmpty)
        }
    }

    @Test func basisComesFromTheDuty() throws {
        let o = try Self.occurrence(.assessmentOverdue, Self.facts())
        #expect(o.basis.map(\.citation).contains("Chỉ thị 14/CT-TTg ngày 07/6/2019"))
        let r = try Self.occurrence(.levelRedetermination, Self.facts())
        #expect(r.basis == [LegalBasis(document: "Nghị định 85/2016/NĐ-CP", provision: "Điều 18")])
    }

    @Test(arguments: SystemDuty.allCases)
    func retiredSystemHasNoDuties(duty: SystemDuty) throws {
        #expect(try Self.occurrence(duty, Self.facts(.retired)).state == .notApplicable)
    }

    // MARK: LEVEL_NOT_APPROVED

    @Test func operatingWithoutApprovedLevelIsOverdue() throws {
        let o = try Self.occurrence(.levelNotApproved, Self.facts(level: nil, approved: nil, proposed: 3))
        #expect(o.state == .overdue)
        #expect(o.dueAt == vnDay("2024-01-15"))
        #expect(o.explanation.vi.contains("Cấp độ đề xuất: 3"))
    }

    @Test func approvedLevelIsMetWithEvidence() throws {
        let o = try Self.occurrence(.levelNotApproved, Self.facts(level: 2, approved: "2024-03-01"))
        #expect(o.state == .met)
        #expect(o.evidence == "L2 · 01/03/2024")
        #expect(o.explanation.vi == "Cấp độ 2 đã được phê duyệt ngày 01/03/2024.")
    }

    @Test(arguments: [
        ("2026-11-24", ObligationState.overdue), ("2026-11-25", .dueSoon), ("2026-12-25", .dueSoon), ("2026-12-26", .met),
    ])
    func plannedSystemMustBeApprovedByGoLive(goLive: String, state: ObligationState) throws {
        let o = try Self.occurrence(.levelNotApproved, Self.facts(.planned, goLive: goLive, level: nil, approved: nil))
        #expect(o.state == state)
        #expect(o.dueAt == vnDay(goLive))
        #expect(o.explanation.vi.contains(DisplayTime.date(vnDay(goLive))))
    }

    @Test func plannedSystemWithoutGoLiveDateIsNotYetApplicable() throws {
        let o = try Self.occurrence(.levelNotApproved, Self.facts(.building, goLive: nil, level: nil, approved: nil))
        #expect(o.state == .notApplicable)
        #expect(o.dueAt == nil)
    }

    // MARK: GOLIVE_BEFORE_APPROVAL

    @Test func goingLiveBeforeALaterApprovalIsRecordedAsRemedied() throws {
        let o = try Self.occurrence(.goLiveBeforeApproval, Self.facts(goLive: "2024-05-01", approved: "2024-06-01"))
        #expect(o.state == .met)
        #expect(o.evidence != nil)
        #expect(o.explanation.vi == "Đã khắc phục: hệ thống đưa vào vận hành ngày 01/05/2024, trước ngày phê duyệt cấp độ 01/06/2024.")
        #expect(o.explanation.en.contains("01/05/2024"))
    }

    @Test func approvalOnTheGoLiveDayIsMet() throws {
        var facts = Self.facts(goLive: "2024-05-01", approved: "2024-05-01")
        facts.approvedAt = facts.approvedAt?.addingTimeInterval(15 * 3600)
        #expect(try Self.occurrence(.goLiveBeforeApproval, facts).state == .met)
        #expect(try Self.occurrence(.goLiveBeforeApproval, Self.facts(goLive: "2024-05-01", approved: "2024-04-01")).state == .met)
    }

    @Test func operatingWithoutAnyApprovalWentLiveWithoutLevel() throws {
        let o = try Self.occurrence(.goLiveBeforeApproval, Self.facts(goLive: "2024-05-01", level: nil, approved: nil))
        #expect(o.state == .overdue)
        #expect(o.dueAt == vnDay("2024-05-01"))
    }

    @Test func goLiveCheckNeedsALiveSystemAndItsDate() throws {
        #expect(try Self.occurrence(.goLiveBeforeApproval, Self.facts(.planned, goLive: "2027-01-01", level: nil, approved: nil)).state == .notApplicable)
        #expect(try Self.occurrence(.goLiveBeforeApproval, Self.facts(goLive: nil)).state == .notApplicable)
        #expect(try Self.occurrence(.goLiveBeforeApproval, Self.facts(approved: nil)).state == .notApplicable)
    }

    // MARK: LEVEL_REDETERMINATION

    @Test(arguments: [
        (3 as Int?, true, ObligationState.overdue), (3, false, .met), (nil, true, .notApplicable), (nil, false, .notApplicable),
    ])
    func redeterminationAfterChanges(level: Int?, needs: Bool, state: ObligationState) throws {
        let facts = Self.facts(level: level, approved: level == nil ? nil : "2024-01-10", redetermine: needs)
        #expect(try Self.occurrence(.levelRedetermination, facts).state == state)
    }

    // MARK: PLAN_NOT_IMPLEMENTED

    @Test func partlyImplementedPlanIsOverdueAndShowsThePercentage() throws {
        let o = try Self.occurrence(.planNotImplemented, Self.facts(plan: Self.partial))
        #expect(o.state == .overdue)
        #expect(o.explanation.vi == "Phương án bảo đảm an toàn thông tin theo cấp độ 3 mới triển khai 45% (18/40 biện pháp).")
        #expect(o.explanation.en == "The level-3 security plan is 45% implemented (18 of 40 controls).")
    }

    @Test func fullyImplementedPlanIsMet() throws {
        let o = try Self.occurrence(.planNotImplemented, Self.facts(plan: Self.full))
        #expect(o.state == .met)
        #expect(o.evidence == "100% (40/40)")
    }

    @Test func missingPlanOfAnOperatingSystemIsOverdue() throws {
        #expect(try Self.occurrence(.planNotImplemented, Self.facts(plan: nil)).state == .overdue)
    }

    @Test func planWithoutApprovedLevelIsNotApplicable() throws {
        #expect(try Self.occurrence(.planNotImplemented, Self.facts(level: nil, approved: nil, plan: Self.partial)).state == .notApplicable)
    }

    @Test func planOfASystemBeingBuiltIsDueAtGoLive() throws {
        let soon = try Self.occurrence(.planNotImplemented, Self.facts(.building, goLive: "2026-12-05", plan: Self.partial))
        #expect(soon.state == .dueSoon)
        #expect(soon.dueAt == vnDay("2026-12-05"))
        let later = try Self.occurrence(.planNotImplemented, Self.facts(.building, goLive: "2027-06-01", plan: Self.partial))
        #expect(later.state == .met)
        let undated = try Self.occurrence(.planNotImplemented, Self.facts(.building, goLive: nil, plan: Self.partial))
        #expect(undated.state == .notApplicable)
    }

    // MARK: ASSESSMENT_OVERDUE

    @Test(arguments: [
        (3, "2025-11-24", ObligationState.overdue, "2026-11-24"),
        (3, "2025-11-25", .dueSoon, "2026-11-25"),
        (3, "2025-12-25", .dueSoon, "2026-12-25"),
        (3, "2025-12-26", .met, "2026-12-26"),
        (4, "2026-03-01", .met, "2027-03-01"),
        (5, "2026-05-20", .overdue, "2026-11-20"),
        (5, "2026-06-01", .dueSoon, "2026-12-01"),
        (5, "2026-07-01", .met, "2027-01-01"),
    ])
    func periodicAssessmentIsDueAfterTheIntervalOfTheLevel(level: Int, last: String, state: ObligationState, due: String) throws {
        let o = try Self.occurrence(.assessmentOverdue, Self.facts(level: level, assessed: last, independent: true))
        #expect(o.state == state)
        #expect(o.dueAt == vnDay(due))
        #expect(o.evidence == DisplayTime.date(vnDay(last)))
        #expect(o.explanation.vi.contains(DisplayTime.date(vnDay(due))))
    }

    @Test func dueDayEndsAtMidnightInVietnam() throws {
        let facts = Self.facts(assessed: "2025-11-25")
        let lateOnDueDay = vnDay("2026-11-25").addingTimeInterval(23 * 3600 + 30 * 60)
        let justAfter = vnDay("2026-11-26").addingTimeInterval(10 * 60)
        #expect(try Self.occurrence(.assessmentOverdue, facts, now: lateOnDueDay).state == .dueSoon)
        #expect(try Self.occurrence(.assessmentOverdue, facts, now: justAfter).state == .overdue)
    }

    @Test func firstAssessmentCountsFromTheApproval() throws {
        let met = try Self.occurrence(.assessmentOverdue, Self.facts(approved: "2026-01-10"))
        #expect(met.state == .met)
        #expect(met.dueAt == vnDay("2027-01-10"))
        #expect(met.explanation.vi.hasPrefix("Chưa có lần kiểm tra, đánh giá định kỳ; tính từ ngày phê duyệt cấp độ 10/01/2026"))
        let late = try Self.occurrence(.assessmentOverdue, Self.facts(approved: "2024-01-10"))
        #expect(late.state == .overdue)
        #expect(late.explanation.en.contains("overdue since 10/01/2025"))
    }

    @Test func noAssessmentAndNoApprovalDateIsOverdueWithoutADate() throws {
        let o = try Self.occurrence(.assessmentOverdue, Self.facts(approved: nil))
        #expect(o.state == .overdue)
        #expect(o.dueAt == nil)
    }

    @Test(arguments: [1, 2])
    func lowLevelsNeedNoPeriodicAssessment(level: Int) throws {
        #expect(try Self.occurrence(.assessmentOverdue, Self.facts(level: level)).state == .notApplicable)
        #expect(try Self.occurrence(.assessmentIndependent, Self.facts(level: level)).state == .notApplicable)
    }

    @Test func assessmentOfASystemNotLiveIsNotApplicable() throws {
        #expect(try Self.occurrence(.assessmentOverdue, Self.facts(.building, goLive: "2027-01-01")).state == .notApplicable)
    }

    @Test func monthsAreAddedOnTheVietnameseCalendar() {
        #expect(ObligationCalendar.adding(months: 6, to: vnDay("2025-08-31")) == vnDay("2026-02-28"))
        #expect(ObligationCalendar.adding(months: 12, to: vnDay("2024-02-29")) == vnDay("2025-02-28"))
    }

    // MARK: ASSESSMENT_INDEPENDENT

    @Test(arguments: [(true as Bool?, ObligationState.met), (false, .overdue), (nil, .overdue)])
    func lastAssessmentMustBeIndependent(independent: Bool?, state: ObligationState) throws {
        let o = try Self.occurrence(.assessmentIndependent, Self.facts(assessed: "2026-03-01", independent: independent))
        #expect(o.state == state)
        #expect(o.dueAt == vnDay("2027-03-01"))
    }

    @Test func withoutAnyAssessmentIndependenceFollowsTheAssessmentDueDate() throws {
        for approved in ["2026-01-10", "2025-12-20", "2025-10-01"] {
            let facts = Self.facts(approved: approved)
            let independence = try Self.occurrence(.assessmentIndependent, facts)
            let assessment = try Self.occurrence(.assessmentOverdue, facts)
            #expect(independence.state == assessment.state)
            #expect(independence.dueAt == assessment.dueAt)
        }
    }

    // MARK: rules as data

    @Test func dueSoonWindowComesFromTheRules() throws {
        var rules = Self.rules
        rules.dueSoonDays = 7
        let facts = Self.facts(assessed: "2025-12-05")
        let o = try #require(SystemObligations.evaluate(facts, rules: rules, now: Self.now).first { $0.dutyId == "ASSESSMENT_OVERDUE" })
        #expect(o.state == .met)
        rules.assessmentIntervalMonths[3] = 24
        let longer = try #require(SystemObligations.evaluate(Self.facts(assessed: "2025-01-01"), rules: rules, now: Self.now).first { $0.dutyId == "ASSESSMENT_OVERDUE" })
        #expect(longer.dueAt == vnDay("2027-01-01"))
    }

    @Test(arguments: [
        (-1, ObligationState.overdue), (0, .dueSoon), (1, .dueSoon), (30, .dueSoon), (31, .met), (400, .met),
    ])
    func stateByDaysUntilTheDueDay(days: Int, state: ObligationState) {
        let due = ObligationCalendar.adding(days: days, to: vnDay("2026-11-25"))
        #expect(ObligationEngine.state(dueAt: due, now: Self.now, dueSoonDays: 30) == state)
    }

    // MARK: summary and other rule sets

    @Test func summaryCountsByState() {
        let occurrences = SystemObligations.evaluate(
            Self.facts(goLive: "2024-05-01", approved: "2024-06-01", redetermine: true, plan: Self.partial, assessed: "2026-03-01", independent: true),
            rules: Self.rules, now: Self.now)
        let summary = ObligationSummary(occurrences)
        #expect(summary.total == 6)
        #expect(summary.overdue == 2)  // re-determination and the plan; going live early was remedied by the approval
        #expect(summary.met == 4)
        #expect(summary.dueSoon == 0)
        #expect(summary.notApplicable == 0)
        #expect(summary.applicable == 6)
        #expect(summary[.overdue] == 2)
    }

    struct TeamFacts: Sendable { var teamId: UUID; var experts: Int }

    @Test func otherFeaturesAddRuleSetsTheSameWay() {
        let rule = ObligationRuleFunction<TeamFacts>("TEAM_UNDERSTAFFED") { facts, _ in
            ObligationOccurrence(
                dutyId: "TEAM_UNDERSTAFFED", subjectKind: "team", subjectId: facts.teamId, agencyId: nil,
                state: facts.experts >= 5 ? .met : .overdue, dueAt: nil, evidence: "\(facts.experts)",
                basis: [LegalBasis(document: "Chỉ thị 18/CT-TTg")], title: LocalizedText(vi: "Đội", en: "Team"),
                explanation: LocalizedText(vi: "", en: ""), ruleId: "obligations.teams", ruleVersion: "1")
        }
        let rules: [any ObligationRule<TeamFacts>] = [rule]
        let result = ObligationEngine.evaluate(rules, facts: TeamFacts(teamId: UUID(), experts: 3), now: Self.now)
        #expect(result.map(\.state) == [.overdue])
    }

    @Test func occurrenceRoundTripsThroughJSON() throws {
        let occurrences = SystemObligations.evaluate(Self.facts(plan: Self.partial), rules: Self.rules, now: Self.now)
        let data = try JSONEncoder().encode(occurrences)
        #expect(try JSONDecoder().decode([ObligationOccurrence].self, from: data) == occurrences)
    }
}
