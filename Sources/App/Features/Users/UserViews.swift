import Foundation
import Domain
import Plot
import Vapor

struct UserShowView {
    let req: Request
    let user: User
    let agency: Agency?

    func render() -> Page {
        let t = req.t
        let subject = req.subject!
        let id = user.id!
        let rows: [(String, Body)] = [
            (t("field.email"), .txt(user.email)),
            (t("field.phone"), .txt(user.phone ?? "—")),
            (t("field.role"), .txt(t("role.\(user.role.rawValue)"))),
            (t("field.agency"), agency.map { .link(SiteURL.agency(.value($0.id!)).path, $0.name) } ?? .txt("—")),
            (t("field.status"), .txt(t("userStatus.\(user.status.rawValue)"))),
            (t("account.twoFactor"), .txt(user.totpEnabled ? t("account.twoFactorOn") : t("account.twoFactorOff"))),
            (t("users.lastSignIn"), .txt(user.lastSignInAt.map(DisplayTime.dateTime) ?? "—")),
        ]
        var actions: [Body] = []
        if Policy.can(subject, .manageUsers) {
            actions.append(.link(SiteURL.userEdit(.value(id)).path, t("common.edit"), id: "edit-user", cls: "button"))
            actions.append(Forms.postButton(req, action: SiteURL.userResetPassword(.value(id)).path, label: t("users.resetPassword"),
                                            id: "reset-password", confirm: t("users.confirmReset")))
            if id != subject.userId {
                let next: User.Status = user.status == .active ? .locked : .active
                actions.append(Forms.post(req, action: SiteURL.userStatus(.value(id)).path, cls: "inline", [
                    .void("input", ["type": "hidden", "name": "status", "value": next.rawValue]),
                    .el("button", ["type": "submit", "id": "toggle-status", "class": next == .locked ? "danger" : ""],
                        [.txt(next == .locked ? t("users.lock") : t("users.unlock"))]),
                ]))
            }
        }
        return Layout(req: req).page(title: user.name, section: .users, flash: FlashMessage.from(req), content: [
            .el("div", ["class": "page-head"], [.el("h1", [:], [.txt(user.name)]), .el("div", ["class": "buttons"], actions)]),
            .el("dl", ["class": "card details"], rows.flatMap { label, value in [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }),
        ])
    }
}

struct UserFormView {
    let req: Request
    let user: User?
    let input: UserInput
    let errors: [String: String]
    let agencies: [(id: UUID, name: String, depth: Int)]

    func render() -> Page {
        let t = req.t
        let title = user == nil ? t("users.new") : t("users.edit")
        let action = user?.id.map { SiteURL.userEdit(.value($0)).path } ?? SiteURL.userNew.path
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        return Layout(req: req).page(title: title, section: .users, content: [
            .el("h1", [:], [.txt(title)]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "user-form", cls: "card form", [
                Forms.input(.init(name: "name", label: t("field.name"), value: input.name, error: err("name"), required: true, maxLength: 200)),
                Forms.input(.init(name: "email", label: t("field.email"), value: input.email, error: err("email"), type: "email", required: true, maxLength: 254)),
                Forms.input(.init(name: "phone", label: t("field.phone"), value: input.phone, error: err("phone"), type: "tel", maxLength: 32)),
                Forms.select(name: "role", label: t("field.role"), options: Role.allCases.map { ($0.rawValue, t("role.\($0.rawValue)")) },
                             selected: input.role, error: err("role"), required: true),
                Forms.select(name: "agencyId", label: t("field.agency"),
                             options: agencies.map { ($0.id.uuidString.lowercased(), String(repeating: "— ", count: $0.depth) + $0.name) },
                             selected: input.agencyId?.lowercased(), error: err("agencyId"), includeBlank: t("users.noAgency")),
                user == nil ? .el("p", ["class": "hint"], [.txt(t("users.temporaryPasswordHint"))]) : .empty,
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}

/// Shown once after creating a user or resetting a password.
struct TemporaryPasswordView {
    let req: Request
    let user: User
    let password: String
    let created: Bool

    func render() -> Page {
        let t = req.t
        return Layout(req: req).page(title: t("users.temporaryPassword"), section: .users, content: [
            .el("h1", [:], [.txt(created ? t("flash.userCreated") : t("users.passwordWasReset"))]),
            .el("div", ["class": "card"], [
                .el("p", [:], [.txt(t("users.temporaryPasswordFor", user.name, user.email))]),
                .el("p", [:], [.el("code", ["class": "secret", "id": "temporary-password"], [.txt(password)])]),
                .el("p", ["class": "muted"], [.txt(t("users.temporaryPasswordOnce"))]),
                .link(SiteURL.user(.value(user.id!)).path, t("common.continue"), cls: "button primary"),
            ]),
        ])
    }
}
