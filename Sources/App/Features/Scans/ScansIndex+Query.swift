import Foundation
import Domain
import Fluent
import Vapor

/// Scanner reports imported into the reader's systems, newest first (`?system=&state=`).
enum ScansIndex {
    static let filterKeys = ["system", "state"]

    struct Row {
        var scan: ScanImport
        var systemCode: String
        var systemName: String
        var progress: Int?
    }

    struct Model {
        var rows: [Row]
        var total: Int
        var list: ListQuery
        var systems: [(id: UUID, label: String)]
    }

    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        let query = ScanImport.scoped(to: subject, on: db)
        if let raw = list.filters["system"], let id = UUID(uuidString: raw) { query.filter(\.$systemId == id) }
        if let raw = list.filters["state"], ScanImportState(rawValue: raw) != nil { query.filter(\.$state == raw) }
        let total = try await query.count()
        let scans = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(list.offset..<(list.offset + list.per)).all()
        try await scans.followSystems(on: db)
        let systemIds = Array(Set(scans.map(\.systemId)))
        let systems = systemIds.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ systemIds).all()
        let bySystem = Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, $0) })
        let jobIds = scans.compactMap(\.jobId)
        let jobs = jobIds.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await JobRecord.query(on: db).filter(\.$id ~~ jobIds).all().map { ($0.id!, $0.progress) })
        let choices = try await InformationSystem.scoped(to: subject, on: db).sort(\.$code).range(0..<2000).all()
            .map { (id: $0.id!, label: "\($0.code) · \($0.name)") }
        return Model(rows: scans.map { s in
            Row(scan: s, systemCode: bySystem[s.systemId]?.code ?? "—", systemName: bySystem[s.systemId]?.name ?? "—",
                progress: s.jobId.flatMap { jobs[$0] })
        }, total: total, list: list, systems: choices)
    }
}
