import Foundation

/// The common head of every rule data file (`Resources/rules/*.json` or an override under
/// `$UNGCUU_DATA_DIR/rules/`). Results computed from a rule record `id` and `version`.
public struct RuleFileHeader: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var version: String
    /// First day the file is in effect, `yyyy-MM-dd`, in Vietnam's time zone.
    public var effectiveFrom: String
    /// Last day the file is in effect (inclusive), `yyyy-MM-dd`; nil = open-ended.
    public var effectiveTo: String?
    public var title: LocalizedText
    public var basis: [LegalBasis]
    public var confidence: Confidence

    public init(
        id: String, version: String, effectiveFrom: String, effectiveTo: String? = nil,
        title: LocalizedText, basis: [LegalBasis], confidence: Confidence
    ) {
        self.id = id
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.title = title
        self.basis = basis
        self.confidence = confidence
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, version, effectiveFrom, effectiveTo, title, basis, confidence
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(String.self, forKey: .version)
        effectiveFrom = try c.decode(String.self, forKey: .effectiveFrom)
        effectiveTo = try c.decodeIfPresent(String.self, forKey: .effectiveTo)
        title = try c.decode(LocalizedText.self, forKey: .title)
        basis = try c.decode([LegalBasis].self, forKey: .basis)
        confidence = try c.decode(Confidence.self, forKey: .confidence)
        if id.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "must not be empty")
        }
        if version.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "must not be empty")
        }
        guard let from = Self.day(effectiveFrom) else {
            throw DecodingError.dataCorruptedError(
                forKey: .effectiveFrom, in: c, debugDescription: "not a date yyyy-MM-dd: \"\(effectiveFrom)\"")
        }
        if let effectiveTo {
            guard let to = Self.day(effectiveTo) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .effectiveTo, in: c, debugDescription: "not a date yyyy-MM-dd: \"\(effectiveTo)\"")
            }
            if to < from {
                throw DecodingError.dataCorruptedError(
                    forKey: .effectiveTo, in: c, debugDescription: "before effectiveFrom \(effectiveFrom)")
            }
        }
    }

    /// Start of `effectiveFrom` in Vietnam.
    public var effectiveFromDate: Date { Self.day(effectiveFrom) ?? .distantPast }

    /// The first instant after the file stops being in effect (start of the day after `effectiveTo`).
    public var effectiveUntil: Date? {
        guard let effectiveTo, let last = Self.day(effectiveTo) else { return nil }
        return Self.calendar.date(byAdding: .day, value: 1, to: last)
    }

    /// In effect at `date`: on or after `effectiveFrom` and not past `effectiveTo`.
    public func isInEffect(at date: Date) -> Bool {
        guard date >= effectiveFromDate else { return false }
        if let until = effectiveUntil, date >= until { return false }
        return true
    }

    /// Strict `yyyy-MM-dd`, as the start of that day in Vietnam.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        return DisplayTime.parseDay(text)
    }

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DisplayTime.zone
        return calendar
    }
}

/// A rule data file that cannot be used: names the file and the JSON path of the problem.
public struct RuleError: Error, CustomStringConvertible, Sendable, Equatable {
    /// File name (e.g. `decree85.criteria.json`).
    public var file: String
    /// JSON path inside the file (e.g. `parameters.criteria[3].when.all[1]`); empty for the whole file.
    public var path: String
    public var message: String

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
    }

    /// Turns a decoding error into a rule error for `file`.
    static func from(_ error: any Error, file: String) -> RuleError {
        if let ruleError = error as? RuleError { return ruleError }
        guard let decoding = error as? DecodingError else {
            return RuleError(file: file, path: "", message: String(describing: error))
        }
        switch decoding {
        case .typeMismatch(let type, let context):
            return RuleError(file: file, path: jsonPath(context.codingPath), message: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return RuleError(file: file, path: jsonPath(context.codingPath), message: "missing \(typeName(type)) value")
        case .keyNotFound(let key, let context):
            return RuleError(file: file, path: jsonPath(context.codingPath), message: "missing field \"\(key.stringValue)\"")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, context.debugDescription.contains("valid JSON") {
                let detail = context.underlyingError.map { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\($0)" }
                return RuleError(file: file, path: "", message: "not valid JSON" + (detail.map { " (\($0))" } ?? ""))
            }
            return RuleError(file: file, path: jsonPath(context.codingPath), message: context.debugDescription)
        @unknown default:
            return RuleError(file: file, path: "", message: String(describing: error))
        }
    }

    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }
}

/// Any JSON object key, for strict decoding that reports unknown keys.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string; intValue = nil }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// Throws at the first key not in `allowed`, naming it.
    func rejectUnknownKeys(_ allowed: Set<String>) throws {
        for key in allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "unknown field \"\(key.stringValue)\"")
        }
    }

    /// A `{"1": n, "2": m}` object keyed by level, as `[Int: Int]`.
    func decodeLevelMap(_ key: String, levels: ClosedRange<Int> = 1...5, valueRange: ClosedRange<Int>) throws -> [Int: Int] {
        let raw = try decode([String: Int].self, forKey: AnyCodingKey(key))
        var result: [Int: Int] = [:]
        let nested = try nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey(key))
        for (levelText, value) in raw {
            guard let level = Int(levelText), levels.contains(level) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey(levelText), in: nested,
                    debugDescription: "not a level \(levels.lowerBound)–\(levels.upperBound): \"\(levelText)\"")
            }
            guard valueRange.contains(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey(levelText), in: nested,
                    debugDescription: "\(value) is outside \(valueRange.lowerBound)–\(valueRange.upperBound)")
            }
            result[level] = value
        }
        return result
    }
}

extension RuleError: LocalizedError {
    public var errorDescription: String? { description }
}
