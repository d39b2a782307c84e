import Foundation
import Domain
import Plot
import Vapor

struct CatalogueView {
    let req: Request
    let controls: [CatalogueControl]
    let level: Int?
    let groups: ControlCatalogue

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let canEdit = Policy.can(req.subject!, .manageRuleTables)
        let byGroup = Dictionary(grouping: controls, by: \.groupId)
        var sections: [Body] = []
        for group in groups.groups.sorted(by: { $0.order < $1.order }) {
            guard let items = byGroup[group.id] else { continue }
            sections.append(.el("section", ["class": "card", "id": "group-\(group.id)"], [
                .el("h2", [:], [.txt(group.title.text(lang)), .el("span", ["class": "muted small"], [.txt(" · " + t("controlFamily.\(group.family.rawValue)"))])]),
                .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("field.code"), t("controls.requirement"), t("controls.firstLevel"), ""].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], items.map { c in
                        .el("tr", ["id": "control-\(c.code)", "class": c.active ? nil : "inactive"], [
                            .el("td", [:], [.el("code", [:], [.txt(c.code)])]),
                            .el("td", [:], [.el("strong", [:], [.txt(c.title(lang))]), c.description(lang).map { .el("p", ["class": "small"], [.txt($0)]) } ?? .empty,
                                            c.active ? .empty : .el("span", ["class": "badge muted"], [.txt(t("controls.inactive"))])]),
                            .el("td", [:], [.txt(t("systems.levelN", String(c.firstLevel)) + "+")]),
                            .el("td", [:], [canEdit ? .link(SiteURL.controlEdit(.value(c.id!)).path, t("common.edit")) : .empty]),
                        ])
                    }),
                ]),
            ]))
        }
        return Layout(req: req).page(title: t("controls.catalogue"), section: .controls, flash: FlashMessage.from(req), content: [
            .el("div", ["class": "page-head"], [
                .el("h1", [:], [.txt(t("controls.catalogue"))]),
                .el("div", ["class": "buttons"], [.link(SiteURL.authorities.path, t("authorities.title"), cls: "button")]),
            ]),
            .el("p", ["class": "muted"], [.txt(t("controls.catalogueIntro", groups.header.id, groups.header.version))]),
            groups.header.confidence == .confirmed ? .empty : .el("p", ["class": "flash info"], [.txt(t("rules.unconfirmed"))]),
            .el("form", ["method": "get", "action": SiteURL.controls.path, "class": "filters"], [
                Forms.select(name: "level", label: t("controls.showForLevel"), options: (1...5).map { (String($0), t("systems.levelN", String($0))) },
                             selected: level.map(String.init), error: nil, includeBlank: t("common.all")),
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ]),
        ] + sections)
    }
}

struct ControlEditView {
    let req: Request
    let control: CatalogueControl
    let input: CatalogueController.ControlEditInput
    let errors: [String: String]

