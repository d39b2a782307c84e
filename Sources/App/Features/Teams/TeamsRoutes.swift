import Foundation
import Domain
import Vapor

/// The routes of the response teams feature, registered from `routes(_:)`.
enum TeamsRoutes {
    static func register(_ app: Application) {
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .teams(.index), access: .action(.viewTeams), use: TeamsController.index)
        app.on(.GET, .teams(.new), access: .action(.manageTeams), use: TeamsController.new)
        app.on(.POST, .teams(.new), access: .action(.manageTeams), body: upload, use: TeamsController.create)
        app.on(.GET, .teams(.show(.key)), access: .action(.viewTeams), use: TeamsController.show)
        app.on(.GET, .teams(.edit(.key)), access: .action(.manageTeams), use: TeamsController.edit)
        app.on(.POST, .teams(.edit(.key)), access: .action(.manageTeams), body: upload, use: TeamsController.update)
        app.on(.POST, .teams(.delete(.key)), access: .action(.manageTeams), use: TeamsController.delete)
        app.on(.POST, .teams(.members(.key)), access: .action(.manageTeams), use: TeamsController.addMember)
        app.on(.GET, .teams(.memberEdit(.key, .key)), access: .action(.manageTeams), use: TeamsController.editMember)
        app.on(.POST, .teams(.memberEdit(.key, .key)), access: .action(.manageTeams), use: TeamsController.updateMember)
        app.on(.POST, .teams(.memberDelete(.key, .key)), access: .action(.manageTeams), use: TeamsController.deleteMember)

        app.on(.GET, .api(.teams(.list)), access: .action(.viewTeams), use: TeamsAPIController.list)
        app.on(.POST, .api(.teams(.list)), access: .action(.manageTeams), use: TeamsAPIController.create)
        app.on(.GET, .api(.teams(.team(.key))), access: .action(.viewTeams), use: TeamsAPIController.get)
        app.on(.PATCH, .api(.teams(.team(.key))), access: .action(.manageTeams), use: TeamsAPIController.update)
        app.on(.DELETE, .api(.teams(.team(.key))), access: .action(.manageTeams), use: TeamsAPIController.delete)
        app.on(.GET, .api(.teams(.members(.key))), access: .action(.viewTeams), use: TeamsAPIController.members)
        app.on(.POST, .api(.teams(.members(.key))), access: .action(.manageTeams), use: TeamsAPIController.addMember)
        app.on(.PATCH, .api(.teams(.member(.key, .key))), access: .action(.manageTeams), use: TeamsAPIController.updateMember)
        app.on(.DELETE, .api(.teams(.member(.key, .key))), access: .action(.manageTeams), use: TeamsAPIController.deleteMember)
    }
}
