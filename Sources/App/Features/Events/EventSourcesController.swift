import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// Source pages (coordinators and responders): the list, the form, one source (with its token once), enabling and
/// disabling, token rotation, and the senders that match no source.
enum EventSourcesController {
    static func index(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        let query = EventSource.query(on: req.db).sort(\.$name)
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(\.$agencyId ~~ Array(ids)) }
        let sources = try await query.all()
        let systems = try await systemLabels(Array(Set(sources.map(\.systemId))), on: req.db)
        let held = try await unassignedSenders(on: req.db)
        return EventSourcesIndexView(req: req, sources: sources, systems: systems, heldEvents: held.reduce(0) { $0 + $1.events }).render()
    }

    static func new(req: Request) async throws -> Page {
        var input = EventSourceInput()
        input.kind = EventSourceKind.syslog.rawValue
        input.systemId = req.query[String.self, at: "systemId"]
        // "Register as source" from the unknown senders.
        if let sender = req.query[String.self, at: "sender"] { input.addresses = sender }
        if let host = req.query[String.self, at: "host"] { input.hostnames = host }
        let fromHeld = req.query[String.self, at: "sender"] != nil || req.query[String.self, at: "host"] != nil
        if fromHeld { input.claimHeld = true }
        return try await form(req: req, source: nil, input: input, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(EventSourceInput.self)
        do {
            let created = try await EventSourceService.create(input, req: req)
            if let token = created.token {
                return try await showPage(req: req, source: created.source, token: token, flash: "events.sourceCreated").encodeResponse(for: req)
            }
            var query = ["done": "eventSourceCreated"]
            if let claimed = created.claimed, claimed.events > 0 { query = ["done": "eventSourceClaimed", "claimed": String(claimed.events)] }
            return req.redirect(to: SiteURL.events(.source(.value(created.source.id!))).path(query: query))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, source: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func show(req: Request) async throws -> Page {
        var flash: String?
        if req.query[String.self, at: "done"] == "eventSourceClaimed", let count = req.query[Int.self, at: "claimed"] {
            flash = "events.sourceClaimed|\(count)"
        }
        return try await showPage(req: req, source: try await EventSourceService.find(req), token: nil, flash: flash)
    }

    static func edit(req: Request) async throws -> Page {
        let source = try await EventSourceService.find(req)
        return try await form(req: req, source: source, input: EventSourceInput(source), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let source = try await EventSourceService.find(req)
        var input = try req.content.decode(EventSourceInput.self)
        input.enabled = nil
        do {
            _ = try await EventSourceService.update(source, with: input, req: req)
            return req.redirect(to: SiteURL.events(.source(.value(source.id!))).path(query: ["done": "eventSourceUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, source: source, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    struct EnabledForm: Content { var enabled: String? }

    static func setEnabled(req: Request) async throws -> Response {
        let source = try await EventSourceService.find(req)
        let raw = (try? req.content.decode(EnabledForm.self).enabled) ?? req.query[String.self, at: "enabled"]
        let enabled = ["1", "true", "on"].contains(raw ?? "")
        try await EventSourceService.setEnabled(source, enabled, req: req)
        return req.redirect(to: SiteURL.events(.source(.value(source.id!))).path(query: ["done": enabled ? "eventSourceEnabled" : "eventSourceDisabled"]))
    }

    static func rotateToken(req: Request) async throws -> Page {
        let source = try await EventSourceService.find(req)
        let token = try await EventSourceService.rotateToken(source, req: req)
        return try await showPage(req: req, source: source, token: token, flash: "events.tokenRotated")
    }

    static func unassigned(req: Request) async throws -> Page {
        UnassignedSendersView(req: req, senders: try await unassignedSenders(on: req.db)).render()
    }

    // MARK: helpers

    /// Senders and hosts of the events held apart (no source matched), most events first.
    static func unassignedSenders(on db: any Database) async throws -> [UnassignedSenderDTO] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT sender, host, COUNT(*) AS batches, CAST(SUM(event_count) AS BIGINT) AS events, MIN(min_time) AS first_at, MAX(max_time) AS last_at,
            MAX(received_at) AS received FROM event_batches WHERE agency_id IS NULL GROUP BY sender, host ORDER BY events DESC LIMIT 500
            """).all()
        return try rows.map { row in
            UnassignedSenderDTO(sender: try row.decode(column: "sender", as: String?.self), host: try row.decode(column: "host", as: String?.self),
                                batches: Int(try row.decode(column: "batches", as: Int64.self)),
                                events: Int(try row.decode(column: "events", as: Int64.self)),
                                firstEventAt: try row.decode(column: "first_at", as: Date.self).addingTimeInterval(0.001),
                                lastEventAt: try row.decode(column: "last_at", as: Date.self).addingTimeInterval(-0.001),
                                lastReceivedAt: try row.decode(column: "received", as: Date.self))
        }
    }

    static func systemLabels(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let systems = try await InformationSystem.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, "\($0.code) · \($0.name)") })
    }

    static func showPage(req: Request, source: EventSource, token: String?, flash: String?) async throws -> Page {
        let system = try await InformationSystem.find(source.systemId, on: req.db)
        let agency = try await Agency.find(system?.$agency.id ?? source.agencyId, on: req.db)
        return EventSourceShowView(req: req, source: source, system: system, agency: agency, token: token, flash: flash).render()
    }

    static func form(req: Request, source: EventSource?, input: EventSourceInput, errors: [String: String],
                     status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
            .filter { Policy.can(subject, .manageEventSources, .owned(agencyId: $0.$agency.id)) }
        var page = EventSourceFormView(req: req, source: source, input: input, errors: errors,
                                       systems: systems.map { ($0.id!, "\($0.code) · \($0.name)") }).render()
        page.status = status
        return page
    }
}
