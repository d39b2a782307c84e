import Foundation
import Domain
import Fluent
import Formats
import Plot
import Vapor

/// The signed-in user's own account: overview, password, two-factor, API tokens.
enum AccountController {
    static func show(req: Request) async throws -> Page {
        let user = try req.requireUser()
        let t = req.t
        let rows: [(String, String)] = [
            (t("field.name"), user.name), (t("field.email"), user.email), (t("field.role"), t("role.\(user.role.rawValue)")),
            (t("field.agency"), UserAgencyName.of(req) ?? "—"),
            (t("account.language"), user.locale == "en" ? "English" : "Tiếng Việt"),
            (t("account.twoFactor"), user.totpEnabled ? t("account.twoFactorOn") : t("account.twoFactorOff")),
        ]
        return Layout(req: req).page(title: t("account.title"), section: .account, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("account.title"))]),
            .el("dl", ["class": "card details"], rows.flatMap { [.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [.txt($0.1)])] }),
            .el("div", ["class": "buttons"], [
                .link(SiteURL.accountPassword.path, t("account.changePassword"), id: "change-password", cls: "button"),
                .link(SiteURL.accountTwoFactor.path, t("account.twoFactor"), id: "two-factor", cls: "button"),
                .link(SiteURL.tokens.path, t("tokens.title"), id: "api-tokens", cls: "button"),
            ]),
        ])
    }

    // MARK: Password

    static func passwordForm(req: Request) async throws -> Page {
        PasswordView(req: req, errors: [:]).render()
    }

    static func changePassword(req: Request) async throws -> Response {
        struct Form: Content { var current: String?; var new: String?; var confirm: String? }
        let user = try req.requireUser()
        let form = try req.content.decode(Form.self)
        var errors: [String: String] = [:]
        var status: HTTPResponseStatus = .unprocessableEntity
        let new = form.new ?? ""
        switch try await SignInService.reauthenticate(user, password: form.current ?? "", req: req) {
        case .accepted: break
        case .rejected: errors["current"] = "password.wrongCurrent"
        case .throttled:
            errors["current"] = "signin.throttled"
            status = .tooManyRequests
        }
        if let problem = PasswordPolicy.shipped.problem(with: new, email: user.email, name: user.name) {
            errors["new"] = problem.rawValue
        } else if new != form.confirm {
            errors["confirm"] = "password.mismatch"
        } else if try await Passwords.verify(new, against: user.passwordHash, app: req.application) {
            errors["new"] = "password.sameAsOld"
        }
        guard errors.isEmpty else {
            return try await PasswordView(req: req, errors: errors).render(status: status).encodeResponse(for: req)
        }
        let hash = try await Passwords.hash(new, app: req.application)
        let actor = req.auditActor
        let userId = try user.requireID()
        let token = try await req.write { db in
            user.passwordHash = hash
            user.mustChangePassword = false
            try await user.save(on: db)
            // Every other session ends; this one is replaced by a fresh one.
            try await SessionManager.endAll(for: userId, on: db)
            let token = try await SessionManager.start(for: user, stage: .signedIn, req: req, on: db)
            try await AuditLog.append(AuditEntry("user.password_change", recordType: "user", recordId: userId.uuidString,
                                                 agencyId: user.$agency.id), by: actor, on: db)
            return token
        }
        let response = req.redirect(to: SiteURL.account.path(query: ["done": "passwordChanged"]))
        response.cookies[SessionManager.cookieName] = SessionManager.cookie(token, app: req.application)
        return response
    }

    // MARK: Two-factor

    /// Shows the status, or starts enrolment with a fresh secret and its QR code.
    static func twoFactor(req: Request) async throws -> Page {
        let user = try req.requireUser()
        if user.totpEnabled {
            return TwoFactorView(req: req, mode: .enabled, error: nil).render()
        }
        // Reuse a pending secret, so reloading the page does not invalidate a QR code already scanned.
        if let sealed = user.totpSecretSealed, let pending = try? SecretBox.open(sealed, appKey: req.application.secretKey) {
            return TwoFactorView(req: req, mode: .enrol(secret: pending), error: nil).render()
        }
        let secret = TOTP.generateSecret()
        let sealed = try SecretBox.seal(secret, appKey: req.application.secretKey)
        try await req.write { db in
            user.totpSecretSealed = sealed
            try await user.save(on: db)
        }
        return TwoFactorView(req: req, mode: .enrol(secret: secret), error: nil).render()
    }

    static func enableTwoFactor(req: Request) async throws -> Response {
        struct Form: Content { var code: String? }
        let user = try req.requireUser()
        guard !user.totpEnabled else { return req.redirect(to: SiteURL.accountTwoFactor.path) }
        guard let sealed = user.totpSecretSealed, let secret = try? SecretBox.open(sealed, appKey: req.application.secretKey) else {
            return req.redirect(to: SiteURL.accountTwoFactor.path)
        }
        let code = try req.content.decode(Form.self).code ?? ""
        guard let counter = TOTP(secret: secret).matchingCounter(for: code, at: Date()) else {
            return try await TwoFactorView(req: req, mode: .enrol(secret: secret), error: req.t("twofactor.wrongCode"))
                .render(status: .unprocessableEntity).encodeResponse(for: req)
        }
        let codes = RecoveryCodes.generate()
        let userId = try user.requireID()
        let actor = req.auditActor
        try await req.write { db in
            user.totpEnabled = true
            user.totpLastCounter = Int64(counter)
            try await user.save(on: db)
            try await RecoveryCode.query(on: db).filter(\.$user.$id == userId).delete()
            for code in codes { try await RecoveryCode(userId: userId, codeHash: Secrets.sha256Hex(code)).create(on: db) }
            try await AuditLog.append(AuditEntry("user.two_factor_enable", recordType: "user", recordId: userId.uuidString,
                                                 agencyId: user.$agency.id), by: actor, on: db)
        }
        return try await TwoFactorView(req: req, mode: .recoveryCodes(codes), error: nil).render().encodeResponse(for: req)
    }

    /// Needs the password; refused when the user's role requires two-factor.
    static func disableTwoFactor(req: Request) async throws -> Response {
        struct Form: Content { var password: String? }
        let user = try req.requireUser()
        if try await TwoFactorRequirement.roles(on: req.db).contains(user.role) {
            throw AppError.conflict("two_factor_required_for_role", messageKey: "twofactor.requiredForRole")
        }
        let password = try req.content.decode(Form.self).password ?? ""
        switch try await SignInService.reauthenticate(user, password: password, req: req) {
        case .accepted: break
        case .rejected:
            return try await TwoFactorView(req: req, mode: .enabled, error: req.t("password.wrongCurrent"))
                .render(status: .unprocessableEntity).encodeResponse(for: req)
        case .throttled:
            return try await TwoFactorView(req: req, mode: .enabled, error: req.t("signin.throttled"))
                .render(status: .tooManyRequests).encodeResponse(for: req)
        }
        let userId = try user.requireID()
        let actor = req.auditActor
        try await req.write { db in
            user.totpEnabled = false
            user.totpSecretSealed = nil
            user.totpLastCounter = nil
            try await user.save(on: db)
            try await RecoveryCode.query(on: db).filter(\.$user.$id == userId).delete()
            try await AuditLog.append(AuditEntry("user.two_factor_disable", recordType: "user", recordId: userId.uuidString,
                                                 agencyId: user.$agency.id), by: actor, on: db)
        }
        return req.redirect(to: SiteURL.account.path(query: ["done": "twoFactorDisabled"]))
    }

    // MARK: Tokens

    static func tokens(req: Request) async throws -> Page {
        try await TokensView(req: req, tokens: try await ownTokens(req), created: nil, errors: [:]).render()
    }

    static func createToken(req: Request) async throws -> Response {
        let input = try req.content.decode(TokenService.Input.self)
        do {
            let (_, secret) = try await TokenService.create(for: try req.requireUser(), input: input, actor: req.auditActor, app: req.application)
            return try await TokensView(req: req, tokens: try await ownTokens(req), created: secret, errors: [:]).render().encodeResponse(for: req)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await TokensView(req: req, tokens: try await ownTokens(req), created: nil, errors: error.fields)
                .render(status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func revokeToken(req: Request) async throws -> Response {
        try await TokenService.revoke(try await TokenService.findOwn(req), req: req)
        return req.redirect(to: SiteURL.tokens.path(query: ["done": "tokenRevoked"]))
    }

    private static func ownTokens(_ req: Request) async throws -> [APIToken] {
        let subject = try req.requireSubject()
        return try await APIToken.query(on: req.db).filter(\.$user.$id == subject.userId).sort(\.$createdAt, .descending).all()
    }
}
