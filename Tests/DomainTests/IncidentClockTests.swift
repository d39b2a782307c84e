import Foundation
import Testing
@testable import Domain

@Suite struct IncidentDeadlineArithmeticTests {
    static let holidays = RuleBook.shipped.holidayCalendar()

    @Test(arguments: [
        // start (Vietnam), amount, unit, due (Vietnam)
        ("2026-01-31 10:00", 5, DeadlineUnit.calendarDays, "2026-02-05 10:00"),  // end of January
        ("2026-02-26 09:30", 5, .calendarDays, "2026-03-03 09:30"),              // February 2026 has 28 days
        ("2028-02-26 09:30", 5, .calendarDays, "2028-03-02 09:30"),              // leap year: 29/2/2028 counts
        ("2026-12-29 23:30", 5, .calendarDays, "2027-01-03 23:30"),              // year end, late evening
        ("2026-11-30 02:00", 5, .calendarDays, "2026-12-05 02:00"),              // still 29/11 in UTC
        ("2026-04-28 08:00", 5, .calendarDays, "2026-05-03 08:00"),              // holidays do not matter
        ("2026-11-25 10:00", 0, .calendarDays, "2026-11-25 10:00"),
        ("2026-11-25 10:00", 72, .hours, "2026-11-28 10:00"),
        ("2026-12-31 20:00", 24, .hours, "2027-01-01 20:00"),
        ("2026-11-25 10:15", 2, .hours, "2026-11-25 12:15"),
        ("2026-11-25 10:00", 5, .workingDays, "2026-12-02 10:00"),               // Wed → Wed over a weekend
        ("2026-11-27 06:00", 1, .workingDays, "2026-11-30 06:00"),               // Friday 06:00 is Thursday in UTC
        ("2026-11-28 10:00", 1, .workingDays, "2026-11-30 10:00"),               // from a Saturday
        ("2026-04-24 09:00", 3, .workingDays, "2026-05-04 09:00"),               // 27/4 (Hùng Kings, moved), 30/4, 1/5
        ("2026-04-28 09:00", 5, .workingDays, "2026-05-07 09:00"),
        ("2026-02-13 15:00", 1, .workingDays, "2026-02-23 15:00"),               // Tết 16–20/2/2026
        ("2026-08-21 10:00", 1, .workingDays, "2026-08-22 10:00"),               // Saturday 22/8/2026 is worked
        ("2026-08-28 10:00", 1, .workingDays, "2026-09-03 10:00"),               // 31/8, 1/9, 2/9
        ("2026-12-31 10:00", 2, .workingDays, "2027-01-05 10:00"),               // 1/1/2027 and a weekend
        ("2028-02-25 10:00", 3, .workingDays, "2028-03-01 10:00"),               // beyond the calendar: weekends only
        ("2026-11-25 10:00", 0, .workingDays, "2026-11-25 10:00"),
    ])
    func dueDate(start: String, amount: Int, unit: DeadlineUnit, due: String) {
        let result = DeadlineCalculator.dueDate(from: incidentLocalTime(start), amount: amount, unit: unit, holidays: Self.holidays)
        #expect(DisplayTime.dateTime(result) == DisplayTime.dateTime(incidentLocalTime(due)))
        #expect(result == incidentLocalTime(due))
    }

    @Test func workingDaysWithoutACalendarSkipWeekendsOnly() {
        let due = DeadlineCalculator.dueDate(from: incidentLocalTime("2026-04-28 09:00"), amount: 5, unit: .workingDays, holidays: nil)
        #expect(due == incidentLocalTime("2026-05-05 09:00"))
    }

    @Test func instantsStayUTC() {
        // 31/1/2026 23:30 in Vietnam is 16:30 UTC; five days later is 5/2 16:30 UTC.
        let start = incidentLocalTime("2026-01-31 23:30")
        #expect(start == Date(timeIntervalSince1970: 1_769_877_000))
        let due = DeadlineCalculator.dueDate(from: start, amount: 5, unit: .calendarDays, holidays: nil)
        #expect(due.timeIntervalSince(start) == 5 * 86_400)
        #expect(due.formatted(.iso8601) == "2026-02-05T16:30:00Z")
    }

