import Foundation
import Domain

extension PlansIndex {
    struct Model {
        let plans: [ResponsePlan]
        /// Newest first, by plan.
        let versions: [UUID: [PlanVersion]]
        let agencyNames: [UUID: String]
    }
}
