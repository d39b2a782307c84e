import Foundation

/// The fields of ``ClassificationInput`` a criterion may test (all but `name` and `components`;
/// components are handled by the composite rule).
public enum ConditionField: String, CaseIterable, Codable, Sendable {
    case functionType, informationClasses, personalDataSubjects, onlineServiceLevel, conditionalBusiness
    case infrastructureScope, industrialControl, operates24x7, nationalEGovernment, storesNationalData
    case nationalImportant

    public enum Kind: Sendable, Equatable {
        /// One value of an enumeration (`in`, `notIn`).
        case choice
        /// A set of values (`anyOf`, `allOf`, `onlyFrom`, `noneOf`).
        case set
        /// A count (`lt`, `lte`, `gt`, `gte`, `eq`).
        case count
        /// A yes/no fact (`is`).
        case flag
    }

    public var kind: Kind {
        switch self {
        case .functionType, .onlineServiceLevel, .infrastructureScope, .industrialControl: .choice
        case .informationClasses: .set
        case .personalDataSubjects: .count
        case .conditionalBusiness, .operates24x7, .nationalEGovernment, .storesNationalData, .nationalImportant: .flag
        }
    }

    /// The raw values the field can take (choice and set fields).
    public var allowedValues: [String] {
        switch self {
        case .functionType: FunctionType.allCases.map(\.rawValue)
        case .informationClasses: InformationClass.allCases.map(\.rawValue)
        case .onlineServiceLevel: OnlineServiceLevel.allCases.map(\.rawValue)
        case .infrastructureScope: InfrastructureScope.allCases.map(\.rawValue)
        case .industrialControl: IndustrialControlCriticality.allCases.map(\.rawValue)
        default: []
        }
    }

    /// The input's value of this field.
    func value(in input: ClassificationInput) -> FieldValue {
        switch self {
        case .functionType: .choice(input.functionType.rawValue)
        case .informationClasses: .set(input.informationClasses.map(\.rawValue))
        case .personalDataSubjects: .count(input.personalDataSubjects)
        case .onlineServiceLevel: .choice(input.onlineServiceLevel.rawValue)
        case .conditionalBusiness: .flag(input.conditionalBusiness)
        case .infrastructureScope: .choice(input.infrastructureScope.rawValue)
        case .industrialControl: .choice(input.industrialControl.rawValue)
        case .operates24x7: .flag(input.operates24x7)
        case .nationalEGovernment: .flag(input.nationalEGovernment)
        case .storesNationalData: .flag(input.storesNationalData)
        case .nationalImportant: .flag(input.nationalImportant)
        }
    }

    enum FieldValue {
        case choice(String), set([String]), count(Int), flag(Bool)
    }
}

/// What an atom checks about its field.
public enum ConditionTest: Sendable, Equatable {
    case `in`([String])
    case notIn([String])
    case anyOf([String])
    case allOf([String])
    /// Every value of the set is in the list, and the set is not empty.
    case onlyFrom([String])
    case noneOf([String])
    case lt(Int)
    case lte(Int)
    case gt(Int)
    case gte(Int)
    case eq(Int)
    case `is`(Bool)

    var key: String {
        switch self {
        case .in: "in"
        case .notIn: "notIn"
        case .anyOf: "anyOf"
        case .allOf: "allOf"
        case .onlyFrom: "onlyFrom"
        case .noneOf: "noneOf"
        case .lt: "lt"
        case .lte: "lte"
        case .gt: "gt"
        case .gte: "gte"
        case .eq: "eq"
        case .is: "is"
        }
    }

    static func keys(for kind: ConditionField.Kind) -> [String] {
        switch kind {
        case .choice: ["in", "notIn"]
        case .set: ["anyOf", "allOf", "onlyFrom", "noneOf"]
        case .count: ["lt", "lte", "gt", "gte", "eq"]
        case .flag: ["is"]
        }
    }

    static let allKeys = ["in", "notIn", "anyOf", "allOf", "onlyFrom", "noneOf", "lt", "lte", "gt", "gte", "eq", "is"]

    /// Boundaries of the count tests in "value < t" form: crossing one changes the outcome.
    var countBoundaries: [Int] {
        switch self {
        case .lt(let t), .gte(let t): [t]
        case .lte(let t), .gt(let t): [t + 1]
        case .eq(let t): [t, t + 1]
        default: []
        }
    }
}

/// One test of one field, e.g. `{"field":"personalDataSubjects","gte":10000}`.
public struct ConditionAtom: Sendable, Equatable {
    public var field: ConditionField
    public var test: ConditionTest

    public init(field: ConditionField, test: ConditionTest) {
        self.field = field
        self.test = test
    }

