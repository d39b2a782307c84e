import Foundation
import Domain

extension SystemsIndex {
    struct Model: Sendable {
        struct Row: Sendable {
            let id: UUID
            let code: String
            let name: String
            let agencyName: String
            let lifecycle: LifecycleStatus
            let proposedLevel: Int?
            let approvedLevel: Int?
            let needsRedetermination: Bool
            let overdueDuties: Int
        }

        let rows: [Row]
        let total: Int
    }
}
