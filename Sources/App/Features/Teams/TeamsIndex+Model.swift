import Foundation
import Domain

extension TeamsIndex {
    struct Model {
        let teams: [ResponseTeam]
        let agencyNames: [UUID: String]
        let experts: [UUID: Int]
        /// Duties behind (overdue, due soon) by team.
        let behind: [UUID: [Obligation]]
    }
}
