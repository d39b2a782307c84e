import Foundation
import Domain
import Vapor

/// The routes of the notifications feature, registered from `routes(_:)`.
enum NotificationsRoutes {
    static func register(_ app: Application) {
        app.on(.GET, .notifications(.index), access: .signedIn, use: NotificationsController.index)
        app.on(.POST, .notifications(.read(.key)), access: .signedIn, use: NotificationsController.markRead)
        app.on(.POST, .notifications(.readAll), access: .signedIn, use: NotificationsController.markAllRead)
        app.on(.GET, .notifications(.preferences), access: .signedIn, use: PreferencesController.show)
        app.on(.POST, .notifications(.preferences), access: .signedIn, use: PreferencesController.update)
        app.on(.GET, .notifications(.webhooks), access: .action(.manageWebhooks), use: WebhooksController.index)
        app.on(.POST, .notifications(.webhooks), access: .action(.manageWebhooks), use: WebhooksController.create)
        app.on(.GET, .notifications(.webhook(.key)), access: .action(.manageWebhooks), use: WebhooksController.show)
        app.on(.POST, .notifications(.webhookToggle(.key)), access: .action(.manageWebhooks), use: WebhooksController.toggle)
        app.on(.POST, .notifications(.webhookDelete(.key)), access: .action(.manageWebhooks), use: WebhooksController.delete)

        app.on(.GET, .api(.notifications(.list)), access: .signedIn, use: NotificationsAPIController.list)
        app.on(.POST, .api(.notifications(.read(.key))), access: .signedIn, use: NotificationsAPIController.markRead)
        app.on(.POST, .api(.notifications(.readAll)), access: .signedIn, use: NotificationsAPIController.markAllRead)
        app.on(.GET, .api(.notifications(.preferences)), access: .signedIn, use: NotificationsAPIController.preferences)
        app.on(.PUT, .api(.notifications(.preferences)), access: .signedIn, use: NotificationsAPIController.updatePreferences)
        app.on(.GET, .api(.notifications(.webhooks)), access: .action(.manageWebhooks), use: WebhooksAPIController.list)
        app.on(.POST, .api(.notifications(.webhooks)), access: .action(.manageWebhooks), use: WebhooksAPIController.create)
        app.on(.GET, .api(.notifications(.webhook(.key))), access: .action(.manageWebhooks), use: WebhooksAPIController.get)
        app.on(.PATCH, .api(.notifications(.webhook(.key))), access: .action(.manageWebhooks), use: WebhooksAPIController.update)
        app.on(.DELETE, .api(.notifications(.webhook(.key))), access: .action(.manageWebhooks), use: WebhooksAPIController.delete)
        app.on(.GET, .api(.notifications(.webhookDeliveries(.key))), access: .action(.manageWebhooks), use: WebhooksAPIController.deliveries)
    }
}
