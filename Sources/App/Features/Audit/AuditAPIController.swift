import Foundation
import Domain
import Fluent
import Vapor

struct AuditEventDTO: Content {
    let id: UUID
    let sequence: Int64
    let occurredAt: Date
    let actorId: UUID?
    let actorLabel: String
    let clientAddress: String?
    let action: String
    let recordType: String?
    let recordId: String?
    let agencyId: UUID?
    let summary: String
    let previousHash: String
    let hash: String

    init(_ event: AuditEvent) {
        id = event.id!
        sequence = event.sequence
        occurredAt = event.occurredAt
        actorId = event.actorId
        actorLabel = event.actorLabel
        clientAddress = event.clientAddress
        action = event.action
        recordType = event.recordType
        recordId = event.recordId
        agencyId = event.agencyId
        summary = event.summary
        previousHash = event.previousHash
        hash = event.hash
    }
}

struct AuditVerificationDTO: Content {
    let intact: Bool
    let events: Int64?
    let firstBadSequence: Int64?
    let reason: String?
}

/// `/api/v1/audit-events`: read-only.
enum AuditAPIController {
    static func list(req: Request) async throws -> Paged<AuditEventDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        var values: [String: String] = [:]
        for key in AuditController.filterKeys {
            if let value = req.query[String.self, at: key], !value.isEmpty { values[key] = value }
        }
        let filters = AuditController.Filters(values)
        if !filters.errors.isEmpty { throw AppError.validation(FieldErrors(filters.errors)) }
        let query = AuditEvent.scoped(to: subject, on: req.db).sort(\.$sequence, .descending)
        filters.apply(query)
        let (items, total) = try await params.apply(query)
        return Paged(items: items.map(AuditEventDTO.init), total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> AuditEventDTO {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self),
              let event = try await AuditEvent.scoped(to: subject, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return AuditEventDTO(event)
    }

    static func verify(req: Request) async throws -> AuditVerificationDTO {
        let outcome = try await AuditLog.verify(on: req.db)
        try await req.audit(AuditEntry("audit.verify", details: ["via": "api"]))
        switch outcome {
        case .intact(let count): return AuditVerificationDTO(intact: true, events: count, firstBadSequence: nil, reason: nil)
        case .broken(let sequence, let reason):
            return AuditVerificationDTO(intact: false, events: nil, firstBadSequence: sequence, reason: reason.rawValue)
        }
    }
}
