import Domain
import Fluent
import Foundation

extension ProactiveAssessment {
    /// Scans and hunts the subject may read: those of systems in their read scope, judged by the agency that owns the
    /// system now (a system moved to another agency takes its history along). Nothing for roles without `viewProactive`.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<ProactiveAssessment> {
        let query = ProactiveAssessment.query(on: db)
        guard Policy.can(subject, .viewProactive) else { return query.filter(\.$id == UUID()) }
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.join(InformationSystem.self, on: \ProactiveAssessment.$systemId == \InformationSystem.$id)
                .filter(InformationSystem.self, \.$agency.$id ~~ Array(ids))
        }
        return query
    }

    /// One scan or hunt if the subject may read it; otherwise nil, exactly as if it did not exist.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> ProactiveAssessment? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }

    var assessmentKind: AssessmentKind? { AssessmentKind(rawValue: kind) }

    /// The day the activity counts from: when it finished, else when it started.
    var countedAt: Date { finishedAt ?? startedAt }

    var auditSnapshot: [String: String?] {
        ["systemId": systemId.uuidString, "kind": kind, "state": state, "performerKind": performerKind, "performer": performer,
         "startedAt": DisplayTime.isoDay(startedAt), "finishedAt": finishedAt.map(DisplayTime.isoDay), "tool": tool, "scope": scope,
         "method": method, "summary": summary, "findingsCount": String(findingsCount), "source": source]
    }
}
