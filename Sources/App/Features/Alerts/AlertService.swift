import Foundation
import Detection
import Domain
import Fluent
import FluentSQL
import SQLKit
import Vapor

extension DetectionAlert {
    /// Alerts the subject may read: all for province roles; for officers those of their agencies (subtree) only — never an
    /// alert of an unknown source (no agency). Every alert query for a person goes through here.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<DetectionAlert> {
        let query = DetectionAlert.query(on: db)
        guard Policy.can(subject, .viewDetection) else { return query.filter(.sql(embed: "1 = 0")) }
        if let ids = Policy.readScope(for: subject).agencyIds {
            if ids.isEmpty { query.filter(.sql(embed: "1 = 0")) } else { query.filter(\.$agencyId ~~ Array(ids)) }
        }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> DetectionAlert? {
        try await scoped(to: subject, on: db).filter(\.$id == id).first()
    }
}

/// Triage of alerts: acknowledge, false positive (with a reason), promote to an incident (a case made through the incident
/// service, with the alert's events as evidence). Every step claims the alert at the version the person saw (409 when
/// stale), is recorded in the alert's history and audited, all in one transaction.
enum AlertService {
    static let recordType = "alert"

    enum TriageAction: String, CaseIterable, Sendable {
        case acknowledge
        case falsePositive = "false_positive"
        case promote

        var target: AlertStatus {
            switch self {
            case .acknowledge: .acknowledged
            case .falsePositive: .falsePositive
            case .promote: .promoted
            }
        }
    }

    static let changedMeanwhile = AppError.conflict("alert_changed", messageKey: "alerts.changedMeanwhile")
    static let closed = AppError.conflict("alert_closed", messageKey: "alerts.alreadyClosed")

    static func find(_ req: Request) async throws -> DetectionAlert {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let alert = try await DetectionAlert.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return alert
    }

    static func authorize(_ alert: DetectionAlert, req: Request) async throws {
        try await req.authorize(.triageAlerts, .owned(agencyId: alert.agencyId), readAction: .viewDetection, recordType: recordType,
                                recordId: try alert.requireID())
    }

    static func action(_ raw: String?) throws -> TriageAction {
        guard let raw = raw.map(Validators.trimmed), !raw.isEmpty else { throw AppError.validation(FieldErrors(["action": "validation.required"])) }
        guard let action = TriageAction(rawValue: raw) else { throw AppError.validation(FieldErrors(["action": "validation.unknownValue"])) }
        return action
    }

    /// The reason of a false positive: required, at most 4,000 characters.
    static func reason(_ raw: String?, required: Bool) throws -> String? {
        var check = InputChecker()
        let text = required ? check.requiredText("reason", raw, max: 4000) : check.optionalText("reason", raw, max: 4000)
        if !check.errors.isEmpty {
            var errors = check.errors
            if Validators.trimmed(raw).isEmpty && required { errors = FieldErrors(["reason": "alerts.reasonRequired"]) }
            throw AppError.validation(errors)
        }
        return text
    }

    /// Acknowledge or false positive of one alert, at the version the person saw.
    static func triage(_ alert: DetectionAlert, _ action: TriageAction, reason rawReason: String?, expectedVersion: Int, req: Request) async throws {
        precondition(action != .promote)
        try await authorize(alert, req: req)
        let note = try reason(rawReason, required: action == .falsePositive)
        guard alert.statusValue.isOpen else { throw closed }
        if expectedVersion != alert.version { throw changedMeanwhile }
        if alert.statusValue == action.target { return }
        let actor = req.auditActor
        try await req.write { db in
            try await apply(action, to: alert, expectedVersion: expectedVersion, note: note, incidentId: nil, actor: actor, bulk: false, on: db)
        }
    }

    /// Several alerts at once (acknowledge or false positive): every one must be visible and allowed, then all change in one
    /// transaction, each with its history and audit event. Alerts already in the target status, or closed, are left alone.
    static func bulk(ids: [UUID], _ action: TriageAction, reason rawReason: String?, req: Request) async throws -> (changed: [DetectionAlert], unchanged: Int) {
        guard action != .promote else { throw AppError.validation(FieldErrors(["action": "alerts.bulkNoPromote"])) }
        let subject = try req.requireSubject()
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { throw AppError.validation(FieldErrors(["ids": "alerts.noneSelected"])) }
        guard unique.count <= 500 else { throw AppError.validation(FieldErrors(["ids": "alerts.tooManySelected|500"])) }
        let alerts = try await DetectionAlert.scoped(to: subject, on: req.db).filter(\.$id ~~ unique).all()
        guard alerts.count == unique.count else { throw AppError.notFound }
        for alert in alerts { try await authorize(alert, req: req) }
        let note = try reason(rawReason, required: action == .falsePositive)
        let work = alerts.filter { $0.statusValue.isOpen && $0.statusValue != action.target }.sorted { $0.id!.uuidString < $1.id!.uuidString }
            .map { ($0, $0.version) }
        let actor = req.auditActor
        try await req.write { db in
            for (alert, version) in work {
                try await apply(action, to: alert, expectedVersion: version, note: note, incidentId: nil, actor: actor, bulk: true, on: db)
            }
        }
        return (work.map(\.0), alerts.count - work.count)
    }

