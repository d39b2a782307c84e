import Foundation
import Domain
import Vapor

struct AgencyDTO: Content {
    let id: UUID
    let code: String
    let name: String
    let kind: AgencyKind
    let parentId: UUID?
    let address: String?
    let contactPhone: String?
    let contactEmail: String?
    let createdAt: Date?
    let updatedAt: Date?

    init(_ agency: Agency) {
        id = agency.id!
        code = agency.code
        name = agency.name
        kind = agency.kind
        parentId = agency.$parent.id
        address = agency.address
        contactPhone = agency.contactPhone
        contactEmail = agency.contactEmail
        createdAt = agency.createdAt
        updatedAt = agency.updatedAt
    }
}
