import Foundation
import Plot
import Vapor

/// The bell in the top bar: a link to the notifications page with the unread count.
enum NotificationBadge {
    static func node(_ req: Request) -> Body {
        let count = UnreadNotifications.of(req) ?? 0
        let t = req.t
        return .el("a", ["href": SiteURL.notifications(.index).path, "class": count > 0 ? "notifications-link unread" : "notifications-link",
                         "id": "notifications-link", "aria-label": t("notifications.unreadCount", String(count))], [
            .txt(t("notifications.title")),
            count > 0 ? .el("span", ["class": "badge", "id": "unread-count"], [.txt(count > 99 ? "99+" : String(count))]) : .empty,
        ])
    }
}
