import Foundation

/// The caller of a request or command, computed once per request.
public struct Subject: Sendable, Equatable {
    public let userId: UUID
    public let role: Role
    public let agencyId: UUID?
    /// The caller's agency and every agency below it in the tree.
    public let agencySubtree: Set<UUID>

    public init(userId: UUID, role: Role, agencyId: UUID?, agencySubtree: Set<UUID>) {
        self.userId = userId
        self.role = role
        self.agencyId = agencyId
        self.agencySubtree = agencySubtree
    }
}
