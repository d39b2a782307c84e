/// Everything a caller can ask to do. Later features add their own cases here so that
/// every permission decision stays in ``Policy``.
public enum Action: String, CaseIterable, Sendable {
    // Own account
    case useOwnAccount
    case manageOwnTokens

    // Agencies
    case viewAgencies
    case createAgency
    case updateAgency
    /// Address and 24/7 incident contact point only.
    case updateAgencyContact
    case deleteAgency
    case exportAgencies

    // Users
    case viewUsers
    case manageUsers
    case exportUsers

    // Audit trail
    case viewAudit
    case verifyAudit
    case exportAudit

    // Administration
    case manageSettings
    case viewMetrics
}
