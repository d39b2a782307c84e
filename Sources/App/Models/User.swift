import Domain
import Fluent
import Foundation

final class User: Model, @unchecked Sendable {
    static let schema = "users"
    typealias Id = UUID

    enum Status: String, Codable, CaseIterable, Sendable {
        case active
        case locked
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // reference fields
    @OptionalParent(key: "agency_id") var agency: Agency?

    // data fields
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "role") var role: Role
    @Field(key: "status") var status: Status
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "locale") var locale: String
    /// Sealed with the application key; nil until enrolment starts.
    @OptionalField(key: "totp_secret_sealed") var totpSecretSealed: String?
    @Field(key: "totp_enabled") var totpEnabled: Bool
    @OptionalField(key: "totp_last_counter") var totpLastCounter: Int64?
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    /// Maintained by ``UserSearchText``.
    @Field(key: "search_text") var searchText: String

    init() {}

    init(id: UUID? = nil, email: String, name: String, phone: String? = nil, role: Role, agencyId: UUID?,
         passwordHash: String, mustChangePassword: Bool = false, locale: String = "vi") {
        self.id = id
        self.email = email
        self.name = name
        self.phone = phone
        self.role = role
        self.$agency.id = agencyId
        self.status = .active
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.locale = locale
        self.totpEnabled = false
        self.searchText = ""
    }

    var auditSnapshot: [String: String?] {
        ["email": email, "name": name, "phone": phone, "role": role.rawValue, "agencyId": $agency.id?.uuidString,
         "status": status.rawValue, "mustChangePassword": String(mustChangePassword), "totpEnabled": String(totpEnabled)]
    }
}
