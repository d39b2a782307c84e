import Foundation

/// Why an exchange file was refused. `code` is stable (for catalogues and API clients); `location` names
/// the place in the input, e.g. `objects[12].pattern` or `Event.Attribute[3].value`; `message` is English.
public struct ExchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// Not JSON at all, or not UTF-8.
        case malformedJSON = "malformed_json"
        /// JSON, but not the expected document (`type` is not "bundle", no `Event`, …).
        case wrongType = "wrong_type"
        /// More bytes than the configured limit.
        case tooLarge = "too_large"
        /// More objects/attributes (or extracted observables) than the configured limit.
        case tooManyObjects = "too_many_objects"
        /// A required property is missing or has the wrong JSON type.
        case invalidObject = "invalid_object"
        /// A STIX pattern does not parse.
        case invalidPattern = "invalid_pattern"
        /// A value does not have the shape of its type (hash length, IP address, AS number, …).
        case invalidValue = "invalid_value"
        /// An observable to export has a type UngCuu does not know.
        case unsupportedType = "unsupported_type"
    }

    public var code: Code
    public var location: String
    public var message: String

    public init(_ code: Code, at location: String, _ message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    public var description: String { "\(code.rawValue) at \(location): \(message)" }
}

/// Limits applied by the readers before anything is imported.
public struct ExchangeLimits: Sendable, Equatable {
    /// Largest accepted input, in bytes (default 10 MiB).
    public var maxBytes: Int
    /// Most STIX objects or MISP attributes (including those inside MISP objects) accepted (default 10,000).
    public var maxObjects: Int
    /// Most observables one file may yield (default 10,000).
    public var maxObservables: Int
    /// Longest accepted observable value, in characters (default 4,096).
    public var maxValueLength: Int

    public init(maxBytes: Int = 10 * 1024 * 1024, maxObjects: Int = 10_000, maxObservables: Int = 10_000,
                maxValueLength: Int = 4_096) {
        self.maxBytes = maxBytes
        self.maxObjects = maxObjects
        self.maxObservables = maxObservables
        self.maxValueLength = maxValueLength
    }

    public static let `default` = ExchangeLimits()
}

/// What an import found: every observable, and what was passed over (not an error) with the reason.
public struct ExchangeImport: Sendable, Equatable {
    public var observables: [ExchangeObservable]
    public var skipped: [ExchangeSkipped]
    /// The title the file gives its content (STIX grouping/report name, MISP event info), if any.
    public var title: String?

    public init(observables: [ExchangeObservable], skipped: [ExchangeSkipped] = [], title: String? = nil) {
        self.observables = observables
        self.skipped = skipped
        self.title = title
    }
}

/// Something in an imported file that yields no observable, e.g. a `process` object or a pattern using `LIKE`.
public struct ExchangeSkipped: Sendable, Equatable {
    public var location: String
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }
}
