import Foundation
import Domain
import Vapor

/// The routes of the findings feature, registered from `routes(_:)`.
enum FindingsRoutes {
    static func register(_ app: Application) {
        let view = Access.action(.viewProactive)
        let change = Access.action(.recordAssessments)
        app.on(.GET, .findings(.index), access: view, use: FindingsController.index)
        app.on(.POST, .findings(.bulk), access: change, use: FindingsController.bulk)
        app.on(.GET, .findings(.show(.key)), access: view, use: FindingsController.show)
        app.on(.POST, .findings(.status(.key)), access: change, use: FindingsController.status)

        app.on(.GET, .api(.findings(.list)), access: view, use: FindingsAPIController.list)
        app.on(.POST, .api(.findings(.bulk)), access: change, use: FindingsAPIController.bulk)
        app.on(.GET, .api(.findings(.one(.key))), access: view, use: FindingsAPIController.get)
        app.on(.PATCH, .api(.findings(.one(.key))), access: change, use: FindingsAPIController.patch)
    }
}
