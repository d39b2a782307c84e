import Foundation

/// What an action is applied to. `collection` means "the list" (or creating a new record);
/// `owned` is one record belonging to an agency.
public enum Resource: Sendable, Equatable {
    case system
    case collection
    case owned(agencyId: UUID?, sharedWithPolice: Bool = false)
    case user(id: UUID, agencyId: UUID?)
}
