import Foundation
import Domain
import Fluent
import FluentSQL
import SQLKit
import Vapor

/// The rule list: filters by text, level, Sigma status, tag, log source, enabled, supported and hits; figures for the whole set.
enum RulesIndex {
    static let filterKeys = ["q", "level", "status", "tag", "product", "category", "service", "enabled", "supported", "hits"]
    static let sortKeys = ["title", "level", "status", "lastHit", "hits", "imported"]
    static let yesNo = ["yes", "no"]
    static let sigmaStatuses = ["stable", "test", "experimental", "deprecated", "unsupported"]

    struct Figures: Sendable {
        var total = 0
        var active = 0
        var disabled = 0
        var unsupported = 0
        var withHits = 0
    }

    struct Model {
        var rules: [DetectionRule]
        var total: Int
        var figures: Figures
        var list: ListQuery
    }

    static func validate(_ list: ListQuery) -> FieldErrors {
        var errors = FieldErrors()
        if let raw = list.filters["level"] {
            for part in raw.split(separator: ",") where DetectionLevel(rawValue: String(part)) == nil { errors.add("level", "validation.unknownValue") }
        }
        if let raw = list.filters["status"], !sigmaStatuses.contains(raw.lowercased()) { errors.add("status", "validation.unknownValue") }
        for key in ["enabled", "supported", "hits"] where list.filters[key].map({ !yesNo.contains($0) }) == true {
            errors.add(key, "validation.unknownValue")
        }
        return errors
    }

    /// `%text%` for LIKE with `!` as the escape character.
    static func likePattern(_ text: String) -> String {
        var escaped = ""
        for char in text.lowercased() {
            if char == "!" || char == "%" || char == "_" { escaped.append("!") }
            escaped.append(char)
        }
        return "%" + escaped + "%"
    }

    static func filtered(_ list: ListQuery, on db: any Database) -> QueryBuilder<DetectionRule> {
        let query = DetectionRule.query(on: db)
        if let q = list.filters["q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            let pattern = likePattern(q)
            query.filter(.sql(embed: """
                (LOWER(\(ident: "sigma_rules").\(ident: "title")) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(\(ident: "sigma_rules").\(ident: "rule_id")) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(COALESCE(\(ident: "sigma_rules").\(ident: "description"), '')) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(\(ident: "sigma_rules").\(ident: "origin")) LIKE \(bind: pattern) ESCAPE '!')
                """))
        }
        if let raw = list.filters["level"] {
            query.filter(\.$level ~~ raw.split(separator: ",").map { String($0) })
        }
        if let raw = list.filters["status"] { query.filter(\.$status == raw.lowercased()) }
        if let raw = list.filters["tag"]?.trimmingCharacters(in: .whitespaces).lowercased(), !raw.isEmpty {
            // The tag itself, or a sub-technique of it (attack.t1059 finds attack.t1059.001).
            let exact = "% " + String(likePattern(raw).dropFirst().dropLast()) + " %"
            let sub = "% " + String(likePattern(raw).dropFirst().dropLast()) + ".%"
            query.filter(.sql(embed: """
                (\(ident: "sigma_rules").\(ident: "tags") LIKE \(bind: exact) ESCAPE '!' OR \(ident: "sigma_rules").\(ident: "tags") LIKE \(bind: sub) ESCAPE '!')
                """))
        }
        for key in ["product", "category", "service"] {
            if let raw = list.filters[key]?.lowercased() { query.filter(.sql(embed: "\(ident: "sigma_rules").\(ident: key) = \(bind: raw)")) }
        }
        switch list.filters["enabled"] {
        case "yes": query.filter(\.$enabled == true)
        case "no": query.filter(\.$enabled == false)
        default: break
        }
        switch list.filters["supported"] {
        case "yes": query.filter(\.$unsupportedReason == nil)
        case "no": query.filter(\.$unsupportedReason != nil)
        default: break
        }
        switch list.filters["hits"] {
        case "yes": query.filter(\.$hitCount > 0)
        case "no": query.filter(\.$hitCount == 0)
        default: break
        }
        return query
    }

    static func sort(_ query: QueryBuilder<DetectionRule>, _ list: ListQuery) {
        let direction: DatabaseQuery.Sort.Direction = list.descending ? .descending : .ascending
        switch list.sort {
        case "title": query.sort(\.$title, direction)
        case "level": query.sort(\.$levelRank, list.descending ? .ascending : .descending)
        case "status": query.sort(\.$status, direction)
        case "lastHit":
            query.sort(.sql(embed: "CASE WHEN \(ident: "sigma_rules").\(ident: "last_hit_at") IS NULL THEN 1 ELSE 0 END"), .ascending)
            query.sort(\.$lastHitAt, list.descending ? .ascending : .descending)
        case "hits": query.sort(\.$hitCount, list.descending ? .ascending : .descending)
        case "imported": query.sort(\.$importedAt, list.descending ? .ascending : .descending)
        default:
            query.sort(\.$levelRank, .descending)
            query.sort(\.$title, .ascending)
        }
        query.sort(\.$id)
    }

    static func figures(on db: any Database) async throws -> Figures {
        let row = try await (db as! any SQLDatabase).raw("""
            SELECT COUNT(*) AS total,
                   SUM(CASE WHEN enabled = \(bind: true) AND unsupported_reason IS NULL THEN 1 ELSE 0 END) AS active,
                   SUM(CASE WHEN enabled = \(bind: false) THEN 1 ELSE 0 END) AS disabled,
                   SUM(CASE WHEN unsupported_reason IS NOT NULL THEN 1 ELSE 0 END) AS unsupported,
                   SUM(CASE WHEN hit_count > 0 THEN 1 ELSE 0 END) AS with_hits
            FROM sigma_rules
            """).first()
        func value(_ column: String) -> Int { ((try? row?.decode(column: column, as: Int?.self)) ?? nil) ?? 0 }
        return Figures(total: value("total"), active: value("active"), disabled: value("disabled"), unsupported: value("unsupported"),
                       withHits: value("with_hits"))
    }

    static func query(_ list: ListQuery, on db: any Database) async throws -> Model {
        let query = filtered(list, on: db)
        let total = try await query.count()
        sort(query, list)
        let rules = try await query.range(list.offset..<(list.offset + list.per)).all()
        return Model(rules: rules, total: total, figures: try await figures(on: db), list: list)
    }

    /// The record ids the filters select (for "all the filtered rules").
    static func ids(_ list: ListQuery, on db: any Database) async throws -> [UUID] {
        try await filtered(list, on: db).field(\.$id).limit(DetectionRuleService.maxBulk + 1).all().map { $0.id! }
    }

    /// The distinct log sources of the imported rules, for the filter choices.
    static func logSources(on db: any Database) async throws -> (products: [String], categories: [String], services: [String]) {
        let sql = db as! any SQLDatabase
        func distinct(_ column: String) async throws -> [String] {
            try await sql.raw("SELECT DISTINCT \(ident: column) AS v FROM sigma_rules WHERE \(ident: column) IS NOT NULL ORDER BY 1").all()
                .compactMap { try? $0.decode(column: "v", as: String.self) }
        }
        return (try await distinct("product"), try await distinct("category"), try await distinct("service"))
    }
}
