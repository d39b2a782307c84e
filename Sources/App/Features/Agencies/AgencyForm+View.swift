import Foundation
import Domain
import Plot
import Vapor

/// The create/edit form. Officers editing their own agency see only the contact fields.
struct AgencyFormView {
    let req: Request
    let agency: Agency?
    let input: AgencyInput
    let errors: [String: String]
    let parents: [(id: UUID, name: String, depth: Int)]
    let contactOnly: Bool

    func render() -> Page {
        let t = req.t
        let title = agency == nil ? t("agencies.new") : t("agencies.edit")
        let action = agency?.id.map { SiteURL.agencyEdit(.value($0)).path } ?? SiteURL.agencyNew.path
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        var fields: [Body] = []
        if !contactOnly {
            fields += [
                Forms.input(.init(name: "code", label: t("field.code"), value: input.code, error: err("code"), required: true,
                                  hint: t("agencies.codeHint"), maxLength: 32)),
                Forms.input(.init(name: "name", label: t("field.name"), value: input.name, error: err("name"), required: true, maxLength: 200)),
                Forms.select(name: "kind", label: t("field.kind"),
                             options: AgencyKind.allCases.map { ($0.rawValue, t("agencyKind.\($0.rawValue)")) },
                             selected: input.kind, error: err("kind"), required: true, includeBlank: t("common.choose")),
                Forms.select(name: "parentId", label: t("field.parent"),
                             options: parents.filter { $0.id != agency?.id }.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: input.parentId?.lowercased(), error: err("parentId"), includeBlank: t("agencies.noParent")),
            ]
        }
        fields += [
            Forms.input(.init(name: "address", label: t("field.address"), value: input.address, error: err("address"), maxLength: 300)),
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("agencies.contactPoint"))]),
                Forms.input(.init(name: "contactPhone", label: t("field.contactPhone"), value: input.contactPhone, error: err("contactPhone"),
                                  type: "tel", hint: t("agencies.phoneHint"), maxLength: 32)),
                Forms.input(.init(name: "contactEmail", label: t("field.contactEmail"), value: input.contactEmail, error: err("contactEmail"),
                                  type: "email", maxLength: 254)),
            ]),
            Forms.submit(t("common.save")),
        ]
        return Layout(req: req).page(title: title, section: .agencies, content: [
            .el("h1", [:], [.txt(title)]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "agency-form", cls: "card form", fields),
        ])
    }
}
