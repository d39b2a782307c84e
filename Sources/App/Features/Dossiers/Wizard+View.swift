import Foundation
import Domain
import Plot
import Vapor

struct WizardView {
    let req: Request
    let system: InformationSystem
    let step: Int
    let input: SystemInput
    let errors: [String: String]
    let proposal: LevelProposal
    let components: [SystemComponent]
    let openDossier: LevelDossier?
    let openInput: WizardController.OpenInput?
    let message: String?

    func render() -> Page {
        let t = req.t
        let sid = system.id!
        let stepNames = (1...4).map { t("wizard.step\($0)") }
        let nav: Body = .el("ol", ["class": "steps", "id": "wizard-steps"], stepNames.enumerated().map { index, name in
            let n = index + 1
            return .el("li", ["class": n == step ? "current" : (n < step ? "done" : nil), "aria-current": n == step ? "step" : nil], [
                .link(SiteURL.systemClassify(.value(sid)).path(query: ["step": String(n)]), "\(n). \(name)"),
            ])
        })
        let body: [Body]
        switch step {
        case 1: body = stepForm(fields: identifyFields())
        case 2: body = stepForm(fields: informationFields())
        case 3: body = stepForm(fields: classifyFields())
        default: body = resultBody()
        }
        return Layout(req: req).page(title: t("wizard.title"), section: .systems, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.system(.value(sid)).path, system.name)]),
            .el("h1", [:], [.txt(t("wizard.titleFor", system.name))]),
            .el("p", ["class": "muted"], [.txt(t("wizard.intro"))]),
            nav,
            message.map { .el("div", ["class": "flash error", "role": "alert"], [.txt($0)]) } ?? .empty,
            step < 4 ? .el("p", ["class": "card live-level", "id": "live-level"], [
                .txt(t("wizard.proposedSoFar") + " "), .el("strong", [:], [.txt(t("systems.levelN", String(proposal.level)))]),
            ]) : .empty,
        ] + body)
    }

    private var err: (String) -> String? { { errors[$0].map { req.t($0) } } }

    private func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ prefix: String) -> [(value: String, label: String)] where E.RawValue == String {
        E.allCases.map { ($0.rawValue, req.t("\(prefix).\($0.rawValue)")) }
    }

    private func stepForm(fields: [Body]) -> [Body] {
        let t = req.t
        return [
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: SiteURL.systemClassify(.value(system.id!)).path(query: ["step": String(step)]), id: "wizard-form", cls: "card form",
                       fields + [.el("div", ["class": "actions"], [
                           step > 1 ? .link(SiteURL.systemClassify(.value(system.id!)).path(query: ["step": String(step - 1)]), t("wizard.back"), cls: "button") : .empty,
                           .el("button", ["type": "submit", "class": "primary", "id": "wizard-next"], [.txt(t("wizard.next"))]),
                       ])]),
        ]
    }

    private func identifyFields() -> [Body] {
        let t = req.t
        return [
            .el("p", ["class": "hint"], [.txt(t("wizard.step1Help"))]),
            .el("dl", ["class": "facts"], [
                .el("dt", [:], [.txt(t("systems.name"))]), .el("dd", [:], [.txt(system.name)]),
                .el("dt", [:], [.txt(t("field.code"))]), .el("dd", [:], [.txt(system.code)]),
            ]),
            Forms.input(.init(name: "ownerName", label: t("systems.ownerName"), value: input.ownerName, error: err("ownerName"), required: true,
                              hint: t("systems.ownerHint"), maxLength: 300)),
            Forms.input(.init(name: "operatorName", label: t("systems.operatorName"), value: input.operatorName, error: err("operatorName"), required: true, maxLength: 300)),
            Forms.textarea(name: "purpose", label: t("systems.purpose"), value: input.purpose, error: err("purpose"), maxLength: 4000),
            Forms.select(name: "lifecycle", label: t("systems.lifecycle"), options: choice(LifecycleStatus.self, "lifecycle"), selected: input.lifecycle,
                         error: err("lifecycle"), required: true),
            Forms.input(.init(name: "goLiveDate", label: t("systems.goLiveDate"), value: input.goLiveDate, error: err("goLiveDate"), type: "date")),
        ]
    }

    private func informationFields() -> [Body] {
        let t = req.t
        return [
            .el("p", ["class": "hint"], [.txt(t("wizard.step2Help"))]),
        ] + SystemFieldGroups.information(input, err: err, t: t)
    }

    private func classifyFields() -> [Body] {
        let t = req.t
        return [.el("p", ["class": "hint"], [.txt(t("wizard.step3Help"))])]
            + SystemFieldGroups.classification(input, err: err, t: t, functionTypeBlank: false) + [
            .el("p", ["class": "hint"], [.txt(t("wizard.componentsHint", String(components.filter { $0.level != nil }.count))),
                                         .link(SiteURL.system(.value(system.id!)).path + "#components", t("components.title"))]),
        ]
    }

    private func resultBody() -> [Body] {
        let t = req.t
        let sid = system.id!
        var body: [Body] = [ProposalView.render(proposal, lang: req.lang.rawValue, t: t)]
        if let openDossier {
            body.append(.el("p", ["class": "flash info"], [
                .txt(t("dossier.alreadyOpen") + " "), .link(SiteURL.systemDossier(.value(sid), .value(openDossier.id!)).path, t("dossier.open")),
            ]))
        } else if Policy.can(req.subject!, .submitDossier, .owned(agencyId: system.$agency.id)) {
            let input = openInput ?? .init(proposedLevel: String(proposal.level), justification: nil)
            body.append(Forms.errorSummary(errors, t: t))
            body.append(Forms.post(req, action: SiteURL.systemClassify(.value(sid)).path(query: ["step": "4"]), id: "open-dossier", cls: "card form", [
                .el("h2", [:], [.txt(t("dossier.openTitle"))]),
                Forms.select(name: "proposedLevel", label: t("dossier.proposedLevel"), options: (1...5).map { (String($0), t("systems.levelN", String($0))) },
                             selected: input.proposedLevel, error: err("proposedLevel"), required: true),
                Forms.textarea(name: "justification", label: t("dossier.justification"), value: input.justification, error: err("justification"),
                               hint: t("dossier.justificationHint"), maxLength: 8000),
                Forms.submit(t("dossier.openButton"), id: "open-dossier-button"),
            ]))
        }
        body.append(.el("div", ["class": "actions"], [
            .link(SiteURL.systemClassify(.value(sid)).path(query: ["step": "3"]), t("wizard.back"), cls: "button"),
        ]))
        return body
    }
}

