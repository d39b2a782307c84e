import Foundation

/// The STIX 2.1 patterning language (§9): enough to check that a pattern parses and to collect its
/// comparisons. Qualifiers and FOLLOWEDBY are parsed and ignored; what matters here is which values
/// a pattern names.
struct STIXPattern: Sendable, Equatable {
    /// One property test, e.g. `file:hashes.'SHA-256' = '…'`.
    struct Comparison: Sendable, Equatable {
        /// Object type, lower-cased: "ipv4-addr".
        var objectType: String
        /// Path components without quotes, e.g. ["hashes", "SHA-256"]; list indexes appear as "[0]" or "[*]".
        var path: [String]
        var negated: Bool
        /// "=", "!=", "<", ">", "<=", ">=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS".
        var op: String
        var values: [Literal]
    }

    enum Literal: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case timestamp(String)
        case binary(String)
        case hex(String)

        /// The literal as an observable value, if it is text or a whole number.
        var text: String? {
            switch self {
            case .string(let s): return s
            case .integer(let i): return String(i)
            default: return nil
            }
        }
    }

    struct SyntaxError: Error, Sendable, Equatable {
        /// Zero-based character offset.
        var offset: Int
        var message: String
    }

    var comparisons: [Comparison]

    static func parse(_ text: String) throws -> STIXPattern {
        var parser = Parser(tokens: try Lexer.tokens(text), length: text.count)
        try parser.observationExpressions()
        guard parser.atEnd else { throw parser.error("unexpected \(parser.describeCurrent())") }
        return STIXPattern(comparisons: parser.comparisons)
    }

    // MARK: Writing

    /// Quotes a string literal: `'…'` with `\` and `'` escaped.
    static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    // MARK: - Lexer

    enum Token: Equatable {
        case punct(String)      // [ ] ( ) , : .
        case op(String)         // = != < > <= >=
        case word(String)       // identifiers and keywords (keywords compared upper-cased)
        case literal(Literal)
    }

    struct Lexed: Equatable {
        var token: Token
        var offset: Int
    }

    enum Lexer {
        static func tokens(_ text: String) throws -> [Lexed] {
            let chars = Array(text)
            var i = 0
            var out: [Lexed] = []
            func fail(_ message: String) -> SyntaxError { SyntaxError(offset: i, message: message) }
            func quoted(from start: Int) throws -> (String, Int) {
                // `start` is the opening quote.
                var j = start + 1
                var value = ""
                while j < chars.count {
                    let c = chars[j]
                    if c == "\\" {
                        guard j + 1 < chars.count, chars[j + 1] == "\\" || chars[j + 1] == "'" else {
                            throw SyntaxError(offset: j, message: "only \\' and \\\\ may be escaped in a string")
                        }
                        value.append(chars[j + 1])
                        j += 2
                    } else if c == "'" {
                        return (value, j + 1)
                    } else {
                        value.append(c)
                        j += 1
                    }
                }
                throw SyntaxError(offset: start, message: "unterminated string")
            }
            while i < chars.count {
                let c = chars[i]
                let start = i
                if c.isWhitespace { i += 1; continue }
                switch c {
                case "[", "]", "(", ")", ",", ":", ".", "*":
                    out.append(Lexed(token: .punct(String(c)), offset: start)); i += 1
                case "=":
                    i += (i + 1 < chars.count && chars[i + 1] == "=") ? 2 : 1
                    out.append(Lexed(token: .op("="), offset: start))
                case "!":
                    guard i + 1 < chars.count, chars[i + 1] == "=" else { throw fail("expected != ") }
                    out.append(Lexed(token: .op("!="), offset: start)); i += 2
                case "<":
                    if i + 1 < chars.count, chars[i + 1] == "=" { out.append(Lexed(token: .op("<="), offset: start)); i += 2 }
                    else if i + 1 < chars.count, chars[i + 1] == ">" { out.append(Lexed(token: .op("!="), offset: start)); i += 2 }
                    else { out.append(Lexed(token: .op("<"), offset: start)); i += 1 }
                case ">":
                    if i + 1 < chars.count, chars[i + 1] == "=" { out.append(Lexed(token: .op(">="), offset: start)); i += 2 }
                    else { out.append(Lexed(token: .op(">"), offset: start)); i += 1 }
                case "'":
                    let (value, next) = try quoted(from: i)
                    out.append(Lexed(token: .literal(.string(value)), offset: start)); i = next
                case _ where (c == "t" || c == "b" || c == "h") && i + 1 < chars.count && chars[i + 1] == "'":
                    let (value, next) = try quoted(from: i + 1)
                    let literal: Literal = c == "t" ? .timestamp(value) : c == "b" ? .binary(value) : .hex(value)
                    if c == "t", ExchangeIdentifiers.parseTimestamp(value) == nil { throw fail("invalid timestamp t'\(value)'") }
                    if c == "h", !value.allSatisfy(\.isASCIIHexDigit) || value.count % 2 != 0 { throw fail("invalid hex literal") }
                    out.append(Lexed(token: .literal(literal), offset: start)); i = next
                case _ where c.isASCIIDigit || ((c == "-" || c == "+") && i + 1 < chars.count && chars[i + 1].isASCIIDigit):
                    var j = i + 1
                    var isFloat = false
                    while j < chars.count, chars[j].isASCIIDigit || (chars[j] == "." && !isFloat && j + 1 < chars.count && chars[j + 1].isASCIIDigit) {
                        if chars[j] == "." { isFloat = true }
                        j += 1
                    }
                    let text = String(chars[i..<j])
                    if isFloat, let value = Double(text) { out.append(Lexed(token: .literal(.float(value)), offset: start)) }
                    else if let value = Int(text) { out.append(Lexed(token: .literal(.integer(value)), offset: start)) }
                    else { throw fail("invalid number \(text)") }
                    i = j
                case _ where c.isASCII && (c.isLetter || c == "_"):
                    var j = i + 1
                    while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "-" { j += 1 }
                    let word = String(chars[i..<j])
                    switch word.lowercased() {
                    case "true": out.append(Lexed(token: .literal(.bool(true)), offset: start))
                    case "false": out.append(Lexed(token: .literal(.bool(false)), offset: start))
                    default: out.append(Lexed(token: .word(word), offset: start))
                    }
                    i = j
                default:
                    throw fail("unexpected character \"\(c)\"")
                }
            }
            return out
        }
    }

    // MARK: - Parser

    struct Parser {
        var tokens: [Lexed]
        var length: Int
        var position = 0
        var comparisons: [Comparison] = []
        /// Parentheses open now; deep nesting is refused (recursion would exhaust the stack).
        var depth = 0
        static let maxDepth = 32

        mutating func enter() throws {
            depth += 1
            guard depth <= Self.maxDepth else { throw error("parentheses nested deeper than \(Self.maxDepth) levels") }
        }

        var atEnd: Bool { position >= tokens.count }
        var current: Token? { atEnd ? nil : tokens[position].token }

        func error(_ message: String) -> SyntaxError {
            SyntaxError(offset: atEnd ? length : tokens[position].offset, message: message)
        }

        func describeCurrent() -> String {
            switch current {
            case nil: return "end of pattern"
            case .punct(let p)?, .op(let p)?: return "\"\(p)\""
            case .word(let w)?: return "\"\(w)\""
            case .literal?: return "literal"
            }
        }

        func isKeyword(_ keyword: String) -> Bool {
            if case .word(let w)? = current { return w.uppercased() == keyword }
            return false
        }

        mutating func expectPunct(_ p: String) throws {
            guard current == .punct(p) else { throw error("expected \"\(p)\" but found \(describeCurrent())") }
            position += 1
        }

        mutating func expectKeyword(_ keyword: String) throws {
            guard isKeyword(keyword) else { throw error("expected \(keyword) but found \(describeCurrent())") }
            position += 1
        }

        // observationExpressions: or-expr (FOLLOWEDBY or-expr)*; or-expr: and-expr (OR and-expr)*; and-expr: obs (AND obs)*
        mutating func observationExpressions() throws {
            try observationOr()
            while isKeyword("FOLLOWEDBY") { position += 1; try observationOr() }
        }

        mutating func observationOr() throws {
            try observationAnd()
            while isKeyword("OR") { position += 1; try observationAnd() }
        }

        mutating func observationAnd() throws {
            try observation()
            while isKeyword("AND") { position += 1; try observation() }
        }

        mutating func observation() throws {
            if current == .punct("[") {
                position += 1
                try comparisonOr()
                try expectPunct("]")
            } else if current == .punct("(") {
                try enter()
                position += 1
                try observationExpressions()
                try expectPunct(")")
                depth -= 1
            } else {
                throw error("expected \"[\" or \"(\" but found \(describeCurrent())")
            }
            try qualifiers()
        }

        mutating func qualifiers() throws {
            while true {
                if isKeyword("START") {
                    position += 1
                    guard case .literal(.timestamp)? = current else { throw error("START needs a t'…' timestamp") }
                    position += 1
                    try expectKeyword("STOP")
                    guard case .literal(.timestamp)? = current else { throw error("STOP needs a t'…' timestamp") }
                    position += 1
                } else if isKeyword("WITHIN") {
                    position += 1
                    switch current {
                    case .literal(.integer(let n))? where n > 0: position += 1
                    case .literal(.float(let n))? where n > 0: position += 1
                    default: throw error("WITHIN needs a positive number")
                    }
                    try expectKeyword("SECONDS")
                } else if isKeyword("REPEATS") {
                    position += 1
                    guard case .literal(.integer(let n))? = current, n > 0 else { throw error("REPEATS needs a positive integer") }
                    position += 1
                    try expectKeyword("TIMES")
                } else {
                    return
                }
            }
        }

        mutating func comparisonOr() throws {
            try comparisonAnd()
            while isKeyword("OR") { position += 1; try comparisonAnd() }
        }

        mutating func comparisonAnd() throws {
            try propertyTest()
            while isKeyword("AND") { position += 1; try propertyTest() }
        }

        mutating func propertyTest() throws {
            if current == .punct("(") {
                try enter()
                position += 1
                try comparisonOr()
                try expectPunct(")")
                depth -= 1
                return
            }
            if isKeyword("EXISTS") {
                position += 1
                let (type, path) = try objectPath()
                comparisons.append(Comparison(objectType: type, path: path, negated: false, op: "EXISTS", values: []))
                return
            }
            let (type, path) = try objectPath()
            var negated = false
            if isKeyword("NOT") { negated = true; position += 1 }
            let op: String
            switch current {
            case .op(let o)?: op = o
            case .word(let w)? where ["IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"].contains(w.uppercased()): op = w.uppercased()
            default: throw error("expected a comparison operator but found \(describeCurrent())")
            }
            position += 1
            var values: [Literal] = []
            if op == "IN" {
                try expectPunct("(")
                values.append(try literal())
                while current == .punct(",") { position += 1; values.append(try literal()) }
                try expectPunct(")")
            } else {
                if ["LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"].contains(op) {
                    guard case .literal(.string)? = current else { throw error("\(op) needs a string") }
                }
                values.append(try literal())
            }
            comparisons.append(Comparison(objectType: type, path: path, negated: negated, op: op, values: values))
        }

        mutating func literal() throws -> Literal {
            guard case .literal(let value)? = current else { throw error("expected a value but found \(describeCurrent())") }
            position += 1
            return value
        }

        mutating func objectPath() throws -> (String, [String]) {
            guard case .word(let type)? = current else { throw error("expected an object type but found \(describeCurrent())") }
            position += 1
            guard type.first?.isLetter == true || type.first == "_" else { throw error("invalid object type \(type)") }
            try expectPunct(":")
            var path = [try pathComponent()]
            while true {
                if current == .punct(".") {
                    position += 1
                    path.append(try pathComponent())
                } else if current == .punct("[") {
                    position += 1
                    switch current {
                    case .literal(.integer(let n))? where n >= 0: path.append("[\(n)]")
                    case .punct("*")?: path.append("[*]")
                    default: throw error("expected a list index but found \(describeCurrent())")
                    }
                    position += 1
                    try expectPunct("]")
                } else {
                    return (type.lowercased(), path)
                }
            }
        }

        mutating func pathComponent() throws -> String {
            switch current {
            case .word(let w)?: position += 1; return w
            case .literal(.string(let s))?: position += 1; return s
            default: throw error("expected a property name but found \(describeCurrent())")
            }
        }
    }
}
