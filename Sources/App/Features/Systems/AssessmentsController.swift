import Foundation
import Domain
import Fluent
import Vapor

/// Periodic and ad hoc inspections and assessments (kiểm tra, đánh giá) of a system.
struct AssessmentInput: Content, Sendable {
    var performedOn: String?
    var kind: String?
    var assessor: String?
    var independent: String?
    var summary: String?
    var files: [File]?

    init() {}
}

enum AssessmentsController {
    static func create(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let sid = try system.requireID()
        let input = try req.content.decode(AssessmentInput.self)
        do {
            try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: sid)
            var check = InputChecker()
            var performed: Date?
            let raw = Validators.trimmed(input.performedOn)
            if raw.isEmpty { check.fail("performedOn", "validation.required") }
            else if let d = DisplayTime.parseDay(raw) {
                if d > Date() { check.fail("performedOn", "validation.futureDate") } else { performed = d }
            } else { check.fail("performedOn", "validation.invalidDate") }
            let kind = Validators.trimmed(input.kind)
            if !["periodic", "ad_hoc"].contains(kind) { check.fail("kind", "validation.unknownValue") }
            let assessor = check.requiredText("assessor", input.assessor, max: 300)
            let summary = check.optionalText("summary", input.summary, max: 8000)
            if !check.errors.isEmpty { throw AppError.validation(check.errors) }
            let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
            try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
            let actor = req.auditActor
            let rules = req.application.rules
            let performedOn = performed!
            try await req.write { db in
                let a = SystemAssessment()
                a.$system.id = sid
                a.kind = kind
                a.performedOn = performedOn
                a.assessor = assessor
                a.independent = SystemInput.flag(input.independent)
                a.summary = summary
                a.createdByName = actor.label
                try await a.create(on: db)
                _ = try await StoredFileService.record(files, recordType: "system_assessment", recordId: a.requireID(),
                                                       agencyId: system.$agency.id, actor: actor, on: db)
                try await ObligationRefresher.refresh(systemIds: [sid], rules: rules, on: db)
                try await AuditLog.append(AuditEntry("system.assessment.add", recordType: "system", recordId: sid.uuidString,
                                                     agencyId: system.$agency.id,
                                                     after: ["performedOn": DisplayTime.date(performedOn), "kind": kind, "assessor": assessor,
                                                             "independent": String(a.independent)]), by: actor, on: db)
            }
            return req.redirect(to: SiteURL.system(.value(sid)).path(query: ["done": "assessmentAdded"]) + "#assessments")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let model = try await SystemShow.query(system: system, subject: try req.requireSubject(), on: req.db)
            var form = input
            form.files = nil
            var page = SystemShow.View(req: req, model: model, assessmentInput: form, assessmentErrors: error.fields).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }
}
