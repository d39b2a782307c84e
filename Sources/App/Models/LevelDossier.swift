import Domain
import Fluent
import Foundation

/// A level dossier (hồ sơ đề xuất cấp độ): one proposal of a level and its way to approval.
final class LevelDossier: Model, @unchecked Sendable {
    static let schema = "level_dossiers"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Parent(key: "system_id") var system: InformationSystem
    @Field(key: "state") var state: DossierState
    /// The level the operator proposes (normally the computed one).
    @Field(key: "proposed_level") var proposedLevel: Int
    @Field(key: "computed_level") var computedLevel: Int
    @Field(key: "rule_id") var ruleId: String
    @Field(key: "rule_version") var ruleVersion: String
    /// The ``ClassificationInput`` evaluated, as JSON.
    @Field(key: "input_json") var inputJSON: String
    /// The ``LevelProposal`` with per-criterion reasons, as JSON.
    @Field(key: "evaluation_json") var evaluationJSON: String
    @OptionalField(key: "justification") var justification: String?
    @Field(key: "has_opinion") var hasOpinion: Bool
    @OptionalField(key: "appraising_body") var appraisingBody: String?
    @OptionalField(key: "approving_body") var approvingBody: String?
    @OptionalField(key: "decision_number") var decisionNumber: String?
    @OptionalField(key: "decision_date") var decisionDate: Date?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "appraised_at") var appraisedAt: Date?
    @OptionalField(key: "approved_at") var approvedAt: Date?

    init() {}

    var proposal: LevelProposal? { try? JSONDecoder().decode(LevelProposal.self, from: Data(evaluationJSON.utf8)) }
    var input: ClassificationInput? { try? JSONDecoder().decode(ClassificationInput.self, from: Data(inputJSON.utf8)) }
    var isOpen: Bool { ![.approved, .superseded, .withdrawn].contains(state) }
}

/// One move of a dossier through its workflow: who, when, why.
final class DossierStep: Model, @unchecked Sendable {
    static let schema = "dossier_steps"

    @ID(key: .id) var id: UUID?
    @Parent(key: "dossier_id") var dossier: LevelDossier
    @Field(key: "transition") var transition: String
    @Field(key: "from_state") var fromState: String
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "actor_id") var actorId: UUID?
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "decision_number") var decisionNumber: String?
    @OptionalField(key: "decision_date") var decisionDate: Date?
    @Field(key: "at") var at: Date

    init() {}
}

/// Who gives the technical opinion, appraises and approves a level; editable since the 2025
/// reorganisation moved these roles.
final class LevelAuthority: Model, @unchecked Sendable {
    static let schema = "level_authorities"

    @ID(key: .id) var id: UUID?
    @Field(key: "level") var level: Int
    @Field(key: "appraising_body_vi") var appraisingBodyVi: String
    @Field(key: "appraising_body_en") var appraisingBodyEn: String
    @Field(key: "approving_body_vi") var approvingBodyVi: String
    @Field(key: "approving_body_en") var approvingBodyEn: String
    @OptionalField(key: "opinion_body_vi") var opinionBodyVi: String?
    @OptionalField(key: "opinion_body_en") var opinionBodyEn: String?
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func appraising(_ lang: String) -> String { lang == "en" ? appraisingBodyEn : appraisingBodyVi }
    func approving(_ lang: String) -> String { lang == "en" ? approvingBodyEn : approvingBodyVi }
    func opinion(_ lang: String) -> String? { lang == "en" ? opinionBodyEn : opinionBodyVi }
}
