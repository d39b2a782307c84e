import Foundation
import Detection
import Domain
import Fluent
import Plot
import Vapor

/// The events pages: search and one event.
enum EventsController {
    static func index(req: Request) async throws -> Page {
        let list = ListQuery(req: req, filterKeys: EventsIndex.filterKeys, sortKeys: [])
        return EventsIndex.View(req: req, model: try await EventsIndex.query(req: req, list: list)).render()
    }

    /// The event a reader may see, or 404: events of registered sources by their agency, events of unknown sources only
    /// for those who manage sources.
    static func find(_ req: Request, id: StoredEventID?) async throws -> (StoredEvent, sender: String?) {
        let subject = try req.requireSubject()
        guard let id, let event = try await DatabaseEventStore(on: req.db, logger: req.logger).fetch([id]).first else { throw AppError.notFound }
        if let agency = event.incoming.agencyID {
            guard Policy.can(subject, .viewDetection, .owned(agencyId: agency)) else { throw AppError.notFound }
        } else {
            guard Policy.can(subject, .manageEventSources) else { throw AppError.notFound }
        }
        let sender = try await EventBatch.query(on: req.db).filter(\.$id == id.batch).field(\.$id).field(\.$sender).first()?.sender
        return (event, sender)
    }

    static func show(req: Request) async throws -> Page {
        let (stored, sender) = try await find(req, id: req.parameters.get("eid").flatMap(StoredEventID.init))
        let e = stored.incoming
        let t = req.t
        let agency: Agency? = if let id = e.agencyID { try await Agency.find(id, on: req.db) } else { nil }
        let system: InformationSystem? = if let id = e.systemID { try await InformationSystem.find(id, on: req.db) } else { nil }
        let source: EventSource? = if let id = e.sourceID { try await EventSource.find(id, on: req.db) } else { nil }
        let canManage = Policy.can(try req.requireSubject(), .manageEventSources)
        func fact(_ label: String, _ value: Body) -> [Body] { [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }
        var facts: [Body] = []
        facts += fact(t("events.id"), .el("code", [:], [.txt(stored.id.description)]))
        facts += fact(t("events.time"), .txt(EventsFormat.time(e.time)))
        facts += fact(t("events.receivedAt"), .txt(EventsFormat.time(e.receivedAt)))
        facts += fact(t("events.host"), .txt(e.host ?? "—"))
        if e.agencyID == nil {
            facts += fact(t("events.owner"), .txt(t("events.unassignedOwner")))
            facts += fact(t("events.sender"), .txt(sender ?? "—"))
        } else {
            facts += fact(t("events.agency"), .txt(agency?.name ?? "—"))
            facts += fact(t("events.system"), system.map { .link(SiteURL.system(.value($0.id!)).path, "\($0.code) · \($0.name)") } ?? .txt("—"))
            facts += fact(t("events.source"), source.map { s in
                canManage ? .link(SiteURL.events(.source(.value(s.id!))).path, s.name) : .txt(s.name)
            } ?? .txt(t("events.noSource")))
        }
        let rows: [Body] = e.event.fields.keys.sorted().map { name in
            .el("tr", [:], [.el("th", ["scope": "row"], [.el("code", [:], [.txt(name)])]),
                            .el("td", [:], [.el("span", ["class": "event-value"], [.txt(EventsFormat.text(e.event[name]!))])])])
        }
        return Layout(req: req).page(title: t("events.eventTitle"), section: .detection, content: [
            .el("h1", [:], [.txt(t("events.eventTitle"))]),
            DetectionTabs.bar(.events, req: req),
            .el("p", [:], [.link(SiteURL.events(.index).path, "‹ " + t("events.back"))]),
            .el("section", ["class": "card"], [.el("dl", ["class": "details", "id": "event-facts"], facts)]),
            .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("events.fields", String(e.event.fields.count)))]),
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "event-fields"], [
                        .el("thead", [:], [.el("tr", [:], [.el("th", ["scope": "col"], [.txt(t("events.field"))]),
                                                           .el("th", ["scope": "col"], [.txt(t("events.value"))])])]),
                        .el("tbody", [:], rows),
                    ]),
                ]),
            ]),
        ])
    }
}
