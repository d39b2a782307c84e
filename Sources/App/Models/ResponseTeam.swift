import Domain
import Fluent
import Foundation

/// An incident response team (Đội ứng cứu sự cố): the province's or an agency's. `agency_id` is its standing body.
final class ResponseTeam: Model, @unchecked Sendable {
    static let schema = "response_teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "kind") var kind: TeamKind
    @Field(key: "name") var name: String
    @OptionalField(key: "decision_number") var decisionNumber: String?
    @OptionalField(key: "decision_date") var decisionDate: Date?
    @OptionalField(key: "valid_from") var validFrom: Date?
    @OptionalField(key: "valid_to") var validTo: Date?
    @OptionalField(key: "notes") var notes: String?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var auditSnapshot: [String: String?] {
        ["name": name, "kind": kind.rawValue, "agencyId": agencyId.uuidString, "decisionNumber": decisionNumber,
         "decisionDate": decisionDate.map(DisplayTime.isoDay), "validFrom": validFrom.map(DisplayTime.isoDay),
         "validTo": validTo.map(DisplayTime.isoDay)]
    }
}

final class TeamMember: Model, @unchecked Sendable {
    static let schema = "team_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "team_id") var teamId: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @OptionalField(key: "organisation") var organisation: String?
    /// A role id of rule data `obligations.response` (`teamRoles`).
    @Field(key: "team_role") var teamRole: String
    @Field(key: "expert") var expert: Bool
    @Field(key: "outsourced") var outsourced: Bool
    @OptionalField(key: "skills") var skills: String?
    @OptionalField(key: "certifications") var certifications: String?
    @OptionalField(key: "phone_24x7") var phone: String?
    @OptionalField(key: "email") var email: String?

    init() {}
}
