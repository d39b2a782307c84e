import Foundation
import Domain
import Fluent

/// Access to the documents of teams (establishing decision), plan approvals and drill reports: whoever may read the
/// record now may read its documents.
enum ResponseFiles {
    /// nil when the file is not one of these.
    static func mayRead(_ file: StoredFile, subject: Subject, on db: any Database) async throws -> Bool? {
        switch file.recordType {
        case TeamService.decisionRecordType:
            return try await ResponseTeam.visible(file.recordId, to: subject, on: db) != nil
        case PlanService.approvalRecordType:
            guard let version = try await PlanVersion.find(file.recordId, on: db) else { return false }
            return try await ResponsePlan.visible(version.planId, to: subject, on: db) != nil
        case DrillService.reportRecordType:
            return try await Drill.visible(file.recordId, to: subject, on: db) != nil
        default:
            return nil
        }
    }
}
