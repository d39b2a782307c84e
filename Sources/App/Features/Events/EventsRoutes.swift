import Foundation
import Domain
import Vapor

/// The routes of the Events feature, registered from `routes(_:)`.
enum EventsRoutes {
    static func register(_ app: Application) {
    }
}
