import Domain
import Fluent
import Foundation

/// A basic requirement of Circular 12/2022, applying from `firstLevel` up (levels are cumulative).
final class CatalogueControl: Model, @unchecked Sendable {
    static let schema = "controls"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "family") var family: String
    @Field(key: "group_id") var groupId: String
    @Field(key: "first_level") var firstLevel: Int
    @Field(key: "position") var position: Int
    @Field(key: "title_vi") var titleVi: String
    @Field(key: "title_en") var titleEn: String
    @OptionalField(key: "description_vi") var descriptionVi: String?
    @OptionalField(key: "description_en") var descriptionEn: String?
    @OptionalField(key: "evidence_hint_vi") var evidenceHintVi: String?
    @OptionalField(key: "evidence_hint_en") var evidenceHintEn: String?
    @Field(key: "active") var active: Bool
    @Field(key: "catalogue_version") var catalogueVersion: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func title(_ lang: String) -> String { lang == "en" ? titleEn : titleVi }
    func description(_ lang: String) -> String? { lang == "en" ? descriptionEn : descriptionVi }
    func evidenceHint(_ lang: String) -> String? { lang == "en" ? evidenceHintEn : evidenceHintVi }
}

/// A system's self-assessment of one control.
final class ControlAssessment: Model, @unchecked Sendable {
    static let schema = "control_assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "system_id") var system: InformationSystem
    @Parent(key: "control_id") var control: CatalogueControl
    @Field(key: "status") var status: ControlStatus
    @OptionalField(key: "effective_date") var effectiveDate: Date?
    @OptionalField(key: "justification") var justification: String?
    /// Evidence links, one per line.
    @OptionalField(key: "evidence_links") var evidenceLinks: String?
    @Field(key: "updated_by_name") var updatedByName: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A periodic or ad hoc inspection and assessment (kiểm tra, đánh giá) of a system.
final class SystemAssessment: Model, @unchecked Sendable {
    static let schema = "system_assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "system_id") var system: InformationSystem
    /// `periodic` or `ad_hoc`.
    @Field(key: "kind") var kind: String
    @Field(key: "performed_on") var performedOn: Date
    @Field(key: "assessor") var assessor: String
    /// Done by a body independent of the one that monitors and protects the system.
    @Field(key: "independent") var independent: Bool
    @OptionalField(key: "summary") var summary: String?
    @Field(key: "created_by_name") var createdByName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// The current state of one duty for one subject, refreshed by ``ObligationRefresher``.
final class Obligation: Model, @unchecked Sendable {
    static let schema = "obligations"

    @ID(key: .id) var id: UUID?
    @Field(key: "duty_id") var dutyId: String
    @Field(key: "subject_kind") var subjectKind: String
    @Field(key: "subject_id") var subjectId: UUID
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @Field(key: "state") var state: ObligationState
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "evidence") var evidence: String?
    @Field(key: "title_vi") var titleVi: String
    @Field(key: "title_en") var titleEn: String
    @Field(key: "explanation_vi") var explanationVi: String
    @Field(key: "explanation_en") var explanationEn: String
    /// Legal basis citations, separated by "; ".
    @Field(key: "basis") var basis: String
    @Field(key: "rule_id") var ruleId: String
    @Field(key: "rule_version") var ruleVersion: String
    @Field(key: "computed_at") var computedAt: Date

    init() {}

    func title(_ lang: String) -> String { lang == "en" ? titleEn : titleVi }
    func explanation(_ lang: String) -> String { lang == "en" ? explanationEn : explanationVi }
}
