import Foundation
import Domain
import Fluent
import Vapor

/// What a plan version holds, from the form (textareas, one step or contact per line) or the API (JSON arrays).
struct PlanContentInput: Sendable {
    struct Scenario: Sendable {
        var scenarioId: String
        /// nil: copy the template's steps (a scenario just added).
        var steps: [ResponsePhase: [String]]?
    }

    struct Contact: Sendable {
        var name: String?
        var role: String?
        var phone: String?
        var email: String?
    }

    var title: String?
    var agencyId: String?
    var scope: String?
    var resources: String?
    var notes: String?
    var systemIds: [String] = []
    var scenarios: [Scenario] = []
    /// Form: one contact per line, "name | role | phone | e-mail".
    var contactLines: String?
    /// API: structured contacts (used when `contactLines` is nil).
    var contacts: [Contact]?
    var version: Int?

    struct Valid: Sendable {
        var title: String
        var resources: String?
        var notes: String?
        var systemIds: [UUID]
        var scenarios: [(template: ScenarioTemplate, steps: [ResponsePhase: [(text: String, source: String?)]])]
        var contacts: [(name: String, role: String?, phone: String?, email: String?)]
    }

    /// Systems must be visible to the subject and belong to the plan's agency or one below it.
    func validate(agencyId: UUID, subject: Subject, library: ScenarioLibrary, requireSystems: Bool, on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let title = check.requiredText("title", title, max: 300)
        let resources = check.optionalText("resources", resources, max: 8000)
        let notes = check.optionalText("notes", notes, max: 8000)
        var systems: [UUID] = []
        for raw in systemIds where !Validators.trimmed(raw).isEmpty {
            guard let id = UUID(uuidString: Validators.trimmed(raw)) else { check.fail("systemIds", "validation.invalidId"); continue }
            if !systems.contains(id) { systems.append(id) }
        }
        if !systems.isEmpty {
            let tree = try await AgencyTreeQuery.tree(on: db)
            let allowed = tree.subtree(of: agencyId)
            let found = try await InformationSystem.scoped(to: subject, on: db).filter(\.$id ~~ systems).all()
            if found.count != systems.count || found.contains(where: { !allowed.contains($0.$agency.id) }) {
                check.fail("systemIds", "plans.unknownSystem")
            }
        } else if requireSystems {
            check.fail("systemIds", "plans.systemsRequired")
        }
        if scope == "system" && systems.count > 1 { check.fail("systemIds", "plans.oneSystem") }
        var picked: [(template: ScenarioTemplate, steps: [ResponsePhase: [(text: String, source: String?)]])] = []
        for s in self.scenarios {
            guard let template = library.scenario(s.scenarioId) else { check.fail("scenarios", "plans.unknownScenario"); continue }
            if picked.contains(where: { $0.template.id == template.id }) { continue }
            var steps: [ResponsePhase: [(text: String, source: String?)]] = [:]
            for phase in ResponsePhase.allCases {
                let given: [String]? = s.steps?[phase]
                let lines: [String] = given ?? template.steps(phase).map { $0.text.vi }
                var out: [(text: String, source: String?)] = []
                for raw in lines {
                    let line = raw.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines)
                    if line.isEmpty { continue }
                    if line.count > 2000 || Validators.hasForbiddenControlsPublic(line) {
                        check.fail("steps_\(template.id)_\(phase.rawValue)", "validation.tooLong"); continue
                    }
                    let source: String? = template.steps(phase).first { $0.text.vi == line || $0.text.en == line }?.id
                    out.append((text: line, source: source))
                }
                steps[phase] = out
            }
            picked.append((template: template, steps: steps))
        }
        var contacts: [(String, String?, String?, String?)] = []
        let structured: [Contact]
        if let contactLines {
            structured = ResponseText.lines(contactLines).map { line in
                let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                func part(_ i: Int) -> String? { i < parts.count && !parts[i].isEmpty ? parts[i] : nil }
                return Contact(name: part(0), role: part(1), phone: part(2), email: part(3))
            }
        } else {
            structured = self.contacts ?? []
        }
        for (index, c) in structured.enumerated() {
            var line = InputChecker()
            let name = line.requiredText("name", c.name, max: 200)
            let role = line.optionalText("role", c.role, max: 200)
            let phone = line.phone("phone", c.phone, required: false)
            let email = line.email("email", c.email, required: false)
            if !line.errors.isEmpty {
                if contactLines != nil {
                    check.fail("contacts", "plans.contactLine|\(index + 1)")
                } else {
                    for (field, key) in line.errors.messages { check.fail("contacts[\(index)].\(field)", key) }
                }
                continue
            }
            contacts.append((name, role, phone, email))
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(title: title, resources: resources, notes: notes, systemIds: systems, scenarios: picked, contacts: contacts)
    }
}

extension Validators {
    static func hasForbiddenControlsPublic(_ value: String) -> Bool {
        value.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) && !"\n\r\t".unicodeScalars.contains($0) }
    }
}

/// The approval of a version as typed in the form or sent to the API.
struct PlanApprovalInput: Content {
    var approverName: String?
    var decisionNumber: String?
    var decisionDate: String?
    var version: Int?
    var files: [File]?

    struct Valid: Sendable {
        var approverName: String
        var decisionNumber: String
        var decisionDate: Date
    }

    func validate() throws -> Valid {
        var check = InputChecker()
        let approver = check.requiredText("approverName", approverName, max: 300)
        let number = check.requiredText("decisionNumber", decisionNumber, max: 100)
        let date = check.responseDay("decisionDate", decisionDate, required: true)
        if let date, date > Date() { check.fail("decisionDate", "validation.futureDate") }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(approverName: approver, decisionNumber: number, decisionDate: date!)
    }
}
