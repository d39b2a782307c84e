import Foundation
import Domain
import Vapor

struct TeamDTO: Content {
    var id: UUID
    var name: String
    var kind: String
    var agencyId: UUID
    var decisionNumber: String?
    var decisionDate: String?
    var validFrom: String?
    var validTo: String?
    var notes: String?
    var experts: Int
    var members: [MemberDTO]?
    var version: Int
    var createdAt: Date?
    var updatedAt: Date?

    init(_ t: ResponseTeam, members: [TeamMember]?, experts: Int) {
        id = t.id!
        name = t.name
        kind = t.kind.rawValue
        agencyId = t.agencyId
        decisionNumber = t.decisionNumber
        decisionDate = t.decisionDate.map(DisplayTime.isoDay)
        validFrom = t.validFrom.map(DisplayTime.isoDay)
        validTo = t.validTo.map(DisplayTime.isoDay)
        notes = t.notes
        self.members = members?.map(MemberDTO.init)
        self.experts = experts
        version = t.version
        createdAt = t.createdAt
        updatedAt = t.updatedAt
    }
}

struct MemberDTO: Content {
    var id: UUID
    var name: String
    var organisation: String?
    var teamRole: String
    var expert: Bool
    var outsourced: Bool
    var skills: String?
    var certifications: String?
    var phone: String?
    var email: String?

    init(_ m: TeamMember) {
        id = m.id!
        name = m.name
        organisation = m.organisation
        teamRole = m.teamRole
        expert = m.expert
        outsourced = m.outsourced
        skills = m.skills
        certifications = m.certifications
        phone = m.phone
        email = m.email
    }
}

/// A member in an API body: booleans as JSON booleans; fields left out keep their values on PATCH.
struct MemberWriteDTO: Content {
    var name: String?
    var organisation: String?
    var teamRole: String?
    var expert: Bool?
    var outsourced: Bool?
    var skills: String?
    var certifications: String?
    var phone: String?
    var email: String?

    func merged(into base: MemberInput) -> MemberInput {
        var i = base
        if let name { i.name = name }
        if let organisation { i.organisation = organisation }
        if let teamRole { i.teamRole = teamRole }
        if let expert { i.expert = expert ? "true" : nil }
        if let outsourced { i.outsourced = outsourced ? "true" : nil }
        if let skills { i.skills = skills }
        if let certifications { i.certifications = certifications }
        if let phone { i.phone = phone }
        if let email { i.email = email }
        return i
    }
}

/// A team in an API body; fields left out keep their values on PATCH.
struct TeamWriteDTO: Content {
    var name: String?
    var kind: String?
    var agencyId: String?
    var decisionNumber: String?
    var decisionDate: String?
    var validFrom: String?
    var validTo: String?
    var notes: String?
    var version: Int?

    func merged(into base: TeamInput) -> TeamInput {
        var i = base
        if let name { i.name = name }
        if let kind { i.kind = kind }
        if let agencyId { i.agencyId = agencyId }
        if let decisionNumber { i.decisionNumber = decisionNumber }
        if let decisionDate { i.decisionDate = decisionDate }
        if let validFrom { i.validFrom = validFrom }
        if let validTo { i.validTo = validTo }
        if let notes { i.notes = notes }
        if let version { i.version = version }
        return i
    }
}
