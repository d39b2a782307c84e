import Foundation
import Testing
@testable import Domain

@Suite struct ControlPlanTests {
    @Test(arguments: [
        ([ControlStatus](), PlanProgress(status: .notStarted, percent: 0, implemented: 0, applicable: 0, notApplicable: 0)),
        ([.notStarted, .notStarted], PlanProgress(status: .notStarted, percent: 0, implemented: 0, applicable: 2, notApplicable: 0)),
        ([.notStarted, .notApplicable], PlanProgress(status: .notStarted, percent: 0, implemented: 0, applicable: 1, notApplicable: 1)),
        ([.inProgress, .notStarted], PlanProgress(status: .partial, percent: 0, implemented: 0, applicable: 2, notApplicable: 0)),
        ([.implemented, .notStarted, .notStarted], PlanProgress(status: .partial, percent: 33, implemented: 1, applicable: 3, notApplicable: 0)),
        ([.implemented, .implemented, .inProgress], PlanProgress(status: .partial, percent: 66, implemented: 2, applicable: 3, notApplicable: 0)),
        ([.implemented, .implemented, .notApplicable], PlanProgress(status: .fullyImplemented, percent: 100, implemented: 2, applicable: 2, notApplicable: 1)),
        ([.notApplicable, .notApplicable], PlanProgress(status: .fullyImplemented, percent: 100, implemented: 0, applicable: 0, notApplicable: 2)),
        ([.implemented], PlanProgress(status: .fullyImplemented, percent: 100, implemented: 1, applicable: 1, notApplicable: 0)),
    ])
    func progressFromStatuses(statuses: [ControlStatus], expected: PlanProgress) {
        #expect(ControlPlan.progress(statuses: statuses) == expected)
        #expect(PlanProgress.progress(statuses: statuses) == expected)
    }

    @Test func percentIsRoundedDown() {
        let statuses = Array(repeating: ControlStatus.implemented, count: 199) + [.inProgress]
        #expect(ControlPlan.progress(statuses: statuses).percent == 99)
    }

    @Test func controlsWithoutAStatusAreNotStarted() {
        let controls = RuleBook.shipped.controls().applicable(toLevel: 1)
        let first = controls[0].id
        let progress = ControlPlan.progress(controls: controls, statuses: [first: .implemented, "UNKNOWN": .implemented])
        #expect(progress.implemented == 1)
        #expect(progress.applicable == controls.count)
        #expect(progress.status == .partial)
    }

    @Test func rawValuesAreSnakeCase() {
        #expect(ControlStatus.allCases.map(\.rawValue) == ["not_started", "in_progress", "implemented", "not_applicable"])
        #expect(PlanStatus.allCases.map(\.rawValue) == ["not_started", "partial", "fully_implemented"])
    }
}
