import Foundation
import Domain
import Vapor

/// The routes of the Hunts feature, registered from `routes(_:)`.
enum HuntsRoutes {
    static func register(_ app: Application) {
        // Indicator lists can be long: the form and the API take bodies as large as uploads.
        let large = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .hunts(.index), access: .action(.viewDetection), use: HuntsController.index)
        app.on(.GET, .hunts(.new), access: .action(.runHunts), use: HuntsController.new)
        app.on(.POST, .hunts(.new), access: .action(.runHunts), body: large, use: HuntsController.create)
        app.on(.GET, .hunts(.show(.key)), access: .action(.viewDetection), use: HuntsController.show)
        app.on(.GET, .hunts(.state(.key)), access: .action(.viewDetection), use: HuntsController.state)
        app.on(.POST, .hunts(.cancel(.key)), access: .action(.runHunts), use: HuntsController.cancel)

        app.on(.GET, .api(.hunts(.list)), access: .action(.viewDetection), use: HuntsAPIController.list)
        app.on(.POST, .api(.hunts(.list)), access: .action(.runHunts), body: large, use: HuntsAPIController.create)
        app.on(.GET, .api(.hunts(.hunt(.key))), access: .action(.viewDetection), use: HuntsAPIController.get)
        app.on(.POST, .api(.hunts(.cancel(.key))), access: .action(.runHunts), use: HuntsAPIController.cancel)
    }
}
