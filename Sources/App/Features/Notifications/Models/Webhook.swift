import Foundation
import Fluent

/// One row of `webhooks`: an endpoint that receives signed JSON for chosen event kinds, for the whole
/// province or only for one agency (and the agencies below it).
final class Webhook: Model, @unchecked Sendable {
    static let schema = "webhooks"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "url") var url: String
    /// The signing secret sealed with the application key (``SecretBox``).
    @Field(key: "secret_sealed") var secretSealed: String
    /// Comma-separated ``NotificationKind`` raw values.
    @Field(key: "event_kinds") var eventKindsText: String
    @OptionalParent(key: "agency_id") var agency: Agency?
    @Field(key: "active") var active: Bool
    @Field(key: "created_by_name") var createdByName: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    var eventKinds: Set<NotificationKind> {
        get { Set(eventKindsText.split(separator: ",").compactMap { NotificationKind(rawValue: String($0)) }) }
        set { eventKindsText = newValue.map(\.rawValue).sorted().joined(separator: ",") }
    }
}

/// One row of `webhook_deliveries`: one event for one endpoint, with the outcome of its latest attempt.
final class WebhookDelivery: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"

    enum State: String, Codable, Sendable, CaseIterable {
        case pending, delivered, retrying, failed, skipped
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "webhook_id") var webhook: Webhook
    @Field(key: "event_kind") var eventKind: String
    /// The owning agency of the record, checked again against the endpoint's scope when sending.
    @OptionalField(key: "agency_id") var agencyId: UUID?
    /// The exact JSON that is signed and sent (every attempt sends the same bytes).
    @Field(key: "body") var body: String
    @Field(key: "state") var state: State
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "status_code") var statusCode: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_attempt_at") var lastAttemptAt: Date?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}
