import Foundation
import Domain
import Plot
import Vapor

/// Form building blocks. Every POST form carries the CSRF token; every field shows its error next
/// to it and keeps what the user typed.
enum Forms {
    static func post(_ req: Request, action: String, id: String? = nil, cls: String? = nil, _ children: [Body]) -> Body {
        .el("form", ["method": "post", "action": action, "id": id, "class": cls], [
            .void("input", ["type": "hidden", "name": CSRF.fieldName, "value": CSRF.token(for: req)]),
        ] + children)
    }

    static func postButton(_ req: Request, action: String, label: String, id: String? = nil, cls: String? = nil,
                           confirm: String? = nil) -> Body {
        .el("form", ["method": "post", "action": action, "class": "inline", "data-confirm": confirm], [
            .void("input", ["type": "hidden", "name": CSRF.fieldName, "value": CSRF.token(for: req)]),
            .el("button", ["type": "submit", "id": id, "class": cls], [.txt(label)]),
        ])
    }

    struct Field {
        var name: String
        var label: String
        var value: String?
        var error: String?
        var type: String = "text"
        var required = false
        var autocomplete: String?
        var hint: String?
        var maxLength: Int?
        var placeholder: String?
        /// Element id when several forms on one page share field names; defaults to the name.
        var id: String?
    }

    static func input(_ field: Field) -> Body {
        let id = field.id ?? field.name
        let errorId = field.error == nil ? nil : id + "-error"
        let hintId = field.hint == nil ? nil : id + "-hint"
        let described = [errorId, hintId].compactMap { $0 }.joined(separator: " ")
        return .el("div", ["class": field.error == nil ? "field" : "field invalid"], [
            .el("label", ["for": id], [.txt(field.label), field.required ? .el("span", ["class": "req", "aria-hidden": "true"], [.txt(" *")]) : .empty]),
            .void("input", [
                "type": field.type, "id": id, "name": field.name,
                "value": field.type == "password" ? nil : (field.value ?? ""),
                "required": field.required ? "" : nil,
                "autocomplete": field.autocomplete,
                "maxlength": field.maxLength.map(String.init),
                "placeholder": field.placeholder,
                "aria-invalid": field.error == nil ? nil : "true",
                "aria-describedby": described.isEmpty ? nil : described,
            ]),
            field.hint.map { .el("p", ["class": "hint", "id": hintId], [.txt($0)]) } ?? .empty,
            field.error.map { .el("p", ["class": "error", "id": errorId], [.txt($0)]) } ?? .empty,
        ])
    }

    static func select(name: String, label: String, options: [(value: String, label: String)], selected: String?,
                       error: String?, required: Bool = false, includeBlank: String? = nil, id: String? = nil) -> Body {
        let id = id ?? name
        var optionNodes: [Body] = []
        if let includeBlank {
            optionNodes.append(.el("option", ["value": ""], [.txt(includeBlank)]))
        }
        for option in options {
            optionNodes.append(.el("option", ["value": option.value, "selected": option.value == selected ? "" : nil], [.txt(option.label)]))
        }
        return .el("div", ["class": error == nil ? "field" : "field invalid"], [
            .el("label", ["for": id], [.txt(label), required ? .el("span", ["class": "req", "aria-hidden": "true"], [.txt(" *")]) : .empty]),
            .el("select", ["id": id, "name": name, "required": required ? "" : nil,
                           "aria-invalid": error == nil ? nil : "true",
                           "aria-describedby": error == nil ? nil : id + "-error"], optionNodes),
            error.map { .el("p", ["class": "error", "id": id + "-error"], [.txt($0)]) } ?? .empty,
        ])
    }

