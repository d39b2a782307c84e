import Foundation
import Domain
import Fluent
import Vapor

/// Sign-in with password, then (when enrolled) a TOTP or recovery code; sign-out; language switch.
enum SignInController {
    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    static func show(req: Request) async throws -> Page {
        if req.currentUser != nil { throw Abort.redirect(to: SiteURL.home.path) }
        return SignInView(req: req, email: nil, error: nil, next: safeNext(req.query[String.self, at: "next"])).render()
    }

    static func submit(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let email = Validators.trimmed(form.email).lowercased()
        let password = form.password ?? ""
        let next = safeNext(form.next)
        let outcome = try await SignInService.checkPassword(email: String(email.prefix(254)), password: password, req: req)
        switch outcome {
        case .throttled:
            return try await SignInView(req: req, email: email, error: req.t("signin.throttled"), next: next)
                .render(status: .tooManyRequests).encodeResponse(for: req)
        case .rejected:
            return try await SignInView(req: req, email: email, error: req.t("signin.failed"), next: next)
                .render(status: .unauthorized).encodeResponse(for: req)
        case .accepted(let user):
            let stage: UserSession.Stage = user.totpEnabled ? .awaitingSecondFactor : .signedIn
            let actor = AuditActor(userId: user.id, label: "\(user.name) <\(user.email)>", clientAddress: req.clientAddress)
            let token = try await req.write { db in
                if let old = req.userSession { try await old.delete(on: db) }
                let token = try await SessionManager.start(for: user, stage: stage, req: req, on: db)
                if stage == .signedIn {
                    user.lastSignInAt = Date()
                    try await user.save(on: db)
                    try await AuditLog.append(AuditEntry("auth.sign_in", recordType: "user", recordId: user.id?.uuidString,
                                                         agencyId: user.$agency.id), by: actor, on: db)
                }
                return token
            }
            let target = stage == .signedIn ? next : SiteURL.signInTwoFactor.path(query: ["next": next])
            let response = req.redirect(to: target)
            response.cookies[SessionManager.cookieName] = SessionManager.cookie(token, app: req.application)
            response.cookies[CSRF.preSessionCookie] = SessionManager.expiredCookie(app: req.application)
            return response
        }
    }

    static func showTwoFactor(req: Request) async throws -> Page {
        guard let session = req.userSession, session.stage == .awaitingSecondFactor else {
            throw Abort.redirect(to: SiteURL.signIn.path)
        }
        return TwoFactorChallengeView(req: req, error: nil, next: safeNext(req.query[String.self, at: "next"])).render()
    }

    static func submitTwoFactor(req: Request) async throws -> Response {
        struct Form: Content { var code: String?; var next: String? }
        guard let session = req.userSession, session.stage == .awaitingSecondFactor else {
            throw Abort.redirect(to: SiteURL.signIn.path)
        }
        let form = try req.content.decode(Form.self)
        let next = safeNext(form.next)
        let user = session.user
        switch try await SignInService.checkSecondFactor(user: user, code: form.code ?? "", req: req) {
        case .throttled:
            return try await TwoFactorChallengeView(req: req, error: req.t("signin.throttled"), next: next)
                .render(status: .tooManyRequests).encodeResponse(for: req)
        case .rejected:
            return try await TwoFactorChallengeView(req: req, error: req.t("twofactor.wrongCode"), next: next)
                .render(status: .unauthorized).encodeResponse(for: req)
        case .accepted(let user):
            let actor = AuditActor(userId: user.id, label: "\(user.name) <\(user.email)>", clientAddress: req.clientAddress)
            let token = try await req.write { db in
                try await session.delete(on: db)
                let token = try await SessionManager.start(for: user, stage: .signedIn, req: req, on: db)
                user.lastSignInAt = Date()
                try await user.save(on: db)
                try await AuditLog.append(AuditEntry("auth.sign_in", recordType: "user", recordId: user.id?.uuidString,
                                                     agencyId: user.$agency.id, details: ["secondFactor": "yes"]), by: actor, on: db)
                return token
            }
            let response = req.redirect(to: next)
            response.cookies[SessionManager.cookieName] = SessionManager.cookie(token, app: req.application)
            return response
        }
    }

    static func signOut(req: Request) async throws -> Response {
        if let session = req.userSession {
            let user = req.currentUser
            let actor = req.auditActor
            try await req.write { db in
                try await session.delete(on: db)
                if let user {
                    try await AuditLog.append(AuditEntry("auth.sign_out", recordType: "user", recordId: user.id?.uuidString,
                                                         agencyId: user.$agency.id), by: actor, on: db)
                }
            }
        }
        let response = req.redirect(to: SiteURL.signIn.path)
        response.cookies[SessionManager.cookieName] = SessionManager.expiredCookie(app: req.application)
        return response
    }

    /// Switches the interface language; remembered on the account when signed in.
    static func language(req: Request) async throws -> Response {
        struct Form: Content { var lang: String?; var next: String? }
        let form = try req.content.decode(Form.self)
        guard let lang = Lang(rawValue: form.lang ?? "") else { throw AppError.malformed("lang") }
        if let user = req.currentUser, user.locale != lang.rawValue {
            let actor = req.auditActor
            let before = user.locale
            try await req.write { db in
                user.locale = lang.rawValue
                try await user.save(on: db)
                try await AuditLog.append(AuditEntry("user.language", recordType: "user", recordId: user.id?.uuidString,
                                                     agencyId: user.$agency.id, before: ["locale": before],
                                                     after: ["locale": lang.rawValue]), by: actor, on: db)
            }
        }
        let response = req.redirect(to: safeNext(form.next))
        response.cookies[Lang.cookieName] = HTTPCookies.Value(string: lang.rawValue, maxAge: 365 * 86400, path: "/",
                                                              isSecure: req.application.config.usesHTTPS,
                                                              isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// Only local paths, never `//host` or a scheme: no open redirects.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), raw.count < 500,
              !raw.contains("\r"), !raw.contains("\n"),
              !raw.hasPrefix(SiteURL.signIn.path), !raw.hasPrefix(SiteURL.signOut.path) else { return SiteURL.home.path }
        return raw
    }
}
