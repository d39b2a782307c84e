import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// Imports warnings from a CSAF 2.0 advisory or NVD CVE JSON 2.0 (one record, an API page or a data feed), told apart
/// by content and read with the Formats readers (a feed record by record).
///
/// - A CSAF document becomes one warning (its CVEs, products, remediations, references).
/// - An NVD record becomes one warning (so does an API page or feed holding a single record).
/// - A feed holding several CVEs: `select` chooses which — `matching` (default: those affecting at least one system of
///   the inventory now), `all`, or `listed` (the CVE ids in `cves`, each of which must be in the file); `mode` `each`
///   (default) makes one warning per CVE, `combined` one warning for all of them (an authority's letter naming
///   several CVEs). Rejected NVD records are left out unless listed. At most ``maxWarnings`` warnings per import.
///
/// The issuer, number, issue date, deadline and required action typed with the upload apply to every warning created
/// (otherwise the file's publisher, tracking id or CVE id, release or publication date, and remediations are used).
/// A warning already imported from the same CSAF tracking id or CVE id is skipped and reported. Nothing is written
/// when the file or any record in it is malformed (the error names the place) or the choices are invalid.
enum WarningImport {
    static let maxWarnings = 500
    static let nvdIssuer = "NIST – National Vulnerability Database (NVD)"

    struct Options: Content {
        /// each | combined.
        var mode: String?
        /// matching | all | listed.
        var select: String?
        var cves: String?
        var issuer: String?
        var number: String?
        var issuedOn: String?
        var title: String?
        var deadline: String?
        var requiredAction: String?
    }

    enum Mode: String, CaseIterable { case each, combined }
    enum Selection: String, CaseIterable { case matching, all, listed }

    struct Result: Sendable {
        var kind: AdvisoryFileKind
        /// Records (NVD) or documents (CSAF) in the file.
        var considered: Int
        var created: [AuthorityWarning]
        /// Tracking or CVE ids already recorded.
        var skipped: [String]
    }

    /// One warning to create.
    struct Candidate {
        var valid: WarningInput.Valid
        var products: WarningProductSet
        var origin: WarningOrigin
        var originId: String?
    }

    static func run(data: Data, fileName: String, options: Options, req: Request, now: Date = Date()) async throws -> Result {
        var check = InputChecker()
        var mode = Mode.each
        if let raw = options.mode.map(Validators.trimmed), !raw.isEmpty {
            if let m = Mode(rawValue: raw) { mode = m } else { check.fail("mode", "validation.unknownValue") }
        }
        var selection = Selection.matching
        if let raw = options.select.map(Validators.trimmed), !raw.isEmpty {
            if let s = Selection(rawValue: raw) { selection = s } else { check.fail("select", "validation.unknownValue") }
        }
        let listed = WarningInput.cveList(options.cves, field: "cves", check: &check)
        if selection == .listed && listed.isEmpty && check.errors["cves"] == nil { check.fail("cves", "warnings.import.cvesRequired") }
        let issuer = check.optionalText("issuer", options.issuer, max: 500)
        let number = check.optionalText("number", options.number, max: 100)
        let issuedOn = check.responseDay("issuedOn", options.issuedOn)
        if let issuedOn, issuedOn > now { check.fail("issuedOn", "validation.futureDate") }
        let title = check.optionalText("title", options.title, max: 500)
        let deadline = check.responseDay("deadline", options.deadline)
        if let deadline, let issuedOn, deadline < issuedOn { check.fail("deadline", "warnings.deadlineBeforeIssue") }
        let action = check.optionalText("requiredAction", options.requiredAction, max: 8000)
        if data.isEmpty { check.fail("file", "validation.required") }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }

