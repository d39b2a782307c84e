import Foundation
import Domain
import Vapor

/// The routes of the drills feature, registered from `routes(_:)`.
enum DrillsRoutes {
    static func register(_ app: Application) {
    }
}
