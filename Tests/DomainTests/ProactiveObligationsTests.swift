import Foundation
import Testing
@testable import Domain

@Suite struct ProactiveObligationsTests {
    static let rules = RuleBook.shipped.proactiveObligations(at: vnDay("2026-11-25"))
    static let now = vnDay("2026-11-25")
    static func day(_ text: String) -> Date { DisplayTime.parseDay(text)! }
    static func find(_ o: [ObligationOccurrence], _ duty: ProactiveDuty) -> ObligationOccurrence? { o.first { $0.dutyId == duty.rawValue } }
    static func state(_ o: [ObligationOccurrence], _ duty: ProactiveDuty) -> ObligationState? { find(o, duty)?.state }

    static func system(_ lifecycle: LifecycleStatus = .operating, goLive: String? = nil, created: String? = nil, scan: String? = nil,
                       hunt: String? = nil, findings: [OpenFindingFact] = []) -> SystemProactiveFacts {
        SystemProactiveFacts(systemId: UUID(), agencyId: UUID(), lifecycle: lifecycle, goLiveDate: goLive.map(day), createdAt: created.map(day),
                             lastScanAt: scan.map(day), lastHuntAt: hunt.map(day), openFindings: findings)
    }

    @Test func shippedRuleDataHasTheDirectiveNumbersAndEveryDuty() throws {
        let r = Self.rules
        #expect(r.header.id == "obligations.proactive")
        #expect(r.scanIntervalMonths == 6)
        #expect(r.huntIntervalMonths == 6)
        #expect(r.dueSoonDays == 30)
        #expect(r.lifecycleStates == [.operating])
        #expect(r.remediationDays(for: .critical) == 7)
        #expect(r.remediationDays(for: .high) == 30)
        #expect(r.remediationDays(for: .medium) == 90)
        #expect(r.remediationDays(for: .low) == 180)
        #expect(r.remediationDays(for: .info) == nil)
        #expect(Set(r.duties.keys) == Set(ProactiveDuty.allCases.map(\.rawValue)))
        for duty in ProactiveDuty.allCases {
            let d = try #require(r.duties[duty.rawValue])
            #expect(!d.title.vi.isEmpty && !d.title.en.isEmpty && d.title.vi != d.title.en)
            #expect(d.basis.contains { $0.document.contains("18/CT-TTg") })
        }
        #expect(r.duties["SCAN_OVERDUE"]?.title.vi.contains("Rà quét lỗ hổng") == true)
        #expect(r.duties["HUNT_OVERDUE"]?.title.vi.contains("Săn lùng mối nguy hại") == true)
        #expect(r.duties["WARNING_REMEDIATION_DUE"]?.title.vi.contains("cảnh báo của cơ quan chức năng") == true)
        #expect(RuleBook.kinds.contains { $0.ruleId == ProactiveObligationRules.ruleId })
    }

