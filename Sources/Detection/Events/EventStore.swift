import Foundation

/// CONTRACT (issue 6): what every event store implements. The embedded default lives in the App
/// (event batches in the application database); a deployment that outgrows one machine implements the
/// same protocol on a distributed engine (docs/design/events.md).

/// Where an event is kept: the batch it was written in, and its position there.
public struct StoredEventID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    public var batch: Int64
    public var index: Int32
    public init(batch: Int64, index: Int32) { self.batch = batch; self.index = index }
    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let b = Int64(parts[0]), let i = Int32(parts[1]), b >= 0, i >= 0 else { return nil }
        self.init(batch: b, index: i)
    }
    public var description: String { "\(batch)-\(index)" }
    public static func < (a: Self, b: Self) -> Bool { (a.batch, a.index) < (b.batch, b.index) }
}

/// An event to be stored, with what the receiver knows about it.
public struct IncomingEvent: Sendable, Hashable {
    /// The event's own time, else the time it was received.
    public var time: Date
    public var receivedAt: Date
    /// Owners, from the registered source; nil for an unknown source (held apart, never dropped).
    public var agencyID: UUID?
    public var systemID: UUID?
    public var sourceID: UUID?
    public var host: String?
    public var event: FlatEvent
    public init(time: Date, receivedAt: Date, agencyID: UUID?, systemID: UUID?, sourceID: UUID?, host: String?, event: FlatEvent) {
        self.time = time; self.receivedAt = receivedAt; self.agencyID = agencyID; self.systemID = systemID
        self.sourceID = sourceID; self.host = host; self.event = event
    }
}

public struct StoredEvent: Sendable, Hashable {
    public var id: StoredEventID
    public var incoming: IncomingEvent
    public init(id: StoredEventID, incoming: IncomingEvent) { self.id = id; self.incoming = incoming }
}

/// Which events a hunt, a search or a count covers. Nil means "no restriction" for that dimension;
/// an empty set means "none". `unassigned` covers events of unknown sources (coordinators only).
public struct EventQuery: Sendable, Hashable {
    public var from: Date?
    public var to: Date?
    public var agencyIDs: Set<UUID>?
    public var systemIDs: Set<UUID>?
    public var sourceIDs: Set<UUID>?
    public var includeUnassigned: Bool
    public init(from: Date? = nil, to: Date? = nil, agencyIDs: Set<UUID>? = nil, systemIDs: Set<UUID>? = nil,
                sourceIDs: Set<UUID>? = nil, includeUnassigned: Bool = false) {
        self.from = from; self.to = to; self.agencyIDs = agencyIDs; self.systemIDs = systemIDs
        self.sourceIDs = sourceIDs; self.includeUnassigned = includeUnassigned
    }
}

public protocol EventStore: Sendable {
    /// Stores the events durably, all or none, and returns their ids in order. When this returns,
    /// the events survive a crash (the caller acknowledges only then).
    func append(_ events: [IncomingEvent]) async throws -> [StoredEventID]

    /// Visits the events the query covers, batch by batch in storage order, until `visit` returns false.
    /// `progress` is called between batches with (events visited, estimated total).
    func scan(_ query: EventQuery,
              progress: @Sendable (Int, Int) async throws -> Void,
              visit: (StoredEvent) throws -> Bool) async throws

    /// The events with these ids that still exist (retention may have removed some).
    func fetch(_ ids: [StoredEventID]) async throws -> [StoredEvent]

    /// How many events the query covers.
    func count(_ query: EventQuery) async throws -> Int

    /// Removes every event received before the date; returns how many.
    func purge(receivedBefore: Date) async throws -> Int
}
