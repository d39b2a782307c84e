import Foundation
import Domain
import Fluent
import Vapor

/// One warning with the affected systems the reader may see (an officer: their agencies' only), each with its system,
/// agency, deadline and evidence.
enum WarningShow {
    struct Row: Sendable {
        let row: WarningSystem
        let system: InformationSystem
        let agencyName: String?
        let due: WarningDue?
        let files: [StoredFile]

        var isOverdue: Bool { (WarningSystemState(rawValue: row.state)?.isOpen ?? false) && due?.state == .overdue }
    }

    static func rows(_ warning: AuthorityWarning, subject: Subject, rules: RuleBook, now: Date = Date(), on db: any Database) async throws -> [Row] {
        let rows = try await WarningScope.rows(subject, on: db).filter(\.$warningId == warning.requireID()).all()
        guard !rows.isEmpty else { return [] }
        var systems: [UUID: InformationSystem] = [:]
        for chunk in rows.map(\.systemId).chunked(500) {
            for s in try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).all() { systems[s.id!] = s }
        }
        var agencies: [UUID: String] = [:]
        for a in try await Agency.query(on: db).filter(\.$id ~~ Array(Set(systems.values.map(\.$agency.id)))).all() { agencies[a.id!] = a.name }
        let files = try await StoredFileService.files(recordType: WarningFiles.recordType, recordIds: rows.compactMap(\.id), on: db)
        let r = rules.proactiveObligations(at: now)
        return rows.compactMap { row in
            guard let system = systems[row.systemId] else { return nil }
            return Row(row: row, system: system, agencyName: agencies[system.$agency.id], due: WarningDue.of(row, warning: warning, rules: r, now: now),
                       files: files[row.id!] ?? [])
        }.sorted { ($0.agencyName ?? "", $0.system.code) < ($1.agencyName ?? "", $1.system.code) }
    }

    static func tally(_ rows: [Row]) -> WarningsIndex.Tally {
        var t = WarningsIndex.Tally()
        for r in rows {
            t.systems += 1
            switch WarningSystemState(rawValue: r.row.state) {
            case .remediated: t.remediated += 1
            case .notAffected: t.notAffected += 1
            default:
                t.open += 1
                if r.isOverdue { t.overdue += 1 }
            }
        }
        return t
    }

    static func dto(_ warning: AuthorityWarning, subject: Subject, req: Request) async throws -> WarningDTO {
        let rows = try await rows(warning, subject: subject, rules: req.application.rules, on: req.db)
        return WarningDTO(warning, tally: tally(rows), systems: rows.map {
            WarningSystemDTO($0.row, system: $0.system, agencyName: $0.agencyName, due: $0.due, files: $0.files, lang: req.lang)
        })
    }
}
