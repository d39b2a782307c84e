import Domain
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// Findings and scan imports belong to a system, and are read by whoever may read the system *now*: scoping goes
/// through the system's current agency (a system moved to another agency takes its findings and imports along),
/// never through the agency copied on the row when it was written.
enum SystemOwned {
    /// `<table>.system_id IN (SELECT id FROM information_systems WHERE agency_id IN (…))`; nothing for an empty scope.
    static func filter(table: String, agencies: Set<UUID>) -> DatabaseQuery.Filter {
        guard !agencies.isEmpty else { return .sql(embed: "1 = 0") }
        let list = SQLList(agencies.sorted { $0.uuidString < $1.uuidString }.map { SQLBind($0) })
        return .sql(embed: "\(ident: table).\(ident: "system_id") IN (SELECT id FROM information_systems WHERE agency_id IN (\(list)))")
    }

    /// The current agency of each system.
    static func agencies(of systemIds: [UUID], on db: any Database) async throws -> [UUID: UUID] {
        var result: [UUID: UUID] = [:]
        for chunk in Array(Set(systemIds)).chunked(500) {
            for system in try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).all() { result[system.id!] = system.$agency.id }
        }
        return result
    }
}

extension Finding {
    /// Findings the subject may read: all for province roles, those of their agencies' (subtree) systems for officers.
    /// Every finding query for a person goes through here.
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<Finding> {
        let query = Finding.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(SystemOwned.filter(table: Finding.schema, agencies: ids)) }
        return query
    }

    /// One finding if the subject may read it (otherwise nil, exactly as if it did not exist), owned by its system's
    /// current agency.
    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> Finding? {
        guard let finding = try await scoped(to: subject, on: db).filter(\.$id == id).first() else { return nil }
        try await [finding].followSystems(on: db)
        return finding
    }

    var statusValue: FindingStatus { FindingStatus(rawValue: status) ?? .open }
}

extension Array where Element == Finding {
    /// Sets each finding's agency to its system's current one (written back with the next change of the finding).
    func followSystems(on db: any Database) async throws {
        let agencies = try await SystemOwned.agencies(of: map(\.systemId), on: db)
        for finding in self { if let agency = agencies[finding.systemId] { finding.agencyId = agency } }
    }
}

extension ScanImport {
    /// Imports the subject may read (those of their systems).
    static func scoped(to subject: Subject, on db: any Database) -> QueryBuilder<ScanImport> {
        let query = ScanImport.query(on: db)
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(SystemOwned.filter(table: ScanImport.schema, agencies: ids)) }
        return query
    }

    static func visible(_ id: UUID, to subject: Subject, on db: any Database) async throws -> ScanImport? {
        guard let row = try await scoped(to: subject, on: db).filter(\.$id == id).first() else { return nil }
        if let agency = try await SystemOwned.agencies(of: [row.systemId], on: db)[row.systemId] { row.agencyId = agency }
        return row
    }
}

extension Array where Element == ScanImport {
    /// Sets each import's agency to its system's current one.
    func followSystems(on db: any Database) async throws {
        let agencies = try await SystemOwned.agencies(of: map(\.systemId), on: db)
        for row in self { if let agency = agencies[row.systemId] { row.agencyId = agency } }
    }
}
