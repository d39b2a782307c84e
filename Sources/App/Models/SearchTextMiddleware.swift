import Foundation
import Domain
import Fluent
import SQLKit

/// Keeps `search_text` in step with the searchable fields on every save.
struct AgencySearchText: AsyncModelMiddleware {
    func create(model: Agency, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchText.fold(model.code, model.name)
        try await next.create(model, on: db)
    }

    func update(model: Agency, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchText.fold(model.code, model.name)
        try await next.update(model, on: db)
    }
}

struct UserSearchText: AsyncModelMiddleware {
    func create(model: User, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchText.fold(model.name, model.email, model.phone)
        try await next.create(model, on: db)
    }

    func update(model: User, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchText.fold(model.name, model.email, model.phone)
        try await next.update(model, on: db)
    }
}

extension QueryBuilder {
    /// Rows whose `search_text` contains the folded query.
    @discardableResult
    func matching(_ query: String) -> Self {
        filter(.sql(SQLQueryString("\(ident: "search_text") LIKE \(bind: SearchText.containsPattern(query)) ESCAPE '!'")))
    }
}
