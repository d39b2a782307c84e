import Foundation

/// Computes the legal clocks of an incident (pure). Day arithmetic is done in Asia/Ho_Chi_Minh by
/// ``DeadlineCalculator``; instants stay UTC.
///
/// For each duty of the rules, in ``IncidentClockKind`` order:
/// - a sent report is `done` when sent by its due time (or before any due time existed), else `done_late`;
/// - a case closed as a duplicate or as not an incident owes nothing: unsent duties are `not_applicable`;
/// - a duty whose condition does not hold is `not_applicable`;
/// - a duty whose starting fact is not known yet is `waiting` (`not_applicable` once the case is closed);
/// - otherwise it runs: `pending`, `due_soon` from `dueSoonHours` before the due time, `overdue` after it.
///   A closed case's clocks are evaluated at its closure: a duty due after the closure is `not_applicable`,
///   one missed before it stays `overdue`.
public enum IncidentClockEngine {
    public static let subjectKind = "incident"

    public static func clocks(_ facts: IncidentClockFacts, rules: IncidentClockRules, holidays: HolidayCalendar?, now: Date) -> [IncidentClock] {
        rules.clocks.map { clock(facts, $0, rules: rules, holidays: holidays, now: now) }
    }

    /// The clocks with the rule versions in force at detection, from a rule book.
    public static func clocks(_ facts: IncidentClockFacts, book: RuleBook, now: Date) -> [IncidentClock] {
        clocks(facts, rules: book.incidentClocks(at: facts.detectedAt), holidays: book.holidayCalendar(at: facts.detectedAt), now: now)
    }

    static func clock(
        _ facts: IncidentClockFacts, _ d: IncidentClockDefinition, rules: IncidentClockRules, holidays: HolidayCalendar?, now: Date
    ) -> IncidentClock {
        let applies = facts.holds(d.appliesWhen)
        let start = facts.anchor(d.countsFrom)
        let due = start.map { DeadlineCalculator.dueDate(from: $0, amount: d.amount, unit: d.unit, holidays: holidays) }
        let sent = facts.sentAt[d.kind]
        let closedAt = facts.closedAt
        let moment = closedAt.map { min($0, now) } ?? now
        var result = IncidentClock(
            kind: d.kind, title: d.title, recipients: d.recipients, form: d.form, applies: applies, condition: d.appliesWhen,
            state: .notApplicable, startedAt: applies ? start : nil, dueAt: applies ? due : nil, sentAt: sent, remainingSeconds: nil,
            amount: d.amount, unit: d.unit, countsFrom: d.countsFrom, basis: d.basis, confidence: d.confidence,
            explanation: LocalizedText(vi: "", en: ""), ruleId: rules.header.id, ruleVersion: rules.header.version)
        let text = IncidentClockText(definition: d)
        let term = text.term(start: start, due: due, holidays: holidays)

        if let sent, applies {
            if let due, sent > due {
                result.state = .doneLate
                result.explanation = text.sentLate(sent, due: due, late: sent.timeIntervalSince(due))
            } else {
                result.state = .done
                result.explanation = text.sentOnTime(sent, term: due == nil ? nil : term)
            }
            return result
        }
        if closedAt != nil, let resolution = facts.resolution, !resolution.keepsReportingDuties {
            result.explanation = text.closedWithout(resolution)
            return result
        }
        guard applies else {
            result.explanation = text.conditionFails(d.appliesWhen, sentAnyway: sent)
            return result
        }
        guard let due else {
            if let closedAt {
                result.explanation = text.closedBeforeStart(closedAt)
            } else {
                result.state = .waiting
                result.explanation = text.waiting(d.countsFrom)
            }
            return result
        }
        if let closedAt, due > closedAt {
            result.explanation = text.closedBeforeDue(closedAt, term: term)
            return result
        }
        let remaining = due.timeIntervalSince(moment)
        result.remainingSeconds = Int(remaining.rounded(.down))
        if remaining < 0 {
            result.state = .overdue
            result.explanation = text.overdue(term: term, by: -remaining)
        } else if remaining <= TimeInterval(d.dueSoonHours) * 3600 {
            result.state = .dueSoon
            result.explanation = text.running(term: term, left: remaining)
        } else {
            result.state = .pending
            result.explanation = text.running(term: term, left: remaining)
        }
        return result
    }

