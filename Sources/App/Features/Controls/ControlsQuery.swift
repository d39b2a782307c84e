import Foundation
import Domain
import Fluent

/// The controls that apply to a system and its self-assessment of each.
enum ControlsQuery {
    struct Row: Sendable {
        let control: CatalogueControl
        let assessment: ControlAssessment?
        let files: [StoredFile]
        var status: ControlStatus { assessment?.status ?? .notStarted }
    }

    /// The level whose controls apply: the approved one, else the proposed one (to prepare the plan).
    static func level(for system: InformationSystem) -> Int? { system.approvedLevel ?? system.proposedLevel }

    static func rows(for system: InformationSystem, on db: any Database) async throws -> [Row] {
        guard let level = level(for: system) else { return [] }
        let sid = try system.requireID()
        let controls = try await CatalogueControl.query(on: db).filter(\.$active == true).filter(\.$firstLevel <= level)
            .sort(\.$position).all()
        let assessments = try await ControlAssessment.query(on: db).filter(\.$system.$id == sid).all()
        let byControl = Dictionary(uniqueKeysWithValues: assessments.map { ($0.$control.id, $0) })
        let files = try await StoredFileService.files(recordType: "control_assessment", recordIds: assessments.compactMap(\.id), on: db)
        return controls.map { c in
            let a = byControl[c.id!]
            return Row(control: c, assessment: a, files: a.flatMap { files[$0.id!] } ?? [])
        }
    }

    /// Plan status for the approved level (nil before a level is approved).
    static func progress(for system: InformationSystem, on db: any Database) async throws -> PlanProgress? {
        guard system.approvedLevel != nil else { return nil }
        return ControlPlan.progress(statuses: try await rows(for: system, on: db).map(\.status))
    }
}
