/// Kinds of agency in a province after the two-level local government reform of 1/7/2025
/// (no district level).
public enum AgencyKind: String, CaseIterable, Codable, Sendable {
    case provincialCommittee = "provincial_committee"
    case provincialPolice = "provincial_police"
    case department
    case sector
    case commune
    case ward
    case specialZone = "special_zone"
    case responseTeam = "response_team"
    case publicServiceUnit = "public_service_unit"
    case other
}
