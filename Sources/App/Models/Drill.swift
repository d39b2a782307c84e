import Domain
import Fluent
import Foundation

/// A drill (diễn tập) of an agency over one or more systems.
final class Drill: Model, @unchecked Sendable {
    static let schema = "drills"

    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "title") var title: String
    @Field(key: "kind") var kind: DrillKind
    @Field(key: "state") var state: DrillState
    @Field(key: "planned_on") var plannedOn: Date
    @OptionalField(key: "executed_on") var executedOn: Date?
    /// A scenario template id of `response.scenarios`.
    @OptionalField(key: "scenario_id") var scenarioId: String?
    @OptionalField(key: "scenario_text") var scenarioText: String?
    @OptionalField(key: "participants") var participants: String?
    @OptionalField(key: "findings") var findings: String?
    @OptionalField(key: "report_filed_at") var reportFiledAt: Date?
    @Field(key: "created_by_name") var createdByName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}

    var auditSnapshot: [String: String?] {
        ["title": title, "kind": kind.rawValue, "state": state.rawValue, "plannedOn": DisplayTime.isoDay(plannedOn),
         "executedOn": executedOn.map(DisplayTime.isoDay)]
    }
}

final class DrillSystem: Model, @unchecked Sendable {
    static let schema = "drill_systems"

    @ID(key: .id) var id: UUID?
    @Field(key: "drill_id") var drillId: UUID
    @Field(key: "system_id") var systemId: UUID

    init() {}
    init(drillId: UUID, systemId: UUID) {
        self.drillId = drillId
        self.systemId = systemId
    }
}
