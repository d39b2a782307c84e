import Foundation
import Testing
@testable import Domain

@Suite struct DossierWorkflowTests {
    static let rules = RuleBook.shipped.workflow()

    /// The expected target of every allowed (transition, state) pair; every other pair is refused.
    static func expected(_ t: DossierTransition, _ s: DossierState, level: Int, hasOpinion: Bool) -> DossierState? {
        switch (t, s) {
        case (.submit, .draft), (.submit, .returnedForRevision):
            return level >= 4 && !hasOpinion ? .awaitingOpinion : .submittedForAppraisal
        case (.giveOpinion, .awaitingOpinion): return .submittedForAppraisal
        case (.returnForRevision, .submittedForAppraisal): return .returnedForRevision
        case (.appraise, .submittedForAppraisal): return .appraised
        case (.submitForApproval, .appraised): return .submittedForApproval
        case (.approve, .submittedForApproval): return .approved
        case (.withdraw, .draft), (.withdraw, .awaitingOpinion), (.withdraw, .submittedForAppraisal),
             (.withdraw, .returnedForRevision), (.withdraw, .appraised), (.withdraw, .submittedForApproval):
            return .withdrawn
        default: return nil
        }
    }

    @Test(arguments: DossierState.allCases, DossierTransition.allCases)
    func transitionTableForEveryLevel(state: DossierState, transition: DossierTransition) {
        for level in 1...5 {
            for hasOpinion in [false, true] {
                let actual = transition.target(from: state, level: level, rules: Self.rules, hasOpinion: hasOpinion)
                #expect(
                    actual == Self.expected(transition, state, level: level, hasOpinion: hasOpinion),
                    "\(transition) from \(state) at level \(level), opinion \(hasOpinion)")
            }
        }
    }

    @Test func levelsFourAndFiveWaitForTheTechnicalOpinion() {
        #expect(DossierTransition.submit.target(from: .draft, level: 4, rules: Self.rules) == .awaitingOpinion)
        #expect(DossierTransition.submit.target(from: .draft, level: 5, rules: Self.rules) == .awaitingOpinion)
        #expect(DossierTransition.submit.target(from: .draft, level: 3, rules: Self.rules) == .submittedForAppraisal)
        #expect(DossierTransition.submit.target(from: .returnedForRevision, level: 4, rules: Self.rules, hasOpinion: true) == .submittedForAppraisal)
    }

    @Test func technicalOpinionLevelsComeFromTheRules() {
        var rules = Self.rules
        rules.technicalOpinionLevels = [3]
        #expect(DossierTransition.submit.target(from: .draft, level: 3, rules: rules) == .awaitingOpinion)
        #expect(DossierTransition.submit.target(from: .draft, level: 4, rules: rules) == .submittedForAppraisal)
    }

    @Test func finalStatesAllowNothing() {
        for state in DossierState.allCases where state.isFinal {
            #expect(DossierTransition.allowed(from: state, level: 3, rules: Self.rules).isEmpty)
        }
        #expect(Set(DossierState.allCases.filter(\.isFinal)) == [.approved, .superseded, .withdrawn])
    }

    @Test func allowedTransitionsFromSubmittedForAppraisal() {
        #expect(DossierTransition.allowed(from: .submittedForAppraisal, level: 2, rules: Self.rules) == [.returnForRevision, .appraise, .withdraw])
    }

    @Test func onlyReturnNeedsACommentAndOnlyApproveADecision() {
        #expect(DossierTransition.allCases.filter(\.requiresComment) == [.returnForRevision])
        #expect(DossierTransition.allCases.filter(\.requiresDecision) == [.approve])
    }

    @Test(arguments: [
        (DossierTransition.submit, Action.submitDossier), (.submitForApproval, .submitDossier), (.withdraw, .submitDossier),
        (.giveOpinion, .reviewDossier), (.returnForRevision, .reviewDossier), (.appraise, .reviewDossier),
        (.approve, .approveDossier),
    ])
    func transitionsMapToPolicyActions(transition: DossierTransition, action: Action) {
        #expect(transition.action == action)
    }

    @Test func rawValuesAreSnakeCase() {
        #expect(DossierState.allCases.map(\.rawValue) == [
            "draft", "awaiting_opinion", "submitted_for_appraisal", "returned_for_revision", "appraised",
            "submitted_for_approval", "approved", "superseded", "withdrawn",
        ])
        #expect(DossierTransition.allCases.map(\.rawValue) == [
            "submit", "give_opinion", "return_for_revision", "appraise", "submit_for_approval", "approve", "withdraw",
        ])
    }
}
