import Foundation

/// `obligations.proactive`: parameters of the proactive duties of Directive 18/CT-TTg — vulnerability
/// scanning (rà quét lỗ hổng) and threat hunting (săn lùng mối nguy hại) every six months, remediation of
/// findings, and remediation per the warnings of competent authorities (cảnh báo của cơ quan chức năng).
public struct ProactiveObligationRules: RuleFileContent, Equatable {
    public static let ruleId = "obligations.proactive"
    public var header: RuleFileHeader
    /// A duty falls due soon this many days before its due day.
    public var dueSoonDays: Int
    /// Calendar months allowed between completed vulnerability scans of a system.
    public var scanIntervalMonths: Int
    /// Calendar months allowed between completed threat hunts on a system.
    public var huntIntervalMonths: Int
    /// Lifecycle states in which a system must be scanned and hunted (the others: not applicable).
    public var lifecycleStates: Set<LifecycleStatus>
    /// `yyyy-MM-dd`: a system never scanned (hunted) counts its first period from its go-live date (else the
    /// day it was recorded), but never from before this day — the directive's own date.
    public var firstPeriodFrom: String
    /// Days from a finding's first sighting to its remediation deadline, by severity; a severity absent
    /// here (info) has no deadline.
    public var remediationDays: [FindingSeverity: Int]
    /// Days from receipt for a warning that names no deadline; nil: such a warning has no due date.
    public var warningDefaultRemediationDays: Int?
    /// Longest a risk may be accepted before the finding must be looked at again (months); nil: no limit.
    public var riskAcceptanceMaxMonths: Int?
    /// Title and basis of each duty, by duty id.
    public var duties: [String: DutyDefinition]

    public init(
        header: RuleFileHeader, dueSoonDays: Int = 30, scanIntervalMonths: Int = 6, huntIntervalMonths: Int = 6,
        lifecycleStates: Set<LifecycleStatus> = [.operating], firstPeriodFrom: String = "2022-10-13",
        remediationDays: [FindingSeverity: Int] = [.critical: 7, .high: 30, .medium: 90, .low: 180],
        warningDefaultRemediationDays: Int? = 30, riskAcceptanceMaxMonths: Int? = 12, duties: [String: DutyDefinition] = [:]
    ) {
        self.header = header
        self.dueSoonDays = dueSoonDays
        self.scanIntervalMonths = scanIntervalMonths
        self.huntIntervalMonths = huntIntervalMonths
        self.lifecycleStates = lifecycleStates
        self.firstPeriodFrom = firstPeriodFrom
        self.remediationDays = remediationDays
        self.warningDefaultRemediationDays = warningDefaultRemediationDays
        self.riskAcceptanceMaxMonths = riskAcceptanceMaxMonths
        self.duties = duties
    }

