import Foundation
import Domain
import Fluent
import FluentSQL
import SQLKit
import Vapor

/// The alert list: always within the reader's scope; filters by status (default: open, i.e. new or acknowledged), level, rule,
/// host, agency (and its sub-agencies; `none`: events of unknown sources), system and days; counts by status; newest first.
enum AlertsIndex {
    static let filterKeys = ["status", "level", "rule", "host", "agency", "system", "from", "to"]
    static let sortKeys = ["lastEvent", "firstEvent", "level", "events", "rule", "host"]
    static let statusChoices = ["open", "all"] + AlertStatus.allCases.map(\.rawValue)

    struct Row {
        var alert: DetectionAlert
        var agencyName: String?
        var systemLabel: String?
    }

    struct Model {
        var rows: [Row]
        var total: Int
        /// Alerts per status under the other filters.
        var counts: [AlertStatus: Int]
        var list: ListQuery
    }

    static func validate(_ list: ListQuery) -> FieldErrors {
        var errors = FieldErrors()
        for key in ["rule", "system"] where list.filters[key].map({ UUID(uuidString: $0) == nil }) == true { errors.add(key, "validation.invalidId") }
        if let raw = list.filters["agency"], raw != "none", UUID(uuidString: raw) == nil { errors.add("agency", "validation.invalidId") }
        if let raw = list.filters["status"], !statusChoices.contains(raw) { errors.add("status", "validation.unknownValue") }
        if let raw = list.filters["level"] {
            for part in raw.split(separator: ",") where DetectionLevel(rawValue: String(part)) == nil { errors.add("level", "validation.unknownValue") }
        }
        for key in ["from", "to"] where list.filters[key].map({ DisplayTime.parseDay($0) == nil }) == true { errors.add(key, "validation.invalidDate") }
        return errors
    }

    /// The query under every filter but status.
    static func base(subject: Subject, list: ListQuery, on db: any Database) async throws -> QueryBuilder<DetectionAlert> {
        let query = DetectionAlert.scoped(to: subject, on: db)
        if let raw = list.filters["level"] { query.filter(\.$level ~~ raw.split(separator: ",").map(String.init)) }
        if let raw = list.filters["rule"], let id = UUID(uuidString: raw) { query.filter(\.$ruleId == id) }
        if let raw = list.filters["system"], let id = UUID(uuidString: raw) { query.filter(\.$systemId == id) }
        if let raw = list.filters["agency"] {
            if raw == "none" { query.filter(\.$agencyId == nil) }
            else if let id = UUID(uuidString: raw) { query.filter(\.$agencyId ~~ Array(try await AgencyTreeQuery.tree(on: db).subtree(of: id))) }
        }
        if let raw = list.filters["host"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            query.filter(.sql(embed: "LOWER(COALESCE(\(ident: "alerts").\(ident: "host"), '')) LIKE \(bind: RulesIndex.likePattern(raw)) ESCAPE '!'"))
        }
        if let raw = list.filters["from"], let day = DisplayTime.parseDay(raw) { query.filter(\.$lastEventAt >= day) }
        if let raw = list.filters["to"], let day = DisplayTime.parseDay(raw) { query.filter(\.$firstEventAt < day.addingTimeInterval(86_400)) }
        return query
    }

    static func applyStatus(_ query: QueryBuilder<DetectionAlert>, _ raw: String?) {
        switch raw ?? "open" {
        case "all": break
        case "open": query.filter(\.$status ~~ AlertStatus.open.map(\.rawValue))
        case let status: query.filter(\.$status == status)
        }
    }

    static func sort(_ query: QueryBuilder<DetectionAlert>, _ list: ListQuery) {
        let direction: DatabaseQuery.Sort.Direction = list.descending ? .ascending : .descending
        switch list.sort {
        case "firstEvent": query.sort(\.$firstEventAt, direction)
        case "level": query.sort(\.$levelRank, direction).sort(\.$lastEventAt, .descending)
        case "events": query.sort(\.$eventCount, direction)
        case "rule": query.sort(\.$ruleTitle, list.descending ? .descending : .ascending)
        case "host": query.sort(\.$host, list.descending ? .descending : .ascending)
        default: query.sort(\.$lastEventAt, direction)
        }
        query.sort(\.$id)
    }

    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        let base = try await base(subject: subject, list: list, on: db)
        var counts: [AlertStatus: Int] = [:]
        for status in AlertStatus.allCases { counts[status] = try await base.copy().filter(\.$status == status.rawValue).count() }
        let query = base.copy()
        applyStatus(query, list.filters["status"])
        let total = try await query.count()
        sort(query, list)
        let alerts = try await query.range(list.offset..<(list.offset + list.per)).all()
        return Model(rows: try await rows(alerts, on: db), total: total, counts: counts, list: list)
    }

    static func rows(_ alerts: [DetectionAlert], on db: any Database) async throws -> [Row] {
        let agencyIds = Array(Set(alerts.compactMap(\.agencyId)))
        let systemIds = Array(Set(alerts.compactMap(\.systemId)))
        let agencies = agencyIds.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ agencyIds).all()
            .map { ($0.id!, $0.name) })
        let systems = systemIds.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).all()
            .map { ($0.id!, "\($0.code) · \($0.name)") })
        return alerts.map { Row(alert: $0, agencyName: $0.agencyId.flatMap { agencies[$0] }, systemLabel: $0.systemId.flatMap { systems[$0] }) }
    }
}
