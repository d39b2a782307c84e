import Foundation
import Domain
import Fluent
import Vapor

/// Personal API tokens: created for oneself, shown once, stored hashed, revocable.
enum TokenService {
    static let maximumDays = 365

    struct Input: Content {
        var name: String?
        var days: Int?
    }

    /// Returns the token row and the secret, which is never shown again.
    /// `notAfter`: a token created with another token never outlives it, so a stolen token cannot
    /// extend itself past its own expiry.
    static func create(for user: User, input: Input, actor: AuditActor, app: Application,
                       notAfter: Date? = nil) async throws -> (APIToken, String) {
        var check = InputChecker()
        let name = check.requiredText("name", input.name, max: 100)
        let days = input.days ?? 90
        if !(1...maximumDays).contains(days) { check.fail("days", "validation.outOfRange") }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        let secret = APIToken.prefix + Secrets.randomToken()
        let now = Date()
        let userId = try user.requireID()
        let token = APIToken(userId: userId, name: name, tokenHash: Secrets.sha256Hex(secret), hint: String(secret.prefix(10)),
                             createdAt: now, expiresAt: min(now.addingTimeInterval(TimeInterval(days) * 86_400), notAfter ?? .distantFuture))
        try await app.write { db in
            try await token.create(on: db)
            try await AuditLog.append(AuditEntry("token.create", recordType: "api_token", recordId: token.id?.uuidString,
                                                 agencyId: user.$agency.id, after: ["name": name, "expiresAt": AuditRecord.timestamp(token.expiresAt!)]),
                                      by: actor, on: db)
        }
        return (token, secret)
    }

    static func revoke(_ token: APIToken, req: Request) async throws {
        guard token.revokedAt == nil else { return }
        let actor = req.auditActor
        let agencyId = req.currentUser?.$agency.id
        try await req.write { db in
            token.revokedAt = Date()
            try await token.save(on: db)
            try await AuditLog.append(AuditEntry("token.revoke", recordType: "api_token", recordId: token.id?.uuidString,
                                                 agencyId: agencyId, before: ["name": token.name]), by: actor, on: db)
        }
    }

    /// One of the caller's own tokens, or 404.
    static func findOwn(_ req: Request) async throws -> APIToken {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self),
              let token = try await APIToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == subject.userId).first()
        else { throw AppError.notFound }
        return token
    }
}

struct TokenDTO: Content {
    let id: UUID
    let name: String
    let hint: String
    let createdAt: Date
    let expiresAt: Date?
    let lastUsedAt: Date?
    let revokedAt: Date?
    let active: Bool

    init(_ token: APIToken) {
        id = token.id!
        name = token.name
        hint = token.hint
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        lastUsedAt = token.lastUsedAt
        revokedAt = token.revokedAt
        active = token.isActive(at: Date())
    }
}

struct CreatedTokenDTO: Content {
    let token: TokenDTO
    /// Shown in this response only.
    let secret: String
}

/// `/api/v1/tokens` (own tokens) and `/api/v1/me`.
enum TokensAPIController {
    static func list(req: Request) async throws -> Paged<TokenDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let (items, total) = try await params.apply(APIToken.query(on: req.db).filter(\.$user.$id == subject.userId).sort(\.$createdAt, .descending))
        return Paged(items: items.map(TokenDTO.init), total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> TokenDTO { TokenDTO(try await TokenService.findOwn(req)) }

    static func create(req: Request) async throws -> Response {
        let (token, secret) = try await TokenService.create(for: try req.requireUser(), input: try req.content.decode(TokenService.Input.self),
                                                            actor: req.auditActor, app: req.application,
                                                            notAfter: req.apiToken?.expiresAt)
        let response = Response(status: .created)
        try response.content.encode(CreatedTokenDTO(token: TokenDTO(token), secret: secret))
        return response
    }

    static func delete(req: Request) async throws -> HTTPStatus {
        try await TokenService.revoke(try await TokenService.findOwn(req), req: req)
        return .noContent
    }

    static func me(req: Request) async throws -> MeDTO {
        let user = try req.requireUser()
        let subject = try req.requireSubject()
        let agency = try await user.$agency.id.asyncFlatMap { try await Agency.find($0, on: req.db) }
        return MeDTO(user: UserDTO(user), agency: agency.map(AgencyDTO.init),
                     permissions: Action.allCases.filter { Policy.can(subject, $0) }.map(\.rawValue))
    }
}

struct MeDTO: Content {
    let user: UserDTO
    let agency: AgencyDTO?
    /// The actions the caller's role allows, before record-level checks.
    let permissions: [String]
}
