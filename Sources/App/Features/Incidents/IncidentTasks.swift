import Foundation
import Domain
import Fluent
import Vapor

/// The response tasks of a case: added by hand or taken from the matching scenario of the system's plan.
enum IncidentTasks {
    struct TaskForm: Content, Sendable {
        var title: String?
        var phase: String?
        var assigneeId: String?
        var dueAt: String?
        /// Take every remaining step of the matching scenario as tasks.
        var fromScenario: String?
    }

    struct TaskAction: Content, Sendable {
        var version: Int?
        /// complete, reopen, assign, update
        var action: String?
        var assigneeId: String?
        var title: String?
        var dueAt: String?
    }

    static func create(_ incident: Incident, _ form: TaskForm, req: Request) async throws {
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        let id = try incident.requireID()
        let actor = req.auditActor
        let notifier = req.notifier
        let userId = try req.requireUser().id
        if SystemInput.flag(form.fromScenario) {
            let systemIds = try await IncidentSystem.query(on: req.db).filter(\.$incidentId == id).all().map(\.systemId)
            let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: req.db).filter(\.$id ~~ systemIds).all()
            let existing = try await TaskService.list(subjectKind: "incident", subjectId: id, on: req.db)
            let steps = try await IncidentScenarios.suggestions(for: incident, systems: systems, existing: existing,
                                                                rules: req.application.rules, on: req.db)
            guard !steps.isEmpty else { throw AppError.validation(FieldErrors(["form": "incidents.noScenarioSteps"])) }
            try await req.write { db in
                for step in steps {
                    try await TaskService.create(TaskService.Draft(agencyId: incident.agencyId, subjectKind: "incident", subjectId: id,
                                                                   phase: step.phase.rawValue, title: String(step.text.prefix(500)), source: step.source),
                                                 createdBy: userId, actor: actor, on: db)
                }
                try await IncidentTimeline.append(id, .task, IncidentTimeline.msg("timeline.scenarioTasks", String(steps.count), steps[0].origin), actor: actor, on: db)
            }
            return
        }
        var check = InputChecker()
        let title = check.requiredText("title", form.title, max: 500)
        let phase = Validators.trimmed(form.phase).isEmpty ? nil : check.choice("phase", form.phase, as: ResponsePhase.self)
        let assignee = try await checkAssignee(form.assigneeId, incident: incident, check: &check, on: req.db)
        var due: Date?
        if !Validators.trimmed(form.dueAt).isEmpty {
            due = DisplayTime.parseDay(Validators.trimmed(form.dueAt))
            if due == nil { check.fail("dueAt", "validation.invalidDate") }
        }
        guard check.errors.isEmpty else { throw AppError.validation(check.errors) }
        let dueAt = due
        try await req.write { db in
            try await TaskService.create(TaskService.Draft(agencyId: incident.agencyId, subjectKind: "incident", subjectId: id, phase: phase?.rawValue,
                                                           title: title, assigneeId: assignee, dueAt: dueAt), createdBy: userId, actor: actor, on: db)
            try await IncidentTimeline.append(id, .task, IncidentTimeline.msg("timeline.taskAdded", title), actor: actor, on: db)
            if let assignee { try await IncidentNotifications.assignment(notifier, incident, userId: assignee, actorId: actor.userId, on: db) }
        }
    }

    static func checkAssignee(_ raw: String?, incident: Incident, check: inout InputChecker, on db: any Database) async throws -> UUID? {
        let text = Validators.trimmed(raw)
        guard !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text),
              try await IncidentHandling.assignable(for: incident, on: db).contains(where: { $0.id == id }) else {
            check.fail("assigneeId", "incidents.notAssignable")
            return nil
        }
        return id
    }

    static func update(_ incident: Incident, _ form: TaskAction, req: Request) async throws {
        try await IncidentService.authorize(.handleIncident, incident, req: req)
        let id = try incident.requireID()
        guard let tid = req.parameters.get("tid", as: UUID.self),
              let task = try await TaskService.find(tid, subjectKind: "incident", subjectId: id, on: req.db) else { throw AppError.notFound }
        guard let version = form.version else { throw AppError.validation(FieldErrors(["version": "validation.required"])) }
        var check = InputChecker()
        let action = Validators.trimmed(form.action)
        let assignee = ["assign", "edit"].contains(action) ? try await checkAssignee(form.assigneeId, incident: incident, check: &check, on: req.db) : nil
        var dueDay: Date?
        if action == "edit", !Validators.trimmed(form.dueAt).isEmpty {
            dueDay = DisplayTime.parseDay(Validators.trimmed(form.dueAt))
            if dueDay == nil { check.fail("dueAt", "validation.invalidDate") }
        }
        guard check.errors.isEmpty else { throw AppError.validation(check.errors) }
        let due = dueDay
        let actor = req.auditActor
        let notifier = req.notifier
        let userId = try req.requireUser().id
        try await req.write { db in
            switch action {
            case "complete":
                _ = try await TaskService.complete(tid, expectedVersion: version, by: userId, actor: actor, on: db)
                try await IncidentTimeline.append(id, .task, IncidentTimeline.msg("timeline.taskDone", task.title), actor: actor, on: db)
            case "reopen":
                _ = try await TaskService.reopen(tid, expectedVersion: version, actor: actor, on: db)
                try await IncidentTimeline.append(id, .task, IncidentTimeline.msg("timeline.taskReopened", task.title), actor: actor, on: db)
            case "edit":
                var changed = try await TaskService.assign(tid, to: assignee, expectedVersion: version, actor: actor, on: db)
                if changed.dueAt != due {
                    changed = try await TaskService.update(tid, expectedVersion: changed.version, changes: .init(dueAt: .some(due)), actor: actor, on: db)
                }
                try await IncidentTimeline.append(id, .task, IncidentTimeline.msg("timeline.taskAssigned", task.title), actor: actor, on: db)
                if let assignee, assignee != task.assigneeId {
                    try await IncidentNotifications.assignment(notifier, incident, userId: assignee, actorId: actor.userId, on: db)
                }
            case "assign":
                _ = try await TaskService.assign(tid, to: assignee, expectedVersion: version, actor: actor, on: db)
                try await IncidentTimeline.append(id, .task, IncidentTimeline.msg("timeline.taskAssigned", task.title), actor: actor, on: db)
                if let assignee { try await IncidentNotifications.assignment(notifier, incident, userId: assignee, actorId: actor.userId, on: db) }
            default:
                throw AppError.validation(FieldErrors(["action": "validation.unknownValue"]))
            }
        }
    }
}
