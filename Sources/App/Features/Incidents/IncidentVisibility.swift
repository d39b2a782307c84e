import Foundation
import Domain

/// Which parts of a readable case a person sees. TLP:RED items reach only the people they name; the police
/// liaison sees a shared case only through the items TLP allows to leave the owning organisation.
enum IncidentVisibility {
    static func canSee(tlp raw: String, named rawNamed: String, subject: Subject) -> Bool {
        let tlp = TLP(rawValue: raw) ?? .red
        let named = Incident.ids(rawNamed)
        if subject.isPolice {
            return TLPSharing.visibleToPolice(tlp: tlp, namedUserIds: named, userId: subject.userId)
        }
        return tlp != .red || named.contains(subject.userId)
    }

    static func visible(_ entry: TimelineEntry, to subject: Subject) -> Bool {
        canSee(tlp: entry.tlpRaw, named: entry.namedUserIdsRaw, subject: subject)
    }

    static func visible(_ o: IncidentObservable, to subject: Subject) -> Bool {
        canSee(tlp: o.tlpRaw, named: o.namedUserIdsRaw, subject: subject)
    }

    static func visible(_ e: IncidentEvidence, to subject: Subject) -> Bool {
        canSee(tlp: e.tlpRaw, named: e.namedUserIdsRaw, subject: subject)
    }

    /// The police see the case's own description only when the case itself may leave the organisation.
    static func caseDetailsVisible(_ incident: Incident, to subject: Subject) -> Bool {
        canSee(tlp: incident.tlpRaw, named: "", subject: subject) || !subject.isPolice && incident.tlpRaw == TLP.red.rawValue
    }
}
