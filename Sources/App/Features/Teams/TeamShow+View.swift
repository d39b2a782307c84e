import Foundation
import Domain
import Plot
import Vapor

/// A team: decision, validity, members, duties.
struct TeamShowView {
    struct Model {
        let team: ResponseTeam
        let agency: Agency?
        let members: [TeamMember]
        let files: [StoredFile]
        let obligations: [Obligation]
        let roles: ResponseObligationRules
    }

    let req: Request
    let model: Model
    var memberInput = MemberInput()
    var memberErrors: [String: String] = [:]

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let team = model.team
        let id = team.id!
        let canManage = Policy.canManage(team: team.kind, agencyId: team.agencyId, subject: req.subject!)
        let facts: [(String, Body)] = [
            (t("teams.kind"), .txt(t("teamKind.\(team.kind.rawValue)"))),
            (t("teams.agency"), model.agency.map { .link(SiteURL.agency(.value($0.id!)).path, $0.name) } ?? .txt("—")),
            (t("teams.decision"), .txt([team.decisionNumber, team.decisionDate.map(DisplayTime.date)].compactMap { $0 }.joined(separator: " · ").nilIfEmpty ?? "—")),
            (t("teams.validity"), .txt("\(team.validFrom.map(DisplayTime.date) ?? "…") – \(team.validTo.map(DisplayTime.date) ?? "…")")),
            (t("teams.experts"), .txt("\(model.members.filter(\.expert).count) / \(model.roles.minExperts)")),
            (t("teams.notes"), .txt(team.notes ?? "—")),
            (t("files.title"), FileLinks.list(model.files)),
        ]
        let rows: [Body] = model.members.map { m in
            .el("tr", [:], [
                .el("td", [:], [.txt(m.name)]),
                .el("td", [:], [.txt(model.roles.teamRole(m.teamRole)?.title.text(lang) ?? m.teamRole)]),
                .el("td", [:], [.txt(m.organisation ?? "—")]),
                .el("td", [:], [.txt(m.expert ? t("common.yes") : t("common.no"))]),
                .el("td", [:], [.txt(m.outsourced ? t("common.yes") : t("common.no"))]),
                .el("td", [:], [.txt([m.skills, m.certifications].compactMap { $0 }.joined(separator: " · "))]),
                .el("td", [:], [.txt([m.phone, m.email].compactMap { $0 }.joined(separator: " · "))]),
                .el("td", [:], canManage ? [
                    .link(SiteURL.teams(.memberEdit(.value(id), .value(m.id!))).path, t("common.edit")), .txt(" "),
                    Forms.postButton(req, action: SiteURL.teams(.memberDelete(.value(id), .value(m.id!))).path, label: t("common.delete"),
                                     cls: "link danger", confirm: t("teams.confirmDeleteMember")),
                ] : []),
            ])
        }
        return Layout(req: req).page(title: team.name, section: .teams, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.teams(.index).path, t("teams.title"))]),
            .el("div", ["class": "page-head"], [
                .el("h1", ["id": "team-name"], [.txt(team.name)]),
                .el("div", ["class": "buttons"], canManage ? [
                    .link(SiteURL.teams(.edit(.value(id))).path, t("common.edit"), id: "edit-team", cls: "button"),
                    Forms.postButton(req, action: SiteURL.teams(.delete(.value(id))).path, label: t("common.delete"), id: "delete-team",
                                     cls: "danger", confirm: t("teams.confirmDelete")),
                ] : []),
            ]),
            .el("dl", ["class": "card details", "id": "team-facts"], facts.flatMap { [.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [$0.1])] }),
            .el("section", ["class": "card", "id": "team-obligations"], [
                .el("h2", [:], [.txt(t("obligations.title"))]),
                ObligationTable.render(model.obligations, lang: lang, t: t, showSubject: false, systemNames: [:]),
            ]),
            .el("section", ["class": "card", "id": "members"], [
                .el("h2", [:], [.txt(t("teams.members")), .txt(" (\(model.members.count))")]),
                rows.isEmpty ? .el("p", ["class": "muted"], [.txt(t("teams.noMembers"))]) : .el("table", ["class": "table", "id": "members-table"], [
                    .el("thead", [:], [.el("tr", [:], [t("members.name"), t("members.teamRole"), t("members.organisation"), t("members.expert"),
                                                       t("members.outsourced"), t("members.skills"), t("members.contact"), ""].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
                canManage ? .el("details", memberErrors.isEmpty ? [:] : ["open": ""], [
                    .el("summary", [:], [.txt(t("members.add"))]),
                    Forms.errorSummary(memberErrors, t: t),
                    Forms.post(req, action: SiteURL.teams(.members(.value(id))).path, id: "member-form", cls: "form",
                               MemberFields.fields(input: memberInput, errors: memberErrors, roles: model.roles, t: t, lang: lang)
                                   + [Forms.submit(t("members.add"), id: "add-member")]),
                ]) : .empty,
            ]),
        ])
    }
}

enum MemberFields {
    static func fields(input: MemberInput, errors: [String: String], roles: ResponseObligationRules, t: Localizer, lang: String) -> [Body] {
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        return [
            Forms.input(.init(name: "name", label: t("members.name"), value: input.name, error: err("name"), required: true, maxLength: 200)),
            Forms.select(name: "teamRole", label: t("members.teamRole"), options: roles.teamRoles.map { ($0.id, $0.title.text(lang)) },
                         selected: input.teamRole ?? "member", error: err("teamRole"), required: true),
            Forms.input(.init(name: "organisation", label: t("members.organisation"), value: input.organisation, error: err("organisation"), maxLength: 300)),
            Forms.checkbox(name: "expert", value: "true", label: t("members.expertLabel"), checked: ResponseText.flag(input.expert)),
            Forms.checkbox(name: "outsourced", value: "true", label: t("members.outsourcedLabel"), checked: ResponseText.flag(input.outsourced)),
            Forms.input(.init(name: "skills", label: t("members.skills"), value: input.skills, error: err("skills"), maxLength: 2000)),
            Forms.input(.init(name: "certifications", label: t("members.certifications"), value: input.certifications, error: err("certifications"), maxLength: 2000)),
            Forms.input(.init(name: "phone", label: t("members.phone"), value: input.phone, error: err("phone"), type: "tel", maxLength: 32)),
            Forms.input(.init(name: "email", label: t("members.email"), value: input.email, error: err("email"), type: "email", maxLength: 254)),
        ]
    }
}
