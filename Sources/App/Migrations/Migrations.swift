import Foundation
import Fluent

/// The schema's history, oldest first. Append only.
enum Migrations {
    static let all: [any Migration] = [
        // 0001 - foundation: agencies, users, sessions, tokens, two-factor recovery codes, audit trail,
        // sign-in throttling, settings
        CreateAgencies(),
        CreateUsers(),
        CreateUserSessions(),
        CreateAPITokens(),
        CreateRecoveryCodes(),
        CreateAuditEvents(),
        CreateSignInThrottles(),
        CreateSettings(),
        // 0002 - the database refuses UPDATE and DELETE on audit events
        CreateAuditEventsAppendOnlyTriggers(),
        // 0003 - folded search text for agencies and users
        UpdateAgenciesAndUsersAddSearchText(),
        // 0004 - information systems: registry, level dossiers, files, controls, assessments, obligations
        CreateInformationSystems(),
        CreateLevelDossiers(),
        CreateControlsAndObligations(),
        SeedRuleTables(),
        // 0005 - one open level dossier per system, enforced by the database
        CreateLevelDossiersOneOpenIndex(),
        // 0006 - background jobs and their schedules; notifications, preferences, webhooks and their deliveries
        CreateJobs(),
        CreateNotifications(),
        CreateWebhooks(),
        // 0007 - incident response readiness: response teams, response plans and scenarios, drills, tasks
        CreateResponseReadiness(),
        // 0008 - incident cases: report, triage, timeline, observables, evidence and custody, reports, police sharing
        CreateIncidents(),
        // 0009 - case list, board and search at scale: composite indexes, trigram search indexes (FTS5 on SQLite, pg_trgm on PostgreSQL)
        CreateIncidentSearchIndexes(),
        // 0010 - proactive duties: scans and hunts per system, scanner imports, findings, authority warnings
        CreateProactiveDuties(),
        // 0011 - findings at scale (list and import indexes) and the hourly reopening of findings whose accepted risk ended
        CreateFindingsUpkeep(),
        // 0012 - authority warnings: the hourly matching schedule, tracking indexes
        CreateWarningMatchSchedule(),
        // 0013 - events: registered sources, the event store (batches of compact blobs), uploaded-file imports, daily retention
        CreateEvents(),
        // 0014 - Sigma rules in the platform, the rule-set version, continuous-detection alerts with their events and triage history
        CreateDetectionRulesAndAlerts(),
        // 0015 - threat hunts over the stored events: parameters and progress, hits, counts, readers, recorded assessments
        CreateHunts(),
    ]
}
