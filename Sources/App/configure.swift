import Foundation
import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOSSL
import SQLKit
import Vapor

/// Everything the server and the commands share. `database` overrides the configured one (tests).
public func configure(_ app: Application, config: AppConfig, database: DatabaseConfigurationFactory? = nil,
                      databaseIsSQLite: Bool? = nil) async throws {
    app.config = config
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
    app.secretKey = try config.secretKey ?? SecretKeyFile.loadOrCreate(in: config.dataDirectory)
    do {
        app.rules = try RuleBook.load(overridesDirectory: URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("rules"))
    } catch {
        throw AppConfig.Invalid(variable: "UNGCUU_DATA_DIR", problem: "has an invalid rule file under rules/: \(error)")
    }

    switch config.database {
    case .sqlite(let path):
        app.databases.use(database ?? .sqlite(.file(path)), as: .sqlite)
        app.usesSQLite = databaseIsSQLite ?? true
    case .postgres(let url):
        app.databases.use(try database ?? .postgres(configuration: SQLPostgresConfiguration(url: url)), as: .psql)
        app.usesSQLite = databaseIsSQLite ?? false
    }
    app.writeGate = WriteGate()
    _ = app.twoFactorRolesCache  // created before requests run concurrently
    _ = app.eventSourceCache  // the syslog listeners' source directory, likewise
    app.migrations.add(Migrations.all)
    app.databases.middleware.use(AgencySearchText())
    app.databases.middleware.use(UserSearchText())
    if app.usesSQLite {
        _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
    }

    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: config.maxBodyBytes)
    // gzip/deflate request bodies are inflated by the server as they stream in (events shipped with Content-Encoding: gzip),
    // bounded by size rather than Vapor's default 25:1 ratio, which well-compressing logs exceed; the events route refuses
    // bodies past UNGCUU_MAX_EVENT_BODY_BYTES with 413 before this bound is reached.
    app.http.server.configuration.requestDecompression = .enabled(limit: .size(config.maxEventBodyBytes + 1_048_576))
    app.http.server.configuration.serverName = nil
    // Webhook deliveries go where the endpoint says and nowhere else: a redirect is a failed delivery.
    app.http.client.configuration.redirectConfiguration = .disallow

    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)

    app.middleware = Middlewares()
    app.middleware.use(MetricsMiddleware(registry: app.metrics))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(PreSessionCookieMiddleware())
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(TokenAuthenticator())
    app.middleware.use(AgencyNameMiddleware())
    app.middleware.use(UnreadNotificationsMiddleware())

    JobSetup.configure(app)
    try routes(app)
    Commands.register(in: app)
}

/// Loads the signed-in user's agency name for the top bar of pages.
struct AgencyNameMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !req.isAPI, let agencyId = req.currentUser?.$agency.id {
            UserAgencyName.set(try await Agency.find(agencyId, on: req.db)?.name, on: req)
        }
        return try await next.respond(to: req)
    }
}
