import Foundation
import Domain
import Fluent
import SQLKit

/// The home page's incident figures, counted within the reader's scope: open cases by severity,
/// overdue reporting clocks, and the mean time to triage and to close (cases of the last 12 months).
enum IncidentFigures {
    struct Figures: Sendable {
        var openBySeverity: [String: Int] = [:]
        var open = 0
        var overdueClocks = 0
        var casesWithOverdueClocks = 0
        var meanSecondsToTriage: Double?
        var meanSecondsToClose: Double?
    }

    /// `incidents` rows the subject may read, as SQL (the same rule as ``Incident/scoped(to:on:)``).
    static func scope(_ subject: Subject, table: String = "incidents") -> SQLQueryString {
        switch Policy.readScope(for: subject) {
        case .all: return "1 = 1"
        case .nothing: return "1 = 0"
        case .agencies(let ids):
            return ids.isEmpty ? "1 = 0" : "\(ident: table).agency_id IN (\(SQLList(ids.map { SQLBind($0) })))"
        case .sharedWithPolice(let own):
            let shared: SQLQueryString = "\(ident: table).police_shared = \(bind: true)"
            return own.isEmpty ? shared : "(\(shared) OR \(ident: table).agency_id IN (\(SQLList(own.map { SQLBind($0) }))))"
        }
    }

    static func query(subject: Subject, now: Date = Date(), on db: any Database) async throws -> Figures {
        let sql = db as! any SQLDatabase
        var f = Figures()
        let inScope = scope(subject)
        for row in try await sql.raw("""
            SELECT COALESCE(severity, '') AS severity, COUNT(*) AS n FROM incidents WHERE phase <> 'closed' AND \(inScope) GROUP BY severity
            """).all() {
            let n = try row.decode(column: "n", as: Int.self)
            f.openBySeverity[try row.decode(column: "severity", as: String.self), default: 0] += n
            f.open += n
        }
        let clocks = try await sql.raw("""
            SELECT COUNT(*) AS n, COUNT(DISTINCT o.subject_id) AS cases FROM obligations o JOIN incidents ON incidents.id = o.subject_id
            WHERE o.subject_kind = 'incident' AND o.state = 'overdue' AND incidents.phase <> 'closed' AND \(inScope)
            """).first()
        f.overdueClocks = try clocks?.decode(column: "n", as: Int.self) ?? 0
        f.casesWithOverdueClocks = try clocks?.decode(column: "cases", as: Int.self) ?? 0
        let since = now.addingTimeInterval(-365 * 86_400)
        let seconds: (String, String) -> SQLQueryString = { end, start in
            sql.dialect.name == "postgresql" ? "EXTRACT(EPOCH FROM (\(unsafeRaw: end) - \(unsafeRaw: start)))" : "(\(unsafeRaw: end) - \(unsafeRaw: start))"
        }
        let means = try await sql.raw("""
            SELECT CAST(AVG(CASE WHEN triaged_at IS NOT NULL AND triaged_at >= created_at THEN \(seconds("triaged_at", "created_at")) END) AS DOUBLE PRECISION) AS triage,
                   CAST(AVG(CASE WHEN closed_at IS NOT NULL AND (resolution IS NULL OR resolution = 'resolved') THEN \(seconds("closed_at", "detected_at")) END) AS DOUBLE PRECISION) AS close
            FROM incidents WHERE detected_at >= \(bind: since) AND \(inScope)
            """).first()
        f.meanSecondsToTriage = try means?.decode(column: "triage", as: Double?.self)
        f.meanSecondsToClose = try means?.decode(column: "close", as: Double?.self)
        return f
    }
}
