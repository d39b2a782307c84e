import Foundation
import Domain
import Fluent
import Vapor

/// Agency pages.
enum AgenciesController {
    static func index(req: Request) async throws -> Page {
        let list = ListQuery(req: req, filterKeys: AgenciesIndex.filterKeys, sortKeys: AgenciesIndex.sortKeys)
        let model = try await AgenciesIndex.query(subject: try req.requireSubject(), list: list, on: req.db)
        return AgenciesIndex.View(req: req, model: model, list: list).render()
    }

    static func show(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        let agency = try await AgencyService.find(req)
        let id = try agency.requireID()
        let parent = try await agency.$parent.id.asyncFlatMap { try await Agency.visible($0, to: subject, on: req.db) }
        let children = try await Agency.scoped(to: subject, on: req.db).filter(\.$parent.$id == id).sort(\.$name).all()
        let users = try await User.scoped(to: subject, on: req.db).filter(\.$agency.$id == id).count()
        var model = AgencyShowView.Model(agency: agency, parent: parent, children: children, userCount: users)
        if Policy.can(subject, .viewSystems) {
            let systems = try await InformationSystem.scoped(to: subject, on: req.db).filter(\.$agency.$id == id).sort(\.$code).all()
            model.systems = systems
            model.obligations = try await Obligation.scoped(to: subject, on: req.db).filter(\.$agencyId == id)
                .filter(\.$state ~~ [.overdue, .dueSoon]).sort(\.$dueAt).all()
        }
        return AgencyShowView(req: req, model: model).render()
    }

    static func new(req: Request) async throws -> Page {
        try await form(req: req, agency: nil, input: AgencyInput(parentId: req.query[String.self, at: "parentId"]), errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(AgencyInput.self)
        do {
            let agency = try await AgencyService.create(input, req: req)
            return req.redirect(to: SiteURL.agency(.value(agency.id!)).path(query: ["done": "agencyCreated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, agency: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func edit(req: Request) async throws -> Page {
        let agency = try await AgencyService.find(req)
        try await requireEditable(agency, req: req)
        let input = AgencyInput(code: agency.code, name: agency.name, kind: agency.kind.rawValue,
                                parentId: agency.$parent.id?.uuidString, address: agency.address,
                                contactPhone: agency.contactPhone, contactEmail: agency.contactEmail)
        return try await form(req: req, agency: agency, input: input, errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let agency = try await AgencyService.find(req)
        try await requireEditable(agency, req: req)
        let input = try req.content.decode(AgencyInput.self)
        do {
            _ = try await AgencyService.update(agency, with: input, req: req)
            return req.redirect(to: SiteURL.agency(.value(agency.id!)).path(query: ["done": "agencyUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, agency: agency, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func delete(req: Request) async throws -> Response {
        let agency = try await AgencyService.find(req)
        try await AgencyService.delete(agency, req: req)
        return req.redirect(to: SiteURL.agencies.path(query: ["done": "agencyDeleted"]))
    }

    static func export(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: AgenciesIndex.filterKeys, sortKeys: AgenciesIndex.sortKeys)
        var all = list
        all.per = 1_000_000
        all.page = 1
        let model = try await AgenciesIndex.query(subject: subject, list: all, on: req.db)
        let t = req.t
        let rows: [[String]] = model.rows.map { row in
            [row.code, row.name, t("agencyKind.\(row.kind.rawValue)"), row.parentName ?? "",
             row.address ?? "", row.contactPhone ?? "", row.contactEmail ?? ""]
        }
        try await req.audit(AuditEntry("export.agencies", details: ["rows": String(rows.count), "filters": list.filters.description]))
        let header = [t("field.code"), t("field.name"), t("field.kind"), t("field.parent"), t("field.address"),
                      t("field.contactPhone"), t("field.contactEmail")]
        return CSV.response(CSV.render(header: header, rows: rows), filename: "agencies.csv")
    }

    private static func requireEditable(_ agency: Agency, req: Request) async throws {
        let id = try agency.requireID()
        let subject = try req.requireSubject()
        if Policy.can(subject, .updateAgency, .owned(agencyId: id)) { return }
        try await req.authorize(.updateAgencyContact, .owned(agencyId: id), readAction: .viewAgencies, recordType: "agency", recordId: id)
    }

    private static func form(req: Request, agency: Agency?, input: AgencyInput, errors: [String: String],
                             status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let contactOnly = agency.map { !Policy.can(subject, .updateAgency, .owned(agencyId: $0.id)) } ?? false
        let visible = try await Agency.scoped(to: subject, on: req.db).all()
        let parents = AgenciesIndex.treeOrder(visible).map { (id: $0.0.id!, name: $0.0.name, depth: $0.1) }
        var page = AgencyFormView(req: req, agency: agency, input: input, errors: errors, parents: parents, contactOnly: contactOnly).render()
        page.status = status
        return page
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
