import Domain
import Fluent
import Foundation

/// A threat hunt (săn lùng mối nguy hại) over the stored events: Sigma rules and/or indicator lists over a time range
/// and a scope, run as the background job `hunts.run`. A completed hunt is recorded as a threat-hunting assessment of
/// every system in its scope (Directive 18/CT-TTg: at least once every 6 months).
final class Hunt: Model, @unchecked Sendable {
    static let schema = "hunts"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "purpose") var purpose: String?
    /// "running" (queued or scanning), "completed", "cancelled", "failed".
    @Field(key: "state") var state: String
    /// How the rules were chosen: "none", "selection", "tag", "level", "all".
    @Field(key: "rule_mode") var ruleMode: String
    @OptionalField(key: "rule_tag") var ruleTag: String?
    @OptionalField(key: "rule_level") var ruleLevel: String?
    @Field(key: "include_disabled") var includeDisabled: Bool
    /// JSON array of ``HuntRuleRef``: the rules the hunt applies, fixed when it starts.
    @Field(key: "rules") var rules: String
    @Field(key: "rules_count") var rulesCount: Int
    /// Chosen rules left out because UngCuu cannot apply them (their reasons are on the rules page).
    @Field(key: "rules_unsupported") var rulesUnsupported: Int
    /// JSON array of `Indicator` (kind, value).
    @Field(key: "indicators") var indicators: String
    @Field(key: "indicators_count") var indicatorsCount: Int
    @Field(key: "from_at") var fromAt: Date
    @Field(key: "to_at") var toAt: Date
    /// No agency, system or source chosen: everything the starter may see.
    @Field(key: "scope_all") var scopeAll: Bool
    /// JSON arrays of ids as chosen (agencies are expanded to their subtrees when the hunt runs).
    @Field(key: "scope_agencies") var scopeAgencies: String
    @Field(key: "scope_systems") var scopeSystems: String
    @Field(key: "scope_sources") var scopeSources: String
    /// Events of unknown sources are covered (only when the scope is everything and the starter may see them).
    @Field(key: "include_unassigned") var includeUnassigned: Bool
    /// Estimated while running (the store's figure), exact once completed.
    @Field(key: "events_total") var eventsTotal: Int64
    /// Events the rules and indicators were applied to.
    @Field(key: "events_scanned") var eventsScanned: Int64
    /// 0–100, from the store's progress through its batches.
    @Field(key: "progress") var progress: Int
    @Field(key: "hits_total") var hitsTotal: Int64
    @Field(key: "hits_stored") var hitsStored: Int64
    @OptionalField(key: "job_id") var jobId: UUID?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_by_name") var createdByName: String
    /// The starter's agency (the assessments' performer); nil for people without one.
    @OptionalField(key: "created_by_agency") var createdByAgency: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var isRunning: Bool { state == HuntState.running.rawValue }

    var auditSnapshot: [String: String?] {
        ["name": name, "state": state, "ruleMode": ruleMode, "ruleTag": ruleTag, "ruleLevel": ruleLevel, "rules": String(rulesCount),
         "indicators": String(indicatorsCount), "from": DisplayTime.isoDay(fromAt), "to": DisplayTime.isoDay(toAt),
         "scopeAll": scopeAll ? "true" : "false"]
    }
}

enum HuntState: String, Codable, Sendable, CaseIterable {
    case running, completed, cancelled, failed
}

/// One rule a hunt applies, as it was when the hunt started.
struct HuntRuleRef: Codable, Sendable, Hashable {
    /// The `sigma_rules` row.
    var id: UUID
    /// The rule's own id (Sigma `id`).
    var ruleId: String
    var title: String
    var level: String?
}

/// One event that matched a rule or an indicator. At most ``HuntRunner/maxStoredHits`` are kept per hunt (all are
/// counted in ``HuntCount``).
final class HuntHit: Model, @unchecked Sendable {
    static let schema = "hunt_hits"

    @ID(key: .id) var id: UUID?
    @Field(key: "hunt_id") var huntId: UUID
    /// "rule" or "indicator".
    @Field(key: "kind") var kind: String
    /// What the hits are grouped by: `rule:<rule id>` or `ioc:<kind>:<value>`.
    @Field(key: "group_key") var groupKey: String
    @OptionalField(key: "rule_id") var ruleId: String?
    @OptionalField(key: "rule_title") var ruleTitle: String?
    @OptionalField(key: "level") var level: String?
    @OptionalField(key: "indicator_kind") var indicatorKind: String?
    @OptionalField(key: "indicator_value") var indicatorValue: String?
    /// The event field an indicator was found in.
    @OptionalField(key: "field") var field: String?
    /// `StoredEventID` text (`batch-index`).
    @Field(key: "event_id") var eventId: String
    @Field(key: "event_time") var eventTime: Date
    @OptionalField(key: "host") var host: String?
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @OptionalField(key: "system_id") var systemId: UUID?
    @OptionalField(key: "source_id") var sourceId: UUID?
    /// The event as one JSON object (keys sorted), as it was when the hunt saw it.
    @Field(key: "snapshot") var snapshot: String
    @Field(key: "seq") var seq: Int64

    init() {}
}

/// How many events matched one rule or indicator in one agency and system (all of them, beyond the stored hits).
final class HuntCount: Model, @unchecked Sendable {
    static let schema = "hunt_counts"

    @ID(key: .id) var id: UUID?
    @Field(key: "hunt_id") var huntId: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "group_key") var groupKey: String
    /// The rule's title or the indicator's value.
    @Field(key: "label") var label: String
    @OptionalField(key: "rule_id") var ruleId: String?
    @OptionalField(key: "level") var level: String?
    @OptionalField(key: "indicator_kind") var indicatorKind: String?
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @OptionalField(key: "system_id") var systemId: UUID?
    @Field(key: "hits") var hits: Int64

    init() {}
}

/// The agencies a hunt touches (its scope, and the agencies of its hits): who besides the province's roles may read it.
final class HuntAgency: Model, @unchecked Sendable {
    static let schema = "hunt_agencies"

    @ID(key: .id) var id: UUID?
    @Field(key: "hunt_id") var huntId: UUID
    @Field(key: "agency_id") var agencyId: UUID

    init() {}
    init(huntId: UUID, agencyId: UUID) {
        self.huntId = huntId
        self.agencyId = agencyId
    }
}

/// The threat-hunting assessment a completed hunt recorded for one system.
final class HuntAssessment: Model, @unchecked Sendable {
    static let schema = "hunt_assessments"

    @ID(key: .id) var id: UUID?
    @Field(key: "hunt_id") var huntId: UUID
    @Field(key: "system_id") var systemId: UUID
    @Field(key: "assessment_id") var assessmentId: UUID

    init() {}
    init(huntId: UUID, systemId: UUID, assessmentId: UUID) {
        self.huntId = huntId
        self.systemId = systemId
        self.assessmentId = assessmentId
    }
}
