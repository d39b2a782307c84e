import Foundation
import Domain
import Fluent
import Vapor

/// Publishes notification events. Call ``publish(_:on:)`` with the transaction's `db` inside the
/// transaction that changes the record: the in-app rows, the e-mail jobs and the webhook deliveries are
/// written there too, so a rollback leaves no trace and sends nothing.
///
///     try await req.write { db in
///         …change the incident…
///         try await req.notifier.publish(NotificationEvent(kind: .assignment, agencyId: incident.agencyId,
///             recordKind: "incident", recordId: incident.id!, title: .key("incidents.notify.assigned", [incident.code]),
///             summary: .text(LocalizedText(vi: …, en: …)), link: .incidents(.show(.value(incident.id!))),
///             recipients: [assigneeId], audience: [.coordinators], sharedWithPolice: incident.sharedWithPolice,
///             actorId: req.currentUser?.id), on: db)
///     }
struct Notifier: Sendable {
    let emailEnabled: Bool
    let baseURL: URL
    let registry: JobRegistry

    struct Published: Sendable, Equatable {
        /// People who got a row (in the application, by e-mail or both).
        var recipients: [UUID]
        var emails: Int
        var webhooks: Int
    }

    @discardableResult
    func publish(_ event: NotificationEvent, on db: any Database) async throws -> Published {
        let users = try await NotificationRecipients.resolve(event, on: db)
        let choices = try await NotificationChoices.load(userIds: users.map { $0.id! }, on: db)
        let title = event.title.resolved()
        let summary = event.summary.resolved()
        var rows: [UserNotification] = []
        var emailRows: [UUID] = []
        for user in users {
            let choice = choices[user.id!] ?? .defaults
            let inApp = choice.isEnabled(event.kind, .inApp)
            let email = emailEnabled && choice.isEnabled(event.kind, .email)
            guard inApp || email else { continue }
            let row = UserNotification(userId: user.id!, event: event, title: (title.vi, title.en), body: (summary.vi, summary.en), inApp: inApp)
            rows.append(row)
            if email { emailRows.append(row.id!) }
        }
        if !rows.isEmpty { try await rows.create(on: db) }
        for id in emailRows {
            try await JobQueue.enqueue(NotificationJobs.email, payload: ["notificationId": id], registry: registry, on: db)
        }
        let webhooks = try await enqueueWebhooks(event, title: title, summary: summary, on: db)
        return Published(recipients: rows.map { $0.$user.id }, emails: emailRows.count, webhooks: webhooks)
    }

    private func enqueueWebhooks(_ event: NotificationEvent, title: LocalizedText, summary: LocalizedText, on db: any Database) async throws -> Int {
        guard event.restrictedTo == nil, event.mayLeaveOrganisation else { return 0 }
        let endpoints = try await Webhook.query(on: db).filter(\.$active == true).all().filter { $0.eventKinds.contains(event.kind) }
        guard !endpoints.isEmpty else { return 0 }
        let tree = try await AgencyTreeQuery.tree(on: db)
        var count = 0
        for endpoint in endpoints where WebhookScope.covers(webhookAgency: endpoint.$agency.id, event: event, tree: tree) {
            let delivery = WebhookDelivery()
            delivery.id = UUID()
            delivery.$webhook.id = endpoint.id!
            delivery.eventKind = event.kind.rawValue
            delivery.agencyId = event.agencyId
            delivery.body = WebhookBody(deliveryId: delivery.id!, kind: event.kind.rawValue, occurredAt: event.occurredAt, agencyId: event.agencyId,
                                        record: .init(kind: event.recordKind, id: event.recordId), title: title, summary: summary,
                                        link: event.link.absolute(base: baseURL)).encoded()
            delivery.state = .pending
            delivery.attempts = 0
            delivery.createdAt = Date()
            try await delivery.create(on: db)
            try await JobQueue.enqueue(NotificationJobs.webhook, payload: ["deliveryId": delivery.id!], registry: registry, on: db)
            count += 1
        }
        return count
    }
}

extension Application {
    var notifier: Notifier {
        Notifier(emailEnabled: config.smtp != nil, baseURL: config.baseURL, registry: jobs)
    }
}

extension Request {
    var notifier: Notifier { application.notifier }
}
