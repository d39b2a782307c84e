import Domain
import Foundation
import Fluent

extension Agency {
    /// Agencies the subject may read. Every agency query for a user goes through here.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<Agency> {
        let query = Agency.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.filter(\.$id ~~ Array(ids))
        }
        return query
    }

    /// One agency if the subject may read it; otherwise nil, exactly as if it did not exist.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> Agency? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}

extension User {
    /// Users the subject may read (``Policy/userReadScope(for:)``), and always themselves.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<User> {
        let query = User.query(on: db)
        if let ids = Policy.userReadScope(for: subject).agencyIds {
            query.group(.or) { group in
                group.filter(\.$agency.$id ~~ Array(ids)).filter(\.$id == subject.userId)
            }
        }
        return query
    }
}

extension AuditEvent {
    /// Audit events of visible agencies for officers; everything for roles that may view all.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<AuditEvent> {
        let query = AuditEvent.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.filter(\.$agencyId ~~ Array(ids))
        }
        return query
    }
}
