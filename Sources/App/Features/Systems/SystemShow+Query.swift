import Foundation
import Domain
import Fluent
import Vapor

/// Everything the system page shows, read within the caller's scope.
enum SystemShow {
    struct Model {
        let system: InformationSystem
        let agency: Agency?
        let components: [SystemComponent]
        let dossiers: [LevelDossier]
        let obligations: [Obligation]
        let plan: PlanProgress?
        let assessments: [SystemAssessment]
        let assessmentFiles: [UUID: [StoredFile]]
        let subject: Subject
        /// Scans and hunts (nil for readers without `viewProactive`).
        var proactive: SystemProactiveCard.Model? = nil
    }

    static func query(system: InformationSystem, subject: Subject, on db: any Database) async throws -> Model {
        let id = try system.requireID()
        let components = try await SystemComponent.query(on: db).filter(\.$system.$id == id).sort(\.$position).all()
        let dossiers = try await LevelDossier.query(on: db).filter(\.$system.$id == id).sort(\.$createdAt, .descending).all()
        let obligations = try await Obligation.query(on: db).filter(\.$subjectId == id).sort(\.$dutyId).all()
        let assessments = try await SystemAssessment.query(on: db).filter(\.$system.$id == id).sort(\.$performedOn, .descending).all()
        let files = try await StoredFileService.files(recordType: "system_assessment", recordIds: assessments.compactMap(\.id), on: db)
        let plan = try await ControlsQuery.progress(for: system, on: db)
        return Model(system: system, agency: try await Agency.find(system.$agency.id, on: db), components: components, dossiers: dossiers,
                     obligations: obligations, plan: plan, assessments: assessments, assessmentFiles: files, subject: subject,
                     proactive: try await SystemProactiveCard.query(system: system, subject: subject, on: db))
    }
}
