import Foundation

/// Vietnamese-friendly search: lower case, tone marks and diacritics removed, đ → d, spaces folded.
/// "Sở Y tế", "SO Y TE" and "so y te" all fold to "so y te".
public enum SearchText {
    public static func fold(_ parts: String?...) -> String {
        let joined = parts.compactMap { $0 }.joined(separator: " ")
        let folded = joined
            .replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d")
            .folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "vi_VN"))
            .lowercased()
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A LIKE pattern matching `query` anywhere, with `!` escaping the pattern's own wildcards
    /// (use with `ESCAPE '!'`).
    public static func containsPattern(_ query: String) -> String {
        var escaped = ""
        for char in fold(query) {
            if char == "!" || char == "%" || char == "_" { escaped.append("!") }
            escaped.append(char)
        }
        return "%" + escaped + "%"
    }
}
