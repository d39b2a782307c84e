import Foundation

/// What the engine needs of a rule beyond its metadata: the detection as an expression (every
/// condition of the rule OR-ed), kept with the rule so the engine need not parse the YAML again.
final class SigmaParsedRule: Sendable, Hashable {
    let expression: SigmaExpr
    /// Placeholder names the rule expands (`|expand`).
    let placeholders: Set<String>

    init(expression: SigmaExpr, placeholders: Set<String>) {
        self.expression = expression
        self.placeholders = placeholders
    }

    // A cache of the rule's own text: equality and hashing stay those of the rule's public fields.
    static func == (lhs: SigmaParsedRule, rhs: SigmaParsedRule) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

enum SigmaRuleParser {
    /// The rules of one YAML text, in document order.
    static func parse(text: String, origin: String, config: SigmaConfig) throws(SigmaLoadError) -> [SigmaRule] {
        let docs: [SigmaNode?]
        do {
            docs = try SigmaYAML.documents(text)
        } catch {
            throw SigmaLoadError(origin: origin, line: error.position?.line, column: error.position?.column, message: error.message)
        }
        var rules: [SigmaRule] = []
        var global: SigmaNode? = nil
        var previous: SigmaNode? = nil
        var ordinal = 0
        for (index, maybeDoc) in docs.enumerated() {
            guard let doc = maybeDoc else { continue }
            guard case .mapping = doc else {
                throw SigmaLoadError(origin: origin, line: doc.position.line, column: doc.position.column,
                                     message: "document \(index + 1) is \(doc.kindName), not a mapping")
            }
            let action = doc["action"]?.text
            var ruleDoc: SigmaNode
            switch action {
            case nil:
                if doc["correlation"] != nil || doc["filter"] != nil {
                    ruleDoc = doc
                } else {
                    ruleDoc = global.map { merge(doc, $0) } ?? doc
                    previous = ruleDoc
                }
            case "global":
                let g = removing("action", from: doc)
                global = g
                previous = g
                continue
            case "reset":
                global = nil
                continue
            case "repeat":
                let base = previous ?? .mapping([], doc.position)
                ruleDoc = merge(base, removing("action", from: doc))
                previous = ruleDoc
            case .some(let other):
                let pos = doc["action"]?.position ?? doc.position
                throw SigmaLoadError(origin: origin, line: pos.line, column: pos.column,
                                     message: "unknown collection action '\(other)' (Sigma knows global, reset and repeat)")
            }
            ordinal += 1
            var rule = try makeRule(ruleDoc, origin: origin, ordinal: ordinal, config: config)
            // The whole text: a document of a collection is not a rule on its own (see `SigmaRule.yaml`).
            rule.yaml = text
            rules.append(rule)
        }
        return rules
    }

    /// pySigma's `deep_dict_update(dest, src)`: mappings merge recursively, anything else in `src` replaces.
    static func merge(_ dest: SigmaNode, _ src: SigmaNode) -> SigmaNode {
        guard case .mapping(var pairs, let pos) = dest, case .mapping(let srcPairs, _) = src else { return src }
        for (k, kp, v) in srcPairs {
            if let i = pairs.firstIndex(where: { $0.key == k }) {
                if case .mapping = v {
                    let existing: SigmaNode
                    if case .mapping = pairs[i].value { existing = pairs[i].value } else { existing = .mapping([], pairs[i].value.position) }
                    pairs[i].value = merge(existing, v)
                } else {
                    pairs[i].value = v
                }
            } else {
                if case .mapping = v {
                    pairs.append((k, kp, merge(.mapping([], v.position), v)))
                } else {
                    pairs.append((k, kp, v))
                }
            }
        }
        return .mapping(pairs, pos)
    }

    private static func removing(_ key: String, from node: SigmaNode) -> SigmaNode {
        guard case .mapping(let pairs, let pos) = node else { return node }
        return .mapping(pairs.filter { $0.key != key }, pos)
    }

    private static func place(_ p: SigmaPosition) -> String { "line \(p.line), column \(p.column)" }

