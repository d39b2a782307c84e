import Foundation

/// CONTRACT (issue 6): regular expressions whose matching cost is bounded (linear in the input: no
/// backtracking), for Sigma's `re` modifier. Hostile patterns such as `(a+)+$` cannot hang a hunt.
/// Supports the usual PCRE subset Sigma rules use: literals and escapes (\d \w \s \D \W \S \b \B \. \\
/// \xHH \uHHHH \t \n \r), classes with ranges and negation, `.`, anchors ^ $ \A \z, groups (capturing,
/// `(?:…)`, named `(?P<n>…)`/`(?<n>…)` — all treated as grouping), alternation, * + ? {m} {m,} {m,n}
/// and their lazy forms, inline flags `(?i)` `(?m)` `(?s)` at the start. Backreferences and
/// look-around are refused with a `SafeRegexError` that names them.
///
/// Semantics are those of Python's `re.search` (what the pySigma SQLite reference runs) on this
/// subset: `\d` `\w` `\s` `\b` are Unicode-aware as in Python (`(?a)` makes them ASCII), `.` is any
/// scalar but `\n`, `$` without MULTILINE also matches before a final `\n`, `\Z` (like `\z`) is the
/// very end, IGNORECASE uses Python's simple case folding (so `(?i)k` also matches U+212A KELVIN SIGN),
/// `{` that does not start a valid quantifier is a literal, and the other inline forms Python knows
/// also work: scoped flags `(?i:…)` `(?-i:…)`, `(?x)` verbose, `(?a)` ASCII, `(?#…)` comments,
/// `\a \f \v \0 \ooo \UHHHHHHHH \N{NAME}`. Possessive quantifiers, atomic groups and conditional
/// groups are refused too. Offsets in errors count Unicode scalars from the start of the pattern.
///
/// Matching runs a Thompson NFA over UTF-8 (each `.` or class consumes one whole scalar) through a
/// lazily built, size-bounded DFA cache, after a literal prefilter (a substring every match needs is
/// looked for with `memchr` first). The cost is O(text length × program size) whatever the pattern.
/// Values are thread-safe; copies share the compiled program and its caches.
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

    let engine: RegexEngine

    /// Compiles; throws for syntax errors, unsupported constructs, and programs over `maxStates`
    /// (so `a{1000}{1000}` cannot blow up memory).
    public init(_ pattern: String, options: Options = [], maxStates: Int = 100_000) throws(SafeRegexError) {
        var flags = RegexParser.Flags()
        flags.ignoreCase = options.contains(.caseInsensitive)
        flags.multiline = options.contains(.multiline)
        flags.dotAll = options.contains(.dotAll)
        var parser = RegexParser(pattern)
        let root = try parser.parse(flags: flags)
        let program = try RegexProgram.compile(root, pattern: pattern, maxStates: min(max(1, maxStates), 10_000_000))
        self.pattern = pattern
        self.options = options
        self.engine = RegexEngine(program: program)
    }

    /// Whether the pattern matches anywhere in `text` (search, not full match).
    public func matches(_ text: String) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ engine.matches($0) }) { return result }
        var copy = text
        return copy.withUTF8 { engine.matches($0) }
    }

    /// The same search over UTF-8 bytes (malformed sequences read as U+FFFD, one byte each).
    public func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        engine.matches(bytes)
    }

    public static func == (a: SafeRegex, b: SafeRegex) -> Bool {
        a.pattern == b.pattern && a.options == b.options
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(options.rawValue)
    }
}
