import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// A hunt as typed in the form (`/hunts/new`) or sent to `POST /api/v1/hunts`.
struct HuntInput: Content {
    var name: String?
    var purpose: String?
    /// "none", "selection", "tag", "level" or "all"; inferred from the other fields when left out.
    var ruleMode: String?
    /// `sigma_rules` ids (selection).
    var ruleIds: [String]?
    /// An ATT&CK or other tag: `attack.t1059`, `attack.execution` (the rule's tags, or their sub-techniques).
    var ruleTag: String?
    /// The lowest level: informational, low, medium, high, critical.
    var ruleLevel: String?
    /// With a tag or a level: also rules that are disabled for continuous detection.
    var includeDisabled: Bool?
    /// Indicator lists, one value per line (`#` comments and blank lines skipped; defanged forms accepted).
    var ips: String?
    var domains: String?
    var hashes: String?
    var strings: String?
    /// One list of IP addresses, domains and hashes whose kinds are told from the values.
    var indicators: String?
    /// The time range: a day (`2026-05-01`, Vietnam time; `to` covers the whole day) or an instant with its offset.
    var from: String?
    var to: String?
    var agencyIds: [String]?
    var systemIds: [String]?
    var sourceIds: [String]?
    /// The form's rule search text, and `action=search` when the form was sent to search rules (nothing starts then).
    var q: String?
    var action: String?

    init() {}

    static let modes = ["none", "selection", "tag", "level", "all"]
    static let maxIndicators = 10_000
    static let maxScopeItems = 2_000

    /// What a valid input becomes: everything the job needs, resolved and checked.
    struct Valid: Sendable {
        var name: String
        var purpose: String?
        var ruleMode: String
        var ruleTag: String?
        var ruleLevel: String?
        var includeDisabled: Bool
        var rules: [HuntRuleRef]
        var unsupported: Int
        var indicators: [Indicator]
        var from: Date
        var to: Date
        var agencyIds: [UUID]
        var systemIds: [UUID]
        var sourceIds: [UUID]
        var includeUnassigned: Bool
        var scopeAll: Bool { agencyIds.isEmpty && systemIds.isEmpty && sourceIds.isEmpty }
    }

    /// The default time range: the last six months up to today (Vietnam time), what the 6-monthly duty covers.
    static func defaultRange(now: Date = Date()) -> (from: String, to: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DisplayTime.zone
        let from = calendar.date(byAdding: .month, value: -6, to: now) ?? now
        return (DisplayTime.isoDay(from), DisplayTime.isoDay(now))
    }

