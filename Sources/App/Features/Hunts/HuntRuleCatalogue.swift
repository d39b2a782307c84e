import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// The hunts' view of the Sigma rules in the platform (`sigma_rules`, kept by the rules feature): choosing rules for a
/// hunt and compiling them when it runs.
enum HuntRuleCatalogue {
    /// At most this many rules in one hunt (the whole SigmaHQ collection is about 3,100).
    static let maxRules = 10_000

    struct Rule: Sendable, Hashable {
        var id: UUID
        var ruleId: String
        var title: String
        var level: String?
        var tags: [String]
        var enabled: Bool
        var supported: Bool
        var unsupportedReason: String?
        var status: String?
    }

    private static func rule(_ r: DetectionRule) -> Rule {
        Rule(id: r.id!, ruleId: r.ruleId, title: r.title, level: r.level, tags: r.tags, enabled: r.enabled, supported: r.isSupported,
             unsupportedReason: r.unsupportedReason, status: r.status)
    }

    /// The catalogue rows without their YAML (which can be large).
    private static func query(on db: any Database) -> QueryBuilder<DetectionRule> {
        DetectionRule.query(on: db)
            .field(\.$id).field(\.$ruleId).field(\.$title).field(\.$level).field(\.$levelRank).field(\.$tagsRaw).field(\.$enabled)
            .field(\.$unsupportedReason).field(\.$status)
    }

    static func rules(ids: [UUID], on db: any Database) async throws -> [Rule] {
        guard !ids.isEmpty else { return [] }
        var out: [Rule] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            out += try await query(on: db).filter(\.$id ~~ chunk).all().map(rule)
        }
        let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        return out.sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
    }

    /// Rules carrying the tag, or a sub-technique of it (`attack.t1059` also finds `attack.t1059.001`).
    static func rules(tag: String, includeDisabled: Bool, on db: any Database) async throws -> [Rule] {
        let escaped = likeEscape(tag.lowercased())
        let q = query(on: db).filter(.sql(SQLQueryString(
            "(LOWER(\(ident: "tags")) LIKE \(bind: "% " + escaped + " %") ESCAPE '!' OR LOWER(\(ident: "tags")) LIKE \(bind: "% " + escaped + ".%") ESCAPE '!')")))
        if !includeDisabled { q.filter(\.$enabled == true) }
        return try await q.sort(\.$levelRank, .descending).sort(\.$title).limit(maxRules).all().map(rule)
    }

    /// Rules at this level or above.
    static func rules(minLevel: String, includeDisabled: Bool, on db: any Database) async throws -> [Rule] {
        let q = query(on: db).filter(\.$levelRank >= DetectionLevel.rank(minLevel)).filter(\.$level != nil)
        if !includeDisabled { q.filter(\.$enabled == true) }
        return try await q.sort(\.$levelRank, .descending).sort(\.$title).limit(maxRules).all().map(rule)
    }

    static func enabledRules(on db: any Database) async throws -> [Rule] {
        try await query(on: db).filter(\.$enabled == true).sort(\.$levelRank, .descending).sort(\.$title).limit(maxRules).all().map(rule)
    }

    /// The form's list: rules whose title, Sigma id or tags contain the text (diacritics and case ignored), best level first.
    static func search(_ text: String, limit: Int, on db: any Database) async throws -> (rules: [Rule], total: Int) {
        let q = query(on: db)
        let folded = SearchText.fold(text).trimmingCharacters(in: .whitespaces)
        if !folded.isEmpty {
            let pattern = "%" + likeEscape(folded) + "%"
            q.filter(.sql(SQLQueryString("""
                (LOWER(\(ident: "title")) LIKE \(bind: pattern) ESCAPE '!' OR LOWER(\(ident: "rule_id")) LIKE \(bind: pattern) ESCAPE '!'
                 OR LOWER(\(ident: "tags")) LIKE \(bind: pattern) ESCAPE '!')
                """)))
        }
        let total = try await q.copy().count()
        let rules = try await q.sort(\.$enabled, .descending).sort(\.$levelRank, .descending).sort(\.$title).limit(limit).all().map(rule)
        return (rules, total)
    }

    /// `!` escapes LIKE's own wildcards (use with `ESCAPE '!'`).
    static func likeEscape(_ text: String) -> String {
        var out = ""
        for char in text {
            if char == "!" || char == "%" || char == "_" { out.append("!") }
            out.append(char)
        }
        return out
    }

    /// The hunt's rules compiled from their YAML as it is now (a rule deleted since the hunt started is left out, one
    /// that became unsupported too). Returns the engine's rules mapped back to the hunt's references.
    static func compile(_ refs: [HuntRuleRef], on db: any Database) async throws -> (engine: SigmaEngine?, refs: [HuntRuleRef]) {
        guard !refs.isEmpty else { return (nil, []) }
        var byId: [UUID: (yaml: String, origin: String, ruleId: String)] = [:]
        let ids = refs.map(\.id)
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await DetectionRule.query(on: db).filter(\.$id ~~ chunk).field(\.$id).field(\.$yaml).field(\.$origin).field(\.$ruleId)
                .field(\.$unsupportedReason).all() where row.unsupportedReason == nil {
                byId[row.id!] = (row.yaml, row.origin, row.ruleId)
            }
        }
        var rules: [SigmaRule] = []
        var kept: [HuntRuleRef] = []
        for ref in refs {
            guard let source = byId[ref.id] else { continue }
            guard let parsed = try? SigmaRuleLoader.parse(yaml: source.yaml, origin: source.origin) else { continue }
            guard let rule = parsed.first(where: { $0.id == source.ruleId }) ?? (parsed.count == 1 ? parsed.first : nil), rule.isSupported else { continue }
            rules.append(rule)
            kept.append(ref)
        }
        guard !rules.isEmpty else { return (nil, []) }
        let engine = SigmaEngine(rules: rules)
        // The engine keeps the supported rules in the order given; map its indices back by the rule id.
        let refsByRuleId = Dictionary(kept.map { ($0.ruleId, $0) }, uniquingKeysWith: { a, _ in a })
        return (engine, engine.rules.compactMap { refsByRuleId[$0.id] })
    }
}
