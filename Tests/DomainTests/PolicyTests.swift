import Foundation
import Testing
@testable import Domain

@Suite struct PolicyTests {
    static let home = UUID()
    static let child = UUID()
    static let other = UUID()

    static func subject(_ role: Role) -> Subject {
        Subject(userId: UUID(), role: role, agencyId: home, agencySubtree: role == .agencyOfficer ? [home, child] : [home])
    }

    /// Which roles may do each action at all.
    static let table: [(Action, Set<Role>)] = [
        (.useOwnAccount, Set(Role.allCases)),
        (.manageOwnTokens, Set(Role.allCases)),
        (.viewAgencies, Set(Role.allCases)),
        (.createAgency, [.admin]),
        (.updateAgency, [.admin]),
        (.updateAgencyContact, [.admin, .agencyOfficer]),
        (.deleteAgency, [.admin]),
        (.exportAgencies, [.admin, .coordinator, .responder, .agencyOfficer, .leader]),
        (.viewUsers, Set(Role.allCases)),
        (.manageUsers, [.admin]),
        (.exportUsers, [.admin, .coordinator, .responder, .agencyOfficer, .leader]),
        (.viewAudit, [.admin, .coordinator, .leader, .agencyOfficer]),
        (.verifyAudit, [.admin, .coordinator, .leader]),
        (.exportAudit, [.admin, .coordinator, .leader, .agencyOfficer]),
        (.viewSystems, [.admin, .coordinator, .responder, .agencyOfficer, .police, .leader]),
        (.exportSystems, [.admin, .coordinator, .responder, .agencyOfficer, .police, .leader]),
        (.editSystems, [.coordinator, .agencyOfficer]),
        (.importSystems, [.coordinator, .agencyOfficer]),
        (.submitDossier, [.coordinator, .agencyOfficer]),
        (.assessControls, [.coordinator, .agencyOfficer]),
        (.deleteSystem, [.coordinator]),
        (.reviewDossier, [.coordinator]),
        (.approveDossier, [.coordinator]),
        (.manageRuleTables, [.coordinator]),
        (.viewIncidents, [.coordinator, .responder, .agencyOfficer, .police, .leader]),
        (.reportIncident, [.coordinator, .responder, .agencyOfficer]),
        (.handleIncident, [.coordinator, .responder, .agencyOfficer]),
        (.triageIncident, [.coordinator]),
        (.collaborateAsPolice, [.police]),
        (.manageWebhooks, [.coordinator]),
        (.viewTeams, [.admin, .coordinator, .responder, .agencyOfficer, .police, .leader]),
        (.manageTeams, [.coordinator, .agencyOfficer]),
        (.viewResponse, [.admin, .coordinator, .responder, .agencyOfficer, .leader]),
        (.editPlans, [.coordinator, .agencyOfficer]),
        (.approvePlans, [.coordinator]),
        (.recordDrills, [.coordinator, .agencyOfficer]),
        (.viewProactive, [.admin, .coordinator, .responder, .agencyOfficer, .leader]),
        (.recordAssessments, [.coordinator, .responder, .agencyOfficer]),
        (.runNetworkScan, [.coordinator]),
        (.viewWarnings, [.admin, .coordinator, .responder, .agencyOfficer, .leader]),
        (.manageWarnings, [.coordinator]),
        (.respondToWarning, [.coordinator, .agencyOfficer]),
        (.viewDetection, [.admin, .coordinator, .responder, .agencyOfficer, .leader]),
        (.uploadEvents, [.coordinator, .responder, .agencyOfficer]),
        (.manageEventSources, [.coordinator, .responder]),
        (.manageRules, [.coordinator, .responder]),
        (.triageAlerts, [.coordinator, .responder, .agencyOfficer]),
        (.runHunts, [.coordinator, .responder]),
        (.manageSettings, [.admin]),
        (.viewMetrics, [.admin]),
    ]

    @Test func everyActionIsInTheTable() {
        #expect(Set(Self.table.map(\.0)) == Set(Action.allCases))
    }

    @Test(arguments: table)
    func rolesAllowedForAction(action: Action, allowed: Set<Role>) {
        for role in Role.allCases {
            #expect(Policy.can(Self.subject(role), action) == allowed.contains(role), "\(role) \(action)")
        }
    }

    @Test func officerSeesOwnSubtreeOnly() {
        let officer = Self.subject(.agencyOfficer)
        #expect(Policy.can(officer, .viewAgencies, .owned(agencyId: Self.home)))
        #expect(Policy.can(officer, .viewAgencies, .owned(agencyId: Self.child)))
        #expect(!Policy.can(officer, .viewAgencies, .owned(agencyId: Self.other)))
        #expect(!Policy.can(officer, .viewAgencies, .owned(agencyId: nil)))
        #expect(!Policy.can(officer, .updateAgencyContact, .owned(agencyId: Self.other)))
    }

    @Test func policeSeeOnlySharedRecordsAndTheirOwnAgency() {
        let police = Self.subject(.police)
        #expect(!Policy.can(police, .viewAgencies, .owned(agencyId: Self.other)))
        #expect(Policy.can(police, .viewAgencies, .owned(agencyId: Self.other, sharedWithPolice: true)))
        #expect(Policy.can(police, .viewAgencies, .owned(agencyId: Self.home)))
        #expect(!Policy.can(police, .viewUsers, .user(id: UUID(), agencyId: Self.other)))
    }

    @Test(arguments: [Role.admin, .coordinator, .responder, .leader])
    func provinceWideRolesSeeEverything(role: Role) {
        #expect(Policy.readScope(for: Self.subject(role)) == .all)
        #expect(Policy.can(Self.subject(role), .viewAgencies, .owned(agencyId: Self.other)))
    }

    @Test func everyoneSeesThemselves() {
        for role in Role.allCases {
            let subject = Self.subject(role)
            #expect(Policy.can(subject, .viewUsers, .user(id: subject.userId, agencyId: Self.other)))
        }
    }
}
