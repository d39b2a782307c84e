import Foundation
import Detection
import Domain

extension HuntShow {
    struct Group: Sendable {
        var groupKey: String
        var kind: String
        var label: String
        var ruleId: String?
        var level: String?
        var indicatorKind: String?
        /// Every hit the reader may see (beyond the stored ones).
        var hits: Int64
        /// Hits stored with their events that the reader may see.
        var stored: Int
    }

    struct SystemLine: Sendable {
        var system: InformationSystem
        var hits: Int64
        var assessmentId: UUID?
    }

    struct Model {
        let hunt: Hunt
        let reader: HuntReader
        let progress: Int
        let groups: [Group]
        let hitsTotal: Int64
        let hitsStored: Int
        let rules: [HuntRuleRef]
        let indicators: [Indicator]
        let scopeAgencies: [Agency]
        let scopeSystems: [InformationSystem]
        let scopeSources: [HuntSources.Source]
        let systems: [SystemLine]
        let agencyNames: [UUID: String]
    }
}
