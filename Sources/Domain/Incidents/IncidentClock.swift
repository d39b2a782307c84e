import Foundation

/// What the legal clocks of one incident read. Instants are UTC `Date`s.
public struct IncidentClockFacts: Codable, Sendable, Equatable {
    public var detectedAt: Date
    public var occurredAt: Date?
    /// When the response ended (the case reached `recovered` or later); nil while it goes on.
    public var responseCompletedAt: Date?
    /// The agency cannot handle the incident alone.
    public var beyondCapability: Bool
    public var personalDataInvolved: Bool
    /// When a person confirmed the case serious (Decision 05/2017); nil when not confirmed.
    public var seriousConfirmedAt: Date?
    /// When each report was sent.
    public var sentAt: [IncidentClockKind: Date]
    public var closedAt: Date?
    /// How a closed case was closed; read only when `closedAt` is set.
    public var resolution: IncidentResolution?

    public init(
        detectedAt: Date, occurredAt: Date? = nil, responseCompletedAt: Date? = nil, beyondCapability: Bool = false,
        personalDataInvolved: Bool = false, seriousConfirmedAt: Date? = nil, sentAt: [IncidentClockKind: Date] = [:],
        closedAt: Date? = nil, resolution: IncidentResolution? = nil
    ) {
        self.detectedAt = detectedAt
        self.occurredAt = occurredAt
        self.responseCompletedAt = responseCompletedAt
        self.beyondCapability = beyondCapability
        self.personalDataInvolved = personalDataInvolved
        self.seriousConfirmedAt = seriousConfirmedAt
        self.sentAt = sentAt
        self.closedAt = closedAt
        self.resolution = resolution
    }

    public func anchor(_ anchor: IncidentClockAnchor) -> Date? {
        switch anchor {
        case .detectedAt: detectedAt
        case .occurredAt: occurredAt ?? detectedAt
        case .responseCompletedAt: responseCompletedAt
        case .seriousConfirmedAt: seriousConfirmedAt
        }
    }

    public func holds(_ condition: IncidentClockCondition) -> Bool {
        switch condition {
        case .always: true
        case .beyondCapability: beyondCapability
        case .personalDataInvolved: personalDataInvolved
        case .seriousConfirmed: seriousConfirmedAt != nil
        }
    }
}

public enum IncidentClockState: String, CaseIterable, Codable, Sendable {
    /// The duty does not apply to this case (or the case was closed before it fell due).
    case notApplicable = "not_applicable"
    /// The duty applies but its clock has not started (a final report before the response ended).
    case waiting
    /// Running, not yet due soon.
    case pending
    case dueSoon = "due_soon"
    case overdue
    /// Sent on time (or sent before a due time existed).
    case done
    case doneLate = "done_late"
}

/// One reporting duty of one incident, evaluated at a moment.
public struct IncidentClock: Codable, Sendable, Equatable {
    public var kind: IncidentClockKind
    public var title: LocalizedText
    public var recipients: LocalizedText
    public var form: LocalizedText?
    /// Whether the duty's condition holds for this case (``condition``).
    public var applies: Bool
    public var condition: IncidentClockCondition
    public var state: IncidentClockState
    /// When the clock started (the anchor fact), once known.
    public var startedAt: Date?
    public var dueAt: Date?
    public var sentAt: Date?
    /// Seconds from the evaluation moment (or from closure) to `dueAt`, negative when overdue; nil when
    /// there is nothing to count (done, waiting, not applicable).
    public var remainingSeconds: Int?
    public var amount: Int
    public var unit: DeadlineUnit
    public var countsFrom: IncidentClockAnchor
    public var basis: [LegalBasis]
    public var confidence: Confidence
    public var explanation: LocalizedText
    public var ruleId: String
    public var ruleVersion: String

    public var isOpen: Bool { [.pending, .dueSoon, .overdue].contains(state) }
}

/// Whether a case may be closed now, and why.
public struct IncidentCloseCheck: Codable, Sendable, Equatable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        case finalReportSent = "final_report_sent"
        /// No final report, but a person recorded why the case is closed anyway.
        case overrideRecorded = "override_recorded"
        /// Closed as a duplicate or as not an incident: no report is owed.
        case noReportNeeded = "no_report_needed"
        case finalReportMissing = "final_report_missing"
    }

    public var allowed: Bool
    public var code: Code
    public var message: LocalizedText
}
