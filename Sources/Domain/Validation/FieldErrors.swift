/// Validation problems keyed by field name, each with a catalogue key for the message.
public struct FieldErrors: Error, Sendable, Equatable {
    public private(set) var messages: [String: String] = [:]

    public init() {}
    public init(_ messages: [String: String]) { self.messages = messages }

    public var isEmpty: Bool { messages.isEmpty }

    public mutating func add(_ field: String, _ messageKey: String) {
        if messages[field] == nil { messages[field] = messageKey }
    }

    public subscript(field: String) -> String? { messages[field] }

    public func throwIfAny() throws(FieldErrors) {
        if !isEmpty { throw self }
    }
}
