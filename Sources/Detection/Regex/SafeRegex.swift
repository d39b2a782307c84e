import Foundation

/// CONTRACT (issue 6): regular expressions whose matching cost is bounded (linear in the input: no
/// backtracking), for Sigma's `re` modifier. Hostile patterns such as `(a+)+$` cannot hang a hunt.
/// Supports the usual PCRE subset Sigma rules use: literals and escapes (\d \w \s \D \W \S \b \B \. \\
/// \xHH \uHHHH \t \n \r), classes with ranges and negation, `.`, anchors ^ $ \A \z, groups (capturing,
/// `(?:…)`, named `(?P<n>…)`/`(?<n>…)` — all treated as grouping), alternation, * + ? {m} {m,} {m,n}
/// and their lazy forms, inline flags `(?i)` `(?m)` `(?s)` at the start. Backreferences and
/// look-around are refused with a `SafeRegexError` that names them.
public struct SafeRegexError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var offset: Int
    public var message: String
    public init(pattern: String, offset: Int, message: String) { self.pattern = pattern; self.offset = offset; self.message = message }
    public var description: String { "regular expression \(pattern.debugDescription) at \(offset): \(message)" }
}

public struct SafeRegex: Sendable, Hashable {
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let caseInsensitive = Options(rawValue: 1)
        /// `^`/`$` match at line breaks.
        public static let multiline = Options(rawValue: 2)
        /// `.` matches a line break.
        public static let dotAll = Options(rawValue: 4)
    }

    public let pattern: String
    public let options: Options

    /// Compiles; throws for syntax errors, unsupported constructs, and programs over `maxStates`
    /// (so `a{1000}{1000}` cannot blow up memory).
    public init(_ pattern: String, options: Options = [], maxStates: Int = 100_000) throws(SafeRegexError) {
        fatalError("SafeRegex.init: not implemented yet")
    }

    /// Whether the pattern matches anywhere in `text` (search, not full match).
    public func matches(_ text: String) -> Bool {
        fatalError("SafeRegex.matches: not implemented yet")
    }
}
