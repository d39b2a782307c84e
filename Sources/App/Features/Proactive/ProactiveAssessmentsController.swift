import Foundation
import Domain
import Fluent
import Vapor

/// Pages for recording, showing and editing a scan or hunt.
enum ProactiveAssessmentsController {
    /// `?systemId=` fixes the system (404 when the caller cannot see it); without it the form offers every system
    /// the caller may record for.
    static func new(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        var input = ProactiveAssessmentInput()
        input.state = "completed"
        input.performerKind = AssessmentPerformer.inHouse.rawValue
        input.kind = req.query[String.self, at: "kind"].flatMap { AssessmentKind(rawValue: $0)?.rawValue }
        var system: InformationSystem?
        if let raw = req.query[String.self, at: "systemId"] {
            guard let id = UUID(uuidString: raw), let found = try await InformationSystem.visible(id, to: subject, on: req.db) else { throw AppError.notFound }
            try await req.authorize(.recordAssessments, .owned(agencyId: found.$agency.id), readAction: .viewProactive, recordType: "system", recordId: id)
            system = found
            input.systemId = id.uuidString.lowercased()
        }
        return try await form(req: req, assessment: nil, system: system, input: input, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let input = try req.content.decode(ProactiveAssessmentInput.self)
        do {
            let a = try await ProactiveAssessmentService.create(input, req: req)
            return req.redirect(to: SiteURL.proactive(.assessment(.value(a.id!))).path(query: ["done": "assessmentRecorded"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            // Keep the system fixed when it was valid and readable.
            var system: InformationSystem?
            if error.fields["systemId"] == nil, let id = input.systemId.flatMap(UUID.init(uuidString:)) {
                system = try await InformationSystem.visible(id, to: subject, on: req.db)
            }
            var kept = input
            kept.files = nil
            return try await form(req: req, assessment: nil, system: system, input: kept, errors: error.fields,
                                  status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func show(req: Request) async throws -> Page {
        let a = try await ProactiveAssessmentService.find(req)
        guard let system = try await InformationSystem.find(a.systemId, on: req.db) else { throw AppError.notFound }
        let duty = try await Obligation.query(on: req.db).filter(\.$subjectId == a.systemId)
            .filter(\.$dutyId == (a.assessmentKind?.duty.rawValue ?? "")).first()
        let model = ProactiveAssessmentShowView.Model(assessment: a, system: system, agency: try await Agency.find(system.$agency.id, on: req.db),
                                             files: try await ProactiveAssessmentService.files(of: a.requireID(), on: req.db), duty: duty)
        return ProactiveAssessmentShowView(req: req, model: model).render()
    }

    static func edit(req: Request) async throws -> Page {
        let a = try await ProactiveAssessmentService.find(req)
        guard let system = try await InformationSystem.find(a.systemId, on: req.db) else { throw AppError.notFound }
        try await req.authorize(.recordAssessments, .owned(agencyId: system.$agency.id), readAction: .viewProactive,
                                recordType: ProactiveAssessmentService.recordType, recordId: a.requireID())
        if a.state == "running" { throw AppError.conflict("assessment_running", messageKey: "proactive.stillRunning") }
        return try await form(req: req, assessment: a, system: system, input: ProactiveAssessmentInput(a), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let a = try await ProactiveAssessmentService.find(req)
        var input = try req.content.decode(ProactiveAssessmentInput.self)
        do {
            guard let expected = input.version else { throw AppError.validation(FieldErrors(["version": "validation.required"])) }
            _ = try await ProactiveAssessmentService.update(a, with: input, expected: expected, req: req)
            return req.redirect(to: SiteURL.proactive(.assessment(.value(a.id!))).path(query: ["done": "assessmentUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "assessment_changed" {
            guard let system = try await InformationSystem.find(a.systemId, on: req.db) else { throw AppError.notFound }
            input.files = nil
            var fields = error.fields
            if error.code == "assessment_changed" {
                // Show the newer version's number so a second save is a deliberate overwrite of what is now there.
                input.version = try await ProactiveAssessment.find(a.id, on: req.db)?.version
                fields = ["form": error.messageKey]
            }
            return try await form(req: req, assessment: a, system: system, input: input, errors: fields, status: error.status).encodeResponse(for: req)
        }
    }

    private static func form(req: Request, assessment: ProactiveAssessment?, system: InformationSystem?, input: ProactiveAssessmentInput,
                             errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        var systems: [InformationSystem] = []
        if system == nil {
            systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$name).all()
                .filter { Policy.can(subject, .recordAssessments, .owned(agencyId: $0.$agency.id)) }
        }
        var page = ProactiveAssessmentFormView(req: req, assessment: assessment, system: system, systems: systems, input: input, errors: errors).render()
        page.status = status
        return page
    }
}
