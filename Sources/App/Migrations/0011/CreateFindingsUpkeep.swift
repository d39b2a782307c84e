import Foundation
import Fluent
import SQLKit

/// Findings at scale and over time: indexes for the findings list (by severity, by last import) and the scan
/// imports list, and the hourly `findings.expiry` schedule that reopens findings whose accepted risk has ended.
/// Scan imports also keep who performed the scan, so a report waiting for the choice of hosts records it as given.
struct CreateFindingsUpkeep: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // One column per statement: SQLite alters one at a time.
        try await database.schema("scan_imports").field("performer_kind", .string).update()
        try await database.schema("scan_imports").field("performer", .string).update()
        try await sql.create(index: "ix_findings_status_severity").on("findings").column("status").column("severity_rank").run()
        try await sql.create(index: "ix_findings_accepted_until").on("findings").column("status").column("accepted_until").run()
        try await sql.create(index: "ix_scan_imports_agency_created").on("scan_imports").column("agency_id").column("created_at").run()
        try await sql.create(index: "ix_finding_events_import").on("finding_events").column("import_id").run()
        try await sql.insert(into: "job_schedules")
            .columns("id", "kind", "interval_seconds", "daily_at", "next_run_at", "last_run_at", "active")
            .values(SQLBind(UUID()), SQLBind("findings.expiry"), SQLBind(3600), SQLLiteral.null, SQLBind(Date()), SQLLiteral.null, SQLBind(true))
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.delete(from: "job_schedules").where("kind", .equal, "findings.expiry").run()
        for index in ["ix_finding_events_import", "ix_scan_imports_agency_created", "ix_findings_accepted_until", "ix_findings_status_severity"] {
            try await sql.drop(index: index).run()
        }
        try await database.schema("scan_imports").deleteField("performer").update()
        try await database.schema("scan_imports").deleteField("performer_kind").update()
    }
}
