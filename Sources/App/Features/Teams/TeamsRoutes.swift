import Foundation
import Domain
import Vapor

/// The routes of the response teams feature, registered from `routes(_:)`.
enum TeamsRoutes {
    static func register(_ app: Application) {
    }
}
