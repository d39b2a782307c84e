import Foundation
import Domain
import Vapor

/// The routes of the Events feature, registered from `routes(_:)`.
enum EventsRoutes {
    static func register(_ app: Application) {
        let view = Access.action(.viewDetection)
        let upload = Access.action(.uploadEvents)
        let manage = Access.action(.manageEventSources)
        app.on(.GET, .events(.index), access: view, use: EventsController.index)
        app.on(.GET, .events(.show(.key)), access: view, use: EventsController.show)
        app.on(.GET, .events(.sources), access: manage, use: EventSourcesController.index)
        app.on(.GET, .events(.sourceNew), access: manage, use: EventSourcesController.new)
        app.on(.POST, .events(.sourceNew), access: manage, use: EventSourcesController.create)
        app.on(.GET, .events(.source(.key)), access: manage, use: EventSourcesController.show)
        app.on(.GET, .events(.sourceEdit(.key)), access: manage, use: EventSourcesController.edit)
        app.on(.POST, .events(.sourceEdit(.key)), access: manage, use: EventSourcesController.update)
        app.on(.POST, .events(.sourceEnabled(.key)), access: manage, use: EventSourcesController.setEnabled)
        app.on(.POST, .events(.sourceToken(.key)), access: manage, use: EventSourcesController.rotateToken)
        app.on(.GET, .events(.unassigned), access: manage, use: EventSourcesController.unassigned)
        app.on(.GET, .events(.upload), access: upload, use: EventImportsController.form)
        // Streamed to disk: the page's script sends the CSRF token as a header, so nothing is collected in memory; a form
        // posted without script is collected (for its token) within UNGCUU_MAX_UPLOAD_BYTES.
        app.on(.POST, .events(.upload), access: upload, body: .stream, csrfMaxBody: app.config.maxUploadBytes + 65_536,
               use: EventImportsController.upload)
        app.on(.GET, .events(.importShow(.key)), access: view, use: EventImportsController.show)
        app.on(.GET, .events(.importState(.key)), access: view, use: EventImportsController.state)
        app.on(.POST, .events(.importCancel(.key)), access: upload, use: EventImportsController.cancel)

        app.on(.GET, .api(.events(.list)), access: view, use: EventsAPIController.search)
        // Open: a source's ingest token belongs to no user; the handler authenticates (source token, or a personal token
        // with uploadEvents and the system).
        app.on(.POST, .api(.events(.list)), access: .open, body: .stream, use: EventHTTPIngest.ingest)
        app.on(.GET, .api(.events(.sources)), access: manage, use: EventsAPIController.sources)
        app.on(.POST, .api(.events(.sources)), access: manage, use: EventsAPIController.createSource)
        app.on(.GET, .api(.events(.unassigned)), access: manage, use: EventsAPIController.unassigned)
        app.on(.GET, .api(.events(.source(.key))), access: manage, use: EventsAPIController.source)
        app.on(.PATCH, .api(.events(.source(.key))), access: manage, use: EventsAPIController.updateSource)
        app.on(.POST, .api(.events(.sourceToken(.key))), access: manage, use: EventsAPIController.rotateToken)
        app.on(.GET, .api(.events(.imports)), access: view, use: EventsAPIController.imports)
        app.on(.POST, .api(.events(.imports)), access: upload, body: .stream, use: EventsAPIController.upload)
        app.on(.GET, .api(.events(.importOne(.key))), access: view, use: EventsAPIController.importOne)
    }
}

/// The job kinds of the Events feature, registered from `JobSetup.configure`.
enum EventsJobs {
    static func register(in app: Application) {
        EventImportService.register(in: app)
        EventRetention.register(in: app)
    }
}
