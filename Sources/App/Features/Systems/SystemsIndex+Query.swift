import Foundation
import Domain
import Fluent
import Vapor

/// The systems list: registry filters plus level and duty state.
enum SystemsIndex {
    static let filterKeys = ["q", "agency", "level", "lifecycle", "functionType", "status"]
    static let sortKeys = ["code", "name", "agency", "level", "lifecycle", "updated"]

    /// `status`: `unapproved` (operating without an approved level), `redetermine`, `overdue` (has an overdue duty).
    static func filtered(subject: Subject, list: ListQuery, on db: any Database) async throws -> QueryBuilder<InformationSystem>? {
        let query = InformationSystem.scoped(to: subject, on: db)
        if let q = list.filters["q"] { query.matching(q) }
        if let raw = list.filters["agency"] {
            guard let id = UUID(uuidString: raw) else { return nil }
            // The agency and everything below it, within what the subject may see.
            let tree = try await AgencyTreeQuery.tree(on: db)
            query.filter(\.$agency.$id ~~ Array(tree.subtree(of: id)))
        }
        if let raw = list.filters["level"] {
            if raw == "none" { query.filter(\.$approvedLevel == nil) }
            else if let level = Int(raw), (1...5).contains(level) { query.filter(\.$approvedLevel == level) }
            else { return nil }
        }
        if let raw = list.filters["lifecycle"] {
            guard let value = LifecycleStatus(rawValue: raw) else { return nil }
            query.filter(\.$lifecycle == value)
        }
        if let raw = list.filters["functionType"] {
            guard let value = FunctionType(rawValue: raw) else { return nil }
            query.filter(\.$functionType == value)
        }
        switch list.filters["status"] {
        case nil: break
        case "unapproved": query.filter(\.$approvedLevel == nil).filter(\.$lifecycle == .operating)
        case "redetermine": query.filter(\.$needsRedetermination == true)
        case "overdue":
            let ids = try await Obligation.scoped(to: subject, on: db).filter(\.$state == .overdue).field(\.$subjectId).unique().all().map(\.subjectId)
            query.filter(\.$id ~~ ids)
        default: return nil
        }
        return query
    }

    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        guard let query = try await filtered(subject: subject, list: list, on: db) else { return Model(rows: [], total: 0) }
        let total = try await query.count()
        switch list.sort {
        case "name": query.sort(\.$name, list.descending ? .descending : .ascending)
        case "level": query.sort(\.$approvedLevel, list.descending ? .descending : .ascending)
        case "lifecycle": query.sort(\.$lifecycle, list.descending ? .descending : .ascending)
        case "updated": query.sort(\.$updatedAt, list.descending ? .ascending : .descending)
        case "agency": query.join(Agency.self, on: \InformationSystem.$agency.$id == \Agency.$id)
            .sort(Agency.self, \.$name, list.descending ? .descending : .ascending)
        default: query.sort(\.$code, list.descending ? .descending : .ascending)
        }
        let systems = try await query.range(list.offset..<(list.offset + list.per)).all()
        let ids = systems.compactMap(\.id)
        let agencyNames = try await agencyNames(for: systems, on: db)
        var overdue: [UUID: Int] = [:]
        if !ids.isEmpty {
            for o in try await Obligation.query(on: db).filter(\.$subjectId ~~ ids).filter(\.$state == .overdue).all() {
                overdue[o.subjectId, default: 0] += 1
            }
        }
        return Model(rows: systems.map { s in
            Model.Row(id: s.id!, code: s.code, name: s.name, agencyName: agencyNames[s.$agency.id] ?? "—", lifecycle: s.lifecycle,
                      proposedLevel: s.proposedLevel, approvedLevel: s.approvedLevel, needsRedetermination: s.needsRedetermination,
                      overdueDuties: overdue[s.id!] ?? 0)
        }, total: total)
    }

    static func agencyNames(for systems: [InformationSystem], on db: any Database) async throws -> [UUID: String] {
        let ids = Array(Set(systems.map { $0.$agency.id }))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.name) })
    }
}
