import Foundation
import Domain
import Fluent
import Formats
import SQLKit
import Vapor

/// Pass 2 of an import, inside the caller's transaction: reads the report again and
/// - creates the findings it has not seen on this system before (open, due by severity from rule data), in
///   batches, with their CVE rows and a `created` history entry;
/// - marks the ones seen again (last seen, `seen` entry) and reopens those that had been fixed or verified;
/// - closes as "fixed, verified by rescan" the open, in-progress or fixed findings of the same scanner on a host
///   this report covered (kept and up) that the report no longer names;
/// - records the scan as a completed vulnerability scan (assessment) that satisfies the scan duty;
/// - writes the counts on the import, refreshes the system's duties and appends one audit event.
/// Memory: one dictionary of the system's fingerprints (id, status) plus a batch of rows at a time.
enum ScanImporter {
    struct Counts: Sendable, Equatable {
        var total = 0
        var new = 0
        var seen = 0
        var reopened = 0
        var closed = 0
        /// Findings on hosts the user did not keep.
        var dropped = 0
        /// The same finding twice in one report.
        var duplicates = 0
    }

    struct Context: Sendable {
        var survey: ScanReportSurvey
        var fileURL: URL
        /// The hosts kept (all of them when every host was in scope).
        var keptHosts: [ScanHostEntry]
        /// "import" (uploaded report) or "nmap" (built-in scan).
        var source: String
        var performerKind: AssessmentPerformer
        var performer: String
        var actor: AuditActor
        var rules: RuleBook
        var limits = ScanLimits()
        var now = Date()
    }

    static let batchSize = 250

    private struct ExistingRow: Decodable {
        var id: UUID
        var fingerprint: String
        var status: String
        var scanner: String?
        var host: String?
        var hostname: String?
        var severity: String
        var port: Int?
        var proto: String?
    }

    private struct Existing {
        var id: UUID
        var status: FindingStatus
        var scanner: String?
        var hostKey: String
        var severity: FindingSeverity
        var port: Int?
        var proto: String?
    }

    private struct NewFinding {
        var id: UUID
        var fingerprint: String
        var finding: ScanFinding
    }

