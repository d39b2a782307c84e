import Foundation

/// Record-level rules of response teams, plans and drills (the role tables are in ``Policy/roles(for:)``).
extension Policy {
    /// Teams the subject may read: the province's team is a directory everyone with `viewTeams` needs
    /// (the police liaison included); agency teams follow the usual read scope, except that the police
    /// see every team's contacts (they coordinate with all of them).
    public static func teamReadScope(for subject: Subject) -> Scope {
        subject.role == .police ? .all : readScope(for: subject)
    }

    /// Whether the subject may read a team of this kind owned by this agency.
    public static func canRead(team kind: TeamKind, agencyId: UUID?, subject: Subject) -> Bool {
        guard roles(for: .viewTeams).contains(subject.role) else { return false }
        return kind == .provincial || teamReadScope(for: subject).contains(agencyId: agencyId)
    }

    /// The provincial team is the coordinators'; an agency team is managed by coordinators and by the
    /// officers of that agency (or one above it).
    public static func canManage(team kind: TeamKind, agencyId: UUID?, subject: Subject) -> Bool {
        guard roles(for: .manageTeams).contains(subject.role) else { return false }
        if kind == .provincial { return subject.role == .coordinator }
        return readScope(for: subject).contains(agencyId: agencyId)
    }
}
