import Domain
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite struct SignInTests {
    /// GETs the sign-in page and returns the pre-session cookie and the CSRF token from the form.
    static func signInForm(_ app: Application) async throws -> (cookie: String, csrf: String) {
        var result = ("", "")
        try await app.testing().test(.GET, "/signin") { res in
            result.0 = res.headers.setCookie?[CSRF.preSessionCookie]?.string ?? ""
            let html = res.body.string
            let marker = "name=\"_csrf\" value=\""
            let start = html.range(of: marker)!.upperBound
            result.1 = String(html[start...].prefix(while: { $0 != "\"" }))
        }
        return result
    }

    static func post(_ app: Application, email: String, password: String, form: (cookie: String, csrf: String)? = nil) async throws -> TestingHTTPResponse {
        let resolved: (cookie: String, csrf: String)
        if let form { resolved = form } else { resolved = try await signInForm(app) }
        let form = resolved
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: (CSRF.preSessionCookie, .init(string: form.cookie)))
        var response: TestingHTTPResponse?
        try await app.testing().test(.POST, "/signin", headers: headers, beforeRequest: { req in
            try req.content.encode(["email": email, "password": password, "_csrf": form.csrf], as: .urlEncodedForm)
        }) { response = $0 }
        return response!
    }

    @Test func signingInSetsAStrictSessionCookieAndAuditsIt() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .coordinator)
            let res = try await Self.post(app, email: user.email, password: Make.password)
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/")
            let setCookie = res.headers[.setCookie].first { $0.hasPrefix(SessionManager.cookieName + "=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(!setCookie.contains("Secure"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in").count() == 1)
        }
    }

    @Test func unknownAccountsAndWrongPasswordsGetTheSameAnswer() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .responder)
            let wrong = try await Self.post(app, email: user.email, password: "not-the-password-at-all")
            let unknown = try await Self.post(app, email: "nobody@test.vn", password: "not-the-password-at-all")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            let message = { (html: String) in html.range(of: "id=\"signin-error\">").map { String(html[$0.upperBound...].prefix(60)) } }
            #expect(message(wrong.body.string) != nil)
            #expect(message(wrong.body.string) == message(unknown.body.string))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in_failed").count() == 2)
        }
    }

    @Test func anAccountIsLockedForAWhileAfterRepeatedFailures() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .leader)
            for _ in 0..<5 { _ = try await Self.post(app, email: user.email, password: "wrong-password-123") }
            let res = try await Self.post(app, email: user.email, password: Make.password)
            #expect(res.status == .tooManyRequests)
        }
    }

    @Test func aFormWithoutTheCSRFTokenIsRefused() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .leader)
            let form = try await Self.signInForm(app)
            let res = try await Self.post(app, email: user.email, password: Make.password, form: (form.cookie, "forged"))
            #expect(res.status == .forbidden)
        }
    }

    @Test func aUserWhosePasswordWasResetMustChangeItFirst() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .responder, mustChangePassword: true)
            let (cookie, _) = try await Make.session(app, for: user)
            try await app.testing().test(.GET, "/agencies", headers: cookie) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/account/password")
            }
        }
    }

    @Test func changingThePasswordRefusesCommonPasswordsAndEndsOtherSessions() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .responder)
            let (other, _) = try await Make.session(app, for: user)
            let (cookie, csrf) = try await Make.session(app, for: user)
            try await app.testing().test(.POST, "/account/password", headers: cookie, beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "current": Make.password, "new": "password12345", "confirm": "password12345"], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"new-error\""))
            }
            try await app.testing().test(.POST, "/account/password", headers: cookie, beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "current": Make.password, "new": "đèo Mẫu Sơn mùa đông", "confirm": "đèo Mẫu Sơn mùa đông"], as: .urlEncodedForm)
            }) { res in #expect(res.status == .seeOther) }
            try await app.testing().test(.GET, "/", headers: other) { res in #expect(res.status == .seeOther) }
        }
    }

    @Test func twoFactorEnrolmentAndSignInWithATOTPCode() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .admin)
            let (cookie, csrf) = try await Make.session(app, for: user)
            var secret = ""
            try await app.testing().test(.GET, "/account/two-factor", headers: cookie) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("<svg"))
                let start = html.range(of: "id=\"totp-secret\">")!.upperBound
                secret = String(html[start...].prefix(while: { $0 != "<" }))
            }
            let totp = TOTP(secret: Base32.decode(secret)!)
            try await app.testing().test(.POST, "/account/two-factor/enable", headers: cookie, beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "code": totp.code(at: Date().addingTimeInterval(-30))], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"recovery-codes\""))
            }
            #expect(try await RecoveryCode.query(on: app.db).count() == 10)
            let res = try await Self.post(app, email: user.email, password: Make.password)
            #expect(res.headers.first(name: .location)?.hasPrefix("/signin/two-factor") == true)
            let pending = res.headers.setCookie![SessionManager.cookieName]!.string
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: (SessionManager.cookieName, .init(string: pending)))
            let pendingCSRF = Secrets.hmacHex(key: app.secretKey, "csrf:session:" + Secrets.sha256Hex(pending))
            try await app.testing().test(.GET, "/", headers: headers) { #expect($0.status == .seeOther) }
            try await app.testing().test(.POST, "/signin/two-factor", headers: headers, beforeRequest: { req in
                try req.content.encode(["_csrf": pendingCSRF, "code": totp.code(at: Date())], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.setCookie?[SessionManager.cookieName]?.string != pending)
            }
        }
    }

    @Test func aSavedTwoFactorRequirementAppliesAtOnce() async throws {
        try await withTestApp { app in
            let responder = try await Make.user(app, role: .responder)
            let (cookie, _) = try await Make.session(app, for: responder)
            try await app.testing().test(.GET, "/agencies", headers: cookie) { #expect($0.status == .ok) }
            let (adminCookie, csrf) = try await Make.session(app, for: try await Make.user(app, role: .admin))
            try await app.testing().test(.POST, "/settings", headers: adminCookie, beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "roles[]": "responder"], as: .urlEncodedForm)
            }) { #expect($0.status == .seeOther) }
            try await app.testing().test(.GET, "/agencies", headers: cookie) { res in
                #expect(res.headers.first(name: .location) == "/account/two-factor")
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "setting.update").count() == 1)
        }
    }

    @Test func rolesRequiredToUseTwoFactorAreSentToEnrol() async throws {
        try await withTestApp { app in
            try await Setting(key: .requireTwoFactorRoles, value: "coordinator").create(on: app.db)
            let coordinator = try await Make.user(app, role: .coordinator)
            let (cookie, _) = try await Make.session(app, for: coordinator)
            try await app.testing().test(.GET, "/agencies", headers: cookie) { res in
                #expect(res.headers.first(name: .location) == "/account/two-factor")
            }
            try await app.testing().test(.GET, "/api/v1/agencies", headers: try await Make.token(app, for: coordinator)) { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("two_factor_required"))
            }
        }
    }

    /// Turns on TOTP for the user and returns the secret.
    static func enableTOTP(_ app: Application, for user: User) async throws -> [UInt8] {
        let secret = TOTP.generateSecret()
        user.totpSecretSealed = try SecretBox.seal(secret, appKey: app.secretKey)
        user.totpEnabled = true
        try await user.save(on: app.db)
        return secret
    }

    /// Signs in with the password; returns the pending session's cookie and CSRF token.
    static func pendingSession(_ app: Application, for user: User) async throws -> (headers: HTTPHeaders, csrf: String) {
        let res = try await post(app, email: user.email, password: Make.password)
        let token = res.headers.setCookie![SessionManager.cookieName]!.string
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: (SessionManager.cookieName, .init(string: token)))
        return (headers, Secrets.hmacHex(key: app.secretKey, "csrf:session:" + Secrets.sha256Hex(token)))
    }

    static func submitCode(_ app: Application, _ code: String, session: (headers: HTTPHeaders, csrf: String)) async throws -> HTTPStatus {
        var status = HTTPStatus.ok
        try await app.testing().test(.POST, "/signin/two-factor", headers: session.headers, beforeRequest: { req in
            try req.content.encode(["_csrf": session.csrf, "code": code], as: .urlEncodedForm)
        }) { status = $0.status }
        return status
    }

    @Test func secondFactorGuessesStayThrottledAfterACorrectPassword() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .admin)
            let totp = TOTP(secret: try await Self.enableTOTP(app, for: user))
            let wrong = String(format: "%06d", (Int(totp.code(at: Date()))! + 500_000) % 1_000_000)
            for _ in 0..<5 {
                #expect(try await Self.submitCode(app, wrong, session: try await Self.pendingSession(app, for: user)) == .unauthorized)
            }
            #expect(try await Self.submitCode(app, totp.code(at: Date()), session: try await Self.pendingSession(app, for: user)) == .tooManyRequests)
        }
    }

    @Test func aTOTPCodeWorksOnlyOnce() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .admin)
            let code = TOTP(secret: try await Self.enableTOTP(app, for: user)).code(at: Date())
            #expect(try await Self.submitCode(app, code, session: try await Self.pendingSession(app, for: user)) == .seeOther)
            #expect(try await Self.submitCode(app, code, session: try await Self.pendingSession(app, for: user)) == .unauthorized)
        }
    }

    @Test func guessingTheCurrentPasswordFromASessionIsThrottled() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .responder)
            let (cookie, csrf) = try await Make.session(app, for: user)
            var statuses: [HTTPStatus] = []
            for _ in 0..<6 {
                try await app.testing().test(.POST, "/account/password", headers: cookie, beforeRequest: { req in
                    try req.content.encode(["_csrf": csrf, "current": "guess-guess-guess", "new": "đèo Mẫu Sơn mùa đông", "confirm": "đèo Mẫu Sơn mùa đông"], as: .urlEncodedForm)
                }) { statuses.append($0.status) }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unprocessableEntity })
            #expect(statuses.last == .tooManyRequests)
        }
    }
}

