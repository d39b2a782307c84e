import Foundation
import Domain
import Fluent
import Vapor

/// An endpoint as the API returns it; the secret only once, when created.
struct WebhookDTO: Content {
    var id: UUID
    var name: String
    var url: String
    var eventKinds: [String]
    var agencyId: UUID?
    var active: Bool
    var createdAt: Date
    var secret: String?

    init(_ w: Webhook, secret: String? = nil) {
        id = w.id!
        name = w.name
        url = w.url
        eventKinds = w.eventKinds.map(\.rawValue).sorted()
        agencyId = w.$agency.id
        active = w.active
        createdAt = w.createdAt
        self.secret = secret
    }
}

struct WebhookWriteDTO: Content {
    var name: String?
    var url: String?
    var eventKinds: [String]?
    var agencyId: UUID?
    var active: Bool?
}

struct WebhookDeliveryDTO: Content {
    var id: UUID
    var eventKind: String
    var state: String
    var attempts: Int
    var statusCode: Int?
    var lastError: String?
    var createdAt: Date
    var lastAttemptAt: Date?
    var deliveredAt: Date?

    init(_ d: WebhookDelivery) {
        id = d.id!
        eventKind = d.eventKind
        state = d.state.rawValue
        attempts = d.attempts
        statusCode = d.statusCode
        lastError = d.lastError
        createdAt = d.createdAt
        lastAttemptAt = d.lastAttemptAt
        deliveredAt = d.deliveredAt
    }
}

/// `/api/v1/webhooks` (administrators and coordinators).
enum WebhooksAPIController {
    static func list(req: Request) async throws -> Paged<WebhookDTO> {
        let params = try PageParams(req: req)
        let (items, total) = try await params.apply(Webhook.query(on: req.db).sort(\.$name))
        return Paged(items: items.map { WebhookDTO($0) }, total: total, page: params.page, per: params.per)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(WebhookWriteDTO.self)
        let (webhook, secret) = try await WebhookService.create(
            WebhookInput(name: body.name, url: body.url, eventKinds: body.eventKinds, agencyId: body.agencyId, active: body.active), req: req)
        let response = Response(status: .created)
        try response.content.encode(WebhookDTO(webhook, secret: secret))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.notifications(.webhook(.value(webhook.id!)))).path)
        return response
    }

    static func get(req: Request) async throws -> WebhookDTO {
        WebhookDTO(try await WebhookService.find(req))
    }

    /// The agency scope is fixed at creation (remove and create again to change it).
    static func update(req: Request) async throws -> WebhookDTO {
        let webhook = try await WebhookService.find(req)
        let body = try req.content.decode(WebhookWriteDTO.self)
        try await WebhookService.update(webhook, with: WebhookInput(name: body.name, url: body.url, eventKinds: body.eventKinds, active: body.active),
                                        req: req)
        return WebhookDTO(webhook)
    }

    static func delete(req: Request) async throws -> HTTPStatus {
        try await WebhookService.delete(try await WebhookService.find(req), req: req)
        return .noContent
    }

    static func deliveries(req: Request) async throws -> Paged<WebhookDeliveryDTO> {
        let webhook = try await WebhookService.find(req)
        let params = try PageParams(req: req)
        let (items, total) = try await params.apply(WebhookDelivery.query(on: req.db).filter(\.$webhook.$id == webhook.requireID())
            .sort(\.$createdAt, .descending))
        return Paged(items: items.map(WebhookDeliveryDTO.init), total: total, page: params.page, per: params.per)
    }
}
