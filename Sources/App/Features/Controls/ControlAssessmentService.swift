import Foundation
import Domain
import Fluent
import Vapor

/// Recording a system's self-assessment of one control, shared by the page and the API.
enum ControlAssessmentService {
    /// The control, when it is active and applies to the system's level; otherwise 404.
    static func applicableControl(_ req: Request, system: InformationSystem) async throws -> CatalogueControl {
        guard let cid = req.parameters.get("cid", as: UUID.self), let control = try await CatalogueControl.find(cid, on: req.db),
              let level = ControlsQuery.level(for: system), control.firstLevel <= level, control.active else { throw AppError.notFound }
        return control
    }

    /// Implemented needs an effective date and evidence (links, new files or files already attached);
    /// not applicable needs a justification. Written with its files, obligations and audit event in one transaction.
    static func save(_ input: SystemControlsController.ControlInput, files uploads: [File], control: CatalogueControl,
                     system: InformationSystem, req: Request) async throws {
        let sid = try system.requireID()
        let cid = try control.requireID()
        try await req.authorize(.assessControls, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: sid)
        var check = InputChecker()
        let status = check.choice("status", input.status, as: ControlStatus.self)
        let justification = check.optionalText("justification", input.justification, max: 4000)
        let links = check.optionalText("evidenceLinks", input.evidenceLinks, max: 4000)
        for (i, line) in InventoryValidators.lines(links).enumerated() where !InventoryValidators.isWebURL(line) {
            check.fail("evidenceLinks", "validation.badURL|\(i + 1)|\(line)")
            break
        }
        var effective: Date?
        if !Validators.trimmed(input.effectiveDate).isEmpty {
            effective = DisplayTime.parseDay(Validators.trimmed(input.effectiveDate))
            if effective == nil { check.fail("effectiveDate", "validation.invalidDate") }
        }
        let files = try StoredFileService.accept(uploads, limit: req.application.config.maxUploadBytes)
        var existingFiles = 0
        if let current = try await ControlAssessment.query(on: req.db).filter(\.$system.$id == sid).filter(\.$control.$id == cid).first() {
            existingFiles = try await StoredFile.query(on: req.db).filter(\.$recordType == "control_assessment")
                .filter(\.$recordId == current.requireID()).count()
        }
        if status == .implemented {
            if effective == nil && check.errors["effectiveDate"] == nil { check.fail("effectiveDate", "controls.effectiveRequired") }
            if let effective, effective > Date() { check.fail("effectiveDate", "validation.futureDate") }
            if links == nil && files.isEmpty && existingFiles == 0 { check.fail("evidenceLinks", "controls.evidenceRequired") }
        }
        if status == .notApplicable && justification == nil { check.fail("justification", "controls.justificationRequired") }
        guard check.errors.isEmpty, let status else { throw AppError.validation(check.errors) }
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let effectiveDate = effective
        let actor = req.auditActor
        let rules = req.application.rules
        try await req.write { db in
            let row = try await ControlAssessment.query(on: db).filter(\.$system.$id == sid).filter(\.$control.$id == cid).first() ?? {
                let r = ControlAssessment()
                r.$system.id = sid
                r.$control.id = cid
                return r
            }()
            let before = row.id == nil ? nil : row.status.rawValue
            row.status = status
            row.effectiveDate = effectiveDate
            row.justification = justification
            row.evidenceLinks = links
            row.updatedByName = actor.label
            try await row.save(on: db)
            _ = try await StoredFileService.record(files, recordType: "control_assessment", recordId: row.requireID(),
                                                   agencyId: system.$agency.id, actor: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: [sid], rules: rules, on: db)
            try await AuditLog.append(AuditEntry("system.control.assess", recordType: "system", recordId: sid.uuidString,
                                                 agencyId: system.$agency.id, before: ["control": control.code, "status": before],
                                                 after: ["control": control.code, "status": status.rawValue]), by: actor, on: db)
        }
    }
}
