import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// CONTRACT (issue 6): ingestion calls this inside the transaction that stores the events, so an
/// event is acknowledged only with its alerts written. The alerts feature implements it: run the
/// enabled rules (a compiled engine cached per rule-set version) and group matches into alerts.
///
/// One engine call per event; matches are grouped in memory by rule, agency, system, host (case ignored) and window (tumbling
/// by event time, the rule's grouping window or an hour); then one upsert per alert touched (a new alert, or the open one of
/// that group: new or acknowledged), one insert per 50 kept events (the first ``maxEventsPerAlert`` of an alert are kept with a
/// JSON snapshot; its count keeps growing), one update per rule hit. New high and critical alerts notify the agency's
/// officers and the coordinators in the same transaction. Agency and system are part of the group, so an alert never mixes
/// two agencies' events, whatever their host names.
enum ContinuousDetection {
    static let defaultWindowSeconds = 3600
    static let maxEventsPerAlert = 200
    static let maxSnapshotBytes = 65_536
    /// Events inserted per statement.
    static let insertChunk = 50

    private struct GroupKey: Hashable {
        var ref: Int
        var group: String
        var windowStart: Int64
    }

    private struct Group {
        var agencyId: UUID?
        var systemId: UUID?
        var sourceId: UUID?
        var host: String?
        var count = 0
        var first: Date
        var last: Date
        var kept: [StoredEvent] = []

        init(_ event: StoredEvent, host: String?) {
            agencyId = event.incoming.agencyID
            systemId = event.incoming.systemID
            sourceId = event.incoming.sourceID
            self.host = host
            first = event.incoming.time
            last = event.incoming.time
        }

        mutating func add(_ event: StoredEvent) {
            count += 1
            let time = event.incoming.time
            if time < first { first = time }
            if time > last { last = time }
            if kept.count < ContinuousDetection.maxEventsPerAlert { kept.append(event) }
        }
    }

    /// Runs the enabled rules on freshly stored events and records the alerts. Returns how many events matched.
    @discardableResult
    static func process(_ events: [StoredEvent], app: Application, on db: any Database) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        let compiled = try await app.detectionEngine.compiled(on: db)
        guard let engine = compiled.engine, !compiled.refs.isEmpty else { return 0 }
        let refs = compiled.refs

        var groups: [GroupKey: Group] = [:]
        var matched = 0
        for stored in events {
            let hits = engine.match(stored.incoming.event)
            if hits.isEmpty { continue }
            matched += 1
            let incoming = stored.incoming
            let host = incoming.host ?? incoming.event.host
            let group = (incoming.agencyID?.uuidString.lowercased() ?? "-") + "|" + (incoming.systemID?.uuidString.lowercased() ?? "-") + "|"
                + (host?.lowercased() ?? "")
            let seconds = incoming.time.timeIntervalSince1970
            for index in hits where index < refs.count {
                let window = Int64(max(60, refs[index].windowSeconds))
                let start = Int64((seconds / Double(window)).rounded(.down)) * window
                let key = GroupKey(ref: index, group: group, windowStart: start)
                if groups[key] == nil { groups[key] = Group(stored, host: host) }
                groups[key]!.add(stored)
            }
        }
        guard !groups.isEmpty else { return matched }

