import Foundation
import Testing
@testable import Domain

@Suite struct ResponseObligationsTests {
    static let rules = RuleBook.shipped.responseObligations()
    static func day(_ text: String) -> Date { DisplayTime.parseDay(text)! }
    static func state(_ o: [ObligationOccurrence], _ duty: ResponseDuty) -> ObligationState? { o.first { $0.dutyId == duty.rawValue }?.state }

    @Test func shippedRuleDataHasEveryDutyAndTheDirectiveNumbers() {
        let r = Self.rules
        #expect(r.header.id == "obligations.response")
        #expect(r.minExperts == 5)
        #expect(r.planReviewMonths == 12)
        #expect(r.drillFromLevel == 3)
        #expect(r.drillMode == .calendarYear)
        #expect(!r.drillKinds.contains(.tabletop))
        #expect(Set(r.duties.keys) == Set(ResponseDuty.allCases.map(\.rawValue)))
        #expect(r.teamRole("leader") != nil)
    }

    @Test func scenarioLibraryHasTheEightScenariosWithStepsInEveryPhaseInBothLanguages() {
        let library = RuleBook.shipped.scenarios()
        let ids = Set(library.scenarios.map(\.id))
        #expect(ids.isSuperset(of: ["ransomware", "ddos", "defacement", "data_leak", "phishing_bec", "malware_outbreak", "compromised_account", "server_intrusion"]))
        for s in library.scenarios {
            #expect(!s.title.vi.isEmpty && !s.title.en.isEmpty)
            for phase in ResponsePhase.allCases {
                #expect(!s.steps(phase).isEmpty, "\(s.id) \(phase)")
                for step in s.steps(phase) { #expect(!step.text.vi.isEmpty && !step.text.en.isEmpty && step.text.vi != step.text.en, "\(step.id)") }
            }
        }
        // Vietnamese with diacritics, not ASCII transliteration.
        #expect(library.scenario("ransomware")!.steps(.containment).contains { $0.text.vi.contains("Cô lập") })
    }

    @Test func teamWithFewerThanFiveExpertsIsUnderstaffedOutsourcedExpertsCount() {
        let now = Self.day("2026-11-25")
        let four = ResponseObligations.evaluate(team: .init(teamId: UUID(), agencyId: nil, experts: 4), rules: Self.rules, now: now)
        #expect(Self.state(four, .teamUnderstaffed) == .overdue)
        let five = ResponseObligations.evaluate(team: .init(teamId: UUID(), agencyId: nil, experts: 5), rules: Self.rules, now: now)
        #expect(Self.state(five, .teamUnderstaffed) == .met)
        #expect(five.first { $0.dutyId == "TEAM_UNDERSTAFFED" }?.basis.first?.document.contains("18/CT-TTg") == true)
    }

    @Test func teamValidityExpiresAfterItsEndDayAndIsDueSoonBefore() {
        let now = Self.day("2026-11-25")
        func validity(_ to: String?) -> ObligationState? {
            Self.state(ResponseObligations.evaluate(team: .init(teamId: UUID(), agencyId: nil, experts: 5, validTo: to.map(Self.day)), rules: Self.rules, now: now), .teamExpired)
        }
        #expect(validity(nil) == .met)
        #expect(validity("2026-11-24") == .overdue)
        #expect(validity("2026-11-25") == .dueSoon)
        #expect(validity("2026-12-20") == .dueSoon)
        #expect(validity("2027-06-30") == .met)
    }

    @Test func focalPointNeedsPhoneAndEmailForAgenciesThatOwnSystemsOrAreListed() {
        let now = Self.day("2026-11-25")
        func focal(_ kind: String, owns: Bool, _ phone: String?, _ email: String?) -> ObligationState? {
            Self.state(ResponseObligations.evaluate(agency: .init(agencyId: UUID(), kind: kind, ownsSystems: owns, phone: phone, email: email),
                                                    rules: Self.rules, now: now), .focalPointMissing)
        }
        #expect(focal("commune", owns: false, nil, nil) == nil)
        #expect(focal("commune", owns: true, nil, nil) == .overdue)
        #expect(focal("department", owns: false, "0205 3812 345", nil) == .overdue)
        #expect(focal("department", owns: false, " ", "a@b.vn") == .overdue)
        #expect(focal("department", owns: false, "0205 3812 345", "a@b.vn") == .met)
    }

    @Test func planMissingForOperatingSystemsAndStaleAfterAChangeOrTheReviewPeriod() {
        let now = Self.day("2026-11-25")
        var f = SystemResponseFacts(systemId: UUID(), agencyId: nil, lifecycle: .operating)
        var o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: now)
        #expect(Self.state(o, .planMissing) == .overdue)
        #expect(Self.state(o, .planStale) == .notApplicable)
        f.plans = [.init(planId: UUID(), title: "PA", versionNumber: 1, approvedAt: Self.day("2026-06-01"))]
        o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: now)
        #expect(Self.state(o, .planMissing) == .met)
        #expect(Self.state(o, .planStale) == .met)
        f.plans[0].changedFields = ["hosting"]
        o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: now)
        #expect(Self.state(o, .planStale) == .overdue)
        #expect(o.first { $0.dutyId == "IRPLAN_STALE" }!.explanation.vi.contains("hosting"))
        f.plans[0].changedFields = []
        o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: Self.day("2027-06-02"))
        #expect(Self.state(o, .planStale) == .overdue)
        f.lifecycle = .building
        #expect(Self.state(ResponseObligations.evaluate(system: f, rules: Self.rules, now: now), .planMissing) == .notApplicable)
    }

    @Test func changedFieldsWatchOnlyTheConfiguredFields() {
        let watched = Self.rules.planStaleFields
        let old = ["hosting": "cloud", "purpose": "A", "approvedLevel": "3"]
        #expect(ResponseObligations.changedFields(old: old, oldComponents: ["web"], new: old.merging(["purpose": "B"]) { _, b in b },
                                                  newComponents: ["web"], watched: watched).isEmpty)
        #expect(ResponseObligations.changedFields(old: old, oldComponents: ["web"], new: old, newComponents: ["web", "db"], watched: watched) == ["components"])
        #expect(ResponseObligations.changedFields(old: old, oldComponents: [], new: old.merging(["approvedLevel": "4"]) { _, b in b },
                                                  newComponents: [], watched: watched) == ["approvedLevel"])
    }

    @Test func drillIsDueEveryCalendarYearForLevelThreeAndAbove() {
        let now = Self.day("2026-11-25")
        var f = SystemResponseFacts(systemId: UUID(), agencyId: nil, lifecycle: .operating, approvedLevel: 2, approvedAt: Self.day("2024-01-10"))
        #expect(Self.state(ResponseObligations.evaluate(system: f, rules: Self.rules, now: now), .drillOverdue) == .notApplicable)
        f.approvedLevel = 3
        // Approved before 2025 and not drilled in 2025: overdue since 31/12/2025.
        var o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: now).first { $0.dutyId == "DRILL_OVERDUE" }!
        #expect(o.state == .overdue)
        #expect(DisplayTime.date(o.dueAt!) == "31/12/2025")
        // Drilled in 2025: this year's drill is not due yet (met until December's due-soon window).
        f.executedDrills = [Self.day("2025-10-01")]
        o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: now).first { $0.dutyId == "DRILL_OVERDUE" }!
        #expect(o.state == .met)
        #expect(o.evidence == nil)
        #expect(DisplayTime.date(o.dueAt!) == "31/12/2026")
        #expect(Self.state(ResponseObligations.evaluate(system: f, rules: Self.rules, now: Self.day("2026-12-05")), .drillOverdue) == .dueSoon)
        // Drilled this year: met, with the day as evidence.
        f.executedDrills.append(Self.day("2026-03-15"))
        o = ResponseObligations.evaluate(system: f, rules: Self.rules, now: now).first { $0.dutyId == "DRILL_OVERDUE" }!
        #expect(o.state == .met)
        #expect(o.evidence == "15/03/2026")
        // Newly approved this year: due by 31/12, not overdue.
        let fresh = SystemResponseFacts(systemId: UUID(), agencyId: nil, lifecycle: .operating, approvedLevel: 4, approvedAt: Self.day("2026-05-01"))
        #expect(Self.state(ResponseObligations.evaluate(system: fresh, rules: Self.rules, now: now), .drillOverdue) == .met)
    }

    @Test func rollingModeCountsTwelveMonthsFromTheLastDrill() {
        var r = Self.rules
        r.drillMode = .rolling12Months
        let f = SystemResponseFacts(systemId: UUID(), agencyId: nil, lifecycle: .operating, approvedLevel: 3, approvedAt: Self.day("2024-01-10"),
                                    executedDrills: [Self.day("2025-12-01")])
        #expect(Self.state(ResponseObligations.evaluate(system: f, rules: r, now: Self.day("2026-10-01")), .drillOverdue) == .met)
        #expect(Self.state(ResponseObligations.evaluate(system: f, rules: r, now: Self.day("2026-11-25")), .drillOverdue) == .dueSoon)
        #expect(Self.state(ResponseObligations.evaluate(system: f, rules: r, now: Self.day("2026-12-02")), .drillOverdue) == .overdue)
    }

    @Test func teamRulesAreTableTested() {
        let officer = Subject(userId: UUID(), role: .agencyOfficer, agencyId: PolicyTests.home, agencySubtree: [PolicyTests.home])
        let coordinator = Subject(userId: UUID(), role: .coordinator, agencyId: nil, agencySubtree: [])
        let police = Subject(userId: UUID(), role: .police, agencyId: PolicyTests.home, agencySubtree: [PolicyTests.home])
        let admin = Subject(userId: UUID(), role: .admin, agencyId: nil, agencySubtree: [])
        let rows: [(Subject, TeamKind, UUID, Bool, Bool)] = [
            (officer, .agency, PolicyTests.home, true, true),
            (officer, .agency, PolicyTests.other, false, false),
            (officer, .provincial, PolicyTests.other, true, false),
            (coordinator, .provincial, PolicyTests.other, true, true),
            (coordinator, .agency, PolicyTests.other, true, true),
            (police, .agency, PolicyTests.other, true, false),
            (admin, .agency, PolicyTests.other, true, false),
        ]
        for (subject, kind, agency, read, manage) in rows {
            #expect(Policy.canRead(team: kind, agencyId: agency, subject: subject) == read, "\(subject.role) read \(kind)")
            #expect(Policy.canManage(team: kind, agencyId: agency, subject: subject) == manage, "\(subject.role) manage \(kind)")
        }
        #expect(!Policy.can(police, .viewResponse))
    }
}
