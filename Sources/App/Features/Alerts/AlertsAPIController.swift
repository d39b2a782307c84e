import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/alerts`.
enum AlertsAPIController {
    static func list(req: Request) async throws -> AlertPage {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        var list = ListQuery(req: req, filterKeys: AlertsIndex.filterKeys, sortKeys: AlertsIndex.sortKeys)
        list.page = params.page
        list.per = params.per
        let errors = AlertsIndex.validate(list)
        if !errors.isEmpty { throw AppError.validation(errors) }
        let model = try await AlertsIndex.query(subject: subject, list: list, on: req.db)
        var counts: [String: Int] = [:]
        for status in AlertStatus.allCases { counts[status.rawValue] = model.counts[status] ?? 0 }
        return AlertPage(items: model.rows.map { AlertDTO($0.alert) }, total: model.total, page: params.page, per: params.per, counts: counts)
    }

    static func get(req: Request) async throws -> AlertDTO {
        let alert = try await AlertService.find(req)
        return try await full(alert, on: req.db)
    }

    static func full(_ alert: DetectionAlert, on db: any Database) async throws -> AlertDTO {
        AlertDTO(alert, events: try await AlertShow.events(of: alert, on: db), history: try await AlertShow.history(of: alert, on: db))
    }

    /// `{"action": "acknowledge"|"false_positive"|"promote", "version": n, "reason": "…", "incident": {…}}`: `version` (or
    /// `If-Match`) required (428 without, 409 `alert_changed` when stale, 409 `alert_closed` once triaged as false positive or
    /// promoted). A promotion answers 201 with the alert (its `incidentId` names the new case).
    static func triage(req: Request) async throws -> Response {
        let alert = try await AlertService.find(req)
        let body = try req.content.decode(AlertTriageBody.self)
        let action = try AlertService.action(body.action)
        let version = body.version ?? req.headers.first(name: .ifMatch).flatMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) }
        guard let version else {
            throw AppError(status: .preconditionRequired, code: "version_required", messageKey: "alerts.versionRequired",
                           fields: ["version": "validation.required"])
        }
        var status = HTTPResponseStatus.ok
        switch action {
        case .promote:
            _ = try await AlertService.promote(alert, body.incident ?? .init(), expectedVersion: version, req: req)
            status = .created
        case .acknowledge, .falsePositive:
            try await AlertService.triage(alert, action, reason: body.reason, expectedVersion: version, req: req)
        }
        let current = try await DetectionAlert.find(alert.id, on: req.db) ?? alert
        let response = Response(status: status)
        try response.content.encode(try await full(current, on: req.db))
        return response
    }

    static func bulk(req: Request) async throws -> AlertBulkResult {
        let body = try req.content.decode(AlertBulkBody.self)
        let action = try AlertService.action(body.action)
        let (changed, unchanged) = try await AlertService.bulk(ids: body.ids ?? [], action, reason: body.reason, req: req)
        return AlertBulkResult(changed: changed.count, unchanged: unchanged, items: changed.map { AlertDTO($0) })
    }
}

/// An alert as the API shows it.
struct AlertDTO: Content {
    struct Event: Content {
        var position: Int
        /// Where the event is stored (`batch-index`).
        var eventRef: String
        var time: Date
        /// The event's fields as it was matched.
        var event: AnyJSONObject
    }

    struct HistoryEntry: Content {
        var at: Date
        var action: String
        var fromStatus: String
        var toStatus: String
        var note: String?
        var incidentId: UUID?
        var actorName: String
    }

    var id: UUID
    var ruleId: UUID
    var ruleSigmaId: String
    var ruleTitle: String
    var level: String?
    var agencyId: UUID?
    var systemId: UUID?
    var sourceId: UUID?
    var host: String?
    var windowStart: Date
    var windowEnd: Date
    var firstEventAt: Date
    var lastEventAt: Date
    var eventCount: Int
    var status: String
    var falsePositiveReason: String?
    var incidentId: UUID?
    var triagedAt: Date?
    var triagedByName: String?
    var createdAt: Date
    var version: Int
    var events: [Event]?
    var history: [HistoryEntry]?

    init(_ a: DetectionAlert, events: [AlertEvent]? = nil, history: [AlertHistoryEntry]? = nil) {
        id = a.id!
        ruleId = a.ruleId
        ruleSigmaId = a.ruleSigmaId
        ruleTitle = a.ruleTitle
        level = a.level
        agencyId = a.agencyId
        systemId = a.systemId
        sourceId = a.sourceId
        host = a.host
        windowStart = a.windowStart
        windowEnd = a.windowEnd
        firstEventAt = a.firstEventAt
        lastEventAt = a.lastEventAt
        eventCount = a.eventCount
        status = a.status
        falsePositiveReason = a.falsePositiveReason
        incidentId = a.incidentId
        triagedAt = a.triagedAt
        triagedByName = a.triagedByName
        createdAt = a.createdAt
        version = a.version
        self.events = events?.map { Event(position: $0.position, eventRef: $0.eventRef, time: $0.eventTime, event: AnyJSONObject(json: $0.snapshot)) }
        self.history = history?.map {
            HistoryEntry(at: $0.at, action: $0.action, fromStatus: $0.fromStatus, toStatus: $0.toStatus, note: $0.note, incidentId: $0.incidentId,
                         actorName: $0.actorName)
        }
    }
}

/// A JSON object kept as its text and written out as JSON (not as a string).
struct AnyJSONObject: Content {
    var json: String

    init(json: String) { self.json = json }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not decodable"))
    }

    func encode(to encoder: any Encoder) throws {
        let value = (try? JSONDecoder().decode(SnapshotJSON.self, from: Data(json.utf8))) ?? .object([:])
        try value.encode(to: encoder)
    }
}

/// Any JSON value, for passing stored JSON through the API encoder.
private indirect enum SnapshotJSON: Codable, Sendable {
    case string(String), number(Double), integer(Int64), bool(Bool), null, array([SnapshotJSON]), object([String: SnapshotJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([SnapshotJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: SnapshotJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let d): try c.encode(d)
        case .integer(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

struct AlertPage: Content {
    var items: [AlertDTO]
    var total: Int
    var page: Int
    var per: Int
    /// Alerts per status under the other filters.
    var counts: [String: Int]
}

struct AlertTriageBody: Content {
    var action: String?
    var version: Int?
    var reason: String?
    var incident: AlertService.PromoteInput?
}

struct AlertBulkBody: Content {
    var ids: [UUID]?
    var action: String?
    var reason: String?
}

struct AlertBulkResult: Content {
    var changed: Int
    var unchanged: Int
    var items: [AlertDTO]
}