    public init(from decoder: any Decoder) throws {
        let allowed: Set<String> = [
            "dueSoonDays", "scanIntervalMonths", "huntIntervalMonths", "lifecycleStates", "firstPeriodFrom",
            "remediationDays", "warningDefaultRemediationDays", "riskAcceptanceMaxMonths", "duties",
        ]
        let decoded = try decodeRuleFile(decoder, allowedParameters: allowed) { p -> ProactiveObligationRules in
            func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
                let value = try p.decode(Int.self, forKey: AnyCodingKey(key))
                guard range.contains(value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey(key), in: p, debugDescription: "must be \(range.lowerBound)–\(range.upperBound), not \(value)")
                }
                return value
            }
            func optionalInt(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
                guard let value = try p.decodeIfPresent(Int.self, forKey: AnyCodingKey(key)) else { return nil }
                guard range.contains(value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey(key), in: p, debugDescription: "must be \(range.lowerBound)–\(range.upperBound) or null, not \(value)")
                }
                return value
            }
            var r = ProactiveObligationRules(header: try RuleFileHeader(from: decoder))
            r.dueSoonDays = try int("dueSoonDays", 0...366)
            r.scanIntervalMonths = try int("scanIntervalMonths", 1...60)
            r.huntIntervalMonths = try int("huntIntervalMonths", 1...60)
            let states = try p.decode([String].self, forKey: AnyCodingKey("lifecycleStates"))
            var lifecycle = Set<LifecycleStatus>()
            for (index, raw) in states.enumerated() {
                guard let state = LifecycleStatus(rawValue: raw) else {
                    let list = try p.nestedUnkeyedContainer(forKey: AnyCodingKey("lifecycleStates"))
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: list.codingPath + [AnyCodingKey(intValue: index)!],
                        debugDescription: "unknown lifecycle state \"\(raw)\"; known: \(LifecycleStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                lifecycle.insert(state)
            }
            if lifecycle.isEmpty {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("lifecycleStates"), in: p, debugDescription: "must name at least one state")
            }
            r.lifecycleStates = lifecycle
            r.firstPeriodFrom = try p.decode(String.self, forKey: AnyCodingKey("firstPeriodFrom"))
            if RuleFileHeader.day(r.firstPeriodFrom) == nil {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("firstPeriodFrom"), in: p, debugDescription: "not a date yyyy-MM-dd: \"\(r.firstPeriodFrom)\"")
            }
            let raw = try p.decode([String: Int?].self, forKey: AnyCodingKey("remediationDays"))
            let nested = try p.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("remediationDays"))
            var days: [FindingSeverity: Int] = [:]
            for key in raw.keys.sorted() {
                guard let severity = FindingSeverity(rawValue: key) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey(key), in: nested,
                        debugDescription: "unknown severity \"\(key)\"; known: \(FindingSeverity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let value = raw[key] ?? nil else { continue }
                guard (1...3650).contains(value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey(key), in: nested, debugDescription: "must be 1–3650 days or null, not \(value)")
                }
                days[severity] = value
            }
            if let missing = FindingSeverity.allCases.first(where: { raw[$0.rawValue] == nil }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("remediationDays"), in: p,
                    debugDescription: "missing severity \"\(missing.rawValue)\" (write null for no deadline)")
            }
            // A graver finding must not get more time than a lesser one.
            let ordered = FindingSeverity.allCases.sorted(by: >).compactMap { s in days[s].map { (s, $0) } }
            for (graver, lesser) in zip(ordered, ordered.dropFirst()) where graver.1 > lesser.1 {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey(graver.0.rawValue), in: nested,
                    debugDescription: "\(graver.0.rawValue) (\(graver.1) days) must not be longer than \(lesser.0.rawValue) (\(lesser.1) days)")
            }
            r.remediationDays = days
            r.warningDefaultRemediationDays = try optionalInt("warningDefaultRemediationDays", 1...3650)
            r.riskAcceptanceMaxMonths = try optionalInt("riskAcceptanceMaxMonths", 1...120)
            r.duties = try p.decode([String: DutyDefinition].self, forKey: AnyCodingKey("duties"))
            let dutyKeys = try p.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("duties"))
            let known = Set(ProactiveDuty.allCases.map(\.rawValue))
            if let unknown = r.duties.keys.sorted().first(where: { !known.contains($0) }) {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey(unknown), in: dutyKeys, debugDescription: "unknown duty \"\(unknown)\"")
            }
            if let missing = ProactiveDuty.allCases.first(where: { r.duties[$0.rawValue] == nil }) {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("duties"), in: p, debugDescription: "missing duty \"\(missing.rawValue)\"")
            }
            return r
        }
        self = decoded.1
        header = decoded.0
    }

    /// Start of `firstPeriodFrom` in Vietnam.
    public var firstPeriodFromDate: Date { RuleFileHeader.day(firstPeriodFrom) ?? .distantPast }

    /// Months between completed activities of `kind`.
    public func intervalMonths(_ kind: AssessmentKind) -> Int {
        switch kind {
        case .vulnerabilityScan: scanIntervalMonths
        case .threatHunt: huntIntervalMonths
        }
    }

    /// Days allowed to remediate a finding of `severity`; nil when it has no deadline.
    public func remediationDays(for severity: FindingSeverity) -> Int? { remediationDays[severity] }
}

extension RuleBook {
    /// The proactive duties' rules in force at `date`.
    public func proactiveObligations(at date: Date = Date()) -> ProactiveObligationRules {
        rules(ProactiveObligationRules.self, at: date)
    }
}
