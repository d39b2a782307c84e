import Foundation
import Domain
import Plot
import Vapor

/// One version of a plan: systems, scenarios with their steps by phase, contacts, resources, approval; the
/// list of versions; and, for who may, editing, approval and a new version.
struct PlanShowView {
    let req: Request
    let content: PlanService.Content
    let versions: [PlanVersion]
    /// Staleness of the covered systems (from the materialised duties), by system.
    let stale: [UUID: Obligation]
    var approvalInput = PlanApprovalInput()
    var approvalErrors: [String: String] = [:]

    func render() -> Page {
        let t = req.t
        let subject = req.subject!
        let plan = content.plan
        let v = content.version
        let pid = plan.id!
        let vid = v.id!
        let canEdit = Policy.can(subject, .editPlans, .owned(agencyId: plan.agencyId))
        let canApprove = Policy.can(subject, .approvePlans, .owned(agencyId: plan.agencyId))
        let err: (String) -> String? = { approvalErrors[$0].map { t($0) } }
        var buttons: [Body] = [.link(SiteURL.plans(.versionDocx(.value(pid), .value(vid))).path, t("plans.docx"), id: "plan-docx", cls: "button")]
        if canEdit && v.state == .draft {
            buttons.append(.link(SiteURL.plans(.versionEdit(.value(pid), .value(vid))).path, t("common.edit"), id: "edit-plan", cls: "button"))
        }
        if canEdit && !versions.contains(where: { $0.state == .draft }) {
            buttons.append(Forms.postButton(req, action: SiteURL.plans(.versions(.value(pid))).path, label: t("plans.newVersion"), id: "new-version"))
        }
        let approval: Body = v.state == .draft ? (canApprove ? .el("section", ["class": "card", "id": "approve"], [
            .el("h2", [:], [.txt(t("plans.approve"))]),
            Forms.errorSummary(approvalErrors, t: t),
            Forms.multipart(req, action: SiteURL.plans(.versionApprove(.value(pid), .value(vid))).path, id: "approve-form", cls: "form", [
                .void("input", ["type": "hidden", "name": "version", "value": String(v.version)]),
                Forms.input(.init(name: "approverName", label: t("plans.approverName"), value: approvalInput.approverName, error: err("approverName"),
                                  required: true, maxLength: 300)),
                Forms.input(.init(name: "decisionNumber", label: t("plans.decisionNumber"), value: approvalInput.decisionNumber,
                                  error: err("decisionNumber"), required: true, maxLength: 100, placeholder: "45/QĐ-SYT")),
                Forms.input(.init(name: "decisionDate", label: t("plans.decisionDate"), value: approvalInput.decisionDate, error: err("decisionDate"),
                                  type: "date", required: true)),
                approvalErrors["systemIds"].map { .el("p", ["class": "error"], [.txt(t($0))]) } ?? .empty,
                approvalErrors["scenarios"].map { .el("p", ["class": "error"], [.txt(t($0))]) } ?? .empty,
                Forms.fileInput(label: t("plans.decisionDocument"), error: err("files"), hint: t("files.hint")),
                Forms.submit(t("plans.approve"), id: "approve-plan"),
            ]),
        ]) : .el("p", ["class": "muted"], [.txt(t("plans.awaitingApproval"))])) : .el("dl", ["class": "card details", "id": "approval"], [
            .el("dt", [:], [.txt(t("plans.approverName"))]), .el("dd", [:], [.txt(v.approverName ?? "—")]),
            .el("dt", [:], [.txt(t("plans.decision"))]),
            .el("dd", [:], [.txt("\(v.decisionNumber ?? "—") · \(v.decisionDate.map(DisplayTime.date) ?? "")")]),
            .el("dt", [:], [.txt(t("plans.approvedAt"))]), .el("dd", [:], [.txt(v.approvedAt.map(DisplayTime.dateTime) ?? "—")]),
            .el("dt", [:], [.txt(t("files.title"))]), .el("dd", [:], [FileLinks.list(content.files)]),
        ])
        return Layout(req: req).page(title: plan.title, section: .plans, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.plans(.index).path, t("plans.title"))]),
            .el("div", ["class": "page-head"], [
                .el("div", [:], [
                    .el("h1", ["id": "plan-title"], [.txt(plan.title)]),
                    .el("p", [:], [.txt(t("plans.versionN", String(v.number)) + " "), PlanBadges.state(v.state, t: t)]),
                ]),
                .el("div", ["class": "buttons"], buttons),
            ]),
            approval,
            .el("section", ["class": "card", "id": "plan-systems"], [
                .el("h2", [:], [.txt(t("plans.systems"))]),
                content.systems.isEmpty ? .el("p", ["class": "muted"], [.txt(t("plans.noSystems"))]) :
                    .el("ul", ["class": "plain"], content.systems.map { s in
                        .el("li", [:], [.link(SiteURL.system(.value(s.id!)).path, "\(s.name) (\(s.code))"), .txt(" "),
                                        SystemBadges.level(approved: s.approvedLevel, proposed: s.proposedLevel, redetermine: false, t: t),
                                        stale[s.id!].map { o in .group([.txt(" "), SystemBadges.obligation(o, t: t), .txt(" " + o.explanation(req.lang.rawValue))]) } ?? .empty])
                    }),
            ]),
            .el("section", ["class": "card", "id": "plan-scenarios"], [
                .el("h2", [:], [.txt(t("plans.scenarios"))]),
                content.scenarios.isEmpty ? .el("p", ["class": "muted"], [.txt(t("plans.noScenarios"))]) : .group(content.scenarios.map { s in
                    .el("article", ["class": "scenario", "id": "scenario-\(s.scenario.scenarioId)"], [
                        .el("h3", [:], [.txt(s.scenario.title)]),
                        .group(ResponsePhase.allCases.map { phase in
                            .group([.el("h4", [:], [.txt(t("responsePhase.\(phase.rawValue)"))]),
                                    .el("ol", [:], (s.steps[phase] ?? []).map { .el("li", [:], [.txt($0.text)]) })])
                        }),
                    ])
                }),
            ]),
            .el("section", ["class": "card", "id": "plan-contacts"], [
                .el("h2", [:], [.txt(t("plans.contacts"))]),
                content.contacts.isEmpty ? .el("p", ["class": "muted"], [.txt("—")]) : .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("members.name"), t("plans.contactRole"), t("members.phone"), t("members.email")]
                        .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], content.contacts.map { c in
                        .el("tr", [:], [c.name, c.role ?? "", c.phone ?? "", c.email ?? ""].map { .el("td", [:], [.txt($0)]) })
                    }),
                ]),
                .el("h3", [:], [.txt(t("plans.resources"))]),
                .el("p", ["class": "prewrap"], [.txt(v.resources ?? "—")]),
            ]),
            .el("section", ["class": "card", "id": "plan-versions"], [
                .el("h2", [:], [.txt(t("plans.versions"))]),
                .el("ul", ["class": "plain"], versions.map { other in
                    .el("li", [:], [.link(SiteURL.plans(.version(.value(pid), .value(other.id!))).path, t("plans.versionN", String(other.number))),
                                    .txt(" "), PlanBadges.state(other.state, t: t),
                                    .txt(other.approvedAt.map { " · " + DisplayTime.date($0) } ?? "")])
                }),
            ]),
        ])
    }
}
