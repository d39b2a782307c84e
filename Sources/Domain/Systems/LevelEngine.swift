import Foundation

/// How one criterion fared against a system's facts.
public struct CriterionResult: Codable, Sendable, Equatable {
    public var id: String
    public var level: Int
    public var article: LocalizedText
    public var title: LocalizedText
    public var applies: Bool
    /// One line per checked fact, with the actual value, e.g. "…: 12.000 (≥ 10.000) — đạt".
    public var reasons: [LocalizedText]
    public var confidence: Confidence
    public var note: LocalizedText?

    public init(
        id: String, level: Int, article: LocalizedText, title: LocalizedText, applies: Bool,
        reasons: [LocalizedText], confidence: Confidence, note: LocalizedText?
    ) {
        self.id = id
        self.level = level
        self.article = article
        self.title = title
        self.applies = applies
        self.reasons = reasons
        self.confidence = confidence
        self.note = note
    }
}

/// The level the criteria propose for a system, with the working shown.
public struct LevelProposal: Codable, Sendable, Equatable {
    /// max(criteriaLevel, componentLevel).
    public var level: Int
    /// Highest level among the criteria that apply; 1 when none applies.
    public var criteriaLevel: Int
    /// Highest component level (composite rule, Decree 85 Art 5); nil without components.
    public var componentLevel: Int?
    public var ruleId: String
    public var ruleVersion: String
    /// Every criterion, in rule-file order.
    public var criteria: [CriterionResult]
    /// Ids of the applying criteria at `criteriaLevel` when that is the proposed level; empty when no
    /// criterion applies or a component's level is higher.
    public var decidingCriteria: [String]
    /// A deciding criterion is not confirmed (memory or guess), so the level must be checked by a person.
    public var uncertain: Bool

    public init(
        level: Int, criteriaLevel: Int, componentLevel: Int?, ruleId: String, ruleVersion: String,
        criteria: [CriterionResult], decidingCriteria: [String], uncertain: Bool
    ) {
        self.level = level
        self.criteriaLevel = criteriaLevel
        self.componentLevel = componentLevel
        self.ruleId = ruleId
        self.ruleVersion = ruleVersion
        self.criteria = criteria
        self.decidingCriteria = decidingCriteria
        self.uncertain = uncertain
    }
}

/// Decree 85 Art 7–11: the level is the highest level of any criterion the system meets, and
/// at least the highest component level.
public enum LevelEngine {
    public static func evaluate(_ input: ClassificationInput, rules: ClassificationRules) -> LevelProposal {
        let results = rules.criteria.map { criterion -> CriterionResult in
            var reasons: [LocalizedText] = []
            let applies = evaluate(criterion.when, input: input, negated: false, reasons: &reasons)
            return CriterionResult(
                id: criterion.id, level: criterion.level, article: criterion.article, title: criterion.title,
                applies: applies, reasons: reasons, confidence: criterion.confidence, note: criterion.note)
        }
        let applying = results.filter(\.applies)
        let criteriaLevel = applying.map(\.level).max() ?? 1
        let componentLevel = input.components.map(\.level).max()
        let level = max(criteriaLevel, componentLevel ?? 1)
        let deciding = level == criteriaLevel ? applying.filter { $0.level == criteriaLevel } : []
        // Uncertain only when the criteria alone set the level: a component at the same or a higher
        // level fixes it whatever the unconfirmed criteria say.
        // No criterion at all (not even Art 7's) means the facts fit none of the Decree's cases: level 1 is
        // only a floor then, and a person must decide.
        let noCriterion = applying.isEmpty && componentLevel == nil
        let uncertain = noCriterion || (criteriaLevel > (componentLevel ?? 0) && deciding.contains { $0.confidence != .confirmed })
        return LevelProposal(
            level: level, criteriaLevel: criteriaLevel, componentLevel: componentLevel,
            ruleId: rules.header.id, ruleVersion: rules.header.version, criteria: results,
            decidingCriteria: deciding.map(\.id), uncertain: uncertain)
    }

