import Foundation

/// How the yearly drill duty counts its year.
public enum DrillMode: String, Codable, Sendable, CaseIterable {
    /// One executed drill in every calendar year (Vietnam time), due 31/12.
    case calendarYear = "calendar_year"
    /// At most 12 months between executed drills.
    case rolling12Months = "rolling_12_months"
}

/// A role inside a response team (leader, deputy, …), as data.
public struct TeamRoleDefinition: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
}

/// `obligations.response`: parameters of the duties of response teams, agencies' contact points,
/// response plans and drills (Directive 18/CT-TTg; Circular 20/2017).
public struct ResponseObligationRules: RuleFileContent, Equatable {
    public static let ruleId = "obligations.response"
    public var header: RuleFileHeader
    public var dueSoonDays: Int
    /// Experts (outsourced ones included) a response team needs.
    public var minExperts: Int
    /// An approved plan must be reviewed this many months after its approval even if nothing changed.
    public var planReviewMonths: Int
    /// Snapshot fields of a system whose change after the plan's approval makes the plan stale
    /// ("components" stands for the component list).
    public var planStaleFields: [String]
    public var drillMode: DrillMode
    /// Lowest approved level that must be drilled every year.
    public var drillFromLevel: Int
    /// Kinds of executed drill that satisfy the yearly duty.
    public var drillKinds: [DrillKind]
    /// Agency kinds that must publish a 24/7 incident contact point (besides every agency owning a system).
    public var focalPointAgencyKinds: [String]
    public var teamRoles: [TeamRoleDefinition]
    public var duties: [String: DutyDefinition]

    public init(from decoder: any Decoder) throws {
        let allowed: Set<String> = ["dueSoonDays", "minExperts", "planReviewMonths", "planStaleFields", "drillMode", "drillFromLevel",
                                    "drillKinds", "focalPointAgencyKinds", "teamRoles", "duties"]
        let decoded = try decodeRuleFile(decoder, allowedParameters: allowed) { p -> ResponseObligationRules in
            func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
                let value = try p.decode(Int.self, forKey: AnyCodingKey(key))
                guard range.contains(value) else {
                    throw DecodingError.dataCorruptedError(forKey: AnyCodingKey(key), in: p,
                                                           debugDescription: "must be \(range.lowerBound)–\(range.upperBound), not \(value)")
                }
                return value
            }
            var r = ResponseObligationRules(header: try RuleFileHeader(from: decoder))
            r.dueSoonDays = try int("dueSoonDays", 0...366)
            r.minExperts = try int("minExperts", 1...100)
            r.planReviewMonths = try int("planReviewMonths", 1...120)
            r.drillFromLevel = try int("drillFromLevel", 1...5)
            r.planStaleFields = try p.decode([String].self, forKey: AnyCodingKey("planStaleFields"))
            r.drillMode = try p.decode(DrillMode.self, forKey: AnyCodingKey("drillMode"))
            r.drillKinds = try p.decode([DrillKind].self, forKey: AnyCodingKey("drillKinds"))
            if r.drillKinds.isEmpty {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("drillKinds"), in: p, debugDescription: "must name at least one kind")
            }
            r.focalPointAgencyKinds = try p.decode([String].self, forKey: AnyCodingKey("focalPointAgencyKinds"))
            r.teamRoles = try p.decode([TeamRoleDefinition].self, forKey: AnyCodingKey("teamRoles"))
            if r.teamRoles.isEmpty {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("teamRoles"), in: p, debugDescription: "must name at least one role")
            }
            r.duties = try p.decode([String: DutyDefinition].self, forKey: AnyCodingKey("duties"))
            let nested = try p.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("duties"))
            let known = Set(ResponseDuty.allCases.map(\.rawValue))
            if let unknown = r.duties.keys.sorted().first(where: { !known.contains($0) }) {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey(unknown), in: nested, debugDescription: "unknown duty \"\(unknown)\"")
            }
            if let missing = ResponseDuty.allCases.first(where: { r.duties[$0.rawValue] == nil }) {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("duties"), in: p, debugDescription: "missing duty \"\(missing.rawValue)\"")
            }
            return r
        }
        self = decoded.1
        header = decoded.0
    }

    /// Defaults for tests and for building a value by hand.
    public init(header: RuleFileHeader, dueSoonDays: Int = 30, minExperts: Int = 5, planReviewMonths: Int = 12,
                planStaleFields: [String] = ["components", "hosting", "hostingProvider", "networkAddresses", "domains", "urls", "operatorName", "approvedLevel"],
                drillMode: DrillMode = .calendarYear, drillFromLevel: Int = 3,
                drillKinds: [DrillKind] = [.realCombat, .nationalExercise, .provincialExercise],
                focalPointAgencyKinds: [String] = [], teamRoles: [TeamRoleDefinition] = [], duties: [String: DutyDefinition] = [:]) {
        self.header = header
        self.dueSoonDays = dueSoonDays
        self.minExperts = minExperts
        self.planReviewMonths = planReviewMonths
        self.planStaleFields = planStaleFields
        self.drillMode = drillMode
        self.drillFromLevel = drillFromLevel
        self.drillKinds = drillKinds
        self.focalPointAgencyKinds = focalPointAgencyKinds
        self.teamRoles = teamRoles
        self.duties = duties
    }

    public func teamRole(_ id: String) -> TeamRoleDefinition? { teamRoles.first { $0.id == id } }
}

