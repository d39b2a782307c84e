import Foundation
import Domain
import Fluent
import Vapor

enum SubjectLoader {
    /// Computes the caller's subject; an agency officer's subtree needs the agency tree.
    static func subject(for user: User, on db: any Database) async throws -> Subject {
        let userId = try user.requireID()
        guard let agencyId = user.$agency.id else {
            return Subject(userId: userId, role: user.role, agencyId: nil, agencySubtree: [])
        }
        guard user.role == .agencyOfficer else {
            return Subject(userId: userId, role: user.role, agencyId: agencyId, agencySubtree: [agencyId])
        }
        let tree = try await AgencyTreeQuery.tree(on: db)
        return Subject(userId: userId, role: user.role, agencyId: agencyId, agencySubtree: tree.subtree(of: agencyId))
    }
}

enum AgencyTreeQuery {
    static func tree(on db: any Database) async throws -> AgencyTree {
        let rows = try await Agency.query(on: db).field(\.$id).field(\.$parent.$id).all()
        return AgencyTree(parents: rows.compactMap { agency in agency.id.map { (id: $0, parentId: agency.$parent.id) } })
    }
}
