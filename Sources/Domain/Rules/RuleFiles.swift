import Foundation

/// A kind of rule data file: one id, any number of dated versions. Decoding validates the content so
/// that a broken province override is refused when it is read, not when it is used.
public protocol RuleFileContent: Decodable, Sendable {
    /// The `id` of the files of this kind (e.g. `decree85.criteria`).
    static var ruleId: String { get }
    var header: RuleFileHeader { get }
}

extension RuleFileContent {
    /// Decodes a file of this kind (through `Self`, which avoids decoding via an existential metatype).
    static func decodeContent(from data: Data) throws -> any RuleFileContent {
        try JSONDecoder().decode(Self.self, from: data)
    }
}

/// Decodes a rule file whose parameters are read by `parameters`, with the header alongside; unknown keys at the top
/// and among the parameters are refused, naming them. Every rule kind decodes through it.
func decodeRuleFile<T>(
    _ decoder: any Decoder, allowedParameters: Set<String>,
    _ parameters: (KeyedDecodingContainer<AnyCodingKey>) throws -> T
) throws -> (RuleFileHeader, T) {
    let top = try decoder.container(keyedBy: AnyCodingKey.self)
    // A misspelt optional key (say "efectiveTo") would otherwise pass unnoticed.
    try top.rejectUnknownKeys(RuleFileHeader.fieldNames.union(["parameters", "comment"]))
    let header = try RuleFileHeader(from: decoder)
    let p = try top.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("parameters"))
    try p.rejectUnknownKeys(allowedParameters.union(["comment"]))
    return (header, try parameters(p))
}

// MARK: - Decree 85 criteria

/// One criterion of Decree 85 Art 7–11: a system meeting it is at least at `level`.
public struct Criterion: Decodable, Sendable, Equatable {
    public var id: String
    public var level: Int
    public var article: LocalizedText
    public var title: LocalizedText
    public var confidence: Confidence
    public var note: LocalizedText?
    public var when: Condition

    public init(
        id: String, level: Int, article: LocalizedText, title: LocalizedText, confidence: Confidence,
        note: LocalizedText? = nil, when: Condition
    ) {
        self.id = id
        self.level = level
        self.article = article
        self.title = title
        self.confidence = confidence
        self.note = note
        self.when = when
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try c.rejectUnknownKeys(["id", "level", "article", "title", "confidence", "note", "when"])
        id = try c.decode(String.self, forKey: AnyCodingKey("id"))
        if id.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("id"), in: c, debugDescription: "must not be empty")
        }
        level = try c.decode(Int.self, forKey: AnyCodingKey("level"))
        guard (1...5).contains(level) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("level"), in: c, debugDescription: "level must be 1–5, not \(level)")
        }
        article = try c.decode(LocalizedText.self, forKey: AnyCodingKey("article"))
        title = try c.decode(LocalizedText.self, forKey: AnyCodingKey("title"))
        confidence = try c.decode(Confidence.self, forKey: AnyCodingKey("confidence"))
        note = try c.decodeIfPresent(LocalizedText.self, forKey: AnyCodingKey("note"))
        when = try c.decode(Condition.self, forKey: AnyCodingKey("when"))
    }
}

/// `decree85.criteria`: the level criteria as data.
public struct ClassificationRules: RuleFileContent, Equatable {
    public static let ruleId = "decree85.criteria"
    public var header: RuleFileHeader
    public var criteria: [Criterion]

    public init(header: RuleFileHeader, criteria: [Criterion]) {
        self.header = header
        self.criteria = criteria
    }

