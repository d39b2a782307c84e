import Foundation
import Domain
import Vapor

/// The routes of the notifications feature, registered from `routes(_:)`.
enum NotificationsRoutes {
    static func register(_ app: Application) {
    }
}
