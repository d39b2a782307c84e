import Foundation

/// How many failed sign-ins are tolerated before a temporary lockout, per account name and per
/// client address. Unknown account names are counted like real ones so lockouts reveal nothing.
public struct SignInThrottlePolicy: Sendable {
    public var window: TimeInterval
    public var accountLimit: Int
    public var addressLimit: Int
    public var lockout: TimeInterval

    public init(window: TimeInterval = 15 * 60, accountLimit: Int = 5, addressLimit: Int = 20, lockout: TimeInterval = 15 * 60) {
        self.window = window
        self.accountLimit = accountLimit
        self.addressLimit = addressLimit
        self.lockout = lockout
    }

    public enum KeyKind: Sendable { case account, address }

    public struct State: Sendable, Equatable {
        public var failures: Int
        public var windowStartedAt: Date
        public var lockedUntil: Date?

        public init(failures: Int, windowStartedAt: Date, lockedUntil: Date?) {
            self.failures = failures
            self.windowStartedAt = windowStartedAt
            self.lockedUntil = lockedUntil
        }
    }

    public func isLocked(_ state: State?, at now: Date) -> Bool {
        guard let until = state?.lockedUntil else { return false }
        return until > now
    }

    /// The state after one more failure.
    public func failing(_ state: State?, kind: KeyKind, at now: Date) -> State {
        var next = state ?? State(failures: 0, windowStartedAt: now, lockedUntil: nil)
        if now.timeIntervalSince(next.windowStartedAt) > window {
            next = State(failures: 0, windowStartedAt: now, lockedUntil: nil)
        }
        next.failures += 1
        let limit = kind == .account ? accountLimit : addressLimit
        if next.failures >= limit {
            next.lockedUntil = now.addingTimeInterval(lockout)
            next.failures = 0
            next.windowStartedAt = now
        }
        return next
    }
}
