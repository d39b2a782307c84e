import Foundation
import Detection
import Fluent
import SQLKit
import Vapor

/// The embedded event store: `event_batches` rows in the application database, each holding up to
/// ``maxBatchEvents`` events as one `EventBatchCodec` blob, with the columns every read prunes by (owner, time,
/// reception). Built on a `Database`, so an append joins the caller's transaction and is durable when that
/// transaction commits (the caller acknowledges only then). See docs/design/events.md.
///
/// Query semantics (`EventQuery`): a batch of a registered source is covered when it passes every owner filter given
/// (agencies, systems, sources; nil = no restriction, an empty set = none); a batch of an unknown source (no agency)
/// is covered exactly when `includeUnassigned` is set, whatever the owner filters say. Times are inclusive at both ends
/// and compared per event (the batch's min/max only prune).
struct DatabaseEventStore: EventStore {
    static let maxBatchEvents = 5_000
    /// Batches read per round trip while scanning (bounded memory: a few blobs at a time).
    static let scanPageSize = 16

    let db: any Database
    let logger: Logger

    init(on db: any Database, logger: Logger? = nil) {
        self.db = db
        self.logger = logger ?? Logger(label: "ungcuu.events")
    }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    // MARK: append

    func append(_ events: [IncomingEvent]) async throws -> [StoredEventID] {
        try await appendStored(events, sender: nil).map(\.id)
    }

    /// Stores the events (one row per owner group and per ``maxBatchEvents``; events of unknown sources are grouped
    /// by sender and host too, so that they can be counted and handed to a source later) and returns them with their
    /// ids, in the order given. `sender` is the network address they came from, when known.
    func appendStored(_ events: [IncomingEvent], sender: String?) async throws -> [StoredEvent] {
        guard !events.isEmpty else { return [] }
        struct Key: Hashable {
            var agency: UUID?
            var system: UUID?
            var source: UUID?
            var host: String?
        }
        var groups: [Key: [Int]] = [:]
        var order: [Key] = []
        for (position, event) in events.enumerated() {
            let key = Key(agency: event.agencyID, system: event.agencyID == nil ? nil : event.systemID,
                          source: event.agencyID == nil ? nil : event.sourceID,
                          host: event.agencyID == nil ? event.host.map { String($0.prefix(255)) } : nil)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(position)
        }
        var ids = [StoredEventID?](repeating: nil, count: events.count)
        for key in order {
            let positions = groups[key]!
            var start = 0
            while start < positions.count {
                let slice = positions[start..<min(start + Self.maxBatchEvents, positions.count)]
                start += slice.count
                let batchID = try await insertBatch(slice.map { events[$0] }, agency: key.agency, system: key.system, source: key.source,
                                                    sender: sender.map { String($0.prefix(100)) })
                for (index, position) in slice.enumerated() {
                    ids[position] = StoredEventID(batch: batchID, index: Int32(index))
                }
            }
        }
        return zip(ids, events).map { StoredEvent(id: $0!, incoming: $1) }
    }

    private func insertBatch(_ events: [IncomingEvent], agency: UUID?, system: UUID?, source: UUID?, sender: String?) async throws -> Int64 {
        var minTime = events[0].time
        var maxTime = events[0].time
        var received = events[0].receivedAt
        var host = events[0].host
        for event in events {
            if event.time < minTime { minTime = event.time }
            if event.time > maxTime { maxTime = event.time }
            if event.receivedAt > received { received = event.receivedAt }
            if host != nil, event.host != host { host = nil }
        }
        let payload = EventBatchCodec.encode(events.map { EncodedEvent(time: $0.time, receivedAt: $0.receivedAt, host: $0.host, event: $0.event) })
        // The columns only prune; widened by a millisecond so that PostgreSQL's microsecond rounding never prunes an event
        // that the exact per-event comparison would keep.
        minTime = minTime.addingTimeInterval(-0.001)
        maxTime = maxTime.addingTimeInterval(0.001)
        let rows = try await sql.insert(into: EventBatch.schema)
            .columns("agency_id", "system_id", "source_id", "sender", "host", "min_time", "max_time", "received_at", "event_count", "payload")
            .values(SQLBind(agency), SQLBind(system), SQLBind(source), SQLBind(sender), SQLBind(host.map { String($0.prefix(255)) }),
                    SQLBind(minTime), SQLBind(maxTime), SQLBind(received), SQLBind(events.count), SQLBind(Data(payload)))
            .returning("id")
            .all()
        guard let row = rows.first else { throw Abort(.internalServerError, reason: "event batch insert returned no id") }
        return try row.decode(column: "id", as: Int64.self)
    }

    // MARK: reading

    /// The owner and time conditions of a query as SQL, or nil when it covers nothing.
    struct Filter: Sendable {
        var query: EventQuery
        /// Extra condition on the batch row (e.g. the host filter of the events page).
        var extra: SQLQueryString?

