import Foundation
import Domain
import Fluent
import Vapor

/// Drill pages.
enum DrillsController {
    static func index(req: Request) async throws -> Page {
        DrillsIndex.View(req: req, model: try await DrillsIndex.query(subject: try req.requireSubject(),
                                                                    systemId: req.query[String.self, at: "systemId"].flatMap(UUID.init(uuidString:)), on: req.db)).render()
    }

    static func show(req: Request) async throws -> Page {
        try await showPage(req: req, drill: try await DrillService.find(req))
    }

    static func new(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        var input = DrillInput()
        input.agencyId = req.query[String.self, at: "agencyId"] ?? subject.agencyId?.uuidString.lowercased()
        if let system = req.query[String.self, at: "systemId"] { input.systemIds = [system] }
        input.kind = DrillKind.realCombat.rawValue
        return try await form(req: req, drill: nil, input: input, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(DrillInput.self)
        do {
            let drill = try await DrillService.create(input, req: req)
            return req.redirect(to: SiteURL.drills(.show(.value(drill.id!))).path(query: ["done": "drillCreated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, drill: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func edit(req: Request) async throws -> Page {
        let drill = try await DrillService.find(req)
        try await req.authorize(.recordDrills, .owned(agencyId: drill.agencyId), readAction: .viewResponse, recordType: "drill", recordId: drill.requireID())
        return try await form(req: req, drill: drill, input: DrillInput(drill, systemIds: try await DrillService.systemIds(of: drill.requireID(), on: req.db)),
                              errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let drill = try await DrillService.find(req)
        var input = try req.content.decode(DrillInput.self)
        do {
            _ = try await DrillService.update(drill, with: input, req: req)
            return req.redirect(to: SiteURL.drills(.show(.value(drill.id!))).path(query: ["done": "drillUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "drill_changed" {
            if error.code == "drill_changed" { input.version = drill.version }
            let fields = error.code == "drill_changed" ? ["form": error.messageKey] : error.fields
            return try await form(req: req, drill: drill, input: input, errors: fields, status: error.status).encodeResponse(for: req)
        }
    }

    static func state(req: Request) async throws -> Response {
        let drill = try await DrillService.find(req)
        let input = try req.content.decode(DrillStateInput.self)
        do {
            try await DrillService.transition(drill, with: input, req: req)
            return req.redirect(to: SiteURL.drills(.show(.value(drill.id!))).path(query: ["done": "drillStateChanged"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "drill_changed" {
            let fields = error.code == "drill_changed" ? ["form": error.messageKey] : error.fields
            var page = try await showPage(req: req, drill: drill, stateErrors: fields)
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    static func addTask(req: Request) async throws -> Response {
        let drill = try await DrillService.find(req)
        let input = try req.content.decode(TaskInput.self)
        do {
            _ = try await DrillService.addTask(input, to: drill, req: req)
            return req.redirect(to: SiteURL.drills(.show(.value(drill.id!))).path(query: ["done": "drillTaskAdded"]) + "#drill-tasks")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var page = try await showPage(req: req, drill: drill, taskInput: input, taskErrors: error.fields)
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func changeTask(req: Request) async throws -> Response {
        let drill = try await DrillService.find(req)
        guard let tid = req.parameters.get("tid", as: UUID.self) else { throw AppError.notFound }
        let input = try req.content.decode(TaskInput.self)
        do {
            _ = try await DrillService.changeTask(tid, of: drill, input: input, action: input.action ?? "update", req: req)
            return req.redirect(to: SiteURL.drills(.show(.value(drill.id!))).path(query: ["done": "drillTaskUpdated"]) + "#drill-tasks")
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "task_changed" {
            var page = try await showPage(req: req, drill: drill, taskErrors: error.code == "task_changed" ? ["form": error.messageKey] : error.fields)
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    // MARK: helpers

    private static func showPage(req: Request, drill: Drill, stateErrors: [String: String] = [:], taskInput: TaskInput = TaskInput(),
                                 taskErrors: [String: String] = [:]) async throws -> Page {
        let subject = try req.requireSubject()
        let id = try drill.requireID()
        let systemIds = try await DrillService.systemIds(of: id, on: req.db)
        let tasks = try await TaskService.list(subjectKind: DrillService.taskSubject, subjectId: id, on: req.db)
        let people = try await User.scoped(to: subject, on: req.db).filter(\.$id ~~ tasks.compactMap(\.assigneeId)).all()
        let assignable = try await User.scoped(to: subject, on: req.db).filter(\.$status == .active).sort(\.$name).range(0..<500).all()
        let model = DrillShowView.Model(
            drill: drill, agency: try await Agency.find(drill.agencyId, on: req.db),
            systems: try await InformationSystem.scoped(to: subject, on: req.db).filter(\.$id ~~ systemIds).sort(\.$code).all(),
            files: try await StoredFileService.files(recordType: DrillService.reportRecordType, recordIds: [id], on: req.db)[id] ?? [],
            tasks: tasks, people: Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.name) }), assignable: assignable,
            library: req.application.rules.scenarios())
        return DrillShowView(req: req, model: model, stateErrors: stateErrors, taskInput: taskInput, taskErrors: taskErrors).render()
    }

    private static func form(req: Request, drill: Drill?, input: DrillInput, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let agencies = try await SystemsController.agencyChoices(subject: subject, req: req, editable: false)
            .filter { Policy.can(subject, .recordDrills, .owned(agencyId: $0.id)) }
        let query = InformationSystem.scoped(to: subject, on: req.db).sort(\.$code)
        if let agency = drill?.agencyId ?? input.agencyId.flatMap(UUID.init(uuidString:)) {
            query.filter(\.$agency.$id ~~ Array(try await AgencyTreeQuery.tree(on: req.db).subtree(of: agency)))
        }
        var page = DrillFormView(req: req, drill: drill, input: input, errors: errors, agencies: agencies, systems: try await query.all(),
                                 library: req.application.rules.scenarios()).render()
        page.status = status
        return page
    }
}
