import Foundation

/// The reporting duties of an incident (domain.md §5.3, §6, §9.3). Raw values are stored.
public enum IncidentClockKind: String, CaseIterable, Codable, Sendable {
    /// Circular 20/2017: notify owner, national coordinating body, specialised unit within 5 days.
    case notification = "NOTIFICATION"
    /// Circular 20/2017: initial report when the agency cannot handle the incident alone.
    case initialReport = "INITIAL_REPORT"
    /// Circular 20/2017: final report within 5 days after the response ends.
    case finalReport = "FINAL_REPORT"
    /// Personal-data breach notice to MPS/A05 (Decree 13/2023, then Law 91/2025 and Decree 356/2025).
    case pdpBreachNotice = "PDP_BREACH_NOTICE"
    /// Decision 05/2017: escalate a confirmed serious incident immediately.
    case seriousEscalation = "SERIOUS_ESCALATION"
}

/// How a deadline's amount is counted.
public enum DeadlineUnit: String, CaseIterable, Codable, Sendable {
    /// Exactly `amount` × 3600 seconds.
    case hours
    /// `amount` days later in Vietnam at the same local clock time.
    case calendarDays = "calendar_days"
    /// `amount` working days later (Monday–Friday, without the holidays of `calendar.holidays`), same local clock time.
    case workingDays = "working_days"
}

/// The fact a clock counts from.
public enum IncidentClockAnchor: String, CaseIterable, Codable, Sendable {
    case detectedAt = "detected_at"
    /// When the incident occurred, or its detection when that is unknown.
    case occurredAt = "occurred_at"
    case responseCompletedAt = "response_completed_at"
    case seriousConfirmedAt = "serious_confirmed_at"
}

/// When a duty applies at all.
public enum IncidentClockCondition: String, CaseIterable, Codable, Sendable {
    case always
    case beyondCapability = "beyond_capability"
    case personalDataInvolved = "personal_data_involved"
    case seriousConfirmed = "serious_confirmed"
}

/// One reporting duty as rule data describes it.
public struct IncidentClockDefinition: Codable, Sendable, Equatable {
    public var kind: IncidentClockKind
    public var title: LocalizedText
    public var recipients: LocalizedText
    /// The form to use, where there is one.
    public var form: LocalizedText?
    public var basis: [LegalBasis]
    public var confidence: Confidence
    public var appliesWhen: IncidentClockCondition
    public var countsFrom: IncidentClockAnchor
    public var amount: Int
    public var unit: DeadlineUnit
    /// The clock is due soon from this many hours before its due time.
    public var dueSoonHours: Int
    public var note: LocalizedText?

    public init(
        kind: IncidentClockKind, title: LocalizedText, recipients: LocalizedText, form: LocalizedText? = nil,
        basis: [LegalBasis], confidence: Confidence, appliesWhen: IncidentClockCondition, countsFrom: IncidentClockAnchor,
        amount: Int, unit: DeadlineUnit, dueSoonHours: Int, note: LocalizedText? = nil
    ) {
        self.kind = kind
        self.title = title
        self.recipients = recipients
        self.form = form
        self.basis = basis
        self.confidence = confidence
        self.appliesWhen = appliesWhen
        self.countsFrom = countsFrom
        self.amount = amount
        self.unit = unit
        self.dueSoonHours = dueSoonHours
        self.note = note
    }

    static let fields: Set<String> = [
        "kind", "title", "recipients", "form", "basis", "confidence", "appliesWhen", "countsFrom", "amount", "unit",
        "dueSoonHours", "note",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try c.rejectUnknownKeys(Self.fields)
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
        kind = try c.decode(IncidentClockKind.self, forKey: key("kind"))
        title = try c.decode(LocalizedText.self, forKey: key("title"))
        try c.nonBlank(title, "title")
        recipients = try c.decode(LocalizedText.self, forKey: key("recipients"))
        try c.nonBlank(recipients, "recipients")
        form = try c.decodeIfPresent(LocalizedText.self, forKey: key("form"))
        basis = try c.decode([LegalBasis].self, forKey: key("basis"))
        if basis.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: key("basis"), in: c, debugDescription: "must cite at least one legal basis")
        }
        confidence = try c.decode(Confidence.self, forKey: key("confidence"))
        appliesWhen = try c.decode(IncidentClockCondition.self, forKey: key("appliesWhen"))
        countsFrom = try c.decode(IncidentClockAnchor.self, forKey: key("countsFrom"))
        amount = try c.decode(Int.self, forKey: key("amount"))
        guard (0...8760).contains(amount) else {
            throw DecodingError.dataCorruptedError(forKey: key("amount"), in: c, debugDescription: "must be 0–8760, not \(amount)")
        }
        unit = try c.decode(DeadlineUnit.self, forKey: key("unit"))
        dueSoonHours = try c.decode(Int.self, forKey: key("dueSoonHours"))
        guard (0...8760).contains(dueSoonHours) else {
            throw DecodingError.dataCorruptedError(forKey: key("dueSoonHours"), in: c, debugDescription: "must be 0–8760, not \(dueSoonHours)")
        }
        note = try c.decodeIfPresent(LocalizedText.self, forKey: key("note"))
    }
}

/// `incidents.clocks`: every reporting duty of an incident, one definition per ``IncidentClockKind``.
/// The version in effect at the incident's detection applies to it.
public struct IncidentClockRules: RuleFileContent, Equatable {
    public static let ruleId = "incidents.clocks"
    public var header: RuleFileHeader
    /// In ``IncidentClockKind`` order.
    public var clocks: [IncidentClockDefinition]

    public init(header: RuleFileHeader, clocks: [IncidentClockDefinition]) {
        self.header = header
        self.clocks = Self.ordered(clocks)
    }

    public init(from decoder: any Decoder) throws {
        (header, clocks) = try decodeRuleFile(decoder, allowedParameters: ["clocks"]) { p in
            let clocks = try p.decode([IncidentClockDefinition].self, forKey: AnyCodingKey("clocks"))
            var seen = Set<IncidentClockKind>()
            for (index, clock) in clocks.enumerated() where !seen.insert(clock.kind).inserted {
                throw try p.errorInList("clocks", index: index, field: "kind", "duplicate clock \"\(clock.kind.rawValue)\"")
            }
            if let missing = IncidentClockKind.allCases.first(where: { !seen.contains($0) }) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("clocks"), in: p, debugDescription: "missing clock \"\(missing.rawValue)\"")
            }
            return Self.ordered(clocks)
        }
    }

    private static func ordered(_ clocks: [IncidentClockDefinition]) -> [IncidentClockDefinition] {
        IncidentClockKind.allCases.compactMap { kind in clocks.first { $0.kind == kind } }
    }

    public func definition(_ kind: IncidentClockKind) -> IncidentClockDefinition? { clocks.first { $0.kind == kind } }
}

/// Lets `[IncidentClockKind: Date]` encode as a JSON object keyed by the raw values.
extension IncidentClockKind: CodingKeyRepresentable {}
