import Foundation
import Fluent

/// One row of `notification_preferences`: a choice that differs from (or confirms) the default.
final class NotificationPreference: Model, @unchecked Sendable {
    static let schema = "notification_preferences"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "kind") var kind: String
    @Field(key: "channel") var channel: String
    @Field(key: "enabled") var enabled: Bool

    init() {}

    init(userId: UUID, kind: NotificationKind, channel: NotificationChannel, enabled: Bool) {
        self.id = UUID()
        self.$user.id = userId
        self.kind = kind.rawValue
        self.channel = channel.rawValue
        self.enabled = enabled
    }
}

/// A person's effective choices: stored rows over ``NotificationDefaults``.
struct NotificationChoices: Sendable, Equatable {
    var enabled: [NotificationKind: Set<NotificationChannel>]

    func isEnabled(_ kind: NotificationKind, _ channel: NotificationChannel) -> Bool { enabled[kind]?.contains(channel) ?? false }

    static let defaults = NotificationChoices(enabled: Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { kind in
        (kind, Set(NotificationChannel.allCases.filter { NotificationDefaults.isEnabled(kind, $0) }))
    }))

    static func load(userIds: [UUID], on db: any Database) async throws -> [UUID: NotificationChoices] {
        var result = Dictionary(uniqueKeysWithValues: userIds.map { ($0, NotificationChoices.defaults) })
        guard !userIds.isEmpty else { return result }
        for row in try await NotificationPreference.query(on: db).filter(\.$user.$id ~~ userIds).all() {
            guard let kind = NotificationKind(rawValue: row.kind), let channel = NotificationChannel(rawValue: row.channel) else { continue }
            if row.enabled { result[row.$user.id]?.enabled[kind, default: []].insert(channel) }
            else { result[row.$user.id]?.enabled[kind]?.remove(channel) }
        }
        return result
    }

    /// Replaces the user's stored choices with these (one row per kind and channel).
    static func save(_ choices: NotificationChoices, userId: UUID, on db: any Database) async throws {
        try await NotificationPreference.query(on: db).filter(\.$user.$id == userId).delete()
        var rows: [NotificationPreference] = []
        for kind in NotificationKind.allCases {
            for channel in NotificationChannel.allCases {
                rows.append(NotificationPreference(userId: userId, kind: kind, channel: channel, enabled: choices.isEnabled(kind, channel)))
            }
        }
        try await rows.create(on: db)
    }
}
