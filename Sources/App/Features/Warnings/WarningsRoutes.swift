import Foundation
import Domain
import Vapor

/// The routes of the warnings feature, registered from `routes(_:)`.
enum WarningsRoutes {
    static func register(_ app: Application) {
    }
}
