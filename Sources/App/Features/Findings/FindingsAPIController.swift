import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/findings`.
enum FindingsAPIController {
    static func list(req: Request) async throws -> Paged<FindingDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        var list = ListQuery(req: req, filterKeys: FindingsIndex.filterKeys, sortKeys: FindingsIndex.sortKeys)
        list.page = params.page
        list.per = params.per
        let errors = FindingsIndex.validate(list)
        if !errors.isEmpty { throw AppError.validation(errors) }
        let model = try await FindingsIndex.query(subject: subject, list: list, on: req.db)
        let now = Date()
        return Paged(items: model.rows.map { FindingDTO($0.finding, lang: req.lang, now: now) }, total: model.total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> FindingDTO {
        let finding = try await FindingService.find(req)
        return FindingDTO(finding, lang: req.lang, history: try await history(of: finding, on: req.db))
    }

    /// Changes the status; the body (or `If-Match`) must name the version it was based on: 428 without, 409 when stale.
    static func patch(req: Request) async throws -> FindingDTO {
        let finding = try await FindingService.find(req)
        let input = try req.content.decode(FindingService.StatusInput.self)
        let version = input.version ?? req.headers.first(name: .ifMatch).flatMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) }
        guard let version else {
            throw AppError(status: .preconditionRequired, code: "version_required", messageKey: "findings.versionRequired",
                           fields: ["version": "validation.required"])
        }
        try await FindingService.change(finding, input, expectedVersion: version, req: req)
        return FindingDTO(finding, lang: req.lang, history: try await history(of: finding, on: req.db))
    }

    static func bulk(req: Request) async throws -> FindingBulkResult {
        let input = try req.content.decode(FindingBulkInput.self)
        let (changed, unchanged) = try await FindingService.bulk(ids: input.ids ?? [], input.statusInput, req: req)
        let now = Date()
        return FindingBulkResult(changed: changed.count, unchanged: unchanged, items: changed.map { FindingDTO($0, lang: req.lang, now: now) })
    }

    static func history(of finding: Finding, on db: any Database) async throws -> [FindingEvent] {
        try await FindingEvent.query(on: db).filter(\.$findingId == finding.requireID()).sort(\.$at).sort(\.$id).all()
    }
}
