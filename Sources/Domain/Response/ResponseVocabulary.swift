import Foundation

/// The phases of incident response (VNCERT/CC–CyberCX playbook, split as NIST SP 800-61): scenario steps,
/// plan steps and incident tasks are grouped by them.
public enum ResponsePhase: String, CaseIterable, Codable, Sendable {
    case preparation
    case detectionAnalysis = "detection_analysis"
    case containment
    case eradication
    case recovery
    case postIncident = "post_incident"
}

/// Whether a response team is the province's own (Đội ứng cứu sự cố tỉnh) or an agency's.
public enum TeamKind: String, CaseIterable, Codable, Sendable {
    case provincial
    case agency
}

/// Kinds of drill (diễn tập) recorded for Directive 18.
public enum DrillKind: String, CaseIterable, Codable, Sendable {
    /// Diễn tập thực chiến: attacks on the live system, the kind Directive 18 asks for every year.
    case realCombat = "real_combat"
    case tabletop
    case nationalExercise = "national_exercise"
    case provincialExercise = "provincial_exercise"
}

/// planned → executed → report_filed.
public enum DrillState: String, CaseIterable, Codable, Sendable {
    case planned
    case executed
    case reportFiled = "report_filed"

    /// The one state a drill may move to next, if any.
    public var next: DrillState? {
        switch self {
        case .planned: .executed
        case .executed: .reportFiled
        case .reportFiled: nil
        }
    }
}

/// A version of a response plan: edited as a draft, then approved; approving a newer version supersedes it.
public enum PlanVersionState: String, CaseIterable, Codable, Sendable {
    case draft
    case approved
    case superseded
}
