import Fluent
import Foundation

final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(userId: UUID, codeHash: String) {
        self.$user.id = userId
        self.codeHash = codeHash
    }
}
