import Foundation
import Domain
import Fluent

/// What incident changes tell people: a new report, an assignment, a status change, a reporting clock
/// due soon or overdue, police activity. Recipients are resolved by the notifier with ``Policy``, so
/// nobody hears about a case they cannot read; the police only once the case is shared with them.
enum IncidentNotifications {
    private static func event(_ incident: Incident, _ kind: NotificationKind, title: NotificationText, summary: NotificationText,
                              recipients: Set<UUID> = [], audience: Set<NotificationAudience>, actorId: UUID?) -> NotificationEvent {
        let tlp = TLP(rawValue: incident.tlpRaw) ?? .red
        var event = NotificationEvent(kind: kind, agencyId: incident.agencyId, recordKind: "incident", recordId: incident.id!, title: title,
                                      summary: summary, link: .incidents(.show(.value(incident.id!))), recipients: recipients, audience: audience,
                                      sharedWithPolice: incident.policeShared && TLPSharing.isSharedWithPolice(tlp), readAction: .viewIncidents,
                                      actorId: actorId)
        event.mayLeaveOrganisation = tlp != .amberStrict && tlp != .red
        return event
    }

    static func assignees(_ incident: Incident, on db: any Database) async throws -> Set<UUID> {
        Set(try await IncidentAssignee.query(on: db).filter(\.$incidentId == incident.requireID()).all().map(\.userId))
    }

    static func newReport(_ notifier: Notifier, _ incident: Incident, actorId: UUID?, on db: any Database) async throws {
        try await notifier.publish(event(incident, .newReport, title: .key("notify.incident.new", [incident.number, incident.title]),
                                         summary: .key("notify.incident.newSummary", [DisplayTime.dateTime(incident.detectedAt)]),
                                         audience: [.coordinators, .responders, .agencyOfficers], actorId: actorId), on: db)
    }

    static func assignment(_ notifier: Notifier, _ incident: Incident, userId: UUID, actorId: UUID?, on db: any Database) async throws {
        try await notifier.publish(event(incident, .assignment, title: .key("notify.incident.assigned", [incident.number, incident.title]),
                                         summary: .key("notify.incident.assignedSummary"), recipients: [userId], audience: [], actorId: actorId), on: db)
    }

    static func statusChange(_ notifier: Notifier, _ incident: Incident, actorId: UUID?, on db: any Database) async throws {
        let people = try await assignees(incident, on: db)
        try await notifier.publish(event(incident, .statusChange, title: .key("notify.incident.status", [incident.number, incident.title]),
                                         summary: .text(LocalizedText(vi: Catalog.shared.text("incidentPhase.\(incident.phaseRaw)", .vi),
                                                                      en: Catalog.shared.text("incidentPhase.\(incident.phaseRaw)", .en))),
                                         recipients: people, audience: [.coordinators, .agencyOfficers], actorId: actorId), on: db)
    }

    static func clock(_ notifier: Notifier, _ incident: Incident, clock: IncidentClock, on db: any Database) async throws {
        let people = try await assignees(incident, on: db)
        let kind: NotificationKind = clock.state == .overdue ? .clockOverdue : .clockDueSoon
        try await notifier.publish(event(incident, kind, title: .key(kind == .clockOverdue ? "notify.incident.clockOverdue" : "notify.incident.clockDueSoon",
                                                                     [clock.title.vi, incident.number]),
                                         summary: .text(LocalizedText(vi: "\(clock.title.vi): hạn \(clock.dueAt.map(DisplayTime.dateTime) ?? "—")",
                                                                      en: "\(clock.title.en): due \(clock.dueAt.map(DisplayTime.dateTime) ?? "—")")),
                                         recipients: people, audience: [.coordinators, .agencyOfficers], actorId: nil), on: db)
    }

    static func shared(_ notifier: Notifier, _ incident: Incident, actorId: UUID?, on db: any Database) async throws {
        try await notifier.publish(event(incident, .statusChange, title: .key("notify.incident.shared", [incident.number, incident.title]),
                                         summary: .key("notify.incident.sharedSummary"), audience: [.police], actorId: actorId), on: db)
    }

    static func policeActivity(_ notifier: Notifier, _ incident: Incident, actorId: UUID?, on db: any Database) async throws {
        let people = try await assignees(incident, on: db)
        try await notifier.publish(event(incident, .statusChange, title: .key("notify.incident.police", [incident.number, incident.title]),
                                         summary: .key("notify.incident.policeSummary"), recipients: people, audience: [.coordinators],
                                         actorId: actorId), on: db)
    }
}
