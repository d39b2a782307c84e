import Foundation
import Domain
import Fluent
import Vapor

/// The case page: everything about one case the reader may see.
enum IncidentShow {
    struct Model {
        var subject: Subject
        var incident: Incident
        var agencyName: String
        var systems: [InformationSystem]
        var assignees: [User]
        var assignable: [User]
        var timeline: [TimelineEntry]
        var observables: [IncidentObservable]
        var sightings: [String: Int]
        var evidence: [(IncidentEvidence, StoredFile)]
        var tasks: [ActionTask]
        var reports: [IncidentReportRecord]
        var clocks: [IncidentClock]
        var category: IncidentCategory?
        var suggestion: SeriousIncidentSuggestion
        var criteria: SeriousIncidentCriteria
        var mergedInto: Incident?
        var scenarioSteps: [ScenarioTaskSuggestion]
        var people: [User]
    }

    static func load(_ incident: Incident, req: Request) async throws -> Model {
        let subject = try req.requireSubject()
        let db = req.db
        let id = try incident.requireID()
        let rules = req.application.rules
        let systemIds = try await IncidentSystem.query(on: db).filter(\.$incidentId == id).all().map(\.systemId)
        let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).sort(\.$name).all()
        let assigneeIds = try await IncidentAssignee.query(on: db).filter(\.$incidentId == id).all().map(\.userId)
        let assignees = assigneeIds.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ assigneeIds).sort(\.$name).all()
        let timeline = try await TimelineEntry.query(on: db).filter(\.$incidentId == id).sort(\.$at).sort(\.$id).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }
        let observables = try await IncidentObservable.query(on: db).filter(\.$incidentId == id).sort(\.$createdAt).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }
        let evidenceRows = try await IncidentEvidence.query(on: db).filter(\.$incidentId == id).sort(\.$createdAt).all()
            .filter { IncidentVisibility.visible($0, in: incident, to: subject) }
        let files = evidenceRows.isEmpty ? [] : try await StoredFile.query(on: db).filter(\.$id ~~ evidenceRows.map(\.fileId)).all()
        let fileById = Dictionary(uniqueKeysWithValues: files.compactMap { f in f.id.map { ($0, f) } })
        let reports = try await IncidentReportRecord.query(on: db).filter(\.$incidentId == id).sort(\.$sentAt).all()
        let now = Date()
        // Assignees for triage and for tasks, and whom a RED note may name: one read of the active users.
        let team = subject.isPolice ? nil : try await CaseTeam.load(for: incident, on: db)
        let tasks = subject.isPolice ? [] : try await TaskService.list(subjectKind: "incident", subjectId: id, on: db)
        return Model(
            subject: subject, incident: incident,
            agencyName: try await Agency.find(incident.agencyId, on: db)?.name ?? "—",
            systems: systems, assignees: assignees,
            assignable: team?.assignable ?? [],
            timeline: timeline, observables: observables,
            sightings: try await IncidentArtifacts.sightings(of: observables, excluding: id, subject: subject, on: db),
            evidence: evidenceRows.compactMap { e in fileById[e.fileId].map { (e, $0) } },
            tasks: tasks, reports: reports,
            clocks: IncidentRulesBridge.clocks(incident, sent: reports, rules: rules, now: now),
            category: IncidentRulesBridge.categories(rules, at: incident.createdAt ?? now).category(code: incident.categoryCode),
            suggestion: IncidentRulesBridge.seriousSuggestion(incident, systems: systems, rules: rules, at: now),
            criteria: IncidentRulesBridge.criteria(rules, at: now),
            mergedInto: try await incident.mergedIntoId.asyncMap { try await Incident.visible($0, to: subject, on: db) } ?? nil,
            scenarioSteps: subject.isPolice ? [] : try await IncidentScenarios.suggestions(for: incident, systems: systems, existing: tasks, rules: rules, on: db),
            people: team?.readers ?? [])
    }
}

/// The active people around a case, read once: who may be assigned to it (the province's coordinators and
/// responders, officers of the owning agency and its parents) and who may read it (also leaders, and the
/// police once it is shared) — whom a TLP:RED item can name.
struct CaseTeam {
    var assignable: [User]
    var readers: [User]

    static func load(for incident: Incident, on db: any Database) async throws -> CaseTeam {
        let owners = Set(try await AgencyTreeQuery.tree(on: db).ancestors(of: incident.agencyId))
        let users = try await User.query(on: db).filter(\.$status == .active).sort(\.$name).all()
        func ownOfficer(_ user: User) -> Bool { user.role == .agencyOfficer && (user.$agency.id.map(owners.contains) ?? false) }
        return CaseTeam(
            assignable: users.filter { [.coordinator, .responder].contains($0.role) || ownOfficer($0) },
            readers: users.filter { user in
                switch user.role {
                case .coordinator, .responder, .leader: return true
                case .agencyOfficer: return ownOfficer(user)
                case .police: return incident.policeShared
                case .admin: return false
                }
            })
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
