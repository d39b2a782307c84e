import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// The upload page, an import's progress page (polled), its state as JSON, and cancelling it.
enum EventImportsController {
    static func form(req: Request) async throws -> Page {
        try await formPage(req: req, systemId: req.query[String.self, at: "systemId"], sourceId: nil, errors: [:])
    }

    static func upload(req: Request) async throws -> Response {
        do {
            let row = try await EventImportService.upload(req)
            return req.redirect(to: SiteURL.events(.importShow(.value(row.id!))).path(query: ["done": "eventsUploaded"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .payloadTooLarge {
            var page = try await formPage(req: req, systemId: nil, sourceId: nil,
                                          errors: error.fields.isEmpty ? ["form": error.messageKey] : error.fields)
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    static func show(req: Request) async throws -> Page {
        let row = try await EventImportService.find(req)
        let job: JobRecord? = if let id = row.jobId { try await JobRecord.find(id, on: req.db) } else { nil }
        let system = try await InformationSystem.find(row.systemId, on: req.db)
        let source: EventSource? = if let id = row.sourceId { try await EventSource.find(id, on: req.db) } else { nil }
        return EventImportShowView(req: req, row: row, state: EventImportService.effectiveState(row, job: job), system: system, source: source).render()
    }

    /// `{"state":…,"progress":…,"note":…}` for the page's poller: "running" while queued or running.
    static func state(req: Request) async throws -> Response {
        struct State: Content {
            var state: String
            var progress: Int
            var note: String?
        }
        let row = try await EventImportService.find(req)
        let job: JobRecord? = if let id = row.jobId { try await JobRecord.find(id, on: req.db) } else { nil }
        let state = EventImportService.effectiveState(row, job: job)
        let dto = EventImportDTO(row, state: state)
        let response = Response(status: .ok)
        try response.content.encode(State(state: state.isFinished ? state.rawValue : "running", progress: dto.progress,
                                          note: req.t("events.importNote", String(row.eventsAccepted), EventsFormat.bytes(row.bytesRead),
                                                      EventsFormat.bytes(row.bytesTotal))))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func cancel(req: Request) async throws -> Response {
        let row = try await EventImportService.find(req)
        try await EventImportService.cancel(row, req: req)
        return req.redirect(to: SiteURL.events(.importShow(.value(row.id!))).path(query: ["done": "eventsImportCancelRequested"]))
    }

    // MARK: helpers

    static func jobs(of rows: [EventImport], on db: any Database) async throws -> [UUID: JobRecord] {
        let ids = rows.compactMap(\.jobId)
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await JobRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
    }

    static func formPage(req: Request, systemId: String?, sourceId: String?, errors: [String: String]) async throws -> Page {
        let subject = try req.requireSubject()
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
            .filter { Policy.can(subject, .uploadEvents, .owned(agencyId: $0.$agency.id)) }
        let sourcesQuery = EventSource.query(on: req.db).sort(\.$name)
        if let ids = Policy.readScope(for: subject).agencyIds { sourcesQuery.filter(\.$agencyId ~~ Array(ids)) }
        let labels = Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, "\($0.code) · \($0.name)") })
        let sources = try await sourcesQuery.all().filter { labels[$0.systemId] != nil }
        let recent = try await EventImportService.recent(subject: subject, limit: 20, on: req.db)
        let jobs = try await jobs(of: recent, on: req.db)
        let recentLabels = try await EventSourcesController.systemLabels(Array(Set(recent.map(\.systemId))), on: req.db)
        return EventUploadView(req: req, systems: systems.map { ($0.id!, labels[$0.id!]!) },
                               sources: sources.map { ($0.id!, "\($0.name) (\(labels[$0.systemId]!))") },
                               systemId: systemId, sourceId: sourceId, errors: errors,
                               recent: recent.map { ($0, EventImportService.effectiveState($0, job: $0.jobId.flatMap { jobs[$0] })) },
                               systemLabels: recentLabels).render()
    }
}
