import Foundation

/// Where an incident case stands (domain.md §9.2 G, phases of the VNCERT/CC–CyberCX playbook).
/// Raw values are stored and used in the API.
public enum IncidentPhase: String, CaseIterable, Codable, Sendable, Comparable {
    case detected
    case triaged
    case contained
    case eradicated
    case recovered
    case postIncidentReview = "post_incident_review"
    case closed

    /// Position in the life of a case, 0 for `detected`.
    public var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: IncidentPhase, b: IncidentPhase) -> Bool { a.order < b.order }

    /// Phases a case in this phase may move to: any later phase (a phase that did not happen may be
    /// skipped, and a duplicate can be closed straight away); a closed case may only be reopened, into
    /// post-incident review.
    public var allowedNext: [IncidentPhase] {
        if self == .closed { return [.postIncidentReview] }
        return Self.allCases.filter { $0 > self }
    }

    public func canMove(to next: IncidentPhase) -> Bool { allowedNext.contains(next) }

    /// Moving from `closed` back into post-incident review.
    public static func isReopen(from: IncidentPhase, to: IncidentPhase) -> Bool {
        from == .closed && to == .postIncidentReview
    }

    public var isClosed: Bool { self == .closed }
}

/// Why a closed case was closed. Only `resolved` cases owe the Circular 20 final report.
public enum IncidentResolution: String, CaseIterable, Codable, Sendable {
    case resolved
    case duplicate
    case notAnIncident = "not_an_incident"

    /// Whether a case closed this way still carries the reporting duties of a real incident.
    public var keepsReportingDuties: Bool { self == .resolved }
}

public enum IncidentSeverity: String, CaseIterable, Codable, Sendable, Comparable {
    case low, medium, high, critical

    public var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: IncidentSeverity, b: IncidentSeverity) -> Bool { a.order < b.order }
}
