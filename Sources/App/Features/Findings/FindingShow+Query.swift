import Foundation
import Domain
import Fluent
import Vapor

/// One finding with its system, its history and the imports that saw it.
enum FindingShow {
    struct Model {
        let finding: Finding
        let system: InformationSystem?
        let agency: Agency?
        let history: [FindingEvent]
        let imports: [ScanImport]
        let subject: Subject
    }

    static func query(_ finding: Finding, subject: Subject, on db: any Database) async throws -> Model {
        let history = try await FindingsAPIController.history(of: finding, on: db)
        let importIds = Array(Set(history.compactMap(\.importId)))
        let imports = importIds.isEmpty ? [] : try await ScanImport.scoped(to: subject, on: db).filter(\.$id ~~ importIds)
            .sort(\.$createdAt, .descending).all()
        return Model(finding: finding, system: try await InformationSystem.visible(finding.systemId, to: subject, on: db),
                     agency: try await Agency.find(finding.agencyId, on: db), history: history, imports: imports, subject: subject)
    }
}
