import Foundation
import Domain

/// The rule data incidents read: categories, Decision 05 criteria and reporting clocks.
enum IncidentRulesBridge {
    static let finalReportKind = IncidentClockKind.finalReport.rawValue

    static func categories(_ rules: RuleBook, at date: Date) -> IncidentCategoryList { rules.rules(IncidentCategoryList.self, at: date) }

    static func categoryCodes(_ rules: RuleBook, at date: Date) -> Set<String> { Set(categories(rules, at: date).codes) }

    static func criteria(_ rules: RuleBook, at date: Date) -> SeriousIncidentCriteria { rules.rules(SeriousIncidentCriteria.self, at: date) }

    static func seriousSuggestion(_ incident: Incident, systems: [InformationSystem], rules: RuleBook, at date: Date) -> SeriousIncidentSuggestion {
        let facts = SeriousIncidentFacts(
            highestApprovedLevel: systems.compactMap(\.approvedLevel).max(), nationalImportant: systems.contains { $0.nationalImportant },
            impactFlags: impactFlags(incident), beyondCapability: incident.beyondCapability)
        return criteria(rules, at: date).suggest(facts)
    }

    static func impactFlags(_ incident: Incident) -> Set<ImpactFlag> {
        Set(incident.impactFlagsRaw.split(separator: ",").compactMap { ImpactFlag(rawValue: String($0)) })
    }

    static func clockFacts(_ incident: Incident, sent: [IncidentReportRecord]) -> IncidentClockFacts {
        var sentAt: [IncidentClockKind: Date] = [:]
        for record in sent {
            guard let kind = IncidentClockKind(rawValue: record.kind) else { continue }
            sentAt[kind] = min(sentAt[kind] ?? record.sentAt, record.sentAt)
        }
        return IncidentClockFacts(
            detectedAt: incident.detectedAt, occurredAt: incident.occurredAt, responseCompletedAt: incident.responseCompletedAt,
            beyondCapability: incident.beyondCapability, personalDataInvolved: incident.personalData,
            seriousConfirmedAt: incident.seriousConfirmed == true ? incident.seriousConfirmedAt : nil, sentAt: sentAt,
            closedAt: incident.closedAt, resolution: incident.resolutionRaw.flatMap(IncidentResolution.init(rawValue:)))
    }

    static func clocks(_ incident: Incident, sent: [IncidentReportRecord], rules: RuleBook, now: Date) -> [IncidentClock] {
        IncidentClockEngine.clocks(clockFacts(incident, sent: sent), book: rules, now: now)
    }
}
