import Foundation
import Testing
@testable import Domain

@Suite struct IncidentSeriousTests {
    static let criteria = RuleBook.shipped.seriousIncidentCriteria()

    @Test(arguments: [
        // level, national important, impacts, beyond capability → serious, system, impact, capability
        (Optional(4), false, [ImpactFlag.serviceInterruption], true, true, true, true, true),
        (5, false, [.lossOfControl], true, true, true, true, true),
        (3, true, [.likelyToSpread], true, true, true, true, true),
        (nil, true, ImpactFlag.allCases, true, true, true, true, true),
        (5, true, [.stateSecretDisclosure, .importantDataIntegrityLoss], true, true, true, true, true),
        (3, false, [.serviceInterruption], true, false, false, true, true),
        (nil, false, [.serviceInterruption], true, false, false, true, true),
        (4, false, [], true, false, true, false, true),
        (4, false, [.serviceInterruption], false, false, true, true, false),
        (2, false, [], false, false, false, false, false),
    ])
    func suggestion(
        level: Int?, national: Bool, impacts: [ImpactFlag], beyond: Bool,
        serious: Bool, system: Bool, impact: Bool, capability: Bool
    ) {
        let facts = SeriousIncidentFacts(highestApprovedLevel: level, nationalImportant: national, impactFlags: Set(impacts), beyondCapability: beyond)
        let s = Self.criteria.suggest(facts)
        #expect(s.isSerious == serious)
        #expect(s.systemQualifies == system)
        #expect(s.impactQualifies == impact)
        #expect(s.capabilityQualifies == capability)
        #expect(s.reasons.count == 3)
        #expect(s.reasons.allSatisfy { !$0.vi.isEmpty && !$0.en.isEmpty })
        #expect(s.ruleId == "incidents.serious")
        #expect(s.ruleVersion == Self.criteria.header.version)
        #expect(s.summary.vi.contains(serious ? "Đề xuất: sự cố an toàn thông tin mạng nghiêm trọng" : "không phải sự cố nghiêm trọng"))
    }

    @Test func reasonsNameTheLevelTheImpactsAndTheCapability() {
        let s = Self.criteria.suggest(SeriousIncidentFacts(
            highestApprovedLevel: 4, nationalImportant: false, impactFlags: [.likelyToSpread, .serviceInterruption], beyondCapability: true))
        #expect(s.reasons[0].vi.contains("cấp độ 4 (từ cấp độ 4 trở lên): thỏa điều kiện về hệ thống"))
        // Impacts are listed in the rule's order, whatever the order of the facts.
        #expect(s.reasons[1].en == "Impact: Service interruption; Likely to spread widely or cause chain effects on other level 4–5 systems: the impact condition holds.")
        #expect(s.reasons[2].vi.contains("không tự kiểm soát, xử lý được"))

        let none = Self.criteria.suggest(SeriousIncidentFacts(highestApprovedLevel: nil, nationalImportant: false, impactFlags: [], beyondCapability: false))
        #expect(none.reasons[0].vi.contains("chưa có cấp độ được phê duyệt"))
        #expect(none.reasons[0].en.contains("is not on the list of national important information systems"))
        #expect(none.reasons[1].en.hasPrefix("None of these impacts:"))
        #expect(none.reasons[2].en == "The owner can handle the incident alone: the condition does not hold.")
    }

    @Test func thresholdsComeFromTheRuleData() {
        var criteria = Self.criteria
        criteria.minimumLevel = 3
        criteria.requiresBeyondCapability = false
        let facts = SeriousIncidentFacts(highestApprovedLevel: 3, nationalImportant: false, impactFlags: [.serviceInterruption], beyondCapability: false)
        #expect(!Self.criteria.suggest(facts).isSerious)
        let s = criteria.suggest(facts)
        #expect(s.isSerious)
        #expect(s.reasons[0].vi.contains("từ cấp độ 3 trở lên"))
        criteria.nationalImportantQualifies = false
        #expect(!criteria.suggest(SeriousIncidentFacts(highestApprovedLevel: 2, nationalImportant: true, impactFlags: [.lossOfControl], beyondCapability: true)).isSerious)
    }

    @Test func everyImpactHasATitle() {
        #expect(Self.criteria.impacts.map(\.flag) == ImpactFlag.allCases)
        for flag in ImpactFlag.allCases { #expect(Self.criteria.title(of: flag).vi != flag.rawValue) }
        #expect(ImpactFlag.allCases.map(\.rawValue) == [
            "service_interruption", "state_secret_disclosure", "important_data_integrity_loss", "loss_of_control", "likely_to_spread",
        ])
    }
}