    @Test func holidayCalendarAnswersByVietnameseDay() {
        let h = Self.holidays
        #expect(!h.isWorkingDay(incidentLocalTime("2026-09-02 08:00")))
        #expect(h.isWorkingDay(incidentLocalTime("2026-08-22 08:00")))      // made-up Saturday
        #expect(!h.isWorkingDay(incidentLocalTime("2026-11-28 08:00")))     // Saturday
        #expect(!h.isWorkingDay(incidentLocalTime("2026-02-16 03:00")))     // still 15/2 in UTC, a Tết day in Vietnam
        #expect(h.covers(incidentLocalTime("2027-12-31 23:59")))
        #expect(!h.covers(incidentLocalTime("2028-01-01 00:00")))
        #expect(h.holidayDays.contains("2026-04-27"))
    }
}

@Suite struct IncidentClockEngineTests {
    static let book = RuleBook.shipped
    static let rules = book.incidentClocks(at: incidentLocalTime("2026-11-20 08:00"))
    static let holidays = book.holidayCalendar()
    static let detected = incidentLocalTime("2026-11-20 08:00")

    static func clocks(_ facts: IncidentClockFacts, now: String, rules: IncidentClockRules = rules) -> [IncidentClockKind: IncidentClock] {
        let list = IncidentClockEngine.clocks(facts, rules: rules, holidays: holidays, now: incidentLocalTime(now))
        return Dictionary(uniqueKeysWithValues: list.map { ($0.kind, $0) })
    }

    static func clock(_ kind: IncidentClockKind, _ facts: IncidentClockFacts, now: String) -> IncidentClock {
        clocks(facts, now: now)[kind]!
    }

    @Test func everyKindOnceInOrderWithRuleAndExplanation() {
        let list = IncidentClockEngine.clocks(
            IncidentClockFacts(detectedAt: Self.detected, beyondCapability: true, personalDataInvolved: true),
            rules: Self.rules, holidays: Self.holidays, now: incidentLocalTime("2026-11-21 08:00"))
        #expect(list.map(\.kind) == IncidentClockKind.allCases)
        for clock in list {
            #expect(clock.ruleId == "incidents.clocks")
            #expect(clock.ruleVersion == "2026.1")
            #expect(!clock.basis.isEmpty)
            #expect(!clock.title.vi.isEmpty && !clock.title.en.isEmpty && !clock.recipients.vi.isEmpty)
            #expect(!clock.explanation.vi.isEmpty && !clock.explanation.en.isEmpty, "\(clock.kind)")
        }
    }

    // MARK: notification: pending → due soon → overdue; done vs done late

    @Test(arguments: [
        // now, state, remaining seconds
        ("2026-11-20 08:00", IncidentClockState.pending, 5 * 86_400),
        ("2026-11-23 07:59", .pending, 48 * 3600 + 60),
        ("2026-11-23 08:00", .dueSoon, 48 * 3600),   // due soon from 48 hours before
        ("2026-11-25 07:00", .dueSoon, 3600),
        ("2026-11-25 08:00", .dueSoon, 0),           // at the due time: not yet overdue
        ("2026-11-25 08:01", .overdue, -60),
        ("2026-11-27 08:00", .overdue, -2 * 86_400),
    ])
    func notificationRuns(now: String, state: IncidentClockState, remaining: Int) {
        let clock = Self.clock(.notification, IncidentClockFacts(detectedAt: Self.detected), now: now)
        #expect(clock.state == state)
        #expect(clock.remainingSeconds == remaining)
        #expect(clock.dueAt == incidentLocalTime("2026-11-25 08:00"))
        #expect(clock.startedAt == Self.detected)
        #expect(clock.applies)
    }