/// One step of a scenario template.
public struct ScenarioStep: Codable, Sendable, Equatable {
    public var id: String
    public var text: LocalizedText

    public init(id: String, text: LocalizedText) {
        self.id = id
        self.text = text
    }
}

/// A response scenario template (kịch bản ứng cứu sự cố): steps per phase.
public struct ScenarioTemplate: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
    public var summary: LocalizedText
    /// Circular 20 incident categories the scenario answers.
    public var categories: [String]
    public var steps: [ResponsePhase: [ScenarioStep]]

    private enum CodingKeys: String, CodingKey { case id, title, summary, categories, steps }

    public init(id: String, title: LocalizedText, summary: LocalizedText, categories: [String], steps: [ResponsePhase: [ScenarioStep]]) {
        self.id = id
        self.title = title
        self.summary = summary
        self.categories = categories
        self.steps = steps
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(LocalizedText.self, forKey: .title)
        summary = try c.decode(LocalizedText.self, forKey: .summary)
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        let raw = try c.decode([String: [ScenarioStep]].self, forKey: .steps)
        let nested = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .steps)
        var steps: [ResponsePhase: [ScenarioStep]] = [:]
        for (key, value) in raw {
            guard let phase = ResponsePhase(rawValue: key) else {
                throw DecodingError.dataCorruptedError(forKey: AnyCodingKey(key), in: nested, debugDescription: "unknown phase \"\(key)\"")
            }
            steps[phase] = value
        }
        if let missing = ResponsePhase.allCases.first(where: { (steps[$0] ?? []).isEmpty }) {
            throw DecodingError.dataCorruptedError(forKey: .steps, in: c, debugDescription: "scenario \(id) has no step for phase \(missing.rawValue)")
        }
        self.steps = steps
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(summary, forKey: .summary)
        try c.encode(categories, forKey: .categories)
        try c.encode(Dictionary(uniqueKeysWithValues: steps.map { ($0.key.rawValue, $0.value) }), forKey: .steps)
    }

    public func steps(_ phase: ResponsePhase) -> [ScenarioStep] { steps[phase] ?? [] }
}

/// `response.scenarios`: the library of scenario templates plans start from.
public struct ScenarioLibrary: RuleFileContent, Equatable {
    public static let ruleId = "response.scenarios"
    public var header: RuleFileHeader
    public var scenarios: [ScenarioTemplate]

    public init(header: RuleFileHeader, scenarios: [ScenarioTemplate]) {
        self.header = header
        self.scenarios = scenarios
    }

    public init(from decoder: any Decoder) throws {
        let decoded = try decodeRuleFile(decoder, allowedParameters: ["scenarios"]) { p in
            let scenarios = try p.decode([ScenarioTemplate].self, forKey: AnyCodingKey("scenarios"))
            var ids = Set<String>()
            for s in scenarios {
                if !ids.insert(s.id).inserted {
                    throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("scenarios"), in: p, debugDescription: "scenario id \(s.id) twice")
                }
                var stepIds = Set<String>()
                for step in ResponsePhase.allCases.flatMap({ s.steps($0) }) where !stepIds.insert(step.id).inserted {
                    throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("scenarios"), in: p,
                                                           debugDescription: "step id \(step.id) twice in scenario \(s.id)")
                }
            }
            return scenarios
        }
        header = decoded.0
        scenarios = decoded.1
    }

    public func scenario(_ id: String) -> ScenarioTemplate? { scenarios.first { $0.id == id } }
}

extension RuleBook {
    public func responseObligations(at date: Date = Date()) -> ResponseObligationRules { rules(ResponseObligationRules.self, at: date) }
    public func scenarios(at date: Date = Date()) -> ScenarioLibrary { rules(ScenarioLibrary.self, at: date) }
}
