import Foundation
import Detection

extension EventsIndex {
    struct Model {
        let list: ListQuery
        let page: Int
        let criteria: EventSearch.Criteria
        let errors: [String: String]
        let outcome: EventSearch.Outcome
        let agencies: [(id: UUID, name: String)]
        let systems: [(id: UUID, label: String)]
        let sources: [(id: UUID, name: String)]
        let canSeeUnassigned: Bool

        func systemLabel(_ id: UUID?) -> String? {
            guard let id else { return nil }
            return systems.first { $0.id == id }?.label
        }

        func sourceName(_ id: UUID?) -> String? {
            guard let id else { return nil }
            return sources.first { $0.id == id }?.name
        }
    }
}