    static func textarea(name: String, label: String, value: String?, error: String?, hint: String? = nil, rows: Int = 3,
                         required: Bool = false, maxLength: Int? = nil, id: String? = nil) -> Body {
        let id = id ?? name
        let described = [error == nil ? nil : id + "-error", hint == nil ? nil : id + "-hint"].compactMap { $0 }.joined(separator: " ")
        return .el("div", ["class": error == nil ? "field" : "field invalid"], [
            .el("label", ["for": id], [.txt(label), required ? .el("span", ["class": "req", "aria-hidden": "true"], [.txt(" *")]) : .empty]),
            .el("textarea", ["id": id, "name": name, "rows": String(rows), "required": required ? "" : nil,
                             "maxlength": maxLength.map(String.init),
                             "aria-invalid": error == nil ? nil : "true", "aria-describedby": described.isEmpty ? nil : described],
                [.txt(value ?? "")]),
            hint.map { .el("p", ["class": "hint", "id": id + "-hint"], [.txt($0)]) } ?? .empty,
            error.map { .el("p", ["class": "error", "id": id + "-error"], [.txt($0)]) } ?? .empty,
        ])
    }

    /// A group of checkboxes sharing one name (sent as `name[]`), with one error for the group.
    static func checkboxGroup(name: String, legend: String, options: [(value: String, label: String)], checked: Set<String>,
                              error: String?, hint: String? = nil) -> Body {
        .el("fieldset", ["class": error == nil ? "field checks" : "field checks invalid", "id": name,
                         "aria-describedby": error == nil ? nil : name + "-error"], [
            .el("legend", [:], [.txt(legend)]),
            .group(options.map { option in
                .el("label", ["class": "check"], [
                    .void("input", ["type": "checkbox", "name": name + "[]", "value": option.value, "checked": checked.contains(option.value) ? "" : nil]),
                    .txt(" " + option.label),
                ])
            }),
            hint.map { .el("p", ["class": "hint"], [.txt($0)]) } ?? .empty,
            error.map { .el("p", ["class": "error", "id": name + "-error"], [.txt($0)]) } ?? .empty,
        ])
    }

    /// A file input for one or more documents.
    static func fileInput(name: String = "files", label: String, error: String?, hint: String?, multiple: Bool = true, accept: String? = nil,
                          id: String? = nil) -> Body {
        let id = id ?? name
        return .el("div", ["class": error == nil ? "field" : "field invalid"], [
            .el("label", ["for": id], [.txt(label)]),
            .void("input", ["type": "file", "id": id, "name": multiple ? name + "[]" : name, "multiple": multiple ? "" : nil, "accept": accept,
                            "aria-invalid": error == nil ? nil : "true", "aria-describedby": error == nil ? nil : id + "-error"]),
            hint.map { .el("p", ["class": "hint"], [.txt($0)]) } ?? .empty,
            error.map { .el("p", ["class": "error", "id": id + "-error"], [.txt($0)]) } ?? .empty,
        ])
    }

    /// A POST form that may carry files.
    static func multipart(_ req: Request, action: String, id: String? = nil, cls: String? = nil, _ children: [Body]) -> Body {
        .el("form", ["method": "post", "action": action, "id": id, "class": cls, "enctype": "multipart/form-data"], [
            .void("input", ["type": "hidden", "name": CSRF.fieldName, "value": CSRF.token(for: req)]),
        ] + children)
    }

    static func checkbox(name: String, value: String, label: String, checked: Bool) -> Body {
        .el("label", ["class": "check"], [
            .void("input", ["type": "checkbox", "name": name, "value": value, "checked": checked ? "" : nil]),
            .txt(" " + label),
        ])
    }

    static func submit(_ label: String, id: String = "save") -> Body {
        .el("div", ["class": "actions"], [.el("button", ["type": "submit", "id": id, "class": "primary"], [.txt(label)])])
    }

    /// A summary at the top of a form that failed validation.
    static func errorSummary(_ errors: [String: String], t: Localizer) -> Body {
        guard !errors.isEmpty else { return .empty }
        // A problem with the form as a whole (key "form") is said instead of the generic prompt.
        return .el("div", ["class": "flash error", "role": "alert", "id": "form-errors"], [.txt(t(errors["form"] ?? "form.fixErrors"))])
    }
}
