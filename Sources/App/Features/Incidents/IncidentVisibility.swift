import Foundation
import Domain

/// Which parts of a readable case a person sees. TLP:RED items reach only the people they name; the police
/// liaison sees a shared case only through the items TLP allows to leave the owning organisation, and on a
/// case that itself may not leave it (AMBER+STRICT, RED) only the RED items that name them.
enum IncidentVisibility {
    static func canSee(tlp raw: String, named rawNamed: String, caseTLP: String, subject: Subject) -> Bool {
        let tlp = TLP(rawValue: raw) ?? .red
        let named = Incident.ids(rawNamed)
        if subject.isPolice {
            let caseShared = TLPSharing.isSharedWithPolice(TLP(rawValue: caseTLP) ?? .red)
            guard caseShared || (tlp == .red && named.contains(subject.userId)) else { return false }
            return TLPSharing.visibleToPolice(tlp: tlp, namedUserIds: named, userId: subject.userId)
        }
        return tlp != .red || named.contains(subject.userId)
    }

    static func visible(_ entry: TimelineEntry, in incident: Incident, to subject: Subject) -> Bool {
        canSee(tlp: entry.tlpRaw, named: entry.namedUserIdsRaw, caseTLP: incident.tlpRaw, subject: subject)
    }

    static func visible(_ o: IncidentObservable, in incident: Incident, to subject: Subject) -> Bool {
        canSee(tlp: o.tlpRaw, named: o.namedUserIdsRaw, caseTLP: incident.tlpRaw, subject: subject)
    }

    static func visible(_ e: IncidentEvidence, in incident: Incident, to subject: Subject) -> Bool {
        canSee(tlp: e.tlpRaw, named: e.namedUserIdsRaw, caseTLP: incident.tlpRaw, subject: subject)
    }

    /// The police see the case's own description only when the case itself may leave the organisation.
    static func caseDetailsVisible(_ incident: Incident, to subject: Subject) -> Bool {
        !subject.isPolice || TLPSharing.isSharedWithPolice(TLP(rawValue: incident.tlpRaw) ?? .red)
    }

    /// Items that may go into documents sent outside the organisation (reports to authorities).
    static func leavesOrganisation(_ raw: String) -> Bool {
        (TLP(rawValue: raw) ?? .red) <= .amber
    }
}
