import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// Searching stored events for the events page and `GET /api/v1/events`: batches are pruned by owner and time in the
/// database, then decoded newest first and filtered event by event (host, `field=value`, or text contained in any
/// value). A search decodes at most ``maxScannedEvents`` events (or ``maxScannedBatches`` batches) and says so when it
/// stopped there.
enum EventSearch {
    static let maxScannedEvents = 250_000
    static let maxScannedBatches = 2_000
    static let maxPage = 100

    /// What the caller asked for (before the reader's scope is applied).
    struct Criteria: Sendable, Equatable {
        var from: Date?
        var to: Date?
        var agencyId: UUID?
        var systemId: UUID?
        var sourceId: UUID?
        var host: String?
        var text: String?
        /// Events of unknown sources only (coordinators and responders).
        var unassigned = false
    }

    struct Outcome: Sendable {
        var events: [StoredEvent]
        /// Another page exists.
        var hasMore: Bool
        var scannedEvents: Int
        /// The search stopped at its limit before reaching the oldest events that could match.
        var capped: Bool
    }

    /// The events the subject may read that the criteria name, as a store query; nil when that is nothing.
    static func query(_ criteria: Criteria, subject: Subject, on db: any Database) async throws -> EventQuery? {
        if criteria.unassigned {
            guard Policy.can(subject, .manageEventSources) else { return nil }
            return EventQuery(from: criteria.from, to: criteria.to, agencyIDs: [], includeUnassigned: true)
        }
        var agencies = Policy.readScope(for: subject).agencyIds
        if let agency = criteria.agencyId {
            let subtree = try await AgencyTreeQuery.tree(on: db).subtree(of: agency)
            agencies = agencies.map { $0.intersection(subtree) } ?? subtree
        }
        var systems: Set<UUID>?
        if let system = criteria.systemId {
            systems = try await InformationSystem.visible(system, to: subject, on: db) == nil ? [] : [system]
        }
        return EventQuery(from: criteria.from, to: criteria.to, agencyIDs: agencies, systemIDs: systems,
                          sourceIDs: criteria.sourceId.map { [$0] }, includeUnassigned: false)
    }

    /// One page of matching events, newest first.
    static func run(_ query: EventQuery, criteria: Criteria, offset: Int, limit: Int, store: DatabaseEventStore) async throws -> Outcome {
        let host = criteria.host.map { $0.lowercased() }
        let hostCondition: SQLQueryString? = host.map { "host IS NULL OR LOWER(host) = \(bind: $0)" }
        let filter = DatabaseEventStore.Filter(query, extra: hostCondition)
        let matcher = TextMatcher(criteria.text)
        let want = offset + limit + 1
        var top: [StoredEvent] = []
        var cursor: (maxTime: Date, id: Int64)?
        var scannedEvents = 0
        var scannedBatches = 0
        var capped = false
        func newestFirst(_ a: StoredEvent, _ b: StoredEvent) -> Bool {
            a.incoming.time != b.incoming.time ? a.incoming.time > b.incoming.time : a.id > b.id
        }
        search: while true {
            let (page, last) = try await store.newestBatches(filter, before: cursor, limit: 20)
            guard let last else { break }
            cursor = last
            for batch in page {
                // Batches come by their newest event: once one is older than the page's oldest match, none can enter.
                if top.count >= want, batch.maxTime < top[want - 1].incoming.time { break search }
                for index in batch.events.indices {
                    let event = batch.events[index]
                    guard filter.covers(event.time) else { continue }
                    if let host, event.host?.lowercased() != host { continue }
                    guard matcher.matches(event.event) else { continue }
                    top.append(batch.stored(index))
                }
                scannedEvents += batch.events.count
                scannedBatches += 1
                if top.count >= want {
                    top.sort(by: newestFirst)
                    top.removeLast(top.count - want)
                }
                if scannedEvents >= maxScannedEvents || scannedBatches >= maxScannedBatches {
                    capped = true
                    break search
                }
            }
        }
        top.sort(by: newestFirst)
        let page = offset < top.count ? Array(top[offset..<min(top.count, offset + limit)]) : []
        return Outcome(events: page, hasMore: top.count > offset + limit, scannedEvents: scannedEvents, capped: capped)
    }

    /// `field=value` (the field's value equals it, case ignored; any element of a list) or text contained in any value.
    struct TextMatcher: Sendable {
        enum Mode: Sendable { case all, field(String, String), contains(String) }
        let mode: Mode

        init(_ raw: String?) {
            let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                mode = .all
            } else if let equals = text.firstIndex(of: "="), equals != text.startIndex,
                      !text[..<equals].contains(where: \.isWhitespace) {
                mode = .field(String(text[..<equals]), text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces).lowercased())
            } else {
                mode = .contains(text.lowercased())
            }
        }

        func matches(_ event: FlatEvent) -> Bool {
            switch mode {
            case .all:
                return true
            case .field(let name, let value):
                guard let field = event[name] ?? event.fields.first(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame })?.value else {
                    return false
                }
                return Self.texts(field).contains { $0.lowercased() == value }
            case .contains(let needle):
                return event.fields.values.contains { value in Self.texts(value).contains { $0.lowercased().contains(needle) } }
            }
        }

        static func texts(_ value: EventValue) -> [String] {
            if case .array(let items) = value { return items.flatMap(texts) }
            return value.text.map { [$0] } ?? []
        }
    }

    /// A short line describing an event for lists: channel, event id and provider for Windows events; program and
    /// message for syslog; otherwise the first fields.
    static func summary(_ event: FlatEvent) -> String {
        let text: String
        if event["EventID"] != nil || event["Channel"] != nil {
            text = ["Channel", "EventID", "Provider_Name", "Image", "CommandLine"].compactMap { event[$0]?.text }.filter { !$0.isEmpty }
                .joined(separator: " · ")
        } else if let message = event[EventFields.Syslog.message]?.text {
            text = [event[EventFields.Syslog.appName]?.text, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        } else {
            text = event.fields.keys.sorted().prefix(4).map { "\($0)=\(event[$0]?.text ?? "…")" }.joined(separator: " ")
        }
        return text.count > 240 ? String(text.prefix(240)) + "…" : text
    }
}
