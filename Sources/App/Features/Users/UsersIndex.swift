import Foundation
import Domain
import Fluent
import Plot
import Vapor

enum UsersIndex {
    static let filterKeys = ["q", "role", "agencyId", "status"]
    static let sortKeys = ["name", "email", "role"]

    struct Model {
        struct Row { let user: User; let agencyName: String? }
        let rows: [Row]
        let total: Int
        let agencies: [(id: UUID, name: String)]
    }

    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        let query = User.scoped(to: subject, on: db)
        if let q = list.filters["q"] {
            query.matching(q)
        }
        if let role = list.filters["role"].flatMap(Role.init(rawValue:)) { query.filter(\.$role == role) }
        if let status = list.filters["status"].flatMap(User.Status.init(rawValue:)) { query.filter(\.$status == status) }
        if let agency = list.filters["agencyId"].flatMap(UUID.init(uuidString:)) { query.filter(\.$agency.$id == agency) }
        switch list.sort {
        case "email": query.sort(\.$email, list.descending ? .descending : .ascending)
        case "role": query.sort(\.$role, list.descending ? .descending : .ascending)
        default: query.sort(\.$name, list.descending ? .descending : .ascending)
        }
        let total = try await query.copy().count()
        let users = try await query.range(list.offset ..< list.offset + list.per).all()
        let agencies = try await Agency.scoped(to: subject, on: db).sort(\.$name).all()
        let names = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        return Model(rows: users.map { Model.Row(user: $0, agencyName: $0.$agency.id.flatMap { names[$0] }) },
                     total: total, agencies: agencies.map { ($0.id!, $0.name) })
    }

    struct View {
        let req: Request
        let model: Model
        let list: ListQuery

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let columns: [Tables.Column] = [
                .init(label: t("field.name"), sortKey: "name"), .init(label: t("field.email"), sortKey: "email"),
                .init(label: t("field.role"), sortKey: "role"), .init(label: t("field.agency")), .init(label: t("field.status")),
            ]
            let rows: [[Body]] = model.rows.map { row in
                [
                    .link(SiteURL.user(.value(row.user.id!)).path, row.user.name),
                    .txt(row.user.email),
                    .txt(t("role.\(row.user.role.rawValue)")),
                    .txt(row.agencyName ?? "—"),
                    .el("span", ["class": "badge \(row.user.status.rawValue)"], [.txt(t("userStatus.\(row.user.status.rawValue)"))]),
                ]
            }
            return Layout(req: req).page(title: t("users.title"), section: .users, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("users.title"))]),
                    .el("div", ["class": "buttons"], [
                        Policy.can(subject, .manageUsers) ? .link(SiteURL.userNew.path, t("users.new"), id: "new-user", cls: "button primary") : .empty,
                        Policy.can(subject, .exportUsers) ? .link(SiteURL.usersExport.path(query: list.filters), t("common.exportCSV"), cls: "button") : .empty,
                    ]),
                ]),
                .el("form", ["method": "get", "action": SiteURL.users.path, "class": "filters", "role": "search"], [
                    .el("label", ["for": "q"], [.txt(t("common.search"))]),
                    .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? ""]),
                    Forms.select(name: "role", label: t("field.role"), options: Role.allCases.map { ($0.rawValue, t("role.\($0.rawValue)")) },
                                 selected: list.filters["role"], error: nil, includeBlank: t("common.all")),
                    Forms.select(name: "agencyId", label: t("field.agency"), options: model.agencies.map { ($0.id.uuidString, $0.name) },
                                 selected: list.filters["agencyId"], error: nil, includeBlank: t("common.all")),
                    Forms.select(name: "status", label: t("field.status"), options: User.Status.allCases.map { ($0.rawValue, t("userStatus.\($0.rawValue)")) },
                                 selected: list.filters["status"], error: nil, includeBlank: t("common.all")),
                    .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
                ]),
                Tables.table(id: "users-table", base: .users, query: list, columns: columns, rows: rows, empty: t("users.empty")),
                Tables.pagination(base: .users, query: list, total: model.total, t: t),
            ])
        }
    }
}
