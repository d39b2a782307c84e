import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Status changes of findings (one, or many at once from the list), each audited and recorded in the finding's
/// history, and the reopening of findings whose accepted risk has ended. The lifecycle itself is
/// `FindingLifecycle` (Domain).
enum FindingService {
    static let recordType = "finding"

    /// 0 info … 4 critical, the `severity_rank` column.
    static func rank(_ severity: FindingSeverity) -> Int { FindingSeverity.allCases.firstIndex(of: severity) ?? 0 }

    /// What a person sends to change a status (page form, API body).
    struct StatusInput: Content, Sendable {
        var status: String?
        var reason: String?
        var approverName: String?
        /// Last day the risk is accepted: `yyyy-MM-dd` or `dd/MM/yyyy`.
        var acceptedUntil: String?
        var version: Int?
    }

    /// A checked request: the target status and the lifecycle input.
    struct Change: Sendable {
        var to: FindingStatus
        var input: FindingTransitionInput
    }

    static func check(_ input: StatusInput, rules: RuleBook, now: Date = Date()) throws -> Change {
        var check = InputChecker()
        let to = check.choice("status", input.status, as: FindingStatus.self)
        let reason = check.optionalText("reason", input.reason, max: 4000)
        let approver = check.optionalText("approverName", input.approverName, max: 200)
        var until: Date?
        if let raw = input.acceptedUntil, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            until = DisplayTime.parseDay(raw)
            if until == nil { check.fail("acceptedUntil", "validation.invalidDate") }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Change(to: to!, input: FindingTransitionInput(now: now, reason: reason, approverName: approver, acceptedUntil: until,
                                                             rules: rules.proactiveObligations(at: now)))
    }

    /// The lifecycle's refusal as a field error (`{"error":{"code":"finding_reason_required","fields":{"reason":…}}}`).
    static func appError(_ error: FindingTransitionError, lang: Lang, finding: Finding? = nil) -> AppError {
        let text = error.message.text(lang)
        let key = "findings.transitionError|" + (finding.map { "\(clean($0.title)): " } ?? "") + clean(text)
        return AppError(status: .unprocessableEntity, code: error.code, messageKey: key, fields: [error.field ?? "status": key])
    }