    public func holds(for input: ClassificationInput) -> Bool {
        switch (field.value(in: input), test) {
        case (.choice(let v), .in(let list)): list.contains(v)
        case (.choice(let v), .notIn(let list)): !list.contains(v)
        case (.set(let vs), .anyOf(let list)): vs.contains(where: list.contains)
        case (.set(let vs), .allOf(let list)): list.allSatisfy(vs.contains)
        case (.set(let vs), .onlyFrom(let list)): !vs.isEmpty && vs.allSatisfy(list.contains)
        case (.set(let vs), .noneOf(let list)): !vs.contains(where: list.contains)
        case (.count(let n), .lt(let t)): n < t
        case (.count(let n), .lte(let t)): n <= t
        case (.count(let n), .gt(let t)): n > t
        case (.count(let n), .gte(let t)): n >= t
        case (.count(let n), .eq(let t)): n == t
        case (.flag(let b), .is(let expected)): b == expected
        default: false  // field/test combinations are rejected when the rule file is read
        }
    }
}

/// A criterion's condition: `{"all":[…]}`, `{"any":[…]}`, `{"not":{…}}` or an atom.
public indirect enum Condition: Sendable, Equatable, Decodable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case atom(ConditionAtom)

    public func holds(for input: ClassificationInput) -> Bool {
        switch self {
        case .all(let cs): cs.allSatisfy { $0.holds(for: input) }
        case .any(let cs): cs.contains { $0.holds(for: input) }
        case .not(let c): !c.holds(for: input)
        case .atom(let a): a.holds(for: input)
        }
    }

    /// Every atom in the tree, in order.
    public var atoms: [ConditionAtom] {
        switch self {
        case .all(let cs), .any(let cs): cs.flatMap(\.atoms)
        case .not(let c): c.atoms
        case .atom(let a): [a]
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let keys = Set(c.allKeys.map(\.stringValue))
        for combinator in ["all", "any", "not"] where keys.contains(combinator) {
            try c.rejectUnknownKeys([combinator])
            switch combinator {
            case "all", "any":
                let list = try c.decode([Condition].self, forKey: AnyCodingKey(combinator))
                if list.isEmpty {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey(combinator), in: c, debugDescription: "must list at least one condition")
                }
                self = combinator == "all" ? .all(list) : .any(list)
            default:
                self = .not(try c.decode(Condition.self, forKey: AnyCodingKey(combinator)))
            }
            return
        }
        guard keys.contains("field") else {
            if keys.isEmpty {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath, debugDescription: "empty condition: expected all, any, not or field"))
            }
            try c.rejectUnknownKeys(Set(ConditionTest.allKeys))
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "missing \"field\""))
        }
        let fieldName = try c.decode(String.self, forKey: AnyCodingKey("field"))
        guard let field = ConditionField(rawValue: fieldName) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath, debugDescription: "unknown field \"\(fieldName)\""))
        }
        let allowedTests = ConditionTest.keys(for: field.kind)
        for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where key.stringValue != "field" {
            if !ConditionTest.allKeys.contains(key.stringValue) {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "unknown field \"\(key.stringValue)\"")
            }
            if !allowedTests.contains(key.stringValue) {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription: "\"\(key.stringValue)\" cannot test \(fieldName); use one of \(allowedTests.joined(separator: ", "))")
            }
        }
        let testKeys = c.allKeys.filter { $0.stringValue != "field" }
        guard testKeys.count == 1, let testKey = testKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath,
                debugDescription: testKeys.isEmpty
                    ? "missing test for \(fieldName): one of \(allowedTests.joined(separator: ", "))"
                    : "one test per atom; combine with \"all\""))
        }
        let test: ConditionTest
        switch field.kind {
        case .choice, .set:
            let values = try c.decode([String].self, forKey: testKey)
            if values.isEmpty {
                throw DecodingError.dataCorruptedError(forKey: testKey, in: c, debugDescription: "must list at least one value")
            }
            if let unknown = values.firstIndex(where: { !field.allowedValues.contains($0) }) {
                let list = try c.nestedUnkeyedContainer(forKey: testKey)
                throw DecodingError.dataCorrupted(.init(
                    codingPath: list.codingPath + [AnyCodingKey(intValue: unknown)!],
                    debugDescription: "unknown value \"\(values[unknown])\" for \(fieldName); expected one of \(field.allowedValues.joined(separator: ", "))"))
            }
            switch testKey.stringValue {
            case "in": test = .in(values)
            case "notIn": test = .notIn(values)
            case "anyOf": test = .anyOf(values)
            case "allOf": test = .allOf(values)
            case "onlyFrom": test = .onlyFrom(values)
            default: test = .noneOf(values)
            }
        case .count:
            let n = try c.decode(Int.self, forKey: testKey)
            if n < 0 {
                throw DecodingError.dataCorruptedError(forKey: testKey, in: c, debugDescription: "must not be negative")
            }
            switch testKey.stringValue {
            case "lt": test = .lt(n)
            case "lte": test = .lte(n)
            case "gt": test = .gt(n)
            case "gte": test = .gte(n)
            default: test = .eq(n)
            }
        case .flag:
            test = .is(try c.decode(Bool.self, forKey: testKey))
        }
        self = .atom(ConditionAtom(field: field, test: test))
    }
}
