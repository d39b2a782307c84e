import Foundation
import Domain
import Vapor

/// The routes of the SigmaRules feature, registered from `routes(_:)`.
enum SigmaRulesRoutes {
    static func register(_ app: Application) {
    }
}
