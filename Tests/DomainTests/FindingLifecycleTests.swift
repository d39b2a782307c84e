import Foundation
import Testing
@testable import Domain

@Suite struct FindingLifecycleTests {
    static let now = vnDay("2026-11-25")
    static func input(reason: String? = nil, approver: String? = nil, until: String? = nil, maxMonths: Int? = 12) -> FindingTransitionInput {
        FindingTransitionInput(now: now, reason: reason, approverName: approver, acceptedUntil: until.map(vnDay), riskAcceptanceMaxMonths: maxMonths)
    }

    static func error(_ from: FindingStatus, _ to: FindingStatus, _ input: FindingTransitionInput) -> FindingTransitionError? {
        do {
            _ = try FindingLifecycle.transition(from: from, to: to, input: input)
            return nil
        } catch {
            return error
        }
    }

    @Test func statusesHaveStableRawValuesAndLabelsInBothLanguages() {
        #expect(FindingStatus.allCases.map(\.rawValue) == ["open", "in_progress", "fixed", "verified", "accepted_risk", "false_positive"])
        for s in FindingStatus.allCases { #expect(!s.label.vi.isEmpty && !s.label.en.isEmpty && s.label.vi != s.label.en) }
        #expect(FindingStatus.allCases.filter(\.isOpen) == [.open, .inProgress])
        #expect(FindingStatus.allCases.filter(\.isClosed) == [.verified, .acceptedRisk, .falsePositive])
    }

    @Test func everyAllowedChangeWithTheNeededInputSucceedsAndEveryOtherIsRefused() throws {
        let full = Self.input(reason: "Lý do", approver: "Nguyễn Văn A", until: "2027-03-31")
        for from in FindingStatus.allCases {
            for to in FindingStatus.allCases {
                let allowed = FindingLifecycle.canTransition(from: from, to: to)
                if allowed {
                    let t = try FindingLifecycle.transition(from: from, to: to, input: full)
                    #expect(t.from == from && t.to == to)
                    #expect((t.closedAt != nil) == to.isClosed, "\(from) → \(to)")
                    #expect((t.resolution != nil) == to.isClosed, "\(from) → \(to)")
                } else {
                    let e = Self.error(from, to, full)
                    #expect(e?.code == (from == to ? "finding_unchanged" : "finding_transition_not_allowed"), "\(from) → \(to)")
                }
            }
        }
        #expect(!FindingLifecycle.canTransition(from: .verified, to: .acceptedRisk))
        #expect(!FindingLifecycle.canTransition(from: .falsePositive, to: .verified))
    }

    @Test func falsePositiveNeedsAReason() throws {
        #expect(Self.error(.open, .falsePositive, Self.input()) == .reasonRequired(.falsePositive))
        #expect(Self.error(.open, .falsePositive, Self.input(reason: "   ")) == .reasonRequired(.falsePositive))
        #expect(Self.error(.open, .falsePositive, Self.input())?.code == "finding_reason_required")
        #expect(Self.error(.open, .falsePositive, Self.input())?.field == "reason")
        let t = try FindingLifecycle.transition(from: .open, to: .falsePositive, input: Self.input(reason: " Máy chủ không chạy dịch vụ này "))
        #expect(t.falsePositiveReason == "Máy chủ không chạy dịch vụ này")
        #expect(t.resolution?.vi == "Cảnh báo sai: Máy chủ không chạy dịch vụ này")
        #expect(t.closedAt == Self.now)
        #expect(t.action == .status)
    }

    @Test func acceptingARiskNeedsApproverReasonAndAnEndDateWithinTheLimit() throws {
        #expect(Self.error(.open, .acceptedRisk, Self.input(approver: "A", until: "2027-01-01")) == .reasonRequired(.acceptedRisk))
        #expect(Self.error(.open, .acceptedRisk, Self.input(reason: "r", until: "2027-01-01"))?.code == "finding_approver_required")
        #expect(Self.error(.open, .acceptedRisk, Self.input(reason: "r", approver: "A"))?.code == "finding_accepted_until_required")
        #expect(Self.error(.open, .acceptedRisk, Self.input(reason: "r", approver: "A", until: "2026-11-25"))?.code == "finding_accepted_until_past")
        let tooLate = Self.error(.open, .acceptedRisk, Self.input(reason: "r", approver: "A", until: "2027-11-26"))
        #expect(tooLate?.code == "finding_accepted_until_too_late")
        #expect(tooLate?.field == "acceptedUntil")
        #expect(tooLate?.message.vi.contains("12 tháng") == true)
        #expect(Self.error(.open, .acceptedRisk, Self.input(reason: "r", approver: "A", until: "2027-11-25")) == nil)
        #expect(Self.error(.open, .acceptedRisk, Self.input(reason: "r", approver: "A", until: "2030-01-01", maxMonths: nil)) == nil)

        let t = try FindingLifecycle.transition(from: .inProgress, to: .acceptedRisk,
                                                input: Self.input(reason: "Hệ thống sẽ thay thế quý 1/2027", approver: "Trần Thị B", until: "2027-03-31"))
        #expect(t.riskAcceptance == RiskAcceptance(approverName: "Trần Thị B", reason: "Hệ thống sẽ thay thế quý 1/2027", acceptedUntil: vnDay("2027-03-31")))
        #expect(t.resolution?.vi.contains("Chấp nhận rủi ro đến ngày 31/03/2027 (người phê duyệt: Trần Thị B)") == true)
        #expect(t.resolution?.en.contains("Risk accepted until 31/03/2027 (approved by Trần Thị B)") == true)
        // Renewing an acceptance is a new approval, not "unchanged".
        let renewed = try FindingLifecycle.transition(from: .acceptedRisk, to: .acceptedRisk,
                                                      input: Self.input(reason: "Gia hạn", approver: "Trần Thị B", until: "2027-06-30"))
        #expect(renewed.riskAcceptance?.acceptedUntil == vnDay("2027-06-30"))
        // The limit comes from the rules.
        let rules = RuleBook.shipped.proactiveObligations(at: Self.now)
        let fromRules = FindingTransitionInput(now: Self.now, reason: "r", approverName: "A", acceptedUntil: vnDay("2028-01-01"), rules: rules)
        #expect(Self.error(.open, .acceptedRisk, fromRules)?.code == "finding_accepted_until_too_late")
    }

    @Test func reopeningAClosedFindingNeedsAReasonButTakingBackFixedDoesNot() throws {
        for closed in [FindingStatus.verified, .acceptedRisk, .falsePositive] {
            #expect(Self.error(closed, .open, Self.input())?.code == "finding_reason_required", "\(closed)")
            let t = try FindingLifecycle.transition(from: closed, to: .open, input: Self.input(reason: "Phát hiện lại khi kiểm tra"))
            #expect(t.action == .reopened)
            #expect(t.closedAt == nil && t.resolution == nil && t.riskAcceptance == nil && t.falsePositiveReason == nil)
        }
        #expect(try FindingLifecycle.transition(from: .fixed, to: .open, input: Self.input()).action == .reopened)
        #expect(try FindingLifecycle.transition(from: .inProgress, to: .open, input: Self.input()).action == .status)
        #expect(try FindingLifecycle.transition(from: .open, to: .inProgress, input: Self.input()).action == .status)
        #expect(try FindingLifecycle.transition(from: .inProgress, to: .fixed, input: Self.input()).closedAt == nil)
        // Manual verification says how.
        #expect(Self.error(.fixed, .verified, Self.input())?.code == "finding_reason_required")
        #expect(try FindingLifecycle.transition(from: .fixed, to: .verified, input: Self.input(reason: "Đã kiểm tra phiên bản")).resolution?.vi
                == "Đã khắc phục, đã xác minh: Đã kiểm tra phiên bản")
    }

