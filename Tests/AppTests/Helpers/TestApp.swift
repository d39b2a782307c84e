import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// An isolated, migrated app per test: a fresh SQLite file, or a fresh PostgreSQL schema when
/// UNGCUU_TEST_DATABASE_URL is set.
func withTestApp(_ body: (Application) async throws -> Void) async throws {
    try await withTestApp(adjusting: { _ in }, body)
}

/// As above, with the configuration changed first (e.g. a small upload limit).
func withTestApp(adjusting adjust: (inout AppConfig) -> Void, _ body: (Application) async throws -> Void) async throws {
    // Swift Testing runs every test at once; on PostgreSQL each app holds connections, so only so many apps
    // may be alive together or the server runs out of connection slots.
    try await TestAppGate.shared.acquire()
    defer { Task { await TestAppGate.shared.release() } }
    try await runTestApp(adjusting: adjust, body)
}

/// Limits how many test apps exist at once (UNGCUU_TEST_MAX_APPS, default 12 on PostgreSQL, unlimited on SQLite).
actor TestAppGate {
    static let shared = TestAppGate()
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init() {
        let env = ProcessInfo.processInfo.environment
        let postgres = !(env["UNGCUU_TEST_DATABASE_URL"] ?? "").isEmpty
        limit = env["UNGCUU_TEST_MAX_APPS"].flatMap(Int.init) ?? (postgres ? 12 : Int.max)
    }

    func acquire() async {
        if running < limit { running += 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}

private func runTestApp(adjusting adjust: (inout AppConfig) -> Void, _ body: (Application) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ungcuu-test-\(UUID().uuidString)").path
    let app = try await Application.make(.testing)
    var schema: String?
    do {
        if let url = ProcessInfo.processInfo.environment["UNGCUU_TEST_DATABASE_URL"], !url.isEmpty {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            schema = String(name)
            var config = AppConfig.testing(dataDirectory: directory)
            config.database = .postgres(url: url)
            adjust(&config)
            var postgres = try SQLPostgresConfiguration(url: url)
            postgres.searchPath = [String(name)]
            try await configure(app, config: config, database: .postgres(configuration: postgres))
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(unsafeRaw: String(name))").run()
        } else {
            var config = AppConfig.testing(dataDirectory: directory)
            adjust(&config)
            try await configure(app, config: config)
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        try? await cleanUp(app, schema: schema, directory: directory)
        throw error
    }
    try await cleanUp(app, schema: schema, directory: directory)
}

private func cleanUp(_ app: Application, schema: String?, directory: String) async throws {
    if let schema {
        try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
    }
    try await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: directory)
}

extension AppConfig {
    static func testing(dataDirectory: String) -> AppConfig {
        var config = try! AppConfig.load(from: ["UNGCUU_DATA_DIR": dataDirectory, "UNGCUU_BCRYPT_COST": "4"])
        config.secretKey = Array(repeating: 7, count: 32)
        return config
    }
}

/// Test data in one line each.
enum Make {
    static let password = "correct-horse-battery-staple"

    @discardableResult
    static func agency(_ app: Application, code: String = "A-\(Int.random(in: 1000...999_999))", name: String = "Sở Thử nghiệm",
                       kind: AgencyKind = .department, parent: Agency? = nil) async throws -> Agency {
        let agency = Agency(code: code, name: name, kind: kind, parentId: parent?.id)
        try await agency.create(on: app.db)
        return agency
    }

    static func user(_ app: Application, role: Role, agency: Agency? = nil, email: String? = nil,
                     mustChangePassword: Bool = false) async throws -> User {
        let hash = try Bcrypt.hash(password, cost: 4)
        let user = User(email: email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6))@test.vn".lowercased(), name: "Người \(role.rawValue)",
                        role: role, agencyId: agency?.id, passwordHash: hash, mustChangePassword: mustChangePassword)
        try await user.create(on: app.db)
        return user
    }

    /// A bearer header for the user.
    static func token(_ app: Application, for user: User) async throws -> HTTPHeaders {
        let (_, secret) = try await TokenService.create(for: user, input: .init(name: "test", days: 1), actor: .system("test"), app: app)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: secret)
        return headers
    }

    /// A signed-in browser session: the cookie and the CSRF token for forms.
    static func session(_ app: Application, for user: User) async throws -> (headers: HTTPHeaders, csrf: String) {
        let token = Secrets.randomToken()
        let now = Date()
        let hash = Secrets.sha256Hex(token)
        try await UserSession(userId: user.requireID(), tokenHash: hash, stage: .signedIn, now: now,
                              expiresAt: now.addingTimeInterval(3600), clientAddress: nil, userAgent: nil).create(on: app.db)
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: (SessionManager.cookieName, .init(string: token)))
        return (headers, Secrets.hmacHex(key: app.secretKey, "csrf:session:" + hash))
    }
}