    @Test func scanAndHuntAreDueSixCalendarMonthsAfterTheLastCompletedOne() {
        // Six months after 10/06/2026 is 10/12/2026: due soon from 10/11.
        var o = ProactiveObligations.evaluate(system: Self.system(scan: "2026-06-10", hunt: "2026-09-01"), rules: Self.rules, now: Self.now)
        let scan = Self.find(o, .scanOverdue)!
        #expect(scan.state == .dueSoon)
        #expect(scan.dueAt == Self.day("2026-12-10"))
        #expect(scan.evidence == "10/06/2026")
        #expect(scan.subjectKind == "system")
        #expect(scan.explanation.vi.contains("rà quét lỗ hổng") && scan.explanation.vi.contains("10/12/2026"))
        #expect(scan.explanation.en.contains("vulnerability scan"))
        #expect(scan.ruleId == "obligations.proactive" && scan.ruleVersion == Self.rules.header.version)
        let hunt = Self.find(o, .huntOverdue)!
        #expect(hunt.state == .met)
        #expect(hunt.dueAt == Self.day("2027-03-01"))
        #expect(hunt.explanation.vi.contains("săn lùng mối nguy hại"))

        o = ProactiveObligations.evaluate(system: Self.system(scan: "2026-05-25", hunt: "2026-05-24"), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .scanOverdue) == .dueSoon) // due today, 25/11/2026
        #expect(Self.state(o, .huntOverdue) == .overdue) // due yesterday
        #expect(Self.find(o, .huntOverdue)!.explanation.vi.contains("quá hạn"))
    }

    @Test func onlyOperatingSystemsMustBeScannedAndHunted() {
        for lifecycle in [LifecycleStatus.planned, .building, .retired] {
            let o = ProactiveObligations.evaluate(system: Self.system(lifecycle), rules: Self.rules, now: Self.now)
            #expect(Self.state(o, .scanOverdue) == .notApplicable, "\(lifecycle)")
            #expect(Self.state(o, .huntOverdue) == .notApplicable, "\(lifecycle)")
        }
    }

    @Test func aSystemNeverScannedCountsItsFirstPeriodFromGoLiveThenCreationButNotBeforeTheDirective() {
        // Live for more than six months and never scanned: overdue.
        var o = ProactiveObligations.evaluate(system: Self.system(goLive: "2025-01-15"), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .scanOverdue) == .overdue)
        #expect(Self.find(o, .scanOverdue)!.dueAt == Self.day("2025-07-15"))
        #expect(Self.find(o, .scanOverdue)!.evidence == nil)
        #expect(Self.find(o, .scanOverdue)!.explanation.vi.contains("Chưa ghi nhận lần rà quét lỗ hổng nào"))
        // Live for two months: a full period for the first scan.
        o = ProactiveObligations.evaluate(system: Self.system(goLive: "2026-09-20"), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .scanOverdue) == .met)
        #expect(Self.find(o, .scanOverdue)!.dueAt == Self.day("2027-03-20"))
        // No go-live date: from when the system was recorded.
        o = ProactiveObligations.evaluate(system: Self.system(created: "2026-06-01"), rules: Self.rules, now: Self.now)
        #expect(Self.find(o, .huntOverdue)!.dueAt == Self.day("2026-12-01"))
        #expect(Self.state(o, .huntOverdue) == .dueSoon)
        // Live since 2015: the first period starts with the directive (13/10/2022), not in 2015.
        o = ProactiveObligations.evaluate(system: Self.system(goLive: "2015-03-01"), rules: Self.rules, now: Self.now)
        #expect(Self.find(o, .scanOverdue)!.dueAt == Self.day("2023-04-13"))
        #expect(Self.state(o, .scanOverdue) == .overdue)
        // Nothing known: from the directive.
        o = ProactiveObligations.evaluate(system: Self.system(), rules: Self.rules, now: Self.now)
        #expect(Self.find(o, .scanOverdue)!.dueAt == Self.day("2023-04-13"))
    }

    @Test func vietnamCalendarDecidesTheDay() {
        // 30/06/2026 20:00 UTC is 01/07/2026 03:00 in Hà Nội: due 01/01/2027.
        let last = ISO8601DateFormatter().date(from: "2026-06-30T20:00:00Z")!
        let f = SystemProactiveFacts(systemId: UUID(), lifecycle: .operating, lastScanAt: last)
        let o = ProactiveObligations.evaluate(system: f, rules: Self.rules, now: Self.now)
        #expect(DisplayTime.date(Self.find(o, .scanOverdue)!.dueAt!) == "01/01/2027")
        #expect(Self.find(o, .scanOverdue)!.evidence == "01/07/2026")
    }

    @Test func findingsOverdueCountsOpenFindingsPastTheirDeadlineAndDueIsTheEarliest() {
        let findings = [
            OpenFindingFact(severity: .critical, dueAt: Self.day("2026-11-20")),
            OpenFindingFact(severity: .high, dueAt: Self.day("2026-11-01")),
            OpenFindingFact(severity: .medium, dueAt: Self.day("2027-01-30")),
            OpenFindingFact(severity: .info, dueAt: nil),
        ]
        var o = ProactiveObligations.evaluate(system: Self.system(findings: findings), rules: Self.rules, now: Self.now)
        let late = Self.find(o, .findingsOverdue)!
        #expect(late.state == .overdue)
        #expect(late.evidence == "2")
        #expect(late.dueAt == Self.day("2026-11-01"))
        #expect(late.explanation.vi.contains("1 nghiêm trọng, 1 cao"))
        #expect(late.explanation.en.contains("1 critical, 1 high"))
        #expect(late.explanation.vi.contains("Tổng số lỗ hổng chưa khắc phục: 4"))

        o = ProactiveObligations.evaluate(system: Self.system(findings: [OpenFindingFact(severity: .high, dueAt: Self.day("2026-12-10"))]),
                                          rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .findingsOverdue) == .dueSoon)
        #expect(Self.find(o, .findingsOverdue)!.evidence == "0")
        o = ProactiveObligations.evaluate(system: Self.system(findings: [OpenFindingFact(severity: .low, dueAt: Self.day("2027-05-01"))]),
                                          rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .findingsOverdue) == .met)
        o = ProactiveObligations.evaluate(system: Self.system(), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .findingsOverdue) == .met)
        #expect(Self.find(o, .findingsOverdue)!.evidence == "0")
        o = ProactiveObligations.evaluate(system: Self.system(findings: [OpenFindingFact(severity: .info, dueAt: nil)]), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .findingsOverdue) == .met)
        // Findings of a system being built still count; a retired system's do not.
        o = ProactiveObligations.evaluate(system: Self.system(.building, findings: findings), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .findingsOverdue) == .overdue)
        o = ProactiveObligations.evaluate(system: Self.system(.retired, findings: findings), rules: Self.rules, now: Self.now)
        #expect(Self.state(o, .findingsOverdue) == .notApplicable)
    }

    @Test func remediationDeadlineComesFromTheSeverityDays() {
        let seen = Self.day("2026-11-01")
        #expect(FindingLifecycle.remediationDeadline(firstSeen: seen, severity: .critical, rules: Self.rules) == Self.day("2026-11-08"))
        #expect(FindingLifecycle.remediationDeadline(firstSeen: seen, severity: .high, rules: Self.rules) == Self.day("2026-12-01"))
        #expect(FindingLifecycle.remediationDeadline(firstSeen: seen, severity: .low, rules: Self.rules) == Self.day("2027-04-30"))
        #expect(FindingLifecycle.remediationDeadline(firstSeen: seen, severity: .info, rules: Self.rules) == nil)
    }

    @Test func warningRemediationIsPerWarningAndSystem() {
        let warningId = UUID(), systemId = UUID(), agencyId = UUID()
        func eval(_ f: WarningRemediationFacts) -> ObligationOccurrence { ProactiveObligations.evaluate(warning: f, rules: Self.rules, now: Self.now) }
        var f = WarningRemediationFacts(warningId: warningId, systemId: systemId, agencyId: agencyId,
                                        reference: "Công văn 123/CATTT-NCSC ngày 01/10/2026", deadline: Self.day("2026-11-20"))
        var o = eval(f)
        #expect(o.dutyId == "WARNING_REMEDIATION_DUE")
        #expect(o.subjectKind == "warning_system")
        #expect(o.agencyId == agencyId)
        #expect(o.state == .overdue)
        #expect(o.dueAt == Self.day("2026-11-20"))
        #expect(o.explanation.vi.contains("cảnh báo của cơ quan chức năng (Công văn 123/CATTT-NCSC ngày 01/10/2026)"))
        #expect(o.explanation.vi.contains("chưa xác nhận đã tiếp nhận"))
        // A stable subject id without a row id; the row id when given.
        #expect(o.subjectId == ProactiveObligations.warningSystemSubjectId(warningId: warningId, systemId: systemId))
        #expect(o.subjectId != ProactiveObligations.warningSystemSubjectId(warningId: systemId, systemId: warningId))
        #expect(o.subjectId.uuidString.dropFirst(14).first == "5")
        let rowId = UUID()
        f.id = rowId
        #expect(eval(f).subjectId == rowId)

        f.acknowledgedAt = Self.day("2026-11-02")
        f.deadline = Self.day("2026-12-15")
        o = eval(f)
        #expect(o.state == .dueSoon)
        #expect(o.explanation.vi.contains("đã tiếp nhận ngày 02/11/2026"))

        f.remediatedAt = Self.day("2026-11-10")
        o = eval(f)
        #expect(o.state == .met)
        #expect(o.evidence == "10/11/2026")
        f.deadline = Self.day("2026-11-05")
        #expect(eval(f).state == .met)
        #expect(eval(f).explanation.vi.contains("sau thời hạn 05/11/2026"))

        f.remediatedAt = nil
        f.notAffected = true
        #expect(eval(f).state == .notApplicable)
    }

    @Test func aWarningWithoutADeadlineGetsTheDefaultFromReceipt() {
        var f = WarningRemediationFacts(warningId: UUID(), systemId: UUID(), agencyId: nil, deadline: nil, receivedAt: Self.day("2026-10-01"))
        var o = ProactiveObligations.evaluate(warning: f, rules: Self.rules, now: Self.now)
        #expect(o.dueAt == Self.day("2026-10-31"))
        #expect(o.state == .overdue)
        #expect(o.explanation.vi.contains("mặc định 30 ngày"))
        f.receivedAt = nil
        o = ProactiveObligations.evaluate(warning: f, rules: Self.rules, now: Self.now)
        #expect(o.dueAt == nil)
        #expect(o.state == .met)
        var rules = Self.rules
        rules.warningDefaultRemediationDays = nil
        f.receivedAt = Self.day("2026-10-01")
        #expect(ProactiveObligations.evaluate(warning: f, rules: rules, now: Self.now).dueAt == nil)
    }

    @Test func evaluatingManySubjectsGivesThreeDutiesPerSystemAndOnePerWarning() {
        let systems = (0..<3).map { _ in Self.system(scan: "2026-10-01", hunt: "2026-10-01") }
        let warnings = [WarningRemediationFacts(warningId: UUID(), systemId: systems[0].systemId, agencyId: systems[0].agencyId, deadline: nil)]
        let all = ProactiveObligations.evaluate(systems: systems, warnings: warnings, rules: Self.rules, now: Self.now)
        #expect(all.count == 10)
        #expect(ObligationSummary(all).met == 10)
    }

    @Test func brokenOverridesAreRefusedNamingThePath() throws {
        let dir = try OverrideDirectory()
        defer { dir.remove() }
        var file = try OverrideDirectory.bundled("obligations.proactive.json")
        var p = try #require(file["parameters"] as? [String: Any])
        p["remediationDays"] = ["critical": 40, "high": 30, "medium": 90, "low": 180, "info": NSNull()]
        file["parameters"] = p
        try dir.write("p.json", file)
        var error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.path == "parameters.remediationDays.critical")

        p["remediationDays"] = ["critical": 7, "high": 30, "medium": 90, "low": 180]
        p["lifecycleStates"] = ["operating", "pilot"]
        file["parameters"] = p
        try dir.write("p.json", file)
        error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.path == "parameters.lifecycleStates[1]")

        p["lifecycleStates"] = ["operating"]
        file["parameters"] = p
        try dir.write("p.json", file)
        error = try #require(throws: RuleError.self) { try RuleBook.load(overridesDirectory: dir.url) }
        #expect(error.message.contains("info"))

        // A province that also wants systems being built scanned, with a 3-month interval.
        p["remediationDays"] = ["critical": 7, "high": 30, "medium": 90, "low": 180, "info": NSNull()]
        p["lifecycleStates"] = ["operating", "building"]
        p["scanIntervalMonths"] = 3
        file["parameters"] = p
        try dir.write("p.json", file)
        let book = try RuleBook.load(overridesDirectory: dir.url)
        let rules = book.proactiveObligations()
        #expect(rules.scanIntervalMonths == 3)
        #expect(rules.lifecycleStates == [.operating, .building])
        let o = ProactiveObligations.evaluate(system: Self.system(.building, scan: "2026-07-01"), rules: rules, now: Self.now)
        #expect(Self.state(o, .scanOverdue) == .overdue)
    }
}