/// The engine's result: the proposed level and, per criterion, whether it applies and why.
enum ProposalView {
    static func render(_ proposal: LevelProposal, lang: String, t: Localizer) -> Body {
        let byLevel = Dictionary(grouping: proposal.criteria, by: \.level)
        return .el("section", ["class": "card", "id": "proposal"], [
            .el("h2", [:], [.txt(t("wizard.result")), .txt(" "), .el("span", ["class": "badge level level-\(proposal.level)", "id": "proposed-level"],
                                                                       [.txt(t("systems.levelN", String(proposal.level)))])]),
            .el("p", [:], [.txt(t("wizard.resultExplain", String(proposal.criteriaLevel), proposal.componentLevel.map(String.init) ?? "—"))]),
            proposal.uncertain ? .el("p", ["class": "flash info", "id": "uncertain"], [
                .txt(t(proposal.criteria.contains(where: \.applies) || proposal.componentLevel != nil ? "wizard.uncertain" : "wizard.noCriterion")),
            ]) : .empty,
            .el("p", ["class": "muted small"], [.txt(t("wizard.ruleVersion", proposal.ruleId, proposal.ruleVersion))]),
            .group((1...5).map { level in
                let items = byLevel[level] ?? []
                return .el("details", ["class": "criteria-level", "open": items.contains(where: \.applies) ? "" : nil], [
                    .el("summary", [:], [.txt(t("systems.levelN", String(level))), .txt(" · "),
                                         .txt(t("wizard.criteriaMet", String(items.filter(\.applies).count), String(items.count)))]),
                    .el("ul", ["class": "plain criteria"], items.map { c in
                        .el("li", ["class": c.applies ? "criterion applies" : "criterion", "id": "criterion-\(c.id)"], [
                            .el("span", ["class": c.applies ? "badge ok" : "badge muted"], [.txt(c.applies ? t("wizard.applies") : t("wizard.notApplies"))]),
                            .txt(" "), .el("strong", [:], [.txt(c.title.text(lang))]),
                            .el("span", ["class": "muted small"], [.txt(" — " + c.article.text(lang))]),
                            c.confidence == .confirmed ? .empty : .el("span", ["class": "badge warn", "title": t("confidence.\(c.confidence.rawValue).help")],
                                                                       [.txt(t("confidence.\(c.confidence.rawValue)"))]),
                            .el("ul", ["class": "reasons small"], c.reasons.map { .el("li", [:], [.txt($0.text(lang))]) }),
                            c.note.map { .el("p", ["class": "hint"], [.txt($0.text(lang))]) } ?? .empty,
                        ])
                    }),
                ])
            }),
        ])
    }
}
