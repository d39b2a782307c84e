import Foundation
import Testing
@testable import Detection

/// Small helpers for the Sigma tests: a rule from a detection block, an event from a dictionary.
enum SigmaTest {
    static func yaml(detection: String, logsource: String = "    category: test\n", extra: String = "") -> String {
        // Without a condition of its own, the detection is every search of it.
        let detection = detection.contains("condition:") ? detection : detection + "\ncondition: all of them"
        return """
        title: Test rule
        id: 00000000-0000-0000-0000-000000000001
        level: high
        \(extra)logsource:
        \(logsource)detection:
        \(detection.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))

        """
    }

    static func rule(_ detection: String, logsource: String = "    category: test\n", config: SigmaConfig = .default) throws -> SigmaRule {
        let rules = try SigmaRuleLoader.parse(yaml: yaml(detection: detection, logsource: logsource), origin: "test.yml", config: config)
        return rules[0]
    }

    static func event(_ fields: [String: Any]) -> FlatEvent {
        var out: [String: EventValue] = [:]
        for (k, v) in fields { out[k] = value(v) }
        return FlatEvent(fields: out)
    }

    static func value(_ v: Any) -> EventValue {
        switch v {
        case let e as EventValue: return e
        case let s as String: return .string(s)
        case let i as Int: return .int(Int64(i))
        case let d as Double: return .double(d)
        case let b as Bool: return .bool(b)
        case let a as [Any]: return .array(a.map(value))
        default: return .null
        }
    }

    /// Whether the rule (built from the detection) matches the event.
    static func fires(_ detection: String, _ fields: [String: Any], logsource: String = "    category: test\n",
                      config: SigmaConfig = .default) throws -> Bool {
        let r = try rule(detection, logsource: logsource, config: config)
        let engine = SigmaEngine(rules: [r], config: config)
        #expect(engine.unsupported.isEmpty, "unsupported: \(engine.unsupported.map(\.reason))")
        return engine.match(event(fields)) == [0]
    }

    /// The reason a rule is left out (nil when it is applied).
    static func unsupported(_ detection: String, logsource: String = "    category: test\n", config: SigmaConfig = .default) throws -> String? {
        let r = try rule(detection, logsource: logsource, config: config)
        if let reason = r.unsupported { return reason }
        return SigmaEngine(rules: [r], config: config).unsupported.first?.reason
    }
}
