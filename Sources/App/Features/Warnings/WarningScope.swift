import Foundation
import Domain
import Fluent
import SQLKit

/// Who sees which warnings and which affected-system rows. Province roles see every warning; an agency officer sees
/// only the warnings that touch a system of their agencies (their subtree), and of those only their own rows. Rows
/// follow the system's agency *now* (a system moved to another agency takes its rows along), so scoping joins the
/// system rather than trusting the row's copy of the agency.
enum WarningScope {
    /// The agencies whose rows the subject sees; nil: all of them; empty: none (no right to read warnings at all).
    static func agencies(_ subject: Subject) -> Set<UUID>? {
        guard Policy.can(subject, .viewWarnings) else { return [] }
        return Policy.readScope(for: subject).agencyIds
    }

    /// Affected-system rows the subject may read.
    static func rows(_ subject: Subject, on db: any Database) -> QueryBuilder<WarningSystem> {
        let query = WarningSystem.query(on: db)
        if let ids = agencies(subject) {
            if ids.isEmpty { return query.filter(\.$id == UUID()).filter(\.$origin == "").filter(\.$origin == " ") }
            query.join(InformationSystem.self, on: \WarningSystem.$systemId == \InformationSystem.$id)
                .filter(InformationSystem.self, \.$agency.$id ~~ Array(ids))
        }
        return query
    }

    /// Warnings the subject may read.
    static func warnings(_ subject: Subject, on db: any Database) -> QueryBuilder<AuthorityWarning> {
        let query = AuthorityWarning.query(on: db)
        if let ids = agencies(subject) {
            if ids.isEmpty { return query.filter(\.$id == UUID()).filter(\.$title == "").filter(\.$title == " ") }
            query.filter(.sql(SQLQueryString("""
                \(ident: "authority_warnings").\(ident: "id") IN (SELECT ws.warning_id FROM warning_systems ws \
                JOIN information_systems s ON s.id = ws.system_id WHERE s.agency_id IN (\(binds: Array(ids))))
                """)))
        }
        return query
    }

    /// One warning if the subject may read it; otherwise nil, exactly as if it did not exist.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> AuthorityWarning? {
        try await warnings(subject, on: db).filter(\.$id == id).first()
    }

    /// Whether the subject may read this row (its system's agency is theirs).
    static func canRead(_ row: WarningSystem, agencyId: UUID, subject: Subject) -> Bool {
        guard let ids = agencies(subject) else { return true }
        return ids.contains(agencyId)
    }
}
