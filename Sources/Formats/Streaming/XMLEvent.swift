import Foundation

/// One attribute of a start tag, its value with references decoded and whitespace normalised.
public struct XMLAttribute: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What ``XMLPullReader`` yields, in document order. `<a/>` yields a start and an end.
public enum XMLEvent: Sendable, Equatable {
    case startElement(name: String, attributes: [XMLAttribute])
    case endElement(name: String)
    /// Character data between two tags (CDATA included, references decoded, line ends normalised to "\n").
    case text(String)
}

extension Array where Element == XMLAttribute {
    /// The value of the attribute called `name`, if the tag has it.
    public func value(_ name: String) -> String? {
        first { $0.name == name }?.value
    }
}
