import Foundation
import Domain
import Fluent
import SQLKit

/// Runs ``VulnerabilityMatcher`` over the components of the systems and keeps `warning_systems` in step: a new match
/// adds a row (and notifies the agency's officers); a row that still matches gets the current reasons and keeps what
/// the agency recorded; a matched row that no longer matches and was never acted on is removed (one that was
/// acknowledged, remediated or declared not affected stays, as history); rows a coordinator added stay.
enum WarningMatching {
    struct Summary: Sendable, Equatable {
        var added = 0
        var removed = 0
        var kept = 0
    }

    /// `warningIds` nil: every warning; `systemIds` nil: every system. Inside the caller's transaction.
    @discardableResult
    static func rematch(warningIds: [UUID]?, systemIds: [UUID]?, actor: AuditActor, actorId: UUID?, notifier: Notifier?,
                        rules: RuleBook, now: Date = Date(), on db: any Database) async throws -> Summary {
        var warnings: [AuthorityWarning] = []
        if let warningIds {
            for chunk in warningIds.chunked(500) { warnings += try await AuthorityWarning.query(on: db).filter(\.$id ~~ Array(chunk)).all() }
        } else {
            warnings = try await AuthorityWarning.query(on: db).all()
        }
        guard !warnings.isEmpty else { return Summary() }
        let inventory = try await Inventory.load(systemIds: systemIds, on: db)
        let matcher = VulnerabilityMatcher(components: inventory.components)
        var summary = Summary()
        var fresh: [(AuthorityWarning, [WarningSystem])] = []
        // The rows already recorded, read a few hundred warnings at a time.
        var existingRows: [UUID: [WarningSystem]] = [:]
        let onlySystems = systemIds.map(Set.init)
        for chunk in warnings.compactMap(\.id).chunked(500) {
            let query = WarningSystem.query(on: db).filter(\.$warningId ~~ Array(chunk))
            if let systemIds, systemIds.count <= 500 { query.filter(\.$systemId ~~ systemIds) }
            for row in try await query.all() where onlySystems?.contains(row.systemId) ?? true { existingRows[row.warningId, default: []].append(row) }
        }
        for warning in warnings {
            let wid = try warning.requireID()
            let advisory = WarningProducts.set(warning.products).advisory(id: wid.uuidString, title: warning.title, cves: WarningText.cves(warning))
            var found: [UUID: [WarningReason]] = [:]
            for match in matcher.matches(advisory) {
                guard let sid = UUID(uuidString: match.systemKey) else { continue }
                found[sid] = reasons(match)
            }
            let existing = existingRows[wid] ?? []
            var added: [WarningSystem] = []
            for row in existing {
                let agency = inventory.agencies[row.systemId] ?? row.agencyId
                if let reasons = found.removeValue(forKey: row.systemId) {
                    let encoded = WarningReasons.encode(row.origin == WarningRowOrigin.manual.rawValue
                        ? WarningReasons.decode(row.reasons).filter { $0.kind == "manual" } + reasons : reasons)
                    if encoded != row.reasons || agency != row.agencyId {
                        row.reasons = encoded
                        row.agencyId = agency
                        try await row.save(on: db)
                    }
                    summary.kept += 1
                } else if row.origin == WarningRowOrigin.matched.rawValue, row.state == WarningSystemState.affected.rawValue {
                    try await row.delete(on: db)
                    summary.removed += 1
                } else {
                    // A row added by hand keeps only its own reason once the components no longer match; one the agency
                    // acted on keeps the reasons it was matched for.
                    let reasons = row.origin == WarningRowOrigin.manual.rawValue
                        ? WarningReasons.encode(WarningReasons.decode(row.reasons).filter { $0.kind == "manual" }) : row.reasons
                    if reasons != row.reasons || agency != row.agencyId {
                        row.reasons = reasons
                        row.agencyId = agency
                        try await row.save(on: db)
                    }
                    summary.kept += 1
                }
            }
            for (sid, reasons) in found {
                guard let agency = inventory.agencies[sid] else { continue }
                let row = WarningSystem()
                row.warningId = wid
                row.systemId = sid
                row.agencyId = agency
                row.origin = WarningRowOrigin.matched.rawValue
                row.reasons = WarningReasons.encode(reasons)
                row.state = WarningSystemState.affected.rawValue
                row.matchedAt = now
                row.version = 1
                try await row.create(on: db)
                added.append(row)
            }
            summary.added += added.count
            if !added.isEmpty { fresh.append((warning, added)) }
        }
        let sql = db as! any SQLDatabase
        for chunk in warnings.compactMap(\.id).chunked(500) {
            try await sql.update(AuthorityWarning.schema).set("matched_at", to: SQLBind(now)).where("id", .in, SQLBind.group(Array(chunk))).run()
        }
        if let warningIds {
            try await WarningObligationRefresher.refresh(warningIds: warningIds, rules: rules, now: now, on: db)
        } else {
            try await WarningObligationRefresher.refresh(systemIds: systemIds, rules: rules, now: now, on: db)
        }
        if summary.added > 0 || summary.removed > 0 {
            try await AuditLog.append(AuditEntry("warning.match", recordType: "authority_warning",
                                                 recordId: warnings.count == 1 ? warnings[0].id!.uuidString : nil,
                                                 details: ["added": String(summary.added), "removed": String(summary.removed),
                                                           "warnings": String(warnings.count)]), by: actor, on: db)
        }
        if let notifier { try await notifyNewRows(fresh, actorId: actorId, notifier: notifier, on: db) }
        return summary
    }

