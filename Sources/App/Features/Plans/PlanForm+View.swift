import Foundation
import Domain
import Plot
import Vapor

/// New plan, or editing a draft version: systems, scenarios (picked from the library, steps adapted per phase),
/// contacts and resources.
struct PlanFormView {
    let req: Request
    /// nil for a new plan.
    let editing: (plan: ResponsePlan, version: PlanVersion)?
    let form: PlanForm
    /// Steps shown per picked scenario and phase (the posted text, the stored steps or the template's).
    let steps: [String: [ResponsePhase: [String]]]
    let errors: [String: String]
    let agencies: [(id: UUID, name: String, depth: Int)]
    let systems: [InformationSystem]
    let library: ScenarioLibrary

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let title = editing.map { t("plans.editVersion", String($0.version.number)) } ?? t("plans.new")
        let action = editing.map { SiteURL.plans(.versionEdit(.value($0.plan.id!), .value($0.version.id!))).path } ?? SiteURL.plans(.new).path
        let picked = form.scenarioIds ?? []
        var fields: [Body] = [
            .void("input", ["type": "hidden", "name": "version", "value": form.version.map(String.init)]),
            Forms.input(.init(name: "title", label: t("plans.planTitle"), value: form.title, error: err("title"), required: true, maxLength: 300)),
        ]
        if editing == nil {
            fields += [
                Forms.select(name: "agencyId", label: t("plans.agency"),
                             options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: form.agencyId?.lowercased(), error: err("agencyId"), required: true, includeBlank: ""),
                Forms.select(name: "scope", label: t("plans.scope"), options: ["system", "agency"].map { ($0, t("planScope.\($0)")) },
                             selected: form.scope ?? "agency", error: err("scope"), required: true),
            ]
        }
        fields.append(Forms.checkboxGroup(name: "systemIds", legend: t("plans.systems"),
                                          options: systems.map { ($0.id!.uuidString.lowercased(), "\($0.name) (\($0.code))") },
                                          checked: Set((form.systemIds ?? []).map { $0.lowercased() }), error: err("systemIds"), hint: t("plans.systemsHint")))
        fields.append(Forms.checkboxGroup(name: "scenarioIds", legend: t("plans.scenarios"),
                                          options: library.scenarios.map { ($0.id, $0.title.text(lang)) },
                                          checked: Set(picked), error: err("scenarios"), hint: t("plans.scenariosHint")))
        for id in picked {
            guard let template = library.scenario(id), let shown = steps[id] else { continue }
            fields.append(.el("fieldset", ["class": "field scenario-steps", "id": "steps-\(id)"], [
                .el("legend", [:], [.txt(template.title.text(lang))]),
                .group(ResponsePhase.allCases.map { phase in
                    let key = PlanForm.stepsKey(id, phase)
                    return Forms.textarea(name: key, label: t("responsePhase.\(phase.rawValue)"), value: (shown[phase] ?? []).joined(separator: "\n"),
                                          error: err(key), hint: t("plans.stepsHint"), rows: 4)
                }),
            ]))
        }
        fields += [
            Forms.textarea(name: "contacts", label: t("plans.contacts"), value: form.contacts, error: err("contacts"), hint: t("plans.contactsHint"), rows: 4),
            Forms.textarea(name: "resources", label: t("plans.resources"), value: form.resources, error: err("resources"), rows: 4, maxLength: 8000),
            Forms.textarea(name: "notes", label: t("plans.notes"), value: form.notes, error: err("notes"), rows: 3, maxLength: 8000),
            Forms.submit(t("common.save")),
        ]
        return Layout(req: req).page(title: title, section: .plans, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.plans(.index).path, t("plans.title"))]),
            .el("h1", [:], [.txt(title)]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "plan-form", cls: "form", fields),
        ])
    }
}