    func render() -> Page {
        let t = req.t
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        return Layout(req: req).page(title: t("controls.edit"), section: .controls, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.controls.path, t("controls.catalogue"))]),
            .el("h1", [:], [.txt(t("controls.edit") + " " + control.code)]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: SiteURL.controlEdit(.value(control.id!)).path, id: "control-form", cls: "card form", [
                Forms.input(.init(name: "titleVi", label: t("controls.titleVi"), value: input.titleVi, error: err("titleVi"), required: true, maxLength: 500)),
                Forms.input(.init(name: "titleEn", label: t("controls.titleEn"), value: input.titleEn, error: err("titleEn"), required: true, maxLength: 500)),
                Forms.textarea(name: "descriptionVi", label: t("controls.descriptionVi"), value: input.descriptionVi, error: err("descriptionVi")),
                Forms.textarea(name: "descriptionEn", label: t("controls.descriptionEn"), value: input.descriptionEn, error: err("descriptionEn")),
                Forms.textarea(name: "evidenceHintVi", label: t("controls.evidenceHintVi"), value: input.evidenceHintVi, error: err("evidenceHintVi"), rows: 2),
                Forms.textarea(name: "evidenceHintEn", label: t("controls.evidenceHintEn"), value: input.evidenceHintEn, error: err("evidenceHintEn"), rows: 2),
                Forms.select(name: "firstLevel", label: t("controls.firstLevel"), options: (1...5).map { (String($0), t("systems.levelN", String($0))) },
                             selected: input.firstLevel, error: err("firstLevel"), required: true),
                Forms.checkbox(name: "active", value: "true", label: t("controls.active"), checked: SystemInput.flag(input.active)),
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}

struct AuthoritiesView {
    let req: Request
    let rows: [LevelAuthority]
    let failed: (CatalogueController.AuthorityInput, [String: String])?

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let canEdit = Policy.can(req.subject!, .manageRuleTables)
        return Layout(req: req).page(title: t("authorities.title"), section: .controls, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("authorities.title"))]),
            .el("p", ["class": "muted"], [.txt(t("authorities.intro"))]),
            .el("table", ["class": "table", "id": "authorities"], [
                .el("thead", [:], [.el("tr", [:], [t("dossier.level"), t("authorities.opinion"), t("authorities.appraising"), t("authorities.approving"),
                                                   t("authorities.note")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                .el("tbody", [:], rows.map { r in
                    .el("tr", ["id": "authority-\(r.level)"], [
                        .el("td", [:], [.txt(t("systems.levelN", String(r.level)))]),
                        .el("td", [:], [.txt(r.opinion(lang) ?? "—")]),
                        .el("td", [:], [.txt(r.appraising(lang))]),
                        .el("td", [:], [.txt(r.approving(lang))]),
                        .el("td", ["class": "small"], [.txt(r.note ?? "")]),
                    ])
                }),
            ]),
            canEdit ? .group(rows.map { editForm($0) }) : .empty,
        ])
    }

    private func editForm(_ r: LevelAuthority) -> Body {
        let t = req.t
        let isFailed = failed.map { Int(Validators.trimmed($0.0.level)) == r.level } ?? false
        let input = isFailed ? failed!.0 : .init(level: String(r.level), appraisingBodyVi: r.appraisingBodyVi, appraisingBodyEn: r.appraisingBodyEn,
                                                 approvingBodyVi: r.approvingBodyVi, approvingBodyEn: r.approvingBodyEn,
                                                 opinionBodyVi: r.opinionBodyVi, opinionBodyEn: r.opinionBodyEn, note: r.note)
        let errors = isFailed ? failed!.1 : [:]
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        return .el("details", ["class": "card", "open": isFailed ? "" : nil], [
            .el("summary", [:], [.txt(t("authorities.editLevel", String(r.level)))]),
            Forms.post(req, action: SiteURL.authorities.path, id: "authority-form-\(r.level)", cls: "form", [
                .void("input", ["type": "hidden", "name": "level", "value": String(r.level)]),
                Forms.input(.init(name: "opinionBodyVi", label: t("authorities.opinion") + " (vi)", value: input.opinionBodyVi, error: err("opinionBodyVi"), maxLength: 300, id: "opinionBodyVi-\(r.level)")),
                Forms.input(.init(name: "opinionBodyEn", label: t("authorities.opinion") + " (en)", value: input.opinionBodyEn, error: err("opinionBodyEn"), maxLength: 300, id: "opinionBodyEn-\(r.level)")),
                Forms.input(.init(name: "appraisingBodyVi", label: t("authorities.appraising") + " (vi)", value: input.appraisingBodyVi, error: err("appraisingBodyVi"), required: true, maxLength: 300, id: "appraisingBodyVi-\(r.level)")),
                Forms.input(.init(name: "appraisingBodyEn", label: t("authorities.appraising") + " (en)", value: input.appraisingBodyEn, error: err("appraisingBodyEn"), required: true, maxLength: 300, id: "appraisingBodyEn-\(r.level)")),
                Forms.input(.init(name: "approvingBodyVi", label: t("authorities.approving") + " (vi)", value: input.approvingBodyVi, error: err("approvingBodyVi"), required: true, maxLength: 300, id: "approvingBodyVi-\(r.level)")),
                Forms.input(.init(name: "approvingBodyEn", label: t("authorities.approving") + " (en)", value: input.approvingBodyEn, error: err("approvingBodyEn"), required: true, maxLength: 300, id: "approvingBodyEn-\(r.level)")),
                Forms.textarea(name: "note", label: t("authorities.note"), value: input.note, error: err("note"), rows: 2, id: "note-\(r.level)"),
                Forms.submit(t("common.save"), id: "save-authority-\(r.level)"),
            ]),
        ])
    }
}
