import Fluent
import Foundation

/// Administrator settings as key/value rows.
final class Setting: Model, @unchecked Sendable {
    static let schema = "settings"

    enum Key: String, CaseIterable, Sendable {
        /// Comma-separated roles that must use two-factor authentication.
        case requireTwoFactorRoles = "require_two_factor_roles"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(key: Key, value: String) {
        self.key = key.rawValue
        self.value = value
    }
}
