import Foundation
import Domain

/// Everything UngCuu reads from the environment, read once at start-up.
/// A bad value stops the program with a message naming the variable; secrets are never logged.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var database: DatabaseChoice
    public var dataDirectory: String
    public var baseURL: URL
    /// When unset, a key is generated once and kept in `$UNGCUU_DATA_DIR/secret.key`.
    public var secretKey: [UInt8]?
    public var bcryptCost: Int
    public var sessionIdleMinutes: Int
    public var sessionAbsoluteHours: Int
    public var autoMigrate: Bool
    public var trustProxy: Bool
    public var maxBodyBytes: Int
    /// Largest uploaded document (dossier files, evidence, spreadsheets to import).
    public var maxUploadBytes: Int = 20_971_520
    /// Background job workers inside `serve` (0: none, run `ungcuu worker` instead).
    public var workers: Int = 2
    /// Outgoing mail for e-mail notifications; nil (e-mail off) when UNGCUU_SMTP_HOST is unset.
    public var smtp: SMTPSettings? = nil
    /// Largest scanner report accepted through the API and the CLI (streamed to disk, never held in memory).
    public var maxScanReportBytes: Int = 1_073_741_824
    /// The nmap program of the built-in network scan; nil: the first `nmap` on PATH.
    public var nmapPath: String? = nil
    /// Largest body of `POST /api/v1/events`, also after gzip decompression (413 beyond).
    public var maxEventBodyBytes: Int = 67_108_864
    /// Largest event file accepted by the events upload page (streamed to disk, never held in memory).
    public var maxEventUploadBytes: Int = 2_147_483_648
    /// Stored events are purged this many days after they arrived (at least 366: twelve months and more).
    public var eventRetentionDays: Int = 400
    /// Syslog listeners started by `serve`: the address they bind, and their ports (nil: that listener is off).
    public var syslogHost: String = "0.0.0.0"
    public var syslogUDPPort: Int? = nil
    public var syslogTCPPort: Int? = nil

    public var usesHTTPS: Bool { baseURL.scheme == "https" }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let variable: String
        public let problem: String
        public var description: String { "Invalid configuration: \(variable) \(problem)" }
    }

    /// Documented in README.md; keep the two in step.
    public static let variables = [
        "DATABASE_URL", "UNGCUU_DATA_DIR", "UNGCUU_BASE_URL", "UNGCUU_SECRET_KEY", "UNGCUU_BCRYPT_COST",
        "UNGCUU_SESSION_IDLE_MINUTES", "UNGCUU_SESSION_MAX_HOURS", "UNGCUU_AUTO_MIGRATE", "UNGCUU_TRUST_PROXY",
        "UNGCUU_MAX_BODY_BYTES",
        "UNGCUU_WORKERS", "UNGCUU_MAX_SCAN_REPORT_BYTES", "UNGCUU_NMAP_PATH",
        "UNGCUU_MAX_EVENT_BODY_BYTES", "UNGCUU_MAX_EVENT_UPLOAD_BYTES", "UNGCUU_EVENT_RETENTION_DAYS",
        "UNGCUU_SYSLOG_HOST", "UNGCUU_SYSLOG_UDP_PORT", "UNGCUU_SYSLOG_TCP_PORT",
    ] + SMTPSettings.variables

    public static func load(from env: [String: String]) throws(Invalid) -> AppConfig {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(Invalid) -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw Invalid(variable: name, problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        func flag(_ name: String, default fallback: Bool) throws(Invalid) -> Bool {
            guard let raw = value(name)?.lowercased() else { return fallback }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw Invalid(variable: name, problem: "must be true or false")
            }
        }

        let dataDirectory = value("UNGCUU_DATA_DIR") ?? "./data"

        let database: DatabaseChoice
        if let url = value("DATABASE_URL") {
            guard let parsed = URL(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""),
                  parsed.host != nil, parsed.path.count > 1 else {
                throw Invalid(variable: "DATABASE_URL", problem: "must be a postgres://user:password@host:port/database URL")
            }
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: (dataDirectory as NSString).appendingPathComponent("ungcuu.sqlite"))
        }

        let baseURL: URL
        if let raw = value("UNGCUU_BASE_URL") {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.query == nil else {
                throw Invalid(variable: "UNGCUU_BASE_URL", problem: "must be an http:// or https:// URL such as https://ungcuu.example.gov.vn")
            }
            baseURL = url
        } else {
            baseURL = URL(string: "http://127.0.0.1:8080")!
        }

        var secretKey: [UInt8]?
        if let raw = value("UNGCUU_SECRET_KEY") {
            guard raw.count >= 32 else {
                throw Invalid(variable: "UNGCUU_SECRET_KEY", problem: "must be at least 32 characters long")
            }
            secretKey = Array(raw.utf8)
        }

        var isPostgres = false
        if case .postgres = database { isPostgres = true }

        let workers = try integer("UNGCUU_WORKERS", default: 2, range: 0...32)
        func nmapPath() throws(Invalid) -> String? {
            guard let path = value("UNGCUU_NMAP_PATH") else { return nil }
            guard path.hasPrefix("/") else { throw Invalid(variable: "UNGCUU_NMAP_PATH", problem: "must be an absolute path such as /usr/bin/nmap") }
            return path
        }
        let smtp = try SMTPSettings.load(from: env)
        func port(_ name: String) throws(Invalid) -> Int? {
            guard value(name) != nil else { return nil }
            return try integer(name, default: 0, range: 1...65_535)
        }
        let syslogHost = value("UNGCUU_SYSLOG_HOST") ?? "0.0.0.0"
        guard case .network(let bytes, let prefix)? = DeclaredAddresses.entry(syslogHost), prefix == bytes.count * 8 else {
            throw Invalid(variable: "UNGCUU_SYSLOG_HOST", problem: "must be an IPv4 or IPv6 address to listen on, such as 0.0.0.0 or ::")
        }
        let syslogUDPPort = try port("UNGCUU_SYSLOG_UDP_PORT")
        let syslogTCPPort = try port("UNGCUU_SYSLOG_TCP_PORT")

        return AppConfig(
            database: database,
            dataDirectory: dataDirectory,
            baseURL: baseURL,
            secretKey: secretKey,
            bcryptCost: try integer("UNGCUU_BCRYPT_COST", default: 12, range: 4...16),
            sessionIdleMinutes: try integer("UNGCUU_SESSION_IDLE_MINUTES", default: 30, range: 5...1440),
            sessionAbsoluteHours: try integer("UNGCUU_SESSION_MAX_HOURS", default: 12, range: 1...168),
            autoMigrate: try flag("UNGCUU_AUTO_MIGRATE", default: !isPostgres),
            trustProxy: try flag("UNGCUU_TRUST_PROXY", default: false),
            maxBodyBytes: try integer("UNGCUU_MAX_BODY_BYTES", default: 1_048_576, range: 16_384...104_857_600),
            maxUploadBytes: try integer("UNGCUU_MAX_UPLOAD_BYTES", default: 20_971_520, range: 65_536...1_073_741_824),
            workers: workers,
            smtp: smtp,
            maxScanReportBytes: try integer("UNGCUU_MAX_SCAN_REPORT_BYTES", default: 1_073_741_824, range: 1_048_576...68_719_476_736),
            nmapPath: try nmapPath(),
            maxEventBodyBytes: try integer("UNGCUU_MAX_EVENT_BODY_BYTES", default: 67_108_864, range: 65_536...1_073_741_824),
            maxEventUploadBytes: try integer("UNGCUU_MAX_EVENT_UPLOAD_BYTES", default: 2_147_483_648, range: 1_048_576...274_877_906_944),
            eventRetentionDays: try integer("UNGCUU_EVENT_RETENTION_DAYS", default: 400, range: 366...36_500),
            syslogHost: syslogHost,
            syslogUDPPort: syslogUDPPort,
            syslogTCPPort: syslogTCPPort
        )
    }
}
