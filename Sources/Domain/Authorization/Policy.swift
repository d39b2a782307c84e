import Foundation

/// The one place where permissions are decided. Pure; table-tested in `PolicyTests`.
public enum Policy {
    /// Roles allowed to perform an action at all, before looking at the record.
    public static func roles(for action: Action) -> Set<Role> {
        switch action {
        case .useOwnAccount, .manageOwnTokens:
            return Set(Role.allCases)
        case .viewAgencies, .viewUsers:
            return Set(Role.allCases)
        case .createAgency, .updateAgency, .deleteAgency, .manageUsers, .manageSettings, .viewMetrics:
            return [.admin]
        case .updateAgencyContact:
            return [.admin, .agencyOfficer]
        case .exportAgencies, .exportUsers:
            return [.admin, .coordinator, .responder, .agencyOfficer, .leader]
        case .viewSystems, .exportSystems:
            return [.admin, .coordinator, .responder, .agencyOfficer, .police, .leader]
        case .editSystems, .importSystems, .submitDossier, .assessControls:
            return [.coordinator, .agencyOfficer]
        case .deleteSystem, .reviewDossier, .approveDossier, .manageRuleTables:
            return [.coordinator]
        case .viewIncidents:
            return [.coordinator, .responder, .agencyOfficer, .police, .leader]
        case .reportIncident:
            return [.coordinator, .responder, .agencyOfficer]
        case .handleIncident:
            return [.coordinator, .responder, .agencyOfficer]
        case .triageIncident:
            return [.coordinator]
        case .collaborateAsPolice:
            return [.police]
        case .manageWebhooks:
            // Webhooks carry incident titles; only those who may read every case manage them.
            return [.coordinator]
        case .viewAudit, .exportAudit:
            return [.admin, .coordinator, .leader, .agencyOfficer]
        case .verifyAudit:
            return [.admin, .coordinator, .leader]
        case .viewTeams:
            return [.admin, .coordinator, .responder, .agencyOfficer, .police, .leader]
        case .viewResponse:
            return [.admin, .coordinator, .responder, .agencyOfficer, .leader]
        case .manageTeams, .editPlans, .recordDrills:
            return [.coordinator, .agencyOfficer]
        case .approvePlans:
            return [.coordinator]
        case .viewProactive, .viewWarnings:
            // Vulnerability details are not the police liaison's to read (they see incidents shared with them).
            return [.admin, .coordinator, .responder, .agencyOfficer, .leader]
        case .recordAssessments:
            return [.coordinator, .responder, .agencyOfficer]
        case .runNetworkScan, .manageWarnings:
            return [.coordinator]
        case .respondToWarning:
            return [.coordinator, .agencyOfficer]
        case .viewDetection:
            // Raw events can hold personal data: the police liaison gets them as incident evidence only.
            return [.admin, .coordinator, .responder, .agencyOfficer, .leader]
        case .uploadEvents, .triageAlerts:
            return [.coordinator, .responder, .agencyOfficer]
        case .manageEventSources, .manageRules, .runHunts:
            return [.coordinator, .responder]
        }
    }

    /// The records of agency-owned kinds the subject may read.
    public static func readScope(for subject: Subject) -> Scope {
        switch subject.role {
        case .admin, .coordinator, .responder, .leader:
            return .all
        case .agencyOfficer:
            return .agencies(subject.agencySubtree)
        case .police:
            return .sharedWithPolice(ownAgencies: subject.agencyId.map { [$0] } ?? [])
        }
    }

    /// The user accounts the subject may read, besides their own. The police liaison sees people only
    /// through what is shared with them, so none here.
    public static func userReadScope(for subject: Subject) -> Scope {
        subject.role == .police ? .nothing : readScope(for: subject)
    }

    public static func can(_ subject: Subject, _ action: Action, _ resource: Resource = .collection) -> Bool {
        guard roles(for: action).contains(subject.role) else { return false }
        switch resource {
        case .system, .collection:
            return true
        case .owned(let agencyId, let shared):
            return readScope(for: subject).contains(agencyId: agencyId, sharedWithPolice: shared)
        case .user(let id, let agencyId):
            return id == subject.userId || userReadScope(for: subject).contains(agencyId: agencyId)
        }
    }
}
