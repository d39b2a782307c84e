import Foundation
import Domain
import Fluent
import Vapor

/// A team as typed in the form (multipart, with the establishing decision) or sent to the API.
struct TeamInput: Content {
    var name: String?
    var kind: String?
    var agencyId: String?
    var decisionNumber: String?
    var decisionDate: String?
    var validFrom: String?
    var validTo: String?
    var notes: String?
    var version: Int?
    var files: [File]?

    init() {}

    init(_ t: ResponseTeam) {
        name = t.name
        kind = t.kind.rawValue
        agencyId = t.agencyId.uuidString.lowercased()
        decisionNumber = t.decisionNumber
        decisionDate = t.decisionDate.map(DisplayTime.isoDay)
        validFrom = t.validFrom.map(DisplayTime.isoDay)
        validTo = t.validTo.map(DisplayTime.isoDay)
        notes = t.notes
        version = t.version
    }

    struct Valid: Sendable {
        var name: String
        var kind: TeamKind
        var agencyId: UUID
        var decisionNumber: String?
        var decisionDate: Date?
        var validFrom: Date?
        var validTo: Date?
        var notes: String?
    }

    /// The standing body must be an agency the subject may manage a team of this kind for.
    func validate(subject: Subject, on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let name = check.requiredText("name", name, max: 300)
        let kind = check.choice("kind", kind, as: TeamKind.self)
        let agencyId = check.uuid("agencyId", agencyId, required: true)
        let number = check.optionalText("decisionNumber", decisionNumber, max: 100)
        let date = check.responseDay("decisionDate", decisionDate)
        let from = check.responseDay("validFrom", validFrom)
        let to = check.responseDay("validTo", validTo)
        let notes = check.optionalText("notes", notes, max: 4000)
        if let from, let to, to < from { check.fail("validTo", "teams.validToBeforeFrom") }
        if let agencyId {
            if try await Agency.visible(agencyId, to: subject, on: db) == nil {
                check.fail("agencyId", "validation.unknownAgency")
            } else if let kind, !Policy.canManage(team: kind, agencyId: agencyId, subject: subject) {
                check.fail(kind == .provincial ? "kind" : "agencyId", "teams.notYours")
            }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(name: name, kind: kind!, agencyId: agencyId!, decisionNumber: number, decisionDate: date, validFrom: from, validTo: to, notes: notes)
    }
}

/// A member as typed in the form or sent to the API.
struct MemberInput: Content {
    var name: String?
    var organisation: String?
    var teamRole: String?
    var expert: String?
    var outsourced: String?
    var skills: String?
    var certifications: String?
    var phone: String?
    var email: String?

    init() {}

    init(_ m: TeamMember) {
        name = m.name
        organisation = m.organisation
        teamRole = m.teamRole
        expert = m.expert ? "true" : nil
        outsourced = m.outsourced ? "true" : nil
        skills = m.skills
        certifications = m.certifications
        phone = m.phone
        email = m.email
    }

    struct Valid: Sendable {
        var name: String
        var organisation: String?
        var teamRole: String
        var expert: Bool
        var outsourced: Bool
        var skills: String?
        var certifications: String?
        var phone: String?
        var email: String?
    }

    func validate(rules: ResponseObligationRules) throws -> Valid {
        var check = InputChecker()
        let name = check.requiredText("name", name, max: 200)
        let organisation = check.optionalText("organisation", organisation, max: 300)
        let role = Validators.trimmed(teamRole)
        if role.isEmpty { check.fail("teamRole", "validation.required") } else if rules.teamRole(role) == nil { check.fail("teamRole", "validation.unknownValue") }
        let skills = check.optionalText("skills", skills, max: 2000)
        let certifications = check.optionalText("certifications", certifications, max: 2000)
        let phone = check.phone("phone", phone, required: false)
        let email = check.email("email", email, required: false)
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(name: name, organisation: organisation, teamRole: role, expert: ResponseText.flag(expert), outsourced: ResponseText.flag(outsourced),
                     skills: skills, certifications: certifications, phone: phone, email: email)
    }
}
