import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Drills: planning, recording, state changes and follow-up tasks. Executed drills count for DRILL_OVERDUE, so the
/// covered systems' duties are refreshed in the same transaction as each change.
enum DrillService {
    static let reportRecordType = "drill_report"
    static let taskSubject = "drill"

    static func create(_ input: DrillInput, req: Request) async throws -> Drill {
        let valid = try await input.validate(subject: try req.requireSubject(), library: req.application.rules.scenarios(), on: req.db)
        let actor = req.auditActor
        let rules = req.application.rules
        return try await req.write { db in
            let drill = Drill()
            apply(valid, to: drill)
            drill.state = .planned
            drill.createdByName = actor.label
            drill.version = 1
            try await drill.create(on: db)
            let id = try drill.requireID()
            for sid in valid.systemIds { try await DrillSystem(drillId: id, systemId: sid).create(on: db) }
            try await AuditLog.append(AuditEntry("drill.create", recordType: "drill", recordId: id.uuidString, agencyId: drill.agencyId,
                                                 after: drill.auditSnapshot), by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: valid.systemIds, rules: rules, on: db)
            return drill
        }
    }

    static func update(_ drill: Drill, with input: DrillInput, req: Request) async throws -> Drill {
        let id = try drill.requireID()
        try await req.authorize(.recordDrills, .owned(agencyId: drill.agencyId), readAction: .viewResponse, recordType: "drill", recordId: id)
        if let opened = input.version, opened != drill.version { throw AppError.conflict("drill_changed", messageKey: "drills.changedMeanwhile") }
        let valid = try await input.validate(subject: try req.requireSubject(), library: req.application.rules.scenarios(), on: req.db)
        let actor = req.auditActor
        let rules = req.application.rules
        let before = drill.auditSnapshot
        let expected = drill.version
        try await req.write { db in
            try await claim(id, expected: expected, on: db)
            let old = try await systemIds(of: id, on: db)
            apply(valid, to: drill)
            drill.version = expected + 1
            try await drill.save(on: db)
            try await DrillSystem.query(on: db).filter(\.$drillId == id).delete()
            for sid in valid.systemIds { try await DrillSystem(drillId: id, systemId: sid).create(on: db) }
            try await AuditLog.append(AuditEntry("drill.update", recordType: "drill", recordId: id.uuidString, agencyId: drill.agencyId,
                                                 before: before, after: drill.auditSnapshot), by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: Array(Set(old + valid.systemIds)), rules: rules, on: db)
        }
        return drill
    }