    public init(from decoder: any Decoder) throws {
        (header, criteria) = try decodeRuleFile(decoder, allowedParameters: ["criteria"]) { p in
            let criteria = try p.decode([Criterion].self, forKey: AnyCodingKey("criteria"))
            if criteria.isEmpty {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("criteria"), in: p, debugDescription: "must list at least one criterion")
            }
            var seen = Set<String>()
            for (index, criterion) in criteria.enumerated() where !seen.insert(criterion.id).inserted {
                let list = try p.nestedUnkeyedContainer(forKey: AnyCodingKey("criteria"))
                throw DecodingError.dataCorrupted(.init(
                    codingPath: list.codingPath + [AnyCodingKey(intValue: index)!, AnyCodingKey("id")],
                    debugDescription: "duplicate criterion id \"\(criterion.id)\""))
            }
            return criteria
        }
    }

    /// Boundaries of the user-count tests, in "count < t" form, ascending: a change of
    /// `personalDataSubjects` matters only when it crosses one.
    public var userCountThresholds: [Int] {
        let all = criteria.flatMap(\.when.atoms)
            .filter { $0.field == .personalDataSubjects }
            .flatMap(\.test.countBoundaries)
        return Array(Set(all)).sorted()
    }
}

// MARK: - Decree 85 workflow

/// `decree85.workflow`: who must give a technical opinion, time limits, and which changes of the
/// facts require the level to be determined again (Art 18).
public struct DossierRules: RuleFileContent, Equatable {
    public static let ruleId = "decree85.workflow"
    public var header: RuleFileHeader
    /// Levels whose dossier needs the owner's specialised security unit's technical opinion first.
    public var technicalOpinionLevels: Set<Int>
    /// Calendar days for appraisal from a complete dossier, by level.
    public var appraisalDueDays: [Int: Int]
    /// Working days for approval after appraisal, by level.
    public var approvalDueWorkingDays: [Int: Int]
    /// ``ClassificationInput`` field names (and `components`) whose change requires re-determination.
    public var redeterminationFields: [String]
    /// User-count boundaries taken from the criteria in effect at the same date (filled by ``RuleBook``;
    /// see ``ClassificationRules/userCountThresholds``).
    public var userCountThresholds: [Int]

    public static let knownRedeterminationFields: [String] =
        ConditionField.allCases.map(\.rawValue) + ["components"]

    public init(
        header: RuleFileHeader, technicalOpinionLevels: Set<Int>, appraisalDueDays: [Int: Int],
        approvalDueWorkingDays: [Int: Int], redeterminationFields: [String], userCountThresholds: [Int] = []
    ) {
        self.header = header
        self.technicalOpinionLevels = technicalOpinionLevels
        self.appraisalDueDays = appraisalDueDays
        self.approvalDueWorkingDays = approvalDueWorkingDays
        self.redeterminationFields = redeterminationFields
        self.userCountThresholds = userCountThresholds
    }

    public init(from decoder: any Decoder) throws {
        let allowed: Set<String> = ["technicalOpinionLevels", "appraisalDueDays", "approvalDueWorkingDays", "redeterminationFields"]
        let decoded = try decodeRuleFile(decoder, allowedParameters: allowed) { p in
            let levels = try p.decode([Int].self, forKey: AnyCodingKey("technicalOpinionLevels"))
            if let bad = levels.first(where: { !(1...5).contains($0) }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("technicalOpinionLevels"), in: p, debugDescription: "level must be 1–5, not \(bad)")
            }
            let appraisal = try p.decodeLevelMap("appraisalDueDays", valueRange: 1...365)
            let approval = try p.decodeLevelMap("approvalDueWorkingDays", valueRange: 1...365)
            let fields = try p.decode([String].self, forKey: AnyCodingKey("redeterminationFields"))
            if let index = fields.firstIndex(where: { !Self.knownRedeterminationFields.contains($0) }) {
                let list = try p.nestedUnkeyedContainer(forKey: AnyCodingKey("redeterminationFields"))
                throw DecodingError.dataCorrupted(.init(
                    codingPath: list.codingPath + [AnyCodingKey(intValue: index)!],
                    debugDescription: "unknown field \"\(fields[index])\""))
            }
            return (Set(levels), appraisal, approval, fields)
        }
        header = decoded.0
        (technicalOpinionLevels, appraisalDueDays, approvalDueWorkingDays, redeterminationFields) = decoded.1
        userCountThresholds = []
    }

    /// Appraisal due date: `appraisalDueDays[level]` calendar days after `received` (Vietnam time).
    public func appraisalDueDate(level: Int, from received: Date) -> Date? {
        guard let days = appraisalDueDays[level] else { return nil }
        return RuleFileHeader.calendar.date(byAdding: .day, value: days, to: received)
    }

    /// Approval due date: `approvalDueWorkingDays[level]` working days (Monday–Friday, excluding
    /// `holidays` given as `yyyy-MM-dd`) after `appraised`, in Vietnam time.
    public func approvalDueDate(level: Int, from appraised: Date, holidays: Set<String> = []) -> Date? {
        guard let days = approvalDueWorkingDays[level] else { return nil }
        let calendar = RuleFileHeader.calendar
        var date = appraised
        var remaining = days
        while remaining > 0 {
            guard let next = calendar.date(byAdding: .day, value: 1, to: date) else { return nil }
            date = next
            let weekday = calendar.component(.weekday, from: date)
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let key = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            if weekday != 1 && weekday != 7 && !holidays.contains(key) { remaining -= 1 }
        }
        return date
    }
}