    @Test(arguments: [
        ("2026-11-22 15:00", IncidentClockState.done),
        ("2026-11-25 08:00", .done),     // at the due time is on time
        ("2026-11-25 08:01", .doneLate),
    ])
    func sentNotification(sent: String, state: IncidentClockState) {
        let facts = IncidentClockFacts(detectedAt: Self.detected, sentAt: [.notification: incidentLocalTime(sent)])
        let clock = Self.clock(.notification, facts, now: "2026-11-30 08:00")
        #expect(clock.state == state)
        #expect(clock.remainingSeconds == nil)
        #expect(clock.sentAt == incidentLocalTime(sent))
        #expect(clock.dueAt == incidentLocalTime("2026-11-25 08:00"))
    }

    @Test func explanationsNameTheDueTimeInVietnamAndTheBasis() {
        let clock = Self.clock(.notification, IncidentClockFacts(detectedAt: Self.detected), now: "2026-11-24 05:30")
        #expect(clock.explanation.vi == "Còn 1 ngày 2 giờ: hạn 25/11/2026 08:00 (5 ngày kể từ thời điểm phát hiện sự cố 20/11/2026 08:00).")
        #expect(clock.explanation.en == "1 d 2 h left: due 25/11/2026 08:00 (5 calendar days from detection, 20/11/2026 08:00).")
        #expect(clock.basis.map(\.citation) == ["Thông tư 20/2017/TT-BTTTT"])
        let late = Self.clock(.notification, IncidentClockFacts(detectedAt: Self.detected, sentAt: [.notification: incidentLocalTime("2026-11-26 10:30")]), now: "2026-11-30 08:00")
        #expect(late.explanation.vi == "Đã gửi lúc 26/11/2026 10:30, trễ 1 ngày 2 giờ so với hạn 25/11/2026 08:00.")
        let overdue = Self.clock(.notification, IncidentClockFacts(detectedAt: Self.detected), now: "2026-11-25 08:40")
        #expect(overdue.explanation.en.hasPrefix("Overdue by 40 min: due 25/11/2026 08:00"))
    }

    // MARK: final report: waiting until the response ends

    @Test func finalReportWaitsForTheEndOfTheResponseThenRuns() {
        var facts = IncidentClockFacts(detectedAt: Self.detected)
        let waiting = Self.clock(.finalReport, facts, now: "2026-11-30 08:00")
        #expect(waiting.state == .waiting)
        #expect(waiting.dueAt == nil && waiting.remainingSeconds == nil && waiting.startedAt == nil)
        #expect(waiting.explanation.vi.contains("thời điểm kết thúc ứng phó sự cố"))

        facts.responseCompletedAt = incidentLocalTime("2026-11-28 17:00")
        let running = Self.clock(.finalReport, facts, now: "2026-11-30 08:00")
        #expect(running.state == .pending)
        #expect(running.dueAt == incidentLocalTime("2026-12-03 17:00"))
        #expect(Self.clock(.finalReport, facts, now: "2026-12-02 08:00").state == .dueSoon)
        #expect(Self.clock(.finalReport, facts, now: "2026-12-04 08:00").state == .overdue)

        facts.sentAt[.finalReport] = incidentLocalTime("2026-12-01 09:00")
        #expect(Self.clock(.finalReport, facts, now: "2026-12-04 08:00").state == .done)
    }

    @Test func finalReportSentBeforeTheEndWasRecordedIsDone() {
        let facts = IncidentClockFacts(detectedAt: Self.detected, sentAt: [.finalReport: incidentLocalTime("2026-11-29 09:00")])
        let clock = Self.clock(.finalReport, facts, now: "2026-12-04 08:00")
        #expect(clock.state == .done)
        #expect(clock.dueAt == nil)
    }

    // MARK: conditional duties

