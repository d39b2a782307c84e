import Domain
import Fluent
import Foundation

extension Finding {
    /// Findings the subject may read: all for province roles, their agencies' (subtree) for officers. Every
    /// finding query for a person goes through here.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<Finding> {
        let query = Finding.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.filter(\.$agencyId ~~ Array(ids))
        }
        return query
    }

    /// One finding if the subject may read it; otherwise nil, exactly as if it did not exist.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> Finding? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }

    var statusValue: FindingStatus { FindingStatus(rawValue: status) ?? .open }
}

extension ScanImport {
    /// Imports the subject may read (their systems' agencies).
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<ScanImport> {
        let query = ScanImport.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds {
            query.filter(\.$agencyId ~~ Array(ids))
        }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> ScanImport? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}
