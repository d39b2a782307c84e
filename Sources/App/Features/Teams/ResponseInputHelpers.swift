import Foundation
import Domain

/// Checks shared by the team, plan and drill forms.
extension InputChecker {
    /// A day (dd/MM/yyyy or yyyy-MM-dd) or nil; a bad value fails the field.
    mutating func responseDay(_ field: String, _ raw: String?, required: Bool = false) -> Date? {
        let value = Validators.trimmed(raw)
        if value.isEmpty {
            if required { fail(field, "validation.required") }
            return nil
        }
        guard let day = DisplayTime.parseDay(value) else { fail(field, "validation.invalidDate"); return nil }
        return day
    }
}

enum ResponseText {
    /// Form checkboxes and API booleans as text: "true", "on", "1", "yes", "có".
    static func flag(_ raw: String?) -> Bool {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return ["true", "on", "1", "yes", "có", "co"].contains(raw)
    }

    /// Non-empty trimmed lines.
    static func lines(_ raw: String?) -> [String] {
        (raw ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
