import Foundation
import Domain
import Plot
import Vapor

extension AlertsIndex {
    /// `GET /alerts`, the detection landing page.
    static func page(req: Request, bulkInput: AlertsController.BulkForm? = nil, bulkErrors: [String: String] = [:],
                     status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: sortKeys, defaultPer: 50)
        let errors = validate(list)
        let model = errors.isEmpty ? try await query(subject: subject, list: list, on: req.db) : Model(rows: [], total: 0, counts: [:], list: list)
        let agencies = try await Agency.scoped(to: subject, on: req.db).sort(\.$name).all().map { (id: $0.id!, name: $0.name) }
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
            .map { (id: $0.id!, label: "\($0.code) · \($0.name)") }
        var page = View(req: req, model: model, filterErrors: errors.messages, agencies: agencies, systems: systems,
                        bulkInput: bulkInput, bulkErrors: bulkErrors).render()
        page.status = errors.isEmpty ? status : .unprocessableEntity
        return page
    }

    struct View {
        let req: Request
        let model: Model
        let filterErrors: [String: String]
        let agencies: [(id: UUID, name: String)]
        let systems: [(id: UUID, label: String)]
        let bulkInput: AlertsController.BulkForm?
        let bulkErrors: [String: String]

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let canTriage = Policy.can(subject, .triageAlerts)
            let list = model.list
            var columns: [Tables.Column] = canTriage ? [.init(label: t("alerts.select"))] : []
            columns += [
                .init(label: t("alerts.level"), sortKey: "level"), .init(label: t("alerts.rule"), sortKey: "rule"),
                .init(label: t("alerts.host"), sortKey: "host"), .init(label: t("alerts.owner")),
                .init(label: t("alerts.events"), sortKey: "events"), .init(label: t("alerts.firstEvent"), sortKey: "firstEvent"),
                .init(label: t("alerts.lastEvent"), sortKey: "lastEvent"), .init(label: t("alerts.status")),
            ]
            let rows: [[Body]] = model.rows.map { row in
                let a = row.alert
                var cells: [Body] = []
                if canTriage {
                    cells.append(a.statusValue.isOpen ? .el("label", ["class": "check"], [
                        .void("input", ["type": "checkbox", "name": "ids[]", "value": a.id!.uuidString.lowercased(), "form": "bulk-form",
                                        "aria-label": t("alerts.selectOne", a.ruleTitle, a.host ?? "—")]),
                    ]) : .empty)
                }
                cells += [
                    DetectionBadges.level(a.level, t: t),
                    .link(SiteURL.alerts(.show(.value(a.id!))).path, a.ruleTitle),
                    .txt(a.host ?? "—"),
                    .el("span", ["class": "small"], [.txt([row.agencyName, row.systemLabel].compactMap { $0 }.joined(separator: " · ").nonEmpty
                        ?? t("alerts.unknownSource"))]),
                    .txt(String(a.eventCount)),
                    .txt(DisplayTime.dateTime(a.firstEventAt)),
                    .txt(DisplayTime.dateTime(a.lastEventAt)),
                    AlertBadges.status(a.statusValue, t: t),
                ]
                return cells
            }
            return Layout(req: req).page(title: t("alerts.title"), section: .detection, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [.el("h1", [:], [.txt(t("alerts.title"))])]),
                DetectionTabs.bar(.alerts, req: req),
                .el("p", ["class": "muted"], [.txt(t("alerts.intro"))]),
                counts(list),
                filters(list),
                Forms.errorSummary(filterErrors, t: t),
                canTriage ? bulkForm(list) : .empty,
                .el("p", ["class": "muted", "id": "alerts-total"], [.txt(t("alerts.total", String(model.total)))]),
                Tables.table(id: "alerts", base: .alerts(.index), query: list, columns: columns, rows: rows, empty: t("alerts.empty")),
                Tables.pagination(base: .alerts(.index), query: list, total: model.total, t: t),
            ])
        }

        /// Alerts per status under the other filters; each figure links to that status.
        private func counts(_ list: ListQuery) -> Body {
            let t = req.t
            var without = list.filters
            without["status"] = nil
            let stats: [Body] = AlertStatus.allCases.map { status in
                var query = without
                query["status"] = status.rawValue
                return .el("div", ["class": "stat", "id": "count-\(status.rawValue)"], [
                    .el("span", ["class": "number"], [.txt(String(model.counts[status] ?? 0))]),
                    .link(SiteURL.alerts(.index).path(query: query), t("alerts.status.\(status.rawValue)")),
                ])
            }
            return .el("section", ["class": "stats", "id": "alert-counts", "aria-label": t("alerts.counts")], stats)
        }

        private func filters(_ list: ListQuery) -> Body {
            let t = req.t
            var agencyOptions = agencies.map { ($0.id.uuidString.lowercased(), $0.name) }
            if Policy.readScope(for: req.subject!).agencyIds == nil { agencyOptions.append(("none", t("alerts.unknownSource"))) }
            return .el("form", ["method": "get", "action": SiteURL.alerts(.index).path, "class": "filters", "role": "search", "id": "alerts-filters"], [
                Forms.select(name: "status", label: t("alerts.status"),
                             options: [("open", t("alerts.statusOpen")), ("all", t("alerts.statusAll"))]
                                + AlertStatus.allCases.map { ($0.rawValue, t("alerts.status.\($0.rawValue)")) },
                             selected: list.filters["status"] ?? "open", error: filterErrors["status"].map { t($0) }),
                Forms.select(name: "level", label: t("alerts.level"),
                             options: DetectionLevel.allCases.reversed().map { ($0.rawValue, t("sigmaRules.level.\($0.rawValue)")) },
                             selected: list.filters["level"], error: filterErrors["level"].map { t($0) }, includeBlank: t("common.all")),
                Forms.input(.init(name: "host", label: t("alerts.host"), value: list.filters["host"], error: nil)),
                agencyOptions.count > 1 ? Forms.select(name: "agency", label: t("alerts.agency"), options: agencyOptions,
                                                       selected: list.filters["agency"]?.lowercased(), error: filterErrors["agency"].map { t($0) },
                                                       includeBlank: t("common.all")) : .empty,
                Forms.select(name: "system", label: t("alerts.system"), options: systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                             selected: list.filters["system"]?.lowercased(), error: filterErrors["system"].map { t($0) }, includeBlank: t("common.all")),
                Forms.input(.init(name: "from", label: t("alerts.from"), value: list.filters["from"], error: filterErrors["from"].map { t($0) }, type: "date")),
                Forms.input(.init(name: "to", label: t("alerts.to"), value: list.filters["to"], error: filterErrors["to"].map { t($0) }, type: "date")),
                list.filters["rule"].map { .void("input", ["type": "hidden", "name": "rule", "value": $0]) } ?? .empty,
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ])
        }

        private func bulkForm(_ list: ListQuery) -> Body {
            let t = req.t
            let back = SiteURL.alerts(.index).path(query: list.queryItems())
            return .el("details", ["class": "card", "id": "bulk", "open": bulkErrors.isEmpty ? nil : ""], [
                .el("summary", [:], [.txt(t("alerts.bulkTitle"))]),
                Forms.post(req, action: SiteURL.alerts(.bulk).path, id: "bulk-form", [
                    .void("input", ["type": "hidden", "name": "next", "value": back]),
                    Forms.errorSummary(bulkErrors, t: t),
                    bulkErrors["ids"].map { .el("p", ["class": "error", "id": "ids-error"], [.txt(t($0))]) } ?? .empty,
                    .el("p", ["class": "hint"], [.txt(t("alerts.bulkHint"))]),
                    Forms.select(name: "action", label: t("alerts.bulkAction"),
                                 options: [("acknowledge", t("alerts.action.acknowledge")), ("false_positive", t("alerts.action.false_positive"))],
                                 selected: bulkInput?.action ?? "acknowledge", error: bulkErrors["action"].map { t($0) }, id: "bulk-action"),
                    Forms.textarea(name: "reason", label: t("alerts.reason"), value: bulkInput?.reason, error: bulkErrors["reason"].map { t($0) },
                                   hint: t("alerts.reasonHint"), rows: 2, maxLength: 4000, id: "bulk-reason"),
                    Forms.submit(t("alerts.bulkSubmit"), id: "bulk-submit"),
                ]),
            ])
        }
    }
}

enum AlertBadges {
    static func status(_ status: AlertStatus, t: Localizer) -> Body {
        let cls = switch status {
        case .new: "danger"
        case .acknowledged: "warn"
        case .falsePositive: "muted"
        case .promoted: "ok"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("alerts.status.\(status.rawValue)"))])
    }
}

fileprivate extension String {
    /// Nil for an empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
