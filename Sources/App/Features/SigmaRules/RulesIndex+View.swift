import Foundation
import Domain
import Plot
import Vapor

extension RulesIndex {
    /// `GET /detection/rules`: figures, filters, the bulk form (managers) and the table with each rule's switch.
    static func page(req: Request, bulkErrors: [String: String] = [:], status: HTTPResponseStatus = .ok) async throws -> Page {
        let list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: sortKeys, defaultPer: 50)
        let errors = validate(list)
        let model = errors.isEmpty ? try await query(list, on: req.db)
            : Model(rules: [], total: 0, figures: try await figures(on: req.db), list: list)
        let sources = try await logSources(on: req.db)
        var page = View(req: req, model: model, filterErrors: errors.messages, sources: sources, bulkErrors: bulkErrors).render()
        page.status = errors.isEmpty ? status : .unprocessableEntity
        return page
    }

    struct View {
        let req: Request
        let model: Model
        let filterErrors: [String: String]
        let sources: (products: [String], categories: [String], services: [String])
        let bulkErrors: [String: String]

        func render() -> Page {
            let t = req.t
            let canManage = Policy.can(req.subject!, .manageRules)
            let list = model.list
            var columns: [Tables.Column] = canManage ? [.init(label: t("sigmaRules.select"))] : []
            columns += [
                .init(label: t("sigmaRules.level"), sortKey: "level"), .init(label: t("sigmaRules.ruleTitle"), sortKey: "title"),
                .init(label: t("sigmaRules.tags")), .init(label: t("sigmaRules.logsource")), .init(label: t("sigmaRules.status"), sortKey: "status"),
                .init(label: t("sigmaRules.lastHit"), sortKey: "lastHit"), .init(label: t("sigmaRules.hits"), sortKey: "hits"),
                .init(label: t("sigmaRules.enabled")),
            ]
            let back = SiteURL.sigmaRules(.index).path(query: list.queryItems())
            let rows: [[Body]] = model.rules.map { rule in
                var cells: [Body] = []
                if canManage {
                    cells.append(.el("label", ["class": "check"], [
                        .void("input", ["type": "checkbox", "name": "ids[]", "value": rule.id!.uuidString.lowercased(), "form": "bulk-form",
                                        "aria-label": t("sigmaRules.selectOne", rule.title)]),
                    ]))
                }
                cells += [
                    DetectionBadges.level(rule.level, t: t),
                    .el("span", [:], [
                        .link(SiteURL.sigmaRules(.show(.value(rule.id!))).path, rule.title),
                        rule.unsupportedReason.map { _ in .el("span", ["class": "badge muted"], [.txt(" " + t("sigmaRules.unsupported"))]) } ?? .empty,
                    ]),
                    .el("span", ["class": "small"], [.txt(DetectionBadges.attackTags(rule.tags).joined(separator: " "))]),
                    .el("span", ["class": "small"], [.txt(DetectionBadges.logsource(rule))]),
                    .txt(rule.status.map { RulesIndex.sigmaStatuses.contains($0) ? t("sigmaRules.sigmaStatus.\($0)") : $0 } ?? "—"),
                    .txt(rule.lastHitAt.map(DisplayTime.dateTime) ?? "—"),
                    .txt(String(rule.hitCount)),
                    toggle(rule, back: back, canManage: canManage),
                ]
                return cells
            }
            return Layout(req: req).page(title: t("sigmaRules.title"), section: .detection, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("sigmaRules.title"))]),
                    canManage ? .el("div", ["class": "buttons"], [
                        .el("a", ["class": "button primary", "href": SiteURL.sigmaRules(.importRules).path, "id": "import-rules"], [.txt(t("sigmaRules.import"))]),
                    ]) : .empty,
                ]),
                DetectionTabs.bar(.rules, req: req),
                .el("p", ["class": "muted"], [.txt(t("sigmaRules.intro"))]),
                figures(),
                filters(list),
                Forms.errorSummary(filterErrors, t: t),
                canManage ? bulkForm(list) : .empty,
                .el("p", ["class": "muted", "id": "rules-total"], [.txt(t("sigmaRules.total", String(model.total)))]),
                Tables.table(id: "rules", base: .sigmaRules(.index), query: list, columns: columns, rows: rows, empty: t("sigmaRules.empty")),
                Tables.pagination(base: .sigmaRules(.index), query: list, total: model.total, t: t),
            ])
        }

        private func figures() -> Body {
            let t = req.t
            let f = model.figures
            let base = SiteURL.sigmaRules(.index)
            func stat(_ value: Int, _ label: String, _ query: [String: String], id: String) -> Body {
                .el("div", ["class": "stat", "id": id], [.el("span", ["class": "number"], [.txt(String(value))]), .link(base.path(query: query), label)])
            }
            return .el("section", ["class": "stats", "id": "rule-figures", "aria-label": t("sigmaRules.figures")], [
                stat(f.total, t("sigmaRules.figureTotal"), [:], id: "stat-rules"),
                stat(f.active, t("sigmaRules.figureActive"), ["enabled": "yes", "supported": "yes"], id: "stat-active"),
                stat(f.disabled, t("sigmaRules.figureDisabled"), ["enabled": "no"], id: "stat-disabled"),
                stat(f.unsupported, t("sigmaRules.figureUnsupported"), ["supported": "no"], id: "stat-unsupported"),
                stat(f.withHits, t("sigmaRules.figureWithHits"), ["hits": "yes"], id: "stat-hits"),
            ])
        }

        /// The switch of one row: a small form that flips the flag (with the version it shows).
        private func toggle(_ rule: DetectionRule, back: String, canManage: Bool) -> Body {
            let t = req.t
            let state: Body = rule.enabled
                ? .el("span", ["class": "badge ok"], [.txt(t("sigmaRules.on"))])
                : .el("span", ["class": "badge muted"], [.txt(t("sigmaRules.off"))])
            guard canManage, rule.enabled || rule.isSupported else { return state }
            return .el("span", [:], [
                state, .txt(" "),
                .el("form", ["method": "post", "action": SiteURL.sigmaRules(.settings(.value(rule.id!))).path, "class": "inline"], [
                    .void("input", ["type": "hidden", "name": CSRF.fieldName, "value": CSRF.token(for: req)]),
                    .void("input", ["type": "hidden", "name": "enabled", "value": rule.enabled ? "false" : "true"]),
                    .void("input", ["type": "hidden", "name": "version", "value": String(rule.version)]),
                    .void("input", ["type": "hidden", "name": "next", "value": back]),
                    .el("button", ["type": "submit", "class": "link", "aria-label": t(rule.enabled ? "sigmaRules.disableOne" : "sigmaRules.enableOne", rule.title)],
                        [.txt(t(rule.enabled ? "sigmaRules.disable" : "sigmaRules.enable"))]),
                ]),
            ])
        }

        private func filters(_ list: ListQuery) -> Body {
            let t = req.t
            func yesNo(_ key: String, _ label: String) -> Body {
                Forms.select(name: key, label: label, options: [("yes", t("common.yes")), ("no", t("common.no"))], selected: list.filters[key],
                             error: filterErrors[key].map { t($0) }, includeBlank: t("common.all"))
            }
            func choices(_ key: String, _ label: String, _ values: [String]) -> Body {
                values.isEmpty ? .empty : Forms.select(name: key, label: label, options: values.map { ($0, $0) }, selected: list.filters[key]?.lowercased(),
                                                       error: nil, includeBlank: t("common.all"))
            }
            return .el("form", ["method": "get", "action": SiteURL.sigmaRules(.index).path, "class": "filters", "role": "search", "id": "rules-filters"], [
                .el("label", ["for": "q"], [.txt(t("common.search"))]),
                .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? "", "placeholder": t("sigmaRules.searchHint")]),
                Forms.select(name: "level", label: t("sigmaRules.level"),
                             options: DetectionLevel.allCases.reversed().map { ($0.rawValue, t("sigmaRules.level.\($0.rawValue)")) },
                             selected: list.filters["level"], error: filterErrors["level"].map { t($0) }, includeBlank: t("common.all")),
                Forms.select(name: "status", label: t("sigmaRules.status"), options: sigmaStatuses.map { ($0, t("sigmaRules.sigmaStatus.\($0)")) },
                             selected: list.filters["status"], error: filterErrors["status"].map { t($0) }, includeBlank: t("common.all")),
                Forms.input(.init(name: "tag", label: t("sigmaRules.tag"), value: list.filters["tag"], error: nil, placeholder: "attack.t1059")),
                choices("product", t("sigmaRules.product"), sources.products),
                choices("category", t("sigmaRules.category"), sources.categories),
                choices("service", t("sigmaRules.service"), sources.services),
                yesNo("enabled", t("sigmaRules.enabled")),
                yesNo("supported", t("sigmaRules.supported")),
                yesNo("hits", t("sigmaRules.hasHits")),
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ])
        }

        /// Enable or disable the checked rules, or all the rules the filters select.
        private func bulkForm(_ list: ListQuery) -> Body {
            let t = req.t
            let back = SiteURL.sigmaRules(.index).path(query: list.queryItems())
            var hidden: [Body] = [.void("input", ["type": "hidden", "name": "next", "value": back])]
            for (key, value) in list.filters.sorted(by: { $0.key < $1.key }) {
                hidden.append(.void("input", ["type": "hidden", "name": "filter_" + key, "value": value]))
            }
            return .el("details", ["class": "card", "id": "bulk", "open": bulkErrors.isEmpty ? nil : ""], [
                .el("summary", [:], [.txt(t("sigmaRules.bulkTitle"))]),
                Forms.post(req, action: SiteURL.sigmaRules(.bulk).path, id: "bulk-form", hidden + [
                    Forms.errorSummary(bulkErrors, t: t),
                    bulkErrors["ids"].map { .el("p", ["class": "error", "id": "ids-error"], [.txt(t($0))]) } ?? .empty,
                    .el("p", ["class": "hint"], [.txt(t("sigmaRules.bulkHint", String(model.total)))]),
                    Forms.select(name: "scope", label: t("sigmaRules.bulkScope"),
                                 options: [("selected", t("sigmaRules.bulkSelected")), ("filtered", t("sigmaRules.bulkFiltered", String(model.total)))],
                                 selected: "selected", error: nil, id: "bulk-scope"),
                    .el("div", ["class": "actions"], [
                        .el("button", ["type": "submit", "name": "enabled", "value": "true", "id": "bulk-enable", "class": "primary"],
                            [.txt(t("sigmaRules.bulkEnable"))]),
                        .el("button", ["type": "submit", "name": "enabled", "value": "false", "id": "bulk-disable"], [.txt(t("sigmaRules.bulkDisable"))]),
                    ]),
                ]),
            ])
        }
    }
}

/// Badges and short texts of rules and alerts.
enum DetectionBadges {
    static func level(_ level: String?, t: Localizer) -> Body {
        guard let level, let known = DetectionLevel(rawValue: level) else { return .el("span", ["class": "badge muted"], [.txt("—")]) }
        let cls = switch known {
        case .critical, .high: "danger"
        case .medium: "warn"
        case .low: "ok"
        case .informational: "muted"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("sigmaRules.level.\(known.rawValue)"))])
    }

    /// ATT&CK tags, technique ids upper-cased as ATT&CK writes them (`T1059.001`, `execution`).
    static func attackTags(_ tags: [String]) -> [String] {
        tags.filter { $0.hasPrefix("attack.") }.map { tag in
            let name = String(tag.dropFirst("attack.".count))
            return name.first == "t" && name.dropFirst().first?.isNumber == true ? name.uppercased() : name
        }
    }

    static func logsource(_ rule: DetectionRule) -> String {
        let parts = [rule.product, rule.service, rule.category].compactMap { $0 }
        return parts.isEmpty ? "—" : parts.joined(separator: " / ")
    }
}
