import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Password and second-factor checks with throttling. Unknown accounts and wrong passwords get the
/// same answer after the same bcrypt work. Each attempt is counted before the secret is checked, in
/// a transaction that locks the counters, so parallel guesses cannot slip past the limits.
enum SignInService {
    enum Outcome { case accepted(User), rejected, throttled }

    static let policy = SignInThrottlePolicy()

    private typealias Key = (name: String, kind: SignInThrottlePolicy.KeyKind)

    static func checkPassword(email: String, password: String, req: Request) async throws -> Outcome {
        let now = Date()
        let keys: [Key] = [("account:" + Secrets.sha256Hex(email), .account), addressKey(req)]
        guard try await reserveAttempt(keys, now: now, req: req) else {
            try await req.audit(AuditEntry("auth.sign_in_throttled", details: ["email": email]))
            return .throttled
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let hash = user?.passwordHash ?? Passwords.decoyHash(app: req.application)
        let matches = try await Passwords.verify(String(password.prefix(PasswordPolicy.maximumLength)), against: hash, app: req.application)
        guard let user, matches, user.status == .active else {
            let reason = user == nil ? "unknown_account" : (matches ? "account_locked" : "wrong_password")
            try await req.audit(AuditEntry("auth.sign_in_failed", recordType: user == nil ? nil : "user",
                                           recordId: user?.id?.uuidString, agencyId: user?.$agency.id,
                                           details: ["email": email, "reason": reason]))
            return .rejected
        }
        try await refund(keys, req: req)
        return .accepted(user)
    }

    /// A TOTP code (each accepted once) or an unused recovery code. Counted under its own key per user,
    /// which a correct password does not reset.
    static func checkSecondFactor(user: User, code: String, req: Request) async throws -> Outcome {
        let now = Date()
        let userId = try user.requireID()
        let keys: [Key] = [("second-factor:" + userId.uuidString, .account), addressKey(req)]
        guard try await reserveAttempt(keys, now: now, req: req) else { return .throttled }
        if let sealed = user.totpSecretSealed, user.totpEnabled,
           let secret = try? SecretBox.open(sealed, appKey: req.application.secretKey),
           let counter = TOTP(secret: secret).matchingCounter(for: code, at: now),
           try await claimTOTPCounter(Int64(counter), userId: userId, req: req) {
            user.totpLastCounter = Int64(counter)
            try await refund(keys, req: req)
            return .accepted(user)
        }
        let normalised = RecoveryCodes.normalise(code)
        if normalised.count == 14, try await claimRecoveryCode(Secrets.sha256Hex(normalised), userId: userId, now: now, req: req) {
            try await req.audit(AuditEntry("auth.recovery_code_used", recordType: "user", recordId: userId.uuidString, agencyId: user.$agency.id))
            try await refund(keys, req: req)
            return .accepted(user)
        }
        try await req.audit(AuditEntry("auth.second_factor_failed", recordType: "user", recordId: userId.uuidString, agencyId: user.$agency.id))
        return .rejected
    }

    /// The password again, for sensitive changes by a signed-in user (password change, turning off
    /// two-factor), throttled so that a stolen session cannot guess it.
    static func reauthenticate(_ user: User, password: String, req: Request) async throws -> Outcome {
        let userId = try user.requireID()
        let keys: [Key] = [("reauth:" + userId.uuidString, .account), addressKey(req)]
        guard try await reserveAttempt(keys, now: Date(), req: req) else { return .throttled }
        guard try await Passwords.verify(String(password.prefix(PasswordPolicy.maximumLength)), against: user.passwordHash, app: req.application) else {
            try await req.audit(AuditEntry("auth.reauthentication_failed", recordType: "user", recordId: userId.uuidString, agencyId: user.$agency.id))
            return .rejected
        }
        try await refund(keys, req: req)
        return .accepted(user)
    }

    private static func addressKey(_ req: Request) -> Key {
        ("address:" + (req.clientAddress ?? "unknown"), .address)
    }

    /// Counts one attempt against every key, or returns false (counting nothing) when one is locked.
    private static func reserveAttempt(_ keys: [Key], now: Date, req: Request) async throws -> Bool {
        try await req.write { db in
            let sql = db as! any SQLDatabase
            for key in keys {
                try await sql.insert(into: SignInThrottle.schema)
                    .columns("id", "key", "failures", "window_started_at")
                    .values(SQLBind(UUID()), SQLBind(key.name), SQLBind(0), SQLBind(now))
                    .ignoringConflicts(with: "key")
                    .run()
            }
            // Row locks on PostgreSQL; SQLite is already serialised by the write gate.
            _ = try await sql.select().column("id").from(SignInThrottle.schema)
                .where("key", .in, SQLBind.group(keys.map(\.name))).for(.update).all()
            let rows = try await SignInThrottle.query(on: db).filter(\.$key ~~ keys.map(\.name)).all()
            if rows.contains(where: { policy.isLocked(state($0), at: now) }) { return false }
            for row in rows {
                let kind = keys.first { $0.name == row.key }?.kind ?? .account
                let next = policy.failing(state(row), kind: kind, at: now)
                row.failures = next.failures
                row.windowStartedAt = next.windowStartedAt
                row.lockedUntil = next.lockedUntil
                try await row.save(on: db)
            }
            return true
        }
    }

    /// After a success: the per-account counter starts again; the address keeps its other failures.
    private static func refund(_ keys: [Key], req: Request) async throws {
        try await req.write { db in
            for key in keys {
                if key.kind == .account {
                    try await SignInThrottle.query(on: db).filter(\.$key == key.name).delete()
                } else if let row = try await SignInThrottle.query(on: db).filter(\.$key == key.name).first(), row.failures > 0 {
                    row.failures -= 1
                    try await row.save(on: db)
                }
            }
        }
    }

    /// Records the TOTP step as used only if it is newer than the last one: a code works once,
    /// even when two requests carry it at the same moment.
    private static func claimTOTPCounter(_ counter: Int64, userId: UUID, req: Request) async throws -> Bool {
        try await req.write { db in
            try await (db as! any SQLDatabase).update(User.schema)
                .set("totp_last_counter", to: SQLBind(counter))
                .where("id", .equal, SQLBind(userId))
                .where { $0.where("totp_last_counter", .is, SQLLiteral.null).orWhere("totp_last_counter", .lessThan, SQLBind(counter)) }
                .returning("id")
                .all().count == 1
        }
    }

    private static func claimRecoveryCode(_ hash: String, userId: UUID, now: Date, req: Request) async throws -> Bool {
        try await req.write { db in
            try await (db as! any SQLDatabase).update(RecoveryCode.schema)
                .set("used_at", to: SQLBind(now))
                .where("user_id", .equal, SQLBind(userId))
                .where("code_hash", .equal, SQLBind(hash))
                .where("used_at", .is, SQLLiteral.null)
                .returning("id")
                .all().count == 1
        }
    }

    private static func state(_ row: SignInThrottle) -> SignInThrottlePolicy.State {
        .init(failures: row.failures, windowStartedAt: row.windowStartedAt, lockedUntil: row.lockedUntil)
    }
}
