import Domain
import Fluent
import Foundation

/// A vulnerability scan (rà quét lỗ hổng) or threat hunt (săn lùng mối nguy hại) of one system.
/// A completed one satisfies the system's 6-monthly duty.
final class ProactiveAssessment: Model, @unchecked Sendable {
    static let schema = "proactive_assessments"

    @ID(key: .id) var id: UUID?
    @Field(key: "system_id") var systemId: UUID
    @Field(key: "agency_id") var agencyId: UUID
    /// "vuln_scan" or "threat_hunt".
    @Field(key: "kind") var kind: String
    /// "running", "completed", "failed", "cancelled".
    @Field(key: "state") var state: String
    /// "in_house", "outsourced", "authority".
    @Field(key: "performer_kind") var performerKind: String
    @Field(key: "performer") var performer: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "tool") var tool: String?
    @OptionalField(key: "scope") var scope: String?
    @OptionalField(key: "method") var method: String?
    @OptionalField(key: "summary") var summary: String?
    /// "manual", "import", "nmap", "hunt".
    @Field(key: "source") var source: String
    @Field(key: "findings_count") var findingsCount: Int
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_by_name") var createdByName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}
}

/// One scanner report imported into a system (uploaded, or produced by the built-in nmap scan).
final class ScanImport: Model, @unchecked Sendable {
    static let schema = "scan_imports"

    @ID(key: .id) var id: UUID?
    @Field(key: "system_id") var systemId: UUID
    @Field(key: "agency_id") var agencyId: UUID
    @OptionalField(key: "assessment_id") var assessmentId: UUID?
    /// A `ScannerFormat` raw value once known.
    @OptionalField(key: "format") var format: String?
    /// "awaiting_confirmation", "running", "imported", "failed", "cancelled".
    @Field(key: "state") var state: String
    @OptionalField(key: "file_id") var fileId: UUID?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "scanner_name") var scannerName: String?
    @OptionalField(key: "scanner_version") var scannerVersion: String?
    @OptionalField(key: "report_started_at") var reportStartedAt: Date?
    @OptionalField(key: "report_finished_at") var reportFinishedAt: Date?
    /// JSON array of the report's hosts and whether each is among the system's declared addresses.
    @OptionalField(key: "hosts") var hosts: String?
    /// JSON array of the hosts the user chose to keep (nil: all of them were in scope).
    @OptionalField(key: "kept_hosts") var keptHosts: String?
    /// Built-in scan: the declared targets it scanned, one per line.
    @OptionalField(key: "targets") var targets: String?
    @OptionalField(key: "job_id") var jobId: UUID?
    /// Who performed the scan, as given with the upload (migration 0011): "in_house", "outsourced", "authority".
    @OptionalField(key: "performer_kind") var performerKind: String?
    @OptionalField(key: "performer") var performer: String?
    @Field(key: "findings_total") var findingsTotal: Int
    @Field(key: "findings_new") var findingsNew: Int
    @Field(key: "findings_reopened") var findingsReopened: Int
    @Field(key: "findings_closed") var findingsClosed: Int
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_by_name") var createdByName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A vulnerability or weakness of a system, deduplicated across imports by its fingerprint.
final class Finding: Model, @unchecked Sendable {
    static let schema = "findings"

