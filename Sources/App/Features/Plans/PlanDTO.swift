import Foundation
import Domain
import Vapor

struct PlanDTO: Content {
    var id: UUID
    var agencyId: UUID
    var title: String
    var scope: String
    var current: PlanVersionDTO?
    var versions: [PlanVersionSummaryDTO]
    var createdAt: Date?
}

struct PlanVersionSummaryDTO: Content {
    var id: UUID
    var number: Int
    var state: String
    var approvedAt: Date?
    var decisionNumber: String?

    init(_ v: PlanVersion) {
        id = v.id!
        number = v.number
        state = v.state.rawValue
        approvedAt = v.approvedAt
        decisionNumber = v.decisionNumber
    }
}

struct PlanVersionDTO: Content {
    struct Scenario: Content {
        var scenarioId: String
        var title: String
        var templateVersion: String
        var steps: [String: [Step]]
    }
    struct Step: Content {
        var text: String
        var sourceStepId: String?
    }
    struct Contact: Content {
        var name: String
        var role: String?
        var phone: String?
        var email: String?
    }

    var id: UUID
    var planId: UUID
    var number: Int
    var state: String
    var systemIds: [UUID]
    var scenarios: [Scenario]
    var contacts: [Contact]
    var resources: String?
    var notes: String?
    var approverName: String?
    var approvedAt: Date?
    var decisionNumber: String?
    var decisionDate: String?
    var version: Int

    init(_ c: PlanService.Content) {
        let v = c.version
        id = v.id!
        planId = v.planId
        number = v.number
        state = v.state.rawValue
        systemIds = c.systems.compactMap(\.id)
        scenarios = c.scenarios.map { s in
            Scenario(scenarioId: s.scenario.scenarioId, title: s.scenario.title, templateVersion: s.scenario.templateVersion,
                     steps: Dictionary(uniqueKeysWithValues: ResponsePhase.allCases.map { phase in
                         (phase.rawValue, (s.steps[phase] ?? []).map { Step(text: $0.text, sourceStepId: $0.sourceStepId) })
                     }))
        }
        contacts = c.contacts.map { Contact(name: $0.name, role: $0.role, phone: $0.phone, email: $0.email) }
        resources = v.resources
        notes = v.notes
        approverName = v.approverName
        approvedAt = v.approvedAt
        decisionNumber = v.decisionNumber
        decisionDate = v.decisionDate.map(DisplayTime.isoDay)
        version = v.version
    }
}

/// A plan or draft version in an API body.
struct PlanWriteDTO: Content {
    struct Scenario: Content {
        var scenarioId: String
        /// Steps by phase; left out: the template's steps.
        var steps: [String: [String]]?
    }
    struct Contact: Content {
        var name: String?
        var role: String?
        var phone: String?
        var email: String?
    }

    var title: String?
    var agencyId: String?
    var scope: String?
    var systemIds: [String]?
    var scenarios: [Scenario]?
    var contacts: [Contact]?
    var resources: String?
    var notes: String?
    var version: Int?

    /// Fields left out keep the values of `base`.
    func input(base: PlanContentInput) throws -> PlanContentInput {
        var i = base
        if let title { i.title = title }
        if let agencyId { i.agencyId = agencyId }
        if let scope { i.scope = scope }
        if let systemIds { i.systemIds = systemIds }
        if let resources { i.resources = resources }
        if let notes { i.notes = notes }
        if let version { i.version = version }
        if let contacts {
            i.contactLines = nil
            i.contacts = contacts.map { .init(name: $0.name, role: $0.role, phone: $0.phone, email: $0.email) }
        }
        if let scenarios {
            var errors = FieldErrors()
            i.scenarios = scenarios.map { s in
                var steps: [ResponsePhase: [String]]?
                if let raw = s.steps {
                    var parsed: [ResponsePhase: [String]] = [:]
                    for (key, lines) in raw {
                        if let phase = ResponsePhase(rawValue: key) { parsed[phase] = lines } else { errors.add("scenarios.\(s.scenarioId).steps.\(key)", "validation.unknownValue") }
                    }
                    steps = parsed
                }
                return .init(scenarioId: s.scenarioId, steps: steps)
            }
            if !errors.isEmpty { throw AppError.validation(errors) }
        }
        return i
    }
}

extension PlanContentInput {
    /// The content of a stored version, as a starting point for a PATCH.
    init(_ c: PlanService.Content) {
        self.init()
        title = c.plan.title
        scope = c.plan.scope
        agencyId = c.plan.agencyId.uuidString
        resources = c.version.resources
        notes = c.version.notes
        systemIds = c.systems.compactMap { $0.id?.uuidString }
        scenarios = c.scenarios.map { s in
            .init(scenarioId: s.scenario.scenarioId, steps: Dictionary(uniqueKeysWithValues: ResponsePhase.allCases.map { p in (p, (s.steps[p] ?? []).map(\.text)) }))
        }
        contacts = c.contacts.map { .init(name: $0.name, role: $0.role, phone: $0.phone, email: $0.email) }
    }
}

struct ScenarioDTO: Content {
    struct Step: Content {
        var id: String
        var text: String
    }
    var id: String
    var title: String
    var summary: String
    var categories: [String]
    var steps: [String: [Step]]

    init(_ s: ScenarioTemplate, lang: String) {
        id = s.id
        title = s.title.text(lang)
        summary = s.summary.text(lang)
        categories = s.categories
        steps = Dictionary(uniqueKeysWithValues: ResponsePhase.allCases.map { p in (p.rawValue, s.steps(p).map { Step(id: $0.id, text: $0.text.text(lang)) }) })
    }
}

struct ScenarioListDTO: Content {
    var ruleId: String
    var ruleVersion: String
    var items: [ScenarioDTO]
}
