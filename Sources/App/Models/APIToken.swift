import Fluent
import Foundation

/// A personal API token. The secret is shown once; only its SHA-256 is stored.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    typealias Id = UUID

    static let prefix = "ucu_"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the token, to recognise it in lists.
    @Field(key: "hint") var hint: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(userId: UUID, name: String, tokenHash: String, hint: String, createdAt: Date, expiresAt: Date?) {
        self.$user.id = userId
        self.name = name
        self.tokenHash = tokenHash
        self.hint = hint
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    func isActive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}
