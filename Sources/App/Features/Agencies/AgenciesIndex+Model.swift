import Domain
import Foundation

extension AgenciesIndex {
    struct Model: Sendable {
        struct Row: Sendable {
            let id: UUID
            let code: String
            let name: String
            let kind: AgencyKind
            let depth: Int
            let parentName: String?
            let contactPhone: String?
            let contactEmail: String?
            let address: String?
        }

        let rows: [Row]
        let total: Int
    }
}
