import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// User administration pages.
enum UsersController {
    static func index(req: Request) async throws -> Page {
        let list = ListQuery(req: req, filterKeys: UsersIndex.filterKeys, sortKeys: UsersIndex.sortKeys)
        let model = try await UsersIndex.query(subject: try req.requireSubject(), list: list, on: req.db)
        return UsersIndex.View(req: req, model: model, list: list).render()
    }

    static func show(req: Request) async throws -> Page {
        let user = try await UserService.find(req)
        let subject = try req.requireSubject()
        let agency = try await user.$agency.id.asyncFlatMap { try await Agency.visible($0, to: subject, on: req.db) }
        return UserShowView(req: req, user: user, agency: agency).render()
    }

    static func new(req: Request) async throws -> Page {
        try await form(req: req, user: nil, input: UserInput(role: Role.agencyOfficer.rawValue), errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UserInput.self)
        do {
            let (user, password) = try await UserService.create(input, req: req)
            return try await TemporaryPasswordView(req: req, user: user, password: password, created: true).render().encodeResponse(for: req)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, user: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func edit(req: Request) async throws -> Page {
        let user = try await UserService.find(req)
        return try await form(req: req, user: user, input: UserInput(name: user.name, email: user.email, phone: user.phone,
                                                                      role: user.role.rawValue, agencyId: user.$agency.id?.uuidString), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let user = try await UserService.find(req)
        let input = try req.content.decode(UserInput.self)
        do {
            _ = try await UserService.update(user, with: input, req: req)
            return req.redirect(to: SiteURL.user(.value(user.id!)).path(query: ["done": "userUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, user: user, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func resetPassword(req: Request) async throws -> Page {
        let user = try await UserService.find(req)
        let password = try await UserService.resetPassword(user, req: req)
        return TemporaryPasswordView(req: req, user: user, password: password, created: false).render()
    }

    static func setStatus(req: Request) async throws -> Response {
        struct Form: Content { var status: String? }
        let user = try await UserService.find(req)
        guard let status = User.Status(rawValue: try req.content.decode(Form.self).status ?? "") else {
            throw AppError.validation(FieldErrors(["status": "validation.unknownValue"]))
        }
        try await UserService.setStatus(user, to: status, req: req)
        return req.redirect(to: SiteURL.user(.value(user.id!)).path(query: ["done": status == .locked ? "userLocked" : "userUnlocked"]))
    }

    static func export(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        var list = ListQuery(req: req, filterKeys: UsersIndex.filterKeys, sortKeys: UsersIndex.sortKeys)
        list.page = 1
        list.per = 1_000_000
        let model = try await UsersIndex.query(subject: subject, list: list, on: req.db)
        let t = req.t
        let rows = model.rows.map { row in
            [row.user.name, row.user.email, row.user.phone ?? "", t("role.\(row.user.role.rawValue)"), row.agencyName ?? "",
             t("userStatus.\(row.user.status.rawValue)"), row.user.totpEnabled ? t("common.yes") : t("common.no")]
        }
        try await req.audit(AuditEntry("export.users", details: ["rows": String(rows.count), "filters": list.filters.description]))
        return CSV.response(CSV.render(header: [t("field.name"), t("field.email"), t("field.phone"), t("field.role"), t("field.agency"),
                                                t("field.status"), t("account.twoFactor")], rows: rows), filename: "users.csv")
    }

    private static func form(req: Request, user: User?, input: UserInput, errors: [String: String],
                             status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let agencies = AgenciesIndex.treeOrder(try await Agency.scoped(to: subject, on: req.db).all())
        var page = UserFormView(req: req, user: user, input: input, errors: errors,
                                agencies: agencies.map { (id: $0.0.id!, name: $0.0.name, depth: $0.1) }).render()
        page.status = status
        return page
    }
}
