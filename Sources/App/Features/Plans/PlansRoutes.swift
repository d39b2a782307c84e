import Foundation
import Domain
import Vapor

/// The routes of the response plans feature, registered from `routes(_:)`.
enum PlansRoutes {
    static func register(_ app: Application) {
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .plans(.index), access: .action(.viewResponse), use: PlansController.index)
        app.on(.GET, .plans(.scenarios), access: .action(.viewResponse), use: PlansController.scenarios)
        app.on(.GET, .plans(.new), access: .action(.editPlans), use: PlansController.new)
        app.on(.POST, .plans(.new), access: .action(.editPlans), use: PlansController.create)
        app.on(.GET, .plans(.show(.key)), access: .action(.viewResponse), use: PlansController.show)
        app.on(.POST, .plans(.versions(.key)), access: .action(.editPlans), use: PlansController.newVersion)
        app.on(.GET, .plans(.version(.key, .key)), access: .action(.viewResponse), use: PlansController.version)
        app.on(.GET, .plans(.versionEdit(.key, .key)), access: .action(.editPlans), use: PlansController.edit)
        app.on(.POST, .plans(.versionEdit(.key, .key)), access: .action(.editPlans), use: PlansController.update)
        app.on(.POST, .plans(.versionApprove(.key, .key)), access: .action(.approvePlans), body: upload, use: PlansController.approve)
        app.on(.GET, .plans(.versionDocx(.key, .key)), access: .action(.viewResponse), use: PlansController.docx)

        app.on(.GET, .api(.plans(.list)), access: .action(.viewResponse), use: PlansAPIController.list)
        app.on(.POST, .api(.plans(.list)), access: .action(.editPlans), use: PlansAPIController.create)
        app.on(.GET, .api(.plans(.plan(.key))), access: .action(.viewResponse), use: PlansAPIController.get)
        app.on(.GET, .api(.plans(.versions(.key))), access: .action(.viewResponse), use: PlansAPIController.versions)
        app.on(.POST, .api(.plans(.versions(.key))), access: .action(.editPlans), use: PlansAPIController.newVersion)
        app.on(.GET, .api(.plans(.version(.key, .key))), access: .action(.viewResponse), use: PlansAPIController.version)
        app.on(.PATCH, .api(.plans(.version(.key, .key))), access: .action(.editPlans), use: PlansAPIController.updateVersion)
        app.on(.POST, .api(.plans(.approve(.key, .key))), access: .action(.approvePlans), use: PlansAPIController.approve)
        app.on(.GET, .api(.plans(.scenarios)), access: .action(.viewResponse), use: PlansAPIController.scenarios)
    }
}
