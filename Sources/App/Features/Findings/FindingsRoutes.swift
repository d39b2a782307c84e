import Foundation
import Domain
import Vapor

/// The routes of the findings feature, registered from `routes(_:)`.
enum FindingsRoutes {
    static func register(_ app: Application) {
    }
}