    @Test(arguments: [false, true])
    func initialReportOnlyWhenBeyondCapability(beyond: Bool) {
        let clock = Self.clock(.initialReport, IncidentClockFacts(detectedAt: Self.detected, beyondCapability: beyond), now: "2026-11-20 20:00")
        #expect(clock.applies == beyond)
        #expect(clock.condition == .beyondCapability)
        if beyond {
            #expect(clock.state == .pending)
            #expect(clock.dueAt == incidentLocalTime("2026-11-21 08:00"))
            #expect(Self.clock(.initialReport, IncidentClockFacts(detectedAt: Self.detected, beyondCapability: true), now: "2026-11-21 03:00").state == .dueSoon)
        } else {
            #expect(clock.state == .notApplicable)
            #expect(clock.dueAt == nil)
            #expect(clock.explanation.en == "Not applicable: the agency can handle the incident alone.")
        }
    }

    @Test(arguments: [false, true])
    func breachNoticeOnlyWithPersonalData(personal: Bool) {
        let clock = Self.clock(.pdpBreachNotice, IncidentClockFacts(detectedAt: Self.detected, personalDataInvolved: personal), now: "2026-11-22 09:00")
        #expect(clock.state == (personal ? .dueSoon : .notApplicable))
        #expect(clock.dueAt == (personal ? incidentLocalTime("2026-11-23 08:00") : nil))
        #expect(clock.recipients.vi.contains("A05"))
    }

    @Test func breachNoticeFollowsTheLawInForceAtDetection() {
        let before = IncidentClockFacts(detectedAt: incidentLocalTime("2025-12-31 23:00"), personalDataInvolved: true)
        let after = IncidentClockFacts(detectedAt: incidentLocalTime("2026-01-01 00:30"), personalDataInvolved: true)
        let old = IncidentClockEngine.clocks(before, book: Self.book, now: incidentLocalTime("2026-01-02 00:00")).first { $0.kind == .pdpBreachNotice }!
        let new = IncidentClockEngine.clocks(after, book: Self.book, now: incidentLocalTime("2026-01-02 00:00")).first { $0.kind == .pdpBreachNotice }!
        #expect(old.ruleVersion == "2023.1")
        #expect(old.basis == [LegalBasis(document: "Nghị định 13/2023/NĐ-CP", provision: "Điều 23")])
        #expect(old.form?.vi.contains("Mẫu số 03") == true)
        #expect(old.dueAt == incidentLocalTime("2026-01-03 23:00"))
        #expect(new.ruleVersion == "2026.1")
        #expect(new.basis.map(\.document).contains("Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15"))
        #expect(new.dueAt == incidentLocalTime("2026-01-04 00:30"))
    }

    @Test func seriousEscalationOnlyOnceConfirmed() {
        var facts = IncidentClockFacts(detectedAt: Self.detected, beyondCapability: true)
        let unconfirmed = Self.clock(.seriousEscalation, facts, now: "2026-11-21 08:00")
        #expect(unconfirmed.state == .notApplicable)
        #expect(!unconfirmed.applies)

        facts.seriousConfirmedAt = incidentLocalTime("2026-11-21 09:00")
        let confirmed = Self.clock(.seriousEscalation, facts, now: "2026-11-21 09:30")
        #expect(confirmed.state == .pending)
        #expect(confirmed.dueAt == incidentLocalTime("2026-11-21 11:00"))
        #expect(Self.clock(.seriousEscalation, facts, now: "2026-11-21 10:15").state == .dueSoon)
        #expect(Self.clock(.seriousEscalation, facts, now: "2026-11-21 11:01").state == .overdue)
        facts.sentAt[.seriousEscalation] = incidentLocalTime("2026-11-21 09:40")
        #expect(Self.clock(.seriousEscalation, facts, now: "2026-11-21 12:00").state == .done)
    }

    @Test func aReportSentForADutyThatDoesNotApplyStaysNotApplicable() {
        let facts = IncidentClockFacts(detectedAt: Self.detected, sentAt: [.pdpBreachNotice: incidentLocalTime("2026-11-21 09:00")])
        let clock = Self.clock(.pdpBreachNotice, facts, now: "2026-11-22 08:00")
        #expect(clock.state == .notApplicable)
        #expect(clock.sentAt != nil)
        #expect(clock.explanation.vi.contains("vẫn đã được gửi"))
    }

