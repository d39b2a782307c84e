import Foundation
import Detection
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The rule-set version: one row (`detection_state`, id 1) whose counter goes up with every change to the rules (import,
/// enable, disable, grouping window), in the transaction of the change. Every instance compares it with the version of
/// its compiled engine.
enum DetectionState {
    static func bump(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE detection_state SET version = version + 1, changed_at = \(bind: Date()) WHERE id = 1
            """).run()
    }

    static func version(on db: any Database) async throws -> Int64 {
        let row = try await (db as! any SQLDatabase).raw("SELECT version FROM detection_state WHERE id = 1").first()
        return try row?.decode(column: "version", as: Int64.self) ?? 0
    }
}

/// The compiled `SigmaEngine` of the enabled, supported rules, cached per application.
///
/// ``compiled(on:)`` looks at the rule-set version in the database at most every ``checkInterval`` seconds (at once
/// after a change made by this instance) and rebuilds when it differs. A rebuild parses again only the rules whose row
/// changed since the last build (parsed rules are kept per row), so enabling one rule costs one query and the engine's
/// compilation. After a local change ``invalidate(app:)`` starts the rebuild in the background, off the request path.
///
/// A rebuild reads through the `db` it is given: continuous detection passes its transaction (on SQLite a second
/// connection of the same event loop would wait for that transaction for ever), and never waits for another build.
final class DetectionEngine: Sendable {
    /// How often the database's rule-set version is read at most.
    static let checkInterval: TimeInterval = 3

    /// What an index of the engine's rules stands for.
    struct RuleRef: Sendable {
        var id: UUID
        var sigmaId: String
        var title: String
        var level: String?
        var levelRank: Int
        var windowSeconds: Int
    }

    struct Compiled: Sendable {
        var version: Int64
        /// Nil when no rule is enabled.
        var engine: SigmaEngine?
        /// `refs[i]` is `engine.rules[i]`.
        var refs: [RuleRef]
        var builtAt: Date
        /// Enabled rules that could not be compiled (a newer engine refusing a stored rule): row id → reason.
        var skipped: [UUID: String]
    }

    private struct Parsed {
        var rowVersion: Int
        var rule: SigmaRule?
        var problem: String?
    }

    private struct State {
        var compiled: Compiled?
        var lastCheck: Date = .distantPast
        var mustCheck = true
        var parsed: [UUID: Parsed] = [:]
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// The engine for the rule set now in force.
    func compiled(on db: any Database) async throws -> Compiled {
        let now = Date()
        let (cached, check) = state.withLockedValue { s in
            (s.compiled, s.compiled == nil || s.mustCheck || now.timeIntervalSince(s.lastCheck) >= Self.checkInterval)
        }
        if let cached, !check { return cached }
        let version = try await DetectionState.version(on: db)
        if let cached, cached.version == version {
            state.withLockedValue { s in
                s.lastCheck = now
                s.mustCheck = false
            }
            return cached
        }
        let built = try await build(version: version, on: db)
        return state.withLockedValue { s in
            // A slower build of an older version never replaces a newer one.
            if let current = s.compiled, current.version > built.version { return current }
            s.compiled = built
            s.lastCheck = now
            s.mustCheck = false
            return built
        }
    }

    /// After a change made here: the next use reads the version again, and a rebuild starts now in the background.
    func invalidate(app: Application) {
        state.withLockedValue { $0.mustCheck = true }
        // The database handle is taken now, while the application is surely running; if it shuts down meanwhile the
        // rebuild fails quietly and the next use builds.
        let db = app.db
        let logger = app.logger
        Task.detached(priority: .utility) { [self] in
            do { _ = try await compiled(on: db) } catch { logger.debug("detection engine warm-up: \(error)") }
        }
    }

    /// The state of the cache, for the rules page.
    var current: Compiled? { state.withLockedValue { $0.compiled } }

    /// Builds the engine from the active rows, parsing only rows that changed since they were last parsed.
    private func build(version: Int64, on db: any Database) async throws -> Compiled {
        let rows = try await DetectionRule.query(on: db).filter(\.$enabled == true).filter(\.$unsupportedReason == nil)
            .field(\.$id).field(\.$ruleId).field(\.$title).field(\.$level).field(\.$levelRank).field(\.$groupWindowSeconds)
            .field(\.$version).sort(\.$levelRank, .descending).sort(\.$ruleId).all()
        let known = state.withLockedValue { $0.parsed }
        let stale = rows.filter { known[$0.id!]?.rowVersion != $0.version }.map { $0.id! }
        var fresh: [UUID: Parsed] = [:]
        for chunk in stale.chunked(300) {
            let full = try await DetectionRule.query(on: db).filter(\.$id ~~ Array(chunk)).field(\.$id).field(\.$ruleId).field(\.$yaml)
                .field(\.$origin).field(\.$version).all()
            for row in full {
                fresh[row.id!] = Self.parse(row)
            }
        }
        var parsed = known
        for (id, value) in fresh { parsed[id] = value }
        let active = Set(rows.map { $0.id! })
        parsed = parsed.filter { active.contains($0.key) }
        state.withLockedValue { $0.parsed = parsed }

        var rules: [SigmaRule] = []
        var refBySigmaId: [String: RuleRef] = [:]
        var skipped: [UUID: String] = [:]
        for row in rows {
            guard let entry = parsed[row.id!] else { continue }
            guard let rule = entry.rule else {
                skipped[row.id!] = entry.problem ?? "cannot be parsed"
                continue
            }
            rules.append(rule)
            refBySigmaId[rule.id] = RuleRef(id: row.id!, sigmaId: row.ruleId, title: row.title, level: row.level, levelRank: row.levelRank,
                                            windowSeconds: row.groupWindowSeconds ?? ContinuousDetection.defaultWindowSeconds)
        }
        guard !rules.isEmpty else { return Compiled(version: version, engine: nil, refs: [], builtAt: Date(), skipped: skipped) }
        let engine = SigmaEngine(rules: rules)
        var refs: [RuleRef] = []
        refs.reserveCapacity(engine.rules.count)
        for rule in engine.rules {
            // Every engine rule is one of ours (same id); a rule the engine left out is not referenced.
            refs.append(refBySigmaId[rule.id]!)
        }
        let applied = Set(engine.rules.map(\.id))
        for ref in refBySigmaId.values where !applied.contains(ref.sigmaId) { skipped[ref.id] = "not applied by the engine" }
        return Compiled(version: version, engine: engine, refs: refs, builtAt: Date(), skipped: skipped)
    }

    /// The stored YAML parsed again (a rule from a multi-rule file is stored with its whole file, and picked by id).
    private static func parse(_ row: DetectionRule) -> Parsed {
        do {
            let rules = try SigmaRuleLoader.parse(yaml: row.yaml, origin: row.origin)
            guard var rule = rules.first(where: { $0.id == row.ruleId }) ?? (rules.count == 1 ? rules.first : nil) else {
                return Parsed(rowVersion: row.version, rule: nil, problem: "the stored YAML no longer holds the rule \(row.ruleId)")
            }
            if let reason = rule.unsupported { return Parsed(rowVersion: row.version, rule: nil, problem: reason) }
            rule.id = row.ruleId
            return Parsed(rowVersion: row.version, rule: rule, problem: nil)
        } catch {
            return Parsed(rowVersion: row.version, rule: nil, problem: error.description)
        }
    }
}

extension Application {
    private struct DetectionEngineKey: StorageKey { typealias Value = DetectionEngine }
    private struct DetectionEngineLock: LockKey {}

    /// This instance's compiled rules.
    var detectionEngine: DetectionEngine {
        if let engine = storage[DetectionEngineKey.self] { return engine }
        return locks.lock(for: DetectionEngineLock.self).withLock {
            if let engine = storage[DetectionEngineKey.self] { return engine }
            let engine = DetectionEngine()
            storage[DetectionEngineKey.self] = engine
            return engine
        }
    }
}
