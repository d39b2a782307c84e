import Foundation
import Domain
import Vapor

/// The routes of the proactive feature, registered from `routes(_:)`.
enum ProactiveRoutes {
    static func register(_ app: Application) {
    }
}
