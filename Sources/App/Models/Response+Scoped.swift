import Domain
import Fluent
import Foundation

extension ResponseTeam {
    /// Teams the subject may read: the provincial team, and agency teams within ``Policy/teamReadScope(for:)``.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<ResponseTeam> {
        let query = ResponseTeam.query(on: db)
        guard Policy.can(subject, .viewTeams) else { return query.filter(\.$id == UUID()) }
        if let ids = Policy.teamReadScope(for: subject).agencyIds {
            query.group(.or) { $0.filter(\.$kind == .provincial).filter(\.$agencyId ~~ Array(ids)) }
        }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> ResponseTeam? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}

extension ResponsePlan {
    /// Plans of agencies the subject may read (nothing for roles without `viewResponse`).
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<ResponsePlan> {
        let query = ResponsePlan.query(on: db)
        guard Policy.can(subject, .viewResponse) else { return query.filter(\.$id == UUID()) }
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(\.$agencyId ~~ Array(ids)) }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> ResponsePlan? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}

extension Drill {
    /// Drills of agencies the subject may read (nothing for roles without `viewResponse`).
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<Drill> {
        let query = Drill.query(on: db)
        guard Policy.can(subject, .viewResponse) else { return query.filter(\.$id == UUID()) }
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(\.$agencyId ~~ Array(ids)) }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> Drill? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}
