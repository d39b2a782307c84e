import Foundation

/// Where a finding stands (domain.md §9.1 Finding; workflow C). Raw values are stored and used in the API.
public enum FindingStatus: String, CaseIterable, Codable, Sendable {
    /// Found and not yet worked on.
    case open
    /// Someone is remediating it.
    case inProgress = "in_progress"
    /// Remediated by the operator, waiting for verification (a rescan that no longer sees it, or a check).
    case fixed
    /// Remediation confirmed; closed.
    case verified
    /// The owner accepts the risk until a date; closed until then.
    case acceptedRisk = "accepted_risk"
    /// Not a vulnerability after all; closed.
    case falsePositive = "false_positive"

    public var label: LocalizedText {
        switch self {
        case .open: LocalizedText(vi: "Chưa khắc phục", en: "Open")
        case .inProgress: LocalizedText(vi: "Đang khắc phục", en: "In progress")
        case .fixed: LocalizedText(vi: "Đã khắc phục, chờ xác minh", en: "Fixed, awaiting verification")
        case .verified: LocalizedText(vi: "Đã xác minh khắc phục", en: "Verified fixed")
        case .acceptedRisk: LocalizedText(vi: "Chấp nhận rủi ro", en: "Risk accepted")
        case .falsePositive: LocalizedText(vi: "Cảnh báo sai (không phải lỗ hổng)", en: "False positive")
        }
    }

    /// Still to be remediated: counts against the remediation deadline (FINDINGS_OVERDUE).
    public var isOpen: Bool { self == .open || self == .inProgress }

    /// Closed: verified, risk accepted or false positive.
    public var isClosed: Bool { self == .verified || self == .acceptedRisk || self == .falsePositive }
}

/// What a finding's history records for a change (the `finding_events.action` column).
public enum FindingEventAction: String, CaseIterable, Codable, Sendable {
    case created
    /// A rescan saw it again and nothing changed.
    case seen
    case reopened
    /// A person changed the status.
    case status
    /// A rescan no longer saw it: verified.
    case closedByRescan = "closed_by_rescan"
    /// An accepted risk reached its end date: reopened.
    case expired
}

/// The owner's acceptance of a risk.
public struct RiskAcceptance: Sendable, Equatable, Codable {
    /// Who accepted the risk for the owner (the head of the agency or the person delegated), by name.
    public var approverName: String
    public var reason: String
    /// Last day (Vietnam time) the acceptance holds; the finding reopens the day after.
    public var acceptedUntil: Date

    public init(approverName: String, reason: String, acceptedUntil: Date) {
        self.approverName = approverName
        self.reason = reason
        self.acceptedUntil = acceptedUntil
    }
}

/// What a person gives with a change of status.
public struct FindingTransitionInput: Sendable, Equatable {
    public var now: Date
    /// Why: required to mark a false positive, to accept a risk, to verify by hand and to reopen a closed finding.
    public var reason: String?
    /// Accepting a risk: who approved it (by name).
    public var approverName: String?
    /// Accepting a risk: the last day it is accepted.
    public var acceptedUntil: Date?
    /// Accepting a risk: longest acceptance in months (``ProactiveObligationRules/riskAcceptanceMaxMonths``); nil: no limit.
    public var riskAcceptanceMaxMonths: Int?

    public init(now: Date, reason: String? = nil, approverName: String? = nil, acceptedUntil: Date? = nil,
                riskAcceptanceMaxMonths: Int? = nil) {
        self.now = now
        self.reason = reason
        self.approverName = approverName
        self.acceptedUntil = acceptedUntil
        self.riskAcceptanceMaxMonths = riskAcceptanceMaxMonths
    }

    /// Reads the limit from the rules in force.
    public init(now: Date, reason: String? = nil, approverName: String? = nil, acceptedUntil: Date? = nil,
                rules: ProactiveObligationRules) {
        self.init(now: now, reason: reason, approverName: approverName, acceptedUntil: acceptedUntil,
                  riskAcceptanceMaxMonths: rules.riskAcceptanceMaxMonths)
    }
}

/// The result of a change: the new values of every status-related field (nil clears a field).
public struct FindingTransition: Sendable, Equatable {
    public var from: FindingStatus
    public var to: FindingStatus
    public var action: FindingEventAction
    public var at: Date
    /// How the finding was closed; nil while it is not closed.
    public var resolution: LocalizedText?
    /// When it was closed; nil while it is not closed.
    public var closedAt: Date?
    /// Set while the risk is accepted.
    public var riskAcceptance: RiskAcceptance?
    /// Set while it is a false positive.
    public var falsePositiveReason: String?
    /// The reason given, or what happened (for the history).
    public var note: String?

