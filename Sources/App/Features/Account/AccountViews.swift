import Foundation
import Domain
import Formats
import Plot
import Vapor

struct PasswordView {
    let req: Request
    let errors: [String: String]

    func render(status: HTTPResponseStatus = .ok) -> Page {
        let t = req.t
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let forced = req.currentUser?.mustChangePassword == true
        var page = Layout(req: req).page(title: t("account.changePassword"), section: .account, content: [
            .el("h1", [:], [.txt(t("account.changePassword"))]),
            forced ? .el("div", ["class": "flash info", "role": "status", "id": "must-change"], [.txt(t("account.mustChange"))]) : .empty,
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: SiteURL.accountPassword.path, id: "password-form", cls: "card form", [
                Forms.input(.init(name: "current", label: t("account.currentPassword"), error: err("current"), type: "password",
                                  required: true, autocomplete: "current-password", maxLength: 128)),
                Forms.input(.init(name: "new", label: t("account.newPassword"), error: err("new"), type: "password", required: true,
                                  autocomplete: "new-password", hint: t("password.rules"), maxLength: 128)),
                Forms.input(.init(name: "confirm", label: t("account.confirmPassword"), error: err("confirm"), type: "password",
                                  required: true, autocomplete: "new-password", maxLength: 128)),
                Forms.submit(t("account.changePassword")),
            ]),
        ])
        page.status = status
        return page
    }
}

struct TwoFactorView {
    enum Mode {
        case enabled
        case enrol(secret: [UInt8])
        case recoveryCodes([String])
    }

    let req: Request
    let mode: Mode
    let error: String?

    func render(status: HTTPResponseStatus = .ok) -> Page {
        let t = req.t
        let user = req.currentUser!
        var content: [Body] = [.el("h1", [:], [.txt(t("account.twoFactor"))])]
        if let error { content.append(.el("div", ["class": "flash error", "role": "alert"], [.txt(error)])) }
        switch mode {
        case .enabled:
            content += [
                .el("p", ["id": "two-factor-status"], [.txt(t("account.twoFactorOn"))]),
                Forms.post(req, action: SiteURL.accountTwoFactorDisable.path, cls: "card form", [
                    .el("p", [:], [.txt(t("twofactor.disableIntro"))]),
                    Forms.input(.init(name: "password", label: t("field.password"), type: "password", required: true,
                                      autocomplete: "current-password", maxLength: 128)),
                    Forms.submit(t("twofactor.disable"), id: "disable-two-factor"),
                ]),
            ]
        case .enrol(let secret):
            let totp = TOTP(secret: secret)
            let uri = totp.provisioningURI(issuer: "UngCuu", account: user.email)
            let qr = (try? QRCode(text: uri, errorCorrection: .medium))?.svg(moduleSize: 4, quietZone: 4, title: t("twofactor.qrTitle")) ?? ""
            content += [
                .el("p", [:], [.txt(t("twofactor.enrolIntro"))]),
                .el("div", ["class": "qr", "id": "totp-qr"], [.raw(qr)]),
                .el("p", [:], [.txt(t("twofactor.manualKey")), .txt(" "),
                               .el("code", ["class": "secret", "id": "totp-secret"], [.txt(Base32.encode(secret))])]),
                Forms.post(req, action: SiteURL.accountTwoFactorEnable.path, cls: "card form", [
                    Forms.input(.init(name: "code", label: t("twofactor.code"), required: true, autocomplete: "one-time-code",
                                      hint: t("twofactor.codeHint"), maxLength: 10)),
                    Forms.submit(t("twofactor.enable"), id: "enable-two-factor"),
                ]),
            ]
        case .recoveryCodes(let codes):
            content += [
                .el("div", ["class": "flash success", "role": "status"], [.txt(t("flash.twoFactorEnabled"))]),
                .el("p", [:], [.txt(t("twofactor.recoveryIntro"))]),
                .el("ul", ["class": "codes", "id": "recovery-codes"], codes.map { .el("li", [:], [.el("code", [:], [.txt($0)])]) }),
                .link(SiteURL.account.path, t("common.continue"), cls: "button primary"),
            ]
        }
        var page = Layout(req: req).page(title: t("account.twoFactor"), section: .account, content: content)
        page.status = status
        return page
    }
}

struct TokensView {
    let req: Request
    let tokens: [APIToken]
    let created: String?
    let errors: [String: String]

    func render(status: HTTPResponseStatus = .ok) -> Page {
        let t = req.t
        let now = Date()
        let rows: [[Body]] = tokens.map { token in
            [
                .txt(token.name),
                .el("code", [:], [.txt(token.hint + "…")]),
                .txt(DisplayTime.dateTime(token.createdAt)),
                .txt(token.expiresAt.map(DisplayTime.date) ?? "—"),
                .txt(token.lastUsedAt.map(DisplayTime.dateTime) ?? t("tokens.neverUsed")),
                token.isActive(at: now)
                    ? Forms.postButton(req, action: SiteURL.tokenRevoke(.value(token.id!)).path, label: t("tokens.revoke"), cls: "danger",
                                       confirm: t("tokens.confirmRevoke"))
                    : .txt(token.revokedAt != nil ? t("tokens.revoked") : t("tokens.expired")),
            ]
        }
        let list = ListQuery(req: req, filterKeys: [], sortKeys: [], defaultPer: 200)
        var page = Layout(req: req).page(title: t("tokens.title"), section: .account, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("tokens.title"))]),
            .el("p", ["class": "muted"], [.txt(t("tokens.intro"))]),
            created.map { secret in
                .el("div", ["class": "flash success", "role": "status"], [
                    .el("p", [:], [.txt(t("tokens.createdOnce"))]),
                    .el("code", ["class": "secret", "id": "new-token"], [.txt(secret)]),
                    .el("button", ["type": "button", "data-copy": "new-token"], [.txt(t("common.copy"))]),
                ])
            } ?? .empty,
            Forms.post(req, action: SiteURL.tokens.path, id: "token-form", cls: "card form", [
                Forms.input(.init(name: "name", label: t("tokens.name"), error: errors["name"].map { t($0) }, required: true, maxLength: 100)),
                Forms.input(.init(name: "days", label: t("tokens.days"), value: "90", error: errors["days"].map { t($0) }, type: "number",
                                  required: true, hint: t("tokens.daysHint"))),
                Forms.submit(t("tokens.create"), id: "create-token"),
            ]),
            Tables.table(id: "tokens-table", base: .tokens, query: list, columns: [
                .init(label: t("tokens.name")), .init(label: t("tokens.hint")), .init(label: t("tokens.createdAt")),
                .init(label: t("tokens.expiresAt")), .init(label: t("tokens.lastUsed")), .init(label: ""),
            ], rows: rows, empty: t("tokens.empty")),
        ])
        page.status = status
        return page
    }
}
