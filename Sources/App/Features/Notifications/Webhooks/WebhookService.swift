import Foundation
import Domain
import Fluent
import Vapor

/// What a form or the API sends to create or change an endpoint.
struct WebhookInput: Sendable {
    var name: String?
    var url: String?
    var eventKinds: [String]?
    /// nil: province-wide.
    var agencyId: UUID?
    var active: Bool?
}

/// Creating, changing and removing webhook endpoints, each with its audit event.
enum WebhookService {
    static func validate(_ input: WebhookInput, creating: Bool, on db: any Database) async throws -> FieldErrors {
        var errors: [String: String] = [:]
        if creating || input.name != nil {
            let name = input.name?.trimmingCharacters(in: .whitespaces) ?? ""
            if name.isEmpty || name.count > 200 { errors["name"] = "validation.required" }
        }
        if creating || input.url != nil {
            if let problem = WebhookURLRule.problem(with: input.url?.trimmingCharacters(in: .whitespaces) ?? "") { errors["url"] = problem }
        }
        if creating || input.eventKinds != nil {
            let kinds = input.eventKinds ?? []
            if kinds.isEmpty { errors["eventKinds"] = "webhooks.kindsRequired" }
            else if kinds.contains(where: { NotificationKind(rawValue: $0) == nil }) { errors["eventKinds"] = "validation.unknownValue" }
        }
        if let agencyId = input.agencyId, try await Agency.find(agencyId, on: db) == nil { errors["agencyId"] = "validation.invalidId" }
        return FieldErrors(errors)
    }

    /// Returns the endpoint and its signing secret (shown once).
    static func create(_ input: WebhookInput, req: Request) async throws -> (Webhook, String) {
        let errors = try await validate(input, creating: true, on: req.db)
        guard errors.isEmpty else { throw AppError.validation(errors) }
        let secret = WebhookSigning.newSecret()
        let webhook = Webhook()
        webhook.id = UUID()
        webhook.name = input.name!.trimmingCharacters(in: .whitespaces)
        webhook.url = input.url!.trimmingCharacters(in: .whitespaces)
        webhook.secretSealed = try SecretBox.seal(Array(secret.utf8), appKey: req.application.secretKey)
        webhook.eventKinds = Set((input.eventKinds ?? []).compactMap(NotificationKind.init(rawValue:)))
        webhook.$agency.id = input.agencyId
        webhook.active = input.active ?? true
        webhook.createdByName = req.currentUser?.name ?? "?"
        webhook.createdAt = Date()
        let actor = req.auditActor
        try await req.write { db in
            try await webhook.create(on: db)
            try await AuditLog.append(AuditEntry("webhook.create", recordType: "webhook", recordId: webhook.id!.uuidString, agencyId: input.agencyId,
                                                 after: snapshot(webhook)), by: actor, on: db)
        }
        return (webhook, secret)
    }

    static func update(_ webhook: Webhook, with input: WebhookInput, req: Request) async throws {
        let errors = try await validate(input, creating: false, on: req.db)
        guard errors.isEmpty else { throw AppError.validation(errors) }
        let before = snapshot(webhook)
        if let name = input.name { webhook.name = name.trimmingCharacters(in: .whitespaces) }
        if let url = input.url { webhook.url = url.trimmingCharacters(in: .whitespaces) }
        if let kinds = input.eventKinds { webhook.eventKinds = Set(kinds.compactMap(NotificationKind.init(rawValue:))) }
        if let active = input.active { webhook.active = active }
        webhook.updatedAt = Date()
        let actor = req.auditActor
        try await req.write { db in
            try await webhook.save(on: db)
            try await AuditLog.append(AuditEntry("webhook.update", recordType: "webhook", recordId: webhook.id!.uuidString, agencyId: webhook.$agency.id,
                                                 before: before, after: snapshot(webhook)), by: actor, on: db)
        }
    }

    static func delete(_ webhook: Webhook, req: Request) async throws {
        let actor = req.auditActor
        try await req.write { db in
            try await webhook.delete(on: db)
            try await AuditLog.append(AuditEntry("webhook.delete", recordType: "webhook", recordId: webhook.id!.uuidString, agencyId: webhook.$agency.id,
                                                 before: snapshot(webhook)), by: actor, on: db)
        }
    }

    static func find(_ req: Request) async throws -> Webhook {
        guard let id = req.parameters.get("id", as: UUID.self), let webhook = try await Webhook.find(id, on: req.db) else { throw AppError.notFound }
        return webhook
    }

    /// The secret is never part of a snapshot.
    static func snapshot(_ w: Webhook) -> [String: String?] {
        ["name": w.name, "url": w.url, "eventKinds": w.eventKindsText, "agencyId": w.$agency.id?.uuidString, "active": String(w.active)]
    }
}
