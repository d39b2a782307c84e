import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/users`.
enum UsersAPIController {
    static func list(req: Request) async throws -> Paged<UserDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = User.scoped(to: subject, on: req.db).sort(\.$name)
        if let q = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty { query.matching(q) }
        if let role = req.query[String.self, at: "role"] {
            guard let parsed = Role(rawValue: role) else { throw AppError.validation(FieldErrors(["role": "validation.unknownValue"])) }
            query.filter(\.$role == parsed)
        }
        if let agency = req.query[String.self, at: "agencyId"] {
            guard let id = UUID(uuidString: agency) else { throw AppError.validation(FieldErrors(["agencyId": "validation.invalidId"])) }
            query.filter(\.$agency.$id == id)
        }
        let (items, total) = try await params.apply(query)
        return Paged(items: items.map(UserDTO.init), total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> UserDTO {
        UserDTO(try await UserService.find(req))
    }

    static func create(req: Request) async throws -> Response {
        let (user, password) = try await UserService.create(try req.content.decode(UserInput.self), req: req)
        let response = Response(status: .created)
        try response.content.encode(UserWithPasswordDTO(user: UserDTO(user), temporaryPassword: password))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.user(.value(user.id!))).path)
        return response
    }

    /// Fields left out keep their values; `status` locks or unlocks the account.
    static func update(req: Request) async throws -> UserDTO {
        struct Patch: Content {
            var name: String?
            var email: String?
            var phone: String?
            var role: String?
            var agencyId: String?
            var status: String?
        }
        let user = try await UserService.find(req)
        let patch = try req.content.decode(Patch.self)
        var input = UserInput(name: user.name, email: user.email, phone: user.phone, role: user.role.rawValue,
                              agencyId: user.$agency.id?.uuidString)
        if let value = patch.name { input.name = value }
        if let value = patch.email { input.email = value }
        if let value = patch.phone { input.phone = value }
        if let value = patch.role { input.role = value }
        if let value = patch.agencyId { input.agencyId = value }
        var status: User.Status?
        if let raw = patch.status {
            guard let parsed = User.Status(rawValue: raw) else { throw AppError.validation(FieldErrors(["status": "validation.unknownValue"])) }
            status = parsed
        }
        return UserDTO(try await UserService.update(user, with: input, status: status, req: req))
    }

    /// Users are never deleted (the audit trail refers to them); they are locked.
    static func delete(req: Request) async throws -> HTTPStatus {
        let user = try await UserService.find(req)
        try await UserService.setStatus(user, to: .locked, req: req)
        return .noContent
    }
}
