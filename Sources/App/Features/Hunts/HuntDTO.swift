import Foundation
import Detection
import Domain
import Vapor

/// A hunt in the API. For an agency officer every figure counts only their agencies' events (`eventsScanned` and
/// `eventsTotal`, which count every agency's events, are null), and the scope lists only what they may read.
struct HuntDTO: Content {
    struct Rule: Content {
        var id: UUID
        var ruleId: String
        var title: String
        var level: String?
    }

    struct IndicatorDTO: Content {
        var kind: String
        var value: String
    }

    struct Scope: Content {
        /// No agency, system or source chosen: everything the starter may see.
        var all: Bool
        var agencyIds: [UUID]
        var systemIds: [UUID]
        var sourceIds: [UUID]
        var includeUnassigned: Bool
    }

    struct Group: Content {
        var groupKey: String
        var kind: String
        var label: String
        var ruleId: String?
        var level: String?
        var indicatorKind: String?
        var hits: Int64
        var stored: Int
    }

    struct SystemResult: Content {
        var systemId: UUID
        var code: String
        var name: String
        var hits: Int64
        var assessmentId: UUID?
    }

    var id: UUID
    var name: String
    var purpose: String?
    var state: String
    var ruleMode: String
    var ruleTag: String?
    var ruleLevel: String?
    var includeDisabled: Bool
    var rules: [Rule]
    var rulesUnsupported: Int
    var indicators: [IndicatorDTO]
    var from: Date
    var to: Date
    var scope: Scope
    var progress: Int
    var eventsScanned: Int64?
    var eventsTotal: Int64?
    var hitsTotal: Int64
    var hitsStored: Int
    var groups: [Group]
    var systems: [SystemResult]
    var error: String?
    var createdByName: String
    var createdAt: Date?
    var startedAt: Date?
    var finishedAt: Date?
    /// GET one: a page of the hits (`page`, `per`, `group`).
    var hits: Paged<HuntHitDTO>?

    init(_ m: HuntShow.Model, hits: Paged<HuntHitDTO>? = nil) {
        let h = m.hunt
        id = h.id!
        name = h.name
        purpose = h.purpose
        state = h.state
        ruleMode = h.ruleMode
        ruleTag = h.ruleTag
        ruleLevel = h.ruleLevel
        includeDisabled = h.includeDisabled
        rules = m.rules.map { Rule(id: $0.id, ruleId: $0.ruleId, title: $0.title, level: $0.level) }
        rulesUnsupported = h.rulesUnsupported
        indicators = m.indicators.map { IndicatorDTO(kind: $0.kind.rawValue, value: $0.value) }
        from = h.fromAt
        to = h.toAt
        scope = Scope(all: h.scopeAll, agencyIds: m.scopeAgencies.compactMap(\.id), systemIds: m.scopeSystems.compactMap(\.id),
                      sourceIds: m.scopeSources.map(\.id), includeUnassigned: h.includeUnassigned && m.reader.seesEverything)
        progress = m.progress
        eventsScanned = m.reader.seesEverything ? h.eventsScanned : nil
        eventsTotal = m.reader.seesEverything ? h.eventsTotal : nil
        hitsTotal = m.hitsTotal
        hitsStored = m.hitsStored
        groups = m.groups.map { Group(groupKey: $0.groupKey, kind: $0.kind, label: $0.label, ruleId: $0.ruleId, level: $0.level,
                                      indicatorKind: $0.indicatorKind, hits: $0.hits, stored: $0.stored) }
        systems = m.systems.map { SystemResult(systemId: $0.system.id!, code: $0.system.code, name: $0.system.name, hits: $0.hits,
                                               assessmentId: $0.assessmentId) }
        error = h.error
        createdByName = h.createdByName
        createdAt = h.createdAt
        startedAt = h.startedAt
        finishedAt = h.finishedAt
        self.hits = hits
    }
}

/// A hunt in the list: the figures the reader may see, without the results.
struct HuntSummaryDTO: Content {
    var id: UUID
    var name: String
    var state: String
    var ruleMode: String
    var rulesCount: Int
    var indicatorsCount: Int
    var from: Date
    var to: Date
    var scopeAll: Bool
    var progress: Int
    var hitsTotal: Int64
    var createdByName: String
    var createdAt: Date?
    var finishedAt: Date?

    init(_ h: Hunt, hits: Int64) {
        id = h.id!
        name = h.name
        state = h.state
        ruleMode = h.ruleMode
        rulesCount = h.rulesCount
        indicatorsCount = h.indicatorsCount
        from = h.fromAt
        to = h.toAt
        scopeAll = h.scopeAll
        progress = HuntShow.progress(h)
        hitsTotal = hits
        createdByName = h.createdByName
        createdAt = h.createdAt
        finishedAt = h.finishedAt
    }
}

/// One stored hit with its event.
struct HuntHitDTO: Content {
    var id: UUID
    var kind: String
    var groupKey: String
    var ruleId: String?
    var ruleTitle: String?
    var level: String?
    var indicatorKind: String?
    var indicatorValue: String?
    var field: String?
    var eventId: String
    var eventTime: Date
    var host: String?
    var agencyId: UUID?
    var systemId: UUID?
    var sourceId: UUID?
    /// The event's fields as the hunt saw them.
    var event: HuntJSONValue

    init(_ h: HuntHit) {
        id = h.id!
        kind = h.kind
        groupKey = h.groupKey
        ruleId = h.ruleId
        ruleTitle = h.ruleTitle
        level = h.level
        indicatorKind = h.indicatorKind
        indicatorValue = h.indicatorValue
        field = h.field
        eventId = h.eventId
        eventTime = h.eventTime
        host = h.host
        agencyId = h.agencyId
        systemId = h.systemId
        sourceId = h.sourceId
        event = HuntJSONValue.parse(h.snapshot) ?? .string(h.snapshot)
    }
}

/// Any JSON value (an event snapshot in the API).
indirect enum HuntJSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int64)
    case string(String)
    case array([HuntJSONValue])
    case object([String: HuntJSONValue])

    static func parse(_ text: String) -> HuntJSONValue? {
        try? JSONDecoder().decode(HuntJSONValue.self, from: Data(text.utf8))
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([HuntJSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: HuntJSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as one line of text.
    var text: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .number(let d): d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): s
        case .array(let a): "[" + a.map(\.text).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!.text)" }.joined(separator: ", ") + "}"
        }
    }
}
