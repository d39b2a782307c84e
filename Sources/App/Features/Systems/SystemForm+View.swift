import Foundation
import Domain
import Plot
import Vapor

/// Create/edit form for a system's registry data.
struct SystemFormView {
    let req: Request
    let system: InformationSystem?
    let input: SystemInput
    let errors: [String: String]
    let agencies: [(id: UUID, name: String, depth: Int)]

    func render() -> Page {
        let t = req.t
        let title = system == nil ? t("systems.new") : t("systems.edit")
        let action = system?.id.map { SiteURL.systemEdit(.value($0)).path } ?? SiteURL.systemNew.path
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ prefix: String) -> [(value: String, label: String)] where E.RawValue == String {
            E.allCases.map { ($0.rawValue, t("\(prefix).\($0.rawValue)")) }
        }
        let fields: [Body] = [
            input.revision.map { .void("input", ["type": "hidden", "name": "revision", "value": $0]) } ?? .empty,
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("systems.section.identify"))]),
                Forms.select(name: "agencyId", label: t("systems.agency"),
                             options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: input.agencyId?.lowercased(), error: err("agencyId"), required: true, includeBlank: t("common.choose")),
                Forms.input(.init(name: "code", label: t("field.code"), value: input.code, error: err("code"), required: true,
                                  hint: t("systems.codeHint"), maxLength: 32)),
                Forms.input(.init(name: "name", label: t("systems.name"), value: input.name, error: err("name"), required: true, maxLength: 300)),
                Forms.input(.init(name: "ownerName", label: t("systems.ownerName"), value: input.ownerName, error: err("ownerName"), required: true,
                                  hint: t("systems.ownerHint"), maxLength: 300)),
                Forms.input(.init(name: "operatorName", label: t("systems.operatorName"), value: input.operatorName, error: err("operatorName"),
                                  required: true, maxLength: 300)),
                Forms.textarea(name: "purpose", label: t("systems.purpose"), value: input.purpose, error: err("purpose"), maxLength: 4000),
            ]),
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("systems.section.information"))]),
            ] + SystemFieldGroups.information(input, err: err, t: t)),
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("systems.section.classify"))]),
            ] + SystemFieldGroups.classification(input, err: err, t: t, functionTypeBlank: true)),
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("systems.section.operation"))]),
                Forms.select(name: "lifecycle", label: t("systems.lifecycle"), options: choice(LifecycleStatus.self, "lifecycle"),
                             selected: input.lifecycle, error: err("lifecycle"), required: true, includeBlank: t("common.choose")),
                Forms.input(.init(name: "goLiveDate", label: t("systems.goLiveDate"), value: input.goLiveDate, error: err("goLiveDate"), type: "date",
                                  hint: t("systems.goLiveHint"))),
                Forms.select(name: "hosting", label: t("systems.hosting"), options: choice(HostingKind.self, "hosting"),
                             selected: input.hosting, error: err("hosting"), required: true, includeBlank: t("common.choose")),
                Forms.input(.init(name: "hostingProvider", label: t("systems.hostingProvider"), value: input.hostingProvider,
                                  error: err("hostingProvider"), hint: t("systems.hostingProviderHint"), maxLength: 200)),
            ]),
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("systems.section.network"))]),
                Forms.textarea(name: "networkAddresses", label: t("systems.networkAddresses"), value: input.networkAddresses,
                               error: err("networkAddresses"), hint: t("systems.networkAddressesHint"), rows: 3),
                Forms.textarea(name: "domains", label: t("systems.domains"), value: input.domains, error: err("domains"),
                               hint: t("systems.onePerLine"), rows: 2),
                Forms.textarea(name: "urls", label: t("systems.urls"), value: input.urls, error: err("urls"), hint: t("systems.onePerLine"), rows: 2),
            ]),
            .el("fieldset", [:], [
                .el("legend", [:], [.txt(t("systems.section.contact"))]),
                Forms.input(.init(name: "contactName", label: t("systems.contactName"), value: input.contactName, error: err("contactName"), maxLength: 200)),
                Forms.input(.init(name: "contactPhone", label: t("field.contactPhone"), value: input.contactPhone, error: err("contactPhone"), type: "tel", maxLength: 32)),
                Forms.input(.init(name: "contactEmail", label: t("field.contactEmail"), value: input.contactEmail, error: err("contactEmail"), type: "email", maxLength: 254)),
            ]),
            Forms.submit(t("common.save")),
        ]
        return Layout(req: req).page(title: title, section: .systems, content: [
            .el("h1", [:], [.txt(title)]),
            system.map { _ in .el("p", ["class": "muted"], [.txt(t("systems.editNote"))]) } ?? .empty,
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "system-form", cls: "card form", fields),
        ])
    }
}

/// Edit form for one component.
struct ComponentFormView {
    let req: Request
    let system: InformationSystem
    let component: SystemComponent
    let input: ComponentInput
    let errors: [String: String]

    func render() -> Page {
        let t = req.t
        let sid = system.id!
        return Layout(req: req).page(title: t("components.edit"), section: .systems, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.system(.value(sid)).path, system.name)]),
            .el("h1", [:], [.txt(t("components.edit"))]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: SiteURL.systemComponentEdit(.value(sid), .value(component.id!)).path, id: "component-form", cls: "card form",
                       ComponentFields.fields(input: input, errors: errors, t: t) + [Forms.submit(t("common.save"))]),
        ])
    }
}

enum ComponentFields {
    static func fields(input: ComponentInput, errors: [String: String], t: Localizer) -> [Body] {
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        return [
            Forms.input(.init(name: "name", label: t("components.name"), value: input.name, error: err("name"), required: true, maxLength: 200)),
            Forms.input(.init(name: "vendor", label: t("components.vendor"), value: input.vendor, error: err("vendor"), maxLength: 200)),
            Forms.input(.init(name: "product", label: t("components.product"), value: input.product, error: err("product"), maxLength: 200)),
            Forms.input(.init(name: "version", label: t("components.version"), value: input.version, error: err("version"), maxLength: 100)),
            Forms.input(.init(name: "cpe", label: t("components.cpe"), value: input.cpe, error: err("cpe"), hint: t("components.cpeHint"),
                              maxLength: 500, placeholder: "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*")),
            Forms.select(name: "level", label: t("components.level"), options: (1...5).map { (String($0), t("systems.levelN", String($0))) },
                         selected: input.level, error: err("level"), includeBlank: t("components.noLevel")),
        ]
    }
}