    static func makeRule(_ doc: SigmaNode, origin: String, ordinal: Int, config: SigmaConfig) throws(SigmaLoadError) -> SigmaRule {
        let isCorrelation = doc["correlation"] != nil
        let isFilter = doc["filter"] != nil && doc["detection"] == nil
        guard let titleNode = doc["title"], let title = titleNode.text, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            let p = doc["title"]?.position ?? doc.position
            throw SigmaLoadError(origin: origin, line: p.line, column: p.column, message: "rule has no title")
        }
        var logsource = SigmaLogSource()
        if let ls = doc["logsource"] {
            logsource = SigmaLogSource(product: ls["product"]?.text, service: ls["service"]?.text,
                                       category: ls["category"]?.text, definition: ls["definition"]?.text)
        }
        let id = doc["id"]?.text ?? doc["name"]?.text ?? "\(origin)#\(ordinal)"
        var rule = SigmaRule(
            id: id, title: title, status: doc["status"]?.text, level: doc["level"]?.text,
            description: doc["description"]?.text, author: doc["author"]?.text, date: doc["date"]?.text,
            modified: doc["modified"]?.text, tags: doc["tags"]?.texts ?? [], references: doc["references"]?.texts ?? [],
            falsePositives: doc["falsepositives"]?.texts ?? [], logsource: logsource, unsupported: nil, yaml: "", origin: origin)
        if isCorrelation {
            let type = doc["correlation"]?["type"]?.text.map { " (\($0))" } ?? ""
            rule.unsupported = "correlation rule\(type): correlations across events are not supported"
            return rule
        }
        if isFilter {
            rule.unsupported = "Sigma filter (meta rule): filters that rewrite other rules are not applied"
            return rule
        }
        guard let detection = doc["detection"] else {
            throw SigmaLoadError(origin: origin, line: doc.position.line, column: doc.position.column, message: "rule '\(title)' has no detection")
        }
        guard case .mapping(let pairs, _) = detection else {
            let p = detection.position
            throw SigmaLoadError(origin: origin, line: p.line, column: p.column, message: "detection is \(detection.kindName), not a mapping")
        }
        switch buildDetection(pairs, detectionPosition: detection.position) {
        case .success(let parsed):
            rule.parsed = parsed
            rule.unsupported = SigmaCompiler.validate(parsed, config: config)
        case .failure(let error):
            rule.unsupported = error.message
        }
        return rule
    }

    struct Problem: Error { var message: String }

    static func buildDetection(_ pairs: [(key: String, keyPosition: SigmaPosition, value: SigmaNode)], detectionPosition: SigmaPosition) -> Result<SigmaParsedRule, Problem> {
        var searches: [(name: String, expr: SigmaExpr)] = []
        var placeholders = Set<String>()
        var conditionNode: SigmaNode? = nil
        for (name, keyPos, value) in pairs {
            if name == "condition" { conditionNode = value; continue }
            if name == "timeframe" { continue }
            do {
                let expr = try definition(value, placeholders: &placeholders)
                searches.append((name, expr))
            } catch {
                return .failure(Problem(message: "search identifier '\(name)' (\(place(keyPos))): \(error.message)"))
            }
        }
        guard let conditionNode else {
            return .failure(Problem(message: "detection has no condition (\(place(detectionPosition)))"))
        }
        var conditions: [(String, SigmaPosition)] = []
        switch conditionNode {
        case .scalar(let s, let raw, _, let p):
            guard s != .null else { return .failure(Problem(message: "condition is empty (\(place(p)))")) }
            conditions.append((raw, p))
        case .sequence(let items, _):
            for item in items {
                guard case .scalar(let s, let raw, _, let p) = item, s != .null else {
                    return .failure(Problem(message: "condition list entry is not a string (\(place(item.position)))"))
                }
                conditions.append((raw, p))
            }
        case .mapping(_, let p):
            return .failure(Problem(message: "condition is a mapping, not a string (\(place(p)))"))
        }
        guard !conditions.isEmpty else { return .failure(Problem(message: "condition list is empty")) }
        var exprs: [SigmaExpr] = []
        for (text, pos) in conditions {
            do {
                let tree = try SigmaConditionParser.parse(text)
                exprs.append(try SigmaConditionParser.resolve(tree, detections: searches))
            } catch {
                return .failure(Problem(message: "condition '\(text)' (\(place(pos))), at character \(error.offset): \(error.message)"))
            }
        }
        return .success(SigmaParsedRule(expression: exprs.count == 1 ? exprs[0] : .or(exprs), placeholders: placeholders))
    }

