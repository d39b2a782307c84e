import Foundation
import Domain
import Fluent
import Vapor

enum AgenciesIndex {
    static let filterKeys = ["q", "kind"]
    static let sortKeys = ["code", "name", "kind"]

    /// The visible agencies matching the filters, in tree order (or by the chosen column), one page of them.
    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        let all = try await Agency.scoped(to: subject, on: db).all()
        var matching = all
        if list.filters["q"] != nil || list.filters["kind"] != nil {
            let query = Agency.scoped(to: subject, on: db)
            if let q = list.filters["q"] { query.matching(q) }
            let kind = list.filters["kind"].map { AgencyKind(rawValue: $0) }
            if let kind { kind.map { query.filter(\.$kind == $0) } }
            // An unknown kind matches nothing.
            matching = kind == .some(nil) ? [] : try await query.all()
        }
        let names = Dictionary(uniqueKeysWithValues: all.compactMap { agency in agency.id.map { ($0, agency.name) } })
        let ordered: [(Agency, Int)]
        if let sort = list.sort {
            let sorted = matching.sorted { a, b in
                let order: Bool
                switch sort {
                case "code": order = a.code < b.code
                case "kind": order = a.kind.rawValue < b.kind.rawValue
                default: order = a.name.localizedStandardCompare(b.name) == .orderedAscending
                }
                return list.descending ? !order : order
            }
            ordered = sorted.map { ($0, 0) }
        } else {
            ordered = treeOrder(matching)
        }
        let page = ordered.dropFirst(list.offset).prefix(list.per)
        return Model(rows: page.map { agency, depth in
            Model.Row(id: agency.id!, code: agency.code, name: agency.name, kind: agency.kind, depth: depth,
                      parentName: agency.$parent.id.flatMap { names[$0] }, contactPhone: agency.contactPhone,
                      contactEmail: agency.contactEmail, address: agency.address)
        }, total: ordered.count)
    }

    /// Depth-first order under each root, siblings by name; an agency whose parent is not in the
    /// list is treated as a root.
    static func treeOrder(_ agencies: [Agency]) -> [(Agency, Int)] {
        let ids = Set(agencies.compactMap(\.id))
        var children: [UUID?: [Agency]] = [:]
        for agency in agencies {
            let parent = agency.$parent.id.flatMap { ids.contains($0) ? $0 : nil }
            children[parent, default: []].append(agency)
        }
        for key in children.keys {
            children[key]?.sort { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        }
        var result: [(Agency, Int)] = []
        func visit(_ parent: UUID?, depth: Int) {
            for child in children[parent] ?? [] {
                result.append((child, depth))
                if depth < 50 { visit(child.id, depth: depth + 1) }
            }
        }
        visit(nil, depth: 0)
        return result
    }
}
