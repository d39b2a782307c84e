import Foundation
import Domain
import Plot
import Vapor

/// New drill / edit drill.
struct DrillFormView {
    let req: Request
    let drill: Drill?
    let input: DrillInput
    let errors: [String: String]
    let agencies: [(id: UUID, name: String, depth: Int)]
    let systems: [InformationSystem]
    let library: ScenarioLibrary

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let title = drill == nil ? t("drills.new") : t("drills.edit")
        let action = drill.map { SiteURL.drills(.edit(.value($0.id!))).path } ?? SiteURL.drills(.new).path
        return Layout(req: req).page(title: title, section: .drills, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.drills(.index).path, t("drills.title"))]),
            .el("h1", [:], [.txt(title)]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "drill-form", cls: "form", [
                .void("input", ["type": "hidden", "name": "version", "value": input.version.map(String.init)]),
                Forms.input(.init(name: "title", label: t("drills.drillTitle"), value: input.title, error: err("title"), required: true, maxLength: 300)),
                Forms.select(name: "kind", label: t("drills.kind"), options: DrillKind.allCases.map { ($0.rawValue, t("drillKind.\($0.rawValue)")) },
                             selected: input.kind ?? DrillKind.realCombat.rawValue, error: err("kind"), required: true),
                Forms.select(name: "agencyId", label: t("drills.agency"),
                             options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: input.agencyId?.lowercased(), error: err("agencyId"), required: true, includeBlank: ""),
                Forms.input(.init(name: "plannedOn", label: t("drills.plannedOn"), value: input.plannedOn, error: err("plannedOn"), type: "date", required: true)),
                Forms.checkboxGroup(name: "systemIds", legend: t("drills.systems"), options: systems.map { ($0.id!.uuidString.lowercased(), "\($0.name) (\($0.code))") },
                                    checked: Set((input.systemIds ?? []).map { $0.lowercased() }), error: err("systemIds")),
                Forms.select(name: "scenarioId", label: t("drills.scenario"), options: library.scenarios.map { ($0.id, $0.title.text(lang)) },
                             selected: input.scenarioId, error: err("scenarioId"), includeBlank: "—"),
                Forms.textarea(name: "scenarioText", label: t("drills.scenarioText"), value: input.scenarioText, error: err("scenarioText"), maxLength: 8000),
                Forms.textarea(name: "participants", label: t("drills.participants"), value: input.participants, error: err("participants"), maxLength: 8000),
                Forms.textarea(name: "findings", label: t("drills.findings"), value: input.findings, error: err("findings"), rows: 4, maxLength: 16000),
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}
