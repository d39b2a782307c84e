import Foundation
import Domain
import Vapor

struct UserDTO: Content {
    let id: UUID
    let email: String
    let name: String
    let phone: String?
    let role: Role
    let agencyId: UUID?
    let status: User.Status
    let locale: String
    let twoFactorEnabled: Bool
    let mustChangePassword: Bool
    let lastSignInAt: Date?
    let createdAt: Date?
    let updatedAt: Date?

    init(_ user: User) {
        id = user.id!
        email = user.email
        name = user.name
        phone = user.phone
        role = user.role
        agencyId = user.$agency.id
        status = user.status
        locale = user.locale
        twoFactorEnabled = user.totpEnabled
        mustChangePassword = user.mustChangePassword
        lastSignInAt = user.lastSignInAt
        createdAt = user.createdAt
        updatedAt = user.updatedAt
    }
}

/// A created user or a reset password: the temporary password appears in this response only.
struct UserWithPasswordDTO: Content {
    let user: UserDTO
    let temporaryPassword: String
}
