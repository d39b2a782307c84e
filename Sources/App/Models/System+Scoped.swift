import Domain
import Fluent
import Foundation

extension InformationSystem {
    /// Systems the subject may read. Every system query for a user goes through here.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<InformationSystem> {
        let query = InformationSystem.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.filter(\.$agency.$id ~~ Array(ids))
        }
        return query
    }

    /// One system if the subject may read it; otherwise nil, exactly as if it did not exist.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> InformationSystem? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}

extension Obligation {
    /// Obligation occurrences of agencies the subject may read.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<Obligation> {
        let query = Obligation.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.filter(\.$agencyId ~~ Array(ids))
        }
        // Authority warnings' duties are for those who may read warnings (not the police liaison).
        if !Policy.can(subject, .viewWarnings) { query.filter(\.$subjectKind != WarningObligationRefresher.subjectKind) }
        return query
    }
}
