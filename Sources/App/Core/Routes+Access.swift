import Foundation
import Domain
import Vapor

/// Who may reach a route, declared where it is registered and enforced by ``AccessGuard``.
enum Access: Sendable, Equatable {
    case open
    /// Signed-in users, even those who must still change their password or enrol two-factor.
    case signedInSetup
    case signedIn
    case action(Action)

    static let userInfoKey = "access"
}

extension RoutesBuilder {
    /// Registers a route with its access rule. Page routes that change state also check the CSRF token.
    /// `csrfMaxBody`: for a page route that streams its body (`.stream`), how much of a form sent without the
    /// `X-CSRF-Token` header the CSRF check may collect to read the token (default: `UNGCUU_MAX_BODY_BYTES`).
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod,
        _ url: SiteURL,
        access: Access,
        body: HTTPBodyStreamStrategy = .collect,
        csrfMaxBody: Int? = nil,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        var middleware: [any Middleware] = [AccessGuard(access: access)]
        let isAPI: Bool
        if case .api = url { isAPI = true } else { isAPI = false }
        if !isAPI && method != .GET && method != .HEAD {
            var limit: Int?
            if case .collect(let max) = body { limit = max?.value }
            if let csrfMaxBody { limit = csrfMaxBody }
            middleware.append(CSRFGuard(maxBody: limit))
        }
        let route = grouped(middleware).on(method, url.pathComponents, body: body, use: handler)
        route.userInfo[Access.userInfoKey] = access
        return route
    }
}
