import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Health, readiness, metrics and static files.
enum OpsController {
    static func healthz(req: Request) async throws -> Response {
        Response(status: .ok, body: .init(string: "ok\n"))
    }

    /// Ready only when the database answers and every migration has been applied.
    static func readyz(req: Request) async throws -> Response {
        do {
            let applied = try await (req.db as! any SQLDatabase).raw("SELECT name FROM _fluent_migrations").all()
                .compactMap { try? $0.decode(column: "name", as: String.self) }
            let missing = Migrations.all.map { "App." + String(describing: type(of: $0)) }.filter { !applied.contains($0) }
            guard missing.isEmpty else {
                return Response(status: .serviceUnavailable, body: .init(string: "migrations pending: \(missing.count)\n"))
            }
            return Response(status: .ok, body: .init(string: "ready\n"))
        } catch {
            return Response(status: .serviceUnavailable, body: .init(string: "database unavailable\n"))
        }
    }

    /// Prometheus text; for administrators' tokens or requests from the loopback interface.
    static func metrics(req: Request) async throws -> Response {
        let address = req.remoteAddress?.ipAddress ?? ""
        let loopback = !req.application.config.trustProxy && (address == "127.0.0.1" || address == "::1" || address.hasPrefix("127."))
        let isAdmin = req.subject.map { Policy.can($0, .viewMetrics) } ?? false
        guard loopback || isAdmin else {
            if req.subject == nil { throw AppError.unauthenticated }
            try await req.audit(AuditEntry("access.denied", details: ["path": req.url.path]))
            throw AppError.forbidden
        }
        let start = ContinuousClock.now
        _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
        let ping = start.duration(to: .now)
        let pingSeconds = Double(ping.components.attoseconds) / 1e18 + Double(ping.components.seconds)
        let sessions = try await UserSession.query(on: req.db).count()
        let isSQLite = req.application.usesSQLite
        let text = req.application.metrics.render(extra: [
            ("ungcuu_db_ping_seconds", "Time for the database to answer SELECT 1 during this scrape.", "gauge", pingSeconds),
            ("ungcuu_db_pool_connections_max", "Maximum database connections of this process.", "gauge",
             Double((isSQLite ? 1 : 8) * System.coreCount)),
            ("ungcuu_db_pool_event_loops", "Event loops, each with its own connection pool.", "gauge", Double(System.coreCount)),
            ("ungcuu_sessions", "Stored browser sessions.", "gauge", Double(sessions)),
        ])
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static let assets: [String: (data: Data, type: String)] = {
        var assets: [String: (Data, String)] = [:]
        for (name, type) in [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")] {
            let url = Bundle.module.bundleURL.appendingPathComponent("Resources/static/" + name)
            guard let data = try? Data(contentsOf: url) else { fatalError("Static file \(name) is missing from the App bundle") }
            assets[name] = (data, type)
        }
        return assets
    }()

    static func asset(_ name: String) -> @Sendable (Request) async throws -> Response {
        { _ in
            guard let asset = assets[name] else { throw AppError.notFound }
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: asset.type)
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(data: asset.data))
        }
    }
}
