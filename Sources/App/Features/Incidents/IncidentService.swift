import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Changes to incident cases shared by pages and API. Each change, its timeline entry, its audit event,
/// the recomputed legal clocks and the notifications it causes are written in one transaction.
enum IncidentService {
    // MARK: Reporting

    /// `within` runs in the report's transaction once the case exists (an alert promoted to a case claims the alert and
    /// attaches its events there: all of it is written, or none).
    static func report(_ input: IncidentInput, files: [File], req: Request,
                       within: (@Sendable (Incident, any Database) async throws -> Void)? = nil) async throws -> Incident {
        let subject = try req.requireSubject()
        let rules = req.application.rules
        let now = Date()
        var (valid, check) = input.check(categories: IncidentRulesBridge.categoryCodes(rules, at: now), now: now)
        var agencyId: UUID?
        var found: [InformationSystem] = []
        if let v = valid {
            for id in v.systemIds {
                guard let system = try await InformationSystem.visible(id, to: subject, on: req.db) else {
                    check.fail("systemIds", "incidents.unknownSystem"); valid = nil; break
                }
                found.append(system)
            }
            let agencies = Set(found.map { $0.$agency.id })
            if agencies.count > 1 { check.fail("systemIds", "incidents.systemsOfSeveralAgencies"); valid = nil }
            agencyId = agencies.first ?? v.agencyId ?? (subject.role == .agencyOfficer ? subject.agencyId : nil)
            if agencyId == nil { check.fail("agencyId", "validation.required"); valid = nil }
            if let id = agencyId, valid != nil {
                let visible = try await Agency.visible(id, to: subject, on: req.db) != nil
                if !visible || !Policy.can(subject, .reportIncident, .owned(agencyId: id)) {
                    check.fail(found.isEmpty ? "agencyId" : "systemIds", "validation.unknownAgency"); valid = nil
                }
            }
        }
        let accepted = try StoredFileService.acceptEvidence(files, limit: req.application.config.maxUploadBytes, field: "files")
        guard let valid, let agencyId, check.errors.isEmpty else { throw AppError.validation(check.errors) }
        let systems = found
        try StoredFileService.writeBytes(accepted, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let notifier = req.notifier
        let reporter = try req.requireUser()
        let incident = try await req.write { db in
            let incident = Incident()
            incident.number = try await nextNumber(now: now, on: db)
            incident.agencyId = agencyId
            apply(valid, to: incident)
            incident.categoryRuleVersion = IncidentRulesBridge.categories(rules, at: now).header.version
            incident.reporterId = reporter.id
            incident.reporterName = reporter.name
            incident.tlpRaw = TLP.amber.rawValue
            incident.phaseRaw = IncidentPhase.detected.rawValue
            incident.policeShared = false
            incident.version = 1
            incident.seriousSuggested = IncidentRulesBridge.seriousSuggestion(incident, systems: systems, rules: rules, at: now).isSerious
            incident.searchText = searchText(incident)
            try await incident.create(on: db)
            let id = try incident.requireID()
            for system in systems { try await IncidentSystem(incidentId: id, systemId: try system.requireID()).create(on: db) }
            try await IncidentTimeline.append(id, .reported, IncidentTimeline.msg("timeline.reported", reporter.name), actor: actor, at: now, on: db)
            try await IncidentArtifacts.addEvidence(accepted, to: incident, description: nil, tlp: .amber, named: [], actor: actor, on: db)
            try await AuditLog.append(AuditEntry("incident.report", recordType: "incident", recordId: id.uuidString, agencyId: agencyId,
                                                 after: ["number": incident.number, "title": incident.title]), by: actor, on: db)
            try await within?(incident, db)
            try await IncidentClocks.refresh([incident], rules: rules, now: now, notifier: notifier, on: db)
            try await IncidentNotifications.newReport(notifier, incident, actorId: actor.userId, on: db)
            // A case made from something else (a promoted alert) leaves the person's draft report alone.
            if within == nil { try await IncidentDraft.query(on: db).filter(\.$userId == reporter.requireID()).delete() }
            return incident
        }
        return incident
    }

    static func apply(_ v: IncidentInput.Valid, to incident: Incident) {
        incident.title = v.title
        incident.description = v.description
        incident.categoryCode = v.categoryCode
                incident.detectedAt = v.detectedAt
        incident.occurredAt = v.occurredAt
        incident.contactName = v.contactName
        incident.contactTitle = v.contactTitle
        incident.contactPhone = v.contactPhone
        incident.contactEmail = v.contactEmail
        // "Services are down" and the Decision 05 flag "service interruption" say the same thing.
        incident.servicesDown = v.servicesDown || v.impactFlags.contains(.serviceInterruption)
        incident.servicesNote = v.servicesNote
        incident.dataAffected = v.dataAffected
        incident.peopleAffected = v.peopleAffected
        incident.personalData = v.personalData
        incident.stateSecret = v.stateSecret
        incident.beyondCapability = v.beyondCapability
        incident.impactFlagsRaw = v.impactFlags.map(\.rawValue).joined(separator: ",")
        incident.actionsTaken = v.actionsTaken
        incident.supportRequested = v.supportRequested
    }

    static func searchText(_ i: Incident) -> String {
        SearchText.fold([i.number, i.title, i.description, i.reporterName, i.contactName, i.actionsTaken ?? "", i.dataAffected ?? ""]
            .joined(separator: " "))
    }

    /// `SC-<year>-<sequence>`, numbered per year in Vietnam time.
    static func nextNumber(now: Date, on db: any Database) async throws -> String {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: 0x5543_4E4F))").run()  // "UC" "NO"
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DisplayTime.zone
        let prefix = "SC-\(calendar.component(.year, from: now))-"
        // Longest first, then highest: "SC-2026-10000" comes after "SC-2026-9999".
        let last = try await sql.raw("""
            SELECT number FROM incidents WHERE number >= \(bind: prefix) AND number < \(bind: prefix + "~")
            ORDER BY LENGTH(number) DESC, number DESC LIMIT 1
            """).first()
        let next = (try last.flatMap { Int(try $0.decode(column: "number", as: String.self).dropFirst(prefix.count)) } ?? 0) + 1
        return prefix + String(format: "%04d", next)
    }

    // MARK: Finding a case

    /// The case named by the route if the caller may read it; 404 otherwise, whether or not it exists.
    static func find(_ req: Request, parameter: String = "id") async throws -> Incident {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get(parameter, as: UUID.self),
              let incident = try await Incident.visible(id, to: subject, on: req.db) else { throw AppError.notFound }
        return incident
    }

    /// Checks an action on a visible case: 403 when the caller can read the case but not do this.
    static func authorize(_ action: Action, _ incident: Incident, req: Request) async throws {
        try await req.authorize(action, incident.resource, readAction: .viewIncidents, recordType: "incident", recordId: try incident.requireID())
        if action == .handleIncident, try req.requireSubject().isPolice { throw AppError.forbidden }
    }

    // MARK: Optimistic locking

    /// Claims the case row for a change: fails with 409 when someone changed it since `expected` (or since it was read).
    static func claim(_ incident: Incident, expected: Int?, on db: any Database) async throws {
        if let expected, expected != incident.version { throw changedMeanwhile }
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            UPDATE incidents SET version = version + 1 WHERE id = \(bind: try incident.requireID()) AND version = \(bind: incident.version)
            RETURNING version
            """).all()
        guard rows.count == 1 else { throw changedMeanwhile }
        incident.version += 1
    }

    static let changedMeanwhile = AppError.conflict("incident_changed", messageKey: "incidents.changedMeanwhile")
}
