import Foundation
import Domain
import Fluent
import Vapor

/// A notification as the API returns it, in the caller's language.
struct NotificationDTO: Content {
    var id: UUID
    var kind: NotificationKind
    var agencyId: UUID?
    var recordKind: String
    var recordId: UUID
    var title: String
    var body: String
    var link: String
    var createdAt: Date
    var readAt: Date?

    init(_ n: UserNotification, lang: Lang) {
        id = n.id!
        kind = n.kind
        agencyId = n.agencyId
        recordKind = n.recordKind
        recordId = n.recordId
        title = n.title(lang)
        body = n.body(lang)
        link = n.link
        createdAt = n.createdAt
        readAt = n.readAt
    }
}

struct NotificationPageDTO: Content {
    var items: [NotificationDTO]
    var total: Int
    var unread: Int
    var page: Int
    var per: Int
}

/// `{"choices":{"assignment":{"in_app":true,"email":true},…},"emailEnabled":true}`
struct NotificationPreferencesDTO: Content {
    var choices: [String: [String: Bool]]
    var emailEnabled: Bool?

    init(_ c: NotificationChoices, emailEnabled: Bool) {
        choices = Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { kind in
            (kind.rawValue, Dictionary(uniqueKeysWithValues: NotificationChannel.allCases.map { ($0.rawValue, c.isEnabled(kind, $0)) }))
        })
        self.emailEnabled = emailEnabled
    }
}

/// `/api/v1/notifications`: the caller's own notifications and choices.
enum NotificationsAPIController {
    static func list(req: Request) async throws -> NotificationPageDTO {
        let userId = try req.requireUser().requireID()
        let params = try PageParams(req: req)
        let unreadOnly = try parseFlag(req.query[String.self, at: "unread"], field: "unread")
        var query = UserNotification.query(on: req.db).filter(\.$user.$id == userId).filter(\.$inApp == true)
        if unreadOnly { query = query.filter(\.$readAt == nil) }
        let unread = try await UserNotification.query(on: req.db).filter(\.$user.$id == userId).filter(\.$inApp == true).filter(\.$readAt == nil).count()
        let (items, total) = try await params.apply(query.sort(\.$createdAt, .descending))
        return NotificationPageDTO(items: items.map { NotificationDTO($0, lang: req.lang) }, total: total, unread: unread, page: params.page, per: params.per)
    }

    static func markRead(req: Request) async throws -> NotificationDTO {
        let userId = try req.requireUser().requireID()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
        let row = try await req.write { db -> UserNotification? in
            guard let row = try await UserNotification.query(on: db).filter(\.$id == id).filter(\.$user.$id == userId).first() else { return nil }
            if row.readAt == nil {
                row.readAt = Date()
                try await row.save(on: db)
            }
            return row
        }
        guard let row else { throw AppError.notFound }
        return NotificationDTO(row, lang: req.lang)
    }

    static func markAllRead(req: Request) async throws -> [String: Int] {
        let userId = try req.requireUser().requireID()
        let count = try await req.write { db in try await NotificationReads.markAll(userId: userId, on: db) }
        return ["marked": count]
    }

    static func preferences(req: Request) async throws -> NotificationPreferencesDTO {
        let userId = try req.requireUser().requireID()
        let choices = try await NotificationChoices.load(userIds: [userId], on: req.db)[userId] ?? .defaults
        return NotificationPreferencesDTO(choices, emailEnabled: req.application.config.smtp != nil)
    }

    /// Kinds or channels left out keep their current value.
    static func updatePreferences(req: Request) async throws -> NotificationPreferencesDTO {
        let userId = try req.requireUser().requireID()
        let body = try req.content.decode(NotificationPreferencesDTO.self)
        var fields: [String: String] = [:]
        for (kindName, channels) in body.choices {
            if NotificationKind(rawValue: kindName) == nil { fields["choices.\(kindName)"] = "validation.unknownValue" }
            for channelName in channels.keys where NotificationChannel(rawValue: channelName) == nil {
                fields["choices.\(kindName).\(channelName)"] = "validation.unknownValue"
            }
        }
        guard fields.isEmpty else { throw AppError.validation(FieldErrors(fields)) }
        let saved = try await req.write { db -> NotificationChoices in
            var choices = try await NotificationChoices.load(userIds: [userId], on: db)[userId] ?? .defaults
            for (kindName, channels) in body.choices {
                let kind = NotificationKind(rawValue: kindName)!
                for (channelName, on) in channels {
                    let channel = NotificationChannel(rawValue: channelName)!
                    if on { choices.enabled[kind, default: []].insert(channel) } else { choices.enabled[kind]?.remove(channel) }
                }
            }
            try await NotificationChoices.save(choices, userId: userId, on: db)
            return choices
        }
        return NotificationPreferencesDTO(saved, emailEnabled: req.application.config.smtp != nil)
    }

    static func parseFlag(_ raw: String?, field: String) throws -> Bool {
        guard let raw else { return false }
        switch raw.lowercased() {
        case "1", "true": return true
        case "0", "false": return false
        default: throw AppError(status: .badRequest, code: "malformed", messageKey: "error.malformed", fields: [field: "validation.unknownValue"])
        }
    }
}
