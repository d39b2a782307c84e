import Foundation
import Domain
import Fluent
import FluentSQL
import SQLKit
import Vapor

/// The case list, the board and full-text search across cases, notes and observables, always within the
/// reader's scope (and, inside a case, within what TLP lets them read).
enum IncidentsIndex {
    static let filterKeys = ["q", "phase", "severity", "agency", "system", "category", "assignee", "overdue", "view"]
    static let sortKeys = ["number", "detected", "severity", "phase", "title"]

    struct Row {
        var incident: Incident
        var agencyName: String
        var overdue: Int
    }

    struct Model {
        var rows: [Row]
        var total: Int
    }

    static func filtered(subject: Subject, list: ListQuery, on db: any Database) async throws -> QueryBuilder<Incident>? {
        let query = Incident.scoped(to: subject, on: db)
        if let q = list.filters["q"] { search(query, q, subject: subject) }
        switch list.filters["phase"] {
        case nil: break
        case "open": query.filter(\.$phaseRaw != IncidentPhase.closed.rawValue)
        case let raw?:
            guard IncidentPhase(rawValue: raw) != nil else { return nil }
            query.filter(\.$phaseRaw == raw)
        }
        if let raw = list.filters["severity"] {
            if raw == "none" { query.filter(\.$severityRaw == nil) }
            else { guard IncidentSeverity(rawValue: raw) != nil else { return nil }; query.filter(\.$severityRaw == raw) }
        }
        if let raw = list.filters["agency"] {
            guard let id = UUID(uuidString: raw) else { return nil }
            query.filter(\.$agencyId ~~ Array(try await AgencyTreeQuery.tree(on: db).subtree(of: id)))
        }
        if let raw = list.filters["system"] {
            guard let id = UUID(uuidString: raw) else { return nil }
            query.filter(.sql(embed: "\(ident: "incidents").\(ident: "id") IN (SELECT incident_id FROM incident_systems WHERE system_id = \(bind: id))"))
        }
        if let raw = list.filters["category"] { query.filter(\.$categoryCode == raw) }
        if let raw = list.filters["assignee"] {
            let id = raw == "me" ? subject.userId : UUID(uuidString: raw)
            guard let id else { return nil }
            query.filter(.sql(embed: "\(ident: "incidents").\(ident: "id") IN (SELECT incident_id FROM incident_assignees WHERE user_id = \(bind: id))"))
        }
        if list.filters["overdue"] != nil {
            query.filter(.sql(embed: """
                \(ident: "incidents").\(ident: "id") IN (SELECT subject_id FROM obligations WHERE subject_kind = 'incident' AND state = 'overdue')
                """))
        }
        return query
    }

