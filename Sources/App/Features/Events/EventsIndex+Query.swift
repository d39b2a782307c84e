import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// The events page: the reader's filters, the choices for them, and one page of matching events.
enum EventsIndex {
    static let filterKeys = ["from", "to", "agency", "system", "source", "host", "q", "unassigned"]

    /// Reads the filters; bad values become field errors (the search then runs without them).
    static func criteria(_ list: ListQuery, keys: (agency: String, system: String, source: String) = ("agency", "system", "source"))
        -> (EventSearch.Criteria, [String: String]) {
        var errors: [String: String] = [:]
        var criteria = EventSearch.Criteria()
        func instant(_ key: String) -> Date? {
            guard let raw = list.filters[key] else { return nil }
            guard let date = DisplayTime.parseInstant(raw) ?? DisplayTime.parseDay(raw) else {
                errors[key] = "events.badTime"
                return nil
            }
            return date
        }
        func id(_ key: String) -> UUID? {
            guard let raw = list.filters[key] else { return nil }
            guard let id = UUID(uuidString: raw) else {
                errors[key] = "validation.invalidId"
                return nil
            }
            return id
        }
        criteria.from = instant("from")
        criteria.to = instant("to")
        if let from = criteria.from, let to = criteria.to, from > to { errors["to"] = "events.toBeforeFrom" }
        criteria.agencyId = id(keys.agency)
        criteria.systemId = id(keys.system)
        criteria.sourceId = id(keys.source)
        criteria.host = list.filters["host"]
        criteria.text = list.filters["q"]
        criteria.unassigned = ["1", "true", "on"].contains(list.filters["unassigned"] ?? "")
        return (criteria, errors)
    }

    static func query(req: Request, list: ListQuery) async throws -> Model {
        let subject = try req.requireSubject()
        let (criteria, errors) = criteria(list)
        let page = min(list.page, EventSearch.maxPage)
        var outcome = EventSearch.Outcome(events: [], hasMore: false, scannedEvents: 0, capped: false)
        if errors.isEmpty, let query = try await EventSearch.query(criteria, subject: subject, on: req.db) {
            outcome = try await EventSearch.run(query, criteria: criteria, offset: (page - 1) * list.per, limit: list.per,
                                                store: DatabaseEventStore(on: req.db, logger: req.logger))
        }
        let agencies = try await Agency.scoped(to: subject, on: req.db).sort(\.$name).all()
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
        let sourcesQuery = EventSource.query(on: req.db).sort(\.$name)
        if let ids = Policy.readScope(for: subject).agencyIds { sourcesQuery.filter(\.$agencyId ~~ Array(ids)) }
        let sources = try await sourcesQuery.all()
        return Model(list: list, page: page, criteria: criteria, errors: errors, outcome: outcome,
                     agencies: agencies.map { ($0.id!, $0.name) },
                     systems: systems.map { ($0.id!, "\($0.code) · \($0.name)") },
                     sources: sources.map { ($0.id!, $0.name) },
                     canSeeUnassigned: Policy.can(subject, .manageEventSources))
    }
}
