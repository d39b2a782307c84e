import Foundation
import Domain
import Vapor

/// What the authenticators learned about the caller, kept on the request.
extension Request {
    private struct UserKey: StorageKey { typealias Value = User }
    private struct SubjectKey: StorageKey { typealias Value = Subject }
    private struct SessionKey: StorageKey { typealias Value = UserSession }
    private struct TokenKey: StorageKey { typealias Value = APIToken }
    private struct LangKey: StorageKey { typealias Value = Lang }

    var currentUser: User? {
        get { storage[UserKey.self] }
        set { storage[UserKey.self] = newValue }
    }

    var subject: Subject? {
        get { storage[SubjectKey.self] }
        set { storage[SubjectKey.self] = newValue }
    }

    var userSession: UserSession? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    var apiToken: APIToken? {
        get { storage[TokenKey.self] }
        set { storage[TokenKey.self] = newValue }
    }

    /// The signed-in subject, or a 401.
    func requireSubject() throws -> Subject {
        guard let subject else { throw AppError.unauthenticated }
        return subject
    }

    func requireUser() throws -> User {
        guard let currentUser else { throw AppError.unauthenticated }
        return currentUser
    }

    var isAPI: Bool { url.path.hasPrefix("/api/") }

    /// The interface language: the user's choice, else the language cookie, else Vietnamese.
    /// API callers get English unless they ask for Vietnamese.
    var lang: Lang {
        if let cached = storage[LangKey.self] { return cached }
        let lang: Lang
        if let user = currentUser, let chosen = Lang(rawValue: user.locale) {
            lang = chosen
        } else if isAPI {
            lang = (headers.first(name: .acceptLanguage) ?? "").lowercased().hasPrefix("vi") ? .vi : .en
        } else if let cookie = cookies[Lang.cookieName]?.string, let chosen = Lang(rawValue: cookie) {
            lang = chosen
        } else {
            lang = .vi
        }
        storage[LangKey.self] = lang
        return lang
    }

    var t: Localizer { Localizer(lang: lang) }

    /// The client's address. Behind a trusted proxy, the last X-Forwarded-For entry: the one the proxy
    /// appended (earlier entries are whatever the client sent).
    var clientAddress: String? {
        if application.config.trustProxy, let forwarded = headers[("X-Forwarded-For")].joined(separator: ",")
            .split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return String(forwarded.prefix(64))
        }
        return remoteAddress?.ipAddress
    }
}
