import Foundation
import Domain
import Fluent
import Vapor

/// Triage, assignment, phases, merging and notes.
enum IncidentHandling {
    struct TriageInput: Content, Sendable {
        var version: Int?
        var severity: String?
        /// "yes", "no" or empty (not decided yet).
        var serious: String?
        var tlp: String?
        var note: String?
        /// Facts learnt after the report (they start or stop legal clocks). The form sends `facts` with its
        /// checkboxes, since an unticked box sends nothing; the API sends the fields it changes.
        var facts: String?
        var personalData: FormFlag?
        var stateSecret: FormFlag?
        var beyondCapability: FormFlag?
        var impactFlags: [String]?
    }

    /// What the reported facts become, or nil when the input does not touch them.
    static func facts(_ input: TriageInput, of incident: Incident, check: inout InputChecker)
        -> (personalData: Bool, stateSecret: Bool, beyondCapability: Bool, flags: [ImpactFlag])? {
        let form = input.facts != nil
        guard form || input.personalData != nil || input.stateSecret != nil || input.beyondCapability != nil || input.impactFlags != nil else {
            return nil
        }
        var flags: [ImpactFlag] = []
        if let raw = input.impactFlags {
            for value in raw where !Validators.trimmed(value).isEmpty {
                guard let flag = ImpactFlag(rawValue: Validators.trimmed(value)) else { check.fail("impactFlags", "validation.unknownValue"); break }
                if !flags.contains(flag) { flags.append(flag) }
            }
        } else if !form {
            flags = Array(IncidentRulesBridge.impactFlags(incident))
        }
        func value(_ flag: FormFlag?, _ current: Bool) -> Bool { flag?.value ?? (form ? false : current) }
        return (value(input.personalData, incident.personalData), value(input.stateSecret, incident.stateSecret),
                value(input.beyondCapability, incident.beyondCapability), flags)
    }

