import Foundation

/// `documents.levelExplanation`: the legal-basis paragraphs ("Căn cứ …") that open the level-proposal
/// explanation. Laws are replaced (Law 86/2015 by Law 116/2025 on 1/7/2026), so the citations are dated data.
public struct DocumentBasisRules: RuleFileContent, Equatable {
    public static let ruleId = "documents.levelExplanation"
    public var header: RuleFileHeader
    /// One paragraph each, in Vietnamese (official documents are Vietnamese), ending with ";".
    public var citations: [String]

    public init(header: RuleFileHeader, citations: [String]) {
        self.header = header
        self.citations = citations
    }

    public init(from decoder: any Decoder) throws {
        let header = try RuleFileHeader(from: decoder)
        let top = try decoder.container(keyedBy: AnyCodingKey.self)
        let p = try top.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("parameters"))
        try p.rejectUnknownKeys(["citations", "comment"])
        let citations = try p.decode([String].self, forKey: AnyCodingKey("citations"))
        if citations.isEmpty || citations.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw DecodingError.dataCorruptedError(forKey: AnyCodingKey("citations"), in: p, debugDescription: "citations must be non-empty text")
        }
        self.init(header: header, citations: citations)
    }
}

extension RuleBook {
    public func levelExplanationBasis(at date: Date = Date()) -> DocumentBasisRules { rules(DocumentBasisRules.self, at: date) }
}
