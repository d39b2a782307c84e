import Foundation
import Domain
import Vapor

/// The routes of the incidents feature, registered from `routes(_:)`.
enum IncidentsRoutes {
    static func register(_ app: Application) {
    }
}