        // Read the whole file first: nothing is written unless all of it reads.
        let file: AdvisoryFile
        var items: [AdvisoryItem] = []
        var considered = 0
        var seenListed = Set<String>()
        let wanted = Set(listed)
        var matcher: VulnerabilityMatcher?
        var first: AdvisoryItem?
        do {
            file = try AdvisoryFile(data: data)
            if file.kind == .nvdFeed, selection == .matching {
                matcher = VulnerabilityMatcher(components: try await WarningMatching.Inventory.load(systemIds: nil, on: req.db).components)
            }
            while let item = try file.next() {
                considered += 1
                guard file.kind == .nvdFeed else { items.append(item); continue }
                if considered == 1 { first = item }
                let rejected = item.nvd?.vulnStatus?.lowercased() == "rejected"
                switch selection {
                case .all:
                    if !rejected { items.append(item) }
                case .listed:
                    let hit = item.advisory.cves.filter(wanted.contains) + (wanted.contains(item.advisory.id) ? [item.advisory.id] : [])
                    if !hit.isEmpty {
                        seenListed.formUnion(hit)
                        items.append(item)
                    }
                case .matching:
                    if !rejected, let matcher, !matcher.matches(item.advisory).isEmpty { items.append(item) }
                }
                if items.count > maxWarnings, mode == .each {
                    throw AppError.validation(FieldErrors(["file": "warnings.import.tooMany|\(maxWarnings)"]))
                }
            }
        } catch let error as AdvisoryFileError {
            throw AppError.validation(FieldErrors(["file": "warnings.import.invalid|\(error.kind?.displayName ?? "JSON")|\(clean(error.location))|\(clean(error.message))"]))
        }
        // A page of one record is that record: imported whatever the selection (unless other CVEs were listed).
        if file.kind == .nvdFeed, considered == 1, selection != .listed, let first { items = [first] }
        if selection == .listed, file.kind == .nvdFeed, let missing = listed.first(where: { !seenListed.contains($0) }) {
            throw AppError.validation(FieldErrors(["cves": "warnings.import.cveNotInFile|\(missing)"]))
        }
        if items.isEmpty {
            throw AppError.validation(FieldErrors(["file": selection == .matching && file.kind == .nvdFeed
                ? "warnings.import.noneMatching|\(considered)" : "warnings.import.empty"]))
        }
        let overrides = Overrides(issuer: issuer, number: number, issuedOn: issuedOn, title: title, deadline: deadline, requiredAction: action)
        var candidates: [Candidate]
        if mode == .combined, items.count > 1 {
            candidates = [combined(items, overrides: overrides, now: now)]
        } else {
            candidates = items.map { candidate($0, kind: file.kind, overrides: overrides, now: now) }
        }
        for c in candidates where c.valid.deadline.map({ $0 < c.valid.issuedOn }) ?? false {
            throw AppError.validation(FieldErrors(["deadline": "warnings.deadlineBeforeIssue"]))
        }
        // Already recorded from the same source id: skipped.
        var skipped: [String] = []
        let ids = candidates.compactMap(\.originId)
        var known = Set<String>()
        for chunk in ids.chunked(500) {
            known.formUnion(try await AuthorityWarning.query(on: req.db).filter(\.$originId ~~ Array(chunk)).all()
                .filter { $0.origin != WarningOrigin.manual.rawValue }.compactMap(\.originId))
        }
        candidates = candidates.filter { c in
            guard let id = c.originId, known.contains(id) else { return true }
            skipped.append(id)
            return false
        }
        let actor = req.auditActor
        let rules = req.application.rules
        let notifier = req.notifier
        let kind = file.kind
        let chosen = candidates
        let sha = SHA256Digest.hex(data)
        let source = fileName
        let skippedCount = skipped.count
        let records = considered
        let created: [AuthorityWarning] = try await req.write { db in
            var created: [AuthorityWarning] = []
            for c in chosen {
                let warning = AuthorityWarning()
                WarningService.apply(c.valid, products: c.products, to: warning)
                warning.origin = c.origin.rawValue
                warning.originId = c.originId
                warning.createdBy = actor.userId
                warning.createdByName = actor.label
                warning.version = 1
                try await warning.create(on: db)
                try await AuditLog.append(AuditEntry("warning.create", recordType: "authority_warning", recordId: warning.id!.uuidString,
                                                     after: warning.auditSnapshot, details: ["importedFrom": source, "sha256": sha]), by: actor, on: db)
                created.append(warning)
            }
            try await AuditLog.append(AuditEntry("warning.import", recordType: "import", recordId: sha,
                                                 details: ["format": kind.rawValue, "file": source, "created": String(created.count),
                                                           "skipped": String(skippedCount), "records": String(records)]), by: actor, on: db)
            if !created.isEmpty {
                try await WarningMatching.rematch(warningIds: created.compactMap(\.id), systemIds: nil, actor: actor, actorId: actor.userId,
                                                  notifier: notifier, rules: rules, on: db)
            }
            return created
        }
        return Result(kind: kind, considered: considered, created: created, skipped: skipped)
    }

    struct Overrides {
        var issuer: String?
        var number: String?
        var issuedOn: Date?
        var title: String?
        var deadline: Date?
        var requiredAction: String?
    }

    static func candidate(_ item: AdvisoryItem, kind: AdvisoryFileKind, overrides o: Overrides, now: Date) -> Candidate {
        let a = item.advisory
        if let csaf = item.csaf {
            let valid = WarningInput.Valid(
                issuer: cut(o.issuer ?? csaf.publisher ?? "CSAF", 500), number: cut(o.number ?? a.id, 100),
                issuedOn: min(o.issuedOn ?? csaf.initialReleaseDate ?? csaf.currentReleaseDate ?? now, now),
                title: cut(o.title ?? a.title, 500), description: csaf.summary.map { cut($0, 20_000) }, cves: validCVEs(a.cves),
                severity: csaf.score?.findingSeverity, cvssScore: csaf.score?.baseScore,
                requiredAction: o.requiredAction ?? (csaf.remediation.isEmpty ? nil : cut(csaf.remediation, 8000)),
                deadline: o.deadline, references: urls(csaf.references.map(\.url)), products: [])
            return Candidate(valid: valid, products: .fromAdvisory(a), origin: .csaf, originId: cut(a.id, 500))
        }
        let record = item.nvd
        let valid = WarningInput.Valid(
            issuer: cut(o.issuer ?? nvdIssuer, 500), number: cut(o.number ?? a.id, 100),
            issuedOn: min(o.issuedOn ?? record?.published ?? now, now),
            title: cut(o.title.map { "\($0) – \(a.id)" } ?? a.title, 500), description: record?.description.map { cut($0, 20_000) },
            cves: validCVEs(a.cves.isEmpty ? [a.id] : a.cves), severity: record?.score?.findingSeverity, cvssScore: record?.score?.baseScore,
            requiredAction: o.requiredAction, deadline: o.deadline, references: urls(record?.references.map(\.url) ?? []), products: [])
        return Candidate(valid: valid, products: .fromAdvisory(a), origin: .nvd, originId: a.id)
    }

    /// One warning for several records of a feed.
    static func combined(_ items: [AdvisoryItem], overrides o: Overrides, now: Date) -> Candidate {
        let cves = validCVEs(items.flatMap { $0.advisory.cves.isEmpty ? [$0.advisory.id] : $0.advisory.cves })
        let scores = items.compactMap { $0.nvd?.score }
        let best = scores.max { $0.baseScore < $1.baseScore }
        let description = items.map { "\($0.advisory.id): \($0.nvd?.description ?? $0.advisory.title)" }.joined(separator: "\n\n")
        let title = o.title ?? (cves.prefix(5).joined(separator: ", ") + (cves.count > 5 ? " (+\(cves.count - 5))" : ""))
        let valid = WarningInput.Valid(
            issuer: cut(o.issuer ?? nvdIssuer, 500), number: o.number.map { cut($0, 100) },
            issuedOn: min(o.issuedOn ?? items.compactMap { $0.nvd?.published }.max() ?? now, now),
            title: cut(title, 500), description: cut(description, 20_000), cves: cves, severity: best?.findingSeverity, cvssScore: best?.baseScore,
            requiredAction: o.requiredAction, deadline: o.deadline, references: urls(items.flatMap { $0.nvd?.references.map(\.url) ?? [] }), products: [])
        let merged = Advisory(id: cves.first ?? "", title: title, cves: cves, configurations: items.flatMap(\.advisory.configurations),
                              products: items.flatMap(\.advisory.products))
        return Candidate(valid: valid, products: .fromAdvisory(merged), origin: .nvd, originId: nil)
    }

    static func cut(_ text: String, _ max: Int) -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.count > max ? String(t.prefix(max - 1)) + "…" : t
    }

    static func validCVEs(_ ids: [String]) -> [String] {
        var out: [String] = []
        for id in ids.map({ $0.uppercased().trimmingCharacters(in: .whitespaces) }) where WarningInput.isCVE(id) && !out.contains(id) { out.append(id) }
        return Array(out.prefix(1000))
    }

    static func urls(_ list: [String]) -> [String] {
        var out: [String] = []
        for u in list.map({ $0.trimmingCharacters(in: .whitespaces) }) where u.count <= 2000 && !out.contains(u) {
            guard let url = URL(string: u), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else { continue }
            out.append(u)
        }
        return Array(out.prefix(200))
    }

    /// Text that travels as an argument of a `key|arg` message.
    static func clean(_ text: String) -> String {
        String(text.replacingOccurrences(of: "|", with: "/").prefix(400))
    }
}
