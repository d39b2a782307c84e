import Foundation
import Domain
import Vapor

/// The routes of the Alerts feature, registered from `routes(_:)`.
enum AlertsRoutes {
    static func register(_ app: Application) {
        let view = Access.action(.viewDetection)
        let triage = Access.action(.triageAlerts)
        app.on(.GET, .alerts(.index), access: view, use: AlertsController.index)
        app.on(.POST, .alerts(.bulk), access: triage, use: AlertsController.bulk)
        app.on(.GET, .alerts(.show(.key)), access: view, use: AlertsController.show)
        app.on(.POST, .alerts(.triage(.key)), access: triage, use: AlertsController.triage)

        app.on(.GET, .api(.alerts(.list)), access: view, use: AlertsAPIController.list)
        app.on(.POST, .api(.alerts(.bulk)), access: triage, use: AlertsAPIController.bulk)
        app.on(.GET, .api(.alerts(.one(.key))), access: view, use: AlertsAPIController.get)
        app.on(.POST, .api(.alerts(.triage(.key))), access: triage, use: AlertsAPIController.triage)
    }
}
