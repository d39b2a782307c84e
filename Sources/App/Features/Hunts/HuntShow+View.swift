import Foundation
import Detection
import Domain
import Plot
import Vapor

extension HuntShow {
    /// One hunt: progress while it runs (polled; a refresh link without JS), its parameters, the hits grouped by rule and
    /// indicator with their events' fields, and the systems with the assessments the hunt recorded.
    struct View {
        let req: Request
        let model: Model
        /// The first hits of each group (the overview), or nothing when one group is shown.
        let firstHits: [String: [HuntHit]]
        /// One group's hits, paged.
        let group: String?
        let groupHits: (hits: [HuntHit], total: Int)?
        let list: ListQuery

        func render() -> Page {
            let t = req.t
            let h = model.hunt
            let subject = req.subject!
            var content: [Body] = [
                .el("p", ["class": "crumbs"], [.link(SiteURL.hunts(.index).path, t("hunts.title")), .txt(" › " + h.name)]),
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(h.name)]),
                    HuntBadges.state(h.state, t: t),
                ]),
                DetectionTabs.bar(.hunts, req: req),
            ]
            if h.isRunning { content.append(progressCard(canCancel: Policy.can(subject, .runHunts))) }
            if h.state == HuntState.failed.rawValue {
                content.append(.el("div", ["class": "flash error", "role": "alert", "id": "hunt-error"], [
                    .txt(t("hunts.failedBecause", h.error ?? "—")),
                ]))
            }
            if h.state == HuntState.cancelled.rawValue {
                content.append(.el("p", ["class": "flash info", "id": "hunt-cancelled"], [.txt(t("hunts.cancelledNote"))]))
            }
            content.append(parameters())
            if let group { content.append(groupPage(group)) } else { content.append(results()) }
            content.append(systemsCard())
            return Layout(req: req).page(title: h.name, section: .detection, flash: FlashMessage.from(req), content: content)
        }

        private func progressCard(canCancel: Bool) -> Body {
            let t = req.t
            let h = model.hunt
            let note = model.reader.seesEverything && h.startedAt != nil
                ? t("hunts.progressNote", HuntsController.number(h.eventsScanned), HuntsController.number(max(h.eventsTotal, h.eventsScanned)),
                    HuntsController.number(h.hitsTotal))
                : nil
            return .el("section", ["class": "card", "id": "hunt-progress", "data-poll": SiteURL.hunts(.state(.value(h.id!))).path], [
                .el("h2", [:], [.txt(t("hunts.progressTitle"))]),
                .el("progress", ["max": "100", "value": String(model.progress), "id": "hunt-progress-bar"], [.txt("\(model.progress)%")]),
                .el("p", ["id": "hunt-progress-note", "role": "status"], [
                    .txt("\(model.progress)%" + (note.map { " · " + $0 } ?? (h.startedAt == nil ? " · " + t("hunts.waiting") : ""))),
                ]),
                .el("div", ["class": "buttons"], [
                    .link(SiteURL.hunts(.show(.value(h.id!))).path, t("hunts.refresh"), id: "hunt-refresh", cls: "button"),
                    canCancel ? Forms.postButton(req, action: SiteURL.hunts(.cancel(.value(h.id!))).path, label: t("hunts.cancel"), id: "hunt-cancel",
                                                 cls: "danger", confirm: t("hunts.cancelConfirm")) : .empty,
                ]),
            ])
        }

        private func parameters() -> Body {
            let t = req.t
            let h = model.hunt
            let lang = req.lang
            var rules: Body = .txt(t("hunts.noRules"))
            if !model.rules.isEmpty {
                let (vi, en) = HuntText.ruleChoice(h, count: model.rules.count)
                rules = .el("details", ["id": "hunt-rule-list"], [
                    .el("summary", [:], [.txt(t("hunts.rulesCount", String(model.rules.count)) + " · " + (lang == .vi ? vi : en))]),
                    .el("ul", ["class": "plain"], model.rules.prefix(500).map { r in
                        .el("li", [:], [.txt(r.title + " "), HuntBadges.level(r.level, t: t), .el("span", ["class": "muted"], [.txt(" " + r.ruleId)])])
                    } + (model.rules.count > 500 ? [.el("li", [:], [.txt("…")])] : [])),
                ])
            }
            var indicators: Body = .txt(t("hunts.noIndicators"))
            if !model.indicators.isEmpty {
                indicators = .el("details", ["id": "hunt-indicator-list"], [
                    .el("summary", [:], [.txt(t("hunts.indicatorsCount", String(model.indicators.count)))]),
                    .el("ul", ["class": "plain"], model.indicators.prefix(1000).map { i in
                        .el("li", [:], [.el("code", [:], [.txt(i.value)]), .txt(" · " + t("hunts.kind.\(i.kind.rawValue)"))])
                    }),
                ])
            }
            var scope: [Body] = []
            if h.scopeAll {
                scope.append(.txt(t(model.reader.seesEverything ? "hunts.scopeAll" : "hunts.scopeAllOfficer")))
            } else {
                if !model.scopeAgencies.isEmpty { scope.append(.el("p", [:], [.txt(t("hunts.agencies") + ": " + model.scopeAgencies.map(\.name).joined(separator: ", "))])) }
                if !model.scopeSystems.isEmpty {
                    scope.append(.el("p", [:], [.txt(t("hunts.systems") + ": ")] + model.scopeSystems.map { s in
                        Body.group([.link(SiteURL.system(.value(s.id!)).path, "\(s.code) · \(s.name)"), .txt(" ")])
                    }))
                }
                if !model.scopeSources.isEmpty { scope.append(.el("p", [:], [.txt(t("hunts.sources") + ": " + model.scopeSources.map(\.name).joined(separator: ", "))])) }
                if scope.isEmpty { scope.append(.txt("—")) }
            }
            var facts: [(String, Body)] = [
                (t("hunts.purpose"), .txt(h.purpose ?? "—")),
                (t("hunts.rulesTitle"), rules),
            ]
            if h.rulesUnsupported > 0 { facts.append((t("hunts.unsupportedLeftOut"), .txt(String(h.rulesUnsupported)))) }
            facts += [
                (t("hunts.indicatorsTitle"), indicators),
                (t("hunts.rangeTitle"), .txt("\(DisplayTime.dateTime(h.fromAt)) – \(DisplayTime.dateTime(h.toAt))")),
                (t("hunts.scopeTitle"), .group(scope)),
                (t("hunts.startedBy"), .txt("\(HuntText.person(h.createdByName)) · \(h.createdAt.map(DisplayTime.dateTime) ?? "—")")),
                (t("hunts.finishedAt"), .txt(h.finishedAt.map(DisplayTime.dateTime) ?? "—")),
            ]
            if model.reader.seesEverything {
                facts.append((t("hunts.eventsScanned"), .txt(t("hunts.eventsOf", HuntsController.number(h.eventsScanned),
                                                                 HuntsController.number(max(h.eventsTotal, h.eventsScanned))))))
            }
            return .el("section", ["class": "card", "id": "hunt-parameters"], [
                .el("h2", [:], [.txt(t("hunts.parametersTitle"))]),
                .el("dl", ["class": "facts"], facts.flatMap { label, value in [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }),
            ])
        }

        private func results() -> Body {
            let t = req.t
            let h = model.hunt
            var sections: [Body] = [
                .el("h2", [:], [.txt(t("hunts.resultsTitle"))]),
                .el("p", ["id": "hunt-hit-summary"], [.txt(t(model.reader.seesEverything ? "hunts.hitSummary" : "hunts.hitSummaryOfficer",
                                                             HuntsController.number(model.hitsTotal), HuntsController.number(Int64(model.hitsStored))))]),
            ]
            if model.hitsTotal > Int64(model.hitsStored) {
                sections.append(.el("p", ["class": "hint"], [.txt(t("hunts.storedLimit", String(HuntRunner.maxStoredHits), String(HuntRunner.maxStoredHitsPerGroup)))]))
            }
            if model.groups.isEmpty {
                sections.append(.el("p", ["class": "empty", "id": "hunt-no-hits"], [.txt(t(h.isRunning ? "hunts.noHitsYet" : "hunts.noHits"))]))
            }
            for (index, g) in model.groups.enumerated() {
                let hits = firstHits[g.groupKey] ?? []
                sections.append(.el("section", ["class": "hit-group", "id": "group-\(index + 1)", "data-group": g.groupKey], [
                    .el("h3", [:], [.txt(groupTitle(g) + " "), HuntBadges.level(g.level, t: t),
                                    .el("span", ["class": "badge muted"], [.txt(t("hunts.hitsCount", HuntsController.number(g.hits)))])]),
                    g.ruleId.map { .el("p", ["class": "muted"], [.txt(t("hunts.ruleIdLabel", $0))]) } ?? .empty,
                    hits.isEmpty ? .empty : hitTable(hits),
                    g.stored > hits.count
                        ? .link(SiteURL.hunts(.show(.value(h.id!))).path(query: ["group": g.groupKey]) + "#hunt-group", t("hunts.allHitsOfGroup", String(g.stored)),
                                cls: "button")
                        : .empty,
                ]))
            }
            return .el("section", ["class": "card", "id": "hunt-results"], sections)
        }

        private func groupPage(_ key: String) -> Body {
            let t = req.t
            let h = model.hunt
            guard let g = model.groups.first(where: { $0.groupKey == key }), let page = groupHits else { return .empty }
            return .el("section", ["class": "card", "id": "hunt-group"], [
                .el("p", [:], [.link(SiteURL.hunts(.show(.value(h.id!))).path, "‹ " + t("hunts.backToResults"))]),
                .el("h2", [:], [.txt(groupTitle(g) + " "), HuntBadges.level(g.level, t: t),
                                .el("span", ["class": "badge muted"], [.txt(t("hunts.hitsCount", HuntsController.number(g.hits)))])]),
                hitTable(page.hits),
                Tables.pagination(base: .hunts(.show(.value(h.id!))), query: list, total: page.total, t: t),
            ])
        }

        private func groupTitle(_ g: Group) -> String {
            g.kind == "rule" ? g.label : req.t("hunts.indicatorGroup", req.t("hunts.kind.\(g.indicatorKind ?? "string")"), g.label)
        }

        /// The hits with their events: time, host, system, where an indicator was found, and every field on demand.
        private func hitTable(_ hits: [HuntHit]) -> Body {
            let t = req.t
            let rows: [Body] = hits.map { hit in
                let fields = HuntShow.fields(hit.snapshot)
                let headline = HuntShow.headline(fields)
                return .el("tr", [:], [
                    .el("td", [:], [.txt(DisplayTime.dateTime(hit.eventTime))]),
                    .el("td", [:], [.txt(hit.host ?? "—")]),
                    .el("td", [:], [hit.systemId.flatMap { sid in model.systems.first { $0.system.id == sid }.map { line in
                                        Body.el("a", ["href": SiteURL.system(.value(sid)).path, "title": line.system.name], [.txt(line.system.code)]) } }
                                    ?? .txt(hit.agencyId.flatMap { model.agencyNames[$0] } ?? (hit.agencyId == nil ? t("hunts.unassigned") : "—"))]),
                    .el("td", [:], [hit.field.map { .el("code", [:], [.txt($0)]) } ?? .txt("—")]),
                    .el("td", [:], [
                        .el("details", [:], [
                            .el("summary", [:], [.txt(headline.isEmpty ? t("hunts.eventFields", String(fields.count)) : headline)]),
                            .el("table", ["class": "fields"], [
                                .el("tbody", [:], fields.map { key, value in
                                    .el("tr", [:], [.el("th", ["scope": "row"], [.txt(key)]), .el("td", [:], [.el("code", [:], [.txt(String(value.prefix(4000)))])])])
                                }),
                            ]),
                            .el("p", ["class": "muted"], [.txt(t("hunts.eventRef", hit.eventId))]),
                        ]),
                    ]),
                ])
            }
            return .el("div", ["class": "table-wrap"], [
                .el("table", ["class": "hits"], [
                    .el("thead", [:], [.el("tr", [:], [t("hunts.eventTime"), t("hunts.host"), t("hunts.system"), t("hunts.field"), t("hunts.event")]
                        .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
            ])
        }

        private func systemsCard() -> Body {
            let t = req.t
            let h = model.hunt
            let rows: [[Body]] = model.systems.map { line in
                [
                    .link(SiteURL.system(.value(line.system.id!)).path, "\(line.system.code) · \(line.system.name)"),
                    .txt(model.agencyNames[line.system.$agency.id] ?? "—"),
                    .txt(HuntsController.number(line.hits)),
                    line.assessmentId.map { .link(SiteURL.proactive(.assessment(.value($0))).path, t("hunts.assessmentLink")) }
                        ?? .txt(h.state == HuntState.completed.rawValue ? "—" : t("hunts.assessmentPending")),
                ]
            }
            return .el("section", ["class": "card", "id": "hunt-systems"], [
                .el("h2", [:], [.txt(t("hunts.systemsTitle"))]),
                .el("p", ["class": "hint"], [.txt(t("hunts.systemsHint"))]),
                Tables.table(id: "hunt-system-table", base: .hunts(.show(.value(h.id!))), query: list, columns: [
                    .init(label: t("hunts.system")), .init(label: t("hunts.agency")), .init(label: t("hunts.hits")), .init(label: t("hunts.assessment")),
                ], rows: rows, empty: t(h.state == HuntState.completed.rawValue ? "hunts.noSystems" : "hunts.systemsPending")),
            ])
        }
    }

    /// A short line for an event: what Windows and syslog events say first.
    static func headline(_ fields: [(String, String)]) -> String {
        let map = Dictionary(fields, uniquingKeysWith: { a, _ in a })
        var parts: [String] = []
        if let id = map["EventID"] { parts.append("EventID \(id)") }
        if let channel = map["Channel"] { parts.append(channel) }
        for key in ["CommandLine", "ScriptBlockText", "Image", "TargetUserName", "message", "QueryName", "DestinationIp"] {
            if let value = map[key], !value.isEmpty { parts.append(value.count > 60 ? String(value.prefix(60)) + "…" : value); break }
        }
        return parts.joined(separator: " · ")
    }
}
