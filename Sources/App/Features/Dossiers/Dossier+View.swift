import Foundation
import Domain
import Plot
import Vapor

struct DossierView {
    let req: Request
    let system: InformationSystem
    let dossier: LevelDossier
    let steps: [DossierStep]
    let files: [UUID: [StoredFile]]
    let authority: LevelAuthority?
    let workflow: DossierRules
    let failed: (DossierTransition, DossierService.StepInput, AppError)?

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let sid = system.id!
        let did = dossier.id!
        let subject = req.subject!
        let available = DossierTransition.allCases.filter { tr in
            tr.target(from: dossier.state, level: dossier.proposedLevel, rules: workflow, hasOpinion: dossier.hasOpinion) != nil
                && Policy.can(subject, tr.action, .owned(agencyId: system.$agency.id))
        }
        let timeline: [Body] = steps.map { s in
            .el("li", ["class": "step"], [
                .el("p", [:], [
                    .el("time", [:], [.txt(DisplayTime.dateTime(s.at))]), .txt(" · "), .el("strong", [:], [.txt(s.actorName)]), .txt(" · "),
                    .txt(t("dossierTransition.\(s.transition)")), .txt(": "),
                    .txt(t("dossierState.\(s.fromState)") + " → " + t("dossierState.\(s.toState)")),
                ]),
                s.decisionNumber.map { .el("p", [:], [.txt(t("dossier.decisionLine", $0, s.decisionDate.map(DisplayTime.date) ?? ""))]) } ?? .empty,
                s.comment.map { .el("blockquote", [:], [.txt($0)]) } ?? .empty,
                FileLinks.list(files[s.id!] ?? []),
            ])
        }
        return Layout(req: req).page(title: t("dossier.title"), section: .systems, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.system(.value(sid)).path, system.name)]),
            .el("div", ["class": "page-head"], [
                .el("div", [:], [
                    .el("h1", [:], [.txt(t("dossier.titleFor", system.name))]),
                    .el("p", [:], [DossierBadges.state(dossier.state, t: t), .txt(" "),
                                   .el("span", ["class": "badge level level-\(dossier.proposedLevel)"], [.txt(t("systems.levelN", String(dossier.proposedLevel)))])]),
                ]),
                .el("div", ["class": "buttons"], [
                    .link(SiteURL.systemDossierDocx(.value(sid), .value(did)).path, t("dossier.downloadDocx"), id: "download-docx", cls: "button primary"),
                ]),
            ]),
            .el("section", ["class": "card"], [
                .el("dl", ["class": "facts"], [
                    .el("dt", [:], [.txt(t("dossier.computedLevel"))]), .el("dd", [:], [.txt(t("systems.levelN", String(dossier.computedLevel)))]),
                    .el("dt", [:], [.txt(t("dossier.justification"))]), .el("dd", [:], [.txt(dossier.justification ?? "—")]),
                    .el("dt", [:], [.txt(t("authorities.opinion"))]),
                    .el("dd", [:], [.txt(workflow.technicalOpinionLevels.contains(dossier.proposedLevel) ? (authority?.opinion(lang) ?? "—") : t("dossier.noOpinionNeeded"))]),
                    .el("dt", [:], [.txt(t("authorities.appraising"))]), .el("dd", [:], [.txt(dossier.appraisingBody ?? authority?.appraising(lang) ?? "—")]),
                    .el("dt", [:], [.txt(t("authorities.approving"))]), .el("dd", [:], [.txt(dossier.approvingBody ?? authority?.approving(lang) ?? "—")]),
                    .el("dt", [:], [.txt(t("dossier.decision"))]),
                    .el("dd", [:], [.txt(dossier.decisionNumber.map { t("dossier.decisionLine", $0, dossier.decisionDate.map(DisplayTime.date) ?? "") } ?? "—")]),
                    .el("dt", [:], [.txt(t("dossier.dueHint"))]),
                    .el("dd", [:], [.txt(t("dossier.dueText", workflow.appraisalDueDays[dossier.proposedLevel].map(String.init) ?? "—",
                                           workflow.approvalDueWorkingDays[dossier.proposedLevel].map(String.init) ?? "—"))]),
                ]),
            ]),
            available.isEmpty ? .empty : .el("section", ["class": "card", "id": "actions"], [
                .el("h2", [:], [.txt(t("dossier.nextSteps"))]),
                .group(available.map(actionForm)),
            ]),
            .el("section", ["class": "card", "id": "timeline"], [
                .el("h2", [:], [.txt(t("dossier.timeline"))]),
                timeline.isEmpty ? .el("p", ["class": "muted"], [.txt(t("dossier.noSteps"))]) : .el("ol", ["class": "plain timeline"], timeline),
            ]),
            dossier.proposal.map { ProposalView.render($0, lang: lang, t: t) } ?? .empty,
        ])
    }

    private func actionForm(_ transition: DossierTransition) -> Body {
        let t = req.t
        let isFailed = failed?.0 == transition
        let input = isFailed ? failed!.1 : DossierService.StepInput()
        let errors = isFailed ? failed!.2.fields : [:]
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let prefix = transition.rawValue
        return .el("details", ["class": "step-form", "open": isFailed ? "" : nil, "id": "action-\(prefix)"], [
            .el("summary", [:], [.txt(t("dossierTransition.\(prefix)"))]),
            isFailed && failed!.2.status == .conflict ? .el("p", ["class": "flash error", "role": "alert"], [.txt(t(failed!.2.messageKey))]) : .empty,
            Forms.errorSummary(errors, t: t),
            Forms.multipart(req, action: SiteURL.systemDossierStep(.value(system.id!), .value(dossier.id!), transition).path, cls: "form", [
                transition.requiresDecision ? .group([
                    Forms.input(.init(name: "decisionNumber", label: t("dossier.decisionNumber"), value: input.decisionNumber, error: err("decisionNumber"),
                                      required: true, maxLength: 100, placeholder: "123/QĐ-UBND", id: "\(prefix)-decisionNumber")),
                    Forms.input(.init(name: "decisionDate", label: t("dossier.decisionDate"), value: input.decisionDate, error: err("decisionDate"),
                                      type: "date", required: true, id: "\(prefix)-decisionDate")),
                ]) : .empty,
                Forms.textarea(name: "comment", label: t("dossier.comment"), value: input.comment, error: err("comment"),
                               required: transition.requiresComment, maxLength: 8000, id: "\(prefix)-comment"),
                Forms.fileInput(label: t("files.attach"), error: err("files"), hint: t("files.hint"), id: "\(prefix)-files"),
                Forms.submit(t("dossierTransition.\(prefix)"), id: "do-\(prefix)"),
            ]),
        ])
    }
}

