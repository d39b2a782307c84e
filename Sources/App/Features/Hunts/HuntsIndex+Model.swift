import Foundation
import Domain

extension HuntsIndex {
    struct Model {
        let hunts: [Hunt]
        /// Hits the reader may see, per hunt.
        let hits: [UUID: Int64]
        let total: Int
    }
}
