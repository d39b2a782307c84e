import Foundation

/// A rule's detection as a boolean expression over field matches.
indirect enum SigmaExpr: Sendable {
    case and([SigmaExpr])
    case or([SigmaExpr])
    case not(SigmaExpr)
    /// A field (nil: a keyword search over every value of the event) compared with one value. The
    /// value is never an expansion: expansions become `or`.
    case match(field: String?, SigmaValue)
    case constant(Bool)

    func visitValues(_ body: (String?, SigmaValue) -> Void) {
        switch self {
        case .and(let xs), .or(let xs): for x in xs { x.visitValues(body) }
        case .not(let x): x.visitValues(body)
        case .match(let f, let v): body(f, v)
        case .constant: break
        }
    }
}

/// A condition error: what is wrong and at which character of the condition (1-based).
struct SigmaConditionError: Error, Sendable {
    var message: String
    var offset: Int
}

/// The condition grammar of the Sigma specification: `or` binds least, then `and`, then `not`, then
/// `1 of`/`any of`/`all of` selectors, then parentheses. Keywords are matched without regard to case.
enum SigmaConditionParser {
    indirect enum Node {
        case identifier(String, offset: Int)
        case selector(all: Bool, pattern: String, offset: Int)
        case and([Node])
        case or([Node])
        case not(Node)
    }

    private enum TokenKind: Equatable { case word, open, close, end }
    private struct Token { var kind: TokenKind; var text: String; var offset: Int }

