import Foundation
import Fluent
import Vapor

/// A page of an API list: `{"items":[…],"total":N,"page":P,"per":K}`.
struct Paged<Item: Content>: Content {
    let items: [Item]
    let total: Int
    let page: Int
    let per: Int
}

struct PageParams: Sendable {
    let page: Int
    let per: Int

    init(req: Request) throws {
        func read(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw = req.query[String.self, at: key] else { return value }
            guard let number = Int(raw), range.contains(number) else {
                throw AppError(status: .badRequest, code: "malformed", messageKey: "error.malformed",
                               fields: [key: "validation.outOfRange"], detail: "\(key) must be from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        page = try read("page", default: 1, range: 1...1_000_000)
        per = try read("per", default: 50, range: 1...200)
    }

    func apply<M: Model>(_ query: QueryBuilder<M>) async throws -> (items: [M], total: Int) {
        let total = try await query.copy().count()
        let items = try await query.range((page - 1) * per ..< page * per).all()
        return (items, total)
    }
}