    /// Accepts the report (detected → triaged) or corrects a triaged case: severity, Decision 05 and TLP.
    static func triage(_ incident: Incident, _ input: TriageInput, req: Request) async throws {
        try await IncidentService.authorize(.triageIncident, incident, req: req)
        var check = InputChecker()
        let severity = check.choice("severity", input.severity, as: IncidentSeverity.self)
        let tlp = Validators.trimmed(input.tlp).isEmpty ? TLP(rawValue: incident.tlpRaw) : check.choice("tlp", input.tlp, as: TLP.self)
        var seriousChoice: Bool?
        switch SearchText.fold(input.serious ?? "") {
        case "": seriousChoice = nil
        case let word where SystemInput.trueWords.contains(word): seriousChoice = true
        case let word where SystemInput.falseWords.contains(word): seriousChoice = false
        default: check.fail("serious", "validation.unknownValue")
        }
        let note = check.optionalText("note", input.note, max: 4000)
        let newFacts = facts(input, of: incident, check: &check)
        guard check.errors.isEmpty, let severity, let tlp else { throw AppError.validation(check.errors) }
        let serious = seriousChoice
        if incident.phaseRaw == IncidentPhase.closed.rawValue { throw AppError.conflict("incident_closed", messageKey: "incidents.closedNoChange") }
        let actor = req.auditActor
        let notifier = req.notifier
        let rules = req.application.rules
        let userId = try req.requireUser().id
        let now = Date()
        try await req.write { db in
            try await IncidentService.claim(incident, expected: input.version, on: db)
            let id = try incident.requireID()
            if incident.phaseRaw == IncidentPhase.detected.rawValue {
                incident.phaseRaw = IncidentPhase.triaged.rawValue
                incident.triagedAt = now
                try await IncidentTimeline.append(id, .triage, "timeline.accepted", actor: actor, at: now, on: db)
            }
            if incident.severityRaw != severity.rawValue {
                try await IncidentTimeline.append(id, .severity, IncidentTimeline.msg("timeline.severity", severity.rawValue), actor: actor, at: now, on: db)
                incident.severityRaw = severity.rawValue
            }
            if incident.tlpRaw != tlp.rawValue {
                try await IncidentTimeline.append(id, .triage, IncidentTimeline.msg("timeline.tlp", tlp.rawValue), actor: actor, at: now, on: db)
                incident.tlpRaw = tlp.rawValue
            }
            if let serious, incident.seriousConfirmed != serious {
                incident.seriousConfirmed = serious
                incident.seriousConfirmedAt = now
                incident.seriousConfirmedBy = userId
                try await IncidentTimeline.append(id, .serious, serious ? "timeline.seriousYes" : "timeline.seriousNo", actor: actor, at: now, on: db)
            }
            if let f = newFacts {
                var changed: [String] = []
                if f.personalData != incident.personalData { changed.append(f.personalData ? "personalData+" : "personalData-") }
                if f.stateSecret != incident.stateSecret { changed.append(f.stateSecret ? "stateSecret+" : "stateSecret-") }
                if f.beyondCapability != incident.beyondCapability { changed.append(f.beyondCapability ? "beyondCapability+" : "beyondCapability-") }
                let flagsRaw = ImpactFlag.allCases.filter(f.flags.contains).map(\.rawValue).joined(separator: ",")
                if flagsRaw != incident.impactFlagsRaw { changed.append("impactFlags") }
                if !changed.isEmpty {
                    incident.personalData = f.personalData
                    incident.stateSecret = f.stateSecret
                    incident.beyondCapability = f.beyondCapability
                    incident.impactFlagsRaw = flagsRaw
                    if f.flags.contains(.serviceInterruption) { incident.servicesDown = true }
                    let systemIds = try await IncidentSystem.query(on: db).filter(\.$incidentId == id).all().map(\.systemId)
                    let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).all()
                    incident.seriousSuggested = IncidentRulesBridge.seriousSuggestion(incident, systems: systems, rules: rules, at: now).isSerious
                    let labels = changed.map { Localizer(lang: .vi)("incidents.factChange.\($0)") }.joined(separator: "; ")
                    try await IncidentTimeline.append(id, .edited, IncidentTimeline.msg("timeline.factsChanged", labels), actor: actor, at: now, on: db)
                }
            }
            if let note { try await IncidentTimeline.append(id, .note, note, actor: actor, at: now, on: db) }
            try await incident.save(on: db)
            try await AuditLog.append(AuditEntry("incident.triage", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                                 after: ["severity": severity.rawValue, "serious": serious.map(String.init), "tlp": tlp.rawValue]),
                                      by: actor, on: db)
            try await IncidentClocks.refresh([incident], rules: rules, now: now, notifier: notifier, on: db)
            try await IncidentNotifications.statusChange(notifier, incident, actorId: actor.userId, on: db)
        }
    }

    struct AssignInput: Content, Sendable {
        var version: Int?
        var userIds: [String]?
    }

    /// People who may be assigned to a case: the province's coordinators and responders, and officers of the owning agency.
    static func assignable(for incident: Incident, on db: any Database) async throws -> [User] {
        try await CaseTeam.load(for: incident, on: db).assignable
    }

    static func assign(_ incident: Incident, _ input: AssignInput, req: Request) async throws {
        try await IncidentService.authorize(.triageIncident, incident, req: req)
        let candidates = try await assignable(for: incident, on: req.db)
        let byId = Dictionary(uniqueKeysWithValues: candidates.compactMap { u in u.id.map { ($0, u) } })
        var picked: [User] = []
        for raw in input.userIds ?? [] where !Validators.trimmed(raw).isEmpty {
            guard let id = UUID(uuidString: Validators.trimmed(raw)), let user = byId[id] else {
                throw AppError.validation(FieldErrors(["userIds": "incidents.notAssignable"]))
            }
            if !picked.contains(where: { $0.id == id }) { picked.append(user) }
        }
        let chosen = picked
        let actor = req.auditActor
        let notifier = req.notifier
        let now = Date()
        try await req.write { db in
            try await IncidentService.claim(incident, expected: input.version, on: db)
            let id = try incident.requireID()
            let current = Set(try await IncidentAssignee.query(on: db).filter(\.$incidentId == id).all().map(\.userId))
            let wanted = Set(chosen.compactMap(\.id))
            try await IncidentAssignee.query(on: db).filter(\.$incidentId == id).filter(\.$userId ~~ Array(current.subtracting(wanted))).delete()
            for user in chosen where !current.contains(user.id!) {
                let row = IncidentAssignee()
                row.incidentId = id
                row.userId = user.id!
                row.assignedAt = now
                try await row.create(on: db)
                try await IncidentTimeline.append(id, .assignment, IncidentTimeline.msg("timeline.assigned", user.name), actor: actor, at: now, on: db)
                try await IncidentNotifications.assignment(notifier, incident, userId: user.id!, actorId: actor.userId, on: db)
            }
            for user in try await User.query(on: db).filter(\.$id ~~ Array(current.subtracting(wanted))).all() {
                try await IncidentTimeline.append(id, .assignment, IncidentTimeline.msg("timeline.unassigned", user.name), actor: actor, at: now, on: db)
            }
            try await incident.save(on: db)
            try await AuditLog.append(AuditEntry("incident.assign", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                                 after: ["assignees": chosen.map(\.name).joined(separator: ", ")]), by: actor, on: db)
        }
    }

    struct PhaseInput: Content, Sendable {
        var version: Int?
        var phase: String?
        var note: String?
        /// Closing: why the case may close without a final report (coordinators only).
        var overrideReason: String?
        var resolution: String?
    }

    static func changePhase(_ incident: Incident, _ input: PhaseInput, req: Request) async throws {
        var check = InputChecker()
        let target = check.choice("phase", input.phase, as: IncidentPhase.self)
        let note = check.optionalText("note", input.note, max: 4000)
        let reason = check.optionalText("overrideReason", input.overrideReason, max: 2000)
        let resolution = Validators.trimmed(input.resolution).isEmpty ? IncidentResolution.resolved
            : check.choice("resolution", input.resolution, as: IncidentResolution.self)
        guard check.errors.isEmpty, let target, let resolution else { throw AppError.validation(check.errors) }
        let current = IncidentPhase(rawValue: incident.phaseRaw) ?? .detected
        let closing = target == .closed || current == .closed
        // Only a coordinator accepts a report: moving a case out of "detected" is triage, whatever the target.
        let triaging = closing || target == .triaged || current == .detected
        try await IncidentService.authorize(triaging ? .triageIncident : .handleIncident, incident, req: req)
        guard current.allowedNext.contains(target) else {
            throw AppError.validation(FieldErrors(["phase": "incidents.phaseNotAllowed|\(current.rawValue)|\(target.rawValue)"]))
        }
        let actor = req.auditActor
        let notifier = req.notifier
        let rules = req.application.rules
        let now = Date()
        try await req.write { db in
            try await IncidentService.claim(incident, expected: input.version, on: db)
            let id = try incident.requireID()
            if target == .closed {
                let finalSent = try await IncidentReportRecord.query(on: db).filter(\.$incidentId == id)
                    .filter(\.$kind == IncidentRulesBridge.finalReportKind).count() > 0
                if !finalSent && reason == nil && resolution.keepsReportingDuties {
                    throw AppError.validation(FieldErrors(["overrideReason": "incidents.finalReportMissing"]))
                }
                if !finalSent, resolution.keepsReportingDuties, let reason {
                    incident.closeOverrideReason = reason
                    try await IncidentTimeline.append(id, .closeOverride, reason, actor: actor, at: now, on: db)
                }
                incident.closedAt = now
                incident.resolutionRaw = resolution.rawValue
            } else if current == .closed {
                incident.closedAt = nil
                incident.resolutionRaw = nil
            }
            let order = IncidentPhase.allCases
            if order.firstIndex(of: target)! >= order.firstIndex(of: .recovered)! {
                if incident.responseCompletedAt == nil { incident.responseCompletedAt = now }
            } else {
                incident.responseCompletedAt = nil
            }
            if target == .triaged && incident.triagedAt == nil { incident.triagedAt = now }
            incident.phaseRaw = target.rawValue
            try await IncidentTimeline.append(id, .phase, IncidentTimeline.msg("timeline.phase", current.rawValue, target.rawValue), actor: actor, at: now, on: db)
            if let note { try await IncidentTimeline.append(id, .note, note, actor: actor, at: now, on: db) }
            try await incident.save(on: db)
            try await AuditLog.append(AuditEntry("incident.phase", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                                 before: ["phase": current.rawValue], after: ["phase": target.rawValue]), by: actor, on: db)
            try await IncidentClocks.refresh([incident], rules: rules, now: now, notifier: notifier, on: db)
            try await IncidentNotifications.statusChange(notifier, incident, actorId: actor.userId, on: db)
        }
    }

    struct MergeInput: Content, Sendable {
        var version: Int?
        /// The number (SC-2026-0001) or id of the case this one duplicates.
        var into: String?
    }

    /// Closes this case as a duplicate of another, copying its observables there.
    static func merge(_ incident: Incident, _ input: MergeInput, req: Request) async throws {
        try await IncidentService.authorize(.triageIncident, incident, req: req)
        let subject = try req.requireSubject()
        let key = Validators.trimmed(input.into)
        let query = Incident.scoped(to: subject, on: req.db)
        if let id = UUID(uuidString: key) { query.filter(\.$id == id) } else { query.filter(\.$number == key.uppercased()) }
        guard !key.isEmpty, let target = try await query.first(), target.id != incident.id,
              target.phaseRaw != IncidentPhase.closed.rawValue else {
            throw AppError.validation(FieldErrors(["into": "incidents.mergeTargetInvalid"]))
        }
        if incident.phaseRaw == IncidentPhase.closed.rawValue { throw AppError.conflict("incident_closed", messageKey: "incidents.closedNoChange") }
        let actor = req.auditActor
        let notifier = req.notifier
        let rules = req.application.rules
        let now = Date()
        try await req.write { db in
            try await IncidentService.claim(incident, expected: input.version, on: db)
            let id = try incident.requireID()
            let targetId = try target.requireID()
            incident.phaseRaw = IncidentPhase.closed.rawValue
            incident.resolutionRaw = IncidentResolution.duplicate.rawValue
            incident.mergedIntoId = targetId
            incident.closedAt = now
            try await incident.save(on: db)
            // Items restricted to one organisation or to named people stay on their case when the duplicate
            // belongs to another agency.
            // Into another agency's case or a case shared with the police, only what may be shared freely (CLEAR,
            // GREEN) goes along.
            let crossAgency = target.agencyId != incident.agencyId
            let restricted = crossAgency || (target.policeShared && !incident.policeShared)
            for o in try await IncidentObservable.query(on: db).filter(\.$incidentId == id).all()
            where !restricted || [TLP.clear.rawValue, TLP.green.rawValue].contains(o.tlpRaw) {
                let exists = try await IncidentObservable.query(on: db).filter(\.$incidentId == targetId).filter(\.$type == o.type)
                    .filter(\.$value == o.value).count() > 0
                if exists { continue }
                let copy = IncidentObservable()
                copy.incidentId = targetId
                copy.type = o.type
                copy.value = o.value
                copy.tlpRaw = o.tlpRaw
                copy.namedUserIdsRaw = o.namedUserIdsRaw
                copy.comment = o.comment
                copy.isIOC = o.isIOC
                copy.createdBy = actor.userId
                copy.createdAt = now
                try await copy.create(on: db)
            }
            try await IncidentTimeline.append(id, .merged, IncidentTimeline.msg("timeline.mergedInto", target.number), actor: actor, at: now, on: db)
            try await IncidentTimeline.append(targetId, .merged, crossAgency ? "timeline.mergedFromOther" : IncidentTimeline.msg("timeline.mergedFrom", incident.number),
                                              actor: actor, at: now, on: db)
            try await AuditLog.append(AuditEntry("incident.merge", recordType: "incident", recordId: id.uuidString, agencyId: incident.agencyId,
                                                 after: ["into": target.number]), by: actor, on: db)
            try await IncidentClocks.refresh([incident], rules: rules, now: now, notifier: notifier, on: db)
        }
    }

    struct NoteInput: Content, Sendable {
        var body: String?
        var tlp: String?
        /// For TLP:RED: the people the note may reach.
        var namedUserIds: [String]?
    }

    /// A note on the timeline. The police liaison's notes on a shared case are marked as theirs.
    static func addNote(_ incident: Incident, _ input: NoteInput, kind: TimelineKind = .note, req: Request) async throws -> TimelineEntry {
        let subject = try req.requireSubject()
        try await IncidentService.authorize(subject.isPolice ? .collaborateAsPolice : .handleIncident, incident, req: req)
        var check = InputChecker()
        let body = check.requiredText("body", input.body, max: 20_000)
        let tlp = Validators.trimmed(input.tlp).isEmpty ? TLP.amber : check.choice("tlp", input.tlp, as: TLP.self)
        var namedIds: Set<UUID> = []
        for raw in input.namedUserIds ?? [] where !Validators.trimmed(raw).isEmpty {
            guard let id = UUID(uuidString: Validators.trimmed(raw)) else { check.fail("namedUserIds", "validation.invalidId"); break }
            namedIds.insert(id)
        }
        if tlp == .red { namedIds.insert(subject.userId) }
        guard check.errors.isEmpty, let tlp else { throw AppError.validation(check.errors) }
        let named = namedIds
        let actualKind: TimelineKind = subject.isPolice && kind == .note ? .policeNote : kind
        let actor = req.auditActor
        let notifier = req.notifier
        return try await req.write { db in
            let id = try incident.requireID()
            let entry = try await IncidentTimeline.append(id, actualKind, body, tlp: tlp, named: named, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("incident.\(actualKind.rawValue)", recordType: "incident", recordId: id.uuidString,
                                                 agencyId: incident.agencyId), by: actor, on: db)
            if actualKind == .evidenceRequest || actualKind == .policeNote {
                try await IncidentNotifications.policeActivity(notifier, incident, actorId: actor.userId, on: db)
            }
            return entry
        }
    }
}