    static func parse(_ text: String) throws(SigmaConditionError) -> Node {
        let tokens = try tokenize(text)
        var pos = 0
        let node = try parseOr(tokens, &pos, depth: 0)
        guard tokens[pos].kind == .end else {
            throw SigmaConditionError(message: "unexpected '\(tokens[pos].text)'", offset: tokens[pos].offset)
        }
        return node
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: ".")
    }

    private static func tokenize(_ text: String) throws(SigmaConditionError) -> [Token] {
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            if c == UInt8(ascii: "(") { tokens.append(Token(kind: .open, text: "(", offset: i + 1)); i += 1; continue }
            if c == UInt8(ascii: ")") { tokens.append(Token(kind: .close, text: ")", offset: i + 1)); i += 1; continue }
            if c == UInt8(ascii: "|") {
                throw SigmaConditionError(message: "aggregation with '|' (Sigma 1 'count() by …') is not supported; Sigma 2 expresses it as a correlation rule", offset: i + 1)
            }
            if isWordByte(c) {
                let start = i
                while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
                tokens.append(Token(kind: .word, text: String(decoding: bytes[start..<i], as: UTF8.self), offset: start + 1))
                continue
            }
            let scalar = String(decoding: bytes[i...].prefix(4), as: UTF8.self).first.map(String.init) ?? "?"
            throw SigmaConditionError(message: "unexpected character '\(scalar)'", offset: i + 1)
        }
        tokens.append(Token(kind: .end, text: "end of condition", offset: bytes.count + 1))
        return tokens
    }

    private static func keyword(_ t: Token, _ k: String) -> Bool {
        t.kind == .word && t.text.lowercased() == k
    }

    private static let maxDepth = 100

    private static func parseOr(_ t: [Token], _ pos: inout Int, depth: Int) throws(SigmaConditionError) -> Node {
        var items = [try parseAnd(t, &pos, depth: depth)]
        while keyword(t[pos], "or") {
            pos += 1
            items.append(try parseAnd(t, &pos, depth: depth))
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private static func parseAnd(_ t: [Token], _ pos: inout Int, depth: Int) throws(SigmaConditionError) -> Node {
        var items = [try parseNot(t, &pos, depth: depth)]
        while keyword(t[pos], "and") {
            pos += 1
            items.append(try parseNot(t, &pos, depth: depth))
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private static func parseNot(_ t: [Token], _ pos: inout Int, depth: Int) throws(SigmaConditionError) -> Node {
        if keyword(t[pos], "not") {
            guard depth < maxDepth else { throw SigmaConditionError(message: "condition nested too deeply", offset: t[pos].offset) }
            pos += 1
            return .not(try parseNot(t, &pos, depth: depth + 1))
        }
        return try parsePrimary(t, &pos, depth: depth)
    }

    private static func parsePrimary(_ t: [Token], _ pos: inout Int, depth: Int) throws(SigmaConditionError) -> Node {
        let tok = t[pos]
        switch tok.kind {
        case .open:
            guard depth < maxDepth else { throw SigmaConditionError(message: "condition nested too deeply", offset: tok.offset) }
            pos += 1
            let inner = try parseOr(t, &pos, depth: depth + 1)
            guard t[pos].kind == .close else {
                throw SigmaConditionError(message: "expected ')' but found \(describe(t[pos]))", offset: t[pos].offset)
            }
            pos += 1
            return inner
        case .close, .end:
            throw SigmaConditionError(message: "expected a search identifier but found \(describe(tok))", offset: tok.offset)
        case .word:
            let lower = tok.text.lowercased()
            if ["1", "any", "all"].contains(lower), keyword(t[pos + 1], "of") {
                let target = t[pos + 2]
                guard target.kind == .word, !["and", "or", "not", "of"].contains(target.text.lowercased()) else {
                    throw SigmaConditionError(message: "expected 'them' or a search identifier pattern after '\(tok.text) of' but found \(describe(target))", offset: target.offset)
                }
                pos += 3
                return .selector(all: lower == "all", pattern: target.text, offset: tok.offset)
            }
            if ["and", "or", "of"].contains(lower) {
                throw SigmaConditionError(message: "expected a search identifier but found '\(tok.text)'", offset: tok.offset)
            }
            if tok.text.contains("*") {
                throw SigmaConditionError(message: "wildcard '\(tok.text)' is only allowed after '1 of' or 'all of'", offset: tok.offset)
            }
            if let n = Int(tok.text), n > 1, keyword(t[pos + 1], "of") {
                throw SigmaConditionError(message: "'\(tok.text) of' is not part of Sigma (only '1 of', 'any of' and 'all of')", offset: tok.offset)
            }
            pos += 1
            return .identifier(tok.text, offset: tok.offset)
        }
    }

    private static func describe(_ t: Token) -> String {
        t.kind == .end ? "the end of the condition" : "'\(t.text)'"
    }

    /// Resolves identifiers and selectors to the detection's search expressions.
    static func resolve(_ node: Node, detections: [(name: String, expr: SigmaExpr)]) throws(SigmaConditionError) -> SigmaExpr {
        switch node {
        case .identifier(let name, let offset):
            guard let found = detections.first(where: { $0.name == name }) else {
                throw SigmaConditionError(message: "search identifier '\(name)' is not defined in the detection", offset: offset)
            }
            return found.expr
        case .selector(let all, let pattern, let offset):
            let matching: [SigmaExpr]
            if pattern.lowercased() == "them" {
                matching = detections.filter { !$0.name.hasPrefix("_") }.map(\.expr)
            } else {
                let allowUnderscore = pattern.hasPrefix("_")
                matching = detections.filter { (allowUnderscore || !$0.name.hasPrefix("_")) && globMatch(pattern, $0.name) }.map(\.expr)
            }
            guard !matching.isEmpty else {
                throw SigmaConditionError(message: "'\(all ? "all" : "1") of \(pattern)' matches no search identifier", offset: offset)
            }
            if matching.count == 1 { return matching[0] }
            return all ? .and(matching) : .or(matching)
        case .and(let xs):
            var out: [SigmaExpr] = []
            for x in xs { out.append(try resolve(x, detections: detections)) }
            return .and(out)
        case .or(let xs):
            var out: [SigmaExpr] = []
            for x in xs { out.append(try resolve(x, detections: detections)) }
            return .or(out)
        case .not(let x):
            return .not(try resolve(x, detections: detections))
        }
    }

    /// `*` matches any run of characters; everything else literally (identifier patterns).
    static func globMatch(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(name.utf8)
        var pi = 0, si = 0, starP = -1, starS = 0
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "*") { starP = pi; starS = si; pi += 1; continue }
            if pi < p.count, p[pi] == s[si] { pi += 1; si += 1; continue }
            if starP >= 0 { pi = starP + 1; starS += 1; si = starS; continue }
            return false
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
