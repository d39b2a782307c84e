import Foundation
import Domain
import Fluent
import Vapor

/// Information-system pages: registry, components, history.
enum SystemsController {
    static func index(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: SystemsIndex.filterKeys, sortKeys: SystemsIndex.sortKeys)
        let model = try await SystemsIndex.query(subject: subject, list: list, on: req.db)
        return SystemsIndex.View(req: req, model: model, list: list, agencies: try await agencyChoices(subject: subject, req: req, editable: false)).render()
    }

    static func new(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        let defaultAgency = req.query[String.self, at: "agencyId"] ?? (subject.role == .agencyOfficer ? subject.agencyId?.uuidString.lowercased() : nil)
        return try await form(req: req, system: nil, input: SystemInput(agencyId: defaultAgency), errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(SystemInput.self)
        do {
            let system = try await SystemService.create(input, req: req)
            return req.redirect(to: SiteURL.system(.value(system.id!)).path(query: ["done": "systemCreated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, system: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func show(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        let model = try await SystemShow.query(system: system, subject: try req.requireSubject(), on: req.db)
        return SystemShow.View(req: req, model: model).render()
    }

    static func edit(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: system.requireID())
        return try await form(req: req, system: system, input: SystemInput(system), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let input = try req.content.decode(SystemInput.self)
        do {
            _ = try await SystemService.update(system, with: input, req: req)
            return req.redirect(to: SiteURL.system(.value(system.id!)).path(query: ["done": "systemUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, system: system, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        } catch let error as AppError where error.code == "system_changed" {
            // Keep what was typed, say why, and offer the current revision to save on top of.
            var again = input
            again.revision = String(system.revision)
            return try await form(req: req, system: system, input: again, errors: ["form": error.messageKey], status: .conflict).encodeResponse(for: req)
        }
    }

    static func delete(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        try await SystemService.delete(system, req: req)
        return req.redirect(to: SiteURL.systems.path(query: ["done": "systemDeleted"]))
    }

    static func history(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        let revisions = try await SystemRevision.query(on: req.db).filter(\.$system.$id == system.requireID())
            .sort(\.$number, .descending).all()
        return SystemHistoryView(req: req, system: system, revisions: revisions).render()
    }

    // MARK: components

    static func addComponent(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let input = try req.content.decode(ComponentInput.self)
        do {
            _ = try await SystemService.addComponent(input, to: system, req: req)
            return req.redirect(to: SiteURL.system(.value(system.id!)).path(query: ["done": "componentAdded"]) + "#components")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let model = try await SystemShow.query(system: system, subject: try req.requireSubject(), on: req.db)
            var page = SystemShow.View(req: req, model: model, componentInput: input, componentErrors: error.fields).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func editComponent(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: system.requireID())
        let component = try await SystemService.findComponent(req, in: system)
        let input = ComponentInput(name: component.name, vendor: component.vendor, product: component.product, version: component.version,
                                   cpe: component.cpe, level: component.level.map(String.init))
        return ComponentFormView(req: req, system: system, component: component, input: input, errors: [:]).render()
    }

    static func updateComponent(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let component = try await SystemService.findComponent(req, in: system)
        let input = try req.content.decode(ComponentInput.self)
        do {
            try await SystemService.updateComponent(component, in: system, with: input, req: req)
            return req.redirect(to: SiteURL.system(.value(system.id!)).path(query: ["done": "componentUpdated"]) + "#components")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var page = ComponentFormView(req: req, system: system, component: component, input: input, errors: error.fields).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func deleteComponent(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let component = try await SystemService.findComponent(req, in: system)
        try await SystemService.deleteComponent(component, in: system, req: req)
        return req.redirect(to: SiteURL.system(.value(system.id!)).path(query: ["done": "componentDeleted"]) + "#components")
    }

    // MARK: helpers

    /// Agencies offered in filters (visible) or in the form (those the subject may add systems to), in tree order.
    static func agencyChoices(subject: Subject, req: Request, editable: Bool) async throws -> [(id: UUID, name: String, depth: Int)] {
        let visible = try await Agency.scoped(to: subject, on: req.db).all()
        return AgenciesIndex.treeOrder(visible)
            .filter { !editable || Policy.can(subject, .editSystems, .owned(agencyId: $0.0.id)) }
            .map { (id: $0.0.id!, name: $0.0.name, depth: $0.1) }
    }

    private static func form(req: Request, system: InformationSystem?, input: SystemInput, errors: [String: String],
                             status: HTTPResponseStatus = .ok) async throws -> Page {
        let agencies = try await agencyChoices(subject: try req.requireSubject(), req: req, editable: true)
        var page = SystemFormView(req: req, system: system, input: input, errors: errors, agencies: agencies).render()
        page.status = status
        return page
    }
}
