import Foundation
import Fluent
import Vapor

/// The delivery jobs of notifications: one e-mail per notification row, one POST per webhook delivery.
/// Payloads carry ids only; the bodies read the current rows.
enum NotificationJobs {
    static let email: JobKind = "notifications.email"
    static let webhook: JobKind = "notifications.webhook"

    static let emailRetry = JobRetry(baseSeconds: 60, maxSeconds: 3600)
    static let webhookRetry = JobRetry(baseSeconds: 30, maxSeconds: 3600)

    static func register(in app: Application, emailRetry: JobRetry = emailRetry, webhookRetry: JobRetry = webhookRetry) {
        app.jobs.register(email, retry: emailRetry, maxAttempts: 6) { context, payload in
            try await sendEmail(notificationId: try payload.id("notificationId"), context: context)
        }
        app.jobs.register(webhook, retry: webhookRetry, maxAttempts: 8) { context, payload in
            try await deliverWebhook(deliveryId: try payload.id("deliveryId"), context: context)
        }
    }

    // MARK: e-mail

    static func sendEmail(notificationId: UUID, context: JobContext) async throws {
        let app = context.app
        guard let settings = app.config.smtp else {
            context.logger.info("e-mail is not configured (UNGCUU_SMTP_HOST); notification \(notificationId) not sent")
            return
        }
        guard let notification = try await UserNotification.find(notificationId, on: app.db),
              let user = try await User.find(notification.$user.id, on: app.db), user.status == .active else { return }
        let lang: Lang = user.locale == "en" ? .en : .vi
        let t = Localizer(lang: lang)
        let base = app.config.baseURL
        let link = base.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + notification.link
        let text = [
            notification.body(lang), "", link, "",
            "—", t("notifications.email.footer", SiteURL.notifications(.preferences).absolute(base: base)),
        ].joined(separator: "\n")
        let message = try NotificationMail.compose(from: settings.from, to: user.email, subject: "[UngCuu] " + notification.title(lang), text: text,
                                                   messageIdDomain: base.host ?? "ungcuu.localhost")
        let client = SMTPClient(settings: settings, heloName: base.host ?? "ungcuu.localhost")
        try await client.send(from: settings.from, to: [user.email], message: message)
        context.logger.info("notification e-mail sent", metadata: ["notification": .string(notificationId.uuidString.lowercased())])
    }

    // MARK: webhooks

    static func deliverWebhook(deliveryId: UUID, context: JobContext) async throws {
        let app = context.app
        guard let delivery = try await WebhookDelivery.find(deliveryId, on: app.db) else { return }
        let endpoint = try await Webhook.find(delivery.$webhook.id, on: app.db)
        let tree = try await AgencyTreeQuery.tree(on: app.db)
        guard let endpoint, endpoint.active, WebhookURLRule.problem(with: endpoint.url) == nil,
              WebhookScope.covers(webhookAgency: endpoint.$agency.id, recordAgency: delivery.agencyId, tree: tree) else {
            try await record(deliveryId, state: .skipped, attempt: context.attempt, status: nil,
                             error: "the endpoint was switched off, removed or no longer covers this agency", app: app)
            return
        }
        let secret = try SecretBox.open(endpoint.secretSealed, appKey: app.secretKey)
        let body = Array(delivery.body.utf8)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "User-Agent", value: "UngCuu-Webhook/1")
        headers.add(name: WebhookSigning.header, value: WebhookSigning.sign(body: body, secret: secret, timestamp: Int(Date().timeIntervalSince1970)))
        headers.add(name: "X-UngCuu-Delivery", value: deliveryId.uuidString.lowercased())
        headers.add(name: "X-UngCuu-Event", value: delivery.eventKind)
        let status: Int
        do {
            let response = try await app.client.post(URI(string: endpoint.url), headers: headers) { request in
                request.body = ByteBuffer(bytes: body)
                request.timeout = .seconds(10)
            }
            status = Int(response.status.code)
        } catch {
            let message = "no answer: \(String(describing: error).prefix(300))"
            try await record(deliveryId, state: context.attempt < context.maxAttempts ? .retrying : .failed, attempt: context.attempt,
                             status: nil, error: message, app: app)
            throw WebhookDeliveryError(message: message)
        }
        if (200..<300).contains(status) {
            try await record(deliveryId, state: .delivered, attempt: context.attempt, status: status, error: nil, app: app)
        } else {
            let message = "the endpoint answered \(status)"
            try await record(deliveryId, state: context.attempt < context.maxAttempts ? .retrying : .failed, attempt: context.attempt,
                             status: status, error: message, app: app)
            throw WebhookDeliveryError(message: message)
        }
    }

    struct WebhookDeliveryError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private static func record(_ id: UUID, state: WebhookDelivery.State, attempt: Int, status: Int?, error: String?, app: Application) async throws {
        let now = Date()
        try await app.write { db in
            guard let delivery = try await WebhookDelivery.find(id, on: db) else { return }
            delivery.state = state
            delivery.attempts = attempt
            delivery.statusCode = status
            delivery.lastError = error
            delivery.lastAttemptAt = now
            if state == .delivered { delivery.deliveredAt = now }
            try await delivery.save(on: db)
        }
    }
}
