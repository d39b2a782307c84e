import Foundation

/// The harms that, on a level 4–5 or national important system, make an incident serious under
/// Decision 05/2017/QĐ-TTg (domain.md §5.1).
public enum ImpactFlag: String, CaseIterable, Codable, Sendable {
    case serviceInterruption = "service_interruption"
    /// Top-secret or state-secret data may have been disclosed.
    case stateSecretDisclosure = "state_secret_disclosure"
    /// Important data lost its integrity and cannot be restored.
    case importantDataIntegrityLoss = "important_data_integrity_loss"
    case lossOfControl = "loss_of_control"
    /// Likely to spread widely or to cause chain effects on other level 4–5 systems.
    case likelyToSpread = "likely_to_spread"
}

/// What the serious-incident suggestion reads about a case.
public struct SeriousIncidentFacts: Codable, Sendable, Equatable {
    /// Highest approved level among the affected systems; nil when none has an approved level.
    public var highestApprovedLevel: Int?
    /// One of the affected systems is on the list of national important information systems.
    public var nationalImportant: Bool
    public var impactFlags: Set<ImpactFlag>
    /// The owner cannot control or handle the incident alone.
    public var beyondCapability: Bool

    public init(highestApprovedLevel: Int?, nationalImportant: Bool, impactFlags: Set<ImpactFlag>, beyondCapability: Bool) {
        self.highestApprovedLevel = highestApprovedLevel
        self.nationalImportant = nationalImportant
        self.impactFlags = impactFlags
        self.beyondCapability = beyondCapability
    }
}

/// A computed suggestion; a person confirms whether the case is serious.
public struct SeriousIncidentSuggestion: Codable, Sendable, Equatable {
    public var isSerious: Bool
    public var systemQualifies: Bool
    public var impactQualifies: Bool
    public var capabilityQualifies: Bool
    /// One reason per condition: system, impact, capability.
    public var reasons: [LocalizedText]
    public var summary: LocalizedText
    public var confidence: Confidence
    public var ruleId: String
    public var ruleVersion: String
}

/// One harm as the rule data names it.
public struct ImpactDefinition: Codable, Sendable, Equatable {
    public var flag: ImpactFlag
    public var title: LocalizedText

    public init(flag: ImpactFlag, title: LocalizedText) {
        self.flag = flag
        self.title = title
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try c.rejectUnknownKeys(["flag", "title"])
        flag = try c.decode(ImpactFlag.self, forKey: AnyCodingKey("flag"))
        title = try c.decode(LocalizedText.self, forKey: AnyCodingKey("title"))
        try c.nonBlank(title, "title")
    }
}

/// `incidents.serious`: the Decision 05/2017 criteria. Serious = the system condition (level ≥
/// `minimumLevel`, or national important when `nationalImportantQualifies`) and at least one impact,
/// and (when `requiresBeyondCapability`) the owner cannot handle it alone.
public struct SeriousIncidentCriteria: RuleFileContent, Equatable {
    public static let ruleId = "incidents.serious"
    public var header: RuleFileHeader
    public var minimumLevel: Int
    public var nationalImportantQualifies: Bool
    public var requiresBeyondCapability: Bool
    /// Every ``ImpactFlag`` once, in the order shown to people.
    public var impacts: [ImpactDefinition]

    public init(
        header: RuleFileHeader, minimumLevel: Int, nationalImportantQualifies: Bool, requiresBeyondCapability: Bool,
        impacts: [ImpactDefinition]
    ) {
        self.header = header
        self.minimumLevel = minimumLevel
        self.nationalImportantQualifies = nationalImportantQualifies
        self.requiresBeyondCapability = requiresBeyondCapability
        self.impacts = impacts
    }

