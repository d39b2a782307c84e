import Foundation
import Vapor

/// A path parameter: `.key` when registering a route, `.value` when building a link.
enum Param: Sendable, Equatable {
    case key
    case value(UUID)

    fileprivate var component: PathComponent {
        switch self {
        case .key: return .parameter("id")
        case .value(let id): return .constant(id.uuidString.lowercased())
        }
    }
}

/// Every page and API path. The same value registers the route and builds links, so the two
/// cannot drift apart.
enum SiteURL: Sendable, Equatable {
    // Operations
    case healthz, readyz, metrics
    case asset(String)

    // Pages
    case home
    case signIn, signInTwoFactor, signOut
    case language
    case account, accountPassword, accountTwoFactor, accountTwoFactorEnable, accountTwoFactorDisable
    case tokens, tokenRevoke(Param)
    case agencies, agencyNew, agenciesExport, agency(Param), agencyEdit(Param), agencyDelete(Param)
    case users, userNew, usersExport, user(Param), userEdit(Param), userResetPassword(Param), userStatus(Param)
    case audit, auditVerify, auditExport
    case settings

    // JSON API
    case api(API)

    enum API: Sendable, Equatable {
        case openAPI
        case me
        case agencies, agency(Param)
        case users, user(Param)
        case auditEvents, auditEvent(Param), auditVerify
        case tokens, token(Param)
    }

    var pathComponents: [PathComponent] {
        switch self {
        case .healthz: ["healthz"]
        case .readyz: ["readyz"]
        case .metrics: ["metrics"]
        case .asset(let file): ["static", .constant(file)]
        case .home: []
        case .signIn: ["signin"]
        case .signInTwoFactor: ["signin", "two-factor"]
        case .signOut: ["signout"]
        case .language: ["language"]
        case .account: ["account"]
        case .accountPassword: ["account", "password"]
        case .accountTwoFactor: ["account", "two-factor"]
        case .accountTwoFactorEnable: ["account", "two-factor", "enable"]
        case .accountTwoFactorDisable: ["account", "two-factor", "disable"]
        case .tokens: ["account", "tokens"]
        case .tokenRevoke(let p): ["account", "tokens", p.component, "revoke"]
        case .agencies: ["agencies"]
        case .agencyNew: ["agencies", "new"]
        case .agenciesExport: ["agencies", "export.csv"]
        case .agency(let p): ["agencies", p.component]
        case .agencyEdit(let p): ["agencies", p.component, "edit"]
        case .agencyDelete(let p): ["agencies", p.component, "delete"]
        case .users: ["users"]
        case .userNew: ["users", "new"]
        case .usersExport: ["users", "export.csv"]
        case .user(let p): ["users", p.component]
        case .userEdit(let p): ["users", p.component, "edit"]
        case .userResetPassword(let p): ["users", p.component, "reset-password"]
        case .userStatus(let p): ["users", p.component, "status"]
        case .audit: ["audit"]
        case .auditVerify: ["audit", "verify"]
        case .auditExport: ["audit", "export.csv"]
        case .settings: ["settings"]
        case .api(let api): ["api", "v1"] + api.pathComponents
        }
    }

    /// The path for links, e.g. `/agencies/6f1c…`.
    var path: String {
        "/" + pathComponents.map(\.description).joined(separator: "/")
    }

    func path(query: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = query.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
            .map { URLQueryItem(name: $0.key, value: $0.value) }
        // URLComponents leaves "+" as is, and servers read it as a space.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return encoded.isEmpty ? path : path + "?" + encoded
    }

    /// Absolute URL under the configured base URL (for e-mails and documents).
    func absolute(base: URL) -> String {
        base.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
    }
}

extension SiteURL.API {
    var pathComponents: [PathComponent] {
        switch self {
        case .openAPI: ["openapi.json"]
        case .me: ["me"]
        case .agencies: ["agencies"]
        case .agency(let p): ["agencies", p.component]
        case .users: ["users"]
        case .user(let p): ["users", p.component]
        case .auditEvents: ["audit-events"]
        case .auditEvent(let p): ["audit-events", p.component]
        case .auditVerify: ["audit-events", "verify"]
        case .tokens: ["tokens"]
        case .token(let p): ["tokens", p.component]
        }
    }
}
