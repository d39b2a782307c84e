import Foundation

/// Shared checks for user input. Each returns the normalised value or nil when invalid.
public enum Validators {
    public static func trimmed(_ value: String?) -> String {
        (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func email(_ raw: String?) -> String? {
        let value = trimmed(raw).lowercased()
        guard value.count <= 254, let at = value.firstIndex(of: "@") else { return nil }
        let local = value[..<at]
        let domain = value[value.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, domain.contains("."), !domain.hasPrefix("."),
              !domain.hasSuffix("."), !domain.contains("@"), !domain.contains("..") else { return nil }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-_+'@")
        guard value.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        return value
    }

    /// Phone numbers: 8–15 digits with an optional leading +, spaces, dots, dashes, parentheses.
    public static func phone(_ raw: String?) -> String? {
        let value = trimmed(raw)
        let digits = value.filter(\.isNumber)
        guard (8...15).contains(digits.count), value.count <= 32 else { return nil }
        let allowed = CharacterSet(charactersIn: "0123456789+ .-()")
        guard value.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        if let plus = value.firstIndex(of: "+"), plus != value.startIndex { return nil }
        return value
    }

    /// Codes used in document symbols: letters, digits, dash, dot, underscore; 2–32 characters.
    public static func code(_ raw: String?) -> String? {
        let value = trimmed(raw).uppercased()
        guard (2...32).contains(value.count) else { return nil }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
        guard value.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        return value
    }

    static func hasForbiddenControls(_ value: String) -> Bool {
        value.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) && !"\n\r\t".unicodeScalars.contains($0) }
    }
}

/// Collects field errors while reading a form or API body, so every bad field is reported at once.
public struct InputChecker: Sendable {
    public private(set) var errors = FieldErrors()

    public init() {}

    public mutating func fail(_ field: String, _ key: String) { errors.add(field, key) }

    public mutating func requiredText(_ field: String, _ raw: String?, max: Int) -> String {
        let value = Validators.trimmed(raw)
        if value.isEmpty { fail(field, "validation.required"); return "" }
        return checked(field, value, max: max) ?? ""
    }

    public mutating func optionalText(_ field: String, _ raw: String?, max: Int) -> String? {
        let value = Validators.trimmed(raw)
        if value.isEmpty { return nil }
        return checked(field, value, max: max)
    }

    private mutating func checked(_ field: String, _ value: String, max: Int) -> String? {
        if value.count > max { fail(field, "validation.tooLong"); return nil }
        if Validators.hasForbiddenControls(value) { fail(field, "validation.invalidCharacters"); return nil }
        return value
    }

    public mutating func email(_ field: String, _ raw: String?, required: Bool) -> String? {
        if Validators.trimmed(raw).isEmpty {
            if required { fail(field, "validation.required") }
            return nil
        }
        guard let value = Validators.email(raw) else { fail(field, "validation.invalidEmail"); return nil }
        return value
    }

    public mutating func phone(_ field: String, _ raw: String?, required: Bool) -> String? {
        if Validators.trimmed(raw).isEmpty {
            if required { fail(field, "validation.required") }
            return nil
        }
        guard let value = Validators.phone(raw) else { fail(field, "validation.invalidPhone"); return nil }
        return value
    }

    public mutating func code(_ field: String, _ raw: String?) -> String {
        if Validators.trimmed(raw).isEmpty { fail(field, "validation.required"); return "" }
        guard let value = Validators.code(raw) else { fail(field, "validation.invalidCode"); return "" }
        return value
    }

    public mutating func choice<T: RawRepresentable>(_ field: String, _ raw: String?, as type: T.Type) -> T? where T.RawValue == String {
        let value = Validators.trimmed(raw)
        if value.isEmpty { fail(field, "validation.required"); return nil }
        guard let parsed = T(rawValue: value) else { fail(field, "validation.unknownValue"); return nil }
        return parsed
    }

    public mutating func uuid(_ field: String, _ raw: String?, required: Bool) -> UUID? {
        let value = Validators.trimmed(raw)
        if value.isEmpty {
            if required { fail(field, "validation.required") }
            return nil
        }
        guard let id = UUID(uuidString: value) else { fail(field, "validation.invalidId"); return nil }
        return id
    }
}
