import Foundation
import Domain
import Fluent
import Vapor

/// User administration shared by pages and API. New users and reset passwords get a random
/// temporary password, shown once, which must be changed at the next sign-in.
enum UserService {
    static func create(_ input: UserInput, req: Request) async throws -> (User, temporaryPassword: String) {
        let subject = try req.requireSubject()
        let valid = try await input.validate(existing: nil, subject: subject, on: req.db)
        let temporary = temporaryPassword()
        let hash = try await Passwords.hash(temporary, app: req.application)
        let actor = req.auditActor
        let user = try await req.write { db in
            let user = User(email: valid.email, name: valid.name, phone: valid.phone, role: valid.role, agencyId: valid.agencyId,
                            passwordHash: hash, mustChangePassword: true)
            try await user.create(on: db)
            try await AuditLog.append(AuditEntry("user.create", recordType: "user", recordId: user.id?.uuidString,
                                                 agencyId: user.$agency.id, after: user.auditSnapshot), by: actor, on: db)
            return user
        }
        return (user, temporary)
    }

    /// Changes the fields and, when given, the status, in one transaction.
    static func update(_ user: User, with input: UserInput, status: User.Status? = nil, req: Request) async throws -> User {
        let subject = try req.requireSubject()
        let valid = try await input.validate(existing: user, subject: subject, on: req.db)
        let userId = try user.requireID()
        if userId == subject.userId && status == .locked {
            throw AppError.conflict("cannot_lock_self", messageKey: "users.cannotLockSelf")
        }
        let before = user.auditSnapshot
        let locking = status == .locked && user.status != .locked
        user.name = valid.name
        user.email = valid.email
        user.phone = valid.phone
        user.role = valid.role
        user.$agency.id = valid.agencyId
        if let status { user.status = status }
        let actor = req.auditActor
        try await req.write { db in
            try await user.save(on: db)
            if locking { try await SessionManager.endAll(for: userId, on: db) }
            let action = before["status"] == user.auditSnapshot["status"] ? "user.update" : (user.status == .locked ? "user.lock" : "user.unlock")
            try await AuditLog.append(AuditEntry(action, recordType: "user", recordId: userId.uuidString,
                                                 agencyId: user.$agency.id, before: before, after: user.auditSnapshot), by: actor, on: db)
        }
        return user
    }

    static func resetPassword(_ user: User, req: Request) async throws -> String {
        let temporary = temporaryPassword()
        let hash = try await Passwords.hash(temporary, app: req.application)
        let actor = req.auditActor
        let userId = try user.requireID()
        try await req.write { db in
            user.passwordHash = hash
            user.mustChangePassword = true
            try await user.save(on: db)
            try await SessionManager.endAll(for: userId, on: db)
            try await APIToken.query(on: db).filter(\.$user.$id == userId).filter(\.$revokedAt == nil).set(\.$revokedAt, to: Date()).update()
            try await AuditLog.append(AuditEntry("user.password_reset", recordType: "user", recordId: userId.uuidString,
                                                 agencyId: user.$agency.id), by: actor, on: db)
        }
        return temporary
    }

    static func setStatus(_ user: User, to status: User.Status, req: Request) async throws {
        let unchanged = UserInput(name: user.name, email: user.email, phone: user.phone, role: user.role.rawValue,
                                  agencyId: user.$agency.id?.uuidString)
        _ = try await update(user, with: unchanged, status: status, req: req)
    }

    static func find(_ req: Request) async throws -> User {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self),
              let user = try await User.scoped(to: subject, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return user
    }

    /// 16 characters from a set without look-alikes, grouped for reading aloud.
    static func temporaryPassword() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<16).map { _ in alphabet.randomElement(using: &generator)! }
        return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }
}
