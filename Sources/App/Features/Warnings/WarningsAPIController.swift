import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/warnings`: list, record, read with affected systems, change, import, rematch, and an agency's response
/// for one affected system.
enum WarningsAPIController {
    static func list(req: Request) async throws -> Paged<WarningDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let state = req.query[String.self, at: "state"]
        if let state, !WarningsIndex.states.contains(state) {
            throw AppError.validation(FieldErrors(["state": "validation.unknownValue"]))
        }
        let rules = req.application.rules
        let now = Date()
        let query = try await WarningsIndex.filtered(subject: subject, q: req.query[String.self, at: "q"], state: state, rules: rules, now: now, on: req.db)
            .sort(\.$issuedOn, .descending).sort(\.$createdAt, .descending)
        let (items, total) = try await params.apply(query)
        let tallies = try await WarningsIndex.tally(items, subject: subject, rules: rules, now: now, on: req.db)
        return Paged(items: items.map { WarningDTO($0, tally: tallies[$0.id!] ?? .init(), systems: nil) }, total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> WarningDTO {
        try await WarningShow.dto(try await WarningService.find(req), subject: try req.requireSubject(), req: req)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(WarningWriteDTO.self)
        let warning = try await WarningService.create(body.merged(into: WarningInput()), req: req)
        let response = Response(status: .created)
        try response.content.encode(try await WarningShow.dto(warning, subject: try req.requireSubject(), req: req))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.warnings(.warning(.value(warning.id!)))).path)
        return response
    }

    /// PATCH: fields left out keep their values; `version` (or `If-Match`) is required, a stale one answers 409.
    static func update(req: Request) async throws -> WarningDTO {
        let warning = try await WarningService.find(req)
        let body = try req.content.decode(WarningWriteDTO.self)
        guard let version = body.version ?? req.headers.first(name: .ifMatch).flatMap({ Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))) }) else {
            throw AppError(status: .preconditionRequired, code: "version_required", messageKey: "warnings.versionRequired", fields: ["version": "validation.required"])
        }
        var base = WarningInput(warning)
        base.productVendor = nil
        base.productName = nil
        base.productVersions = nil
        base.productCPE = nil
        var input = body.merged(into: base)
        input.version = version
        if body.products == nil { input = keepProducts(input, of: warning) }
        let updated = try await WarningService.update(warning, with: input, productsSent: body.products != nil, req: req)
        return try await WarningShow.dto(updated, subject: try req.requireSubject(), req: req)
    }

    /// Fills the product rows with the stored ones so that validation sees them (they are kept as stored).
    private static func keepProducts(_ input: WarningInput, of warning: AuthorityWarning) -> WarningInput {
        var i = input
        let stored = WarningInput(warning)
        i.productVendor = stored.productVendor
        i.productName = stored.productName
        i.productVersions = stored.productVersions
        i.productCPE = stored.productCPE
        return i
    }

    struct RematchResult: Content {
        var added: Int
        var removed: Int
        var kept: Int
        var warning: WarningDTO
    }

    static func rematch(req: Request) async throws -> RematchResult {
        let warning = try await WarningService.find(req)
        let summary = try await WarningService.rematch(warning, req: req)
        return RematchResult(added: summary.added, removed: summary.removed, kept: summary.kept,
                             warning: try await WarningShow.dto(warning, subject: try req.requireSubject(), req: req))
    }

    /// The caller's view of one affected system (404 for a system not affected or not theirs).
    static func system(req: Request) async throws -> WarningSystemDTO {
        let warning = try await WarningService.find(req)
        guard let sid = req.parameters.get("sid", as: UUID.self),
              let row = try await WarningShow.rows(warning, subject: try req.requireSubject(), rules: req.application.rules, on: req.db)
                .first(where: { $0.row.systemId == sid }) else { throw AppError.notFound }
        return WarningSystemDTO(row.row, system: row.system, agencyName: row.agencyName, due: row.due, files: row.files, lang: req.lang)
    }

    /// `{"action": "acknowledge"}`, `{"action": "not_affected", "reason": …}`, `remediate` (JSON with `note`, or multipart
    /// with `note` and the evidence in `files[]`), and for coordinators `add` (with `reason`) and `reopen`.
    static func respond(req: Request) async throws -> Response {
        let warning = try await WarningService.find(req)
        guard let sid = req.parameters.get("sid", as: UUID.self) else { throw AppError.notFound }
        let input = try req.content.decode(WarningResponseInput.self)
        let outcome = try await WarningResponse.apply(input, warning: warning, systemId: sid, req: req)
        guard let row = try await WarningShow.rows(warning, subject: try req.requireSubject(), rules: req.application.rules, on: req.db)
            .first(where: { $0.row.id == outcome.row.id }) else { throw AppError.notFound }
        let response = Response(status: input.action == WarningResponseAction.add.rawValue ? .created : .ok)
        try response.content.encode(WarningSystemDTO(row.row, system: row.system, agencyName: row.agencyName, due: row.due, files: row.files, lang: req.lang))
        return response
    }
}
