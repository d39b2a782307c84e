import Domain
import Fluent
import Foundation

/// A Sigma rule in the platform (luật phát hiện): imported from YAML, province-wide (not agency-owned), enabled or not.
/// The YAML is kept exactly; the engine (``DetectionEngine``) compiles the enabled, supported rules.
final class DetectionRule: Model, @unchecked Sendable {
    static let schema = "sigma_rules"

    @ID(key: .id) var id: UUID?
    /// The Sigma `id` (unique): a new import of the same id replaces the rule.
    @Field(key: "rule_id") var ruleId: String
    @Field(key: "title") var title: String
    /// informational, low, medium, high, critical (nil when the rule names none).
    @OptionalField(key: "level") var level: String?
    /// ``DetectionLevel/rank(_:)``: for sorting and the "at least high" notifications.
    @Field(key: "level_rank") var levelRank: Int
    /// stable, test, experimental, deprecated, unsupported (Sigma's own status of the rule).
    @OptionalField(key: "status") var status: String?
    @OptionalField(key: "description") var details: String?
    @OptionalField(key: "author") var author: String?
    /// Tags separated by single spaces, with a space before the first and after the last (` attack.t1059 attack.execution `),
    /// so that `LIKE '% tag %'` finds one exactly.
    @Field(key: "tags") var tagsRaw: String
    @OptionalField(key: "product") var product: String?
    @OptionalField(key: "service") var service: String?
    @OptionalField(key: "category") var category: String?
    @Field(key: "yaml") var yaml: String
    /// Where it came from: the path inside the imported folder or zip.
    @Field(key: "origin") var origin: String
    @Field(key: "enabled") var enabled: Bool
    /// Why UngCuu cannot apply the rule; such a rule never runs.
    @OptionalField(key: "unsupported_reason") var unsupportedReason: String?
    /// Alerts of this rule group events of one host within windows of this many seconds (nil: the default hour).
    @OptionalField(key: "group_window_seconds") var groupWindowSeconds: Int?
    @Field(key: "imported_at") var importedAt: Date
    @OptionalField(key: "imported_by") var importedBy: UUID?
    @Field(key: "imported_by_name") var importedByName: String
    @OptionalField(key: "last_hit_at") var lastHitAt: Date?
    @Field(key: "hit_count") var hitCount: Int64
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "version") var version: Int

    init() {}

    var tags: [String] { tagsRaw.split(separator: " ").map(String.init) }
    var isSupported: Bool { unsupportedReason == nil }
    /// Whether continuous detection applies the rule.
    var isActive: Bool { enabled && isSupported }

    static func rawTags(_ tags: [String]) -> String {
        let cleaned = tags.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_") }.filter { !$0.isEmpty }
        return cleaned.isEmpty ? "" : " " + cleaned.joined(separator: " ") + " "
    }
}

/// Sigma levels in order.
enum DetectionLevel: String, CaseIterable, Sendable {
    case informational, low, medium, high, critical

    static func rank(_ raw: String?) -> Int {
        guard let raw, let level = DetectionLevel(rawValue: raw.lowercased()) else { return 0 }
        return DetectionLevel.allCases.firstIndex(of: level)!
    }

    /// High and critical alerts are notified to the agency's officers and the coordinators.
    static let notifiedFromRank = DetectionLevel.allCases.firstIndex(of: .high)!
}

/// An alert (cảnh báo phát hiện): the events of one host that matched one rule within one window.
final class DetectionAlert: Model, @unchecked Sendable {
    static let schema = "alerts"

    @ID(key: .id) var id: UUID?
    @Field(key: "rule_id") var ruleId: UUID
    /// Copied from the rule when the alert opened (a later version of the rule may change them).
    @Field(key: "rule_sigma_id") var ruleSigmaId: String
    @Field(key: "rule_title") var ruleTitle: String
    @OptionalField(key: "level") var level: String?
    @Field(key: "level_rank") var levelRank: Int
    /// From the events' registered source; nil for events of unknown sources (coordinators and responders only).
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @OptionalField(key: "system_id") var systemId: UUID?
    @OptionalField(key: "source_id") var sourceId: UUID?
    /// The host as the first event named it (nil when the events name none).
    @OptionalField(key: "host") var host: String?
    /// agency|system|lower-cased host: with the rule and the window, what one open alert groups.
    @Field(key: "group_key") var groupKey: String
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "window_end") var windowEnd: Date
    @Field(key: "first_event_at") var firstEventAt: Date
    @Field(key: "last_event_at") var lastEventAt: Date
    @Field(key: "event_count") var eventCount: Int
    /// new, acknowledged, false_positive, promoted.
    @Field(key: "status") var status: String
    @OptionalField(key: "false_positive_reason") var falsePositiveReason: String?
    @OptionalField(key: "incident_id") var incidentId: UUID?
    @OptionalField(key: "triaged_at") var triagedAt: Date?
    @OptionalField(key: "triaged_by_name") var triagedByName: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// Changes with every triage step (not with new events): the optimistic lock of triage.
    @Field(key: "version") var version: Int

    init() {}

    var statusValue: AlertStatus { AlertStatus(rawValue: status) ?? .new }
}

enum AlertStatus: String, CaseIterable, Codable, Sendable {
    case new, acknowledged
    case falsePositive = "false_positive"
    case promoted

    /// Still to be triaged: new events join it.
    var isOpen: Bool { self == .new || self == .acknowledged }
    static let open: [AlertStatus] = [.new, .acknowledged]
}

/// One matching event kept with an alert (the first ``ContinuousDetection/maxEventsPerAlert``): where it is stored and a JSON snapshot.
final class AlertEvent: Model, @unchecked Sendable {
    static let schema = "alert_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "alert_id") var alertId: UUID
    @Field(key: "position") var position: Int
    /// `StoredEventID` description (`batch-index`).
    @Field(key: "event_ref") var eventRef: String
    @Field(key: "event_time") var eventTime: Date
    /// `JSONLineEvent.serialize` of the event.
    @Field(key: "snapshot") var snapshot: String

    init() {}
}

/// One triage step of an alert.
final class AlertHistoryEntry: Model, @unchecked Sendable {
    static let schema = "alert_history"

    @ID(key: .id) var id: UUID?
    @Field(key: "alert_id") var alertId: UUID
    @Field(key: "at") var at: Date
    /// acknowledge, false_positive, promote.
    @Field(key: "action") var action: String
    @Field(key: "from_status") var fromStatus: String
    @Field(key: "to_status") var toStatus: String
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "incident_id") var incidentId: UUID?
    @OptionalField(key: "actor_id") var actorId: UUID?
    @Field(key: "actor_name") var actorName: String

    init() {}
}
