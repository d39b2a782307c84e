import Foundation
import Domain
import Fluent

/// Report files of scans and hunts: readable by whoever may read the scan or hunt now (its system's agency, and
/// only with `viewProactive`; never the police liaison).
enum ProactiveFiles {
    /// nil when the file is not one of these.
    static func mayRead(_ file: StoredFile, subject: Subject, on db: any Database) async throws -> Bool? {
        guard file.recordType == ProactiveAssessmentService.recordType else { return nil }
        return try await ProactiveAssessment.visible(file.recordId, to: subject, on: db) != nil
    }

    /// Ids of a system's scans and hunts, whose file rows go when the system is deleted.
    static func recordIds(ofSystem systemId: UUID, on db: any Database) async throws -> [UUID] {
        try await ProactiveAssessment.query(on: db).filter(\.$systemId == systemId).field(\.$id).all().compactMap(\.id)
    }
}
