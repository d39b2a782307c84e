import Foundation
import Detection
import Fluent
import SQLKit
import Vapor

/// The one path every channel takes (HTTP, uploaded files, syslog): parsed events are appended to the store in
/// batches and handed to continuous detection inside one transaction; the channel acknowledges only after that
/// transaction has committed, so an acknowledged event survives a crash, and its alerts with it.
enum EventIngestor {
    /// Events per `ContinuousDetection.process` call and at most per stored batch.
    static let chunkSize = DatabaseEventStore.maxBatchEvents

    /// Stores the events inside the caller's transaction and runs continuous detection on them. `senders`, when given,
    /// is parallel to `events`: the network address each came from (kept with events of unknown sources).
    @discardableResult
    static func store(_ events: [IncomingEvent], senders: [String?]? = nil, app: Application, on db: any Database) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        let store = DatabaseEventStore(on: db, logger: app.logger)
        var start = 0
        while start < events.count {
            let end = min(start + chunkSize, events.count)
            let stored = try await store.appendStored(Array(events[start..<end]), senders: senders.map { Array($0[start..<end]) })
            try await ContinuousDetection.process(stored, app: app, on: db)
            start = end
        }
        let sources = Set(events.compactMap(\.sourceID))
        if !sources.isEmpty {
            try await (db as! any SQLDatabase).update(EventSource.schema).set("last_event_at", to: Date())
                .where("id", .in, Array(sources)).run()
        }
        return events.count
    }

    /// Stores the events in a transaction of their own (through the write gate on SQLite): durable when this returns.
    @discardableResult
    static func commit(_ events: [IncomingEvent], senders: [String?]? = nil, app: Application) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await app.write { db in try await store(events, senders: senders, app: app, on: db) }
    }

    /// The owner of events arriving through one channel.
    struct Owner: Sendable, Hashable {
        var agencyId: UUID?
        var systemId: UUID?
        var sourceId: UUID?
    }

    /// An event as the store receives it: its own time when it has one that parses, else the time it arrived.
    static func incoming(_ event: FlatEvent, owner: Owner, receivedAt: Date, time: Date? = nil, host: String? = nil) -> IncomingEvent {
        IncomingEvent(time: time ?? event.time ?? receivedAt, receivedAt: receivedAt, agencyID: owner.agencyId, systemID: owner.systemId,
                      sourceID: owner.sourceId, host: host ?? event.host, event: event)
    }
}

extension DatabaseEventStore {
    /// ``appendStored(_:sender:)`` with one sender per event.
    func appendStored(_ events: [IncomingEvent], senders: [String?]?) async throws -> [StoredEvent] {
        guard let senders else { return try await appendStored(events, sender: nil) }
        // Events of registered sources never need their sender; unknown ones are kept apart per sender.
        var bySender: [String?: [Int]] = [:]
        var order: [String?] = []
        for (position, event) in events.enumerated() {
            let key: String? = event.agencyID == nil ? senders[position] : nil
            if bySender[key] == nil { order.append(key) }
            bySender[key, default: []].append(position)
        }
        if order.count == 1 { return try await appendStored(events, sender: order[0]) }
        var result = [StoredEvent?](repeating: nil, count: events.count)
        for key in order {
            let positions = bySender[key]!
            let stored = try await appendStored(positions.map { events[$0] }, sender: key)
            for (position, event) in zip(positions, stored) { result[position] = event }
        }
        return result.map { $0! }
    }
}
