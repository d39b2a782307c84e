import Foundation
import Domain
import Vapor

/// The routes of the Alerts feature, registered from `routes(_:)`.
enum AlertsRoutes {
    static func register(_ app: Application) {
    }
}
