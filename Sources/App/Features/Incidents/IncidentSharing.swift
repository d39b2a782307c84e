import Foundation
import Domain
import Fluent
import Vapor

/// Sharing a case with the police liaison, and taking it back.
enum IncidentSharing {
    struct ShareInput: Content, Sendable {
        var version: Int?
        var note: String?
    }

    static func share(_ incident: Incident, _ input: ShareInput, req: Request) async throws {
        try await IncidentService.authorize(.triageIncident, incident, req: req)
        var check = InputChecker()
        let note = check.optionalText("note", input.note, max: 2000)
        guard check.errors.isEmpty else { throw AppError.validation(check.errors) }
        guard !incident.policeShared else { throw AppError.conflict("already_shared", messageKey: "incidents.alreadyShared") }
        let actor = req.auditActor
        let notifier = req.notifier
        let now = Date()
        try await req.write { db in
            try await IncidentService.claim(incident, expected: input.version, on: db)
            let id = try incident.requireID()
            let share = IncidentShare()
            share.incidentId = id
            share.sharedBy = actor.userId
            share.sharedAt = now
            share.note = note
            try await share.create(on: db)
            incident.policeShared = true
            try await incident.save(on: db)
            try await IncidentTimeline.append(id, .shared, "timeline.shared", tlp: .green, actor: actor, at: now, on: db)
            try await AuditLog.append(AuditEntry("incident.share", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                                 details: note.map { ["note": $0] }), by: actor, on: db)
            try await IncidentNotifications.shared(notifier, incident, actorId: actor.userId, on: db)
        }
    }

    static func revoke(_ incident: Incident, _ input: ShareInput, req: Request) async throws {
        try await IncidentService.authorize(.triageIncident, incident, req: req)
        guard incident.policeShared else { throw AppError.conflict("not_shared", messageKey: "incidents.notShared") }
        let actor = req.auditActor
        let notifier = req.notifier
        let now = Date()
        try await req.write { db in
            try await IncidentService.claim(incident, expected: input.version, on: db)
            let id = try incident.requireID()
            for share in try await IncidentShare.query(on: db).filter(\.$incidentId == id).filter(\.$revokedAt == nil).all() {
                share.revokedAt = now
                share.revokedBy = actor.userId
                try await share.save(on: db)
            }
            incident.policeShared = false
            try await incident.save(on: db)
            try await IncidentTimeline.append(id, .unshared, "timeline.unshared", tlp: .green, actor: actor, at: now, on: db)
            try await AuditLog.append(AuditEntry("incident.unshare", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId),
                                      by: actor, on: db)
        }
    }

    /// Lists, boards and searches by the police liaison are audited too (what was asked, how many came back).
    static func auditPoliceList(req: Request, count: Int) async throws {
        guard let subject = req.subject, subject.isPolice else { return }
        try await req.audit(AuditEntry("incident.police.list", recordType: "incident", details: [
            "path": req.url.path, "query": String((req.url.query ?? "").prefix(300)), "results": String(count)]))
    }

    /// Every read of a shared case by the police liaison is audited.
    static func auditPoliceAccess(_ incident: Incident, what: String, req: Request) async throws {
        guard let subject = req.subject, subject.isPolice else { return }
        try await req.audit(AuditEntry("incident.police.read", recordType: "incident", recordId: incident.id?.uuidString,
                                       agencyId: incident.agencyId, details: ["what": what, "path": req.url.path]))
    }
}
