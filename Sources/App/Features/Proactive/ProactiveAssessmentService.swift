import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Recording and changing scans and hunts. A completed one satisfies the system's SCAN_OVERDUE or HUNT_OVERDUE
/// duty, so the system's duties are recomputed in the same transaction as every change.
enum ProactiveAssessmentService {
    static let recordType = "proactive_assessment"

    static func create(_ input: ProactiveAssessmentInput, req: Request) async throws -> ProactiveAssessment {
        let valid = try await input.validate(subject: try req.requireSubject(), on: req.db)
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        return try await req.write { db in
            let a = ProactiveAssessment()
            a.systemId = try valid.system.requireID()
            apply(valid, to: a)
            a.source = "manual"
            a.createdBy = actor.userId
            a.createdByName = actor.label
            a.version = 1
            try await a.create(on: db)
            let id = try a.requireID()
            _ = try await StoredFileService.record(files, recordType: recordType, recordId: id, agencyId: a.agencyId, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("proactive.assessment.create", recordType: recordType, recordId: id.uuidString, agencyId: a.agencyId,
                                                 after: a.auditSnapshot, details: files.isEmpty ? nil : ["files": files.map(\.name).joined(separator: ", ")]),
                                      by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: [a.systemId], rules: rules, on: db)
            return a
        }
    }

    /// `expected` is the version the change was made on (the form's hidden field, the API's `version`/`If-Match`).
    static func update(_ a: ProactiveAssessment, with input: ProactiveAssessmentInput, expected: Int, req: Request) async throws -> ProactiveAssessment {
        let id = try a.requireID()
        let system = try await InformationSystem.find(a.systemId, on: req.db)
        try await req.authorize(.recordAssessments, .owned(agencyId: system?.$agency.id ?? a.agencyId), readAction: .viewProactive,
                                recordType: recordType, recordId: id)
        if a.state == "running" { throw AppError.conflict("assessment_running", messageKey: "proactive.stillRunning") }
        if expected != a.version { throw changedMeanwhile }
        let valid = try await input.validate(subject: try req.requireSubject(), existing: a, on: req.db)
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        let before = a.auditSnapshot
        try await req.write { db in
            try await claim(id, expected: expected, on: db)
            apply(valid, to: a)
            a.version = expected + 1
            try await a.save(on: db)
            _ = try await StoredFileService.record(files, recordType: recordType, recordId: id, agencyId: a.agencyId, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("proactive.assessment.update", recordType: recordType, recordId: id.uuidString, agencyId: a.agencyId,
                                                 before: before, after: a.auditSnapshot,
                                                 details: files.isEmpty ? nil : ["files": files.map(\.name).joined(separator: ", ")]),
                                      by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: [a.systemId], rules: rules, on: db)
        }
        return a
    }

    static let changedMeanwhile = AppError.conflict("assessment_changed", messageKey: "proactive.changedMeanwhile")

    /// The assessment named by the `id` parameter, or 404 when it does not exist or the caller may not read it.
    static func find(_ req: Request) async throws -> ProactiveAssessment {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let a = try await ProactiveAssessment.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return a
    }

    static func files(of id: UUID, on db: any Database) async throws -> [StoredFile] {
        try await StoredFileService.files(recordType: recordType, recordIds: [id], on: db)[id] ?? []
    }

    /// Claims the row: of two concurrent changes made on the same version only one gets it, the other answers 409.
    private static func claim(_ id: UUID, expected: Int, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let rows = try await sql.update(ProactiveAssessment.schema).set("version", to: SQLBind(expected + 1)).where("id", .equal, SQLBind(id))
            .where("version", .equal, SQLBind(expected)).returning("id").all()
        guard !rows.isEmpty else { throw changedMeanwhile }
    }

    private static func apply(_ v: ProactiveAssessmentInput.Valid, to a: ProactiveAssessment) {
        a.agencyId = v.system.$agency.id
        a.kind = v.kind.rawValue
        a.state = v.state
        a.performerKind = v.performerKind.rawValue
        a.performer = v.performer
        a.startedAt = v.startedAt
        a.finishedAt = v.finishedAt
        a.tool = v.tool
        a.scope = v.scope
        a.method = v.method
        a.summary = v.summary
        a.findingsCount = v.findingsCount
    }
}
