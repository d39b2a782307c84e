import Foundation
import Domain
import Fluent
import Vapor

/// User fields from the form or the API, validated in one place.
struct UserInput: Content {
    var name: String?
    var email: String?
    var phone: String?
    var role: String?
    var agencyId: String?

    struct Valid: Sendable {
        var name: String
        var email: String
        var phone: String?
        var role: Role
        var agencyId: UUID?
    }

    func validate(existing: User?, subject: Subject, on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let name = check.requiredText("name", name, max: 200)
        let email = check.email("email", email, required: true)
        let phone = check.phone("phone", phone, required: false)
        let role = check.choice("role", role, as: Role.self)
        let agencyId = check.uuid("agencyId", agencyId, required: false)
        if let agencyId, try await Agency.visible(agencyId, to: subject, on: db) == nil {
            check.fail("agencyId", "validation.unknownAgency")
        }
        if let role, [.agencyOfficer, .police].contains(role), agencyId == nil, check.errors["agencyId"] == nil {
            check.fail("agencyId", "validation.agencyRequiredForRole")
        }
        if let email {
            let clash = try await User.query(on: db).filter(\.$email == email).first()
            if let clash, clash.id != existing?.id { check.fail("email", "validation.duplicateEmail") }
        }
        if let existing, existing.id == subject.userId, let role, role != existing.role {
            check.fail("role", "validation.cannotChangeOwnRole")
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(name: name, email: email!, phone: phone, role: role!, agencyId: agencyId)
    }
}