    /// Matches the folded words in the case, its readable notes and its readable observables.
    static func search(_ query: QueryBuilder<Incident>, _ q: String, subject: Subject) {
        let folded = SearchText.fold(q).trimmingCharacters(in: .whitespaces)
        guard !folded.isEmpty else { return }
        let pattern = "%" + folded.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let raw = "%" + q.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        // TLP:RED entries are searched only for the people they name; the police only within what may be shared with them.
        let tlps = subject.isPolice ? ["clear", "green", "amber"] : ["clear", "green", "amber", "amber_strict"]
        let tlpList = SQLList(tlps.map { SQLBind($0) })
        let named = "%" + subject.userId.uuidString + "%"
        // The case's own text (description, measures…) is withheld from the police on AMBER+STRICT and RED cases.
        let caseLevel: SQLQueryString = subject.isPolice ? "\(ident: "incidents").\(ident: "tlp") IN (\(SQLList(["clear", "green", "amber"].map { SQLBind($0) })))" : "1 = 1"
        // On SQLite the trigram full-text tables of migration 0009 narrow each LIKE to the rows containing the
        // text (a superset of its matches), instead of a scan of every case, note and observable. Trigrams need
        // three characters; shorter text is matched by the LIKE alone. PostgreSQL's trigram indexes serve the LIKE itself.
        let fts = (query.database as? any SQLDatabase)?.dialect.name == "sqlite"
        let rawText = q.trimmingCharacters(in: .whitespaces).lowercased()
        func narrowed(_ table: String, _ text: String) -> SQLQueryString {
            guard fts, text.count >= 3 else { return "1 = 1" }
            let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return "\(ident: table).rowid IN (SELECT rowid FROM \(ident: table + "_fts") WHERE \(ident: table + "_fts") MATCH \(bind: phrase))"
        }
        query.filter(.sql(embed: """
            ((\(narrowed("incidents", folded)) AND \(ident: "incidents").\(ident: "search_text") LIKE \(bind: pattern) ESCAPE '\\' AND \(caseLevel))
             OR \(ident: "incidents").\(ident: "id") IN (SELECT incident_id FROM incident_timeline WHERE \(narrowed("incident_timeline", folded))
                AND search_text LIKE \(bind: pattern) ESCAPE '\\' AND (tlp IN (\(tlpList)) OR named_user_ids LIKE \(bind: named)))
             OR \(ident: "incidents").\(ident: "id") IN (SELECT incident_id FROM incident_observables WHERE \(narrowed("incident_observables", rawText))
                AND LOWER(value) LIKE \(bind: raw) ESCAPE '\\' AND (tlp IN (\(tlpList)) OR named_user_ids LIKE \(bind: named))))
            """))
    }

    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        guard let query = try await filtered(subject: subject, list: list, on: db) else { return Model(rows: [], total: 0) }
        let total = try await query.count()
        let direction: DatabaseQuery.Sort.Direction = list.descending ? .descending : .ascending
        switch list.sort {
        case "number": query.sort(\.$createdAt, direction)
        case "severity": query.sort(.sql(embed: "\(rank("severity", IncidentSeverity.allCases.map(\.rawValue)))"), direction)
        case "phase": query.sort(.sql(embed: "\(rank("phase", IncidentPhase.allCases.map(\.rawValue)))"), direction)
        case "title": query.sort(\.$title, direction)
        case "detected": query.sort(\.$detectedAt, direction)
        default: query.sort(\.$detectedAt, .descending)  // newest first
        }
        query.sort(\.$id)  // a stable order across pages
        let incidents = try await query.range(list.offset..<(list.offset + list.per)).all()
        return Model(rows: try await rows(incidents, on: db), total: total)
    }

    /// Orders a column by the position of its value in `values` (severity low…critical, phases in order), not alphabetically.
    static func rank(_ column: String, _ values: [String]) -> SQLQueryString {
        var sql: SQLQueryString = "CASE \(ident: "incidents").\(ident: column)"
        for (index, value) in values.enumerated() { sql.appendInterpolation(raw: " WHEN '\(value)' THEN \(index)") }
        sql.appendInterpolation(raw: " ELSE -1 END")
        return sql
    }

    static func rows(_ incidents: [Incident], on db: any Database) async throws -> [Row] {
        let agencyIds = Array(Set(incidents.map(\.agencyId)))
        let names = agencyIds.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ agencyIds).all()
            .compactMap { a in a.id.map { ($0, a.name) } })
        let ids = incidents.compactMap(\.id)
        var overdue: [UUID: Int] = [:]
        if !ids.isEmpty {
            for o in try await Obligation.query(on: db).filter(\.$subjectKind == IncidentClocks.subjectKind).filter(\.$subjectId ~~ ids)
                .filter(\.$state == .overdue).all() { overdue[o.subjectId, default: 0] += 1 }
        }
        return incidents.map { Row(incident: $0, agencyName: names[$0.agencyId] ?? "—", overdue: overdue[$0.id!] ?? 0) }
    }

    /// Open cases by phase for the board (at most `limit` per column, most recent first).
    static func board(subject: Subject, list: ListQuery, limit: Int = 50, on db: any Database) async throws -> [(IncidentPhase, [Row], Int)] {
        var columns: [(IncidentPhase, [Row], Int)] = []
        for phase in IncidentPhase.allCases {
            var filters = list
            filters.filters["phase"] = phase.rawValue
            guard let query = try await filtered(subject: subject, list: filters, on: db) else { return [] }
            let count = try await query.count()
            let incidents = try await query.sort(\.$detectedAt, .descending).range(0..<limit).all()
            columns.append((phase, try await rows(incidents, on: db), count))
        }
        return columns
    }
}
