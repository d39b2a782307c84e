import Foundation
import Domain
import Vapor

/// The plan form as posted: scenarios picked by checkbox, their steps as one textarea per phase
/// (`steps_<scenario>_<phase>`, one step per line), contacts one per line.
struct PlanForm: Content {
    var title: String?
    var agencyId: String?
    var scope: String?
    var systemIds: [String]?
    var scenarioIds: [String]?
    var resources: String?
    var notes: String?
    var contacts: String?
    var version: Int?

    static func stepsKey(_ scenario: String, _ phase: ResponsePhase) -> String { "steps_\(scenario)_\(phase.rawValue)" }

    /// Reads the form, with the steps textareas of every picked scenario that was already in the form.
    static func read(_ req: Request) throws -> (PlanForm, PlanContentInput) {
        let form = try req.content.decode(PlanForm.self)
        var input = PlanContentInput()
        input.title = form.title
        input.agencyId = form.agencyId
        input.scope = form.scope
        input.systemIds = form.systemIds ?? []
        input.resources = form.resources
        input.notes = form.notes
        input.contactLines = form.contacts ?? ""
        input.version = form.version
        input.scenarios = (form.scenarioIds ?? []).map { id in
            var steps: [ResponsePhase: [String]] = [:]
            var present = false
            for phase in ResponsePhase.allCases {
                if let text = try? req.content.get(String.self, at: stepsKey(id, phase)) {
                    present = true
                    steps[phase] = ResponseText.lines(text)
                }
            }
            return .init(scenarioId: id, steps: present ? steps : nil)
        }
        return (form, input)
    }

    /// The contacts of a version as the textarea shows them.
    static func contactLines(_ contacts: [PlanContact]) -> String {
        contacts.map { [$0.name, $0.role ?? "", $0.phone ?? "", $0.email ?? ""].joined(separator: " | ") }.joined(separator: "\n")
    }
}
