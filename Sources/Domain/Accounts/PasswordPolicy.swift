import Foundation

/// Password rules: at least 12 characters, at most 128, not a common password
/// (nor a common password with digits or symbols appended), not the account's own e-mail or name.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    public static let maximumLength = 128

    private let common: Set<String>

    public init(commonPasswords: Set<String>) {
        self.common = commonPasswords
    }

    /// The policy with the list shipped in this module's resources.
    public static let shipped: PasswordPolicy = {
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources/common-passwords.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("The shipped common-password list is missing from the Domain bundle")
        }
        let words = text.split(whereSeparator: \.isNewline).map { String($0) }
        return PasswordPolicy(commonPasswords: Set(words))
    }()

    public enum Problem: String, Sendable, Equatable {
        case tooShort = "password.tooShort"
        case tooLong = "password.tooLong"
        case common = "password.common"
        case personal = "password.personal"
    }

    public func problem(with password: String, email: String? = nil, name: String? = nil) -> Problem? {
        if password.count < Self.minimumLength { return .tooShort }
        if password.count > Self.maximumLength { return .tooLong }
        let lower = password.lowercased()
        if isCommon(lower) { return .common }
        if let email, let local = email.lowercased().split(separator: "@").first, local.count >= 4,
           lower.contains(local) || lower == email.lowercased() { return .personal }
        if let name {
            let compact = name.lowercased().filter { !$0.isWhitespace }
            if compact.count >= 6 && lower.contains(compact) { return .personal }
        }
        return nil
    }

    private func isCommon(_ lower: String) -> Bool {
        if common.contains(lower) { return true }
        // "password2024!" is as weak as "password": strip trailing digits and symbols and look again.
        let base = String(lower.reversed().drop(while: { !$0.isLetter }).reversed())
        if base.count >= 6 && common.contains(base) { return true }
        // Leading digits/symbols likewise ("@123password").
        let core = String(base.drop(while: { !$0.isLetter }))
        if core.count >= 6 && common.contains(core) { return true }
        // A single character repeated or a run of one short word repeated.
        if Set(lower).count <= 2 { return true }
        return false
    }
}