    @Test func aRescanVerifiesWhatItNoLongerSeesAndReopensWhatItSeesAgain() {
        let at = vnDay("2026-11-26")
        for status in [FindingStatus.open, .inProgress, .fixed] {
            let t = FindingLifecycle.rescan(status, seen: false, at: at)
            #expect(t?.to == .verified, "\(status)")
            #expect(t?.action == .closedByRescan)
            #expect(t?.resolution?.vi == "Đã khắc phục, xác minh bằng rà quét lại")
            #expect(t?.resolution?.en == "Fixed, verified by rescan")
            #expect(t?.closedAt == at)
        }
        for status in [FindingStatus.verified, .acceptedRisk, .falsePositive] {
            #expect(FindingLifecycle.rescan(status, seen: false, at: at) == nil, "\(status)")
        }
        for status in [FindingStatus.fixed, .verified] {
            let t = FindingLifecycle.rescan(status, seen: true, at: at)
            #expect(t?.to == .open && t?.action == .reopened, "\(status)")
            #expect(t?.closedAt == nil && t?.resolution == nil)
        }
        // Still open: nothing changes; judged by a person: they stay.
        for status in [FindingStatus.open, .inProgress, .acceptedRisk, .falsePositive] {
            #expect(FindingLifecycle.rescan(status, seen: true, at: at) == nil, "\(status)")
        }
    }

    @Test func anAcceptedRiskReopensTheDayAfterItsLastDay() {
        let until = vnDay("2026-11-25")
        #expect(FindingLifecycle.riskExpiry(.acceptedRisk, acceptedUntil: until, now: vnDay("2026-11-25").addingTimeInterval(23 * 3600)) == nil)
        let t = FindingLifecycle.riskExpiry(.acceptedRisk, acceptedUntil: until, now: vnDay("2026-11-26"))
        #expect(t?.to == .open && t?.action == .expired)
        #expect(t?.note?.contains("25/11/2026") == true)
        #expect(FindingLifecycle.riskExpiry(.open, acceptedUntil: until, now: vnDay("2027-01-01")) == nil)
        #expect(FindingLifecycle.riskExpiry(.acceptedRisk, acceptedUntil: nil, now: vnDay("2027-01-01")) == nil)
    }

    @Test func errorCodesAreStableAndMessagesBilingual() {
        let errors: [FindingTransitionError] = [
            .unchanged(.open), .notAllowed(from: .verified, to: .fixed), .reasonRequired(.falsePositive), .approverRequired,
            .acceptedUntilRequired, .acceptedUntilNotInFuture, .acceptedUntilTooLate(maxMonths: 12, latest: Self.now),
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        for e in errors {
            #expect(e.code.hasPrefix("finding_"))
            #expect(!e.message.vi.isEmpty && !e.message.en.isEmpty && e.message.vi != e.message.en)
        }
    }
}
