import Foundation
import Detection
import Domain
import Fluent
import Formats
import Vapor
import ZIPFoundation

/// Importing Sigma rules: files, folders (every file of an `<input webkitdirectory>`) and zips are read into rule files
/// (bounded), each parsed on its own (a file that fails is reported with its place and does not stop the others), then
/// everything is written in one transaction: new ids are added (enabled unless unsupported or deprecated), known ids get the
/// new version (keeping their enabled flag), identical ones are left alone.
enum RuleImport {
    static let maxFiles = 20_000
    static let maxFileBytes = 1 << 20
    static let maxTotalBytes = 128 << 20

    /// One rule file as read: where it came from (`rules.zip/windows/x.yml`, `sigma/windows/x.yml`) and its bytes.
    struct SourceFile: Sendable {
        var origin: String
        var bytes: [UInt8]
    }

    /// A file that could not be read, or a rule that could not be taken.
    struct Failure: Sendable, Equatable {
        var origin: String
        var line: Int?
        var column: Int?
        var message: String

        /// `file:line:column`.
        var place: String {
            var text = origin
            if let line { text += ":\(line)" + (column.map { ":\($0)" } ?? "") }
            return text
        }
    }

    /// What the readers found before parsing.
    struct Collected: Sendable {
        var files: [SourceFile] = []
        var failures: [Failure] = []
        /// Entries that are not rules (README, licences, images…) skipped inside zips and folders.
        var ignored = 0
        var totalBytes = 0
    }

    struct ParsedRule: Sendable {
        var rule: SigmaRule
        /// What is stored: the rule's own document, or the whole file when it held several rules (a collection with a
        /// global part is only complete with it).
        var yaml: String
    }

    /// A rule named in the outcome.
    struct Line: Sendable, Equatable {
        var id: UUID
        var ruleId: String
        var title: String
        var origin: String
        var level: String?
    }

    struct Unsupported: Sendable, Equatable {
        var line: Line
        var reason: String
    }

    struct Outcome: Sendable {
        var created: [Line] = []
        var updated: [Line] = []
        var unchanged = 0
        var unsupported: [Unsupported] = []
        var failures: [Failure] = []
        var ignored = 0
        var files = 0

        var changed: Bool { !created.isEmpty || !updated.isEmpty }
    }

    // MARK: reading

