import Foundation
import Domain

extension DrillsIndex {
    struct Model {
        let drills: [Drill]
        let agencyNames: [UUID: String]
        let systemCounts: [UUID: Int]
    }
}
