import Foundation
import Domain

extension WarningsIndex {
    struct Model {
        let warnings: [AuthorityWarning]
        let tallies: [UUID: Tally]
        let total: Int
        let list: ListQuery
    }
}
