/// The six roles of UngCuu. Raw values are stored in the database and used in the API.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case admin
    case coordinator
    case responder
    case agencyOfficer = "agency_officer"
    case police
    case leader

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
