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

    // Information systems
    case viewSystems
    /// Create and edit systems, components and assessments of the caller's agencies.
    case editSystems
    case deleteSystem
    case exportSystems
    case importSystems
    /// Prepare a level dossier and move it forward as the operator (submit, submit for approval, withdraw).
    case submitDossier
    /// Act as the owner's specialised security unit: technical opinion, appraisal, return for revision.
    case reviewDossier
    /// Record the approval decision of the approving body.
    case approveDossier
    /// Record the self-assessment of controls for a system.
    case assessControls
    /// Edit the Circular 12 control catalogue and the appraisal/approval authority table.
    case manageRuleTables

    // Incidents
    /// Read incident cases in scope (the police: only those shared with them).
    case viewIncidents
    /// Report an incident (form or API).
    case reportIncident
    /// Work a case: notes, tasks, observables, evidence, phase changes, reports sent.
    case handleIncident
    /// Triage: accept, merge, severity, Decision 05 confirmation, assignment, closing, police sharing.
    case triageIncident
    /// The police liaison's part in a shared case: notes and evidence requests.
    case collaborateAsPolice

    // Notifications
    /// Create, change and remove webhook endpoints and read their delivery log.
    case manageWebhooks

    // Incident response readiness: teams, plans and scenarios, drills (issue 4)
    /// Read response teams and their members (the police liaison included).
    case viewTeams
    /// Record teams, their establishing decision and members (coordinators: every team; officers: their agencies').
    case manageTeams
    /// Read response plans, scenarios and drills.
    case viewResponse
    /// Write draft response plans and start new versions.
    case editPlans
    /// Record a plan's approval (decision, who, when).
    case approvePlans
    /// Plan and record drills and their follow-up tasks.
    case recordDrills

    // Proactive duties: scans, hunts, findings, authority warnings (issue 5)
    /// Read scans and hunts, scanner imports and findings of systems in scope.
    case viewProactive
    /// Record scans and hunts, upload scanner reports, work findings (status, accepted risk, false positive).
    case recordAssessments
    /// Run the built-in network scan (nmap) against a system's declared addresses.
    case runNetworkScan
    /// Read authority warnings (officers: those touching their systems).
    case viewWarnings
    /// Record and import authority warnings, run matching, add or remove affected systems.
    case manageWarnings
    /// Acknowledge a warning for a system and record its remediation with evidence.
    case respondToWarning

    // Detection: events, Sigma rules, alerts, hunts (issue 6)
    /// Read events, alerts, hunts and the rule catalogue (officers: their agencies' events and alerts).
    case viewDetection
    /// Upload event files (EVTX, JSON lines) for systems in scope.
    case uploadEvents
    /// Register event sources (syslog senders, HTTP shippers, upload labels) and their tokens.
    case manageEventSources
    /// Import Sigma rules, enable and disable them.
    case manageRules
    /// Triage alerts: acknowledge, mark false positive, promote to an incident.
    case triageAlerts
    /// Start and cancel hunts.
    case runHunts

    // Administration
    case manageSettings
    case viewMetrics
}
