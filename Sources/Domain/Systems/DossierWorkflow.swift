import Foundation

/// States of a level dossier (hồ sơ đề xuất cấp độ), domain.md §9.2 A.
public enum DossierState: String, CaseIterable, Codable, Sendable {
    case draft
    /// Waiting for the technical opinion of the owner's specialised security unit (L4/L5).
    case awaitingOpinion = "awaiting_opinion"
    case submittedForAppraisal = "submitted_for_appraisal"
    case returnedForRevision = "returned_for_revision"
    case appraised
    case submittedForApproval = "submitted_for_approval"
    case approved
    /// Replaced by a later approved determination (Art 18).
    case superseded
    case withdrawn

    /// No transition leaves these states.
    public var isFinal: Bool {
        switch self {
        case .approved, .superseded, .withdrawn: true
        default: false
        }
    }

    /// The dossier can still be edited by its authors.
    public var isEditable: Bool { self == .draft || self == .returnedForRevision }

}

/// What a user can do to a level dossier.
public enum DossierTransition: String, CaseIterable, Codable, Sendable {
    case submit
    case giveOpinion = "give_opinion"
    case returnForRevision = "return_for_revision"
    case appraise
    case submitForApproval = "submit_for_approval"
    case approve
    case withdraw

    /// The state after this transition, or nil when it is not allowed from `state`.
    /// `submit` goes to `awaiting_opinion` when `level` needs a technical opinion and none was given yet.
    public func target(from state: DossierState, level: Int, rules: DossierRules, hasOpinion: Bool = false) -> DossierState? {
        switch (self, state) {
        case (.submit, .draft), (.submit, .returnedForRevision):
            return rules.technicalOpinionLevels.contains(level) && !hasOpinion ? .awaitingOpinion : .submittedForAppraisal
        case (.giveOpinion, .awaitingOpinion):
            return .submittedForAppraisal
        case (.returnForRevision, .submittedForAppraisal):
            return .returnedForRevision
        case (.appraise, .submittedForAppraisal):
            return .appraised
        case (.submitForApproval, .appraised):
            return .submittedForApproval
        case (.approve, .submittedForApproval):
            return .approved
        case (.withdraw, let s) where !s.isFinal:
            return .withdrawn
        default:
            return nil
        }
    }

    /// Transitions allowed from `state`.
    public static func allowed(from state: DossierState, level: Int, rules: DossierRules, hasOpinion: Bool = false) -> [DossierTransition] {
        allCases.filter { $0.target(from: state, level: level, rules: rules, hasOpinion: hasOpinion) != nil }
    }

    /// Returning a dossier needs a comment saying what to revise.
    public var requiresComment: Bool { self == .returnForRevision }

    /// Approval records the decision number and date (Form 06).
    public var requiresDecision: Bool { self == .approve }

    /// The permission checked by ``Policy``.
    public var action: Action {
        switch self {
        case .submit, .submitForApproval, .withdraw: .submitDossier
        case .giveOpinion, .returnForRevision, .appraise: .reviewDossier
        case .approve: .approveDossier
        }
    }

}
