import Foundation
import Domain
import Plot
import Vapor

/// New team / edit team, with the establishing decision's document.
struct TeamFormView {
    let req: Request
    let team: ResponseTeam?
    let input: TeamInput
    let errors: [String: String]
    let agencies: [(id: UUID, name: String, depth: Int)]

    func render() -> Page {
        let t = req.t
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let title = team == nil ? t("teams.new") : t("teams.edit")
        let action = team.map { SiteURL.teams(.edit(.value($0.id!))).path } ?? SiteURL.teams(.new).path
        return Layout(req: req).page(title: title, section: .teams, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.teams(.index).path, t("teams.title"))]),
            .el("h1", [:], [.txt(title)]),
            Forms.errorSummary(errors, t: t),
            Forms.multipart(req, action: action, id: "team-form", cls: "form", [
                .void("input", ["type": "hidden", "name": "version", "value": input.version.map(String.init)]),
                Forms.input(.init(name: "name", label: t("teams.name"), value: input.name, error: err("name"), required: true, maxLength: 300)),
                Forms.select(name: "kind", label: t("teams.kind"), options: TeamKind.allCases.map { ($0.rawValue, t("teamKind.\($0.rawValue)")) },
                             selected: input.kind ?? TeamKind.agency.rawValue, error: err("kind"), required: true),
                Forms.select(name: "agencyId", label: t("teams.agency"),
                             options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: input.agencyId?.lowercased(), error: err("agencyId"), required: true, includeBlank: ""),
                Forms.input(.init(name: "decisionNumber", label: t("teams.decisionNumber"), value: input.decisionNumber, error: err("decisionNumber"),
                                  maxLength: 100, placeholder: "123/QĐ-UBND")),
                Forms.input(.init(name: "decisionDate", label: t("teams.decisionDate"), value: input.decisionDate, error: err("decisionDate"), type: "date")),
                Forms.input(.init(name: "validFrom", label: t("teams.validFrom"), value: input.validFrom, error: err("validFrom"), type: "date")),
                Forms.input(.init(name: "validTo", label: t("teams.validTo"), value: input.validTo, error: err("validTo"), type: "date")),
                Forms.textarea(name: "notes", label: t("teams.notes"), value: input.notes, error: err("notes"), maxLength: 4000),
                Forms.fileInput(label: t("teams.decisionDocument"), error: err("files"), hint: t("files.hint")),
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}
