import Foundation
import Domain
import Fluent

/// Links and names for duties whose subject is not a system (teams, agencies) on the shared obligation tables.
enum ObligationSubjects {
    static func path(_ o: Obligation) -> String {
        switch o.subjectKind {
        case "team": SiteURL.teams(.show(.value(o.subjectId))).path
        case "agency": SiteURL.agency(.value(o.subjectId)).path
        case IncidentClocks.subjectKind: SiteURL.incidents(.show(.value(o.subjectId))).path
        case WarningObligationRefresher.subjectKind: SiteURL.warnings(.affected(.value(o.subjectId))).path
        default: SiteURL.system(.value(o.subjectId)).path
        }
    }

    /// Names of the teams and agencies among `rows` that the subject may see.
    static func names(_ rows: [Obligation], subject: Subject, on db: any Database) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        let teams = rows.filter { $0.subjectKind == "team" }.map(\.subjectId)
        if !teams.isEmpty {
            for t in try await ResponseTeam.scoped(to: subject, on: db).filter(\.$id ~~ teams).all() { names[t.id!] = t.name }
        }
        let agencies = rows.filter { $0.subjectKind == "agency" }.map(\.subjectId)
        if !agencies.isEmpty {
            for a in try await Agency.scoped(to: subject, on: db).filter(\.$id ~~ agencies).all() { names[a.id!] = a.name }
        }
        let incidents = rows.filter { $0.subjectKind == IncidentClocks.subjectKind }.map(\.subjectId)
        if !incidents.isEmpty {
            for i in try await Incident.scoped(to: subject, on: db).filter(\.$id ~~ incidents).all() { names[i.id!] = "\(i.number) · \(i.title)" }
        }
        let affected = rows.filter { $0.subjectKind == WarningObligationRefresher.subjectKind }.map(\.subjectId)
        if !affected.isEmpty {
            for (id, name) in try await WarningSubjects.names(affected, subject: subject, on: db) { names[id] = name }
        }
        return names
    }

    /// Duty titles of every rule set, for tables and charts.
    static func titles(_ rules: RuleBook) -> [String: DutyDefinition] {
        let clocks = Dictionary(rules.incidentClocks(at: Date()).clocks.map { ($0.kind.rawValue, DutyDefinition(title: $0.title, basis: $0.basis)) }) { a, _ in a }
        return rules.systemObligations().duties.merging(rules.responseObligations().duties) { a, _ in a }.merging(clocks) { a, _ in a }
            .merging(rules.proactiveObligations().duties) { a, _ in a }
    }
}
