import Foundation
import Domain
import Vapor

/// The routes of the warnings feature, registered from `routes(_:)`.
enum WarningsRoutes {
    static func register(_ app: Application) {
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .warnings(.index), access: .action(.viewWarnings), use: WarningsController.index)
        app.on(.GET, .warnings(.tracking), access: .action(.viewWarnings), use: WarningsController.tracking)
        app.on(.GET, .warnings(.new), access: .action(.manageWarnings), use: WarningsController.new)
        app.on(.POST, .warnings(.new), access: .action(.manageWarnings), use: WarningsController.create)
        app.on(.GET, .warnings(.importFile), access: .action(.manageWarnings), use: WarningImportController.form)
        app.on(.POST, .warnings(.importFile), access: .action(.manageWarnings), body: upload, use: WarningImportController.upload)
        app.on(.GET, .warnings(.affected(.key)), access: .action(.viewWarnings), use: WarningsController.affected)
        app.on(.GET, .warnings(.show(.key)), access: .action(.viewWarnings), use: WarningsController.show)
        app.on(.GET, .warnings(.edit(.key)), access: .action(.manageWarnings), use: WarningsController.edit)
        app.on(.POST, .warnings(.edit(.key)), access: .action(.manageWarnings), use: WarningsController.update)
        app.on(.POST, .warnings(.rematch(.key)), access: .action(.manageWarnings), use: WarningsController.rematch)
        app.on(.POST, .warnings(.addSystem(.key)), access: .action(.manageWarnings), use: WarningsController.addSystem)
        app.on(.POST, .warnings(.system(.key, .key)), access: .action(.respondToWarning), body: upload, use: WarningsController.respond)

        app.on(.GET, .api(.warnings(.list)), access: .action(.viewWarnings), use: WarningsAPIController.list)
        app.on(.POST, .api(.warnings(.list)), access: .action(.manageWarnings), use: WarningsAPIController.create)
        app.on(.POST, .api(.warnings(.importFile)), access: .action(.manageWarnings), body: upload, use: WarningImportController.api)
        app.on(.GET, .api(.warnings(.warning(.key))), access: .action(.viewWarnings), use: WarningsAPIController.get)
        app.on(.PATCH, .api(.warnings(.warning(.key))), access: .action(.manageWarnings), use: WarningsAPIController.update)
        app.on(.POST, .api(.warnings(.rematch(.key))), access: .action(.manageWarnings), use: WarningsAPIController.rematch)
        app.on(.GET, .api(.warnings(.system(.key, .key))), access: .action(.viewWarnings), use: WarningsAPIController.system)
        app.on(.POST, .api(.warnings(.system(.key, .key))), access: .action(.respondToWarning), body: upload, use: WarningsAPIController.respond)
    }
}