        init(_ query: EventQuery, extra: SQLQueryString? = nil) {
            self.query = query
            self.extra = extra
        }

        var clause: SQLQueryString? {
            var owned: [SQLQueryString] = ["agency_id IS NOT NULL"]
            func list(_ column: String, _ ids: Set<UUID>?) -> Bool {
                guard let ids else { return true }
                if ids.isEmpty { return false }
                owned.append("\(ident: column) IN (\(binds: ids.sorted { $0.uuidString < $1.uuidString }.map { $0 as any Encodable & Sendable }))")
                return true
            }
            let assigned = list("agency_id", query.agencyIDs) && list("system_id", query.systemIDs) && list("source_id", query.sourceIDs)
            var owners: [SQLQueryString] = []
            if assigned { owners.append("(" + owned.joined(separator: " AND ") + ")") }
            if query.includeUnassigned { owners.append("agency_id IS NULL") }
            guard !owners.isEmpty else { return nil }
            var parts: [SQLQueryString] = ["(" + owners.joined(separator: " OR ") + ")"]
            if let from = query.from { parts.append("max_time >= \(bind: from)") }
            if let to = query.to { parts.append("min_time <= \(bind: to)") }
            if let extra { parts.append("(" + extra + ")") }
            return parts.joined(separator: " AND ")
        }

        func covers(_ time: Date) -> Bool {
            if let from = query.from, time < from { return false }
            if let to = query.to, time > to { return false }
            return true
        }
    }

    /// One stored batch, decoded.
    struct Batch: Sendable {
        var id: Int64
        var agencyID: UUID?
        var systemID: UUID?
        var sourceID: UUID?
        var sender: String?
        var maxTime: Date
        var events: [EncodedEvent]

        func stored(_ index: Int) -> StoredEvent {
            let e = events[index]
            return StoredEvent(id: StoredEventID(batch: id, index: Int32(index)),
                               incoming: IncomingEvent(time: e.time, receivedAt: e.receivedAt, agencyID: agencyID, systemID: systemID,
                                                       sourceID: sourceID, host: e.host, event: e.event))
        }
    }

    private static let batchColumns: SQLQueryString = "id, agency_id, system_id, source_id, sender, max_time, payload"

    private func decodeBatch(_ row: any SQLRow) throws -> Batch? {
        let id = try row.decode(column: "id", as: Int64.self)
        let payload = try row.decode(column: "payload", as: Data.self)
        let events: [EncodedEvent]
        do {
            events = try EventBatchCodec.decode([UInt8](payload))
        } catch {
            // A damaged blob must not stop every hunt and search for good: it is reported and skipped.
            logger.error("event batch \(id) is damaged and was skipped: \(error)")
            return nil
        }
        return Batch(id: id, agencyID: try row.decode(column: "agency_id", as: UUID?.self),
                     systemID: try row.decode(column: "system_id", as: UUID?.self),
                     sourceID: try row.decode(column: "source_id", as: UUID?.self),
                     sender: try row.decode(column: "sender", as: String?.self),
                     maxTime: try row.decode(column: "max_time", as: Date.self), events: events)
    }

    /// Sum of `event_count` over the batches the filter keeps (an estimate: times are checked per event only when read).
    func estimatedCount(_ filter: Filter) async throws -> Int {
        guard let clause = filter.clause else { return 0 }
        let row = try await sql.raw("SELECT CAST(COALESCE(SUM(event_count), 0) AS BIGINT) AS n FROM event_batches WHERE \(clause)").first()
        return try row.map { Int(try $0.decode(column: "n", as: Int64.self)) } ?? 0
    }

    /// Batches in storage order after `after`, at most `limit` rows; `lastID` is the last row read (damaged blobs are
    /// left out of `batches` but still move the cursor), nil when there were none.
    func batches(_ filter: Filter, after: Int64, limit: Int) async throws -> (batches: [Batch], lastID: Int64?) {
        guard let clause = filter.clause else { return ([], nil) }
        let rows = try await sql.raw("""
            SELECT \(Self.batchColumns) FROM event_batches WHERE \(clause) AND id > \(bind: after) ORDER BY id LIMIT \(literal: limit)
            """).all()
        let lastID = try rows.last.map { try $0.decode(column: "id", as: Int64.self) }
        return (try rows.compactMap(decodeBatch), lastID)
    }

