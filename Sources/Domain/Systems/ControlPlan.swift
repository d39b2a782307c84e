import Foundation

/// Implementation status of one control of a system's security plan (domain.md §9.2 B).
public enum ControlStatus: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    /// Implemented, with evidence.
    case implemented
    /// Not applicable, with a justification.
    case notApplicable = "not_applicable"
}

public enum PlanStatus: String, Codable, Sendable, CaseIterable {
    case notStarted = "not_started"
    case partial
    case fullyImplemented = "fully_implemented"
}

/// How far a system's security plan is implemented.
public struct PlanProgress: Codable, Sendable, Equatable {
    public var status: PlanStatus
    /// implemented / applicable, rounded down; 100 when every control is not applicable.
    public var percent: Int
    public var implemented: Int
    /// Controls that apply (not applicable ones excluded).
    public var applicable: Int
    public var notApplicable: Int

    public init(status: PlanStatus, percent: Int, implemented: Int, applicable: Int, notApplicable: Int) {
        self.status = status
        self.percent = percent
        self.implemented = implemented
        self.applicable = applicable
        self.notApplicable = notApplicable
    }

    /// See ``ControlPlan/progress(statuses:)``.
    public static func progress(statuses: [ControlStatus]) -> PlanProgress {
        ControlPlan.progress(statuses: statuses)
    }
}

public enum ControlPlan {
    /// Progress from the statuses of all controls that apply to the system's level. Not applicable
    /// controls leave the denominator; no controls at all is "not started".
    public static func progress(statuses: [ControlStatus]) -> PlanProgress {
        let notApplicable = statuses.count { $0 == .notApplicable }
        let implemented = statuses.count { $0 == .implemented }
        let applicable = statuses.count - notApplicable
        if statuses.isEmpty {
            return PlanProgress(status: .notStarted, percent: 0, implemented: 0, applicable: 0, notApplicable: 0)
        }
        if implemented == applicable {
            return PlanProgress(status: .fullyImplemented, percent: 100, implemented: implemented, applicable: applicable, notApplicable: notApplicable)
        }
        let started = statuses.contains { $0 == .implemented || $0 == .inProgress }
        return PlanProgress(
            status: started ? .partial : .notStarted, percent: implemented * 100 / applicable,
            implemented: implemented, applicable: applicable, notApplicable: notApplicable)
    }

    /// Progress over `controls` (those applicable to the level) with recorded statuses by control id;
    /// a control with no status is not started.
    public static func progress(controls: [Control], statuses: [String: ControlStatus]) -> PlanProgress {
        progress(statuses: controls.map { statuses[$0.id] ?? .notStarted })
    }
}
