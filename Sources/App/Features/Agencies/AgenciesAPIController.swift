import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/agencies`.
enum AgenciesAPIController {
    static func list(req: Request) async throws -> Paged<AgencyDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = Agency.scoped(to: subject, on: req.db).sort(\.$code)
        if let q = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            query.matching(q)
        }
        if let kind = req.query[String.self, at: "kind"] {
            guard let parsed = AgencyKind(rawValue: kind) else {
                throw AppError.validation(FieldErrors(["kind": "validation.unknownValue"]))
            }
            query.filter(\.$kind == parsed)
        }
        if let parent = req.query[String.self, at: "parentId"] {
            guard let id = UUID(uuidString: parent) else { throw AppError.validation(FieldErrors(["parentId": "validation.invalidId"])) }
            query.filter(\.$parent.$id == id)
        }
        let (items, total) = try await params.apply(query)
        return Paged(items: items.map(AgencyDTO.init), total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> AgencyDTO {
        AgencyDTO(try await AgencyService.find(req))
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(AgencyInput.self)
        let agency = try await AgencyService.create(input, req: req)
        let response = Response(status: .created)
        try response.content.encode(AgencyDTO(agency))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.agency(.value(agency.id!))).path)
        return response
    }

    /// Fields left out of the body keep their values.
    static func update(req: Request) async throws -> AgencyDTO {
        let agency = try await AgencyService.find(req)
        let patch = try req.content.decode(AgencyInput.self)
        var input = AgencyInput(code: agency.code, name: agency.name, kind: agency.kind.rawValue,
                                parentId: agency.$parent.id?.uuidString, address: agency.address,
                                contactPhone: agency.contactPhone, contactEmail: agency.contactEmail)
        if let value = patch.code { input.code = value }
        if let value = patch.name { input.name = value }
        if let value = patch.kind { input.kind = value }
        if let value = patch.parentId { input.parentId = value }
        if let value = patch.address { input.address = value }
        if let value = patch.contactPhone { input.contactPhone = value }
        if let value = patch.contactEmail { input.contactEmail = value }
        return AgencyDTO(try await AgencyService.update(agency, with: input, req: req))
    }

    static func delete(req: Request) async throws -> HTTPStatus {
        try await AgencyService.delete(try await AgencyService.find(req), req: req)
        return .noContent
    }
}
