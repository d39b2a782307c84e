import Foundation
import Domain
import Vapor

/// The routes of the drills feature, registered from `routes(_:)`.
enum DrillsRoutes {
    static func register(_ app: Application) {
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .drills(.index), access: .action(.viewResponse), use: DrillsController.index)
        app.on(.GET, .drills(.new), access: .action(.recordDrills), use: DrillsController.new)
        app.on(.POST, .drills(.new), access: .action(.recordDrills), use: DrillsController.create)
        app.on(.GET, .drills(.show(.key)), access: .action(.viewResponse), use: DrillsController.show)
        app.on(.GET, .drills(.edit(.key)), access: .action(.recordDrills), use: DrillsController.edit)
        app.on(.POST, .drills(.edit(.key)), access: .action(.recordDrills), use: DrillsController.update)
        app.on(.POST, .drills(.state(.key)), access: .action(.recordDrills), body: upload, use: DrillsController.state)
        app.on(.POST, .drills(.tasks(.key)), access: .action(.recordDrills), use: DrillsController.addTask)
        app.on(.POST, .drills(.task(.key, .key)), access: .action(.recordDrills), use: DrillsController.changeTask)

        app.on(.GET, .api(.drills(.list)), access: .action(.viewResponse), use: DrillsAPIController.list)
        app.on(.POST, .api(.drills(.list)), access: .action(.recordDrills), use: DrillsAPIController.create)
        app.on(.GET, .api(.drills(.drill(.key))), access: .action(.viewResponse), use: DrillsAPIController.get)
        app.on(.PATCH, .api(.drills(.drill(.key))), access: .action(.recordDrills), use: DrillsAPIController.update)
        app.on(.POST, .api(.drills(.state(.key))), access: .action(.recordDrills), body: upload, use: DrillsAPIController.state)
        app.on(.GET, .api(.drills(.tasks(.key))), access: .action(.viewResponse), use: DrillsAPIController.tasks)
        app.on(.POST, .api(.drills(.tasks(.key))), access: .action(.recordDrills), use: DrillsAPIController.addTask)
        app.on(.PATCH, .api(.drills(.task(.key, .key))), access: .action(.recordDrills), use: DrillsAPIController.updateTask)
    }
}
