import Foundation
import Detection
import Domain
import Fluent
import Plot
import Vapor

/// One alert: rule, host, window, counts, the kept events with their fields, triage forms and history.
enum AlertShow {
    struct Event {
        var ref: String
        var time: Date
        /// The snapshot's fields, sorted by name, values as text.
        var fields: [(String, String)]
        var raw: String
    }

    struct Model {
        let alert: DetectionAlert
        let rule: DetectionRule?
        let agency: Agency?
        let system: InformationSystem?
        let events: [Event]
        let history: [AlertHistoryEntry]
        /// The case the alert was promoted to, when the reader may open it.
        let incident: Incident?
        let subject: Subject
        let categories: [(code: String, title: String)]
        let agencies: [(id: UUID, name: String)]
    }

    static func events(of alert: DetectionAlert, on db: any Database) async throws -> [AlertEvent] {
        try await AlertEvent.query(on: db).filter(\.$alertId == alert.requireID()).sort(\.$position).all()
    }

    static func history(of alert: DetectionAlert, on db: any Database) async throws -> [AlertHistoryEntry] {
        try await AlertHistoryEntry.query(on: db).filter(\.$alertId == alert.requireID()).sort(\.$at).sort(\.$id).all()
    }

    /// The snapshot's fields, sorted by name (read back with the same JSON-lines reader events come in by).
    static func fields(_ snapshot: String) -> [(String, String)] {
        let bytes = Array(snapshot.utf8)
        guard let event = try? bytes.withUnsafeBytes({ buffer in try JSONLineEvent.parse(buffer, line: 1) }) else {
            return [("", snapshot)]
        }
        func text(_ value: EventValue) -> String {
            switch value {
            case .null: return "null"
            case .array(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
            default: return value.text ?? ""
            }
        }
        return event.fields.keys.sorted().map { ($0, text(event.fields[$0]!)) }
    }

    static func query(_ alert: DetectionAlert, req: Request) async throws -> Model {
        let db = req.db
        let subject = try req.requireSubject()
        let rule = try await DetectionRule.find(alert.ruleId, on: db)
        let agency = try await alert.agencyId.asyncFlatMap { try await Agency.find($0, on: db) }
        let system = try await alert.systemId.asyncFlatMap { try await InformationSystem.find($0, on: db) }
        let kept = try await events(of: alert, on: db)
        let incident = try await alert.incidentId.asyncFlatMap { try await Incident.visible($0, to: subject, on: db) }
        let now = Date()
        let categories = IncidentRulesBridge.categories(req.application.rules, at: now).categories.map { ($0.code, $0.title.text(req.lang)) }
        let agencies = alert.agencyId == nil
            ? try await Agency.scoped(to: subject, on: db).sort(\.$name).all().map { (id: $0.id!, name: $0.name) } : []
        return Model(alert: alert, rule: rule, agency: agency, system: system,
                     events: kept.map { Event(ref: $0.eventRef, time: $0.eventTime, fields: fields($0.snapshot), raw: $0.snapshot) },
                     history: try await history(of: alert, on: db), incident: incident, subject: subject, categories: categories, agencies: agencies)
    }

    struct View {
        let req: Request
        let model: Model
        var input = AlertsController.TriageForm()
        var errors: [String: String] = [:]

        func render() -> Page {
            let t = req.t
            let a = model.alert
            let canTriage = Policy.can(model.subject, .triageAlerts, .owned(agencyId: a.agencyId)) && a.statusValue.isOpen
            return Layout(req: req).page(title: a.ruleTitle, section: .detection, flash: FlashMessage.from(req), content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.alerts(.index).path, t("alerts.title"))]),
                .el("div", ["class": "page-head"], [
                    .el("div", [:], [
                        .el("h1", ["id": "alert-title"], [.txt(a.ruleTitle)]),
                        .el("p", [:], [DetectionBadges.level(a.level, t: t), .txt(" "), .el("span", ["id": "alert-status"], [AlertBadges.status(a.statusValue, t: t)])]),
                    ]),
                ]),
                DetectionTabs.bar(.alerts, req: req),
                facts(),
                canTriage ? triage() : .empty,
                events(),
                history(),
            ])
        }

        private func facts() -> Body {
            let t = req.t
            let a = model.alert
            var items: [(String, Body)] = [
                (t("alerts.rule"), model.rule.map { .link(SiteURL.sigmaRules(.show(.value($0.id!))).path, $0.title, id: "alert-rule") }
                    ?? .txt(a.ruleTitle)),
                (t("sigmaRules.ruleId"), .el("code", [:], [.txt(a.ruleSigmaId)])),
                (t("alerts.host"), .el("span", ["id": "alert-host"], [.txt(a.host ?? "—")])),
                (t("alerts.agency"), .txt(model.agency?.name ?? t("alerts.unknownSource"))),
                (t("alerts.system"), model.system.map { .link(SiteURL.system(.value($0.id!)).path, "\($0.code) · \($0.name)") } ?? .txt("—")),
                (t("alerts.window"), .txt("\(DisplayTime.dateTime(a.windowStart)) – \(DisplayTime.dateTime(a.windowEnd))")),
                (t("alerts.firstEvent"), .txt(DisplayTime.dateTime(a.firstEventAt))),
                (t("alerts.lastEvent"), .txt(DisplayTime.dateTime(a.lastEventAt))),
                (t("alerts.events"), .el("span", ["id": "alert-count"], [.txt(t("alerts.eventCount", String(a.eventCount), String(model.events.count)))])),
            ]
            if let reason = a.falsePositiveReason { items.append((t("alerts.falsePositiveReason"), .el("span", ["id": "alert-reason"], [.txt(reason)]))) }
            if let triaged = a.triagedAt { items.append((t("alerts.triaged"), .txt("\(DisplayTime.dateTime(triaged)) · \(a.triagedByName ?? "")"))) }
            if let incident = model.incident {
                items.append((t("alerts.incident"), .link(SiteURL.incidents(.show(.value(incident.id!))).path, "\(incident.number) · \(incident.title)",
                                                          id: "alert-incident")))
            } else if a.incidentId != nil {
                items.append((t("alerts.incident"), .txt(t("alerts.incidentNotVisible"))))
            }
            return .el("section", ["class": "card"], [
                .el("dl", ["class": "facts", "id": "alert-facts"], items.flatMap { [Body.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [$0.1])] }),
            ])
        }

        private func triage() -> Body {
            let t = req.t
            let a = model.alert
            let version = String(input.version ?? a.version)
            let action = SiteURL.alerts(.triage(.value(a.id!))).path
            func hidden(_ name: String, _ value: String) -> Body { .void("input", ["type": "hidden", "name": name, "value": value]) }
            let categories = model.categories.map { ($0.code, $0.title) }
            let suggested = AlertService.suggestedCategory(tags: model.rule?.tags ?? [])
            let user = req.currentUser
            return .el("section", ["class": "card", "id": "triage-card"], [
                .el("h2", [:], [.txt(t("alerts.triage"))]),
                errors["form"].map { .el("div", ["class": "flash error", "role": "alert", "id": "form-errors"], [.txt(t($0))]) } ?? .empty,
                a.statusValue == .new ? Forms.post(req, action: action, id: "acknowledge-form", cls: "inline", [
                    hidden("action", "acknowledge"), hidden("version", version),
                    .el("button", ["type": "submit", "id": "acknowledge", "class": "primary"], [.txt(t("alerts.action.acknowledge"))]),
                ]) : .empty,
                .el("details", ["id": "false-positive", "open": input.action == "false_positive" ? "" : nil], [
                    .el("summary", [:], [.txt(t("alerts.action.false_positive"))]),
                    Forms.post(req, action: action, id: "false-positive-form", [
                        hidden("action", "false_positive"), hidden("version", version),
                        Forms.textarea(name: "reason", label: t("alerts.reason"), value: input.action == "false_positive" ? input.reason : nil,
                                       error: input.action == "false_positive" ? errors["reason"].map { t($0) } : nil, hint: t("alerts.reasonHint"),
                                       rows: 3, required: true, maxLength: 4000, id: "fp-reason"),
                        Forms.submit(t("alerts.markFalsePositive"), id: "mark-false-positive"),
                    ]),
                ]),
                .el("details", ["id": "promote", "open": input.action == "promote" ? "" : nil], [
                    .el("summary", [:], [.txt(t("alerts.action.promote"))]),
                    .el("p", ["class": "hint"], [.txt(t("alerts.promoteHint"))]),
                    Forms.post(req, action: action, id: "promote-form", [
                        hidden("action", "promote"), hidden("version", version),
                        Forms.input(.init(name: "title", label: t("incidents.titleField"), value: input.title ?? AlertService.defaultTitle(a, lang: req.lang),
                                          error: errors["title"].map { t($0) }, required: true, maxLength: 300, id: "promote-title")),
                        Forms.select(name: "categoryCode", label: t("incidents.category"), options: categories,
                                     selected: input.categoryCode ?? suggested, error: errors["categoryCode"].map { t($0) }, required: true,
                                     id: "promote-category"),
                        a.agencyId == nil && model.system == nil
                            ? Forms.select(name: "agencyId", label: t("alerts.incidentAgency"), options: model.agencies.map { ($0.id.uuidString.lowercased(), $0.name) },
                                           selected: input.agencyId, error: errors["agencyId"].map { t($0) }, required: true,
                                           includeBlank: t("common.choose"), id: "promote-agency")
                            : .empty,
                        Forms.input(.init(name: "contactName", label: t("incidents.contactName"), value: input.contactName ?? user?.name,
                                          error: errors["contactName"].map { t($0) }, required: true, maxLength: 200, id: "promote-contact-name")),
                        Forms.input(.init(name: "contactPhone", label: t("incidents.contactPhone"), value: input.contactPhone ?? user?.phone,
                                          error: errors["contactPhone"].map { t($0) }, type: "tel", required: true, id: "promote-contact-phone")),
                        Forms.textarea(name: "description", label: t("incidents.description"),
                                       value: input.description ?? AlertService.defaultDescription(a, t: t), error: errors["description"].map { t($0) },
                                       rows: 5, required: true, maxLength: 20_000, id: "promote-description"),
                        errors["detectedAt"].map { .el("p", ["class": "error"], [.txt(t("incidents.detectedAt") + ": " + t($0))]) } ?? .empty,
                        errors["systemIds"].map { .el("p", ["class": "error"], [.txt(t("alerts.system") + ": " + t($0))]) } ?? .empty,
                        Forms.submit(t("alerts.promoteSubmit"), id: "promote-submit"),
                    ]),
                ]),
            ])
        }

        private func events() -> Body {
            let t = req.t
            let rows: [Body] = model.events.enumerated().map { index, e in
                .el("tr", [:], [
                    .el("td", [:], [.txt(String(index + 1))]),
                    .el("td", [:], [.txt(DisplayTime.dateTime(e.time))]),
                    .el("td", [:], [.el("code", [:], [.txt(e.ref)])]),
                    .el("td", [:], [
                        .el("details", [:], [
                            .el("summary", [:], [.txt(summary(e))]),
                            .el("dl", ["class": "facts small"], e.fields.flatMap { [Body.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [.txt($0.1)])] }),
                        ]),
                    ]),
                ])
            }
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("alerts.eventsTitle"))]),
                model.alert.eventCount > model.events.count
                    ? .el("p", ["class": "hint"], [.txt(t("alerts.eventsCapped", String(model.events.count), String(model.alert.eventCount)))]) : .empty,
                .el("div", ["class": "table-wrap"], [
                    .el("table", ["id": "alert-events"], [
                        .el("thead", [:], [.el("tr", [:], ["#", t("alerts.eventTime"), t("alerts.eventRef"), t("alerts.eventFields")]
                            .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                        .el("tbody", [:], rows),
                    ]),
                ]),
            ])
        }

        /// A one-line summary: the fields people look at first, when the event has them.
        private func summary(_ e: Event) -> String {
            let preferred = ["EventID", "Channel", "Image", "CommandLine", "TargetFilename", "User", "SubjectUserName", "TargetUserName",
                             "DestinationIp", "QueryName", "message", "appname"]
            let byName = Dictionary(e.fields, uniquingKeysWith: { a, _ in a })
            let parts = preferred.compactMap { key in byName[key].map { "\(key)=\($0.prefix(160))" } }.prefix(4)
            return parts.isEmpty ? req.t("alerts.fieldCount", String(e.fields.count)) : parts.joined(separator: " · ")
        }

        private func history() -> Body {
            let t = req.t
            let rows: [Body] = model.history.reversed().map { h in
                .el("tr", [:], [
                    .el("td", [:], [.txt(DisplayTime.dateTime(h.at))]),
                    .el("td", [:], [.txt(t("alerts.action.\(h.action)"))]),
                    .el("td", [:], [.txt(t("alerts.status.\(h.fromStatus)") + " → " + t("alerts.status.\(h.toStatus)"))]),
                    .el("td", [:], [.txt(h.note ?? "")]),
                    .el("td", [:], [.txt(h.actorName)]),
                ])
            }
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("alerts.history"))]),
                model.history.isEmpty ? .el("p", ["class": "muted", "id": "alert-history-empty"], [.txt(t("alerts.noHistory"))]) :
                    .el("div", ["class": "table-wrap"], [
                        .el("table", ["id": "alert-history"], [
                            .el("thead", [:], [.el("tr", [:], [t("alerts.when"), t("alerts.what"), t("alerts.status"), t("alerts.note"), t("alerts.who")]
                                .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                            .el("tbody", [:], rows),
                        ]),
                    ]),
            ])
        }
    }
}