    // MARK: working-day mode

    static func workingDayRules() -> IncidentClockRules {
        var rules = Self.rules
        rules.clocks = rules.clocks.map { var c = $0; if c.kind == .notification { c.unit = .workingDays }; return c }
        return rules
    }

    @Test func workingDayModeSkipsTetAndWeekends() {
        let facts = IncidentClockFacts(detectedAt: incidentLocalTime("2026-02-13 15:00"))
        let clock = Self.clocks(facts, now: "2026-02-23 09:00", rules: Self.workingDayRules())[.notification]!
        #expect(clock.dueAt == incidentLocalTime("2026-02-27 15:00"))
        #expect(clock.state == .pending)
        #expect(clock.unit == .workingDays)
        #expect(clock.explanation.vi.contains("5 ngày làm việc"))
        #expect(!clock.explanation.vi.contains("lịch ngày nghỉ lễ chưa có"))
        // The same incident in calendar days was due on 18/2, in the middle of Tết.
        #expect(Self.clock(.notification, facts, now: "2026-02-23 09:00").dueAt == incidentLocalTime("2026-02-18 15:00"))
    }

    @Test func workingDaysBeyondTheHolidayCalendarSaySo() {
        let facts = IncidentClockFacts(detectedAt: incidentLocalTime("2028-03-01 10:00"))
        let clock = Self.clocks(facts, now: "2028-03-01 11:00", rules: Self.workingDayRules())[.notification]!
        #expect(clock.dueAt == incidentLocalTime("2028-03-08 10:00"))
        #expect(clock.explanation.en.contains("the holiday calendar does not cover this year"))
    }

    // MARK: closed cases

    @Test func closedCaseFreezesAtClosure() {
        let facts = IncidentClockFacts(
            detectedAt: Self.detected, responseCompletedAt: incidentLocalTime("2026-11-27 10:00"),
            closedAt: incidentLocalTime("2026-11-28 10:00"), resolution: .resolved)
        let clocks = Self.clocks(facts, now: "2026-12-20 10:00")
        // The notification was missed before the case closed: it stays overdue, counted to the closure.
        #expect(clocks[.notification]!.state == .overdue)
        #expect(clocks[.notification]!.remainingSeconds == -(3 * 86_400 + 2 * 3600))
        // The final report fell due after the closure (closed with a recorded reason).
        #expect(clocks[.finalReport]!.state == .notApplicable)
        #expect(clocks[.finalReport]!.explanation.vi.contains("hồ sơ đã đóng lúc 28/11/2026 10:00"))
    }

    @Test(arguments: [IncidentResolution.duplicate, .notAnIncident])
    func duplicatesAndNonIncidentsOweNothing(resolution: IncidentResolution) {
        let facts = IncidentClockFacts(
            detectedAt: Self.detected, beyondCapability: true, personalDataInvolved: true,
            sentAt: [.initialReport: incidentLocalTime("2026-11-20 12:00")], closedAt: incidentLocalTime("2026-11-30 10:00"),
            resolution: resolution)
        let clocks = Self.clocks(facts, now: "2026-12-20 10:00")
        #expect(clocks[.initialReport]!.state == .done)
        for kind in [IncidentClockKind.notification, .finalReport, .pdpBreachNotice, .seriousEscalation] {
            #expect(clocks[kind]!.state == .notApplicable, "\(kind)")
        }
    }

    // MARK: closing

