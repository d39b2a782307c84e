import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Changes to rules other than imports: the enabled flag and grouping window of one rule (with its version), and enabling or
/// disabling many at once. Each change bumps the rule-set version and is audited in its transaction.
enum DetectionRuleService {
    static let recordType = "sigma_rule"

    /// Grouping windows people may choose, in minutes (a day at most).
    static let windowMinutes = 1...1440

    /// A rule by its record id or, failing that, by its Sigma id (rules are province-wide: everyone with
    /// `viewDetection` reads them all).
    static func find(_ req: Request) async throws -> DetectionRule {
        guard let raw = req.parameters.get("id") else { throw AppError.notFound }
        if let id = UUID(uuidString: raw), let rule = try await DetectionRule.find(id, on: req.db) { return rule }
        if let rule = try await DetectionRule.query(on: req.db).filter(\.$ruleId == raw).first() { return rule }
        throw AppError.notFound
    }

    struct SettingsInput: Content, Sendable {
        /// "true"/"false" (form and JSON alike, through ``FormFlag``).
        var enabled: FormFlag?
        /// Minutes; empty (or null) for the default hour.
        var groupWindowMinutes: String?
        var version: Int?
    }

    static let changedMeanwhile = AppError.conflict("rule_changed", messageKey: "sigmaRules.changedMeanwhile")

    /// Enabled flag and grouping window of one rule. `expectedVersion` is what the page or client based the change on.
    static func change(_ rule: DetectionRule, enabled: Bool?, windowText: String??, expectedVersion: Int, req: Request) async throws {
        var check = InputChecker()
        if enabled == true, let reason = rule.unsupportedReason {
            check.fail("enabled", "sigmaRules.cannotEnableUnsupported|\(reason.replacingOccurrences(of: "|", with: "/"))")
        }
        var window = rule.groupWindowSeconds
        if let raw = windowText {
            let text = Validators.trimmed(raw)
            if text.isEmpty { window = nil }
            else if let minutes = Int(text), Self.windowMinutes.contains(minutes) { window = minutes * 60 }
            else { check.fail("groupWindowMinutes", "sigmaRules.badWindow|\(Self.windowMinutes.upperBound)") }
        }
        guard check.errors.isEmpty else { throw AppError.validation(check.errors) }
        if expectedVersion != rule.version { throw changedMeanwhile }
        let newEnabled = enabled ?? rule.enabled
        if newEnabled == rule.enabled && window == rule.groupWindowSeconds { return }
        let before = snapshot(rule)
        let actor = req.auditActor
        let id = try rule.requireID()
        let newWindow = window
        try await req.write { db in
            let claimed = try await (db as! any SQLDatabase).raw("""
                UPDATE sigma_rules SET version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING version
                """).all()
            guard claimed.count == 1 else { throw changedMeanwhile }
            rule.enabled = newEnabled
            rule.groupWindowSeconds = newWindow
            rule.version = expectedVersion + 1
            try await rule.save(on: db)
            try await DetectionState.bump(on: db)
            let action = before["enabled"] == snapshot(rule)["enabled"] ? "sigma_rule.settings" : (newEnabled ? "sigma_rule.enable" : "sigma_rule.disable")
            try await AuditLog.append(AuditEntry(action, recordType: recordType, recordId: id.uuidString, before: before, after: snapshot(rule),
                                                 details: ["ruleId": rule.ruleId]), by: actor, on: db)
        }
        req.application.detectionEngine.invalidate(app: req.application)
    }

    static func snapshot(_ r: DetectionRule) -> [String: String?] {
        ["enabled": r.enabled ? "true" : "false", "groupWindowSeconds": r.groupWindowSeconds.map(String.init)]
    }

    struct BulkResult: Content, Sendable {
        /// Rules whose flag changed.
        var changed: Int
        /// Rules that already had it.
        var unchanged: Int
        /// Unsupported rules left disabled by an "enable".
        var unsupported: Int
    }

    static let maxBulk = 50_000

    /// Enables or disables the rules with these ids (all of them must exist), in one transaction with one audit event.
    /// Unsupported rules are never enabled (counted apart).
    static func bulk(ids: [UUID], enabled: Bool, filter: String?, req: Request) async throws -> BulkResult {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { throw AppError.validation(FieldErrors(["ids": "sigmaRules.noneSelected"])) }
        guard unique.count <= maxBulk else { throw AppError.validation(FieldErrors(["ids": "sigmaRules.tooManySelected|\(maxBulk)"])) }
        let actor = req.auditActor
        let result = try await req.write { db -> BulkResult in
            var found = 0, changed = 0, unsupported = 0
            let sql = db as! any SQLDatabase
            for chunk in unique.chunked(500) {
                let rows = try await DetectionRule.query(on: db).filter(\.$id ~~ Array(chunk)).field(\.$id).field(\.$enabled)
                    .field(\.$unsupportedReason).all()
                found += rows.count
                var targets: [UUID] = []
                for row in rows where row.enabled != enabled {
                    if enabled && row.unsupportedReason != nil { unsupported += 1; continue }
                    targets.append(row.id!)
                }
                guard !targets.isEmpty else { continue }
                let list = SQLList(targets.map { SQLBind($0) })
                try await sql.raw("""
                    UPDATE sigma_rules SET enabled = \(bind: enabled), version = version + 1, updated_at = \(bind: Date()) WHERE id IN (\(list))
                    """).run()
                changed += targets.count
            }
            guard found == unique.count else { throw AppError.notFound }
            if changed > 0 {
                try await DetectionState.bump(on: db)
            }
            var details = ["enabled": enabled ? "true" : "false", "changed": String(changed), "selected": String(unique.count)]
            if let filter, !filter.isEmpty { details["filter"] = String(filter.prefix(500)) }
            try await AuditLog.append(AuditEntry(enabled ? "sigma_rules.enable" : "sigma_rules.disable", recordType: recordType, details: details),
                                      by: actor, on: db)
            return BulkResult(changed: changed, unchanged: unique.count - changed - (enabled ? unsupported : 0), unsupported: enabled ? unsupported : 0)
        }
        if result.changed > 0 { req.application.detectionEngine.invalidate(app: req.application) }
        return result
    }
}
