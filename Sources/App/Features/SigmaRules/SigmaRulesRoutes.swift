import Foundation
import Domain
import Vapor

/// The routes of the SigmaRules feature, registered from `routes(_:)`.
enum SigmaRulesRoutes {
    static func register(_ app: Application) {
        // Rule uploads are collected (the CSRF check reads the form; a folder of rules is many small parts) within the upload limit.
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 262_144))
        let view = Access.action(.viewDetection)
        let manage = Access.action(.manageRules)
        app.on(.GET, .sigmaRules(.index), access: view, use: SigmaRulesController.index)
        app.on(.GET, .sigmaRules(.importRules), access: manage, use: SigmaRulesController.importForm)
        app.on(.POST, .sigmaRules(.importRules), access: manage, body: upload, use: SigmaRulesController.importRules)
        app.on(.POST, .sigmaRules(.bulk), access: manage, use: SigmaRulesController.bulk)
        app.on(.GET, .sigmaRules(.show(.key)), access: view, use: SigmaRulesController.show)
        app.on(.POST, .sigmaRules(.settings(.key)), access: manage, use: SigmaRulesController.settings)

        app.on(.GET, .api(.sigmaRules(.list)), access: view, use: SigmaRulesAPIController.list)
        app.on(.POST, .api(.sigmaRules(.importRules)), access: manage, body: upload, use: SigmaRulesAPIController.importRules)
        app.on(.POST, .api(.sigmaRules(.bulk)), access: manage, use: SigmaRulesAPIController.bulk)
        app.on(.GET, .api(.sigmaRules(.one(.key))), access: view, use: SigmaRulesAPIController.get)
        app.on(.PATCH, .api(.sigmaRules(.one(.key))), access: manage, use: SigmaRulesAPIController.patch)
    }
}
