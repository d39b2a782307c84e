import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Follow-up tasks of any subject (`subjectKind` "drill", "incident", …). Knows nothing about the subject:
/// callers authorise, open the transaction (`req.write`) and pass its database; every change here is
/// audited in that transaction and guarded by the task's `version` (a stale version → 409 `task_changed`).
enum TaskService {
    struct Draft: Sendable {
        var agencyId: UUID?
        var subjectKind: String
        var subjectId: UUID
        var phase: String? = nil
        var title: String
        var details: String? = nil
        var assigneeId: UUID? = nil
        var dueAt: Date? = nil
        /// Where it came from, e.g. a scenario step id.
        var source: String? = nil
    }

    /// Fields to change; nil leaves a field as it is, `.some(nil)` clears it.
    struct Changes: Sendable {
        var title: String? = nil
        var details: String?? = nil
        var dueAt: Date?? = nil
        var phase: String?? = nil
    }

    static let conflict = AppError.conflict("task_changed", field: "version", messageKey: "tasks.changedMeanwhile")

    @discardableResult
    static func create(_ draft: Draft, createdBy: UUID?, actor: AuditActor, on db: any Database) async throws -> ActionTask {
        let task = ActionTask()
        task.agencyId = draft.agencyId
        task.subjectKind = draft.subjectKind
        task.subjectId = draft.subjectId
        task.phase = draft.phase
        task.title = draft.title
        task.details = draft.details
        task.assigneeId = draft.assigneeId
        task.dueAt = draft.dueAt
        task.source = draft.source
        task.createdById = createdBy
        task.version = 1
        try await task.create(on: db)
        try await AuditLog.append(AuditEntry("task.create", recordType: "task", recordId: task.id?.uuidString, agencyId: draft.agencyId,
                                             after: task.auditSnapshot, details: ["subject": "\(draft.subjectKind):\(draft.subjectId.uuidString)"]),
                                  by: actor, on: db)
        return task
    }

    static func update(_ id: UUID, expectedVersion: Int, changes: Changes, actor: AuditActor, on db: any Database) async throws -> ActionTask {
        try await mutate(id, expectedVersion: expectedVersion, action: "task.update", actor: actor, on: db) { task in
            if let title = changes.title { task.title = title }
            if let details = changes.details { task.details = details }
            if let dueAt = changes.dueAt { task.dueAt = dueAt }
            if let phase = changes.phase { task.phase = phase }
        }
    }

    /// `assignee` nil unassigns.
    static func assign(_ id: UUID, to assignee: UUID?, expectedVersion: Int, actor: AuditActor, on db: any Database) async throws -> ActionTask {
        try await mutate(id, expectedVersion: expectedVersion, action: "task.assign", actor: actor, on: db) { $0.assigneeId = assignee }
    }

    static func complete(_ id: UUID, expectedVersion: Int, by userId: UUID?, actor: AuditActor, on db: any Database,
                         now: Date = Date()) async throws -> ActionTask {
        try await mutate(id, expectedVersion: expectedVersion, action: "task.complete", actor: actor, on: db) { task in
            if task.doneAt == nil {
                task.doneAt = now
                task.doneById = userId
            }
        }
    }

    static func reopen(_ id: UUID, expectedVersion: Int, actor: AuditActor, on db: any Database) async throws -> ActionTask {
        try await mutate(id, expectedVersion: expectedVersion, action: "task.reopen", actor: actor, on: db) { task in
            task.doneAt = nil
            task.doneById = nil
        }
    }

    /// The tasks of one subject, open ones first, then by due date.
    static func list(subjectKind: String, subjectId: UUID, on db: any Database) async throws -> [ActionTask] {
        let rows = try await ActionTask.query(on: db).filter(\.$subjectKind == subjectKind).filter(\.$subjectId == subjectId)
            .sort(\.$createdAt).all()
        return rows.sorted { a, b in
            if a.isDone != b.isDone { return !a.isDone }
            return (a.dueAt ?? .distantFuture) < (b.dueAt ?? .distantFuture)
        }
    }

    /// One task of the subject, or nil (a task of another subject is not found here).
    static func find(_ id: UUID, subjectKind: String, subjectId: UUID, on db: any Database) async throws -> ActionTask? {
        try await ActionTask.query(on: db).filter(\.$id == id).filter(\.$subjectKind == subjectKind).filter(\.$subjectId == subjectId).first()
    }

    /// Removes every task of a subject (when the subject is deleted).
    static func deleteAll(subjectKind: String, subjectId: UUID, on db: any Database) async throws {
        try await ActionTask.query(on: db).filter(\.$subjectKind == subjectKind).filter(\.$subjectId == subjectId).delete()
    }

    /// Loads, checks the version, applies `change`, and writes it only if nobody changed the row meanwhile
    /// (`UPDATE … WHERE version = expected RETURNING id`; on PostgreSQL the loser waits for the row lock, then matches nothing).
    private static func mutate(_ id: UUID, expectedVersion: Int, action: String, actor: AuditActor, on db: any Database,
                               _ change: (ActionTask) -> Void) async throws -> ActionTask {
        guard let task = try await ActionTask.find(id, on: db) else { throw AppError.notFound }
        guard task.version == expectedVersion else { throw conflict }
        let before = task.auditSnapshot
        change(task)
        let sql = db as! any SQLDatabase
        let now = Date()
        let rows = try await sql.update(ActionTask.schema)
            .set("title", to: SQLBind(task.title)).set("details", to: SQLBind(task.details)).set("phase", to: SQLBind(task.phase))
            .set("assignee_id", to: SQLBind(task.assigneeId)).set("due_at", to: SQLBind(task.dueAt))
            .set("done_at", to: SQLBind(task.doneAt)).set("done_by_id", to: SQLBind(task.doneById))
            .set("updated_at", to: SQLBind(now)).set("version", to: SQLBind(expectedVersion + 1))
            .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(expectedVersion))
            .returning("id").all()
        guard !rows.isEmpty else { throw conflict }
        task.version = expectedVersion + 1
        task.updatedAt = now
        try await AuditLog.append(AuditEntry(action, recordType: "task", recordId: id.uuidString, agencyId: task.agencyId,
                                             before: before, after: task.auditSnapshot), by: actor, on: db)
        return task
    }
}
