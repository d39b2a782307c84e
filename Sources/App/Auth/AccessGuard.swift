import Foundation
import Domain
import Vapor

/// Enforces a route's ``Access``: anonymous callers go to the sign-in page (pages) or get 401 (API);
/// users who must change their password or enrol two-factor are sent there first; a missing
/// permission is audited and refused with 403.
struct AccessGuard: AsyncMiddleware {
    let access: Access

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if access == .open { return try await next.respond(to: req) }
        guard let user = req.currentUser, let subject = req.subject else {
            if req.isAPI { throw AppError.unauthenticated }
            let target = req.method == .GET ? req.url.string : SiteURL.home.path
            return req.redirect(to: SiteURL.signIn.path(query: ["next": target]))
        }
        if access != .signedInSetup {
            if user.mustChangePassword {
                if req.isAPI { throw AppError(status: .forbidden, code: "password_change_required", messageKey: "error.passwordChangeRequired") }
                return req.redirect(to: SiteURL.accountPassword.path)
            }
            if try await TwoFactorRequirement.mustEnrol(user, req: req) {
                if req.isAPI { throw AppError(status: .forbidden, code: "two_factor_required", messageKey: "error.twoFactorRequired") }
                return req.redirect(to: SiteURL.accountTwoFactor.path)
            }
        }
        if case .action(let action) = access, !Policy.can(subject, action) {
            try await req.audit(AuditEntry("access.denied", details: ["action": action.rawValue, "path": req.url.path, "method": req.method.rawValue]))
            throw AppError.forbidden
        }
        return try await next.respond(to: req)
    }
}

extension Request {
    /// Record-level check. A record the caller may not even see answers 404 (its existence is not
    /// revealed); one they may see but not change answers 403. Both are audited.
    func authorize(_ action: Action, _ resource: Resource, readAction: Action, recordType: String, recordId: UUID) async throws {
        let subject = try requireSubject()
        if Policy.can(subject, action, resource) { return }
        try await audit(AuditEntry("access.denied", recordType: recordType, recordId: recordId.uuidString,
                                   details: ["action": action.rawValue, "path": url.path, "method": method.rawValue]))
        throw Policy.can(subject, readAction, resource) ? AppError.forbidden : AppError.notFound
    }
}
