import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// Administrator settings: which roles must use two-factor authentication.
enum SettingsController {
    static func show(req: Request) async throws -> Page {
        let required = try await TwoFactorRequirement.roles(on: req.db)
        let t = req.t
        return Layout(req: req).page(title: t("settings.title"), section: .settings, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("settings.title"))]),
            Forms.post(req, action: SiteURL.settings.path, id: "settings-form", cls: "card form", [
                .el("fieldset", [:], [
                    .el("legend", [:], [.txt(t("settings.requireTwoFactor"))]),
                    .el("p", ["class": "hint"], [.txt(t("settings.requireTwoFactorHint"))]),
                ] + Role.allCases.map { role in
                    Forms.checkbox(name: "roles[]", value: role.rawValue, label: t("role.\(role.rawValue)"), checked: required.contains(role))
                }),
                Forms.submit(t("common.save")),
            ]),
        ])
    }

    static func update(req: Request) async throws -> Response {
        struct Form: Content { var roles: [String]? }
        let raw = (try? req.content.decode(Form.self))?.roles ?? []
        var roles: [Role] = []
        for value in raw {
            guard let role = Role(rawValue: value) else { throw AppError.validation(FieldErrors(["roles": "validation.unknownValue"])) }
            roles.append(role)
        }
        let value = Set(roles).sorted().map(\.rawValue).joined(separator: ",")
        let before = try await TwoFactorRequirement.roles(on: req.db).sorted().map(\.rawValue).joined(separator: ",")
        let actor = req.auditActor
        try await req.write { db in
            let key = Setting.Key.requireTwoFactorRoles.rawValue
            if let setting = try await Setting.query(on: db).filter(\.$key == key).first() {
                setting.value = value
                try await setting.save(on: db)
            } else {
                try await Setting(key: .requireTwoFactorRoles, value: value).create(on: db)
            }
            try await AuditLog.append(AuditEntry("setting.update", recordType: "setting", recordId: key,
                                                 before: ["value": before], after: ["value": value]), by: actor, on: db)
        }
        TwoFactorRequirement.invalidate(req.application)
        return req.redirect(to: SiteURL.settings.path(query: ["done": "settingsSaved"]))
    }
}
