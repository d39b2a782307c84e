import Foundation
import Domain
import Fluent
import FluentSQL
import SQLKit
import Vapor

/// The findings list: always within the reader's scope, filtered by agency (and its sub-agencies), system,
/// severity, status (default: still to be remediated), CVE, age, overdue, scan import and text.
enum FindingsIndex {
    static let filterKeys = ["agency", "system", "severity", "status", "cve", "age", "overdue", "q", "import"]
    static let sortKeys = ["severity", "due", "firstSeen", "lastSeen", "host", "title", "status"]

    /// `status` values besides the statuses themselves: `active` (open, in progress or fixed awaiting verification:
    /// the default) and `all`.
    static let statusChoices = ["active", "all"] + FindingStatus.allCases.map(\.rawValue)
    static let activeStatuses: [FindingStatus] = [.open, .inProgress, .fixed]

    struct Row {
        var finding: Finding
        var systemCode: String
        var systemName: String
        var agencyName: String
    }

    struct Model {
        var rows: [Row]
        var total: Int
        var list: ListQuery
    }

    /// Checks the filter values; a bad one names its field (the API answers 422, the page shows the message).
    static func validate(_ list: ListQuery) -> FieldErrors {
        var errors = FieldErrors()
        for key in ["agency", "system", "import"] where list.filters[key].map({ UUID(uuidString: $0) == nil }) == true {
            errors.add(key, "validation.invalidId")
        }
        if let raw = list.filters["severity"] {
            for part in raw.split(separator: ",") where FindingSeverity(rawValue: String(part)) == nil { errors.add("severity", "validation.unknownValue") }
        }
        if let raw = list.filters["status"], !statusChoices.contains(raw) { errors.add("status", "validation.unknownValue") }
        if let raw = list.filters["age"], Int(raw).map({ (0...36_500).contains($0) }) != true { errors.add("age", "findings.badAge") }
        if let raw = list.filters["overdue"], !["1", "true", "yes", "on"].contains(raw.lowercased()) { errors.add("overdue", "validation.unknownValue") }
        if let raw = list.filters["cve"], FindingFingerprint.normalisedCVEs([raw]).isEmpty { errors.add("cve", "findings.badCVE") }
        return errors
    }

    static func filtered(subject: Subject, list: ListQuery, now: Date = Date(), on db: any Database) async throws -> QueryBuilder<Finding> {
        let query = Finding.scoped(to: subject, on: db)
        if let raw = list.filters["agency"], let id = UUID(uuidString: raw) {
            query.filter(SystemOwned.filter(table: Finding.schema, agencies: Set(try await AgencyTreeQuery.tree(on: db).subtree(of: id))))
        }
        if let raw = list.filters["system"], let id = UUID(uuidString: raw) { query.filter(\.$systemId == id) }
        if let raw = list.filters["severity"] {
            query.filter(\.$severity ~~ raw.split(separator: ",").compactMap { FindingSeverity(rawValue: String($0)) })
        }
        switch list.filters["status"] ?? "active" {
        case "all": break
        case "active": query.filter(\.$status ~~ activeStatuses.map(\.rawValue))
        case let raw: query.filter(\.$status == raw)
        }
        if let raw = list.filters["cve"], let cve = FindingFingerprint.normalisedCVEs([raw]).first {
            query.filter(.sql(embed: "\(ident: "findings").\(ident: "id") IN (SELECT finding_id FROM finding_cves WHERE cve = \(bind: cve))"))
        }
        if let raw = list.filters["age"], let days = Int(raw) {
            query.filter(\.$firstSeenAt < now.addingTimeInterval(-Double(days) * 86_400))
        }
        if list.filters["overdue"] != nil {
            query.filter(\.$status ~~ [FindingStatus.open.rawValue, FindingStatus.inProgress.rawValue]).filter(\.$dueAt < now)
        }
        if let raw = list.filters["import"], let id = UUID(uuidString: raw) {
            query.filter(.sql(embed: "\(ident: "findings").\(ident: "id") IN (SELECT finding_id FROM finding_events WHERE import_id = \(bind: id))"))
        }
        if let q = list.filters["q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            var escaped = ""
            for char in q.lowercased() {
                if char == "!" || char == "%" || char == "_" { escaped.append("!") }
                escaped.append(char)
            }
            let pattern = "%" + escaped + "%"
            query.filter(.sql(embed: """
                (LOWER(\(ident: "findings").\(ident: "title")) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(COALESCE(\(ident: "findings").\(ident: "host"), '')) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(COALESCE(\(ident: "findings").\(ident: "hostname"), '')) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(COALESCE(\(ident: "findings").\(ident: "cves"), '')) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(COALESCE(\(ident: "findings").\(ident: "product"), '')) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(COALESCE(\(ident: "findings").\(ident: "scanner_ref"), '')) LIKE \(bind: pattern) ESCAPE '!')
                """))
        }
        return query
    }

    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        let query = try await filtered(subject: subject, list: list, on: db)
        let total = try await query.count()
        sort(query, list)
        let findings = try await query.range(list.offset..<(list.offset + list.per)).all()
        return Model(rows: try await rows(findings, on: db), total: total, list: list)
    }

    /// Default: gravest first, then the nearest deadline.
    static func sort(_ query: QueryBuilder<Finding>, _ list: ListQuery) {
        let direction: DatabaseQuery.Sort.Direction = list.descending ? .descending : .ascending
        switch list.sort {
        case "due":
            // Findings without a deadline (informational) last either way.
            query.sort(.sql(embed: "CASE WHEN \(ident: "findings").\(ident: "due_at") IS NULL THEN 1 ELSE 0 END"), .ascending)
            query.sort(\.$dueAt, direction)
        case "firstSeen": query.sort(\.$firstSeenAt, direction)
        case "lastSeen": query.sort(\.$lastSeenAt, direction)
        case "host": query.sort(\.$host, direction).sort(\.$port, direction)
        case "title": query.sort(\.$title, direction)
        case "status": query.sort(\.$status, direction)
        case "severity": query.sort(\.$severityRank, list.descending ? .ascending : .descending)
        default:
            query.sort(\.$severityRank, .descending)
            query.sort(.sql(embed: "CASE WHEN \(ident: "findings").\(ident: "due_at") IS NULL THEN 1 ELSE 0 END"), .ascending)
            query.sort(\.$dueAt, .ascending)
        }
        query.sort(\.$id)  // a stable order across pages
    }

    static func rows(_ findings: [Finding], on db: any Database) async throws -> [Row] {
        let systemIds = Array(Set(findings.map(\.systemId)))
        let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).all()
        let bySystem = Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, $0) })
        // Owned by the system's current agency.
        for f in findings { if let system = bySystem[f.systemId] { f.agencyId = system.$agency.id } }
        let agencyIds = Array(Set(findings.map(\.agencyId)))
        let agencies = agencyIds.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ agencyIds).all()
        let names = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        return findings.map { f in
            Row(finding: f, systemCode: bySystem[f.systemId]?.code ?? "—", systemName: bySystem[f.systemId]?.name ?? "—",
                agencyName: names[f.agencyId] ?? "—")
        }
    }
}