    /// Evaluates every atom (no short cut) so that each appears in `reasons`.
    private static func evaluate(
        _ condition: Condition, input: ClassificationInput, negated: Bool, reasons: inout [LocalizedText]
    ) -> Bool {
        switch condition {
        case .atom(let atom):
            let met = atom.holds(for: input) != negated
            reasons.append(ClassificationVocabulary.reason(atom, input: input, negated: negated, met: met))
            return met
        case .not(let inner):
            return evaluate(inner, input: input, negated: !negated, reasons: &reasons)
        case .all(let list), .any(let list):
            let outcomes = list.map { evaluate($0, input: input, negated: negated, reasons: &reasons) }
            // De Morgan: under negation "all" needs any of the negated parts and "any" needs all of them.
            let conjunctive: Bool
            if case .all = condition { conjunctive = !negated } else { conjunctive = negated }
            return conjunctive ? outcomes.allSatisfy { $0 } : outcomes.contains(true)
        }
    }
}

// MARK: - Strict decoding of the classification input

/// Decodes the JSON of `POST /api/v1/classification/evaluate` (and `ungcuu classify`), naming the field
/// of each problem with a catalogue key.
public enum ClassificationInputDecoder {
    public static let maximumPersonalDataSubjects = 100_000_000
    public static let maximumNameLength = 300
    public static let maximumComponents = 200

    static let knownFields: Set<String> = [
        "name", "functionType", "informationClasses", "personalDataSubjects", "onlineServiceLevel",
        "conditionalBusiness", "infrastructureScope", "industrialControl", "operates24x7",
        "nationalEGovernment", "storesNationalData", "nationalImportant", "components",
    ]

    public static func decode(_ data: Data) -> Result<ClassificationInput, FieldErrors> {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            return .failure(FieldErrors(["body": "validation.json"]))
        }
        guard case .object(let object) = root else {
            return .failure(FieldErrors(["body": "validation.type"]))
        }
        var errors = FieldErrors()
        for key in object.keys.sorted() where !knownFields.contains(key) {
            errors.add(key, "validation.unknownField")
        }

        func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool) -> E? where E.RawValue == String {
            switch object[key] {
            case nil, .null?:
                if required { errors.add(key, "validation.required") }
                return nil
            case .string(let s)?:
                guard let value = E(rawValue: s) else {
                    errors.add(key, "validation.choice")
                    return nil
                }
                return value
            default:
                errors.add(key, "validation.type")
                return nil
            }
        }
        func flag(_ key: String) -> Bool {
            switch object[key] {
            case nil, .null?: return false
            case .bool(let b)?: return b
            default:
                errors.add(key, "validation.type")
                return false
            }
        }

        var name: String?
        switch object["name"] {
        case nil, .null?: break
        case .string(let s)?:
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count > maximumNameLength { errors.add("name", "validation.range") }
            name = trimmed.isEmpty ? nil : trimmed
        default: errors.add("name", "validation.type")
        }

        let functionType = choice("functionType", FunctionType.self, required: true)

        var classes: [InformationClass] = []
        switch object["informationClasses"] {
        case nil, .null?: errors.add("informationClasses", "validation.required")
        case .array(let items)?:
            for (index, item) in items.enumerated() {
                let field = "informationClasses[\(index)]"
                guard case .string(let s) = item else {
                    errors.add(field, "validation.type")
                    continue
                }
                guard let value = InformationClass(rawValue: s) else {
                    errors.add(field, "validation.choice")
                    continue
                }
                if !classes.contains(value) { classes.append(value) }
            }
            if items.isEmpty { errors.add("informationClasses", "validation.required") }
        default: errors.add("informationClasses", "validation.type")
        }

        var subjects = 0
        switch object["personalDataSubjects"] {
        case nil, .null?: break
        case .int(let n)?:
            if n < 0 || n > maximumPersonalDataSubjects { errors.add("personalDataSubjects", "validation.range") }
            subjects = n
        case .double?:
            errors.add("personalDataSubjects", "validation.type")
        default:
            errors.add("personalDataSubjects", "validation.type")
        }

        let online = choice("onlineServiceLevel", OnlineServiceLevel.self, required: false) ?? .none
        let scope = choice("infrastructureScope", InfrastructureScope.self, required: false) ?? .none
        let ics = choice("industrialControl", IndustrialControlCriticality.self, required: false) ?? .none
        let conditional = flag("conditionalBusiness")
        let always = flag("operates24x7")
        let egov = flag("nationalEGovernment")
        let nationalData = flag("storesNationalData")
        let important = flag("nationalImportant")

        var components: [ClassificationInput.ComponentLevel] = []
        switch object["components"] {
        case nil, .null?: break
        case .array(let items)?:
            if items.count > maximumComponents { errors.add("components", "validation.range") }
            for (index, item) in items.enumerated() {
                let prefix = "components[\(index)]"
                guard case .object(let component) = item else {
                    errors.add(prefix, "validation.type")
                    continue
                }
                for key in component.keys.sorted() where key != "name" && key != "level" {
                    errors.add("\(prefix).\(key)", "validation.unknownField")
                }
                var componentName = ""
                switch component["name"] {
                case nil, .null?: errors.add("\(prefix).name", "validation.required")
                case .string(let s)?:
                    componentName = s.trimmingCharacters(in: .whitespacesAndNewlines)
                    if componentName.isEmpty { errors.add("\(prefix).name", "validation.required") }
                    if componentName.count > maximumNameLength { errors.add("\(prefix).name", "validation.range") }
                default: errors.add("\(prefix).name", "validation.type")
                }
                var level = 0
                switch component["level"] {
                case nil, .null?: errors.add("\(prefix).level", "validation.required")
                case .int(let n)?:
                    level = n
                    if !(1...5).contains(n) { errors.add("\(prefix).level", "validation.range") }
                default: errors.add("\(prefix).level", "validation.type")
                }
                components.append(.init(name: componentName, level: level))
            }
        default: errors.add("components", "validation.type")
        }

        guard errors.isEmpty, let functionType else {
            return .failure(errors)
        }
        return .success(ClassificationInput(
            name: name, functionType: functionType, informationClasses: classes, personalDataSubjects: subjects,
            onlineServiceLevel: online, conditionalBusiness: conditional, infrastructureScope: scope,
            industrialControl: ics, operates24x7: always, nationalEGovernment: egov,
            storesNationalData: nationalData, nationalImportant: important, components: components))
    }

    /// The same value checks for an input built elsewhere (a form).
    public static func validate(_ input: ClassificationInput) -> FieldErrors {
        var errors = FieldErrors()
        if input.informationClasses.isEmpty { errors.add("informationClasses", "validation.required") }
        if input.personalDataSubjects < 0 || input.personalDataSubjects > maximumPersonalDataSubjects {
            errors.add("personalDataSubjects", "validation.range")
        }
        if let name = input.name, name.count > maximumNameLength { errors.add("name", "validation.range") }
        if input.components.count > maximumComponents { errors.add("components", "validation.range") }
        for (index, component) in input.components.enumerated() {
            let name = component.name.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { errors.add("components[\(index)].name", "validation.required") }
            if name.count > maximumNameLength { errors.add("components[\(index)].name", "validation.range") }
            if !(1...5).contains(component.level) { errors.add("components[\(index)].level", "validation.range") }
        }
        return errors
    }
}

