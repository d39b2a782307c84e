import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/drills`, their state and their follow-up tasks.
enum DrillsAPIController {
    static func list(req: Request) async throws -> Paged<DrillDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = Drill.scoped(to: subject, on: req.db).sort(\.$plannedOn, .descending)
        if let raw = req.query[String.self, at: "state"] {
            guard let state = DrillState(rawValue: raw) else { throw AppError.validation(FieldErrors(["state": "validation.unknownValue"])) }
            query.filter(\.$state == state)
        }
        if let raw = req.query[String.self, at: "systemId"] {
            guard let sid = UUID(uuidString: raw) else { throw AppError.validation(FieldErrors(["systemId": "validation.invalidId"])) }
            query.filter(\.$id ~~ (try await DrillSystem.query(on: req.db).filter(\.$systemId == sid).all().map(\.drillId)))
        }
        let (items, total) = try await params.apply(query)
        let links = items.isEmpty ? [] : try await DrillSystem.query(on: req.db).filter(\.$drillId ~~ items.compactMap(\.id)).all()
        let bySystem = Dictionary(grouping: links, by: \.drillId)
        return Paged(items: items.map { DrillDTO($0, systemIds: (bySystem[$0.id!] ?? []).map(\.systemId), tasks: nil) },
                     total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> DrillDTO {
        try await dto(try await DrillService.find(req), on: req.db)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(DrillWriteDTO.self)
        let drill = try await DrillService.create(body.merged(into: DrillInput()), req: req)
        let response = Response(status: .created)
        try response.content.encode(try await dto(drill, on: req.db))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.drills(.drill(.value(drill.id!)))).path)
        return response
    }

    static func update(req: Request) async throws -> DrillDTO {
        let drill = try await DrillService.find(req)
        let body = try req.content.decode(DrillWriteDTO.self)
        var base = DrillInput(drill, systemIds: try await DrillService.systemIds(of: drill.requireID(), on: req.db))
        base.version = nil
        return try await dto(try await DrillService.update(drill, with: body.merged(into: base), req: req), on: req.db)
    }

    /// `{"state":"executed","executedOn":"2026-11-20","findings":"…"}` as JSON; `report_filed` takes a multipart body with the report.
    static func state(req: Request) async throws -> DrillDTO {
        let drill = try await DrillService.find(req)
        let input = try req.content.decode(DrillStateInput.self)
        try await DrillService.transition(drill, with: input, req: req)
        guard let fresh = try await Drill.find(drill.id, on: req.db) else { throw AppError.notFound }
        return try await dto(fresh, on: req.db)
    }

    static func tasks(req: Request) async throws -> [TaskDTO] {
        let drill = try await DrillService.find(req)
        return try await TaskService.list(subjectKind: DrillService.taskSubject, subjectId: drill.requireID(), on: req.db).map(TaskDTO.init)
    }

    static func addTask(req: Request) async throws -> Response {
        let drill = try await DrillService.find(req)
        let task = try await DrillService.addTask(try req.content.decode(TaskInput.self), to: drill, req: req)
        let response = Response(status: .created)
        try response.content.encode(TaskDTO(task))
        return response
    }

    /// PATCH: `version` required; `done` true/false completes or reopens; `assigneeId` (null unassigns) assigns;
    /// `title`/`details`/`dueAt` change the task. One kind of change per request.
    static func updateTask(req: Request) async throws -> TaskDTO {
        let drill = try await DrillService.find(req)
        guard let tid = req.parameters.get("tid", as: UUID.self) else { throw AppError.notFound }
        let input = try req.content.decode(TaskInput.self)
        let raw = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        let keys = Set(((try? JSONSerialization.jsonObject(with: raw)) as? [String: Any])?.keys.map { $0 } ?? [])
        let action: String
        if let explicit = input.action { action = explicit }
        else if let done = input.done { action = done ? "complete" : "reopen" }
        else if keys.contains("assigneeId") && !keys.contains("title") { action = "assign" }
        else { action = "update" }
        var merged = input
        if action == "update", let task = try await TaskService.find(tid, subjectKind: DrillService.taskSubject, subjectId: drill.requireID(), on: req.db) {
            if !keys.contains("title") { merged.title = task.title }
            if !keys.contains("details") { merged.details = task.details }
            if !keys.contains("dueAt") { merged.dueAt = task.dueAt.map(DisplayTime.isoDay) }
            if !keys.contains("phase") { merged.phase = task.phase }
            merged.assigneeId = nil
        }
        return TaskDTO(try await DrillService.changeTask(tid, of: drill, input: merged, action: action, req: req))
    }

    static func dto(_ drill: Drill, on db: any Database) async throws -> DrillDTO {
        let id = try drill.requireID()
        return DrillDTO(drill, systemIds: try await DrillService.systemIds(of: id, on: db),
                        tasks: try await TaskService.list(subjectKind: DrillService.taskSubject, subjectId: id, on: db))
    }
}
