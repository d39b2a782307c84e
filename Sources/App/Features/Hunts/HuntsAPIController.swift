import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/hunts`: list, start, one hunt with a page of its hits, cancel.
enum HuntsAPIController {
    static func list(req: Request) async throws -> Paged<HuntSummaryDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = try await Hunt.scoped(to: subject, on: req.db).sort(\.$createdAt, .descending)
        if let raw = req.query[String.self, at: "state"] {
            guard HuntState(rawValue: raw) != nil else { throw AppError.validation(FieldErrors(["state": "validation.unknownValue"])) }
            query.filter(\.$state == raw)
        }
        let (items, total) = try await params.apply(query)
        for hunt in items { try await HuntService.reconcile(hunt, app: req.application) }
        let hits = try await HuntsIndex.hits(of: items, reader: HuntReader(subject), on: req.db)
        return Paged(items: items.map { HuntSummaryDTO($0, hits: hits[$0.id!] ?? 0) }, total: total, page: params.page, per: params.per)
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(HuntInput.self)
        let hunt = try await HuntService.start(input, req: req)
        let response = Response(status: .accepted)
        try response.content.encode(try await dto(hunt, req: req, withHits: false))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.hunts(.hunt(.value(hunt.id!)))).path)
        return response
    }

    /// `page`/`per` page through the hits (newest hunt results in the order found); `group` narrows to one rule
    /// (`rule:<id>`) or indicator (`ioc:<kind>:<value>`).
    static func get(req: Request) async throws -> HuntDTO {
        try await dto(try await HuntService.find(req), req: req, withHits: true)
    }

    static func cancel(req: Request) async throws -> HuntDTO {
        let hunt = try await HuntService.find(req)
        try await HuntService.cancel(hunt, req: req)
        guard let fresh = try await Hunt.find(hunt.id, on: req.db) else { throw AppError.notFound }
        return try await dto(fresh, req: req, withHits: false)
    }

    static func dto(_ hunt: Hunt, req: Request, withHits: Bool) async throws -> HuntDTO {
        let subject = try req.requireSubject()
        let model = try await HuntShow.query(hunt, subject: subject, on: req.db)
        guard withHits else { return HuntDTO(model) }
        let params = try PageParams(req: req)
        let group = req.query[String.self, at: "group"].flatMap { $0.isEmpty ? nil : $0 }
        let (hits, total) = try await HuntShow.hits(try hunt.requireID(), reader: model.reader, group: group, offset: (params.page - 1) * params.per,
                                                    limit: params.per, on: req.db)
        return HuntDTO(model, hits: Paged(items: hits.map(HuntHitDTO.init), total: total, page: params.page, per: params.per))
    }
}
