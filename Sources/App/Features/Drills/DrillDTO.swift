import Foundation
import Domain
import Vapor

struct DrillDTO: Content {
    var id: UUID
    var agencyId: UUID
    var title: String
    var kind: String
    var state: String
    var plannedOn: String
    var executedOn: String?
    var scenarioId: String?
    var scenarioText: String?
    var systemIds: [UUID]
    var participants: String?
    var findings: String?
    var reportFiledAt: Date?
    var tasks: [TaskDTO]?
    var version: Int
    var createdAt: Date?
    var updatedAt: Date?

    init(_ d: Drill, systemIds: [UUID], tasks: [ActionTask]?) {
        id = d.id!
        agencyId = d.agencyId
        title = d.title
        kind = d.kind.rawValue
        state = d.state.rawValue
        plannedOn = DisplayTime.isoDay(d.plannedOn)
        executedOn = d.executedOn.map(DisplayTime.isoDay)
        scenarioId = d.scenarioId
        scenarioText = d.scenarioText
        self.systemIds = systemIds
        participants = d.participants
        findings = d.findings
        reportFiledAt = d.reportFiledAt
        self.tasks = tasks?.map(TaskDTO.init)
        version = d.version
        createdAt = d.createdAt
        updatedAt = d.updatedAt
    }
}

/// A drill in an API body; fields left out keep their values on PATCH.
struct DrillWriteDTO: Content {
    var title: String?
    var kind: String?
    var agencyId: String?
    var plannedOn: String?
    var scenarioId: String?
    var scenarioText: String?
    var systemIds: [String]?
    var participants: String?
    var findings: String?
    var version: Int?

    func merged(into base: DrillInput) -> DrillInput {
        var i = base
        if let title { i.title = title }
        if let kind { i.kind = kind }
        if let agencyId { i.agencyId = agencyId }
        if let plannedOn { i.plannedOn = plannedOn }
        if let scenarioId { i.scenarioId = scenarioId }
        if let scenarioText { i.scenarioText = scenarioText }
        if let systemIds { i.systemIds = systemIds }
        if let participants { i.participants = participants }
        if let findings { i.findings = findings }
        if let version { i.version = version }
        return i
    }
}