/// Any JSON value, keeping integers apart from other numbers and booleans apart from numbers.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}

// MARK: - Re-determination (Art 18)

public enum Redetermination {
    /// The fields listed in `rules.redeterminationFields` whose change requires the level to be
    /// determined again. A user count counts only when it crosses a threshold of the criteria
    /// (`rules.userCountThresholds`); information classes compare as sets; components by their levels
    /// (names do not count).
    public static func changedFields(old: ClassificationInput, new: ClassificationInput, rules: DossierRules) -> [String] {
        changedFields(old: old, new: new, fields: rules.redeterminationFields, thresholds: rules.userCountThresholds)
    }

    /// As above, with the thresholds read from `classification`.
    public static func changedFields(
        old: ClassificationInput, new: ClassificationInput, rules: DossierRules, classification: ClassificationRules
    ) -> [String] {
        changedFields(old: old, new: new, fields: rules.redeterminationFields, thresholds: classification.userCountThresholds)
    }

    static func changedFields(old: ClassificationInput, new: ClassificationInput, fields: [String], thresholds: [Int]) -> [String] {
        fields.filter { field in
            switch field {
            case "components":
                return old.components.map(\.level).sorted() != new.components.map(\.level).sorted()
            case "personalDataSubjects":
                return thresholds.contains { (old.personalDataSubjects < $0) != (new.personalDataSubjects < $0) }
            case "informationClasses":
                return Set(old.informationClasses) != Set(new.informationClasses)
            default:
                guard let f = ConditionField(rawValue: field) else { return false }
                return valueKey(f, old) != valueKey(f, new)
            }
        }
    }

    private static func valueKey(_ field: ConditionField, _ input: ClassificationInput) -> String {
        switch field.value(in: input) {
        case .choice(let v): v
        case .set(let vs): vs.sorted().joined(separator: ",")
        case .count(let n): String(n)
        case .flag(let b): String(b)
        }
    }
}
