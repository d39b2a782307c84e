import Foundation

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
