import Foundation
import Vapor

/// The paths of the notifications feature; a case of SiteURL.
enum NotificationsURL: Sendable, Equatable {
    case index
    case read(Param)
    case readAll
    /// The person's choices, under the account area.
    case preferences
    case webhooks
    case webhook(Param)
    case webhookToggle(Param)
    case webhookDelete(Param)

    var pathComponents: [PathComponent] {
        switch self {
        case .index: ["notifications"]
        case .read(let p): ["notifications", p.component, "read"]
        case .readAll: ["notifications", "read-all"]
        case .preferences: ["account", "notifications"]
        case .webhooks: ["notifications", "webhooks"]
        case .webhook(let p): ["notifications", "webhooks", p.component]
        case .webhookToggle(let p): ["notifications", "webhooks", p.component, "toggle"]
        case .webhookDelete(let p): ["notifications", "webhooks", p.component, "delete"]
        }
    }

    enum API: Sendable, Equatable {
        case list
        case read(Param)
        case readAll
        case preferences
        case webhooks
        case webhook(Param)
        case webhookDeliveries(Param)

        var pathComponents: [PathComponent] {
            switch self {
            case .list: ["notifications"]
            case .read(let p): ["notifications", p.component, "read"]
            case .readAll: ["notifications", "read-all"]
            case .preferences: ["notifications", "preferences"]
            case .webhooks: ["webhooks"]
            case .webhook(let p): ["webhooks", p.component]
            case .webhookDeliveries(let p): ["webhooks", p.component, "deliveries"]
            }
        }
    }
}
