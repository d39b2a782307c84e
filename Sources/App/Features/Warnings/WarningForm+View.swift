import Foundation
import Domain
import Plot
import Vapor

/// New warning / edit warning. Affected products are rows (vendor, product, version range, CPE match criteria); three
/// empty rows are offered after the filled ones. Products of an NVD record that name a platform are shown, not edited.
struct WarningFormView {
    let req: Request
    let warning: AuthorityWarning?
    let input: WarningInput
    let errors: [String: String]
    /// Issuers already recorded, offered as suggestions.
    let issuers: [String]

    func render() -> Page {
        let t = req.t
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let title = warning == nil ? t("warnings.new") : t("warnings.edit")
        let action = warning.map { SiteURL.warnings(.edit(.value($0.id!))).path } ?? SiteURL.warnings(.new).path
        let stored = warning.map { WarningProducts.decode($0.products) } ?? []
        let fixedProducts = stored.contains(where: \.isPlatform)
        let rows = input.productRows.filter { !$0.isBlank }
        let productRows: [Body] = (rows + Array(repeating: WarningProductInput(), count: 3)).enumerated().map { i, row in
            .el("tr", [:], [
                .el("td", [:], [.void("input", ["type": "text", "name": "productVendor[]", "value": row.vendor ?? "", "maxlength": "500",
                                                "aria-label": t("warnings.vendor") + " \(i + 1)", "id": "product-vendor-\(i)"])]),
                .el("td", [:], [.void("input", ["type": "text", "name": "productName[]", "value": row.product ?? "", "maxlength": "500",
                                                "aria-label": t("warnings.product") + " \(i + 1)", "id": "product-name-\(i)"])]),
                .el("td", [:], [.void("input", ["type": "text", "name": "productVersions[]", "value": row.versions ?? "", "maxlength": "500",
                                                "placeholder": "< 2.4.58", "aria-label": t("warnings.versions") + " \(i + 1)", "id": "product-versions-\(i)"])]),
                .el("td", [:], [.void("input", ["type": "text", "name": "productCPE[]", "value": row.cpe ?? "", "maxlength": "500",
                                                "placeholder": "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*",
                                                "aria-label": t("warnings.cpe") + " \(i + 1)", "id": "product-cpe-\(i)"])]),
            ])
        }
        let products: Body = fixedProducts
            ? .el("fieldset", ["class": "field", "id": "products"], [
                .el("legend", [:], [.txt(t("warnings.products"))]),
                .el("p", ["class": "hint"], [.txt(t("warnings.productsFromNVD"))]),
                .el("ul", ["class": "plain"], stored.map { p in
                    .el("li", [:], [.el("code", [:], [.txt(p.cpe ?? "\(p.vendor ?? "") \(p.product ?? "")")]),
                                    .txt(" " + (p.versions ?? t("warnings.allVersions")) + (p.isPlatform ? " (" + t("warnings.platform") + ")" : ""))])
                }),
            ])
            : .el("fieldset", ["class": errors["products"] == nil ? "field" : "field invalid", "id": "products"], [
                .el("legend", [:], [.txt(t("warnings.products"))]),
                .el("p", ["class": "hint"], [.txt(t("warnings.productsHint"))]),
                .el("div", ["class": "table-wrap"], [.el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("warnings.vendor"), t("warnings.product"), t("warnings.versions"), t("warnings.cpe")]
                        .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], productRows),
                ])]),
                err("products").map { .el("p", ["class": "error", "id": "products-error"], [.txt($0)]) } ?? .empty,
            ])
        return Layout(req: req).page(title: title, section: .warnings, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.warnings(.index).path, t("warnings.title"))]),
            .el("h1", [:], [.txt(title)]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "warning-form", cls: "form", [
                // Only when editing: an empty "version=" does not decode as Int? (400 malformed).
                input.version.map { .void("input", ["type": "hidden", "name": "version", "value": String($0)]) } ?? .empty,
                .el("div", ["class": errors["issuer"] == nil ? "field" : "field invalid"], [
                    .el("label", ["for": "issuer"], [.txt(t("warnings.issuer")), .el("span", ["class": "req", "aria-hidden": "true"], [.txt(" *")])]),
                    .void("input", ["type": "text", "id": "issuer", "name": "issuer", "value": input.issuer ?? "", "required": "", "maxlength": "500",
                                    "list": "issuers", "aria-invalid": errors["issuer"] == nil ? nil : "true",
                                    "aria-describedby": errors["issuer"] == nil ? "issuer-hint" : "issuer-error issuer-hint"]),
                    .el("datalist", ["id": "issuers"], issuers.map { .el("option", ["value": $0]) }),
                    .el("p", ["class": "hint", "id": "issuer-hint"], [.txt(t("warnings.issuerHint"))]),
                    err("issuer").map { .el("p", ["class": "error", "id": "issuer-error"], [.txt($0)]) } ?? .empty,
                ]),
                Forms.input(.init(name: "number", label: t("warnings.number"), value: input.number, error: err("number"), maxLength: 100,
                                  placeholder: "123/CATTT-NCSC")),
                Forms.input(.init(name: "issuedOn", label: t("warnings.issuedOn"), value: input.issuedOn, error: err("issuedOn"), type: "date", required: true)),
                Forms.input(.init(name: "title", label: t("warnings.warningTitle"), value: input.title, error: err("title"), required: true, maxLength: 500)),
                Forms.textarea(name: "description", label: t("warnings.description"), value: input.description, error: err("description"), rows: 4,
                               maxLength: 20_000),
                Forms.textarea(name: "cves", label: t("warnings.cves"), value: input.cves, error: err("cves"), hint: t("warnings.cvesHint"), rows: 2),
                Forms.select(name: "severity", label: t("warnings.severity"),
                             options: FindingSeverity.allCases.sorted(by: >).map { ($0.rawValue, t("warningSeverity.\($0.rawValue)")) },
                             selected: input.severity, error: err("severity"), includeBlank: "—"),
                Forms.input(.init(name: "cvssScore", label: t("warnings.cvssScore"), value: input.cvssScore, error: err("cvssScore"), maxLength: 4,
                                  placeholder: "9.8")),
                products,
                Forms.textarea(name: "requiredAction", label: t("warnings.requiredAction"), value: input.requiredAction, error: err("requiredAction"),
                               rows: 3, maxLength: 8000),
                Forms.input(.init(name: "deadline", label: t("warnings.deadline"), value: input.deadline, error: err("deadline"), type: "date",
                                  hint: t("warnings.deadlineHint"))),
                Forms.textarea(name: "references", label: t("warnings.references"), value: input.references, error: err("references"),
                               hint: t("warnings.referencesHint"), rows: 3),
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}
