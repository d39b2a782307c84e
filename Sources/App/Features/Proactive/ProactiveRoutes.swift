import Foundation
import Domain
import Vapor

/// The routes of the proactive feature, registered from `routes(_:)`.
enum ProactiveRoutes {
    static func register(_ app: Application) {
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes + 65_536))
        app.on(.GET, .proactive(.index), access: .action(.viewProactive), use: ProactiveController.index)
        app.on(.GET, .proactive(.reportDocx), access: .action(.viewProactive), use: ProactiveReport.docx)
        app.on(.GET, .proactive(.reportXlsx), access: .action(.viewProactive), use: ProactiveReport.xlsx)
        app.on(.GET, .proactive(.newAssessment), access: .action(.recordAssessments), use: ProactiveAssessmentsController.new)
        app.on(.POST, .proactive(.newAssessment), access: .action(.recordAssessments), body: upload, use: ProactiveAssessmentsController.create)
        app.on(.GET, .proactive(.assessment(.key)), access: .action(.viewProactive), use: ProactiveAssessmentsController.show)
        app.on(.GET, .proactive(.editAssessment(.key)), access: .action(.recordAssessments), use: ProactiveAssessmentsController.edit)
        app.on(.POST, .proactive(.editAssessment(.key)), access: .action(.recordAssessments), body: upload, use: ProactiveAssessmentsController.update)

        app.on(.GET, .api(.proactive(.list)), access: .action(.viewProactive), use: ProactiveAssessmentsAPIController.list)
        app.on(.POST, .api(.proactive(.list)), access: .action(.recordAssessments), body: upload, use: ProactiveAssessmentsAPIController.create)
        app.on(.GET, .api(.proactive(.assessment(.key))), access: .action(.viewProactive), use: ProactiveAssessmentsAPIController.get)
        app.on(.PATCH, .api(.proactive(.assessment(.key))), access: .action(.recordAssessments), body: upload, use: ProactiveAssessmentsAPIController.update)
        app.on(.GET, .api(.proactive(.overview)), access: .action(.viewProactive), use: ProactiveController.overviewAPI)
    }
}
