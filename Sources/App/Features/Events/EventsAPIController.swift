import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// `GET /api/v1/events` (search, or `ids=` to fetch), the sources API and the imports API.
enum EventsAPIController {
    static func search(req: Request) async throws -> EventSearchDTO {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        if let raw = req.query[String.self, at: "ids"] {
            let ids = raw.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard ids.count <= 200 else { throw AppError.validation(FieldErrors(["ids": "events.tooManyIds|200"])) }
            let parsed = try ids.map { text -> StoredEventID in
                guard let id = StoredEventID(text) else { throw AppError.validation(FieldErrors(["ids": "validation.invalidId"])) }
                return id
            }
            let canUnassigned = Policy.can(subject, .manageEventSources)
            let events = try await DatabaseEventStore(on: req.db, logger: req.logger).fetch(parsed).filter { event in
                if let agency = event.incoming.agencyID { return Policy.can(subject, .viewDetection, .owned(agencyId: agency)) }
                return canUnassigned
            }
            return EventSearchDTO(items: events.map(EventDTO.init), page: 1, per: events.count, hasMore: false, scannedEvents: events.count,
                                  capped: false)
        }
        var filters: [String: String] = [:]
        for key in ["from", "to", "agencyId", "systemId", "sourceId", "host", "q", "unassigned"] {
            if let value = req.query[String.self, at: key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { filters[key] = String(value.prefix(200)) }
        }
        var list = ListQuery(req: req, filterKeys: [], sortKeys: [])
        list.filters = filters
        let (criteria, errors) = EventsIndex.criteria(list, keys: ("agencyId", "systemId", "sourceId"))
        if !errors.isEmpty { throw AppError.validation(FieldErrors(errors)) }
        if criteria.unassigned, !Policy.can(subject, .manageEventSources) { throw AppError.forbidden }
        guard params.page <= EventSearch.maxPage else {
            throw AppError.validation(FieldErrors(["page": "events.pageTooFar|\(EventSearch.maxPage)"]))
        }
        var outcome = EventSearch.Outcome(events: [], hasMore: false, scannedEvents: 0, capped: false)
        if let query = try await EventSearch.query(criteria, subject: subject, on: req.db) {
            outcome = try await EventSearch.run(query, criteria: criteria, offset: (params.page - 1) * params.per, limit: params.per,
                                                store: DatabaseEventStore(on: req.db, logger: req.logger))
        }
        return EventSearchDTO(items: outcome.events.map(EventDTO.init), page: params.page, per: params.per, hasMore: outcome.hasMore,
                              scannedEvents: outcome.scannedEvents, capped: outcome.capped)
    }

    // MARK: sources

    static func sources(req: Request) async throws -> Paged<EventSourceDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = EventSource.query(on: req.db).sort(\.$name)
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(\.$agencyId ~~ Array(ids)) }
        if let raw = req.query[String.self, at: "systemId"] {
            guard let id = UUID(uuidString: raw) else { throw AppError.validation(FieldErrors(["systemId": "validation.invalidId"])) }
            query.filter(\.$systemId == id)
        }
        if let raw = req.query[String.self, at: "kind"] {
            guard let kind = EventSourceKind(rawValue: raw) else { throw AppError.validation(FieldErrors(["kind": "validation.unknownValue"])) }
            query.filter(\.$kind == kind)
        }
        let (items, total) = try await params.apply(query)
        return Paged(items: items.map(EventSourceDTO.init), total: total, page: params.page, per: params.per)
    }

    static func createSource(req: Request) async throws -> Response {
        let created = try await EventSourceService.create(try req.content.decode(EventSourceInput.self), req: req)
        let response = Response(status: .created)
        try response.content.encode(EventSourceWithTokenDTO(source: EventSourceDTO(created.source), token: created.token,
                                                            claimedBatches: created.claimed?.batches, claimedEvents: created.claimed?.events))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.events(.source(.value(created.source.id!)))).path)
        return response
    }

    static func source(req: Request) async throws -> EventSourceDTO {
        EventSourceDTO(try await EventSourceService.find(req))
    }

    /// PATCH: the fields given replace the source's; `enabled` alone enables or disables it.
    static func updateSource(req: Request) async throws -> EventSourceDTO {
        let source = try await EventSourceService.find(req)
        let patch = try req.content.decode(EventSourceInput.self)
        var input = EventSourceInput(source)
        if let name = patch.name { input.name = name }
        if let kind = patch.kind { input.kind = kind }
        if let systemId = patch.systemId { input.systemId = systemId }
        if let addresses = patch.addresses { input.addresses = addresses }
        if let hostnames = patch.hostnames { input.hostnames = hostnames }
        if patch.name == nil, patch.kind == nil, patch.systemId == nil, patch.addresses == nil, patch.hostnames == nil, let enabled = patch.enabled {
            try await EventSourceService.setEnabled(source, enabled, req: req)
            return EventSourceDTO(source)
        }
        input.enabled = patch.enabled ?? source.enabled
        return EventSourceDTO(try await EventSourceService.update(source, with: input, req: req))
    }

    static func rotateToken(req: Request) async throws -> EventSourceWithTokenDTO {
        let source = try await EventSourceService.find(req)
        let token = try await EventSourceService.rotateToken(source, req: req)
        return EventSourceWithTokenDTO(source: EventSourceDTO(source), token: token, claimedBatches: nil, claimedEvents: nil)
    }

    static func unassigned(req: Request) async throws -> [UnassignedSenderDTO] {
        try await EventSourcesController.unassignedSenders(on: req.db)
    }

    // MARK: imports

    static func imports(req: Request) async throws -> [EventImportDTO] {
        let rows = try await EventImportService.recent(subject: try req.requireSubject(), limit: 100, on: req.db)
        let jobs = try await EventImportsController.jobs(of: rows, on: req.db)
        return rows.map { EventImportDTO($0, state: EventImportService.effectiveState($0, job: $0.jobId.flatMap { jobs[$0] })) }
    }

    static func importOne(req: Request) async throws -> EventImportDTO {
        let row = try await EventImportService.find(req)
        let job: JobRecord? = if let id = row.jobId { try await JobRecord.find(id, on: req.db) } else { nil }
        return EventImportDTO(row, state: EventImportService.effectiveState(row, job: job))
    }

    /// `POST /api/v1/event-imports?systemId=…&fileName=…`: one file as the raw body (or multipart `files[]`), streamed to
    /// disk; 202 with the queued import.
    static func upload(req: Request) async throws -> Response {
        let row = try await EventImportService.upload(req)
        let response = Response(status: .accepted)
        try response.content.encode(EventImportDTO(row, state: row.state))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.events(.importOne(.value(row.id!)))).path)
        return response
    }
}
