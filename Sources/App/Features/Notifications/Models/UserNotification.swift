import Foundation
import Fluent

/// One row of `notifications`: an event as one person received it. `in_app` false means the person turned
/// the in-app channel off for this kind and the row exists only for the e-mail that refers to it.
final class UserNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "kind") var kind: NotificationKind
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @Field(key: "record_kind") var recordKind: String
    @Field(key: "record_id") var recordId: UUID
    @Field(key: "title_vi") var titleVi: String
    @Field(key: "title_en") var titleEn: String
    @Field(key: "body_vi") var bodyVi: String
    @Field(key: "body_en") var bodyEn: String
    @Field(key: "link") var link: String
    @Field(key: "in_app") var inApp: Bool
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(userId: UUID, event: NotificationEvent, title: (vi: String, en: String), body: (vi: String, en: String), inApp: Bool) {
        self.id = UUID()
        self.$user.id = userId
        self.kind = event.kind
        self.agencyId = event.agencyId
        self.recordKind = event.recordKind
        self.recordId = event.recordId
        self.titleVi = title.vi
        self.titleEn = title.en
        self.bodyVi = body.vi
        self.bodyEn = body.en
        self.link = event.link.path
        self.inApp = inApp
        self.createdAt = event.occurredAt
    }

    func title(_ lang: Lang) -> String { lang == .en ? titleEn : titleVi }
    func body(_ lang: Lang) -> String { lang == .en ? bodyEn : bodyVi }
}
