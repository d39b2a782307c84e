import Fluent
import Foundation

/// A browser session. The cookie holds a random token; only its SHA-256 is stored.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    enum Stage: String, Codable, Sendable {
        /// Password checked, waiting for the two-factor code.
        case awaitingSecondFactor = "awaiting_second_factor"
        case signedIn = "signed_in"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "stage") var stage: Stage
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "client_address") var clientAddress: String?
    @OptionalField(key: "user_agent") var userAgent: String?

    init() {}

    init(userId: UUID, tokenHash: String, stage: Stage, now: Date, expiresAt: Date, clientAddress: String?, userAgent: String?) {
        self.$user.id = userId
        self.tokenHash = tokenHash
        self.stage = stage
        self.createdAt = now
        self.lastSeenAt = now
        self.expiresAt = expiresAt
        self.clientAddress = clientAddress
        self.userAgent = userAgent.map { String($0.prefix(255)) }
    }
}