    /// A search identifier's definition (pySigma's `SigmaDetection.from_definition`).
    static func definition(_ node: SigmaNode, placeholders: inout Set<String>) throws(SigmaValueError) -> SigmaExpr {
        switch node {
        case .mapping(let pairs, _):
            guard !pairs.isEmpty else { throw SigmaValueError("the search is empty") }
            var items: [SigmaExpr] = []
            for (key, keyPos, value) in pairs {
                do {
                    items.append(try item(key: key, value: value, placeholders: &placeholders))
                } catch {
                    throw SigmaValueError("'\(key)' (\(place(keyPos))): \(error.message)")
                }
            }
            return items.count == 1 ? items[0] : .and(items)
        case .scalar:
            return try item(key: nil, value: node, placeholders: &placeholders)
        case .sequence(let elements, _):
            guard !elements.isEmpty else { throw SigmaValueError("the search is an empty list") }
            if elements.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
                return try item(key: nil, value: node, placeholders: &placeholders)
            }
            var alternatives: [SigmaExpr] = []
            for e in elements { alternatives.append(try definition(e, placeholders: &placeholders)) }
            return alternatives.count == 1 ? alternatives[0] : .or(alternatives)
        }
    }

    /// One `field|modifier…: value(s)` entry (pySigma's `SigmaDetectionItem`).
    static func item(key: String?, value: SigmaNode, placeholders: inout Set<String>) throws(SigmaValueError) -> SigmaExpr {
        var field: String? = nil
        var modifiers: [SigmaModifier] = []
        if let key {
            let pieces = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            field = pieces[0].isEmpty ? nil : pieces[0]
            for name in pieces.dropFirst() {
                guard let m = SigmaModifier.named(name) else {
                    throw SigmaValueError("unknown modifier '\(name)'")
                }
                modifiers.append(m)
            }
        }
        let isRegex = modifiers.contains(.re)
        var scalars: [(SigmaScalar, String, Bool)] = []
        switch value {
        case .scalar(let s, let raw, let plain, _): scalars = [(s, raw, plain)]
        case .sequence(let items, _):
            for it in items {
                guard case .scalar(let s, let raw, let plain, _) = it else {
                    throw SigmaValueError("a value list may hold only plain values, not \(it.kindName)")
                }
                scalars.append((s, raw, plain))
            }
        case .mapping:
            throw SigmaValueError("a value may not be a mapping")
        }
        var values: [SigmaValue] = []
        for (s, raw, _) in scalars {
            if isRegex {
                guard s != .null else { throw SigmaValueError("a regular expression cannot be null") }
                values.append(.string(SigmaPattern(parts: raw.isEmpty ? [] : [.literal(Array((s.text ?? raw).utf8))])))
                continue
            }
            switch s {
            case .string(let text): values.append(.string(SigmaPattern(sigma: text)))
            case .int(let i): values.append(.number(SigmaNumber(int: i)))
            case .double(let d):
                guard let n = SigmaNumber(double: d) else { throw SigmaValueError("'\(raw)' is not a finite number") }
                values.append(.number(n))
            case .bool(let b): values.append(.bool(b))
            case .null: values.append(.null)
            }
        }
        var all = false, negated = false
        var applied: [SigmaModifier] = []
        for m in modifiers {
            switch m {
            case .all: all = true
            case .neq: negated = true
            default:
                var next: [SigmaValue] = []
                for v in values { next += try SigmaModifiers.apply(m, to: v, applied: applied, field: field) }
                values = next
            }
            applied.append(m)
        }
        // `field: null` and an empty list both mean null; a keyword search cannot be null.
        if values.isEmpty { values = [.null] }
        var leaves: [SigmaExpr] = []
        for v in values { leaves.append(try leaf(field: field, value: v, placeholders: &placeholders)) }
        var expr: SigmaExpr = leaves.count == 1 ? leaves[0] : (all ? .and(leaves) : .or(leaves))
        if negated { expr = .not(expr) }
        return expr
    }

    private static func leaf(field: String?, value: SigmaValue, placeholders: inout Set<String>) throws(SigmaValueError) -> SigmaExpr {
        switch value {
        case .expansion(let items):
            guard !items.isEmpty else { return .constant(false) }
            var out: [SigmaExpr] = []
            for it in items { out.append(try leaf(field: field, value: it, placeholders: &placeholders)) }
            return out.count == 1 ? out[0] : .or(out)
        case .string(let p):
            for n in p.placeholders { placeholders.insert(n) }
        case .regex(let spec):
            for n in spec.source.placeholders { placeholders.insert(n) }
        case .null:
            if field == nil { throw SigmaValueError("a keyword search cannot be null") }
        case .cidr, .compare, .fieldref, .exists, .timePart, .timeCompare:
            if field == nil { throw SigmaValueError("a \(value.typeName) needs a field") }
        case .number, .bool:
            break
        }
        return .match(field: field, value)
    }
}
