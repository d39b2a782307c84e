import Foundation
import Domain
import Fluent
import Vapor

/// Agency fields as submitted by the form or the API, validated in one place.
struct AgencyInput: Content {
    var code: String?
    var name: String?
    var kind: String?
    var parentId: String?
    var address: String?
    var contactPhone: String?
    var contactEmail: String?

    struct Valid: Sendable {
        var code: String
        var name: String
        var kind: AgencyKind
        var parentId: UUID?
        var address: String?
        var contactPhone: String?
        var contactEmail: String?
    }

    /// Checks every field; `existing` is the agency being edited. Parents must be visible to the
    /// subject, must not put the agency below itself, and codes are unique.
    func validate(existing: Agency?, subject: Subject, on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let code = check.code("code", code)
        let name = check.requiredText("name", name, max: 200)
        let kind = check.choice("kind", kind, as: AgencyKind.self)
        let parentId = check.uuid("parentId", parentId, required: false)
        let address = check.optionalText("address", address, max: 300)
        let phone = check.phone("contactPhone", contactPhone, required: false)
        let email = check.email("contactEmail", contactEmail, required: false)
        if let parentId {
            if try await Agency.visible(parentId, to: subject, on: db) == nil {
                check.fail("parentId", "validation.unknownParent")
            } else if let existing, let id = existing.id {
                let tree = try await AgencyTreeQuery.tree(on: db)
                if tree.wouldCreateCycle(moving: id, under: parentId) { check.fail("parentId", "validation.parentCycle") }
            }
        }
        if !code.isEmpty {
            let clash = try await Agency.query(on: db).filter(\.$code == code).first()
            if let clash, clash.id != existing?.id { check.fail("code", "validation.duplicateCode") }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(code: code, name: name, kind: kind!, parentId: parentId, address: address,
                     contactPhone: phone, contactEmail: email)
    }

    /// For officers, who may change only the address and the 24/7 contact point.
    func validateContact() throws -> (address: String?, phone: String?, email: String?) {
        var check = InputChecker()
        let address = check.optionalText("address", address, max: 300)
        let phone = check.phone("contactPhone", contactPhone, required: false)
        let email = check.email("contactEmail", contactEmail, required: false)
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return (address, phone, email)
    }
}