    /// Batches newest first (by their latest event, then id), strictly before the cursor, at most `limit` rows; `last`
    /// is the cursor of the last row read (nil when there were none).
    func newestBatches(_ filter: Filter, before cursor: (maxTime: Date, id: Int64)?, limit: Int) async throws
        -> (batches: [Batch], last: (maxTime: Date, id: Int64)?) {
        guard let clause = filter.clause else { return ([], nil) }
        var condition = clause
        if let cursor {
            condition += " AND (max_time < \(bind: cursor.maxTime) OR (max_time = \(bind: cursor.maxTime) AND id < \(bind: cursor.id)))"
        }
        let rows = try await sql.raw("""
            SELECT \(Self.batchColumns) FROM event_batches WHERE \(condition) ORDER BY max_time DESC, id DESC LIMIT \(literal: limit)
            """).all()
        let last = try rows.last.map { (maxTime: try $0.decode(column: "max_time", as: Date.self), id: try $0.decode(column: "id", as: Int64.self)) }
        return (try rows.compactMap(decodeBatch), last)
    }

    func scan(_ query: EventQuery, progress: @Sendable (Int, Int) async throws -> Void, visit: (StoredEvent) throws -> Bool) async throws {
        try await scan(Filter(query), progress: progress, visit: visit)
    }

    func scan(_ filter: Filter, progress: @Sendable (Int, Int) async throws -> Void, visit: (StoredEvent) throws -> Bool) async throws {
        guard filter.clause != nil else {
            try await progress(0, 0)
            return
        }
        let total = try await estimatedCount(filter)
        var read = 0
        var after: Int64 = 0
        try await progress(0, total)
        while true {
            let (page, lastID) = try await batches(filter, after: after, limit: Self.scanPageSize)
            guard let lastID else { break }
            after = lastID
            for batch in page {
                for index in batch.events.indices where filter.covers(batch.events[index].time) {
                    if try !visit(batch.stored(index)) {
                        try await progress(read + batch.events.count, max(total, read + batch.events.count))
                        return
                    }
                }
                read += batch.events.count
                try await progress(read, max(total, read))
            }
        }
    }

    func fetch(_ ids: [StoredEventID]) async throws -> [StoredEvent] {
        guard !ids.isEmpty else { return [] }
        var found: [StoredEventID: StoredEvent] = [:]
        let batchIDs = Array(Set(ids.map(\.batch))).sorted()
        for start in stride(from: 0, to: batchIDs.count, by: 200) {
            let chunk = batchIDs[start..<min(start + 200, batchIDs.count)].map { $0 as any Encodable & Sendable }
            let rows = try await sql.raw("SELECT \(Self.batchColumns) FROM event_batches WHERE id IN (\(binds: chunk))").all()
            for row in rows {
                guard let batch = try decodeBatch(row) else { continue }
                for id in ids where id.batch == batch.id && Int(id.index) < batch.events.count {
                    found[id] = batch.stored(Int(id.index))
                }
            }
        }
        return ids.compactMap { found[$0] }
    }

    func count(_ query: EventQuery) async throws -> Int {
        let filter = Filter(query)
        guard let clause = filter.clause else { return 0 }
        var inner = clause
        var boundaries: [SQLQueryString] = []
        if let from = query.from {
            inner += " AND min_time >= \(bind: from)"
            boundaries.append("min_time < \(bind: from)")
        }
        if let to = query.to {
            inner += " AND max_time <= \(bind: to)"
            boundaries.append("max_time > \(bind: to)")
        }
        let whole = try await sql.raw("SELECT CAST(COALESCE(SUM(event_count), 0) AS BIGINT) AS n FROM event_batches WHERE \(inner)").first()
        var total = try whole.map { Int(try $0.decode(column: "n", as: Int64.self)) } ?? 0
        guard !boundaries.isEmpty else { return total }
        // Batches that straddle a bound are decoded and counted event by event.
        let edge = Filter(query, extra: boundaries.joined(separator: " OR "))
        var after: Int64 = 0
        while true {
            let (page, lastID) = try await batches(edge, after: after, limit: Self.scanPageSize)
            guard let lastID else { break }
            after = lastID
            for batch in page { total += batch.events.reduce(0) { $0 + (filter.covers($1.time) ? 1 : 0) } }
        }
        return total
    }

    func purge(receivedBefore cutoff: Date) async throws -> Int {
        var events = 0
        while true {
            let (batches, removed) = try await purgeChunk(receivedBefore: cutoff, limit: 1_000)
            events += removed
            if batches == 0 { return events }
        }
    }

    /// Removes up to `limit` batches received before the cutoff; returns (batches, events) removed.
    func purgeChunk(receivedBefore cutoff: Date, limit: Int) async throws -> (batches: Int, events: Int) {
        let rows = try await sql.raw("""
            DELETE FROM event_batches WHERE id IN \
            (SELECT id FROM event_batches WHERE received_at < \(bind: cutoff) ORDER BY id LIMIT \(literal: limit)) RETURNING event_count
            """).all()
        let events = try rows.reduce(0) { $0 + Int(try $1.decode(column: "event_count", as: Int64.self)) }
        return (rows.count, events)
    }
}
