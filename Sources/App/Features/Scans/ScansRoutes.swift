import Foundation
import Domain
import Vapor

/// The routes of the scans feature, registered from `routes(_:)`.
enum ScansRoutes {
    static func register(_ app: Application) {
    }
}
