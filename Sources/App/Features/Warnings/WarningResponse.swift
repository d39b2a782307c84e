import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// What an agency (or a coordinator) records about one affected system: acknowledgement, remediation with evidence,
/// "not affected" with a reason; a coordinator also adds a system by hand or reopens a closed row.
struct WarningResponseInput: Content {
    /// acknowledge, remediate, not_affected, add, reopen.
    var action: String?
    /// Remediation note (remediate).
    var note: String?
    /// Why (not_affected, add, reopen).
    var reason: String?
    /// The row's version as read; a stale one answers 409.
    var version: Int?
    var files: [File]?
}

enum WarningResponseAction: String, CaseIterable, Sendable {
    case acknowledge, remediate
    case notAffected = "not_affected"
    case add, reopen

    /// Adding a system and reopening a row are the coordinators' (manageWarnings).
    var needsManage: Bool { self == .add || self == .reopen }
}

enum WarningResponse {
    struct Outcome: Sendable {
        var row: WarningSystem
        var files: [StoredFile]
    }

    /// Applies one action to the row of `systemId` under `warning`. The row must be visible to the caller (404 otherwise,
    /// also for another agency's row); `add` creates it.
    static func apply(_ input: WarningResponseInput, warning: AuthorityWarning, systemId: UUID, req: Request) async throws -> Outcome {
        let subject = try req.requireSubject()
        let warningId = try warning.requireID()
        guard let system = try await InformationSystem.visible(systemId, to: subject, on: req.db) else { throw AppError.notFound }
        var check = InputChecker()
        let action = check.choice("action", input.action, as: WarningResponseAction.self)
        if let action, action.needsManage, !Policy.can(subject, .manageWarnings) {
            try await req.authorize(.manageWarnings, .owned(agencyId: system.$agency.id), readAction: .viewWarnings,
                                    recordType: "authority_warning", recordId: warningId)
        }
        let existing = try await WarningScope.rows(subject, on: req.db).filter(\.$warningId == warningId).filter(\.$systemId == systemId).first()
        if action != .add, existing == nil { throw AppError.notFound }
        try await req.authorize(.respondToWarning, .owned(agencyId: system.$agency.id), readAction: .viewWarnings,
                                recordType: "authority_warning", recordId: warningId)
        var note: String?
        var reason: String?
        var files: [StoredFileService.Accepted] = []
        switch action {
        case .acknowledge:
            if let row = existing, row.state != WarningSystemState.affected.rawValue { check.fail("action", "warnings.respond.notOpen") }
        case .remediate:
            note = check.requiredText("note", input.note, max: 8000)
            if let row = existing, !(WarningSystemState(rawValue: row.state)?.isOpen ?? false) { check.fail("action", "warnings.respond.notOpen") }
            files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        case .notAffected:
            reason = check.requiredText("reason", input.reason, max: 4000)
            if let row = existing, !(WarningSystemState(rawValue: row.state)?.isOpen ?? false) { check.fail("action", "warnings.respond.notOpen") }
        case .add:
            reason = check.requiredText("reason", input.reason, max: 4000)
            if existing != nil { check.fail("systemId", "warnings.respond.alreadyListed") }
        case .reopen:
            reason = check.requiredText("reason", input.reason, max: 4000)
            if let row = existing, WarningSystemState(rawValue: row.state)?.isOpen ?? true { check.fail("action", "warnings.respond.alreadyOpen") }
        case nil:
            break
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        if let row = existing, let version = input.version, version != row.version {
            throw AppError.conflict("warning_system_changed", messageKey: "warnings.respond.changedMeanwhile")
        }
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        let accepted = files
        let agencyId = system.$agency.id
        let chosen = action!
        let noteText = note
        let reasonText = reason
        return try await req.write { db in
            let now = Date()
            let row: WarningSystem
            if let existing {
                try await claim(try existing.requireID(), expected: existing.version, on: db)
                row = existing
                row.version = existing.version + 1
            } else {
                row = WarningSystem()
                row.warningId = warningId
                row.systemId = systemId
                row.origin = WarningRowOrigin.manual.rawValue
                row.reasons = WarningReasons.encode([.manual(reasonText ?? "", by: actor.label, at: now)])
                row.state = WarningSystemState.affected.rawValue
                row.matchedAt = now
                row.version = 1
            }
            let before = row.auditSnapshot
            row.agencyId = agencyId
            switch chosen {
            case .acknowledge:
                row.state = WarningSystemState.acknowledged.rawValue
                row.acknowledgedAt = now
                row.acknowledgedByName = actor.label
            case .remediate:
                if row.acknowledgedAt == nil {
                    row.acknowledgedAt = now
                    row.acknowledgedByName = actor.label
                }
                row.state = WarningSystemState.remediated.rawValue
                row.remediatedAt = now
                row.remediatedByName = actor.label
                row.remediationNote = noteText
            case .notAffected:
                row.state = WarningSystemState.notAffected.rawValue
                row.notAffectedReason = reasonText
            case .reopen:
                row.state = row.acknowledgedAt == nil ? WarningSystemState.affected.rawValue : WarningSystemState.acknowledged.rawValue
                row.remediatedAt = nil
                row.remediatedByName = nil
                row.notAffectedReason = nil
            case .add:
                break
            }
            if existing == nil { try await row.create(on: db) } else { try await row.save(on: db) }
            let rowId = try row.requireID()
            let stored = try await StoredFileService.record(accepted, recordType: WarningFiles.recordType, recordId: rowId, agencyId: agencyId,
                                                            actor: actor, on: db)
            var details: [String: String] = ["systemId": systemId.uuidString, "action": chosen.rawValue]
            if let reasonText { details["reason"] = reasonText }
            if !stored.isEmpty { details["files"] = stored.map(\.originalName).joined(separator: ", ") }
            try await AuditLog.append(AuditEntry("warning.system.\(chosen.rawValue)", recordType: "authority_warning", recordId: warningId.uuidString,
                                                 agencyId: agencyId, before: existing == nil ? nil : before, after: row.auditSnapshot,
                                                 details: details), by: actor, on: db)
            try await WarningObligationRefresher.refresh(warningIds: [warningId], rules: rules, now: now, on: db)
            if chosen == .add {
                try await WarningMatching.notifyNewRows([(warning, [row])], actorId: actor.userId, notifier: req.notifier, on: db)
            }
            return Outcome(row: row, files: stored)
        }
    }

    /// Claims the row's next version: of two concurrent changes only one passes, the other gets 409.
    static func claim(_ id: UUID, expected: Int, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let rows = try await sql.update(WarningSystem.schema).set("version", to: SQLBind(expected + 1)).where("id", .equal, SQLBind(id))
            .where("version", .equal, SQLBind(expected)).returning("id").all()
        guard !rows.isEmpty else { throw AppError.conflict("warning_system_changed", messageKey: "warnings.respond.changedMeanwhile") }
    }
}

extension WarningSystem {
    var auditSnapshot: [String: String?] {
        ["state": state, "origin": origin, "acknowledgedAt": acknowledgedAt.map(DisplayTime.dateTime),
         "remediatedAt": remediatedAt.map(DisplayTime.dateTime), "remediationNote": remediationNote, "notAffectedReason": notAffectedReason]
    }
}