    func validate(subject: Subject, now: Date = Date(), on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let name = check.requiredText("name", name, max: 300)
        let purpose = check.optionalText("purpose", purpose, max: 4000)

        // Rules
        let ids = (ruleIds ?? []).map(Validators.trimmed).filter { !$0.isEmpty }
        let tag = Validators.trimmed(ruleTag).lowercased()
        let level = Validators.trimmed(ruleLevel).lowercased()
        var mode = Validators.trimmed(ruleMode).lowercased()
        if mode.isEmpty {
            mode = !ids.isEmpty ? "selection" : !tag.isEmpty ? "tag" : !level.isEmpty ? "level" : "none"
        }
        // The form's default choice with nothing ticked but indicators typed: an indicator sweep.
        let indicatorTexts = [ips, domains, hashes, strings, indicators].compactMap { $0 }
        if mode == "selection", ids.isEmpty, indicatorTexts.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            mode = "none"
        }
        var rules: [HuntRuleRef] = []
        var unsupported = 0
        let includeDisabled = includeDisabled ?? false
        if !Self.modes.contains(mode) {
            check.fail("ruleMode", "validation.unknownValue")
        } else {
            var chosen: [HuntRuleCatalogue.Rule] = []
            var field = "ruleMode"
            switch mode {
            case "selection":
                field = "ruleIds"
                var uuids: [UUID] = []
                for raw in ids {
                    guard let id = UUID(uuidString: raw) else { check.fail("ruleIds", "validation.invalidId"); continue }
                    if !uuids.contains(id) { uuids.append(id) }
                }
                if ids.isEmpty { check.fail("ruleIds", "hunts.rulesRequired") }
                if uuids.count > HuntRuleCatalogue.maxRules { check.fail("ruleIds", "hunts.tooManyRules|\(HuntRuleCatalogue.maxRules)") }
                if check.errors["ruleIds"] == nil, !uuids.isEmpty {
                    chosen = try await HuntRuleCatalogue.rules(ids: uuids, on: db)
                    if chosen.count != uuids.count { check.fail("ruleIds", "hunts.unknownRule") }
                }
            case "tag":
                field = "ruleTag"
                if tag.isEmpty {
                    check.fail("ruleTag", "validation.required")
                } else if tag.count > 100 || !tag.unicodeScalars.allSatisfy({ CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-").contains($0) }) {
                    check.fail("ruleTag", "hunts.badTag")
                } else {
                    chosen = try await HuntRuleCatalogue.rules(tag: tag, includeDisabled: includeDisabled, on: db)
                    if chosen.isEmpty { check.fail("ruleTag", includeDisabled ? "hunts.noRuleWithTag" : "hunts.noEnabledRuleWithTag") }
                }
            case "level":
                field = "ruleLevel"
                if level.isEmpty {
                    check.fail("ruleLevel", "validation.required")
                } else if DetectionLevel(rawValue: level) == nil {
                    check.fail("ruleLevel", "validation.unknownValue")
                } else {
                    chosen = try await HuntRuleCatalogue.rules(minLevel: level, includeDisabled: includeDisabled, on: db)
                    if chosen.isEmpty { check.fail("ruleLevel", includeDisabled ? "hunts.noRuleAtLevel" : "hunts.noEnabledRuleAtLevel") }
                }
            case "all":
                chosen = try await HuntRuleCatalogue.enabledRules(on: db)
                if chosen.isEmpty { check.fail("ruleMode", "hunts.noEnabledRules") }
            default:
                break
            }
            let supported = chosen.filter(\.supported)
            unsupported = chosen.count - supported.count
            rules = supported.map { HuntRuleRef(id: $0.id, ruleId: $0.ruleId, title: $0.title, level: $0.level) }
            if !chosen.isEmpty, supported.isEmpty, check.errors[field] == nil { check.fail(field, "hunts.noSupportedRule") }
        }

        // Indicators
        var indicators: [Indicator] = []
        let lists: [(String, String?, IndicatorKind?)] = [("ips", ips, .ip), ("domains", domains, .domain), ("hashes", hashes, .hash),
                                                          ("strings", strings, .string), ("indicators", self.indicators, nil)]
        for (field, text, kind) in lists {
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            if text.utf8.count > 4 << 20 { check.fail(field, "validation.tooLong"); continue }
            do {
                for indicator in try IndicatorList.parse(text, kind: kind) where !indicators.contains(indicator) {
                    indicators.append(indicator)
                }
            } catch {
                check.fail(field, "hunts.indicatorLine|\(error.line)|\(Self.clean(error.message))")
            }
        }
        if indicators.count > Self.maxIndicators { check.fail("indicators", "hunts.tooManyIndicators|\(Self.maxIndicators)") }
        if mode == "none", indicators.isEmpty, check.errors["ruleMode"] == nil {
            check.fail("ruleMode", "hunts.nothingToHunt")
        }

        // Time range
        let defaults = Self.defaultRange(now: now)
        let fromText = Validators.trimmed(from).isEmpty ? defaults.from : Validators.trimmed(from)
        let toText = Validators.trimmed(to).isEmpty ? defaults.to : Validators.trimmed(to)
        let fromDate = Self.instant(fromText, endOfDay: false)
        let toDate = Self.instant(toText, endOfDay: true)
        if fromDate == nil { check.fail("from", "validation.invalidDate") }
        if toDate == nil { check.fail("to", "validation.invalidDate") }
        if let fromDate, let toDate, fromDate > toDate { check.fail("to", "hunts.toBeforeFrom") }
        if let fromDate, fromDate < Date(timeIntervalSince1970: 946_684_800) { check.fail("from", "hunts.tooEarly") }

        // Scope: what the starter may see, and nothing else.
        let scope = Policy.readScope(for: subject)
        func uuids(_ field: String, _ raw: [String]?) -> [UUID] {
            var out: [UUID] = []
            for value in (raw ?? []).map(Validators.trimmed) where !value.isEmpty {
                guard let id = UUID(uuidString: value) else { check.fail(field, "validation.invalidId"); continue }
                if !out.contains(id) { out.append(id) }
            }
            if out.count > Self.maxScopeItems { check.fail(field, "hunts.tooManyScopeItems|\(Self.maxScopeItems)") }
            return out
        }
        let agencyIds = uuids("agencyIds", agencyIds)
        let systemIds = uuids("systemIds", systemIds)
        let sourceIds = uuids("sourceIds", sourceIds)
        if check.errors["agencyIds"] == nil, !agencyIds.isEmpty {
            let found = try await Agency.scoped(to: subject, on: db).filter(\.$id ~~ agencyIds).all()
            if Set(found.compactMap(\.id)) != Set(agencyIds) || !agencyIds.allSatisfy({ scope.contains(agencyId: $0) }) {
                check.fail("agencyIds", "validation.unknownAgency")
            }
        }
        if check.errors["systemIds"] == nil, !systemIds.isEmpty {
            let found = try await InformationSystem.scoped(to: subject, on: db).filter(\.$id ~~ systemIds).count()
            if found != systemIds.count { check.fail("systemIds", "hunts.unknownSystem") }
        }
        if check.errors["sourceIds"] == nil, !sourceIds.isEmpty {
            let found = try await HuntSources.sources(ids: sourceIds, on: db)
            if found.count != sourceIds.count || found.contains(where: { !HuntSources.visible($0, scope: scope) }) {
                check.fail("sourceIds", "hunts.unknownSource")
            }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(name: name, purpose: purpose, ruleMode: mode, ruleTag: mode == "tag" ? tag : nil, ruleLevel: mode == "level" ? level : nil,
                     includeDisabled: (mode == "tag" || mode == "level") && includeDisabled, rules: rules, unsupported: unsupported,
                     indicators: indicators, from: fromDate!, to: toDate!, agencyIds: agencyIds, systemIds: systemIds, sourceIds: sourceIds,
                     // Events of unknown sources belong to no agency: only a hunt over everything, by someone who sees everything.
                     includeUnassigned: agencyIds.isEmpty && systemIds.isEmpty && sourceIds.isEmpty && scope == .all)
    }

    /// A day (`yyyy-MM-dd`, `dd/MM/yyyy`: the start of it, or its last millisecond for `to`) or an instant.
    static func instant(_ text: String, endOfDay: Bool) -> Date? {
        if let day = DisplayTime.parseDay(text) {
            return endOfDay ? day.addingTimeInterval(86_400 - 0.001) : day
        }
        return DisplayTime.parseInstant(text)
    }

    /// Text from outside placed in a message: no separators of the `key|arg` form, bounded length.
    static func clean(_ text: String) -> String {
        String(text.replacingOccurrences(of: "|", with: "/").prefix(300))
    }
}
