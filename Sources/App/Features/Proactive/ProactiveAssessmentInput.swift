import Foundation
import Domain
import Fluent
import Vapor

/// A scan or hunt as typed in the form (multipart, with report files) or sent to the API.
struct ProactiveAssessmentInput: Content {
    var systemId: String?
    var kind: String?
    var state: String?
    var performerKind: String?
    var performer: String?
    var startedAt: String?
    var finishedAt: String?
    var tool: String?
    var scope: String?
    var method: String?
    var summary: String?
    var findingsCount: String?
    var version: Int?
    var files: [File]?

    init() {}

    /// The record as the form shows it (days), or with `precise` as the API keeps it (instants), so a PATCH that leaves
    /// the dates out does not round them to the day.
    init(_ a: ProactiveAssessment, precise: Bool = false) {
        func day(_ date: Date) -> String { precise ? ISO8601DateFormatter().string(from: date) : DisplayTime.isoDay(date) }
        systemId = a.systemId.uuidString.lowercased()
        kind = a.kind
        state = a.state
        performerKind = a.performerKind
        performer = a.performer
        startedAt = day(a.startedAt)
        finishedAt = a.finishedAt.map(day)
        tool = a.tool
        scope = a.scope
        method = a.method
        summary = a.summary
        findingsCount = String(a.findingsCount)
        version = a.version
    }

    /// The states a person records; `running` belongs to the built-in scan while it runs.
    static let recordableStates = ["completed", "failed", "cancelled"]

    struct Valid: Sendable {
        var system: InformationSystem
        var kind: AssessmentKind
        var state: String
        var performerKind: AssessmentPerformer
        var performer: String
        var startedAt: Date
        var finishedAt: Date?
        var tool: String?
        var scope: String?
        var method: String?
        var summary: String?
        var findingsCount: Int
    }

    /// Checks every field at once. The system must be one the subject may record for (a system they cannot see is
    /// "unknown", never "not yours", so nothing leaks about other agencies). `existing` is the record being edited:
    /// its system stays, and the kind of an imported scan stays what the import made it.
    func validate(subject: Subject, existing: ProactiveAssessment? = nil, now: Date = Date(), on db: any Database) async throws -> Valid {
        var check = InputChecker()
        var system: InformationSystem?
        if let existing {
            system = try await InformationSystem.find(existing.systemId, on: db)
        } else if let id = check.uuid("systemId", systemId, required: true) {
            system = try await InformationSystem.visible(id, to: subject, on: db)
            if system == nil { check.fail("systemId", "proactive.unknownSystem") }
        }
        if let system, !Policy.can(subject, .recordAssessments, .owned(agencyId: system.$agency.id)) {
            check.fail("systemId", "proactive.notYours")
        }
        let kind = check.choice("kind", kind, as: AssessmentKind.self)
        if let existing, existing.source != "manual", let kind, kind.rawValue != existing.kind { check.fail("kind", "proactive.kindFixed") }
        let state = Validators.trimmed(state)
        if state.isEmpty { check.fail("state", "validation.required") }
        else if !Self.recordableStates.contains(state) { check.fail("state", "validation.unknownValue") }
        let performerKind = check.choice("performerKind", performerKind, as: AssessmentPerformer.self)
        let performer = check.requiredText("performer", performer, max: 300)
        let started = Self.moment("startedAt", startedAt, required: true, now: now, check: &check)
        let finished = Self.moment("finishedAt", finishedAt, required: state == "completed", now: now, check: &check)
        if let started, let finished, finished < started { check.fail("finishedAt", "proactive.finishedBeforeStart") }
        let tool = check.optionalText("tool", tool, max: 300)
        let scope = check.optionalText("scope", scope, max: 4000)
        var method: String?
        let rawMethod = Validators.trimmed(self.method)
        if !rawMethod.isEmpty {
            if let m = AssessmentMethod(rawValue: rawMethod) {
                if let kind, m.kind != kind { check.fail("method", "proactive.methodKind") } else { method = m.rawValue }
            } else if let existing, existing.method == rawMethod {
                method = rawMethod // a method an import wrote in its own words stays as it is
            } else {
                check.fail("method", "validation.unknownValue")
            }
        }
        let summary = check.optionalText("summary", summary, max: 16000)
        var count = 0
        let rawCount = Validators.trimmed(findingsCount)
        if !rawCount.isEmpty {
            if let n = Int(rawCount) {
                if (0...10_000_000).contains(n) { count = n } else { check.fail("findingsCount", "validation.outOfRange") }
            } else {
                check.fail("findingsCount", "validation.notNumber")
            }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(system: system!, kind: kind!, state: state, performerKind: performerKind!, performer: performer, startedAt: started!,
                     finishedAt: finished, tool: tool, scope: scope, method: method, summary: summary, findingsCount: count)
    }

    /// A day (`yyyy-MM-dd`, `dd/MM/yyyy`: the start of that day in Vietnam) or an instant (ISO 8601, `yyyy-MM-ddTHH:mm`);
    /// never later than now.
    static func moment(_ field: String, _ raw: String?, required: Bool, now: Date, check: inout InputChecker) -> Date? {
        let value = Validators.trimmed(raw)
        if value.isEmpty {
            if required { check.fail(field, "validation.required") }
            return nil
        }
        let parsed = value.contains("T") || value.contains(":") ? DisplayTime.parseInstant(value) : DisplayTime.parseDay(value)
        guard let date = parsed else { check.fail(field, "validation.invalidDate"); return nil }
        if date > now.addingTimeInterval(300) { check.fail(field, "validation.futureDate"); return nil }
        return date
    }
}

/// A scan or hunt in a JSON body; on PATCH fields left out keep their values.
struct ProactiveAssessmentWriteDTO: Content {
    var systemId: String?
    var kind: String?
    var state: String?
    var performerKind: String?
    var performer: String?
    var startedAt: String?
    var finishedAt: String?
    var tool: String?
    var scope: String?
    var method: String?
    var summary: String?
    var findingsCount: Int?
    var version: Int?

    func merged(into base: ProactiveAssessmentInput) -> ProactiveAssessmentInput {
        var i = base
        if let systemId { i.systemId = systemId }
        if let kind { i.kind = kind }
        if let state { i.state = state }
        if let performerKind { i.performerKind = performerKind }
        if let performer { i.performer = performer }
        if let startedAt { i.startedAt = startedAt }
        if let finishedAt { i.finishedAt = finishedAt }
        if let tool { i.tool = tool }
        if let scope { i.scope = scope }
        if let method { i.method = method }
        if let summary { i.summary = summary }
        if let findingsCount { i.findingsCount = String(findingsCount) }
        if let version { i.version = version }
        return i
    }
}
