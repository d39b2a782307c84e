import Foundation

extension StringProtocol {
    /// Without leading and trailing white space (including line breaks). Pure Swift: Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString on Linux and dominated the cost of large imports.
    var trimmedWhitespace: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? (scalar == " " || (0x09...0x0D).contains(scalar.value)) : scalar.properties.isWhitespace
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) }) ?? first
        let end = scalars.index(after: last)
        if first == scalars.startIndex, end == scalars.endIndex { return String(self) }
        return String(self[first..<end])
    }
}

/// `text` trimmed, or nil when it is nil or only white space.
func nonEmpty(_ text: String?) -> String? {
    guard let trimmed = text?.trimmedWhitespace, !trimmed.isEmpty else { return nil }
    return trimmed
}
