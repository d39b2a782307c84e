import Foundation
import Domain
import Plot
import Vapor

/// Recording a scan or hunt / editing one.
struct ProactiveAssessmentFormView {
    let req: Request
    let assessment: ProactiveAssessment?
    /// The system when it is fixed (editing, or `?systemId=`); otherwise a choice among `systems`.
    let system: InformationSystem?
    let systems: [InformationSystem]
    let input: ProactiveAssessmentInput
    let errors: [String: String]

    func render() -> Page {
        let t = req.t
        let lang = req.lang
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let title = assessment == nil ? t("proactive.record") : t("proactive.editAssessment")
        let action = assessment.map { SiteURL.proactive(.editAssessment(.value($0.id!))).path } ?? SiteURL.proactive(.newAssessment).path
        var crumbs: [Body] = [.link(SiteURL.proactive(.index).path, t("proactive.title"))]
        if let system { crumbs += [.txt(" › "), .link(SiteURL.system(.value(system.id!)).path, system.name)] }
        let systemField: Body
        if let system {
            systemField = .group([
                .el("dl", ["class": "facts"], [
                    .el("dt", [:], [.txt(t("proactive.system"))]),
                    .el("dd", ["id": "system-name"], [.txt("\(system.name) (\(system.code))")]),
                ]),
                .void("input", ["type": "hidden", "name": "systemId", "value": system.id!.uuidString.lowercased()]),
            ])
        } else {
            systemField = Forms.select(name: "systemId", label: t("proactive.system"),
                                       options: systems.map { ($0.id!.uuidString.lowercased(), "\($0.name) (\($0.code))") },
                                       selected: input.systemId?.lowercased(), error: err("systemId"), required: true, includeBlank: "")
        }
        let importedKind = assessment.map { $0.source != "manual" } ?? false
        let methods: [(String, String)] = AssessmentKind.allCases.flatMap { kind in
            kind.methods.map { ($0.rawValue, "\(kind.label.text(lang)) — \($0.label.text(lang))") }
        } + (input.method.flatMap { raw in AssessmentMethod(rawValue: raw) == nil && !raw.isEmpty ? [(raw, raw)] : nil } ?? [])
        return Layout(req: req).page(title: title, section: .proactive, content: [
            .el("p", ["class": "crumbs"], crumbs),
            .el("h1", [:], [.txt(title)]),
            .el("p", ["class": "muted"], [.txt(t("proactive.formIntro"))]),
            Forms.errorSummary(errors, t: t),
            Forms.multipart(req, action: action, id: "assessment-form", cls: "form", [
                .void("input", ["type": "hidden", "name": "version", "value": input.version.map(String.init)]),
                systemField,
                importedKind
                    ? .group([.void("input", ["type": "hidden", "name": "kind", "value": input.kind]),
                              .el("p", [:], [.txt(t("proactive.kind") + ": "), .el("strong", [:], [.txt(AssessmentKind(rawValue: input.kind ?? "")?.label.text(lang) ?? "—")])])])
                    : Forms.select(name: "kind", label: t("proactive.kind"), options: AssessmentKind.allCases.map { ($0.rawValue, $0.label.text(lang)) },
                                   selected: input.kind, error: err("kind"), required: true, includeBlank: ""),
                Forms.select(name: "method", label: t("proactive.method"), options: methods, selected: input.method, error: err("method"), includeBlank: "—"),
                Forms.select(name: "state", label: t("proactive.state"),
                             options: ProactiveAssessmentInput.recordableStates.map { ($0, t("proactive.state.\($0)")) },
                             selected: input.state ?? "completed", error: err("state"), required: true),
                Forms.select(name: "performerKind", label: t("proactive.performerKind"),
                             options: AssessmentPerformer.allCases.map { ($0.rawValue, $0.label.text(lang)) },
                             selected: input.performerKind ?? AssessmentPerformer.inHouse.rawValue, error: err("performerKind"), required: true),
                Forms.input(.init(name: "performer", label: t("proactive.performer"), value: input.performer, error: err("performer"), required: true,
                                  hint: t("proactive.performerHint"), maxLength: 300)),
                Forms.input(.init(name: "startedAt", label: t("proactive.startedAt"), value: input.startedAt, error: err("startedAt"), type: "date", required: true)),
                Forms.input(.init(name: "finishedAt", label: t("proactive.finishedAt"), value: input.finishedAt, error: err("finishedAt"), type: "date",
                                  hint: t("proactive.finishedHint"))),
                Forms.input(.init(name: "tool", label: t("proactive.tool"), value: input.tool, error: err("tool"), hint: t("proactive.toolHint"), maxLength: 300)),
                Forms.textarea(name: "scope", label: t("proactive.scope"), value: input.scope, error: err("scope"), hint: t("proactive.scopeHint"), maxLength: 4000),
                Forms.textarea(name: "summary", label: t("proactive.summary"), value: input.summary, error: err("summary"), rows: 5, maxLength: 16000),
                Forms.input(.init(name: "findingsCount", label: t("proactive.findingsCount"), value: input.findingsCount, error: err("findingsCount"),
                                  type: "number", hint: t("proactive.findingsCountHint"))),
                Forms.fileInput(label: t("proactive.reportFiles"), error: err("files"), hint: t("files.hint")),
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}
