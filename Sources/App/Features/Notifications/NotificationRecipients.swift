import Foundation
import Domain
import Fluent

/// Who receives an event. Candidates come from the event's audience groups and named recipients; then
/// one rule decides for every candidate alike (``isEligible(_:for:)``): an active account, allowed by
/// ``Policy`` to perform the event's read action on this very record, within `restrictedTo` if set, and
/// not the actor. Nobody is ever notified about a record they cannot read, whichever way they were picked.
enum NotificationRecipients {
    /// The single gate. Pure; table-tested.
    static func isEligible(_ subject: Subject, for event: NotificationEvent) -> Bool {
        if let actor = event.actorId, actor == subject.userId { return false }
        if let restricted = event.restrictedTo, !restricted.contains(subject.userId) { return false }
        return Policy.can(subject, event.readAction, .owned(agencyId: event.agencyId, sharedWithPolice: event.sharedWithPolice))
    }

    /// Whether a candidate belongs to one of the audience groups (before the gate).
    static func isInAudience(role: Role, agencyId: UUID?, audience: Set<NotificationAudience>, ownerAncestors: Set<UUID>) -> Bool {
        switch role {
        case .coordinator: audience.contains(.coordinators)
        case .responder: audience.contains(.responders)
        case .leader: audience.contains(.leaders)
        case .police: audience.contains(.police)
        case .agencyOfficer: audience.contains(.agencyOfficers) && agencyId.map(ownerAncestors.contains) == true
        case .admin: false
        }
    }

    /// The active users who receive the event, each checked by ``isEligible(_:for:)``.
    static func resolve(_ event: NotificationEvent, on db: any Database) async throws -> [User] {
        let tree = try await AgencyTreeQuery.tree(on: db)
        let ancestors = event.agencyId.map { Set(tree.ancestors(of: $0)) } ?? []
        var roles: [Role] = []
        for group in event.audience {
            switch group {
            case .coordinators: roles.append(.coordinator)
            case .responders: roles.append(.responder)
            case .leaders: roles.append(.leader)
            case .police: roles.append(.police)
            case .agencyOfficers: roles.append(.agencyOfficer)
            }
        }
        var candidates: [UUID: User] = [:]
        if !roles.isEmpty {
            for user in try await User.query(on: db).filter(\.$role ~~ roles).filter(\.$status == .active).all()
            where isInAudience(role: user.role, agencyId: user.$agency.id, audience: event.audience, ownerAncestors: ancestors) {
                candidates[user.id!] = user
            }
        }
        let named = Array(event.recipients.subtracting(candidates.keys))
        if !named.isEmpty {
            for user in try await User.query(on: db).filter(\.$id ~~ named).filter(\.$status == .active).all() { candidates[user.id!] = user }
        }
        return candidates.values.filter { isEligible(subject(of: $0, tree: tree), for: event) }.sorted { $0.email < $1.email }
    }

    /// The same subject ``SubjectLoader`` computes, from an agency tree loaded once.
    static func subject(of user: User, tree: AgencyTree) -> Subject {
        let agencyId = user.$agency.id
        let subtree: Set<UUID> = agencyId.map { user.role == .agencyOfficer ? tree.subtree(of: $0) : [$0] } ?? []
        return Subject(userId: user.id!, role: user.role, agencyId: agencyId, agencySubtree: subtree)
    }
}
