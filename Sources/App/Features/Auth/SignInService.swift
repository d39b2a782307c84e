import Domain
import Fluent
import Vapor

/// Password and second-factor checks with throttling. Unknown accounts and wrong passwords get the
/// same answer after the same bcrypt work.
enum SignInService {
    enum Outcome { case accepted(User), rejected, throttled }

    static let policy = SignInThrottlePolicy()

    static func checkPassword(email: String, password: String, req: Request) async throws -> Outcome {
        let now = Date()
        let keys = throttleKeys(email: email, req: req)
        if try await isThrottled(keys, now: now, db: req.db) {
            try await req.audit(AuditEntry("auth.sign_in_throttled", details: ["email": email]))
            return .throttled
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let hash = user?.passwordHash ?? Passwords.decoyHash(app: req.application)
        let matches = try await Passwords.verify(String(password.prefix(PasswordPolicy.maximumLength)), against: hash, app: req.application)
        guard let user, matches, user.status == .active else {
            let reason = user == nil ? "unknown_account" : (matches ? "account_locked" : "wrong_password")
            try await recordFailure(keys, now: now, req: req,
                                    entry: AuditEntry("auth.sign_in_failed", recordType: user == nil ? nil : "user",
                                                      recordId: user?.id?.uuidString, agencyId: user?.$agency.id,
                                                      details: ["email": email, "reason": reason]))
            return .rejected
        }
        try await clear(keys.account, req: req)
        return .accepted(user)
    }

    static func checkSecondFactor(user: User, code: String, req: Request) async throws -> Outcome {
        let now = Date()
        let keys = throttleKeys(email: user.email, req: req)
        if try await isThrottled(keys, now: now, db: req.db) { return .throttled }
        let userId = try user.requireID()
        if let sealed = user.totpSecretSealed, user.totpEnabled,
           let secret = try? SecretBox.open(sealed, appKey: req.application.secretKey),
           let counter = TOTP(secret: secret).matchingCounter(for: code, at: now),
           Int64(counter) > (user.totpLastCounter ?? -1) {
            try await req.write { db in
                try await User.query(on: db).filter(\.$id == userId).set(\.$totpLastCounter, to: Int64(counter)).update()
            }
            user.totpLastCounter = Int64(counter)
            try await clear(keys.account, req: req)
            return .accepted(user)
        }
        let normalised = RecoveryCodes.normalise(code)
        if normalised.count == 14 {
            let hash = Secrets.sha256Hex(normalised)
            let used = try await req.write { db -> Bool in
                guard let match = try await RecoveryCode.query(on: db)
                    .filter(\.$user.$id == userId).filter(\.$codeHash == hash).filter(\.$usedAt == nil).first() else { return false }
                match.usedAt = now
                try await match.save(on: db)
                return true
            }
            if used {
                try await req.audit(AuditEntry("auth.recovery_code_used", recordType: "user", recordId: userId.uuidString, agencyId: user.$agency.id))
                try await clear(keys.account, req: req)
                return .accepted(user)
            }
        }
        try await recordFailure(keys, now: now, req: req,
                                entry: AuditEntry("auth.second_factor_failed", recordType: "user", recordId: userId.uuidString,
                                                  agencyId: user.$agency.id))
        return .rejected
    }

    private struct Keys { let account: String; let address: String }

    private static func throttleKeys(email: String, req: Request) -> Keys {
        Keys(account: "account:" + Secrets.sha256Hex(email), address: "address:" + (req.clientAddress ?? "unknown"))
    }

    private static func isThrottled(_ keys: Keys, now: Date, db: any Database) async throws -> Bool {
        let rows = try await SignInThrottle.query(on: db).filter(\.$key ~~ [keys.account, keys.address]).all()
        return rows.contains { policy.isLocked(state($0), at: now) }
    }

    private static func recordFailure(_ keys: Keys, now: Date, req: Request, entry: AuditEntry) async throws {
        let actor = req.auditActor
        try await req.write { db in
            for (key, kind) in [(keys.account, SignInThrottlePolicy.KeyKind.account), (keys.address, .address)] {
                let row = try await SignInThrottle.query(on: db).filter(\.$key == key).first() ?? SignInThrottle(key: key, now: now)
                let next = policy.failing(row.id == nil ? nil : state(row), kind: kind, at: now)
                row.failures = next.failures
                row.windowStartedAt = next.windowStartedAt
                row.lockedUntil = next.lockedUntil
                try await row.save(on: db)
            }
            try await AuditLog.append(entry, by: actor, on: db)
        }
    }

    private static func clear(_ key: String, req: Request) async throws {
        try await req.write { db in try await SignInThrottle.query(on: db).filter(\.$key == key).delete() }
    }

    private static func state(_ row: SignInThrottle) -> SignInThrottlePolicy.State {
        .init(failures: row.failures, windowStartedAt: row.windowStartedAt, lockedUntil: row.lockedUntil)
    }
}