    @ID(key: .id) var id: UUID?
    @Field(key: "system_id") var systemId: UUID
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "fingerprint") var fingerprint: String
    /// "scan", "hunt", "warning", "manual".
    @Field(key: "source") var source: String
    @OptionalField(key: "scanner") var scanner: String?
    @OptionalField(key: "scanner_ref") var scannerRef: String?
    @Field(key: "title") var title: String
    @Field(key: "severity") var severity: FindingSeverity
    /// 0 info … 4 critical, for ordering and filtering in SQL.
    @Field(key: "severity_rank") var severityRank: Int
    @OptionalField(key: "cvss_score") var cvssScore: Double?
    @OptionalField(key: "cvss_vector") var cvssVector: String?
    /// Space-separated CVE ids (the `finding_cves` table is what filters use).
    @OptionalField(key: "cves") var cves: String?
    @OptionalField(key: "cwes") var cwes: String?
    @OptionalField(key: "host") var host: String?
    @OptionalField(key: "hostname") var hostname: String?
    @OptionalField(key: "port") var port: Int?
    @OptionalField(key: "proto") var proto: String?
    @OptionalField(key: "service") var service: String?
    @OptionalField(key: "product") var product: String?
    @OptionalField(key: "product_version") var productVersion: String?
    @OptionalField(key: "cpe") var cpe: String?
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "description") var details: String?
    @OptionalField(key: "evidence") var evidence: String?
    @OptionalField(key: "solution") var solution: String?
    /// Newline-separated reference URLs.
    @OptionalField(key: "refs") var refs: String?
    /// open, in_progress, fixed, verified, accepted_risk, false_positive.
    @Field(key: "status") var status: String
    @OptionalField(key: "resolution") var resolution: String?
    @Field(key: "first_seen_at") var firstSeenAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    /// Remediation deadline by severity (rule data); nil for informational findings.
    @OptionalField(key: "due_at") var dueAt: Date?
    @Field(key: "status_changed_at") var statusChangedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "accepted_by_name") var acceptedByName: String?
    @OptionalField(key: "accepted_reason") var acceptedReason: String?
    @OptionalField(key: "accepted_until") var acceptedUntil: Date?
    @OptionalField(key: "false_positive_reason") var falsePositiveReason: String?
    @OptionalField(key: "last_import_id") var lastImportId: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}
}

/// The history of a finding: seen by an import, reopened, status changes (with who and why).
final class FindingEvent: Model, @unchecked Sendable {
    static let schema = "finding_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "finding_id") var findingId: UUID
    @Field(key: "at") var at: Date
    /// created, seen, reopened, status, closed_by_rescan, expired.
    @Field(key: "action") var action: String
    @OptionalField(key: "from_status") var fromStatus: String?
    @OptionalField(key: "to_status") var toStatus: String?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "import_id") var importId: UUID?
    @OptionalField(key: "actor_id") var actorId: UUID?
    @Field(key: "actor_name") var actorName: String

    init() {}
}

/// A warning (cảnh báo) of a competent authority naming vulnerabilities and affected products.
final class AuthorityWarning: Model, @unchecked Sendable {
    static let schema = "authority_warnings"

    @ID(key: .id) var id: UUID?
    @Field(key: "issuer") var issuer: String
    @OptionalField(key: "number") var number: String?
    @Field(key: "issued_on") var issuedOn: Date
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var details: String?
    /// Space-separated CVE ids.
    @OptionalField(key: "cves") var cves: String?
    @OptionalField(key: "severity") var severity: String?
    @OptionalField(key: "cvss_score") var cvssScore: Double?
    @OptionalField(key: "required_action") var requiredAction: String?
    @OptionalField(key: "deadline") var deadline: Date?
    @OptionalField(key: "refs") var refs: String?
    /// JSON: the affected products and CPE criteria the matcher reads.
    @Field(key: "products") var products: String
    /// manual, csaf, nvd.
    @Field(key: "origin") var origin: String
    @OptionalField(key: "origin_id") var originId: String?
    @OptionalField(key: "matched_at") var matchedAt: Date?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_by_name") var createdByName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}
}

/// A system a warning affects, why, and what its agency did about it.
final class WarningSystem: Model, @unchecked Sendable {
    static let schema = "warning_systems"

    @ID(key: .id) var id: UUID?
    @Field(key: "warning_id") var warningId: UUID
    @Field(key: "system_id") var systemId: UUID
    @Field(key: "agency_id") var agencyId: UUID
    /// matched (by the engine) or manual (added by a coordinator).
    @Field(key: "origin") var origin: String
    /// JSON array of the match reasons.
    @Field(key: "reasons") var reasons: String
    /// affected, acknowledged, remediated, not_affected.
    @Field(key: "state") var state: String
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @OptionalField(key: "acknowledged_by_name") var acknowledgedByName: String?
    @OptionalField(key: "remediated_at") var remediatedAt: Date?
    @OptionalField(key: "remediated_by_name") var remediatedByName: String?
    @OptionalField(key: "remediation_note") var remediationNote: String?
    @OptionalField(key: "not_affected_reason") var notAffectedReason: String?
    @Field(key: "matched_at") var matchedAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}
}
