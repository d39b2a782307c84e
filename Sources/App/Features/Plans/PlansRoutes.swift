import Foundation
import Domain
import Vapor

/// The routes of the response plans feature, registered from `routes(_:)`.
enum PlansRoutes {
    static func register(_ app: Application) {
    }
}
