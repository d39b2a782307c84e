import Foundation

/// One incident category of the Circular 20/2017 report forms.
public struct IncidentCategory: Codable, Sendable, Equatable, Hashable {
    /// Stable code stored on cases (`dos`, `phishing`, …).
    public var code: String
    public var title: LocalizedText
    public var description: LocalizedText?

    public init(code: String, title: LocalizedText, description: LocalizedText? = nil) {
        self.code = code
        self.title = title
        self.description = description
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try c.rejectUnknownKeys(["code", "title", "description"])
        code = try c.decode(String.self, forKey: AnyCodingKey("code"))
        guard !code.isEmpty, code.count <= 40, code.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("code"), in: c, debugDescription: "code must be 1–40 characters a–z, 0–9 or _, not \"\(code)\"")
        }
        title = try c.decode(LocalizedText.self, forKey: AnyCodingKey("title"))
        try c.nonBlank(title, "title")
        description = try c.decodeIfPresent(LocalizedText.self, forKey: AnyCodingKey("description"))
    }
}

/// `incidents.categories`: the category list of the Circular 20/2017 forms, in form order.
public struct IncidentCategoryList: RuleFileContent, Equatable {
    public static let ruleId = "incidents.categories"
    /// The code every list must have, for what fits no other category.
    public static let otherCode = "other"
    public var header: RuleFileHeader
    public var categories: [IncidentCategory]

    public init(header: RuleFileHeader, categories: [IncidentCategory]) {
        self.header = header
        self.categories = categories
    }

    public init(from decoder: any Decoder) throws {
        (header, categories) = try decodeRuleFile(decoder, allowedParameters: ["categories"]) { p in
            let categories = try p.decode([IncidentCategory].self, forKey: AnyCodingKey("categories"))
            var seen = Set<String>()
            for (index, category) in categories.enumerated() where !seen.insert(category.code).inserted {
                throw try p.errorInList("categories", index: index, field: "code", "duplicate category code \"\(category.code)\"")
            }
            if !seen.contains(Self.otherCode) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("categories"), in: p, debugDescription: "must contain the category \"\(Self.otherCode)\"")
            }
            return categories
        }
    }

    public var codes: [String] { categories.map(\.code) }

    public func category(code: String) -> IncidentCategory? { categories.first { $0.code == code } }
}
