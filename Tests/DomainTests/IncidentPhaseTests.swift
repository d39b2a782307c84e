import Foundation
import Testing
@testable import Domain

/// `yyyy-MM-dd HH:mm` in Vietnam.
func incidentLocalTime(_ text: String) -> Date {
    let parts = text.split(separator: " ")
    let day = DisplayTime.parseDay(String(parts[0]))!
    let hm = parts.count > 1 ? parts[1].split(separator: ":").map { Int($0)! } : [0, 0]
    return day.addingTimeInterval(TimeInterval(hm[0] * 3600 + hm[1] * 60 + (hm.count > 2 ? hm[2] : 0)))
}

@Suite struct IncidentPhaseTests {
    @Test func rawValuesAreTheStoredNames() {
        #expect(IncidentPhase.allCases.map(\.rawValue) == [
            "detected", "triaged", "contained", "eradicated", "recovered", "post_incident_review", "closed",
        ])
        #expect(IncidentResolution.allCases.map(\.rawValue) == ["resolved", "duplicate", "not_an_incident"])
        #expect(IncidentSeverity.allCases.map(\.rawValue) == ["low", "medium", "high", "critical"])
        #expect(IncidentSeverity.low < .critical)
    }

    @Test(arguments: [
        (IncidentPhase.detected, [IncidentPhase.triaged, .contained, .eradicated, .recovered, .postIncidentReview, .closed]),
        (.triaged, [.contained, .eradicated, .recovered, .postIncidentReview, .closed]),
        (.contained, [.eradicated, .recovered, .postIncidentReview, .closed]),
        (.eradicated, [.recovered, .postIncidentReview, .closed]),
        (.recovered, [.postIncidentReview, .closed]),
        (.postIncidentReview, [.closed]),
        (.closed, [.postIncidentReview]),
    ])
    func allowedNextPhases(phase: IncidentPhase, next: [IncidentPhase]) {
        #expect(phase.allowedNext == next)
        for other in IncidentPhase.allCases {
            #expect(phase.canMove(to: other) == next.contains(other), "\(phase) → \(other)")
        }
        #expect(!phase.canMove(to: phase))
    }

    @Test func reopeningIsOnlyFromClosedIntoReview() {
        #expect(IncidentPhase.isReopen(from: .closed, to: .postIncidentReview))
        #expect(!IncidentPhase.isReopen(from: .recovered, to: .postIncidentReview))
        #expect(!IncidentPhase.closed.canMove(to: .detected))
        #expect(!IncidentPhase.contained.canMove(to: .triaged))
    }

    @Test func onlyResolvedCasesKeepReportingDuties() {
        #expect(IncidentResolution.resolved.keepsReportingDuties)
        #expect(!IncidentResolution.duplicate.keepsReportingDuties)
        #expect(!IncidentResolution.notAnIncident.keepsReportingDuties)
    }
}
