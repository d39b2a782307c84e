import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/plans`, their versions and approvals, and `/api/v1/scenarios`.
enum PlansAPIController {
    static func list(req: Request) async throws -> Paged<PlanDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = ResponsePlan.scoped(to: subject, on: req.db).sort(\.$title)
        if let raw = req.query[String.self, at: "systemId"] {
            guard let sid = UUID(uuidString: raw) else { throw AppError.validation(FieldErrors(["systemId": "validation.invalidId"])) }
            let versionIds = try await PlanVersionSystem.query(on: req.db).filter(\.$systemId == sid).all().map(\.planVersionId)
            let planIds = versionIds.isEmpty ? [] : try await PlanVersion.query(on: req.db).filter(\.$id ~~ versionIds).all().map(\.planId)
            query.filter(\.$id ~~ Array(Set(planIds)))
        }
        let (items, total) = try await params.apply(query)
        var out: [PlanDTO] = []
        for plan in items { out.append(try await dto(plan, on: req.db)) }
        return Paged(items: out, total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> PlanDTO {
        try await dto(try await PlanService.find(req), on: req.db)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(PlanWriteDTO.self)
        let (plan, _) = try await PlanService.create(try body.input(base: PlanContentInput()), req: req)
        let response = Response(status: .created)
        try response.content.encode(try await dto(plan, on: req.db))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.plans(.plan(.value(plan.id!)))).path)
        return response
    }

    static func versions(req: Request) async throws -> [PlanVersionSummaryDTO] {
        try await PlanService.versions(of: try await PlanService.find(req), on: req.db).map(PlanVersionSummaryDTO.init)
    }

    /// A new draft from the approved version.
    static func newVersion(req: Request) async throws -> Response {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.newVersion(of: plan, req: req)
        let response = Response(status: .created)
        try response.content.encode(PlanVersionDTO(try await PlanService.content(plan, version, on: req.db)))
        return response
    }

    static func version(req: Request) async throws -> PlanVersionDTO {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        return PlanVersionDTO(try await PlanService.content(plan, version, on: req.db))
    }

    static func updateVersion(req: Request) async throws -> PlanVersionDTO {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        let body = try req.content.decode(PlanWriteDTO.self)
        let base = PlanContentInput(try await PlanService.content(plan, version, on: req.db))
        try await PlanService.update(version, of: plan, with: try body.input(base: base), req: req)
        return PlanVersionDTO(try await PlanService.content(plan, version, on: req.db))
    }

    static func approve(req: Request) async throws -> PlanVersionDTO {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        var input = try req.content.decode(PlanApprovalInput.self)
        input.files = nil
        try await PlanService.approve(version, of: plan, with: input, req: req)
        guard let fresh = try await PlanVersion.find(version.id, on: req.db) else { throw AppError.notFound }
        return PlanVersionDTO(try await PlanService.content(plan, fresh, on: req.db))
    }

    static func scenarios(req: Request) async throws -> ScenarioListDTO {
        let library = req.application.rules.scenarios()
        return ScenarioListDTO(ruleId: library.header.id, ruleVersion: library.header.version,
                               items: library.scenarios.map { ScenarioDTO($0, lang: req.lang.rawValue) })
    }

    static func dto(_ plan: ResponsePlan, on db: any Database) async throws -> PlanDTO {
        let versions = try await PlanService.versions(of: plan, on: db)
        var current: PlanVersionDTO?
        if let v = PlanService.current(versions) { current = PlanVersionDTO(try await PlanService.content(plan, v, on: db)) }
        return PlanDTO(id: plan.id!, agencyId: plan.agencyId, title: plan.title, scope: plan.scope, current: current,
                       versions: versions.map(PlanVersionSummaryDTO.init), createdAt: plan.createdAt)
    }
}
