import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Recording and changing warnings. Every change, its audit event, the matching against every system's components
/// (with notifications to the agencies newly affected) and the refreshed duties are written in one transaction.
enum WarningService {
    static func create(_ input: WarningInput, req: Request) async throws -> AuthorityWarning {
        let valid = try input.validate()
        let products = WarningProductSet.fromRows(valid.products)
        let actor = req.auditActor
        let rules = req.application.rules
        let notifier = req.notifier
        return try await req.write { db in
            let warning = AuthorityWarning()
            apply(valid, products: products, to: warning)
            warning.origin = WarningOrigin.manual.rawValue
            warning.createdBy = actor.userId
            warning.createdByName = actor.label
            warning.version = 1
            try await warning.create(on: db)
            try await AuditLog.append(AuditEntry("warning.create", recordType: "authority_warning", recordId: warning.id!.uuidString,
                                                 after: warning.auditSnapshot), by: actor, on: db)
            try await WarningMatching.rematch(warningIds: [warning.id!], systemIds: nil, actor: actor, actorId: actor.userId,
                                              notifier: notifier, rules: rules, on: db)
            return warning
        }
    }

    /// `version` guards against lost updates (stale → 409). Products left out (nil rows) keep their value; rows equal
    /// to the stored ones keep the stored criteria (an imported record's configurations survive an edit of its text).
    static func update(_ warning: AuthorityWarning, with input: WarningInput, productsSent: Bool, req: Request) async throws -> AuthorityWarning {
        let id = try warning.requireID()
        if let opened = input.version, opened != warning.version {
            throw AppError.conflict("warning_changed", messageKey: "warnings.changedMeanwhile")
        }
        let valid = try input.validate()
        let stored = WarningProducts.set(warning.products)
        var products = stored
        if productsSent, !sameRows(valid.products.map(\.row), stored.rows) {
            if stored.rows.contains(where: \.isPlatform) {
                throw AppError.validation(FieldErrors(["products": "warnings.productsFromNVD"]))
            }
            products = WarningProductSet.fromRows(valid.products)
        }
        let actor = req.auditActor
        let rules = req.application.rules
        let notifier = req.notifier
        let before = warning.auditSnapshot
        let expected = warning.version
        let chosen = products
        try await req.write { db in
            try await claim(id, expected: expected, on: db)
            apply(valid, products: chosen, to: warning)
            warning.version = expected + 1
            try await warning.save(on: db)
            try await AuditLog.append(AuditEntry("warning.update", recordType: "authority_warning", recordId: id.uuidString,
                                                 before: before, after: warning.auditSnapshot), by: actor, on: db)
            try await WarningMatching.rematch(warningIds: [id], systemIds: nil, actor: actor, actorId: actor.userId,
                                              notifier: notifier, rules: rules, on: db)
        }
        return warning
    }

    /// "So khớp lại": the warning against every system's components now.
    static func rematch(_ warning: AuthorityWarning, req: Request) async throws -> WarningMatching.Summary {
        let id = try warning.requireID()
        let actor = req.auditActor
        let rules = req.application.rules
        let notifier = req.notifier
        return try await req.write { db in
            let summary = try await WarningMatching.rematch(warningIds: [id], systemIds: nil, actor: actor, actorId: actor.userId,
                                                            notifier: notifier, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("warning.rematch", recordType: "authority_warning", recordId: id.uuidString,
                                                 details: ["added": String(summary.added), "removed": String(summary.removed),
                                                           "kept": String(summary.kept)]), by: actor, on: db)
            return summary
        }
    }

    /// Rows of the same products, compared as the form would read them again.
    static func sameRows(_ submitted: [WarningProduct], _ stored: [WarningProduct]) -> Bool {
        func key(_ p: WarningProduct) -> [String] { [p.vendor ?? "", p.product ?? "", p.versions ?? "", p.cpe ?? ""] }
        let normalised: [WarningProduct] = stored.map { p in
            let input = WarningProductInput(vendor: p.vendor, product: p.product, versions: p.versions, cpe: p.cpe)
            if case .success(let valid) = input.validated() { return valid.row }
            return p
        }
        return submitted.map(key) == normalised.map(key)
    }

    static func apply(_ v: WarningInput.Valid, products: WarningProductSet, to w: AuthorityWarning) {
        w.issuer = v.issuer
        w.number = v.number
        w.issuedOn = v.issuedOn
        w.title = v.title
        w.details = v.description
        w.cves = v.cves.isEmpty ? nil : v.cves.joined(separator: " ")
        w.severity = v.severity?.rawValue
        w.cvssScore = v.cvssScore
        w.requiredAction = v.requiredAction
        w.deadline = v.deadline
        w.refs = v.references.isEmpty ? nil : v.references.joined(separator: "\n")
        w.products = WarningProducts.encode(products)
    }

    /// Claims the warning's next version: of two concurrent edits only one passes, the other gets 409.
    static func claim(_ id: UUID, expected: Int, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let rows = try await sql.update(AuthorityWarning.schema).set("version", to: SQLBind(expected + 1)).where("id", .equal, SQLBind(id))
            .where("version", .equal, SQLBind(expected)).returning("id").all()
        guard !rows.isEmpty else { throw AppError.conflict("warning_changed", messageKey: "warnings.changedMeanwhile") }
    }

    /// The warning, or 404 when it does not exist or the caller may not see it.
    static func find(_ req: Request) async throws -> AuthorityWarning {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let warning = try await WarningScope.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return warning
    }
}

extension AuthorityWarning {
    var auditSnapshot: [String: String?] {
        ["issuer": issuer, "number": number, "issuedOn": DisplayTime.isoDay(issuedOn), "title": title, "cves": cves, "severity": severity,
         "cvssScore": cvssScore.map { String(format: "%.1f", $0) }, "requiredAction": requiredAction, "deadline": deadline.map(DisplayTime.isoDay),
         "products": String(WarningProducts.decode(products).count), "origin": origin, "originId": originId]
    }
}
