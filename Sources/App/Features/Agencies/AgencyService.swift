import Foundation
import Domain
import Fluent
import Vapor

/// Agency changes shared by the pages and the API, each written with its audit event in one transaction.
enum AgencyService {
    static func create(_ input: AgencyInput, req: Request) async throws -> Agency {
        let subject = try req.requireSubject()
        let valid = try await input.validate(existing: nil, subject: subject, on: req.db)
        let actor = req.auditActor
        let rules = req.application.rules
        return try await req.write { db in
            let agency = Agency(code: valid.code, name: valid.name, kind: valid.kind, parentId: valid.parentId,
                                address: valid.address, contactPhone: valid.contactPhone, contactEmail: valid.contactEmail)
            try await agency.create(on: db)
            try await AuditLog.append(AuditEntry("agency.create", recordType: "agency", recordId: agency.id?.uuidString,
                                                 agencyId: agency.id, after: agency.auditSnapshot), by: actor, on: db)
            try await ResponseObligationRefresher.refreshAgencies([agency.requireID()], rules: rules, on: db)
            return agency
        }
    }

    /// Admins change everything; officers only the contact fields of agencies in their subtree.
    static func update(_ agency: Agency, with input: AgencyInput, req: Request) async throws -> Agency {
        let subject = try req.requireSubject()
        let id = try agency.requireID()
        let before = agency.auditSnapshot
        if Policy.can(subject, .updateAgency, .owned(agencyId: id)) {
            let valid = try await input.validate(existing: agency, subject: subject, on: req.db)
            agency.code = valid.code
            agency.name = valid.name
            agency.kind = valid.kind
            agency.$parent.id = valid.parentId
            agency.address = valid.address
            agency.contactPhone = valid.contactPhone
            agency.contactEmail = valid.contactEmail
        } else {
            try await req.authorize(.updateAgencyContact, .owned(agencyId: id), readAction: .viewAgencies, recordType: "agency", recordId: id)
            let contact = try input.validateContact()
            agency.address = contact.address
            agency.contactPhone = contact.phone
            agency.contactEmail = contact.email
        }
        let actor = req.auditActor
        let rules = req.application.rules
        try await req.write { db in
            try await agency.save(on: db)
            try await AuditLog.append(AuditEntry("agency.update", recordType: "agency", recordId: id.uuidString, agencyId: id,
                                                 before: before, after: agency.auditSnapshot), by: actor, on: db)
            // The 24/7 contact point is a duty (FOCAL_POINT_MISSING).
            try await ResponseObligationRefresher.refreshAgencies([id], rules: rules, on: db)
        }
        return agency
    }

    /// Refused while the agency still has sub-agencies or users.
    static func delete(_ agency: Agency, req: Request) async throws {
        let id = try agency.requireID()
        try await req.authorize(.deleteAgency, .owned(agencyId: id), readAction: .viewAgencies, recordType: "agency", recordId: id)
        if try await Agency.query(on: req.db).filter(\.$parent.$id == id).count() > 0 {
            throw AppError.conflict("agency_has_children", messageKey: "agency.hasChildren")
        }
        if try await User.query(on: req.db).filter(\.$agency.$id == id).count() > 0 {
            throw AppError.conflict("agency_has_users", messageKey: "agency.hasUsers")
        }
        if try await InformationSystem.query(on: req.db).filter(\.$agency.$id == id).count() > 0 {
            throw AppError.conflict("agency_has_systems", messageKey: "agency.hasSystems")
        }
        let actor = req.auditActor
        let before = agency.auditSnapshot
        try await req.write { db in
            try await agency.delete(on: db)
            try await AuditLog.append(AuditEntry("agency.delete", recordType: "agency", recordId: id.uuidString, agencyId: id,
                                                 before: before), by: actor, on: db)
        }
    }

    /// The agency, or 404 when it does not exist or the caller may not see it.
    static func find(_ req: Request) async throws -> Agency {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self),
              let agency = try await Agency.visible(id, to: subject, on: req.db) else { throw AppError.notFound }
        return agency
    }
}