    static func isRuleFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yml") || lower.hasSuffix(".yaml")
    }

    static func isHidden(_ path: String) -> Bool {
        path.split(separator: "/").contains { $0.hasPrefix(".") || $0 == "__MACOSX" }
    }

    /// Uploaded parts: YAML files are taken, zips are opened; anything else is a failure naming the file.
    static func collect(uploads: [(name: String, bytes: [UInt8])]) -> Collected {
        var out = Collected()
        for upload in uploads {
            let name = cleanPath(upload.name)
            if upload.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || name.lowercased().hasSuffix(".zip") {
                readZip(name: name, bytes: upload.bytes, into: &out)
            } else if isRuleFile(name) {
                add(SourceFile(origin: name, bytes: upload.bytes), into: &out)
            } else if isHidden(name) {
                out.ignored += 1
            } else {
                out.failures.append(Failure(origin: name, message: "not a rule file: only .yml, .yaml and .zip files are imported"))
            }
        }
        return out
    }

    /// Paths given to the command line: folders (recursively), zips and files.
    static func collect(paths: [URL]) -> Collected {
        var out = Collected()
        for url in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                out.failures.append(Failure(origin: url.path, message: "no such file or folder"))
                continue
            }
            if isDirectory.boolValue {
                let base = url.standardizedFileURL.path
                let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
                var found: [URL] = []
                while let item = enumerator?.nextObject() as? URL {
                    if (try? item.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(item) }
                }
                for item in found.sorted(by: { $0.path < $1.path }) {
                    let full = item.standardizedFileURL.path
                    let relative = full.hasPrefix(base) ? String(full.dropFirst(base.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : full
                    let origin = url.lastPathComponent + "/" + relative
                    if isHidden(relative) { out.ignored += 1; continue }
                    if isRuleFile(item.lastPathComponent) || item.pathExtension.lowercased() == "zip" {
                        readFile(item, origin: origin, into: &out)
                    } else {
                        out.ignored += 1
                    }
                }
            } else {
                readFile(url, origin: url.lastPathComponent, into: &out)
            }
        }
        return out
    }

    private static func readFile(_ url: URL, origin: String, into out: inout Collected) {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let isZip = url.pathExtension.lowercased() == "zip"
        if size > (isZip ? maxTotalBytes : maxFileBytes) {
            out.failures.append(Failure(origin: origin, message: "larger than \((isZip ? maxTotalBytes : maxFileBytes) >> 20) MB"))
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            out.failures.append(Failure(origin: origin, message: "cannot be read"))
            return
        }
        let bytes = [UInt8](data)
        if isZip || bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            readZip(name: origin, bytes: bytes, into: &out)
        } else if isRuleFile(origin) {
            add(SourceFile(origin: origin, bytes: bytes), into: &out)
        } else {
            out.failures.append(Failure(origin: origin, message: "not a rule file: only .yml, .yaml and .zip files are imported"))
        }
    }

    private static func add(_ file: SourceFile, into out: inout Collected) {
        if file.bytes.count > maxFileBytes {
            out.failures.append(Failure(origin: file.origin, message: "larger than \(maxFileBytes >> 20) MB: not a rule file"))
            return
        }
        guard out.files.count < maxFiles else {
            out.failures.append(Failure(origin: file.origin, message: "more than \(maxFiles) rule files in one import"))
            return
        }
        guard out.totalBytes + file.bytes.count <= maxTotalBytes else {
            out.failures.append(Failure(origin: file.origin, message: "the import is over \(maxTotalBytes >> 20) MB of rules"))
            return
        }
        out.totalBytes += file.bytes.count
        out.files.append(file)
    }

    /// The `.yml`/`.yaml` entries of a zip, each inflated within the limits (headers can lie, so the real size counts).
    private static func readZip(name: String, bytes: [UInt8], into out: inout Collected) {
        let archive: Archive
        do { archive = try ZipData.archive(Data(bytes)) } catch {
            out.failures.append(Failure(origin: name, message: "not a valid ZIP archive (\(error))"))
            return
        }
        var entries: [Entry] = []
        for entry in archive where entry.type == .file { entries.append(entry) }
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            let path = cleanPath(entry.path)
            let origin = name + "/" + path
            if isHidden(path) || !isRuleFile(path) { out.ignored += 1; continue }
            if entry.uncompressedSize > UInt64(maxFileBytes) {
                out.failures.append(Failure(origin: origin, message: "larger than \(maxFileBytes >> 20) MB: not a rule file"))
                continue
            }
            if out.files.count >= maxFiles {
                out.failures.append(Failure(origin: origin, message: "more than \(maxFiles) rule files in one import"))
                return
            }
            var data = [UInt8]()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    if data.count + chunk.count > maxFileBytes { throw LimitExceeded() }
                    data.append(contentsOf: chunk)
                }
            } catch is LimitExceeded {
                out.failures.append(Failure(origin: origin, message: "inflates beyond \(maxFileBytes >> 20) MB: not a rule file"))
                continue
            } catch {
                out.failures.append(Failure(origin: origin, message: "cannot be decompressed"))
                continue
            }
            add(SourceFile(origin: origin, bytes: data), into: &out)
        }
    }

    private struct LimitExceeded: Error {}

    /// A relative path with forward slashes and nothing above its start.
    static func cleanPath(_ raw: String) -> String {
        let parts = raw.replacingOccurrences(of: "\\", with: "/").split(separator: "/")
            .filter { $0 != "." && $0 != ".." && !$0.isEmpty }
            .map { String($0.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }) }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? "file" : String(joined.prefix(500))
    }

    // MARK: parsing

    /// Every file parsed on its own. Rules without an id, and a second rule with an id already taken in this import, are
    /// failures of their file.
    static func parse(_ files: [SourceFile]) -> (rules: [ParsedRule], failures: [Failure]) {
        var rules: [ParsedRule] = []
        var failures: [Failure] = []
        var seen: [String: String] = [:]
        for file in files {
            var bytes = file.bytes[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                failures.append(Failure(origin: file.origin, message: "not UTF-8 text"))
                continue
            }
            let parsed: [SigmaRule]
            do {
                parsed = try SigmaRuleLoader.parse(yaml: text, origin: file.origin)
            } catch {
                failures.append(Failure(origin: error.origin.isEmpty ? file.origin : error.origin, line: error.line, column: error.column,
                                        message: error.message))
                continue
            }
            if parsed.isEmpty {
                failures.append(Failure(origin: file.origin, message: "no rule in the file"))
                continue
            }
            for rule in parsed {
                let id = rule.id.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !id.isEmpty else {
                    failures.append(Failure(origin: file.origin, message: "the rule \"\(rule.title)\" has no id"))
                    continue
                }
                guard id.count <= 200 else {
                    failures.append(Failure(origin: file.origin, message: "the rule id is longer than 200 characters"))
                    continue
                }
                if let earlier = seen[id] {
                    failures.append(Failure(origin: file.origin, message: "the id \(id) is already used by \(earlier) in this import"))
                    continue
                }
                seen[id] = file.origin
                var rule = rule
                rule.id = id
                if rule.origin.isEmpty { rule.origin = file.origin }
                let own = parsed.count == 1 && !rule.yaml.isEmpty ? rule.yaml : text
                rules.append(ParsedRule(rule: rule, yaml: own))
            }
        }
        return (rules, failures)
    }

    // MARK: writing

    /// Whether an import makes a new rule enabled: unless UngCuu cannot apply it or Sigma marks it deprecated/unsupported.
    static func enabledWhenNew(_ rule: SigmaRule) -> Bool {
        guard rule.isSupported else { return false }
        let status = rule.status?.lowercased()
        return status != "deprecated" && status != "unsupported"
    }

    /// Writes the parsed rules in the caller's transaction; bumps the rule-set version when anything changed; one audit
    /// event for the import.
    static func apply(_ rules: [ParsedRule], collected: Collected, parseFailures: [Failure], actor: AuditActor,
                      on db: any Database) async throws -> Outcome {
        var outcome = Outcome()
        outcome.failures = collected.failures + parseFailures
        outcome.ignored = collected.ignored
        outcome.files = collected.files.count
        var existing: [String: DetectionRule] = [:]
        for chunk in rules.map(\.rule.id).chunked(500) {
            for row in try await DetectionRule.query(on: db).filter(\.$ruleId ~~ Array(chunk)).all() { existing[row.ruleId] = row }
        }
        let now = Date()
        var fresh: [DetectionRule] = []
        for item in rules {
            let rule = item.rule
            if let row = existing[rule.id] {
                let before = RuleFields(row)
                set(row, from: item, actor: actor, now: now)
                if RuleFields(row) == before {
                    // Not saved: the row keeps where it first came from.
                    outcome.unchanged += 1
                } else {
                    row.importedAt = now
                    row.importedBy = actor.userId
                    row.importedByName = String(actor.label.prefix(200))
                    row.version += 1
                    try await row.save(on: db)
                    outcome.updated.append(line(row))
                }
                if let reason = row.unsupportedReason { outcome.unsupported.append(Unsupported(line: line(row), reason: reason)) }
            } else {
                let row = DetectionRule()
                row.id = UUID()
                set(row, from: item, actor: actor, now: now)
                row.enabled = enabledWhenNew(rule)
                row.importedAt = now
                row.importedBy = actor.userId
                row.importedByName = String(actor.label.prefix(200))
                row.hitCount = 0
                row.version = 1
                fresh.append(row)
                outcome.created.append(line(row))
                if let reason = row.unsupportedReason { outcome.unsupported.append(Unsupported(line: line(row), reason: reason)) }
            }
        }
        for chunk in fresh.chunked(400) { try await Array(chunk).create(on: db) }
        if outcome.changed { try await DetectionState.bump(on: db) }
        try await AuditLog.append(AuditEntry("sigma_rules.import", recordType: DetectionRuleService.recordType, details: [
            "files": String(outcome.files), "created": String(outcome.created.count), "updated": String(outcome.updated.count),
            "unchanged": String(outcome.unchanged), "unsupported": String(outcome.unsupported.count), "failed": String(outcome.failures.count),
        ]), by: actor, on: db)
        return outcome
    }

    /// The fields an import sets (everything the YAML decides; not enabled, hits or who imported). The same rule found at
    /// another path is unchanged.
    private struct RuleFields: Equatable {
        var title, tags, yaml: String
        var level, status, details, author, product, service, category, unsupported: String?

        init(_ r: DetectionRule) {
            title = r.title; tags = r.tagsRaw; yaml = r.yaml; level = r.level; status = r.status; details = r.details
            author = r.author; product = r.product; service = r.service; category = r.category; unsupported = r.unsupportedReason
        }
    }

    private static func set(_ row: DetectionRule, from item: ParsedRule, actor: AuditActor, now: Date) {
        let rule = item.rule
        row.ruleId = rule.id
        row.title = String(rule.title.prefix(1000))
        row.level = rule.level?.lowercased()
        row.levelRank = DetectionLevel.rank(rule.level)
        row.status = rule.status?.lowercased()
        row.details = rule.description.map { String($0.prefix(20_000)) }
        row.author = rule.author.map { String($0.prefix(1000)) }
        row.tagsRaw = DetectionRule.rawTags(rule.tags.map { $0.lowercased() })
        row.product = rule.logsource.product?.lowercased()
        row.service = rule.logsource.service?.lowercased()
        row.category = rule.logsource.category?.lowercased()
        row.yaml = item.yaml
        row.origin = rule.origin
        row.unsupportedReason = rule.unsupported.map { String($0.prefix(4000)) }
    }

    static func line(_ row: DetectionRule) -> Line {
        Line(id: row.id!, ruleId: row.ruleId, title: row.title, origin: row.origin, level: row.level)
    }

    // MARK: the whole import

    /// Collected files → parsed → written in one transaction; then this instance's engine is rebuilt in the background.
    static func run(_ collected: Collected, actor: AuditActor, app: Application) async throws -> Outcome {
        let (rules, failures) = parse(collected.files)
        let outcome = try await app.write { db in
            try await apply(rules, collected: collected, parseFailures: failures, actor: actor, on: db)
        }
        if outcome.changed { app.detectionEngine.invalidate(app: app) }
        return outcome
    }
}
