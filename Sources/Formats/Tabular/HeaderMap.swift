import Foundation
import Domain

/// Maps a header row to expected columns, matching titles case- and diacritic-insensitively
/// ("Tên hệ thống", "TEN HE THONG", "ten he thong (*)" all match alias "Tên hệ thống").
public struct HeaderMap: Sendable {
    public struct Column: Sendable, Equatable {
        /// Stable key used by the caller, e.g. "name".
        public var key: String
        /// Accepted header titles; the first is the canonical title reported when missing.
        /// The key itself is always accepted too.
        public var aliases: [String]
        public var required: Bool

        public init(_ key: String, aliases: [String], required: Bool = true) {
            self.key = key
            self.aliases = aliases
            self.required = required
        }

        public init(key: String, aliases: [String], required: Bool = true) {
            self.init(key, aliases: aliases, required: required)
        }

        /// Title shown to users: the first alias, or the key.
        public var title: String { aliases.first ?? key }
    }

    /// The result of matching a header row.
    public struct Match: Sendable, Equatable {
        /// Column key → zero-based index in the header row (first occurrence wins).
        public var indices: [String: Int]
        /// Titles of required columns not found.
        public var missing: [String]
        /// Keys of optional columns not found.
        public var missingOptional: [String]
        /// Non-empty header cells that match no column, as written in the file.
        public var unknown: [String]
        /// Header cells that repeat an already matched column, as written in the file.
        public var duplicates: [String]

        /// The value of column `key` in `row` (trimmed), or nil when the column is absent or the row short.
        public func value(_ key: String, in row: [String]) -> String? {
            guard let index = indices[key], index < row.count else { return nil }
            return row[index].trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    public var columns: [Column]
    private let lookup: [String: String]

    public init(columns: [Column]) {
        self.init(columns)
    }

    public init(_ columns: [Column]) {
        self.columns = columns
        var lookup: [String: String] = [:]
        for column in columns {
            for alias in column.aliases + [column.key] {
                let folded = Self.normalize(alias)
                if !folded.isEmpty && lookup[folded] == nil { lookup[folded] = column.key }
            }
        }
        self.lookup = lookup
    }

    /// Matches without throwing; inspect `missing`.
    public func match(_ header: [String]) -> Match {
        var indices: [String: Int] = [:]
        var unknown: [String] = []
        var duplicates: [String] = []
        for (index, cell) in header.enumerated() {
            let folded = Self.normalize(cell)
            guard !folded.isEmpty else { continue }
            guard let key = lookup[folded] else {
                unknown.append(cell.trimmingCharacters(in: .whitespacesAndNewlines))
                continue
            }
            if indices[key] == nil { indices[key] = index } else { duplicates.append(cell.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let missing = columns.filter { $0.required && indices[$0.key] == nil }.map(\.title)
        let missingOptional = columns.filter { !$0.required && indices[$0.key] == nil }.map(\.key)
        return Match(indices: indices, missing: missing, missingOptional: missingOptional, unknown: unknown,
                     duplicates: duplicates)
    }

    /// Matches and throws `.missingHeaders` (canonical titles) when a required column is absent.
    public func resolve(_ header: [String]) throws(TabularError) -> Match {
        let result = match(header)
        if !result.missing.isEmpty { throw .missingHeaders(result.missing) }
        return result
    }

    /// Lower case, no diacritics, đ → d, only letters and digits separated by single spaces:
    /// "Tên hệ thống (*)" → "ten he thong".
    public static func normalize(_ header: String) -> String {
        let folded = SearchText.fold(header)
        var words: [String] = []
        var current = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: " ")
    }
}