// MARK: - Decree 85 Art 12 authorities

/// Who appraises and who approves the level dossier of one level.
public struct AuthorityEntry: Codable, Sendable, Equatable {
    public var level: Int
    public var appraisingBody: LocalizedText
    public var approvingBody: LocalizedText
    public var technicalOpinionBody: LocalizedText?
    public var note: LocalizedText?

    public init(
        level: Int, appraisingBody: LocalizedText, approvingBody: LocalizedText,
        technicalOpinionBody: LocalizedText? = nil, note: LocalizedText? = nil
    ) {
        self.level = level
        self.appraisingBody = appraisingBody
        self.approvingBody = approvingBody
        self.technicalOpinionBody = technicalOpinionBody
        self.note = note
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try c.rejectUnknownKeys(["level", "appraisingBody", "approvingBody", "technicalOpinionBody", "note"])
        level = try c.decode(Int.self, forKey: AnyCodingKey("level"))
        appraisingBody = try c.decode(LocalizedText.self, forKey: AnyCodingKey("appraisingBody"))
        approvingBody = try c.decode(LocalizedText.self, forKey: AnyCodingKey("approvingBody"))
        technicalOpinionBody = try c.decodeIfPresent(LocalizedText.self, forKey: AnyCodingKey("technicalOpinionBody"))
        note = try c.decodeIfPresent(LocalizedText.self, forKey: AnyCodingKey("note"))
    }
}

/// `decree85.authorities`: the Art 12 table as it applies at a date (the 2025 reorganisation moved the
/// ministry role to MPS/A05 and the provincial role to the provincial police). Seeds an editable table.
public struct AuthorityTable: RuleFileContent, Equatable {
    public static let ruleId = "decree85.authorities"
    public var header: RuleFileHeader
    public var entries: [AuthorityEntry]

    public init(header: RuleFileHeader, entries: [AuthorityEntry]) {
        self.header = header
        self.entries = entries
    }

    public init(from decoder: any Decoder) throws {
        (header, entries) = try decodeRuleFile(decoder, allowedParameters: ["entries"]) { p in
            let entries = try p.decode([AuthorityEntry].self, forKey: AnyCodingKey("entries"))
            let levels = entries.map(\.level)
            if levels.sorted() != Array(1...5) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("entries"), in: p,
                    debugDescription: "must have exactly one entry for each level 1–5 (found \(levels))")
            }
            return entries.sorted { $0.level < $1.level }
        }
    }

    public func entry(forLevel level: Int) -> AuthorityEntry? {
        entries.first { $0.level == level }
    }
}

// MARK: - Circular 12/2022 controls