    /// Message arguments are separated by `|`: keep it out of the text.
    static func clean(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "¦") }

    // MARK: lookups

    static func find(_ req: Request) async throws -> Finding {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let finding = try await Finding.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return finding
    }

    static func authorize(_ finding: Finding, req: Request) async throws {
        try await req.authorize(.recordAssessments, .owned(agencyId: finding.agencyId), readAction: .viewProactive, recordType: recordType,
                                recordId: try finding.requireID())
    }

    // MARK: changes

    /// One finding; `expectedVersion` nil means "as read now" (pages send the version they showed).
    static func change(_ finding: Finding, _ input: StatusInput, expectedVersion: Int?, req: Request) async throws {
        try await authorize(finding, req: req)
        let change = try check(input, rules: req.application.rules)
        if let expectedVersion, expectedVersion != finding.version { throw changedMeanwhile }
        let transition: FindingTransition
        do { transition = try FindingLifecycle.transition(from: finding.statusValue, to: change.to, input: change.input) }
        catch { throw appError(error, lang: req.lang) }
        let actor = req.auditActor
        let rules = req.application.rules
        let expected = finding.version
        try await req.write { db in
            try await apply(transition, to: finding, expectedVersion: expected, actor: actor, bulk: false, rules: rules, on: db)
            try await ObligationRefresher.refresh(systemIds: [finding.systemId], rules: rules, on: db)
        }
    }

    /// Several findings to one status: every one is checked first (all visible, all allowed to make the change);
    /// then all change in one transaction, each with its history entry and audit event. Findings already in the
    /// target status are left as they are (and counted). Returns (changed, unchanged).
    static func bulk(ids: [UUID], _ input: StatusInput, req: Request) async throws -> (changed: [Finding], unchanged: Int) {
        let subject = try req.requireSubject()
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { throw AppError.validation(FieldErrors(["ids": "findings.noneSelected"])) }
        guard unique.count <= 500 else { throw AppError.validation(FieldErrors(["ids": "findings.tooManySelected|500"])) }
        let findings = try await Finding.scoped(to: subject, on: req.db).filter(\.$id ~~ unique).all()
        // Any id the caller cannot read answers exactly as if it did not exist.
        guard findings.count == unique.count else { throw AppError.notFound }
        try await findings.followSystems(on: req.db)
        for finding in findings { try await authorize(finding, req: req) }
        let change = try check(input, rules: req.application.rules)
        var planned: [(Finding, FindingTransition, Int)] = []
        var unchanged = 0
        for finding in findings.sorted(by: { $0.title < $1.title }) {
            do {
                planned.append((finding, try FindingLifecycle.transition(from: finding.statusValue, to: change.to, input: change.input), finding.version))
            } catch {
                if case .unchanged = error { unchanged += 1; continue }
                throw appError(error, lang: req.lang, finding: finding)
            }
        }
        let actor = req.auditActor
        let rules = req.application.rules
        let work = planned
        try await req.write { db in
            for (finding, transition, version) in work {
                try await apply(transition, to: finding, expectedVersion: version, actor: actor, bulk: true, rules: rules, on: db)
            }
            try await ObligationRefresher.refresh(systemIds: Array(Set(work.map { $0.0.systemId })), rules: rules, on: db)
        }
        return (planned.map(\.0), unchanged)
    }

    static let changedMeanwhile = AppError.conflict("finding_changed", messageKey: "findings.changedMeanwhile")

    /// Claims the row at `expectedVersion` (409 when someone changed it since), writes the new status fields, the
    /// history entry and the audit event. Inside the caller's transaction.
    static func apply(_ transition: FindingTransition, to finding: Finding, expectedVersion: Int, actor: AuditActor, bulk: Bool,
                      importId: UUID? = nil, rules: RuleBook, on db: any Database) async throws {
        let id = try finding.requireID()
        let sql = db as! any SQLDatabase
        let claimed = try await sql.raw("""
            UPDATE findings SET version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING version
            """).all()
        guard claimed.count == 1 else { throw changedMeanwhile }
        let before = snapshot(finding)
        set(transition, on: finding, rules: rules)
        finding.version = expectedVersion + 1
        try await finding.save(on: db)
        try await event(findingId: id, transition.action, from: transition.from, to: transition.to, note: transition.note, at: transition.at,
                        importId: importId, actor: actor, on: db)
        var details: [String: String]? = bulk ? ["bulk": "true"] : nil
        if let note = transition.note { details = (details ?? [:]).merging(["reason": String(note.prefix(500))]) { a, _ in a } }
        try await AuditLog.append(AuditEntry("finding.\(transition.action.rawValue)", recordType: recordType, recordId: id.uuidString,
                                             agencyId: finding.agencyId, before: before, after: snapshot(finding), details: details),
                                  by: actor, on: db)
    }

    /// The status fields after a transition. A finding that comes back after it was closed (verified, false
    /// positive, accepted risk) gets a new remediation deadline from that day; taking back "fixed" keeps the old one.
    static func set(_ transition: FindingTransition, on finding: Finding, rules: RuleBook) {
        finding.status = transition.to.rawValue
        finding.statusChangedAt = transition.at
        finding.resolution = transition.resolution.flatMap(encodeResolution)
        finding.closedAt = transition.closedAt
        finding.acceptedByName = transition.riskAcceptance?.approverName
        finding.acceptedReason = transition.riskAcceptance?.reason
        finding.acceptedUntil = transition.riskAcceptance?.acceptedUntil
        finding.falsePositiveReason = transition.falsePositiveReason
        if transition.to == .open, transition.from.isClosed {
            finding.dueAt = FindingLifecycle.remediationDeadline(firstSeen: transition.at, severity: finding.severity,
                                                                 rules: rules.proactiveObligations(at: transition.at))
        }
    }

    static func event(findingId: UUID, _ action: FindingEventAction, from: FindingStatus?, to: FindingStatus?, note: String?, at: Date,
                      importId: UUID?, actor: AuditActor, on db: any Database) async throws {
        let event = FindingEvent()
        event.findingId = findingId
        event.at = at
        event.action = action.rawValue
        event.fromStatus = from?.rawValue
        event.toStatus = to?.rawValue
        event.note = note.map { String($0.prefix(4000)) }
        event.importId = importId
        event.actorId = actor.userId
        event.actorName = String(actor.label.prefix(200))
        try await event.create(on: db)
    }

    static func snapshot(_ f: Finding) -> [String: String?] {
        ["status": f.status, "resolution": f.resolution, "acceptedByName": f.acceptedByName, "acceptedReason": f.acceptedReason,
         "acceptedUntil": f.acceptedUntil.map(DisplayTime.isoDay), "falsePositiveReason": f.falsePositiveReason,
         "dueAt": f.dueAt.map(DisplayTime.isoDay)]
    }

    // MARK: resolution text

    static func encodeResolution(_ text: LocalizedText) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The stored resolution in the reader's language.
    static func resolution(_ stored: String?, lang: Lang) -> String? {
        guard let stored else { return nil }
        if let text = try? JSONDecoder().decode(LocalizedText.self, from: Data(stored.utf8)) { return text.text(lang) }
        return stored
    }

    // MARK: expiry of accepted risks

    /// Reopens every finding whose accepted risk has ended (the day after its last accepted day, Vietnam time), with
    /// its history entry and an audit event each, and refreshes the duties of their systems. Run hourly by the
    /// `findings.expiry` schedule. Returns how many reopened.
    static func expireAcceptedRisks(app: Application, now: Date = Date()) async throws -> Int {
        let rules = app.rules
        let startOfToday = ObligationCalendar.calendar.startOfDay(for: now)
        let actor = AuditActor.system("findings.expiry")
        var total = 0
        // In batches, so a backlog never sits in memory or in one long transaction.
        while true {
            let due = try await Finding.query(on: app.db).filter(\.$status == FindingStatus.acceptedRisk.rawValue)
                .filter(\.$acceptedUntil < startOfToday).sort(\.$acceptedUntil).limit(200).all()
            if due.isEmpty { break }
            let reopened = try await app.write { db -> Int in
                var count = 0
                for finding in due {
                    guard let transition = FindingLifecycle.riskExpiry(finding.statusValue, acceptedUntil: finding.acceptedUntil, now: now) else { continue }
                    do {
                        try await apply(transition, to: finding, expectedVersion: finding.version, actor: actor, bulk: false, rules: rules, on: db)
                        count += 1
                    } catch let error as AppError where error.code == "finding_changed" {
                        continue  // changed by someone meanwhile; the next run looks again
                    }
                }
                try await ObligationRefresher.refresh(systemIds: Array(Set(due.map(\.systemId))), rules: rules, on: db)
                return count
            }
            total += reopened
            if reopened == 0 { break }
        }
        return total
    }
}
