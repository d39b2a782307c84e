import Foundation
import Domain
import Fluent
import Vapor

/// Hunt pages: the list, the form, one hunt with its progress and results.
enum HuntsController {
    static func index(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: ["state"], sortKeys: [])
        let model = try await HuntsIndex.query(subject: subject, list: list, on: req.db)
        for hunt in model.hunts { try await HuntService.reconcile(hunt, app: req.application) }
        return HuntsIndex.View(req: req, model: model, list: list).render()
    }

    static func new(req: Request) async throws -> Page {
        var input = HuntInput()
        let range = HuntInput.defaultRange()
        input.from = range.from
        input.to = range.to
        input.ruleMode = "selection"
        input.q = req.query[String.self, at: "q"]
        if let tag = req.query[String.self, at: "tag"] { input.ruleMode = "tag"; input.ruleTag = tag }
        if let system = req.query[String.self, at: "systemId"] { input.systemIds = [system] }
        return try await form(req: req, input: input, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(HuntInput.self)
        if input.action == "search" {
            return try await form(req: req, input: input, errors: [:]).encodeResponse(for: req)
        }
        do {
            let hunt = try await HuntService.start(input, req: req)
            return req.redirect(to: SiteURL.hunts(.show(.value(hunt.id!))).path(query: ["done": "huntStarted"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func show(req: Request) async throws -> Page {
        let hunt = try await HuntService.find(req)
        let subject = try req.requireSubject()
        let model = try await HuntShow.query(hunt, subject: subject, on: req.db)
        let group = req.query[String.self, at: "group"].flatMap { raw in model.groups.contains { $0.groupKey == raw } ? raw : nil }
        let list = ListQuery(req: req, filterKeys: ["group"], sortKeys: [], defaultPer: 50)
        var groupHits: (hits: [HuntHit], total: Int)?
        if let group {
            groupHits = try await HuntShow.hits(try hunt.requireID(), reader: model.reader, group: group, offset: list.offset, limit: list.per, on: req.db)
        }
        let first = group == nil ? try await HuntShow.firstHits(try hunt.requireID(), reader: model.reader, groups: model.groups, perGroup: 10, on: req.db) : [:]
        return HuntShow.View(req: req, model: model, firstHits: first, group: group, groupHits: groupHits, list: list).render()
    }

    /// `{"state":…,"progress":…,"note":…}` for the page's poller. The note gives event counts only to those who see every
    /// agency's events.
    static func state(req: Request) async throws -> Response {
        struct State: Content {
            var state: String
            var progress: Int
            var note: String?
        }
        let hunt = try await HuntService.find(req)
        let reader = HuntReader(try req.requireSubject())
        let progress = HuntShow.progress(hunt)
        let note = hunt.startedAt == nil ? req.t("hunts.waiting") : !reader.seesEverything ? nil
            : req.t("hunts.progressNote", Self.number(hunt.eventsScanned), Self.number(max(hunt.eventsTotal, hunt.eventsScanned)),
                    Self.number(hunt.hitsTotal))
        let response = Response(status: .ok)
        try response.content.encode(State(state: hunt.state, progress: progress, note: note))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func cancel(req: Request) async throws -> Response {
        let hunt = try await HuntService.find(req)
        do {
            try await HuntService.cancel(hunt, req: req)
            return req.redirect(to: SiteURL.hunts(.show(.value(hunt.id!))).path(query: ["done": "huntCancelRequested"]))
        } catch let error as AppError where error.code == "hunt_not_running" {
            return req.redirect(to: SiteURL.hunts(.show(.value(hunt.id!))).path)
        }
    }

    /// 12345678 → "12.345.678" (Vietnamese grouping; the English page uses the same).
    static func number(_ value: Int64) -> String {
        let digits = String(value)
        var out = ""
        for (index, char) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0, char != "-" { out.append(".") }
            out.append(char)
        }
        return String(out.reversed())
    }

    private static func form(req: Request, input: HuntInput, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let search = try await HuntRuleCatalogue.search(input.q ?? "", limit: 200, on: req.db)
        let checkedIds = (input.ruleIds ?? []).compactMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        let checked = try await HuntRuleCatalogue.rules(ids: checkedIds, on: req.db)
        let agencies = try await Agency.scoped(to: subject, on: req.db).sort(\.$name).range(0..<1000).all()
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
        let sources = try await HuntSources.choices(subject: subject, on: req.db)
        let enabled = try await DetectionRule.query(on: req.db).filter(\.$enabled == true).filter(\.$unsupportedReason == nil).count()
        var page = HuntForm.View(req: req, input: input, errors: errors, found: search.rules, foundTotal: search.total, checked: checked,
                                 enabledRules: enabled, agencies: agencies, systems: systems, sources: sources).render()
        page.status = status
        return page
    }
}
