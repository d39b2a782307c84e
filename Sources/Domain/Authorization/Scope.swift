import Foundation

/// Which agency-owned records a subject may read. Every query of agency-owned data takes one.
public enum Scope: Sendable, Equatable {
    case all
    /// Records owned by these agencies only.
    case agencies(Set<UUID>)
    /// Records explicitly shared with the police, plus the given agencies (the police's own).
    case sharedWithPolice(ownAgencies: Set<UUID>)
    case nothing

    /// The agencies whose records are visible, or nil when all are.
    public var agencyIds: Set<UUID>? {
        switch self {
        case .all: nil
        case .agencies(let ids): ids
        case .sharedWithPolice(let ids): ids
        case .nothing: []
        }
    }

    public func contains(agencyId: UUID?, sharedWithPolice: Bool = false) -> Bool {
        switch self {
        case .all: return true
        case .nothing: return false
        case .agencies(let ids):
            guard let agencyId else { return false }
            return ids.contains(agencyId)
        case .sharedWithPolice(let ids):
            if sharedWithPolice { return true }
            guard let agencyId else { return false }
            return ids.contains(agencyId)
        }
    }
}
