import Foundation

/// Decodes a rule file strictly: unknown top-level or parameter keys are refused, naming them (the same
/// checks as the rule kinds of `RuleFiles.swift`, whose helper is private to that file).
func decodeStrictRuleFile<T>(
    _ decoder: any Decoder, allowedParameters: Set<String>,
    _ parameters: (KeyedDecodingContainer<AnyCodingKey>) throws -> T
) throws -> (RuleFileHeader, T) {
    let top = try decoder.container(keyedBy: AnyCodingKey.self)
    try top.rejectUnknownKeys(RuleFileHeader.fieldNames.union(["parameters", "comment"]))
    let header = try RuleFileHeader(from: decoder)
    let p = try top.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("parameters"))
    try p.rejectUnknownKeys(allowedParameters.union(["comment"]))
    return (header, try parameters(p))
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// A decoding error at `key[index].field`, for list entries that are wrong in context (duplicates, unknown codes).
    func errorInList(_ key: String, index: Int, field: String, _ message: String) throws -> DecodingError {
        let list = try nestedUnkeyedContainer(forKey: AnyCodingKey(key))
        return DecodingError.dataCorrupted(.init(
            codingPath: list.codingPath + [AnyCodingKey(intValue: index)!, AnyCodingKey(field)], debugDescription: message))
    }

    func nonBlank(_ text: LocalizedText, _ key: String) throws {
        if text.vi.trimmingCharacters(in: .whitespaces).isEmpty || text.en.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DecodingError.dataCorruptedError(forKey: AnyCodingKey(key), in: self, debugDescription: "vi and en must not be empty")
        }
    }
}
