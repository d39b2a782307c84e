import Foundation
import Domain
import Vapor

/// The routes of the Hunts feature, registered from `routes(_:)`.
enum HuntsRoutes {
    static func register(_ app: Application) {
    }
}
