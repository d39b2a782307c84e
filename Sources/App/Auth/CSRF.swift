import Foundation
import Domain
import Vapor

/// Synchroniser tokens for forms: an HMAC of the session token's hash, or, before sign-in, of a
/// random pre-session cookie.
enum CSRF {
    static let fieldName = "_csrf"
    static let preSessionCookie = "uc_pre"
    private struct PendingPreSessionKey: StorageKey { typealias Value = String }

    static func token(for req: Request) -> String {
        let key = req.application.secretKey
        if let session = req.userSession {
            return Secrets.hmacHex(key: key, "csrf:session:" + session.tokenHash)
        }
        return Secrets.hmacHex(key: key, "csrf:pre:" + preSession(req))
    }

    /// The pre-session value, created (and later set as a cookie) when missing.
    private static func preSession(_ req: Request) -> String {
        if let value = req.cookies[preSessionCookie]?.string, value.count >= 20 { return value }
        if let pending = req.storage[PendingPreSessionKey.self] { return pending }
        let value = Secrets.randomToken()
        req.storage[PendingPreSessionKey.self] = value
        return value
    }

    static func pendingCookie(for req: Request) -> String? { req.storage[PendingPreSessionKey.self] }

    private struct Field: Decodable {
        let value: String?
        enum CodingKeys: String, CodingKey { case value = "_csrf" }
    }

    /// The token field of a form.
    static func submittedField(_ req: Request) -> String? {
        (try? req.content.decode(Field.self))?.value
    }

    static func isValid(_ submitted: String?, for req: Request) -> Bool {
        guard let submitted, !submitted.isEmpty else { return false }
        if req.userSession == nil, (req.cookies[preSessionCookie]?.string ?? "").count < 20 { return false }
        return Secrets.constantTimeEquals(submitted, token(for: req))
    }
}

/// Checks the CSRF token of state-changing page requests.
struct CSRFGuard: AsyncMiddleware {
    /// The largest body the route accepts (its own `collect(maxSize:)`), nil for the application default.
    var maxBody: Int?

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Route middleware runs before the route collects a streamed body (uploads arrive in chunks),
        // so collect it here, within the size this route accepts and no more.
        if req.body.data == nil, req.headers.first(name: "X-CSRF-Token") == nil {
            let max = maxBody ?? req.application.config.maxBodyBytes
            do { _ = try await req.body.collect(max: max).get() } catch { throw AppError.tooLarge }
        }
        let submitted = req.headers.first(name: "X-CSRF-Token") ?? CSRF.submittedField(req)
        guard CSRF.isValid(submitted, for: req) else {
            try await req.audit(AuditEntry("access.csrf_rejected", details: ["path": req.url.path, "method": req.method.rawValue]))
            throw AppError.csrf
        }
        return try await next.respond(to: req)
    }
}

/// Sets the pre-session cookie when a page handed out a CSRF token before sign-in.
struct PreSessionCookieMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        if let value = CSRF.pendingCookie(for: req) {
            response.cookies[CSRF.preSessionCookie] = HTTPCookies.Value(
                string: value, maxAge: 12 * 3600, path: "/", isSecure: req.application.config.usesHTTPS,
                isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}
