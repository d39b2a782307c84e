import Foundation

/// CONTRACT (issue 6): the entry points the App and the CLI use. The Sigma implementation replaces the
/// bodies; the signatures stay (add, don't change).
public enum SigmaRuleLoader {
    /// Parses one YAML text (one rule, or a rule collection with `action: global`/`reset`/`repeat`
    /// documents) into rules. Throws for YAML that cannot be read or a rule without title/detection.
    public static func parse(yaml: String, origin: String, config: SigmaConfig = .default) throws(SigmaLoadError) -> [SigmaRule] {
        fatalError("SigmaRuleLoader.parse: not implemented yet")
    }

    /// Every `*.yml`/`*.yaml` under the given files and folders (recursively), in path order.
    public static func load(paths: [URL], config: SigmaConfig = .default) -> (rules: [SigmaRule], errors: [SigmaLoadError]) {
        fatalError("SigmaRuleLoader.load: not implemented yet")
    }
}

/// The compiled matcher for a set of rules. Thread-safe: one engine serves every thread.
public final class SigmaEngine: Sendable {
    /// The rules the engine applies (the supported ones of those given, in the order given).
    public let rules: [SigmaRule]

    public init(rules: [SigmaRule], config: SigmaConfig = .default) {
        fatalError("SigmaEngine.init: not implemented yet")
    }

    /// Indices into `rules` of the rules that match the event, ascending.
    public func match(_ event: FlatEvent) -> [Int] {
        fatalError("SigmaEngine.match: not implemented yet")
    }
}