    /// Claims the alert at `expectedVersion` while it is still open (409 otherwise), sets the new status, writes the history
    /// entry and the audit event. Inside the caller's transaction.
    static func apply(_ action: TriageAction, to alert: DetectionAlert, expectedVersion: Int, note: String?, incidentId: UUID?, actor: AuditActor,
                      bulk: Bool, on db: any Database) async throws {
        let id = try alert.requireID()
        let now = Date()
        let claimed = try await (db as! any SQLDatabase).raw("""
            UPDATE alerts SET version = version + 1, status = \(bind: action.target.rawValue), updated_at = \(bind: now),
                triaged_at = \(bind: now), triaged_by_name = \(bind: String(actor.label.prefix(200))),
                false_positive_reason = \(bind: action == .falsePositive ? note : nil), incident_id = \(bind: incidentId)
            WHERE id = \(bind: id) AND version = \(bind: expectedVersion) AND status IN ('new', 'acknowledged')
            RETURNING version
            """).all()
        guard claimed.count == 1 else { throw changedMeanwhile }
        let from = alert.status
        alert.status = action.target.rawValue
        alert.version = expectedVersion + 1
        alert.triagedAt = now
        alert.triagedByName = String(actor.label.prefix(200))
        alert.updatedAt = now
        if action == .falsePositive { alert.falsePositiveReason = note }
        alert.incidentId = incidentId
        let entry = AlertHistoryEntry()
        entry.alertId = id
        entry.at = now
        entry.action = action.rawValue
        entry.fromStatus = from
        entry.toStatus = action.target.rawValue
        entry.note = note
        entry.incidentId = incidentId
        entry.actorId = actor.userId
        entry.actorName = String(actor.label.prefix(200))
        try await entry.create(on: db)
        var details = ["rule": alert.ruleSigmaId, "host": alert.host ?? ""]
        if bulk { details["bulk"] = "true" }
        if let note { details["reason"] = String(note.prefix(500)) }
        if let incidentId { details["incident"] = incidentId.uuidString }
        try await AuditLog.append(AuditEntry("alert.\(action.rawValue)", recordType: recordType, recordId: id.uuidString, agencyId: alert.agencyId,
                                             before: ["status": from], after: ["status": action.target.rawValue], details: details),
                                  by: actor, on: db)
    }

    // MARK: promotion

    /// What the person may set when promoting (everything has a default from the alert and from them).
    struct PromoteInput: Content, Sendable {
        var title: String?
        var description: String?
        var categoryCode: String?
        var detectedAt: String?
        var agencyId: String?
        var contactName: String?
        var contactPhone: String?
        var contactEmail: String?
    }

    /// The incident form's fields filled from the alert: title from the rule and host, detected at the first event, the
    /// alert's system (or agency), a description naming rule, host, counts and window; the person as the contact.
    static func incidentInput(_ alert: DetectionAlert, _ given: PromoteInput, user: User, systemExists: Bool, lang: Lang,
                              rules: RuleBook, tags: [String]) -> IncidentInput {
        let t = Localizer(lang: lang)
        func text(_ value: String?) -> String? { value.flatMap { Validators.trimmed($0).isEmpty ? nil : $0 } }
        var input = IncidentInput()
        input.title = text(given.title) ?? defaultTitle(alert, lang: lang)
        input.description = text(given.description) ?? defaultDescription(alert, t: t)
        let guess = suggestedCategory(tags: tags)
        input.categoryCode = text(given.categoryCode)
            ?? (IncidentRulesBridge.categoryCodes(rules, at: Date()).contains(guess) ? guess : IncidentCategoryList.otherCode)
        input.detectedAt = text(given.detectedAt) ?? ISO8601DateFormatter().string(from: min(alert.firstEventAt, Date()))
        if systemExists, let system = alert.systemId { input.systemIds = [system.uuidString] }
        input.agencyId = text(given.agencyId) ?? alert.agencyId?.uuidString
        input.contactName = text(given.contactName) ?? user.name
        input.contactPhone = text(given.contactPhone) ?? user.phone
        input.contactEmail = text(given.contactEmail) ?? user.email
        return input
    }