    public init(from: FindingStatus, to: FindingStatus, action: FindingEventAction, at: Date, resolution: LocalizedText? = nil,
                closedAt: Date? = nil, riskAcceptance: RiskAcceptance? = nil, falsePositiveReason: String? = nil, note: String? = nil) {
        self.from = from
        self.to = to
        self.action = action
        self.at = at
        self.resolution = resolution
        self.closedAt = closedAt
        self.riskAcceptance = riskAcceptance
        self.falsePositiveReason = falsePositiveReason
        self.note = note
    }
}

/// Why a change of status was refused. `code` is stable (API error codes); `field` names the input at fault.
public enum FindingTransitionError: Error, Sendable, Equatable {
    case unchanged(FindingStatus)
    case notAllowed(from: FindingStatus, to: FindingStatus)
    case reasonRequired(FindingStatus)
    case approverRequired
    case acceptedUntilRequired
    case acceptedUntilNotInFuture
    case acceptedUntilTooLate(maxMonths: Int, latest: Date)

    public var code: String {
        switch self {
        case .unchanged: "finding_unchanged"
        case .notAllowed: "finding_transition_not_allowed"
        case .reasonRequired: "finding_reason_required"
        case .approverRequired: "finding_approver_required"
        case .acceptedUntilRequired: "finding_accepted_until_required"
        case .acceptedUntilNotInFuture: "finding_accepted_until_past"
        case .acceptedUntilTooLate: "finding_accepted_until_too_late"
        }
    }

    /// The input field at fault, for `{"error":{"fields":…}}`.
    public var field: String? {
        switch self {
        case .unchanged, .notAllowed: nil
        case .reasonRequired: "reason"
        case .approverRequired: "approverName"
        case .acceptedUntilRequired, .acceptedUntilNotInFuture, .acceptedUntilTooLate: "acceptedUntil"
        }
    }

    public var message: LocalizedText {
        switch self {
        case .unchanged(let status):
            LocalizedText(vi: "Lỗ hổng đã ở trạng thái “\(status.label.vi)”.", en: "The finding is already “\(status.label.en)”.")
        case .notAllowed(let from, let to):
            LocalizedText(vi: "Không thể chuyển lỗ hổng từ “\(from.label.vi)” sang “\(to.label.vi)”.",
                          en: "A finding cannot go from “\(from.label.en)” to “\(to.label.en)”.")
        case .reasonRequired(let to):
            LocalizedText(vi: "Cần nêu lý do khi chuyển sang “\(to.label.vi)”.", en: "A reason is required to make it “\(to.label.en)”.")
        case .approverRequired:
            LocalizedText(vi: "Cần ghi họ tên người phê duyệt chấp nhận rủi ro.", en: "Name the person who approved accepting the risk.")
        case .acceptedUntilRequired:
            LocalizedText(vi: "Cần ghi thời hạn chấp nhận rủi ro.", en: "Give the date until which the risk is accepted.")
        case .acceptedUntilNotInFuture:
            LocalizedText(vi: "Thời hạn chấp nhận rủi ro phải sau ngày hôm nay.", en: "The acceptance must end after today.")
        case .acceptedUntilTooLate(let months, let latest):
            LocalizedText(vi: "Chỉ được chấp nhận rủi ro tối đa \(months) tháng (đến ngày \(DisplayTime.date(latest))).",
                          en: "A risk may be accepted for at most \(months) months (until \(DisplayTime.date(latest))).")
        }
    }
}

extension FindingTransitionError: LocalizedError {
    public var errorDescription: String? { message.en }
}

/// The finding state machine (workflow C: findings → remediation → verification) as pure functions.
///
/// Who may change a status is ``Policy`` (`recordAssessments`: coordinators, responders and agency officers in
/// scope). Accepting a risk is the owner's decision, not the platform's: any editor may record it, but only with
/// the approver's name, a reason and an end date no later than the rules allow; when it ends the finding reopens.
/// A false positive needs a reason. Rescans verify what they no longer see and reopen what they see again,
/// except accepted risks and false positives, which a person has already judged.
public enum FindingLifecycle {
    /// Allowed manual changes.
    public static let allowed: [FindingStatus: Set<FindingStatus>] = [
        .open: [.inProgress, .fixed, .acceptedRisk, .falsePositive],
        .inProgress: [.open, .fixed, .acceptedRisk, .falsePositive],
        .fixed: [.open, .inProgress, .verified],
        .verified: [.open],
        // accepted_risk → accepted_risk renews the acceptance with a new approval.
        .acceptedRisk: [.open, .inProgress, .fixed, .acceptedRisk],
        .falsePositive: [.open],
    ]

    public static func canTransition(from: FindingStatus, to: FindingStatus) -> Bool {
        allowed[from]?.contains(to) ?? false
    }

    /// Resolution of a finding a rescan no longer sees.
    public static let verifiedByRescan = LocalizedText(vi: "Đã khắc phục, xác minh bằng rà quét lại", en: "Fixed, verified by rescan")