        // The same order in every transaction (rule, group, window), so concurrent batches lock rows alike.
        let ordered = groups.sorted { a, b in
            let ra = refs[a.key.ref].id.uuidString, rb = refs[b.key.ref].id.uuidString
            if ra != rb { return ra < rb }
            if a.key.group != b.key.group { return a.key.group < b.key.group }
            return a.key.windowStart < b.key.windowStart
        }
        let sql = db as! any SQLDatabase
        let now = Date()
        var hitsByRule: [UUID: Int] = [:]
        var opened: [(id: UUID, ref: DetectionEngine.RuleRef, group: Group)] = []
        for (key, group) in ordered {
            let ref = refs[key.ref]
            hitsByRule[ref.id, default: 0] += group.count
            let window = Int64(max(60, ref.windowSeconds))
            let windowStart = Date(timeIntervalSince1970: Double(key.windowStart))
            let windowEnd = Date(timeIntervalSince1970: Double(key.windowStart + window))
            let host = group.host.map { String($0.prefix(500)) }
            let row = try await sql.raw("""
                INSERT INTO alerts (id, rule_id, rule_sigma_id, rule_title, level, level_rank, agency_id, system_id, source_id, host, group_key,
                                    window_start, window_end, first_event_at, last_event_at, event_count, status, created_at, updated_at, version)
                VALUES (\(bind: UUID()), \(bind: ref.id), \(bind: ref.sigmaId), \(bind: ref.title), \(bind: ref.level), \(bind: ref.levelRank),
                        \(bind: group.agencyId), \(bind: group.systemId), \(bind: group.sourceId), \(bind: host), \(bind: String(key.group.prefix(600))),
                        \(bind: windowStart), \(bind: windowEnd), \(bind: group.first), \(bind: group.last), \(bind: group.count), 'new',
                        \(bind: now), \(bind: now), 1)
                ON CONFLICT (rule_id, group_key, window_start) WHERE status IN ('new', 'acknowledged')
                DO UPDATE SET event_count = alerts.event_count + excluded.event_count,
                    first_event_at = CASE WHEN excluded.first_event_at < alerts.first_event_at THEN excluded.first_event_at ELSE alerts.first_event_at END,
                    last_event_at = CASE WHEN excluded.last_event_at > alerts.last_event_at THEN excluded.last_event_at ELSE alerts.last_event_at END,
                    host = COALESCE(alerts.host, excluded.host),
                    updated_at = excluded.updated_at
                RETURNING id, event_count
                """).first()
            guard let row else { continue }
            let alertId = try row.decode(column: "id", as: UUID.self)
            let total = try row.decode(column: "event_count", as: Int.self)
            let before = total - group.count
            if before == 0 { opened.append((alertId, ref, group)) }
            // The first events of an alert are kept; later ones only count.
            let keptBefore = min(maxEventsPerAlert, before)
            let room = maxEventsPerAlert - keptBefore
            if room > 0 {
                let keep = Array(group.kept.prefix(room))
                var position = keptBefore
                for chunk in keep.chunked(insertChunk) {
                    let insert = sql.insert(into: "alert_events").columns("id", "alert_id", "position", "event_ref", "event_time", "snapshot")
                    for event in chunk {
                        insert.values(SQLBind(UUID()), SQLBind(alertId), SQLBind(position), SQLBind(event.id.description),
                                      SQLBind(event.incoming.time), SQLBind(snapshot(event.incoming.event)))
                        position += 1
                    }
                    try await insert.run()
                }
            }
        }
        for (ruleId, count) in hitsByRule.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try await sql.raw("""
                UPDATE sigma_rules SET hit_count = hit_count + \(bind: count), last_hit_at = \(bind: now) WHERE id = \(bind: ruleId)
                """).run()
        }
        let notifier = app.notifier
        for alert in opened where alert.ref.levelRank >= DetectionLevel.notifiedFromRank {
            try await notify(alert.id, ref: alert.ref, agencyId: alert.group.agencyId, host: alert.group.host, count: alert.group.count,
                             first: alert.group.first, notifier: notifier, on: db)
        }
        return matched
    }

    /// The agency's officers (and those above it) and the coordinators learn of a new high or critical alert.
    static func notify(_ alertId: UUID, ref: DetectionEngine.RuleRef, agencyId: UUID?, host: String?, count: Int, first: Date,
                       notifier: Notifier, on db: any Database) async throws {
        let level = ref.level.flatMap(DetectionLevel.init(rawValue:)) ?? .high
        try await notifier.publish(NotificationEvent(
            kind: .detectionAlert, agencyId: agencyId, recordKind: "alert", recordId: alertId,
            title: .key("alerts.notify.title.\(level.rawValue)", [ref.title]),
            summary: .key("alerts.notify.summary", [ref.title, host ?? "—", String(count), DisplayTime.dateTime(first)]),
            link: .alerts(.show(.value(alertId))), audience: [.agencyOfficers, .coordinators], readAction: .viewDetection), on: db)
    }

    /// The event as one JSON object; very large events are kept with their long values shortened (and `_truncated`).
    static func snapshot(_ event: FlatEvent) -> String {
        let text = JSONLineEvent.serialize(event)
        if text.utf8.count <= maxSnapshotBytes { return text }
        var reduced = FlatEvent()
        for (key, value) in event.fields { reduced[String(key.prefix(200))] = shortened(value) }
        reduced["_truncated"] = .bool(true)
        let again = JSONLineEvent.serialize(reduced)
        return again.utf8.count <= maxSnapshotBytes ? again : #"{"_truncated":true}"#
    }

    private static func shortened(_ value: EventValue) -> EventValue {
        switch value {
        case .string(let s) where s.count > 1024: return .string(String(s.prefix(1024)) + "…")
        case .array(let items): return .array(items.prefix(20).map(shortened))
        default: return value
        }
    }
}
