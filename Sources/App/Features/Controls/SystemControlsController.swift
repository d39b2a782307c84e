import Foundation
import Domain
import Fluent
import Vapor

/// A system's self-assessment against the Circular 12/2022 controls of its level.
enum SystemControlsController {
    struct ControlInput: Content, Sendable {
        var status: String?
        var effectiveDate: String?
        var justification: String?
        var evidenceLinks: String?
        var files: [File]?
    }

    static func index(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        return try await page(req: req, system: system, failed: nil)
    }

    static func update(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let sid = try system.requireID()
        guard let cid = req.parameters.get("cid", as: UUID.self), let control = try await CatalogueControl.find(cid, on: req.db),
              let level = ControlsQuery.level(for: system), control.firstLevel <= level, control.active else { throw AppError.notFound }
        let input = try req.content.decode(ControlInput.self)
        do {
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
            let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
            var existingFiles = 0
            if let current = try await ControlAssessment.query(on: req.db).filter(\.$system.$id == sid).filter(\.$control.$id == cid).first() {
                existingFiles = try await StoredFile.query(on: req.db).filter(\.$recordType == "control_assessment")
                    .filter(\.$recordId == current.requireID()).count()
            }
            if status == .implemented {
                if effective == nil && check.errors["effectiveDate"] == nil { check.fail("effectiveDate", "controls.effectiveRequired") }
                if links == nil && files.isEmpty && existingFiles == 0 { check.fail("evidenceLinks", "controls.evidenceRequired") }
            }
            if status == .notApplicable && justification == nil { check.fail("justification", "controls.justificationRequired") }
            if !check.errors.isEmpty { throw AppError.validation(check.errors) }
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
                row.status = status!
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
                                                     after: ["control": control.code, "status": status!.rawValue]), by: actor, on: db)
            }
            return req.redirect(to: SiteURL.systemControls(.value(sid)).path(query: ["done": "controlSaved"]) + "#control-\(control.code)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var form = input
            form.files = nil
            var page = try await page(req: req, system: system, failed: (cid, form, error.fields))
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    private static func page(req: Request, system: InformationSystem, failed: (UUID, ControlInput, [String: String])?) async throws -> Page {
        let rows = try await ControlsQuery.rows(for: system, on: req.db)
        let progress = ControlPlan.progress(statuses: rows.map(\.status))
        return SystemControlsView(req: req, system: system, rows: rows, progress: progress, groups: req.application.rules.controls().groups,
                                  failed: failed).render()
    }
}
