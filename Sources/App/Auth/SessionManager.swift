import Foundation
import Domain
import Fluent
import Vapor

/// Creates, rotates and ends browser sessions. The cookie carries a random token; the database
/// keeps its SHA-256 only.
enum SessionManager {
    static let cookieName = "uc_session"

    /// Starts a new session (a new id at every sign-in step) and returns the cookie token.
    static func start(for user: User, stage: UserSession.Stage, req: Request, on db: any Database) async throws -> String {
        let token = Secrets.randomToken()
        let now = Date()
        let config = req.application.config
        let session = UserSession(
            userId: try user.requireID(), tokenHash: Secrets.sha256Hex(token), stage: stage, now: now,
            expiresAt: now.addingTimeInterval(TimeInterval(config.sessionAbsoluteHours * 3600)),
            clientAddress: req.clientAddress, userAgent: req.headers.first(name: .userAgent))
        try await session.create(on: db)
        return token
    }

    static func cookie(_ token: String, app: Application) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: app.config.sessionAbsoluteHours * 3600, path: "/",
                          isSecure: app.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
    }

    static func expiredCookie(app: Application) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                          isSecure: app.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
    }

    static func endAll(for userId: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$user.$id == userId).delete()
    }
}

/// Reads the session cookie on page requests and signs the user in for this request.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !req.isAPI, let token = req.cookies[SessionManager.cookieName]?.string, (20...100).contains(token.count) else {
            return try await next.respond(to: req)
        }
        let now = Date()
        let idle = TimeInterval(req.application.config.sessionIdleMinutes * 60)
        let session = try await UserSession.query(on: req.db)
            .filter(\.$tokenHash == Secrets.sha256Hex(token))
            .with(\.$user)
            .first()
        var expired = false
        if let session {
            if now < session.expiresAt, now.timeIntervalSince(session.lastSeenAt) < idle, session.user.status == .active {
                req.userSession = session
                if session.stage == .signedIn {
                    req.currentUser = session.user
                    req.subject = try await SubjectLoader.subject(for: session.user, on: req.db)
                }
                if now.timeIntervalSince(session.lastSeenAt) > 60 {
                    let id = try session.requireID()
                    try await req.write { db in
                        try await UserSession.query(on: db).filter(\.$id == id).set(\.$lastSeenAt, to: now).update()
                    }
                }
            } else {
                expired = true
                let id = try session.requireID()
                try await req.write { db in try await UserSession.query(on: db).filter(\.$id == id).delete() }
            }
        } else {
            expired = true
        }
        let response = try await next.respond(to: req)
        if expired, response.cookies[SessionManager.cookieName] == nil {
            response.cookies[SessionManager.cookieName] = SessionManager.expiredCookie(app: req.application)
        }
        return response
    }
}