    static func run(_ row: ScanImport, _ context: Context, on db: any Database) async throws -> Counts {
        let sql = db as! any SQLDatabase
        let importId = try row.requireID()
        let systemId = row.systemId
        // Imports into one system take turns (SQLite's single writer already serialises them; on PostgreSQL two
        // would both insert a new fingerprint and one would fail on the unique index after all its work).
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: 0x5543_5343), hashtext(\(bind: systemId.uuidString)))").run()
        }
        let format = context.survey.format
        let now = context.now
        let proactive = context.rules.proactiveObligations(at: now)
        var counts = Counts()

        // The hosts kept, and the hosts this report speaks for (kept and up): only their findings may be closed.
        let keptKeys = Set(context.keptHosts.flatMap(\.keys))
        var scopeKeys = Set(context.keptHosts.filter { $0.state != "down" }.flatMap(\.keys))
        if context.survey.hostlessFindings > 0 { scopeKeys.insert("") }

        var existing: [String: Existing] = [:]
        for r in try await sql.select().columns("id", "fingerprint", "status", "scanner", "host", "hostname", "severity", "port", "proto")
            .from(Finding.schema).where("system_id", .equal, systemId).all(decoding: ExistingRow.self) {
            let host = ScanHostEntry.key(r.host)
            existing[r.fingerprint] = Existing(id: r.id, status: FindingStatus(rawValue: r.status) ?? .open, scanner: r.scanner,
                                               hostKey: host.isEmpty ? ScanHostEntry.key(r.hostname) : host,
                                               severity: FindingSeverity(rawValue: r.severity) ?? .info, port: r.port, proto: r.proto)
        }

        var seenFingerprints = Set<String>()
        var seenIds = Set<UUID>()
        var batch: [NewFinding] = []
        var seenBatch: [UUID] = []
        var reopenBatch: [(Existing, FindingTransition)] = []
        var severities: [FindingSeverity: Int] = [:]

        var reader = ScanReports.reader(for: format, source: try ByteSource(url: context.fileURL), limits: context.limits)
        while let event = try reader.next() {
            guard case .finding(let f) = event else { continue }
            let key = ScanHostEntry.findingKey(f)
            if !key.isEmpty, !keptKeys.contains(key) { counts.dropped += 1; continue }
            let fingerprint = FindingFingerprint.compute(host: f.host ?? f.hostname, port: f.port, proto: f.proto, cves: f.cves,
                                                         scannerFamily: format.rawValue, scannerId: f.scannerId, title: f.title,
                                                         location: f.location)
            guard seenFingerprints.insert(fingerprint).inserted else { counts.duplicates += 1; continue }
            counts.total += 1
            severities[f.severity, default: 0] += 1
            if let e = existing[fingerprint] {
                seenIds.insert(e.id)
                if let transition = FindingLifecycle.rescan(e.status, seen: true, at: now) {
                    reopenBatch.append((e, transition))
                } else {
                    seenBatch.append(e.id)
                }
                if seenBatch.count >= batchSize * 2 {
                    try await markSeen(seenBatch, importId: importId, context: context, on: sql)
                    counts.seen += seenBatch.count
                    seenBatch.removeAll(keepingCapacity: true)
                }
            } else {
                batch.append(NewFinding(id: UUID(), fingerprint: fingerprint, finding: f))
                if batch.count >= batchSize {
                    try await insert(batch, row: row, format: format, context: context, rules: proactive, on: sql)
                    counts.new += batch.count
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty {
            try await insert(batch, row: row, format: format, context: context, rules: proactive, on: sql)
            counts.new += batch.count
        }
        if !seenBatch.isEmpty {
            try await markSeen(seenBatch, importId: importId, context: context, on: sql)
            counts.seen += seenBatch.count
        }
        if !reopenBatch.isEmpty {
            try await apply(reopenBatch, importId: importId, context: context, rules: proactive, on: sql)
            counts.reopened = reopenBatch.count
        }

        // Gone from a rescan of the same scanner over the same host (and, when the report says which, a port it
        // probed — a top-100 rescan says nothing of port 8443): fixed, verified by rescan.
        var closeBatch: [(Existing, FindingTransition)] = []
        let probed = context.survey.info
        for e in existing.values where !seenIds.contains(e.id) && e.scanner == format.rawValue && scopeKeys.contains(e.hostKey)
            && probed.probed(port: e.port, proto: e.proto) {
            if let transition = FindingLifecycle.rescan(e.status, seen: false, at: now) { closeBatch.append((e, transition)) }
        }
        if !closeBatch.isEmpty {
            try await apply(closeBatch, importId: importId, context: context, rules: proactive, on: sql)
            counts.closed = closeBatch.count
        }

        // The scan itself: a completed vulnerability scan of the system.
        let info = context.survey.info
        let assessment = ProactiveAssessment()
        assessment.systemId = systemId
        assessment.agencyId = row.agencyId
        assessment.kind = AssessmentKind.vulnerabilityScan.rawValue
        assessment.state = "completed"
        assessment.performerKind = context.performerKind.rawValue
        assessment.performer = context.performer
        let started = info.startedAt ?? info.finishedAt ?? now
        assessment.startedAt = min(started, now)
        assessment.finishedAt = min(max(info.finishedAt ?? now, assessment.startedAt), now)
        assessment.tool = [info.scannerName ?? format.displayName, info.scannerVersion].compactMap { $0 }.joined(separator: " ")
        assessment.scope = scopeText(context.keptHosts)
        assessment.method = method(for: format).rawValue
        assessment.summary = summary(counts, severities: severities)
        assessment.source = context.source
        assessment.findingsCount = counts.total
        assessment.createdBy = context.actor.userId
        assessment.createdByName = String(context.actor.label.prefix(200))
        assessment.version = 1
        try await assessment.create(on: db)

        row.assessmentId = assessment.id
        row.format = format.rawValue
        row.state = ScanImportState.imported.rawValue
        row.scannerName = info.scannerName
        row.scannerVersion = info.scannerVersion
        row.reportStartedAt = info.startedAt
        row.reportFinishedAt = info.finishedAt
        row.findingsTotal = counts.total
        row.findingsNew = counts.new
        row.findingsReopened = counts.reopened
        row.findingsClosed = counts.closed
        row.error = nil
        try await row.save(on: db)

        try await ObligationRefresher.refresh(systemIds: [systemId], rules: context.rules, now: now, on: db)
        try await AuditLog.append(AuditEntry("scan.import", recordType: ScanImportService.recordType, recordId: importId.uuidString,
                                             agencyId: row.agencyId,
                                             after: ["systemId": systemId.uuidString, "format": format.rawValue, "state": row.state,
                                                     "assessmentId": assessment.id?.uuidString],
                                             details: ["total": String(counts.total), "new": String(counts.new), "seen": String(counts.seen),
                                                       "reopened": String(counts.reopened), "closed": String(counts.closed),
                                                       "dropped": String(counts.dropped), "source": context.source]),
                                  by: context.actor, on: db)
        return counts
    }

    // MARK: writes in batches

    private static let findingColumns = [
        "id", "system_id", "agency_id", "fingerprint", "source", "scanner", "scanner_ref", "title", "severity", "severity_rank",
        "cvss_score", "cvss_vector", "cves", "cwes", "host", "hostname", "port", "proto", "service", "product", "product_version", "cpe",
        "location", "description", "evidence", "solution", "refs", "status", "first_seen_at", "last_seen_at", "due_at", "status_changed_at",
        "last_import_id", "created_at", "updated_at", "version",
    ]

    private static func insert(_ batch: [NewFinding], row: ScanImport, format: ScannerFormat, context: Context, rules: ProactiveObligationRules,
                               on sql: any SQLDatabase) async throws {
        let now = context.now
        let importId = try row.requireID()
        var insert = sql.insert(into: Finding.schema).columns(findingColumns)
        var cveRows: [(UUID, String)] = []
        for item in batch {
            let f = item.finding
            let cves = FindingFingerprint.normalisedCVEs(f.cves)
            for cve in cves { cveRows.append((item.id, cve)) }
            let title = cap(f.title, 1000) ?? format.displayName
            insert = insert.values([
                SQLBind(item.id), SQLBind(row.systemId), SQLBind(row.agencyId), SQLBind(item.fingerprint), SQLBind("scan"),
                SQLBind(format.rawValue), SQLBind(cap(f.scannerId, 500)), SQLBind(title), SQLBind(f.severity.rawValue),
                SQLBind(FindingService.rank(f.severity)), SQLBind(f.cvssScore), SQLBind(cap(f.cvssVector, 200)),
                SQLBind(cves.isEmpty ? nil : cap(cves.joined(separator: " "), 20_000)),
                SQLBind(f.cwes.isEmpty ? nil : cap(f.cwes.joined(separator: " "), 2_000)),
                SQLBind(cap(f.host, 500)), SQLBind(cap(f.hostname, 500)), SQLBind(f.port), SQLBind(cap(f.proto, 20)), SQLBind(cap(f.service, 200)),
                SQLBind(cap(f.product, 500)), SQLBind(cap(f.version, 200)), SQLBind(cap(f.cpe, 500)), SQLBind(cap(f.location, 2_000)),
                SQLBind(cap(f.description, 65_536)), SQLBind(cap(f.evidence, 65_536)), SQLBind(cap(f.solution, 65_536)),
                SQLBind(f.references.isEmpty ? nil : cap(f.references.prefix(100).joined(separator: "\n"), 20_000)),
                SQLBind(FindingStatus.open.rawValue), SQLBind(now), SQLBind(now),
                SQLBind(FindingLifecycle.remediationDeadline(firstSeen: now, severity: f.severity, rules: rules)), SQLBind(now),
                SQLBind(importId), SQLBind(now), SQLBind(now), SQLBind(1),
            ])
        }
        try await insert.run()
        for chunk in cveRows.chunked(500) {
            var cveInsert = sql.insert(into: "finding_cves").columns("finding_id", "cve")
            for (id, cve) in chunk { cveInsert = cveInsert.values([SQLBind(id), SQLBind(cve)]) }
            try await cveInsert.run()
        }
        try await events(batch.map { ($0.id, FindingEventAction.created, nil, FindingStatus.open, nil) }, importId: importId, context: context, on: sql)
    }

    private static func markSeen(_ ids: [UUID], importId: UUID, context: Context, on sql: any SQLDatabase) async throws {
        for chunk in ids.chunked(500) {
            try await sql.update(Finding.schema).set("last_seen_at", to: SQLBind(context.now)).set("last_import_id", to: SQLBind(importId))
                .set("updated_at", to: SQLBind(context.now)).where("id", .in, SQLBind.group(Array(chunk))).run()
        }
        try await events(ids.map { ($0, FindingEventAction.seen, nil, nil, nil) }, importId: importId, context: context, on: sql)
    }

    /// Reopenings and closings by a rescan: grouped by the fields they set, then one UPDATE per group and chunk.
    private static func apply(_ changes: [(Existing, FindingTransition)], importId: UUID, context: Context, rules: ProactiveObligationRules,
                              on sql: any SQLDatabase) async throws {
        let now = context.now
        struct Group: Hashable {
            var to: FindingStatus
            var resolution: String?
            var newDue: FindingSeverity?
        }
        var groups: [Group: [UUID]] = [:]
        for (e, t) in changes {
            // Back after it was closed: a new remediation deadline from today; back from "fixed": the old one holds.
            let group = Group(to: t.to, resolution: t.resolution.flatMap(FindingService.encodeResolution),
                              newDue: t.to == .open && t.from.isClosed ? e.severity : nil)
            groups[group, default: []].append(e.id)
        }
        for (group, ids) in groups {
            for chunk in ids.chunked(500) {
                var update = sql.update(Finding.schema)
                    .set("status", to: SQLBind(group.to.rawValue)).set("status_changed_at", to: SQLBind(now))
                    .set("resolution", to: SQLBind(group.resolution)).set("closed_at", to: SQLBind(group.to.isClosed ? now : nil))
                    .set("accepted_by_name", to: SQLLiteral.null).set("accepted_reason", to: SQLLiteral.null)
                    .set("accepted_until", to: SQLLiteral.null).set("false_positive_reason", to: SQLLiteral.null)
                    .set("last_import_id", to: SQLBind(importId)).set("updated_at", to: SQLBind(now))
                    .set(SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
                if group.to == .open { update = update.set("last_seen_at", to: SQLBind(now)) }
                if let severity = group.newDue {
                    update = update.set("due_at", to: SQLBind(FindingLifecycle.remediationDeadline(firstSeen: now, severity: severity, rules: rules)))
                }
                try await update.where("id", .in, SQLBind.group(Array(chunk))).run()
            }
        }
        try await events(changes.map { e, t in (e.id, t.action, t.from, t.to, t.note) }, importId: importId, context: context, on: sql)
    }

    private static func events(_ rows: [(UUID, FindingEventAction, FindingStatus?, FindingStatus?, String?)], importId: UUID, context: Context,
                               on sql: any SQLDatabase) async throws {
        let actorName = String(context.actor.label.prefix(200))
        for chunk in rows.chunked(400) {
            var insert = sql.insert(into: FindingEvent.schema)
                .columns("id", "finding_id", "at", "action", "from_status", "to_status", "note", "import_id", "actor_id", "actor_name")
            for (id, action, from, to, note) in chunk {
                insert = insert.values([SQLBind(UUID()), SQLBind(id), SQLBind(context.now), SQLBind(action.rawValue), SQLBind(from?.rawValue),
                                        SQLBind(to?.rawValue), SQLBind(note), SQLBind(importId), SQLBind(context.actor.userId), SQLBind(actorName)])
            }
            try await insert.run()
        }
    }

    // MARK: texts

    static func cap(_ text: String?, _ max: Int) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text.count > max ? String(text.prefix(max - 1)) + "…" : text
    }

    static func method(for format: ScannerFormat) -> AssessmentMethod {
        switch format {
        case .nmap, .openvas, .nessus: .networkScan
        case .nuclei: .webApplicationScan
        case .trivy: .imageAndDependencyScan
        case .sarif: .sourceCodeScan
        }
    }

    /// `10.0.0.5, 10.0.0.6, … (+120)`.
    static func scopeText(_ hosts: [ScanHostEntry]) -> String? {
        guard !hosts.isEmpty else { return nil }
        let names = hosts.prefix(20).map { host in host.hostname.map { name in "\(host.address) (\(name))" } ?? host.address }
        return names.joined(separator: ", ") + (hosts.count > 20 ? ", … (+\(hosts.count - 20))" : "")
    }

    /// `12 phát hiện: 1 nghiêm trọng, 3 cao… / 12 findings: 1 critical, 3 high…`.
    static func summary(_ counts: Counts, severities: [FindingSeverity: Int]) -> String {
        let vi: [FindingSeverity: String] = [.critical: "nghiêm trọng", .high: "cao", .medium: "trung bình", .low: "thấp", .info: "thông tin"]
        let order = FindingSeverity.allCases.reversed().filter { (severities[$0] ?? 0) > 0 }
        let viText = "\(counts.total) phát hiện" + (order.isEmpty ? "" : ": " + order.map { "\(severities[$0]!) \(vi[$0]!)" }.joined(separator: ", "))
            + "; mới \(counts.new), mở lại \(counts.reopened), đóng do rà quét lại \(counts.closed)"
        let enText = "\(counts.total) findings" + (order.isEmpty ? "" : ": " + order.map { "\(severities[$0]!) \($0.rawValue)" }.joined(separator: ", "))
            + "; new \(counts.new), reopened \(counts.reopened), closed by rescan \(counts.closed)"
        return viText + " / " + enText
    }
}

/// The states of a scan import.
enum ScanImportState: String, CaseIterable, Sendable {
    /// The report names hosts outside the system's declared addresses: the user chooses which to keep.
    case awaitingConfirmation = "awaiting_confirmation"
    /// The built-in scan is running.
    case running
    case imported
    case failed
    case cancelled
}
