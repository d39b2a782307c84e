import Foundation
import Plot
import Vapor

typealias Body = Node<HTML.BodyContext>

/// Plot escapes text only partly (it keeps entities such as `&amp;`) and does not escape attribute
/// values at all, so every piece of user data goes through these helpers.
enum Markup {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for char in text.unicodeScalars {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(char)
            }
        }
        return out
    }
}

extension Node where Context == HTML.BodyContext {
    /// Escaped text.
    static func txt(_ text: String) -> Body { .raw(Markup.escape(text)) }

    /// An attribute whose value is escaped.
    static func attr(_ name: String, _ value: String) -> Body {
        .attribute(named: name, value: Markup.escape(value))
    }

    /// An element with escaped attributes; a nil value leaves the attribute out, an empty one
    /// renders a bare boolean attribute.
    static func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ children: [Body] = []) -> Body {
        var nodes: [Body] = []
        for (key, value) in attributes {
            guard let value else { continue }
            nodes.append(value.isEmpty ? .attribute(named: key) : .attribute(named: key, value: Markup.escape(value)))
        }
        return .element(named: name, nodes: nodes + children)
    }

    /// A void element such as `<input>`; attributes as for ``el(_:_:_:)``.
    static func void(_ name: String, _ attributes: KeyValuePairs<String, String?>) -> Body {
        let rendered: [Attribute<HTML.BodyContext>] = attributes.compactMap { key, value in
            guard let value else { return nil }
            return value.isEmpty
                ? Attribute(name: key, value: nil, ignoreIfValueIsEmpty: false)
                : Attribute(name: key, value: Markup.escape(value))
        }
        return .selfClosedElement(named: name, attributes: rendered)
    }

    static func link(_ href: String, _ text: String, id: String? = nil, cls: String? = nil) -> Body {
        .el("a", ["href": href, "id": id, "class": cls], [.txt(text)])
    }
}