    // MARK: Closing

    /// A case may be closed when its final report was sent, when it is closed as a duplicate or as not an
    /// incident, or when a person records why it is closed without the final report (a non-blank reason).
    public static func canClose(
        finalReportSentAt: Date?, resolution: IncidentResolution = .resolved, overrideReason: String? = nil
    ) -> IncidentCloseCheck {
        if finalReportSentAt != nil {
            return IncidentCloseCheck(allowed: true, code: .finalReportSent, message: LocalizedText(
                vi: "Báo cáo kết thúc ứng phó sự cố đã được gửi.", en: "The final report on the response has been sent."))
        }
        if !resolution.keepsReportingDuties {
            return IncidentCloseCheck(allowed: true, code: .noReportNeeded, message: LocalizedText(
                vi: "Đóng do trùng lặp hoặc không phải sự cố: không phải gửi báo cáo kết thúc.",
                en: "Closed as a duplicate or as not an incident: no final report is owed."))
        }
        if let reason = overrideReason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty {
            return IncidentCloseCheck(allowed: true, code: .overrideRecorded, message: LocalizedText(
                vi: "Đóng khi chưa gửi báo cáo kết thúc ứng phó sự cố; lý do đã được ghi nhận: \(reason)",
                en: "Closed without the final report; the reason is recorded: \(reason)"))
        }
        return IncidentCloseCheck(allowed: false, code: .finalReportMissing, message: LocalizedText(
            vi: "Chưa thể đóng: báo cáo kết thúc ứng phó sự cố chưa được gửi (Thông tư 20/2017/TT-BTTTT). Điều phối viên có thể đóng nếu ghi rõ lý do.",
            en: "Cannot close yet: the final report on the response has not been sent (Circular 20/2017). A coordinator may close it by recording why."))
    }

    public static func canClose(_ facts: IncidentClockFacts, resolution: IncidentResolution = .resolved, overrideReason: String? = nil) -> IncidentCloseCheck {
        canClose(finalReportSentAt: facts.sentAt[.finalReport], resolution: resolution, overrideReason: overrideReason)
    }

    // MARK: Obligations

    /// The clocks as rows of the materialised obligations table (subject kind "incident", duty id = clock kind).
    /// pending, done and done late count as met (evidence: the time sent, ISO 8601); waiting as not applicable.
    public static func obligations(_ clocks: [IncidentClock], incidentId: UUID, agencyId: UUID?) -> [ObligationOccurrence] {
        clocks.map { $0.obligationOccurrence(incidentId: incidentId, agencyId: agencyId) }
    }
}

extension IncidentClock {
    public var obligationState: ObligationState {
        switch state {
        case .notApplicable, .waiting: .notApplicable
        case .pending, .done, .doneLate: .met
        case .dueSoon: .dueSoon
        case .overdue: .overdue
        }
    }

    public func obligationOccurrence(incidentId: UUID, agencyId: UUID?) -> ObligationOccurrence {
        let evidence: String? = (state == .done || state == .doneLate) ? sentAt.map { $0.formatted(.iso8601) } : nil
        return ObligationOccurrence(
            dutyId: kind.rawValue, subjectKind: IncidentClockEngine.subjectKind, subjectId: incidentId, agencyId: agencyId,
            state: obligationState, dueAt: dueAt, evidence: evidence, basis: basis, title: title, explanation: explanation,
            ruleId: ruleId, ruleVersion: ruleVersion)
    }
}
