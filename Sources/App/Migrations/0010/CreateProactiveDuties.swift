import Foundation
import Fluent
import SQLKit

/// Proactive duties (Directive 18/CT-TTg): vulnerability scans and threat hunts per system, imported
/// scanner reports, normalised findings with their history, authority warnings, the systems each warning
/// affects and the agencies' acknowledgement and remediation.
struct CreateProactiveDuties: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("proactive_assessments")
            .id()
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .restrict))
            .field("kind", .string, .required)                // vuln_scan | threat_hunt
            .field("state", .string, .required)               // running | completed | failed | cancelled
            .field("performer_kind", .string, .required)      // in_house | outsourced | authority
            .field("performer", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("tool", .string)
            .field("scope", .string)
            .field("method", .string)
            .field("summary", .string)
            .field("source", .string, .required)              // manual | import | nmap | hunt
            .field("findings_count", .int, .required)
            .field("created_by", .uuid)
            .field("created_by_name", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("version", .int, .required)
            .create()
        try await sql.create(index: "ix_proactive_assessments_system").on("proactive_assessments").column("system_id").column("kind").column("state").run()
        try await sql.create(index: "ix_proactive_assessments_agency").on("proactive_assessments").column("agency_id").run()

        try await database.schema("scan_imports")
            .id()
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .restrict))
            .field("assessment_id", .uuid, .references("proactive_assessments", "id", onDelete: .setNull))
            .field("format", .string)
            .field("state", .string, .required)               // awaiting_confirmation | running | imported | failed | cancelled
            .field("file_id", .uuid)                          // stored_files row of the report
            .field("file_name", .string)
            .field("scanner_name", .string)
            .field("scanner_version", .string)
            .field("report_started_at", .datetime)
            .field("report_finished_at", .datetime)
            .field("hosts", .string)                          // JSON: hosts of the report with in/out of scope
            .field("kept_hosts", .string)                     // JSON: hosts the user chose to keep
            .field("targets", .string)                        // built-in scan: the declared targets scanned
            .field("job_id", .uuid)
            .field("findings_total", .int, .required)
            .field("findings_new", .int, .required)
            .field("findings_reopened", .int, .required)
            .field("findings_closed", .int, .required)
            .field("error", .string)
            .field("created_by", .uuid)
            .field("created_by_name", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await sql.create(index: "ix_scan_imports_system").on("scan_imports").column("system_id").run()

        try await database.schema("findings")
            .id()
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .restrict))
            .field("fingerprint", .string, .required)
            .field("source", .string, .required)              // scan | hunt | warning | manual
            .field("scanner", .string)                        // ScannerFormat raw value
            .field("scanner_ref", .string)                    // the scanner's own check id
            .field("title", .string, .required)
            .field("severity", .string, .required)
            .field("severity_rank", .int, .required)
            .field("cvss_score", .double)
            .field("cvss_vector", .string)
            .field("cves", .string)                           // space-separated, for display
            .field("cwes", .string)
            .field("host", .string)
            .field("hostname", .string)
            .field("port", .int)
            .field("proto", .string)
            .field("service", .string)
            .field("product", .string)
            .field("product_version", .string)
            .field("cpe", .string)
            .field("location", .string)
            .field("description", .string)
            .field("evidence", .string)
            .field("solution", .string)
            .field("refs", .string)                           // newline-separated URLs
            .field("status", .string, .required)
            .field("resolution", .string)
            .field("first_seen_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("due_at", .datetime)
            .field("status_changed_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("accepted_by_name", .string)
            .field("accepted_reason", .string)
            .field("accepted_until", .datetime)
            .field("false_positive_reason", .string)
            .field("last_import_id", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("version", .int, .required)
            .unique(on: "system_id", "fingerprint", name: "uq_findings_system_fingerprint")
            .create()
        try await sql.create(index: "ix_findings_agency_status").on("findings").column("agency_id").column("status").run()
        try await sql.create(index: "ix_findings_system_status").on("findings").column("system_id").column("status").run()
        try await sql.create(index: "ix_findings_status_due").on("findings").column("status").column("due_at").run()

        try await database.schema("finding_cves")
            .field("finding_id", .uuid, .required, .references("findings", "id", onDelete: .cascade))
            .field("cve", .string, .required)
            .unique(on: "finding_id", "cve", name: "uq_finding_cves")
            .create()
        try await sql.create(index: "ix_finding_cves_cve").on("finding_cves").column("cve").run()

        try await database.schema("finding_events")
            .id()
            .field("finding_id", .uuid, .required, .references("findings", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("action", .string, .required)              // created | seen | reopened | status | closed_by_rescan | expired
            .field("from_status", .string)
            .field("to_status", .string)
            .field("note", .string)
            .field("import_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .create()
        try await sql.create(index: "ix_finding_events_finding").on("finding_events").column("finding_id").column("at").run()

        try await database.schema("authority_warnings")
            .id()
            .field("issuer", .string, .required)              // the competent authority, as written on the warning
            .field("number", .string)
            .field("issued_on", .datetime, .required)
            .field("title", .string, .required)
            .field("description", .string)
            .field("cves", .string)                           // space-separated
            .field("severity", .string)
            .field("cvss_score", .double)
            .field("required_action", .string)
            .field("deadline", .datetime)
            .field("refs", .string)
            .field("products", .string, .required)            // JSON: affected products and CPE criteria
            .field("origin", .string, .required)              // manual | csaf | nvd
            .field("origin_id", .string)
            .field("matched_at", .datetime)
            .field("created_by", .uuid)
            .field("created_by_name", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("version", .int, .required)
            .create()
        try await sql.create(index: "ix_authority_warnings_issued").on("authority_warnings").column("issued_on").run()

        try await database.schema("warning_systems")
            .id()
            .field("warning_id", .uuid, .required, .references("authority_warnings", "id", onDelete: .cascade))
            .field("system_id", .uuid, .required, .references("information_systems", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .restrict))
            .field("origin", .string, .required)              // matched | manual
            .field("reasons", .string, .required)             // JSON: why the system is affected
            .field("state", .string, .required)               // affected | acknowledged | remediated | not_affected
            .field("acknowledged_at", .datetime)
            .field("acknowledged_by_name", .string)
            .field("remediated_at", .datetime)
            .field("remediated_by_name", .string)
            .field("remediation_note", .string)
            .field("not_affected_reason", .string)
            .field("matched_at", .datetime, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("version", .int, .required)
            .unique(on: "warning_id", "system_id", name: "uq_warning_systems")
            .create()
        try await sql.create(index: "ix_warning_systems_agency").on("warning_systems").column("agency_id").column("state").run()
        try await sql.create(index: "ix_warning_systems_system").on("warning_systems").column("system_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["warning_systems", "authority_warnings", "finding_events", "finding_cves", "findings", "scan_imports", "proactive_assessments"] {
            try await database.schema(table).delete()
        }
    }
}
