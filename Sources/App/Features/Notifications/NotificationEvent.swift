import Foundation
import Domain

/// Text of a notification: a catalogue key with `{0}`… arguments (preferred; both languages come from the
/// catalogue), or ready-made text in both languages.
enum NotificationText: Sendable, Equatable {
    case key(String, [String] = [])
    case text(LocalizedText)

    func resolved() -> LocalizedText {
        switch self {
        case .text(let text): return text
        case .key(let key, let args):
            func render(_ lang: Lang) -> String {
                var text = Catalog.shared.text(key, lang)
                for (index, arg) in args.enumerated() { text = text.replacingOccurrences(of: "{\(index)}", with: arg) }
                return text
            }
            return LocalizedText(vi: render(.vi), en: render(.en))
        }
    }
}

/// Groups of people an event is meant for, besides explicitly named recipients. Whoever a group names,
/// a person is only notified when ``Policy`` lets them read the record (see ``NotificationRecipients``).
enum NotificationAudience: String, CaseIterable, Sendable {
    /// The province's coordinators.
    case coordinators
    /// The province's response team members.
    case responders
    /// Leaders (read-only oversight).
    case leaders
    /// Officers of the owning agency and of every agency above it.
    case agencyOfficers
    /// The police liaison; reached only when the record is shared with the police.
    case police
}

/// Something that happened to a record, published with ``Notifier/publish(_:on:)`` inside the
/// transaction that made it happen.
struct NotificationEvent: Sendable {
    var kind: NotificationKind
    /// The agency that owns the record (nil: a province-level record).
    var agencyId: UUID?
    /// E.g. "incident"; with `recordId` it names the record in the API and webhook bodies.
    var recordKind: String
    var recordId: UUID
    var title: NotificationText
    var summary: NotificationText
    /// Where the notification leads, e.g. `.incidents(.show(.value(id)))`.
    var link: SiteURL
    /// People named by the change (the assignee…). Still filtered by ``readAction``.
    var recipients: Set<UUID> = []
    var audience: Set<NotificationAudience> = []
    /// Whether the record is shared with the police (their scope then includes it).
    var sharedWithPolice: Bool = false
    /// The action reading the record needs; every recipient must be allowed it on this record.
    var readAction: Action = .viewIncidents
    /// When set, only these people may be notified (a TLP:RED record): audience groups are narrowed to
    /// them and no webhook receives the event.
    var restrictedTo: Set<UUID>? = nil
    /// False for records that may not leave the organisation (TLP:AMBER+STRICT and RED cases): no webhook gets them.
    var mayLeaveOrganisation: Bool = true
    /// The person who made the change is not notified about their own action.
    var actorId: UUID? = nil
    var occurredAt: Date = Date()
}
