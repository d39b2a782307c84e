import Fluent
import Foundation

/// Failed sign-in counters per client address (and per unknown account name), kept in the
/// database so that every instance sees the same counts.
final class SignInThrottle: Model, @unchecked Sendable {
    static let schema = "sign_in_throttles"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "failures") var failures: Int
    @Field(key: "window_started_at") var windowStartedAt: Date
    @OptionalField(key: "locked_until") var lockedUntil: Date?

    init() {}

    init(key: String, now: Date) {
        self.key = key
        self.failures = 0
        self.windowStartedAt = now
    }
}
