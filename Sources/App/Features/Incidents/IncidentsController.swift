import Foundation
import Domain
import Fluent
import Vapor

/// Pages of incident cases.
enum IncidentsController {
    // MARK: Reporting

    static func new(req: Request) async throws -> Page {
        let user = try req.requireUser()
        var input = IncidentInput()
        var savedAt: Date?
        if let draft = try await IncidentDraft.query(on: req.db).filter(\.$userId == user.requireID()).first(),
           let decoded = try? JSONDecoder().decode(IncidentInput.self, from: Data(draft.formJSON.utf8)) {
            input = decoded
            savedAt = draft.updatedAt
        } else {
            input.contactName = user.name
            input.contactPhone = user.phone
            input.contactEmail = user.email
            input.detectedAt = DisplayTime.localInput(Date())
        }
        return try await form(req, input: input, errors: [:], savedAt: savedAt)
    }

    static func form(_ req: Request, input: IncidentInput, errors: [String: String], savedAt: Date? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let rules = req.application.rules
        let now = Date()
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$name).all()
            .map { (id: $0.id!, label: "\($0.code) · \($0.name)") }
        let agencies = subject.role == .agencyOfficer && subject.agencySubtree.count <= 1 ? []
            : try await Agency.scoped(to: subject, on: req.db).sort(\.$name).all().map { (id: $0.id!, name: $0.name) }
        var page = IncidentFormView(
            req: req, input: input, errors: errors, categories: IncidentRulesBridge.categories(rules, at: now).categories,
            impacts: IncidentRulesBridge.criteria(rules, at: now).impacts, systems: systems, agencies: agencies, draftSavedAt: savedAt).render()
        page.status = status
        return page
    }

    struct ReportForm: Content {
        var files: [File]?
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentInput.self)
        let files = (try? req.content.decode(ReportForm.self))?.files ?? []
        do {
            let incident = try await IncidentService.report(input, files: files, req: req)
            return req.redirect(to: SiteURL.incidents(.show(.value(incident.id!))).path(query: ["done": "incidentReported"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    /// Autosave of the report form (JSON or form body); the browser also keeps a copy for expired sessions.
    static func saveDraft(req: Request) async throws -> HTTPStatus {
        let input = try req.content.decode(IncidentInput.self)
        let json = String(decoding: try JSONEncoder().encode(input), as: UTF8.self)
        guard json.utf8.count < 200_000 else { throw AppError.tooLarge }
        let userId = try req.requireUser().requireID()
        try await req.write { db in
            let draft = try await IncidentDraft.query(on: db).filter(\.$userId == userId).first() ?? IncidentDraft()
            draft.userId = userId
            draft.formJSON = json
            draft.updatedAt = Date()
            try await draft.save(on: db)
        }
        return .noContent
    }

    // MARK: The case page

    static func show(req: Request) async throws -> Page {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.auditPoliceAccess(incident, what: "case", req: req)
        return IncidentShow.View(req: req, model: try await IncidentShow.load(incident, req: req)).render()
    }

    /// Runs a change on the case named by the route and returns to its page, or shows the page with the problem.
    static func act(_ req: Request, section: String, done: String,
                    _ change: @escaping @Sendable (Incident) async throws -> Void) async throws -> Response {
        let incident = try await IncidentService.find(req)
        do {
            try await change(incident)
            return req.redirect(to: SiteURL.incidents(.show(.value(incident.id!))).path(query: ["done": done]) + "#" + section)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            let fresh = try await IncidentService.find(req)
            var errors = error.fields
            if errors.isEmpty || error.status == .conflict { errors["form"] = error.messageKey }
            // What was typed comes back in the form it was typed in (a 409 shows the newer case around it).
            var typed = (try? req.content.decode([String: String].self)) ?? [:]
            typed["_csrf"] = nil
            typed["version"] = nil
            var page = IncidentShow.View(req: req, model: try await IncidentShow.load(fresh, req: req), errors: errors,
                                         typed: typed, typedSection: section).render()
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    static func triage(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentHandling.TriageInput.self)
        return try await act(req, section: "triage", done: "incidentTriaged") { try await IncidentHandling.triage($0, input, req: req) }
    }

    static func assign(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentHandling.AssignInput.self)
        return try await act(req, section: "triage", done: "incidentAssigned") { try await IncidentHandling.assign($0, input, req: req) }
    }

    static func phase(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentHandling.PhaseInput.self)
        return try await act(req, section: "phase", done: "incidentPhase") { try await IncidentHandling.changePhase($0, input, req: req) }
    }

    static func merge(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentHandling.MergeInput.self)
        return try await act(req, section: "triage", done: "incidentMerged") { try await IncidentHandling.merge($0, input, req: req) }
    }

    static func note(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentHandling.NoteInput.self)
        return try await act(req, section: "timeline", done: "noteAdded") { _ = try await IncidentHandling.addNote($0, input, req: req) }
    }

    static func evidenceRequest(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentHandling.NoteInput.self)
        return try await act(req, section: "timeline", done: "evidenceRequested") {
            _ = try await IncidentHandling.addNote($0, IncidentHandling.NoteInput(body: input.body, tlp: TLP.amber.rawValue), kind: .evidenceRequest, req: req)
        }
    }

    static func share(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentSharing.ShareInput.self)
        return try await act(req, section: "triage", done: "incidentShared") { try await IncidentSharing.share($0, input, req: req) }
    }

    static func unshare(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentSharing.ShareInput.self)
        return try await act(req, section: "triage", done: "incidentUnshared") { try await IncidentSharing.revoke($0, input, req: req) }
    }

    static func addObservable(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentArtifacts.ObservableInput.self)
        return try await act(req, section: "observables", done: "observableAdded") { _ = try await IncidentArtifacts.addObservable($0, input, req: req) }
    }

    struct ImportForm: Content { var file: File? }

    static func importObservables(req: Request) async throws -> Response {
        let file = try req.content.decode(ImportForm.self).file
        return try await act(req, section: "observables", done: "observablesImported") {
            _ = try await IncidentExchange.importFile($0, file: file, req: req)
        }
    }

    static func uploadEvidence(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentArtifacts.EvidenceInput.self)
        return try await act(req, section: "evidence", done: "evidenceAdded") { _ = try await IncidentArtifacts.upload($0, input, req: req) }
    }

    static func evidenceItem(req: Request) async throws -> Page {
        let incident = try await IncidentService.find(req)
        let (evidence, file) = try await IncidentArtifacts.findEvidence(incident, req: req)
        let actor = req.auditActor
        try await req.write { db in try await IncidentArtifacts.custody(evidence, "viewed", actor: actor, on: db) }
        try await IncidentSharing.auditPoliceAccess(incident, what: "evidence", req: req)
        let log = try await CustodyEntry.query(on: req.db).filter(\.$evidenceId == evidence.requireID()).sort(\.$at).all()
        return EvidenceView(req: req, incident: incident, evidence: evidence, file: file, custody: log).render()
    }

    static func evidenceDownload(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.auditPoliceAccess(incident, what: "evidence.download", req: req)
        return try await IncidentArtifacts.download(incident, req: req)
    }

    static func createTask(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentTasks.TaskForm.self)
        return try await act(req, section: "tasks", done: "taskAdded") { try await IncidentTasks.create($0, input, req: req) }
    }

    static func updateTask(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentTasks.TaskAction.self)
        return try await act(req, section: "tasks", done: "taskUpdated") { try await IncidentTasks.update($0, input, req: req) }
    }

    static func recordReport(req: Request) async throws -> Response {
        let input = try req.content.decode(IncidentReports.RecordInput.self)
        return try await act(req, section: "clocks", done: "reportRecorded") { _ = try await IncidentReports.record($0, input, req: req) }
    }

    static func reportDocx(req: Request, kind: IncidentClockKind) async throws -> Response {
        let incident = try await IncidentService.find(req)
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        return try await IncidentReports.docxResponse(incident, kind: kind, documentNumber: nil, req: req)
    }

    static func reportFile(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        guard let rid = req.parameters.get("rid", as: UUID.self),
              let record = try await IncidentReportRecord.query(on: req.db).filter(\.$id == rid).filter(\.$incidentId == incident.requireID()).first(),
              let fileId = record.fileId, let file = try await StoredFile.find(fileId, on: req.db) else { throw AppError.notFound }
        let url = StoredFileService.path(for: file.sha256, dataDirectory: req.application.config.dataDirectory)
        let response = try await req.fileio.asyncStreamFile(at: url.path)
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(file.originalName))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    static func exportSTIX(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.auditPoliceAccess(incident, what: "export.stix", req: req)
        return try await IncidentExchange.export(incident, format: .stix, req: req)
    }

    static func exportMISP(req: Request) async throws -> Response {
        let incident = try await IncidentService.find(req)
        try await IncidentSharing.auditPoliceAccess(incident, what: "export.misp", req: req)
        return try await IncidentExchange.export(incident, format: .misp, req: req)
    }
}