    /// A person's change of status. Throws with a stable code when the change is not allowed or input is missing.
    public static func transition(from: FindingStatus, to: FindingStatus, input: FindingTransitionInput) throws(FindingTransitionError) -> FindingTransition {
        if from == to && to != .acceptedRisk { throw .unchanged(from) }
        guard canTransition(from: from, to: to) else { throw .notAllowed(from: from, to: to) }
        let reason = clean(input.reason)
        let now = input.now
        switch to {
        case .open:
            // Reopening something judged closed needs a reason; taking back "fixed" or pausing work does not.
            if from.isClosed, reason == nil { throw .reasonRequired(to) }
            return FindingTransition(from: from, to: to, action: from == .inProgress ? .status : .reopened, at: now, note: reason)
        case .inProgress, .fixed:
            return FindingTransition(from: from, to: to, action: .status, at: now, note: reason)
        case .verified:
            guard let reason else { throw .reasonRequired(to) }
            return FindingTransition(
                from: from, to: to, action: .status, at: now,
                resolution: LocalizedText(vi: "Đã khắc phục, đã xác minh: \(reason)", en: "Fixed, verified: \(reason)"),
                closedAt: now, note: reason)
        case .falsePositive:
            guard let reason else { throw .reasonRequired(to) }
            return FindingTransition(
                from: from, to: to, action: .status, at: now,
                resolution: LocalizedText(vi: "Cảnh báo sai: \(reason)", en: "False positive: \(reason)"),
                closedAt: now, falsePositiveReason: reason, note: reason)
        case .acceptedRisk:
            guard let reason else { throw .reasonRequired(to) }
            guard let approver = clean(input.approverName) else { throw .approverRequired }
            guard let until = input.acceptedUntil else { throw .acceptedUntilRequired }
            let calendar = ObligationCalendar.calendar
            let lastDay = calendar.startOfDay(for: until)
            guard lastDay > calendar.startOfDay(for: now) else { throw .acceptedUntilNotInFuture }
            if let months = input.riskAcceptanceMaxMonths {
                let latest = calendar.startOfDay(for: ObligationCalendar.adding(months: months, to: now))
                if lastDay > latest { throw .acceptedUntilTooLate(maxMonths: months, latest: latest) }
            }
            let acceptance = RiskAcceptance(approverName: approver, reason: reason, acceptedUntil: lastDay)
            let day = DisplayTime.date(lastDay)
            return FindingTransition(
                from: from, to: to, action: .status, at: now,
                resolution: LocalizedText(vi: "Chấp nhận rủi ro đến ngày \(day) (người phê duyệt: \(approver)): \(reason)",
                                          en: "Risk accepted until \(day) (approved by \(approver)): \(reason)"),
                closedAt: now, riskAcceptance: acceptance, note: reason)
        }
    }

    /// What a rescan that covered the finding's host means for it; nil when nothing changes (the caller still
    /// records a `seen` event and the last-seen time when `seen`). Only call it for findings the rescan could
    /// have seen (same host in the report's scope).
    ///
    /// - Seen again: fixed or verified → reopened; open, in progress, accepted risk, false positive → unchanged.
    /// - Not seen: open, in progress or fixed → verified ("fixed, verified by rescan"); closed ones → unchanged.
    public static func rescan(_ status: FindingStatus, seen: Bool, at: Date) -> FindingTransition? {
        if seen {
            switch status {
            case .fixed, .verified:
                return FindingTransition(
                    from: status, to: .open, action: .reopened, at: at,
                    note: "Phát hiện lại khi rà quét lại / Seen again by a rescan")
            case .open, .inProgress, .acceptedRisk, .falsePositive:
                return nil
            }
        }
        switch status {
        case .open, .inProgress, .fixed:
            return FindingTransition(from: status, to: .verified, action: .closedByRescan, at: at,
                                     resolution: verifiedByRescan, closedAt: at, note: verifiedByRescan.vi)
        case .verified, .acceptedRisk, .falsePositive:
            return nil
        }
    }

    /// Reopens an accepted risk the day after its last accepted day (Vietnam time); nil otherwise.
    public static func riskExpiry(_ status: FindingStatus, acceptedUntil: Date?, now: Date) -> FindingTransition? {
        guard status == .acceptedRisk, let until = acceptedUntil else { return nil }
        let calendar = ObligationCalendar.calendar
        guard calendar.startOfDay(for: now) > calendar.startOfDay(for: until) else { return nil }
        return FindingTransition(
            from: status, to: .open, action: .expired, at: now,
            note: "Hết thời hạn chấp nhận rủi ro ngày \(DisplayTime.date(until)) / Risk acceptance ended on \(DisplayTime.date(until))")
    }

    /// Remediation deadline: the first sighting plus the days the rules give the severity; nil when none (info).
    public static func remediationDeadline(firstSeen: Date, severity: FindingSeverity, rules: ProactiveObligationRules) -> Date? {
        rules.remediationDays(for: severity).map { ObligationCalendar.adding(days: $0, to: firstSeen) }
    }

    private static func clean(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
