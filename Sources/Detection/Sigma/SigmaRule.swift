import Foundation

/// A Sigma rule as loaded from YAML: its metadata, and whether UngCuu can apply it.
/// CONTRACT (issue 6): App code depends on these names; the Sigma implementation fills them in.
public struct SigmaRule: Sendable, Hashable, Identifiable {
    public var id: String
    public var title: String
    public var status: String?
    public var level: String?
    public var description: String?
    public var author: String?
    public var date: String?
    public var modified: String?
    public var tags: [String]
    public var references: [String]
    public var falsePositives: [String]
    public var logsource: SigmaLogSource
    /// Why the rule cannot be applied (an unsupported modifier, a correlation rule, an unknown
    /// placeholder, ...). Such a rule is never half-applied: the engine leaves it out.
    public var unsupported: String?
    /// The YAML the rule came from, exactly: the file's text. For a file of several documents (a rule
    /// collection with `action: global`/`repeat`) that is the whole file, whose rules depend on each
    /// other; the engine picks this rule out of it again by `id`.
    public var yaml: String
    /// Where it came from (a path inside the imported folder or zip).
    public var origin: String
    /// The parsed detection, kept from loading so the engine does not read the YAML again. Not part of
    /// the rule's equality (it follows from `yaml`).
    var parsed: SigmaParsedRule? = nil

    public var isSupported: Bool { unsupported == nil }
    /// ATT&CK technique and tactic tags (`attack.t1059.001`, `attack.execution`).
    public var attackTags: [String] { tags.filter { $0.lowercased().hasPrefix("attack.") } }

    public init(id: String, title: String, status: String? = nil, level: String? = nil, description: String? = nil,
                author: String? = nil, date: String? = nil, modified: String? = nil, tags: [String] = [],
                references: [String] = [], falsePositives: [String] = [], logsource: SigmaLogSource = .init(),
                unsupported: String? = nil, yaml: String = "", origin: String = "") {
        self.id = id; self.title = title; self.status = status; self.level = level; self.description = description
        self.author = author; self.date = date; self.modified = modified; self.tags = tags; self.references = references
        self.falsePositives = falsePositives; self.logsource = logsource; self.unsupported = unsupported
        self.yaml = yaml; self.origin = origin
    }
}

public struct SigmaLogSource: Sendable, Hashable, Codable {
    public var product: String?
    public var service: String?
    public var category: String?
    public var definition: String?
    public init(product: String? = nil, service: String? = nil, category: String? = nil, definition: String? = nil) {
        self.product = product; self.service = service; self.category = category; self.definition = definition
    }
}

/// A rule file that could not be read at all (bad YAML, no detection, no title...). Rules that parse but
/// use something unsupported are not errors: they load with `unsupported` set.
public struct SigmaLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or zip entry) and, where known, the line and column.
    public var origin: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public init(origin: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.origin = origin; self.line = line; self.column = column; self.message = message
    }
    public var description: String {
        var place = origin
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): \(message)"
    }
}

/// Settings of the engine that come from the deployment rather than the rules.
public struct SigmaConfig: Sendable, Hashable {
    /// Values of `%placeholder%` names for the `expand` modifier. A rule that expands a placeholder not
    /// listed here is unsupported (with that reason).
    public var placeholders: [String: [String]]
    public init(placeholders: [String: [String]] = [:]) { self.placeholders = placeholders }
    public static let `default` = SigmaConfig()
}
