import Foundation
import Domain
import Fluent

/// A response step the case could take on as a task: from the matching scenario of an approved plan
/// covering one of the case's systems, or, when no plan covers it, from the scenario template library.
struct ScenarioTaskSuggestion: Sendable {
    var source: String
    var phase: ResponsePhase
    var text: String
    /// The plan ("Phương án … v2 · Ransomware") or the template it comes from.
    var origin: String
    var fromPlan: Bool
}

enum IncidentScenarios {
    static func suggestions(for incident: Incident, systems: [InformationSystem], existing: [ActionTask], rules: RuleBook,
                            on db: any Database) async throws -> [ScenarioTaskSuggestion] {
        let library = rules.rules(ScenarioLibrary.self, at: Date())
        let matching = Set(library.scenarios.filter { $0.categories.contains(incident.categoryCode) }.map(\.id))
        let taken = Set(existing.compactMap(\.source))
        var result: [ScenarioTaskSuggestion] = []
        let systemIds = systems.compactMap(\.id)
        if !systemIds.isEmpty, !matching.isEmpty {
            let versionIds = Set(try await PlanVersionSystem.query(on: db).filter(\.$systemId ~~ systemIds).all().map(\.planVersionId))
            let versions = versionIds.isEmpty ? [] : try await PlanVersion.query(on: db).filter(\.$id ~~ Array(versionIds))
                .filter(\.$state == .approved).all()
            let plans = Dictionary(uniqueKeysWithValues: try await ResponsePlan.query(on: db)
                .filter(\.$id ~~ versions.map(\.planId)).all().compactMap { p in p.id.map { ($0, p) } })
            for version in versions {
                let scenarios = try await PlanScenario.query(on: db).filter(\.$planVersionId == version.requireID())
                    .sort(\.$position).all().filter { matching.contains($0.scenarioId) }
                for scenario in scenarios {
                    let steps = try await PlanStep.query(on: db).filter(\.$planScenarioId == scenario.requireID()).all()
                        .sorted { ($0.phase.order, $0.position) < ($1.phase.order, $1.position) }
                    let origin = "\(plans[version.planId]?.title ?? "") v\(version.number) · \(scenario.title)"
                    for step in steps {
                        let source = "plan-step:\(try step.requireID().uuidString.lowercased())"
                        if taken.contains(source) { continue }
                        result.append(ScenarioTaskSuggestion(source: source, phase: step.phase, text: step.text, origin: origin, fromPlan: true))
                    }
                }
            }
        }
        if result.isEmpty && !existing.contains(where: { $0.source?.hasPrefix("plan-step:") == true }) {
            for template in library.scenarios where matching.contains(template.id) {
                for phase in ResponsePhase.allCases {
                    for step in template.steps(phase) {
                        let source = "template:\(template.id):\(step.id)"
                        if taken.contains(source) { continue }
                        result.append(ScenarioTaskSuggestion(source: source, phase: phase, text: step.text.vi, origin: template.title.vi,
                                                             fromPlan: false))
                    }
                }
            }
        }
        return result
    }
}

extension ResponsePhase {
    var order: Int { Self.allCases.firstIndex(of: self)! }
}
