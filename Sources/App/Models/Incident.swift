import Domain
import Fluent
import Foundation

/// An incident case (sự cố): what was reported, and how it is being handled.
final class Incident: Model, @unchecked Sendable {
    static let schema = "incidents"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// Human reference, e.g. `SC-2026-0042`.
    @Field(key: "number") var number: String
    /// The agency that owns (operates) the affected systems and reported the incident.
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "category_rule_version") var categoryRuleVersion: String
    @Field(key: "detected_at") var detectedAt: Date
    @OptionalField(key: "occurred_at") var occurredAt: Date?
    @OptionalField(key: "reporter_id") var reporterId: UUID?
    @Field(key: "reporter_name") var reporterName: String
    @Field(key: "contact_name") var contactName: String
    @OptionalField(key: "contact_title") var contactTitle: String?
    @Field(key: "contact_phone") var contactPhone: String
    @OptionalField(key: "contact_email") var contactEmail: String?
    @Field(key: "services_down") var servicesDown: Bool
    @OptionalField(key: "services_note") var servicesNote: String?
    @OptionalField(key: "data_affected") var dataAffected: String?
    @OptionalField(key: "people_affected") var peopleAffected: Int?
    @Field(key: "personal_data") var personalData: Bool
    @Field(key: "state_secret") var stateSecret: Bool
    @Field(key: "beyond_capability") var beyondCapability: Bool
    @OptionalField(key: "actions_taken") var actionsTaken: String?
    @OptionalField(key: "support_requested") var supportRequested: String?
    /// Decision 05 impact flags, comma-separated raw values.
    @Field(key: "impact_flags") var impactFlagsRaw: String
    @Field(key: "tlp") var tlpRaw: String
    @OptionalField(key: "severity") var severityRaw: String?
    @Field(key: "serious_suggested") var seriousSuggested: Bool
    /// nil until a coordinator confirms or rejects the suggestion.
    @OptionalField(key: "serious_confirmed") var seriousConfirmed: Bool?
    @OptionalField(key: "serious_confirmed_at") var seriousConfirmedAt: Date?
    @OptionalField(key: "serious_confirmed_by") var seriousConfirmedBy: UUID?
    @Field(key: "phase") var phaseRaw: String
    @OptionalField(key: "resolution") var resolutionRaw: String?
    @OptionalField(key: "merged_into_id") var mergedIntoId: UUID?
    @OptionalField(key: "triaged_at") var triagedAt: Date?
    @OptionalField(key: "response_completed_at") var responseCompletedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "close_override_reason") var closeOverrideReason: String?
    @Field(key: "police_shared") var policeShared: Bool
    @Field(key: "search_text") var searchText: String
    /// Optimistic lock: every change of the case row increments it.
    @Field(key: "version") var version: Int

    init() {}
}

final class IncidentSystem: Model, @unchecked Sendable {
    static let schema = "incident_systems"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @Field(key: "system_id") var systemId: UUID
    init() {}
    init(incidentId: UUID, systemId: UUID) { self.incidentId = incidentId; self.systemId = systemId }
}

final class IncidentAssignee: Model, @unchecked Sendable {
    static let schema = "incident_assignees"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @Field(key: "user_id") var userId: UUID
    @Field(key: "assigned_at") var assignedAt: Date
    init() {}
}

/// One entry of a case's timeline. The database refuses updates and deletes.
final class TimelineEntry: Model, @unchecked Sendable {
    static let schema = "incident_timeline"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorId: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "kind") var kind: String
    @Field(key: "body") var body: String
    @Field(key: "tlp") var tlpRaw: String
    /// For TLP:RED, the people it may reach (comma-separated user ids).
    @Field(key: "named_user_ids") var namedUserIdsRaw: String
    @Field(key: "search_text") var searchText: String
    init() {}
}

final class IncidentObservable: Model, @unchecked Sendable {
    static let schema = "incident_observables"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @Field(key: "type") var type: String
    @Field(key: "value") var value: String
    @Field(key: "tlp") var tlpRaw: String
    @Field(key: "named_user_ids") var namedUserIdsRaw: String
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "is_ioc") var isIOC: Bool
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class IncidentEvidence: Model, @unchecked Sendable {
    static let schema = "incident_evidence"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @Field(key: "file_id") var fileId: UUID
    @OptionalField(key: "description") var description: String?
    @Field(key: "tlp") var tlpRaw: String
    @Field(key: "named_user_ids") var namedUserIdsRaw: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// Who touched a piece of evidence, and how. Append-only.
final class CustodyEntry: Model, @unchecked Sendable {
    static let schema = "evidence_custody"
    @ID(key: .id) var id: UUID?
    @Field(key: "evidence_id") var evidenceId: UUID
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorId: UUID?
    @Field(key: "actor_label") var actorLabel: String
    /// uploaded, viewed, downloaded.
    @Field(key: "action") var action: String
    @OptionalField(key: "client_address") var clientAddress: String?
    init() {}
}

/// A report of a legal clock that was sent: which, when, to whom, how.
final class IncidentReportRecord: Model, @unchecked Sendable {
    static let schema = "incident_reports"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "sent_at") var sentAt: Date
    @Field(key: "recipients") var recipients: String
    @Field(key: "channel") var channel: String
    @OptionalField(key: "document_number") var documentNumber: String?
    @OptionalField(key: "file_id") var fileId: UUID?
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Field(key: "recorded_by_name") var recordedByName: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class IncidentShare: Model, @unchecked Sendable {
    static let schema = "incident_shares"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentId: UUID
    @OptionalField(key: "shared_by") var sharedBy: UUID?
    @Field(key: "shared_at") var sharedAt: Date
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "revoked_by") var revokedBy: UUID?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    init() {}
}

/// What a user typed into the report form, kept until it is submitted.
final class IncidentDraft: Model, @unchecked Sendable {
    static let schema = "incident_drafts"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userId: UUID
    @Field(key: "form_json") var formJSON: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

extension Incident {
    /// Comma-separated UUIDs, as stored for TLP:RED recipients.
    static func ids(_ raw: String) -> Set<UUID> { Set(raw.split(separator: ",").compactMap { UUID(uuidString: String($0)) }) }
    static func raw(_ ids: Set<UUID>) -> String { ids.map(\.uuidString).sorted().joined(separator: ",") }
}