public enum ControlFamily: String, Codable, Sendable, CaseIterable {
    case management, technical
}

public struct ControlGroup: Codable, Sendable, Equatable {
    public var id: String
    public var family: ControlFamily
    public var title: LocalizedText
    public var order: Int

    public init(id: String, family: ControlFamily, title: LocalizedText, order: Int) {
        self.id = id
        self.family = family
        self.title = title
        self.order = order
    }
}

public struct Control: Codable, Sendable, Equatable {
    public var id: String
    public var group: String
    /// Lowest level at which the control is required; it applies to every level at or above it.
    public var firstLevel: Int
    public var title: LocalizedText
    public var description: LocalizedText
    public var evidence: LocalizedText

    public init(id: String, group: String, firstLevel: Int, title: LocalizedText, description: LocalizedText, evidence: LocalizedText) {
        self.id = id
        self.group = group
        self.firstLevel = firstLevel
        self.title = title
        self.description = description
        self.evidence = evidence
    }

    public func applies(toLevel level: Int) -> Bool { level >= firstLevel }
}

/// `circular12.controls`: the basic requirements of Circular 12/2022 (cumulative by level).
public struct ControlCatalogue: RuleFileContent, Equatable {
    public static let ruleId = "circular12.controls"
    public var header: RuleFileHeader
    public var groups: [ControlGroup]
    public var controls: [Control]
    /// How sure the data is about each control's first level (the annexes were not read; a guess).
    public var firstLevelConfidence: Confidence

    public init(header: RuleFileHeader, groups: [ControlGroup], controls: [Control], firstLevelConfidence: Confidence) {
        self.header = header
        self.groups = groups.sorted { $0.order < $1.order }
        self.controls = controls
        self.firstLevelConfidence = firstLevelConfidence
    }

    public init(from decoder: any Decoder) throws {
        let decoded = try decodeRuleFile(decoder, allowedParameters: ["groups", "controls", "firstLevelConfidence"]) { p in
            let groups = try p.decode([ControlGroup].self, forKey: AnyCodingKey("groups"))
            let controls = try p.decode([Control].self, forKey: AnyCodingKey("controls"))
            let confidence = try p.decode(Confidence.self, forKey: AnyCodingKey("firstLevelConfidence"))
            let groupIds = Set(groups.map(\.id))
            if groupIds.count != groups.count {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("groups"), in: p, debugDescription: "duplicate group id")
            }
            var seen = Set<String>()
            for (index, control) in controls.enumerated() {
                let path = try p.nestedUnkeyedContainer(forKey: AnyCodingKey("controls")).codingPath + [AnyCodingKey(intValue: index)!]
                if !seen.insert(control.id).inserted {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: path + [AnyCodingKey("id")], debugDescription: "duplicate control id \"\(control.id)\""))
                }
                if !groupIds.contains(control.group) {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: path + [AnyCodingKey("group")], debugDescription: "unknown group \"\(control.group)\""))
                }
                if !(1...5).contains(control.firstLevel) {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: path + [AnyCodingKey("firstLevel")], debugDescription: "level must be 1–5, not \(control.firstLevel)"))
                }
            }
            return (groups, controls, confidence)
        }
        header = decoded.0
        groups = decoded.1.0.sorted { $0.order < $1.order }
        controls = decoded.1.1
        firstLevelConfidence = decoded.1.2
    }

    /// The controls a system of `level` must implement, in group order then file order.
    public func applicable(toLevel level: Int) -> [Control] {
        let order = Dictionary(uniqueKeysWithValues: groups.map { ($0.id, $0.order) })
        return controls.enumerated()
            .filter { $0.element.applies(toLevel: level) }
            .sorted { (order[$0.element.group] ?? 0, $0.offset) < (order[$1.element.group] ?? 0, $1.offset) }
            .map(\.element)
    }

    public func group(_ id: String) -> ControlGroup? { groups.first { $0.id == id } }
}

