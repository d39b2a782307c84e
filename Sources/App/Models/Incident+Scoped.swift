import Domain
import Fluent
import Foundation

extension Incident {
    /// Cases the subject may read. Every incident query for a user goes through here: pages, API, search,
    /// exports, counts and notifications.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<Incident> {
        let query = Incident.query(on: db)
        guard Policy.roles(for: .viewIncidents).contains(subject.role) else {
            return query.filter(\.$id == UUID()).filter(\.$number == "")  // nothing
        }
        switch Policy.readScope(for: subject) {
        case .all:
            break
        case .agencies(let ids):
            query.filter(\.$agencyId ~~ Array(ids))
        case .sharedWithPolice(let own):
            query.group(.or) { group in
                group.filter(\.$policeShared == true)
                if !own.isEmpty { group.filter(\.$agencyId ~~ Array(own)) }
            }
        case .nothing:
            query.filter(\.$number == "").filter(\.$policeShared == true).filter(\.$policeShared == false)
        }
        return query
    }

    /// One case if the subject may read it; otherwise nil, exactly as if it did not exist.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> Incident? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }

    /// The resource for ``Policy`` checks on this case.
    var resource: Resource { .owned(agencyId: agencyId, sharedWithPolice: policeShared) }
}

extension Subject {
    /// The police see a shared case only through its shareable parts (TLP); everyone else who can read
    /// the case sees all of it except TLP:RED items that do not name them.
    var isPolice: Bool { role == .police }
}
