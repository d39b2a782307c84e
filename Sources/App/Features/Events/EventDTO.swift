import Foundation
import Detection
import Vapor

/// One field value as JSON: strings, numbers, booleans, null and arrays as they are.
struct EventValueDTO: Codable, Sendable {
    let value: EventValue

    init(_ value: EventValue) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .string(let s): try container.encode(s)
        case .int(let i): try container.encode(i)
        case .double(let d):
            if d.isFinite { try container.encode(d) } else { try container.encode(String(d)) }
        case .bool(let b): try container.encode(b)
        case .null: try container.encodeNil()
        case .array(let items): try container.encode(items.map(EventValueDTO.init))
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { value = .null }
        else if let b = try? container.decode(Bool.self) { value = .bool(b) }
        else if let i = try? container.decode(Int64.self) { value = .int(i) }
        else if let d = try? container.decode(Double.self) { value = .double(d) }
        else if let s = try? container.decode(String.self) { value = .string(s) }
        else { value = .array(try container.decode([EventValueDTO].self).map(\.value)) }
    }
}

/// An event as the API returns it.
struct EventDTO: Content, Sendable {
    /// `<batch>-<index>`.
    let id: String
    let time: Date
    let receivedAt: Date
    let agencyId: UUID?
    let systemId: UUID?
    let sourceId: UUID?
    let host: String?
    let fields: [String: EventValueDTO]

    init(_ stored: StoredEvent) {
        id = stored.id.description
        time = stored.incoming.time
        receivedAt = stored.incoming.receivedAt
        agencyId = stored.incoming.agencyID
        systemId = stored.incoming.systemID
        sourceId = stored.incoming.sourceID
        host = stored.incoming.host
        fields = stored.incoming.event.fields.mapValues(EventValueDTO.init)
    }
}

struct EventSearchDTO: Content, Sendable {
    let items: [EventDTO]
    let page: Int
    let per: Int
    let hasMore: Bool
    let scannedEvents: Int
    /// The search stopped at its limit: older matches may exist (narrow the time range).
    let capped: Bool
}

struct EventSourceDTO: Content, Sendable {
    let id: UUID
    let name: String
    let kind: String
    let agencyId: UUID
    let systemId: UUID
    let addresses: [String]
    let hostnames: [String]
    let enabled: Bool
    let tokenHint: String?
    let tokenCreatedAt: Date?
    let lastEventAt: Date?
    let createdAt: Date?
    let updatedAt: Date?

    init(_ source: EventSource) {
        id = source.id!
        name = source.name
        kind = source.kind.rawValue
        agencyId = source.agencyId
        systemId = source.systemId
        addresses = source.addressList
        hostnames = source.hostnameList
        enabled = source.enabled
        tokenHint = source.tokenHint
        tokenCreatedAt = source.tokenCreatedAt
        lastEventAt = source.lastEventAt
        createdAt = source.createdAt
        updatedAt = source.updatedAt
    }
}

/// A source with its ingest token, returned once (on creation of an http source, on rotation).
struct EventSourceWithTokenDTO: Content, Sendable {
    let source: EventSourceDTO
    let token: String?
    let claimedBatches: Int?
    let claimedEvents: Int?
}

struct UnassignedSenderDTO: Content, Sendable {
    let sender: String?
    let host: String?
    let batches: Int
    let events: Int
    let firstEventAt: Date
    let lastEventAt: Date
    let lastReceivedAt: Date
}

struct EventImportDTO: Content, Sendable {
    let id: UUID
    let agencyId: UUID
    let systemId: UUID
    let sourceId: UUID?
    let state: String
    let files: [EventImportFile]
    let bytesTotal: Int64
    let bytesRead: Int64
    let progress: Int
    let eventsAccepted: Int64
    let linesRejected: Int64
    let warningCount: Int
    let warnings: [String]
    let error: String?
    let createdByName: String
    let createdAt: Date?
    let finishedAt: Date?

    init(_ row: EventImport, state: EventImportState) {
        id = row.id!
        agencyId = row.agencyId
        systemId = row.systemId
        sourceId = row.sourceId
        self.state = state.rawValue
        files = row.fileList
        bytesTotal = row.bytesTotal
        bytesRead = row.bytesRead
        progress = state == .imported ? 100 : Int(min(99, row.bytesRead * 100 / max(1, row.bytesTotal)))
        eventsAccepted = row.eventsAccepted
        linesRejected = row.linesRejected
        warningCount = row.warningCount
        warnings = row.warningList
        error = row.error
        createdByName = row.createdByName
        createdAt = row.createdAt
        finishedAt = row.finishedAt
    }
}
