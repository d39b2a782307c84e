import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/assessments`: scans and hunts of visible systems.
enum ProactiveAssessmentsAPIController {
    static func list(req: Request) async throws -> Paged<ProactiveAssessmentDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = ProactiveAssessment.scoped(to: subject, on: req.db)
        var errors = FieldErrors()
        if let raw = req.query[String.self, at: "systemId"] {
            if let id = UUID(uuidString: raw) { query.filter(\.$systemId == id) } else { errors.add("systemId", "validation.invalidId") }
        }
        if let raw = req.query[String.self, at: "agencyId"] {
            if let id = UUID(uuidString: raw) {
                // The agency and those below it, as the system owns them now.
                let subtree = Array(try await AgencyTreeQuery.tree(on: req.db).subtree(of: id))
                let systems = try await InformationSystem.scoped(to: subject, on: req.db).filter(\.$agency.$id ~~ subtree).field(\.$id).all().compactMap(\.id)
                query.filter(\.$systemId ~~ systems)
            } else {
                errors.add("agencyId", "validation.invalidId")
            }
        }
        if let raw = req.query[String.self, at: "kind"] {
            if AssessmentKind(rawValue: raw) != nil { query.filter(\.$kind == raw) } else { errors.add("kind", "validation.unknownValue") }
        }
        if let raw = req.query[String.self, at: "state"] {
            if ["running", "completed", "failed", "cancelled"].contains(raw) { query.filter(\.$state == raw) } else { errors.add("state", "validation.unknownValue") }
        }
        if let raw = req.query[String.self, at: "from"] {
            if let day = DisplayTime.parseDay(raw) { query.filter(\.$startedAt >= day) } else { errors.add("from", "validation.invalidDate") }
        }
        if let raw = req.query[String.self, at: "to"] {
            if let day = DisplayTime.parseDay(raw) { query.filter(\.$startedAt < day.addingTimeInterval(86_400)) } else { errors.add("to", "validation.invalidDate") }
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        query.sort(\.$startedAt, .descending).sort(\.$id)
        let (items, total) = try await params.apply(query)
        let files = try await StoredFileService.files(recordType: ProactiveAssessmentService.recordType, recordIds: items.compactMap(\.id), on: req.db)
        return Paged(items: items.map { ProactiveAssessmentDTO($0, files: files[$0.id!] ?? []) }, total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> ProactiveAssessmentDTO {
        let a = try await ProactiveAssessmentService.find(req)
        return ProactiveAssessmentDTO(a, files: try await ProactiveAssessmentService.files(of: a.requireID(), on: req.db))
    }

    /// JSON, or `multipart/form-data` with the same fields and the report files in `files[]`.
    static func create(req: Request) async throws -> Response {
        let input: ProactiveAssessmentInput
        if req.headers.contentType?.type == "multipart" {
            input = try req.content.decode(ProactiveAssessmentInput.self)
        } else {
            input = try req.content.decode(ProactiveAssessmentWriteDTO.self).merged(into: ProactiveAssessmentInput())
        }
        let a = try await ProactiveAssessmentService.create(input, req: req)
        let response = Response(status: .created)
        try response.content.encode(ProactiveAssessmentDTO(a, files: try await ProactiveAssessmentService.files(of: a.requireID(), on: req.db)))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.proactive(.assessment(.value(a.id!)))).path)
        return response
    }

    /// Fields left out keep their values; `version` (or `If-Match`) is required, a stale one answers 409.
    static func update(req: Request) async throws -> ProactiveAssessmentDTO {
        let a = try await ProactiveAssessmentService.find(req)
        let body: ProactiveAssessmentWriteDTO
        var files: [File]?
        if req.headers.contentType?.type == "multipart" {
            let form = try req.content.decode(ProactiveAssessmentInput.self)
            files = form.files
            body = ProactiveAssessmentWriteDTO(systemId: nil, kind: form.kind, state: form.state, performerKind: form.performerKind, performer: form.performer,
                                      startedAt: form.startedAt, finishedAt: form.finishedAt, tool: form.tool, scope: form.scope, method: form.method,
                                      summary: form.summary, findingsCount: form.findingsCount.flatMap { Int($0) }, version: form.version)
            if let raw = form.findingsCount, Int(raw) == nil, !raw.isEmpty {
                throw AppError.validation(FieldErrors(["findingsCount": "validation.notNumber"]))
            }
        } else {
            body = try req.content.decode(ProactiveAssessmentWriteDTO.self)
        }
        if body.systemId.map({ UUID(uuidString: $0) != a.systemId }) == true {
            throw AppError.validation(FieldErrors(["systemId": "proactive.systemFixed"]))
        }
        guard let expected = body.version ?? req.headers.first(name: .ifMatch).flatMap({ Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) }) else {
            throw AppError(status: .preconditionRequired, code: "version_required", messageKey: "proactive.versionRequired",
                           fields: ["version": "validation.required"])
        }
        var input = body.merged(into: ProactiveAssessmentInput(a, precise: true))
        input.files = files
        let updated = try await ProactiveAssessmentService.update(a, with: input, expected: expected, req: req)
        return ProactiveAssessmentDTO(updated, files: try await ProactiveAssessmentService.files(of: updated.requireID(), on: req.db))
    }
}
