import Foundation
import Domain
import Fluent
import SQLKit

/// A folded copy of the searchable fields (see ``SearchText``), so that search ignores case and
/// Vietnamese diacritics the same way on SQLite and PostgreSQL.
struct UpdateAgenciesAndUsersAddSearchText: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("agencies").field("search_text", .string, .required, .sql(.default(""))).update()
        try await database.schema("users").field("search_text", .string, .required, .sql(.default(""))).update()
        let sql = database as! any SQLDatabase
        for row in try await sql.select().columns("id", "code", "name").from("agencies").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let text = SearchText.fold(try row.decode(column: "code", as: String.self), try row.decode(column: "name", as: String.self))
            try await sql.update("agencies").set("search_text", to: SQLBind(text)).where("id", .equal, SQLBind(id)).run()
        }
        for row in try await sql.select().columns("id", "name", "email", "phone").from("users").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let text = SearchText.fold(try row.decode(column: "name", as: String.self), try row.decode(column: "email", as: String.self),
                                       try row.decode(column: "phone", as: String?.self))
            try await sql.update("users").set("search_text", to: SQLBind(text)).where("id", .equal, SQLBind(id)).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("search_text").update()
        try await database.schema("agencies").deleteField("search_text").update()
    }
}