    static func defaultTitle(_ alert: DetectionAlert, lang: Lang) -> String {
        let title = alert.host.map { "\(alert.ruleTitle) — \($0)" } ?? alert.ruleTitle
        return String(title.replacingOccurrences(of: "\n", with: " ").prefix(300))
    }

    static func defaultDescription(_ alert: DetectionAlert, t: Localizer) -> String {
        t("alerts.incidentDescription", alert.ruleTitle, alert.ruleSigmaId, alert.host ?? "—", String(alert.eventCount),
          DisplayTime.dateTime(alert.firstEventAt), DisplayTime.dateTime(alert.lastEventAt),
          DisplayTime.dateTime(alert.windowStart), DisplayTime.dateTime(alert.windowEnd))
    }

    /// The incident category the rule's ATT&CK tags suggest (the person may choose another).
    static func suggestedCategory(tags: [String]) -> String {
        let set = Set(tags.map { $0.lowercased() })
        func has(_ prefix: String) -> Bool { set.contains { $0 == prefix || $0.hasPrefix(prefix + ".") } }
        if has("attack.t1486") { return "ransomware" }
        if has("attack.t1566") || has("attack.t1598") { return "phishing" }
        if has("attack.t1498") || has("attack.t1499") { return "dos" }
        if has("attack.t1491") { return "defacement" }
        if has("attack.t1485") || has("attack.t1561") || has("attack.t1490") { return "data_destruction" }
        if set.contains("attack.exfiltration") || set.contains("attack.collection") { return "data_theft" }
        if has("attack.t1204") || has("attack.t1059") || set.contains("attack.execution") { return "malware" }
        return "unauthorised_access"
    }

    /// The kept events as JSON lines (one snapshot a line, in the order they arrived).
    static func eventsFile(_ alert: DetectionAlert, on db: any Database) async throws -> (bytes: [UInt8], count: Int) {
        let events = try await AlertEvent.query(on: db).filter(\.$alertId == alert.requireID()).sort(\.$position).all()
        var out = [UInt8]()
        for event in events {
            out.append(contentsOf: Array(event.snapshot.utf8))
            out.append(0x0A)
        }
        return (out, events.count)
    }

    /// Creates the incident (through the incident service, so every check, clock and notification of a report applies)
    /// and, in its transaction, claims the alert, links it and attaches its events as a JSON-lines evidence file.
    static func promote(_ alert: DetectionAlert, _ given: PromoteInput, expectedVersion: Int, req: Request) async throws -> Incident {
        try await authorize(alert, req: req)
        guard alert.statusValue.isOpen else { throw closed }
        if expectedVersion != alert.version { throw changedMeanwhile }
        let user = try req.requireUser()
        let rule = try await DetectionRule.find(alert.ruleId, on: req.db)
        let subject = try req.requireSubject()
        let systemExists: Bool = if let systemId = alert.systemId { try await InformationSystem.visible(systemId, to: subject, on: req.db) != nil }
            else { false }
        let input = incidentInput(alert, given, user: user, systemExists: systemExists, lang: req.lang, rules: req.application.rules,
                                  tags: rule?.tags ?? [])
        let (bytes, kept) = try await eventsFile(alert, on: req.db)
        let t = req.t
        var files: [StoredFileService.Accepted] = []
        if !bytes.isEmpty {
            let stamp = ISO8601DateFormatter().string(from: alert.firstEventAt).prefix(10)
            let name = StoredFileService.sanitizedName("alert-\(stamp)-\(alert.host ?? "events")-\(alert.id!.uuidString.prefix(8).lowercased()).jsonl")
            let buffer = ByteBuffer(bytes: bytes)
            files.append(StoredFileService.Accepted(name: name, bytes: buffer, sha256: SHA256Digest.hex(Data(bytes)), kind: FileSniffer.text))
            try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        }
        let evidenceNote = t("alerts.evidenceDescription", alert.ruleTitle, String(kept), String(alert.eventCount))
        let actor = req.auditActor
        let accepted = files
        let timeline = IncidentTimeline.msg("timeline.promotedFromAlert", alert.ruleTitle, alert.host ?? "—", String(alert.eventCount))
        return try await IncidentService.report(input, files: [], req: req) { incident, db in
            try await apply(.promote, to: alert, expectedVersion: expectedVersion, note: nil, incidentId: try incident.requireID(), actor: actor,
                            bulk: false, on: db)
            try await IncidentTimeline.append(try incident.requireID(), .imported, timeline, actor: actor, on: db)
            try await IncidentArtifacts.addEvidence(accepted, to: incident, description: evidenceNote, tlp: .amber, named: [], actor: actor, on: db)
        }
    }
}
