import Foundation
import Domain

/// The JSON an endpoint receives for one event (camelCase, ISO 8601 times, like the API).
struct WebhookBody: Codable, Sendable {
    struct Record: Codable, Sendable {
        var kind: String
        var id: UUID
    }

    var deliveryId: UUID
    var kind: String
    var occurredAt: Date
    var agencyId: UUID?
    var record: Record
    var title: LocalizedText
    var summary: LocalizedText
    var link: String

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