    public init(from decoder: any Decoder) throws {
        let allowed: Set<String> = ["minimumLevel", "nationalImportantQualifies", "requiresBeyondCapability", "impacts"]
        let decoded = try decodeRuleFile(decoder, allowedParameters: allowed) { p in
            let level = try p.decode(Int.self, forKey: AnyCodingKey("minimumLevel"))
            guard (1...5).contains(level) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("minimumLevel"), in: p, debugDescription: "level must be 1–5, not \(level)")
            }
            let national = try p.decode(Bool.self, forKey: AnyCodingKey("nationalImportantQualifies"))
            let beyond = try p.decode(Bool.self, forKey: AnyCodingKey("requiresBeyondCapability"))
            let impacts = try p.decode([ImpactDefinition].self, forKey: AnyCodingKey("impacts"))
            var seen = Set<ImpactFlag>()
            for (index, impact) in impacts.enumerated() where !seen.insert(impact.flag).inserted {
                throw try p.errorInList("impacts", index: index, field: "flag", "duplicate impact \"\(impact.flag.rawValue)\"")
            }
            if let missing = ImpactFlag.allCases.first(where: { !seen.contains($0) }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("impacts"), in: p, debugDescription: "missing impact \"\(missing.rawValue)\"")
            }
            return (level, national, beyond, impacts)
        }
        header = decoded.0
        (minimumLevel, nationalImportantQualifies, requiresBeyondCapability, impacts) = decoded.1
    }

    public func title(of flag: ImpactFlag) -> LocalizedText {
        impacts.first { $0.flag == flag }?.title ?? LocalizedText(vi: flag.rawValue, en: flag.rawValue)
    }

    /// Whether the case looks serious, with one reason per condition.
    public func suggest(_ facts: SeriousIncidentFacts) -> SeriousIncidentSuggestion {
        let levelQualifies = facts.highestApprovedLevel.map { $0 >= minimumLevel } ?? false
        let nationalQualifies = nationalImportantQualifies && facts.nationalImportant
        let systemQualifies = levelQualifies || nationalQualifies
        let present = impacts.filter { facts.impactFlags.contains($0.flag) }
        let impactQualifies = !present.isEmpty
        let capabilityQualifies = !requiresBeyondCapability || facts.beyondCapability
        let isSerious = systemQualifies && impactQualifies && capabilityQualifies

        let levelText: LocalizedText = facts.highestApprovedLevel.map {
            LocalizedText(vi: "cấp độ \($0)", en: "level \($0)")
        } ?? LocalizedText(vi: "chưa có cấp độ được phê duyệt", en: "no approved level")
        let threshold = LocalizedText(vi: "từ cấp độ \(minimumLevel) trở lên", en: "level \(minimumLevel) or above")
        let system: LocalizedText
        if levelQualifies {
            system = LocalizedText(
                vi: "Hệ thống thông tin bị ảnh hưởng có \(levelText.vi) (\(threshold.vi)): thỏa điều kiện về hệ thống.",
                en: "The affected system has \(levelText.en) (\(threshold.en)): the system condition holds.")
        } else if nationalQualifies {
            system = LocalizedText(
                vi: "Hệ thống thông tin bị ảnh hưởng thuộc Danh mục hệ thống thông tin quan trọng quốc gia: thỏa điều kiện về hệ thống.",
                en: "The affected system is on the list of national important information systems: the system condition holds.")
        } else {
            let listVi = nationalImportantQualifies ? " và không thuộc Danh mục hệ thống thông tin quan trọng quốc gia" : ""
            let listEn = nationalImportantQualifies ? " and is not on the list of national important information systems" : ""
            system = LocalizedText(
                vi: "Hệ thống thông tin bị ảnh hưởng có \(levelText.vi) (cần \(threshold.vi))\(listVi): không thỏa điều kiện về hệ thống.",
                en: "The affected system has \(levelText.en) (\(threshold.en) needed)\(listEn): the system condition does not hold.")
        }
        let impact: LocalizedText
        if impactQualifies {
            impact = LocalizedText(
                vi: "Hậu quả: \(present.map(\.title.vi).joined(separator: "; ")): thỏa điều kiện về hậu quả.",
                en: "Impact: \(present.map(\.title.en).joined(separator: "; ")): the impact condition holds.")
        } else {
            impact = LocalizedText(
                vi: "Không có hậu quả nào trong các trường hợp: \(impacts.map(\.title.vi).joined(separator: "; ")): không thỏa điều kiện về hậu quả.",
                en: "None of these impacts: \(impacts.map(\.title.en).joined(separator: "; ")): the impact condition does not hold.")
        }
        let capability: LocalizedText
        if !requiresBeyondCapability {
            capability = LocalizedText(
                vi: "Quy tắc đang áp dụng không yêu cầu điều kiện vượt quá khả năng tự xử lý.",
                en: "The rule in force does not require the incident to be beyond the owner's capability.")
        } else if facts.beyondCapability {
            capability = LocalizedText(
                vi: "Chủ quản hệ thống thông tin không tự kiểm soát, xử lý được sự cố: thỏa điều kiện.",
                en: "The owner cannot control or handle the incident alone: the condition holds.")
        } else {
            capability = LocalizedText(
                vi: "Chủ quản hệ thống thông tin tự xử lý được sự cố: không thỏa điều kiện.",
                en: "The owner can handle the incident alone: the condition does not hold.")
        }
        let summary = isSerious
            ? LocalizedText(
                vi: "Đề xuất: sự cố an toàn thông tin mạng nghiêm trọng theo Quyết định 05/2017/QĐ-TTg; cần người có thẩm quyền xác nhận.",
                en: "Suggestion: a serious incident under Decision 05/2017/QĐ-TTg; a person must confirm it.")
            : LocalizedText(
                vi: "Đề xuất: không phải sự cố nghiêm trọng theo Quyết định 05/2017/QĐ-TTg (các điều kiện phải cùng thỏa).",
                en: "Suggestion: not a serious incident under Decision 05/2017/QĐ-TTg (all conditions must hold).")
        return SeriousIncidentSuggestion(
            isSerious: isSerious, systemQualifies: systemQualifies, impactQualifies: impactQualifies,
            capabilityQualifies: capabilityQualifies, reasons: [system, impact, capability], summary: summary,
            confidence: header.confidence, ruleId: header.id, ruleVersion: header.version)
    }
}
