import Foundation
import Domain
import Vapor

/// A rule as the API shows it.
struct SigmaRuleDTO: Content {
    struct LogSource: Content {
        var product: String?
        var service: String?
        var category: String?
    }

    var id: UUID
    var ruleId: String
    var title: String
    var level: String?
    var status: String?
    var description: String?
    var author: String?
    var tags: [String]
    var attackTags: [String]
    var logsource: LogSource
    var origin: String
    var enabled: Bool
    var supported: Bool
    var unsupportedReason: String?
    var groupWindowMinutes: Int
    var importedAt: Date
    var importedByName: String
    var lastHitAt: Date?
    var hitCount: Int64
    var version: Int
    var yaml: String?

    init(_ r: DetectionRule, withYAML: Bool = false) {
        id = r.id!
        ruleId = r.ruleId
        title = r.title
        level = r.level
        status = r.status
        description = r.details
        author = r.author
        tags = r.tags
        attackTags = r.tags.filter { $0.hasPrefix("attack.") }
        logsource = LogSource(product: r.product, service: r.service, category: r.category)
        origin = r.origin
        enabled = r.enabled
        supported = r.isSupported
        unsupportedReason = r.unsupportedReason
        groupWindowMinutes = (r.groupWindowSeconds ?? ContinuousDetection.defaultWindowSeconds) / 60
        importedAt = r.importedAt
        importedByName = r.importedByName
        lastHitAt = r.lastHitAt
        hitCount = r.hitCount
        version = r.version
        yaml = withYAML ? r.yaml : nil
    }
}

struct SigmaRulePage: Content {
    struct Figures: Content {
        var total: Int
        var active: Int
        var disabled: Int
        var unsupported: Int
        var withHits: Int
    }

    var items: [SigmaRuleDTO]
    var total: Int
    var page: Int
    var per: Int
    /// Over every rule, whatever the filters.
    var figures: Figures
}

/// `PATCH /api/v1/detection/rules/{id}`: `groupWindowMinutes: null` goes back to the default hour; leaving it out keeps it.
struct SigmaRulePatch: Content {
    var enabled: Bool?
    var groupWindowMinutes: Int?
    var windowGiven = false
    var version: Int?

    enum CodingKeys: String, CodingKey { case enabled, groupWindowMinutes, version }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        windowGiven = c.contains(.groupWindowMinutes)
        groupWindowMinutes = try c.decodeIfPresent(Int.self, forKey: .groupWindowMinutes)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(enabled, forKey: .enabled)
        try c.encodeIfPresent(groupWindowMinutes, forKey: .groupWindowMinutes)
        try c.encodeIfPresent(version, forKey: .version)
    }
}

/// What an import did.
struct RuleImportDTO: Content {
    struct RuleLine: Content {
        var id: UUID
        var ruleId: String
        var title: String
        var origin: String
        var level: String?
    }

    struct UnsupportedRule: Content {
        var id: UUID
        var ruleId: String
        var title: String
        var origin: String
        var reason: String
    }

    struct FailedFile: Content {
        var origin: String
        var line: Int?
        var column: Int?
        var message: String
        /// `file:line:column`.
        var place: String
    }

    var files: Int
    var created: [RuleLine]
    var updated: [RuleLine]
    var unchanged: Int
    var unsupported: [UnsupportedRule]
    var failed: [FailedFile]
    /// Entries of zips and folders that are not rule files.
    var ignored: Int

    init(_ o: RuleImport.Outcome) {
        func line(_ l: RuleImport.Line) -> RuleLine { RuleLine(id: l.id, ruleId: l.ruleId, title: l.title, origin: l.origin, level: l.level) }
        files = o.files
        created = o.created.map(line)
        updated = o.updated.map(line)
        unchanged = o.unchanged
        unsupported = o.unsupported.map { UnsupportedRule(id: $0.line.id, ruleId: $0.line.ruleId, title: $0.line.title, origin: $0.line.origin,
                                                          reason: $0.reason) }
        failed = o.failures.map { FailedFile(origin: $0.origin, line: $0.line, column: $0.column, message: $0.message, place: $0.place) }
        ignored = o.ignored
    }
}
