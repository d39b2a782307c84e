import Foundation
import Domain
import Fluent
import Vapor

/// `Authorization: Bearer ucu_…` on API requests. A bad token is refused outright rather than
/// treated as anonymous.
struct TokenAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.isAPI || req.url.path == SiteURL.metrics.path, let bearer = req.headers.bearerAuthorization?.token else {
            return try await next.respond(to: req)
        }
        // An event source's ingest token is no user's: `POST /api/v1/events` checks it; every other route refuses it (401).
        if bearer.hasPrefix(EventSource.tokenPrefix) { return try await next.respond(to: req) }
        guard bearer.hasPrefix(APIToken.prefix), bearer.count < 200 else { throw AppError.unauthenticated }
        let now = Date()
        guard let token = try await APIToken.query(on: req.db)
            .filter(\.$tokenHash == Secrets.sha256Hex(bearer))
            .with(\.$user)
            .first(),
            token.isActive(at: now), token.user.status == .active
        else { throw AppError.unauthenticated }
        req.apiToken = token
        req.currentUser = token.user
        req.subject = try await SubjectLoader.subject(for: token.user, on: req.db)
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            let id = try token.requireID()
            try await req.write { db in
                try await APIToken.query(on: db).filter(\.$id == id).set(\.$lastUsedAt, to: now).update()
            }
        }
        return try await next.respond(to: req)
    }
}