    @Test(arguments: [
        (Optional("2026-11-30 10:00"), IncidentResolution.resolved, String?.none, true, IncidentCloseCheck.Code.finalReportSent),
        (nil, .resolved, nil, false, .finalReportMissing),
        (nil, .resolved, "   ", false, .finalReportMissing),
        (nil, .resolved, "Cơ quan điều phối đã xác nhận kết thúc qua điện thoại", true, .overrideRecorded),
        (nil, .duplicate, nil, true, .noReportNeeded),
        (nil, .notAnIncident, nil, true, .noReportNeeded),
    ])
    func canClose(sent: String?, resolution: IncidentResolution, reason: String?, allowed: Bool, code: IncidentCloseCheck.Code) {
        let check = IncidentClockEngine.canClose(finalReportSentAt: sent.map(incidentLocalTime), resolution: resolution, overrideReason: reason)
        #expect(check.allowed == allowed)
        #expect(check.code == code)
        #expect(!check.message.vi.isEmpty && !check.message.en.isEmpty)
        let facts = IncidentClockFacts(detectedAt: Self.detected, sentAt: sent.map { [.finalReport: incidentLocalTime($0)] } ?? [:])
        #expect(IncidentClockEngine.canClose(facts, resolution: resolution, overrideReason: reason) == check)
    }

    // MARK: obligations

    @Test func clocksBecomeObligationOccurrences() {
        let incident = UUID(), agency = UUID()
        let facts = IncidentClockFacts(
            detectedAt: Self.detected, beyondCapability: true, personalDataInvolved: true,
            sentAt: [.initialReport: incidentLocalTime("2026-11-20 10:00"), .pdpBreachNotice: incidentLocalTime("2026-11-24 08:00")])
        let clocks = IncidentClockEngine.clocks(facts, rules: Self.rules, holidays: Self.holidays, now: incidentLocalTime("2026-11-24 09:00"))
        let occurrences = IncidentClockEngine.obligations(clocks, incidentId: incident, agencyId: agency)
        let byDuty = Dictionary(uniqueKeysWithValues: occurrences.map { ($0.dutyId, $0) })
        #expect(occurrences.map(\.dutyId) == IncidentClockKind.allCases.map(\.rawValue))
        #expect(occurrences.allSatisfy { $0.subjectKind == "incident" && $0.subjectId == incident && $0.agencyId == agency })
        #expect(occurrences.allSatisfy { $0.ruleId == "incidents.clocks" && $0.ruleVersion == "2026.1" })
        #expect(byDuty["NOTIFICATION"]!.state == .dueSoon)
        #expect(byDuty["INITIAL_REPORT"]!.state == .met)
        #expect(byDuty["INITIAL_REPORT"]!.evidence == "2026-11-20T03:00:00Z")
        #expect(byDuty["PDP_BREACH_NOTICE"]!.state == .met)       // sent late: met, the lateness is in the explanation
        #expect(byDuty["PDP_BREACH_NOTICE"]!.explanation.vi.contains("trễ"))
        #expect(byDuty["FINAL_REPORT"]!.state == .notApplicable)  // waiting
        #expect(byDuty["SERIOUS_ESCALATION"]!.state == .notApplicable)
        #expect(byDuty["NOTIFICATION"]!.dueAt == incidentLocalTime("2026-11-25 08:00"))
        #expect(byDuty["NOTIFICATION"]!.title == Self.rules.definition(.notification)!.title)
    }

    @Test(arguments: [
        (IncidentClockState.notApplicable, ObligationState.notApplicable), (.waiting, .notApplicable), (.pending, .met),
        (.dueSoon, .dueSoon), (.overdue, .overdue), (.done, .met), (.doneLate, .met),
    ])
    func obligationStates(clock: IncidentClockState, obligation: ObligationState) {
        var c = IncidentClockEngine.clocks(IncidentClockFacts(detectedAt: Self.detected), rules: Self.rules, holidays: nil, now: Self.detected)[0]
        c.state = clock
        #expect(c.obligationState == obligation)
    }

    @Test func factsRoundTripAsJSONWithKindKeys() throws {
        let facts = IncidentClockFacts(detectedAt: Self.detected, sentAt: [.finalReport: incidentLocalTime("2026-11-29 09:00")])
        let data = try JSONEncoder().encode(facts)
        #expect(String(decoding: data, as: UTF8.self).contains("\"FINAL_REPORT\""))
        #expect(try JSONDecoder().decode(IncidentClockFacts.self, from: data) == facts)
    }
}
