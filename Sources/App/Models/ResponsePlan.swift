import Domain
import Fluent
import Foundation

/// A response plan (phương án ứng cứu sự cố) of one agency, for one system or several. Its content lives in versions.
final class ResponsePlan: Model, @unchecked Sendable {
    static let schema = "response_plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "title") var title: String
    /// "system" (one system) or "agency" (several systems of the agency).
    @Field(key: "scope") var scope: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// One version of a plan: a draft being edited, the approved one in force, or a superseded one kept for reading.
final class PlanVersion: Model, @unchecked Sendable {
    static let schema = "plan_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planId: UUID
    @Field(key: "number") var number: Int
    @Field(key: "state") var state: PlanVersionState
    @OptionalField(key: "resources") var resources: String?
    @OptionalField(key: "notes") var notes: String?
    /// Who approved (name and title as on the decision).
    @OptionalField(key: "approver_name") var approverName: String?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "decision_number") var decisionNumber: String?
    @OptionalField(key: "decision_date") var decisionDate: Date?
    /// The user who recorded the approval.
    @OptionalField(key: "approval_recorded_by") var approvalRecordedBy: UUID?
    @Field(key: "created_by_name") var createdByName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}
}

/// A system a plan version covers, with the system's revision when the version was approved.
final class PlanVersionSystem: Model, @unchecked Sendable {
    static let schema = "plan_version_systems"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_version_id") var planVersionId: UUID
    @Field(key: "system_id") var systemId: UUID
    @OptionalField(key: "system_revision") var systemRevision: Int?

    init() {}
    init(versionId: UUID, systemId: UUID) {
        self.planVersionId = versionId
        self.systemId = systemId
    }
}

/// A scenario picked from the library into a plan version; its steps are the plan's own (adapted) copy.
final class PlanScenario: Model, @unchecked Sendable {
    static let schema = "plan_scenarios"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_version_id") var planVersionId: UUID
    @Field(key: "position") var position: Int
    @Field(key: "scenario_id") var scenarioId: String
    @Field(key: "template_version") var templateVersion: String
    @Field(key: "title") var title: String

    init() {}
}

final class PlanStep: Model, @unchecked Sendable {
    static let schema = "plan_steps"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_scenario_id") var planScenarioId: UUID
    @Field(key: "phase") var phase: ResponsePhase
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    /// The template step it was copied from; nil for a step the agency wrote.
    @OptionalField(key: "source_step_id") var sourceStepId: String?

    init() {}
}

final class PlanContact: Model, @unchecked Sendable {
    static let schema = "plan_contacts"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_version_id") var planVersionId: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @OptionalField(key: "role") var role: String?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "email") var email: String?

    init() {}
}
