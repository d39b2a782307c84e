import Foundation
import Domain
import Fluent
import Vapor

/// A drill as typed in the form or sent to the API.
struct DrillInput: Content {
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

    init() {}

    init(_ d: Drill, systemIds: [UUID]) {
        title = d.title
        kind = d.kind.rawValue
        agencyId = d.agencyId.uuidString.lowercased()
        plannedOn = DisplayTime.isoDay(d.plannedOn)
        scenarioId = d.scenarioId
        scenarioText = d.scenarioText
        self.systemIds = systemIds.map { $0.uuidString.lowercased() }
        participants = d.participants
        findings = d.findings
        version = d.version
    }

    struct Valid: Sendable {
        var title: String
        var kind: DrillKind
        var agencyId: UUID
        var plannedOn: Date
        var scenarioId: String?
        var scenarioText: String?
        var systemIds: [UUID]
        var participants: String?
        var findings: String?
    }

    func validate(subject: Subject, library: ScenarioLibrary, on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let title = check.requiredText("title", title, max: 300)
        let kind = check.choice("kind", kind, as: DrillKind.self)
        let agencyId = check.uuid("agencyId", agencyId, required: true)
        let planned = check.responseDay("plannedOn", plannedOn, required: true)
        var scenario: String?
        if let raw = scenarioId.map(Validators.trimmed), !raw.isEmpty {
            if library.scenario(raw) == nil { check.fail("scenarioId", "validation.unknownValue") } else { scenario = raw }
        }
        let scenarioText = check.optionalText("scenarioText", scenarioText, max: 8000)
        let participants = check.optionalText("participants", participants, max: 8000)
        let findings = check.optionalText("findings", findings, max: 16000)
        var systems: [UUID] = []
        for raw in systemIds ?? [] where !Validators.trimmed(raw).isEmpty {
            guard let id = UUID(uuidString: Validators.trimmed(raw)) else { check.fail("systemIds", "validation.invalidId"); continue }
            if !systems.contains(id) { systems.append(id) }
        }
        if systems.isEmpty { check.fail("systemIds", "drills.systemsRequired") }
        if let agencyId {
            if try await Agency.visible(agencyId, to: subject, on: db) == nil { check.fail("agencyId", "validation.unknownAgency") }
            else if !Policy.can(subject, .recordDrills, .owned(agencyId: agencyId)) { check.fail("agencyId", "drills.notYours") }
            else if !systems.isEmpty {
                let tree = try await AgencyTreeQuery.tree(on: db)
                let allowed = tree.subtree(of: agencyId)
                let found = try await InformationSystem.scoped(to: subject, on: db).filter(\.$id ~~ systems).all()
                if found.count != systems.count || found.contains(where: { !allowed.contains($0.$agency.id) }) { check.fail("systemIds", "plans.unknownSystem") }
            }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(title: title, kind: kind!, agencyId: agencyId!, plannedOn: planned!, scenarioId: scenario, scenarioText: scenarioText,
                     systemIds: systems, participants: participants, findings: findings)
    }
}

/// Moving a drill on: executed (with its day and findings), then report filed (with the report document).
struct DrillStateInput: Content {
    var state: String?
    var executedOn: String?
    var findings: String?
    var version: Int?
    var files: [File]?
}