// MARK: - System obligations

/// Title and legal basis of one duty.
public struct DutyDefinition: Codable, Sendable, Equatable {
    public var title: LocalizedText
    public var basis: [LegalBasis]

    public init(title: LocalizedText, basis: [LegalBasis]) {
        self.title = title
        self.basis = basis
    }
}

/// `obligations.systems`: parameters of the duties of an information system.
public struct SystemObligationRules: RuleFileContent, Equatable {
    public static let ruleId = "obligations.systems"
    public var header: RuleFileHeader
    /// A duty falls due soon this many days before its due date.
    public var dueSoonDays: Int
    /// Months between periodic assessments, by approved level.
    public var assessmentIntervalMonths: [Int: Int]
    /// Lowest approved level that must be assessed periodically.
    public var periodicAssessmentFromLevel: Int
    /// Lowest approved level whose assessments must be independent of the monitoring/protection provider.
    public var independentAssessmentFromLevel: Int
    /// Title and basis of each duty, by duty id.
    public var duties: [String: DutyDefinition]

    public init(
        header: RuleFileHeader, dueSoonDays: Int, assessmentIntervalMonths: [Int: Int],
        periodicAssessmentFromLevel: Int, independentAssessmentFromLevel: Int, duties: [String: DutyDefinition]
    ) {
        self.header = header
        self.dueSoonDays = dueSoonDays
        self.assessmentIntervalMonths = assessmentIntervalMonths
        self.periodicAssessmentFromLevel = periodicAssessmentFromLevel
        self.independentAssessmentFromLevel = independentAssessmentFromLevel
        self.duties = duties
    }

    public init(from decoder: any Decoder) throws {
        let allowed: Set<String> = [
            "dueSoonDays", "assessmentIntervalMonths", "periodicAssessmentFromLevel",
            "independentAssessmentFromLevel", "duties",
        ]
        let decoded = try decodeRuleFile(decoder, allowedParameters: allowed) { p in
            let dueSoon = try p.decode(Int.self, forKey: AnyCodingKey("dueSoonDays"))
            guard (0...366).contains(dueSoon) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("dueSoonDays"), in: p, debugDescription: "must be 0–366, not \(dueSoon)")
            }
            let intervals = try p.decodeLevelMap("assessmentIntervalMonths", valueRange: 1...120)
            let periodicFrom = try p.decode(Int.self, forKey: AnyCodingKey("periodicAssessmentFromLevel"))
            let independentFrom = try p.decode(Int.self, forKey: AnyCodingKey("independentAssessmentFromLevel"))
            for (key, value) in [("periodicAssessmentFromLevel", periodicFrom), ("independentAssessmentFromLevel", independentFrom)]
            where !(1...5).contains(value) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey(key), in: p, debugDescription: "level must be 1–5, not \(value)")
            }
            if let missing = (periodicFrom...5).first(where: { intervals[$0] == nil }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("assessmentIntervalMonths"), in: p,
                    debugDescription: "no interval for level \(missing), which must be assessed periodically")
            }
            let duties = try p.decode([String: DutyDefinition].self, forKey: AnyCodingKey("duties"))
            let known = Set(SystemDuty.allCases.map(\.rawValue))
            let nested = try p.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("duties"))
            if let unknown = duties.keys.sorted().first(where: { !known.contains($0) }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey(unknown), in: nested, debugDescription: "unknown duty \"\(unknown)\"")
            }
            if let missing = SystemDuty.allCases.first(where: { duties[$0.rawValue] == nil }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("duties"), in: p, debugDescription: "missing duty \"\(missing.rawValue)\"")
            }
            return (dueSoon, intervals, periodicFrom, independentFrom, duties)
        }
        header = decoded.0
        (dueSoonDays, assessmentIntervalMonths, periodicAssessmentFromLevel, independentAssessmentFromLevel, duties) = decoded.1
    }
}