    /// planned → executed (day required, not in the future), executed → report_filed (a report document required).
    static func transition(_ drill: Drill, with input: DrillStateInput, req: Request) async throws {
        let id = try drill.requireID()
        try await req.authorize(.recordDrills, .owned(agencyId: drill.agencyId), readAction: .viewResponse, recordType: "drill", recordId: id)
        var check = InputChecker()
        let target = check.choice("state", input.state, as: DrillState.self)
        if let target, drill.state.next != target { check.fail("state", "drills.badTransition") }
        var executedOn: Date?
        if target == .executed {
            executedOn = check.responseDay("executedOn", input.executedOn, required: true)
            if let day = executedOn, day > Date() { check.fail("executedOn", "validation.futureDate") }
        }
        let findings = check.optionalText("findings", input.findings, max: 16000)
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        if target == .reportFiled, files.isEmpty,
           try await StoredFile.query(on: req.db).filter(\.$recordType == reportRecordType).filter(\.$recordId == id).count() == 0 {
            check.fail("files", "drills.reportRequired")
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        let expected = input.version ?? drill.version
        let before = drill.auditSnapshot
        let executedDay = executedOn
        try await req.write { db in
            try await claim(id, expected: expected, on: db)
            drill.state = target!
            if let executedDay { drill.executedOn = executedDay }
            if let findings { drill.findings = findings }
            if target == .reportFiled { drill.reportFiledAt = Date() }
            drill.version = expected + 1
            try await drill.save(on: db)
            _ = try await StoredFileService.record(files, recordType: reportRecordType, recordId: id, agencyId: drill.agencyId, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("drill.\(target!.rawValue)", recordType: "drill", recordId: id.uuidString, agencyId: drill.agencyId,
                                                 before: before, after: drill.auditSnapshot), by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: try await systemIds(of: id, on: db), rules: rules, on: db)
        }
    }

    // MARK: tasks

    static func addTask(_ input: TaskInput, to drill: Drill, req: Request) async throws -> ActionTask {
        let id = try drill.requireID()
        try await req.authorize(.recordDrills, .owned(agencyId: drill.agencyId), readAction: .viewResponse, recordType: "drill", recordId: id)
        let valid = try await input.validate(subject: try req.requireSubject(), on: req.db)
        let actor = req.auditActor
        let userId = req.currentUser?.id
        return try await req.write { db in
            try await TaskService.create(.init(agencyId: drill.agencyId, subjectKind: taskSubject, subjectId: id, phase: valid.phase, title: valid.title,
                                               details: valid.details, assigneeId: valid.assigneeId, dueAt: valid.dueAt),
                                         createdBy: userId, actor: actor, on: db)
        }
    }

    /// `action`: update (title, details, due), assign, complete, reopen; `version` is required.
    static func changeTask(_ taskId: UUID, of drill: Drill, input: TaskInput, action: String, req: Request) async throws -> ActionTask {
        let id = try drill.requireID()
        try await req.authorize(.recordDrills, .owned(agencyId: drill.agencyId), readAction: .viewResponse, recordType: "drill", recordId: id)
        guard try await TaskService.find(taskId, subjectKind: taskSubject, subjectId: id, on: req.db) != nil else { throw AppError.notFound }
        let version = try input.requireVersion()
        let subject = try req.requireSubject()
        let actor = req.auditActor
        let userId = req.currentUser?.id
        switch action {
        case "update":
            let valid = try await input.validate(subject: subject, on: req.db)
            return try await req.write { db in
                try await TaskService.update(taskId, expectedVersion: version,
                                             changes: .init(title: valid.title, details: .some(valid.details), dueAt: .some(valid.dueAt), phase: .some(valid.phase)),
                                             actor: actor, on: db)
            }
        case "assign":
            var check = InputChecker()
            let assignee = check.uuid("assigneeId", input.assigneeId, required: false)
            if let assignee, try await TaskInput.assignable(assignee, subject: subject, on: req.db) == false { check.fail("assigneeId", "tasks.unknownAssignee") }
            if !check.errors.isEmpty { throw AppError.validation(check.errors) }
            return try await req.write { db in try await TaskService.assign(taskId, to: assignee, expectedVersion: version, actor: actor, on: db) }
        case "complete":
            return try await req.write { db in try await TaskService.complete(taskId, expectedVersion: version, by: userId, actor: actor, on: db) }
        case "reopen":
            return try await req.write { db in try await TaskService.reopen(taskId, expectedVersion: version, actor: actor, on: db) }
        default:
            throw AppError.validation(FieldErrors(["action": "validation.unknownValue"]))
        }
    }

    // MARK: lookups

    static func find(_ req: Request) async throws -> Drill {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let drill = try await Drill.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return drill
    }

    static func systemIds(of drillId: UUID, on db: any Database) async throws -> [UUID] {
        try await DrillSystem.query(on: db).filter(\.$drillId == drillId).all().map(\.systemId)
    }

    private static func claim(_ id: UUID, expected: Int, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let rows = try await sql.update(Drill.schema).set("version", to: SQLBind(expected + 1)).where("id", .equal, SQLBind(id))
            .where("version", .equal, SQLBind(expected)).returning("id").all()
        guard !rows.isEmpty else { throw AppError.conflict("drill_changed", messageKey: "drills.changedMeanwhile") }
    }

    private static func apply(_ v: DrillInput.Valid, to d: Drill) {
        d.title = v.title
        d.kind = v.kind
        d.agencyId = v.agencyId
        d.plannedOn = v.plannedOn
        d.scenarioId = v.scenarioId
        d.scenarioText = v.scenarioText
        d.participants = v.participants
        d.findings = v.findings
    }
}
