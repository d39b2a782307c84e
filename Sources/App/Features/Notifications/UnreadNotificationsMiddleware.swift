import Foundation
import Fluent
import Vapor

/// Counts the signed-in user's unread notifications for the top bar of pages (one indexed count).
struct UnreadNotificationsMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !req.isAPI, req.method == .GET, let userId = req.currentUser?.id {
            let count = try await UserNotification.query(on: req.db).filter(\.$user.$id == userId)
                .filter(\.$inApp == true).filter(\.$readAt == nil).count()
            UnreadNotifications.set(count, on: req)
        }
        return try await next.respond(to: req)
    }
}

enum UnreadNotifications {
    private struct Key: StorageKey { typealias Value = Int }

    static func of(_ req: Request) -> Int? { req.storage[Key.self] }
    static func set(_ count: Int, on req: Request) { req.storage[Key.self] = count }
}
