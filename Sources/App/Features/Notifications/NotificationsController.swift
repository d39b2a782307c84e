import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// The signed-in person's notifications: list, mark one or all as read.
enum NotificationsController {
    static func index(req: Request) async throws -> Page {
        let userId = try req.requireUser().requireID()
        let list = ListQuery(req: req, filterKeys: ["unread"], sortKeys: [], defaultPer: 50)
        var query = UserNotification.query(on: req.db).filter(\.$user.$id == userId).filter(\.$inApp == true)
        if list.filters["unread"] == "1" { query = query.filter(\.$readAt == nil) }
        let total = try await query.copy().count()
        let items = try await query.sort(\.$createdAt, .descending).range(list.offset..<(list.offset + list.per)).all()
        return NotificationsView(req: req, items: items, total: total, list: list).render()
    }

    /// Marks one as read, then follows its link (or returns to the list with `?back=list`).
    static func markRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
        let userId = try user.requireID()
        let link = try await req.write { db -> String? in
            guard let row = try await UserNotification.query(on: db).filter(\.$id == id).filter(\.$user.$id == userId).first() else { return nil }
            if row.readAt == nil {
                row.readAt = Date()
                try await row.save(on: db)
            }
            return row.link
        }
        guard let link else { throw AppError.notFound }
        struct Form: Content { var back: String? }
        let back = (try? req.content.decode(Form.self))?.back
        // Stored links are site paths built from SiteURL; anything else goes back to the list.
        let target = back == "list" || !link.hasPrefix("/") || link.hasPrefix("//") ? SiteURL.notifications(.index).path : link
        return req.redirect(to: target)
    }

    static func markAllRead(req: Request) async throws -> Response {
        let userId = try req.requireUser().requireID()
        try await req.write { db in try await NotificationReads.markAll(userId: userId, on: db) }
        return req.redirect(to: SiteURL.notifications(.index).path(query: ["done": "notificationsAllRead"]))
    }
}

enum NotificationReads {
    @discardableResult
    static func markAll(userId: UUID, now: Date = Date(), on db: any Database) async throws -> Int {
        let unread = try await UserNotification.query(on: db).filter(\.$user.$id == userId).filter(\.$readAt == nil).count()
        try await UserNotification.query(on: db).filter(\.$user.$id == userId).filter(\.$readAt == nil).set(\.$readAt, to: now).update()
        return unread
    }
}

struct NotificationsView {
    let req: Request
    let items: [UserNotification]
    let total: Int
    let list: ListQuery

    func render() -> Page {
        let t = req.t
        let lang = req.lang
        let unreadOnly = list.filters["unread"] == "1"
        let rows: [Body] = items.map { item in
            .el("li", ["class": item.readAt == nil ? "notification unread" : "notification", "id": "notification-\(item.id!.uuidString.lowercased())"], [
                .el("p", ["class": "meta"], [
                    .el("span", ["class": "badge"], [.txt(t("notificationKind.\(item.kind.rawValue)"))]),
                    .txt(" " + DisplayTime.dateTime(item.createdAt)),
                ]),
                .el("p", ["class": "title"], [.el("strong", [:], [.txt(item.title(lang))])]),
                .el("p", [:], [.txt(item.body(lang))]),
                Forms.post(req, action: SiteURL.notifications(.read(.value(item.id!))).path, cls: "inline", [
                    .el("button", ["type": "submit", "class": "link"], [.txt(t("notifications.open"))]),
                ]),
                item.readAt == nil ? Forms.post(req, action: SiteURL.notifications(.read(.value(item.id!))).path, cls: "inline", [
                    .void("input", ["type": "hidden", "name": "back", "value": "list"]),
                    .el("button", ["type": "submit", "class": "link mark-read"], [.txt(t("notifications.markRead"))]),
                ]) : .empty,
            ])
        }
        return Layout(req: req).page(title: t("notifications.title"), section: .account, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("notifications.title"))]),
            .el("div", ["class": "buttons"], [
                .link(SiteURL.notifications(.index).path(query: unreadOnly ? [:] : ["unread": "1"]),
                      unreadOnly ? t("notifications.showAll") : t("notifications.showUnread"), id: "filter-unread", cls: "button"),
                Forms.postButton(req, action: SiteURL.notifications(.readAll).path, label: t("notifications.markAllRead"), id: "mark-all-read"),
                .link(SiteURL.notifications(.preferences).path, t("notifications.preferences"), id: "notification-preferences", cls: "button"),
                req.subject.map { Policy.can($0, .manageWebhooks) } == true
                    ? .link(SiteURL.notifications(.webhooks).path, t("webhooks.title"), id: "webhooks-link", cls: "button") : .empty,
            ]),
            items.isEmpty ? .el("p", ["class": "empty", "id": "no-notifications"], [.txt(t("notifications.none"))])
                : .el("ul", ["class": "notifications", "id": "notifications"], rows),
            Tables.pagination(base: .notifications(.index), query: list, total: total, t: t),
        ])
    }
}
