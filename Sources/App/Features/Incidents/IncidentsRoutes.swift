import Foundation
import Domain
import Vapor

/// The routes of incident cases, registered from `routes(_:)`.
enum IncidentsRoutes {
    static func register(_ app: Application) {
        let upload = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(integerLiteral: app.config.maxUploadBytes * 4 + 65_536))
        let view = Access.action(.viewIncidents)
        let handle = Access.action(.handleIncident)
        let triage = Access.action(.triageIncident)
        // Pages
        app.on(.GET, .incidents(.index), access: view) { try await IncidentsIndex.page(req: $0, board: false) }
        app.on(.GET, .incidents(.board), access: view) { try await IncidentsIndex.page(req: $0, board: true) }
        app.on(.GET, .incidents(.new), access: .action(.reportIncident), use: IncidentsController.new)
        app.on(.POST, .incidents(.new), access: .action(.reportIncident), body: upload, use: IncidentsController.create)
        app.on(.POST, .incidents(.draft), access: .action(.reportIncident), use: IncidentsController.saveDraft)
        app.on(.GET, .incidents(.show(.key)), access: view, use: IncidentsController.show)
        app.on(.POST, .incidents(.triage(.key)), access: triage, use: IncidentsController.triage)
        app.on(.POST, .incidents(.assign(.key)), access: triage, use: IncidentsController.assign)
        app.on(.POST, .incidents(.merge(.key)), access: triage, use: IncidentsController.merge)
        app.on(.POST, .incidents(.share(.key)), access: triage, use: IncidentsController.share)
        app.on(.POST, .incidents(.unshare(.key)), access: triage, use: IncidentsController.unshare)
        app.on(.POST, .incidents(.phase(.key)), access: handle, use: IncidentsController.phase)
        app.on(.POST, .incidents(.note(.key)), access: view, use: IncidentsController.note)
        app.on(.POST, .incidents(.evidenceRequest(.key)), access: .action(.collaborateAsPolice), use: IncidentsController.evidenceRequest)
        app.on(.POST, .incidents(.observables(.key)), access: handle, use: IncidentsController.addObservable)
        app.on(.POST, .incidents(.observablesImport(.key)), access: handle, body: upload, use: IncidentsController.importObservables)
        app.on(.GET, .incidents(.exportSTIX(.key)), access: view, use: IncidentsController.exportSTIX)
        app.on(.GET, .incidents(.exportMISP(.key)), access: view, use: IncidentsController.exportMISP)
        app.on(.POST, .incidents(.evidence(.key)), access: handle, body: upload, use: IncidentsController.uploadEvidence)
        app.on(.GET, .incidents(.evidenceItem(.key, .key)), access: view, use: IncidentsController.evidenceItem)
        app.on(.GET, .incidents(.evidenceDownload(.key, .key)), access: view, use: IncidentsController.evidenceDownload)
        app.on(.POST, .incidents(.tasks(.key)), access: handle, use: IncidentsController.createTask)
        app.on(.POST, .incidents(.task(.key, .key)), access: handle, use: IncidentsController.updateTask)
        app.on(.POST, .incidents(.reports(.key)), access: handle, use: IncidentsController.recordReport)
        app.on(.GET, .incidents(.reportFile(.key, .key)), access: handle, use: IncidentsController.reportFile)
        for kind in IncidentClockKind.allCases {
            app.on(.GET, .incidents(.reportDocx(.key, kind.rawValue)), access: handle) { try await IncidentsController.reportDocx(req: $0, kind: kind) }
            app.on(.GET, .api(.incidents(.reportDocx(.key, kind.rawValue))), access: handle) { try await IncidentsController.reportDocx(req: $0, kind: kind) }
        }

        // JSON API
        app.on(.GET, .api(.incidents(.list)), access: view, use: IncidentsAPIController.list)
        app.on(.POST, .api(.incidents(.list)), access: .action(.reportIncident), use: IncidentsAPIController.create)
        app.on(.GET, .api(.incidents(.search)), access: view, use: IncidentsAPIController.search)
        app.on(.GET, .api(.incidents(.one(.key))), access: view, use: IncidentsAPIController.get)
        app.on(.GET, .api(.incidents(.timeline(.key))), access: view, use: IncidentsAPIController.timeline)
        app.on(.POST, .api(.incidents(.timeline(.key))), access: view, use: IncidentsAPIController.addNote)
        app.on(.GET, .api(.incidents(.tasks(.key))), access: handle, use: IncidentsAPIController.tasks)
        app.on(.POST, .api(.incidents(.tasks(.key))), access: handle, use: IncidentsAPIController.createTask)
        app.on(.PATCH, .api(.incidents(.task(.key, .key))), access: handle, use: IncidentsAPIController.updateTask)
        app.on(.GET, .api(.incidents(.observables(.key))), access: view, use: IncidentsAPIController.observables)
        app.on(.POST, .api(.incidents(.observables(.key))), access: handle, use: IncidentsAPIController.addObservable)
        app.on(.POST, .api(.incidents(.observablesImport(.key))), access: handle, body: upload, use: IncidentsAPIController.importObservables)
        app.on(.GET, .api(.incidents(.exportSTIX(.key))), access: view, use: IncidentsController.exportSTIX)
        app.on(.GET, .api(.incidents(.exportMISP(.key))), access: view, use: IncidentsController.exportMISP)
        app.on(.GET, .api(.incidents(.evidence(.key))), access: view, use: IncidentsAPIController.evidence)
        app.on(.POST, .api(.incidents(.evidence(.key))), access: handle, body: upload, use: IncidentsAPIController.uploadEvidence)
        app.on(.GET, .api(.incidents(.evidenceItem(.key, .key))), access: view, use: IncidentsController.evidenceDownload)
        app.on(.GET, .api(.incidents(.reports(.key))), access: handle, use: IncidentsAPIController.reports)
        app.on(.POST, .api(.incidents(.reports(.key))), access: handle, use: IncidentsAPIController.recordReport)
        app.on(.GET, .api(.incidents(.clocks(.key))), access: view, use: IncidentsAPIController.clocks)
        app.on(.POST, .api(.incidents(.triage(.key))), access: triage, use: IncidentsAPIController.triage)
        app.on(.POST, .api(.incidents(.phase(.key))), access: handle, use: IncidentsAPIController.phase)
        app.on(.PUT, .api(.incidents(.assign(.key))), access: triage, use: IncidentsAPIController.assign)
        app.on(.POST, .api(.incidents(.share(.key))), access: triage, use: IncidentsAPIController.share)
        app.on(.POST, .api(.incidents(.merge(.key))), access: triage, use: IncidentsAPIController.merge)
        app.on(.DELETE, .api(.incidents(.share(.key))), access: triage, use: IncidentsAPIController.unshare)
    }
}