    /// The matcher's reasons for one system, one per component (vulnerable components first, then platforms).
    static func reasons(_ match: AdvisoryMatch) -> [WarningReason] {
        (match.components + match.platforms).map { c in
            let r = c.reason
            return WarningReason(kind: r.kind == .platform ? "platform" : "match", componentId: UUID(uuidString: c.componentKey),
                                 component: r.componentName, componentText: r.componentCPE, criteria: c.criterion,
                                 range: r.range.flatMap { $0.isAny ? nil : $0.description },
                                 derivedCpe: r.cpeOrigin.isDerived ? r.componentCPE : nil,
                                 explanationVi: r.text.vi, explanationEn: r.text.en)
        }
    }

    /// One notification per warning and agency: the agency's officers (and those above it) learn that their systems
    /// are affected. Coordinators see the warning already; only officers of the owning agency are addressed.
    static func notifyNewRows(_ fresh: [(AuthorityWarning, [WarningSystem])], actorId: UUID?, notifier: Notifier, on db: any Database) async throws {
        for (warning, rows) in fresh {
            let wid = try warning.requireID()
            let systems = try await InformationSystem.query(on: db).filter(\.$id ~~ rows.map(\.systemId)).all()
            for (agency, list) in Dictionary(grouping: systems, by: { $0.$agency.id }) {
                let names = list.map { "\($0.name) (\($0.code))" }.sorted().joined(separator: ", ")
                let deadline = warning.deadline.map(DisplayTime.date) ?? "—"
                try await notifier.publish(NotificationEvent(
                    kind: .authorityWarning, agencyId: agency, recordKind: "authority_warning", recordId: wid,
                    title: .key("warnings.notify.title", [WarningText.label(warning)]),
                    summary: .key("warnings.notify.summary", [warning.title, names, deadline, warning.issuer]),
                    link: .warnings(.show(.value(wid))), audience: [.agencyOfficers], readAction: .viewWarnings, actorId: actorId), on: db)
            }
        }
    }

    /// The components of the systems to match, and each system's agency.
    struct Inventory {
        var components: [InventoryComponent]
        var agencies: [UUID: UUID]

        static func load(systemIds: [UUID]?, on db: any Database) async throws -> Inventory {
            var systems: [InformationSystem] = []
            if let systemIds {
                for chunk in systemIds.chunked(500) {
                    systems += try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).field(\.$id).field(\.$agency.$id).all()
                }
            } else {
                systems = try await InformationSystem.query(on: db).field(\.$id).field(\.$agency.$id).all()
            }
            var agencies: [UUID: UUID] = [:]
            for s in systems { agencies[s.id!] = s.$agency.id }
            var rows: [SystemComponent] = []
            if let systemIds {
                for chunk in systemIds.chunked(500) {
                    rows += try await SystemComponent.query(on: db).filter(\.$system.$id ~~ Array(chunk)).sort(\.$position).all()
                }
            } else {
                rows = try await SystemComponent.query(on: db).sort(\.$position).all()
            }
            let components = rows.filter { agencies[$0.$system.id] != nil }.map { c in
                InventoryComponent(systemKey: c.$system.id.uuidString, componentKey: c.id!.uuidString, name: c.name, vendor: c.vendor,
                                   product: c.product, version: c.version, cpe: c.cpe)
            }
            return Inventory(components: components, agencies: agencies)
        }
    }
}
