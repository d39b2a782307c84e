import Foundation
import Domain
import Fluent
import Vapor

/// A task as typed in a form or sent to the API. `version` is the version the client last saw.
struct TaskInput: Content {
    var title: String?
    var details: String?
    var dueAt: String?
    var assigneeId: String?
    var phase: String?
    var version: Int?
    /// Form and API actions on an existing task: "update", "assign", "complete", "reopen".
    var action: String?
    /// API: true completes, false reopens.
    var done: Bool?

    struct Valid: Sendable {
        var title: String
        var details: String?
        var dueAt: Date?
        var assigneeId: UUID?
        var phase: String?
    }

    /// Checks the fields; an assignee must be an active user the subject may see.
    func validate(subject: Subject, on db: any Database) async throws -> Valid {
        var check = InputChecker()
        let title = check.requiredText("title", title, max: 300)
        let details = check.optionalText("details", details, max: 4000)
        var due: Date?
        if let raw = dueAt, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            due = DisplayTime.parseDay(raw)
            if due == nil { check.fail("dueAt", "validation.invalidDate") }
        }
        let assignee = check.uuid("assigneeId", assigneeId, required: false)
        if let assignee, try await TaskInput.assignable(assignee, subject: subject, on: db) == false {
            check.fail("assigneeId", "tasks.unknownAssignee")
        }
        var phase: String?
        if let raw = self.phase?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if ResponsePhase(rawValue: raw) == nil { check.fail("phase", "validation.unknownValue") } else { phase = raw }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(title: title, details: details, dueAt: due, assigneeId: assignee, phase: phase)
    }

    static func assignable(_ id: UUID, subject: Subject, on db: any Database) async throws -> Bool {
        guard let user = try await User.scoped(to: subject, on: db).filter(\.$id == id).first() else { return false }
        return user.status == .active
    }

    /// The version sent, or a validation error naming the field.
    func requireVersion() throws -> Int {
        guard let version else { throw AppError.validation(FieldErrors(["version": "validation.required"])) }
        return version
    }
}

/// A task in the API.
struct TaskDTO: Content {
    var id: UUID
    var subjectKind: String
    var subjectId: UUID
    var phase: String?
    var title: String
    var details: String?
    var assigneeId: UUID?
    var dueAt: Date?
    var doneAt: Date?
    var doneById: UUID?
    var source: String?
    var createdById: UUID?
    var createdAt: Date?
    var updatedAt: Date?
    var version: Int

    init(_ t: ActionTask) {
        id = t.id!
        subjectKind = t.subjectKind
        subjectId = t.subjectId
        phase = t.phase
        title = t.title
        details = t.details
        assigneeId = t.assigneeId
        dueAt = t.dueAt
        doneAt = t.doneAt
        doneById = t.doneById
        source = t.source
        createdById = t.createdById
        createdAt = t.createdAt
        updatedAt = t.updatedAt
        version = t.version
    }
}
