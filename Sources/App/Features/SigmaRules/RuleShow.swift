import Foundation
import Detection
import Domain
import Fluent
import Plot
import Vapor

/// One rule: metadata, the unsupported reason, settings (managers), its YAML and its recent alerts within the reader's scope.
enum RuleShow {
    struct Model {
        let rule: DetectionRule
        /// From the YAML parsed again (references, false positives, dates are not columns).
        let parsed: SigmaRule?
        let alerts: [DetectionAlert]
        let alertTotal: Int
        let subject: Subject
    }

    static func query(_ rule: DetectionRule, subject: Subject, on db: any Database) async throws -> Model {
        let alerts = DetectionAlert.scoped(to: subject, on: db).filter(\.$ruleId == (try rule.requireID()))
        let total = try await alerts.count()
        let recent = try await alerts.sort(\.$lastEventAt, .descending).sort(\.$id).limit(20).all()
        let parsed = (try? SigmaRuleLoader.parse(yaml: rule.yaml, origin: rule.origin))?.first { $0.id == rule.ruleId }
        return Model(rule: rule, parsed: parsed, alerts: recent, alertTotal: total, subject: subject)
    }

    struct View {
        let req: Request
        let model: Model
        var input = DetectionRuleService.SettingsInput()
        var errors: [String: String] = [:]

        func render() -> Page {
            let t = req.t
            let rule = model.rule
            return Layout(req: req).page(title: rule.title, section: .detection, flash: FlashMessage.from(req), content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.sigmaRules(.index).path, t("sigmaRules.title"))]),
                .el("div", ["class": "page-head"], [
                    .el("div", [:], [
                        .el("h1", ["id": "rule-title"], [.txt(rule.title)]),
                        .el("p", [:], [
                            DetectionBadges.level(rule.level, t: t), .txt(" "),
                            rule.enabled ? .el("span", ["class": "badge ok", "id": "rule-state"], [.txt(t("sigmaRules.on"))])
                                : .el("span", ["class": "badge muted", "id": "rule-state"], [.txt(t("sigmaRules.off"))]),
                        ]),
                    ]),
                ]),
                DetectionTabs.bar(.rules, req: req),
                rule.unsupportedReason.map { reason in
                    .el("div", ["class": "flash error", "role": "status", "id": "rule-unsupported"], [
                        .el("p", [:], [.txt(t("sigmaRules.unsupportedExplained"))]),
                        .el("p", [:], [.el("strong", [:], [.txt(reason)])]),
                    ])
                } ?? .empty,
                facts(),
                rule.details.map { text in
                    .el("section", ["class": "card"], [.el("h2", [:], [.txt(t("sigmaRules.description"))]),
                                                       .el("p", ["class": "prewrap", "id": "rule-description"], [.txt(text)])])
                } ?? .empty,
                extras(),
                Policy.can(model.subject, .manageRules) ? settings() : .empty,
                alerts(),
                .el("section", ["class": "card"], [
                    .el("h2", [:], [.txt(t("sigmaRules.yaml"))]),
                    .el("pre", ["class": "prewrap", "id": "rule-yaml"], [.txt(rule.yaml)]),
                ]),
            ])
        }

        private func facts() -> Body {
            let t = req.t
            let rule = model.rule
            var items: [(String, Body)] = [
                (t("sigmaRules.ruleId"), .el("code", ["id": "rule-id"], [.txt(rule.ruleId)])),
                (t("sigmaRules.status"), .txt(rule.status.map { RulesIndex.sigmaStatuses.contains($0) ? t("sigmaRules.sigmaStatus.\($0)") : $0 } ?? "—")),
                (t("sigmaRules.logsource"), .txt(DetectionBadges.logsource(rule))),
                (t("sigmaRules.tags"), .el("span", ["id": "rule-tags"], [.txt(rule.tags.joined(separator: " "))])),
                (t("sigmaRules.author"), .txt(rule.author ?? "—")),
                (t("sigmaRules.origin"), .el("code", [:], [.txt(rule.origin)])),
                (t("sigmaRules.imported"), .txt("\(DisplayTime.dateTime(rule.importedAt)) · \(rule.importedByName)")),
                (t("sigmaRules.hits"), .el("span", ["id": "rule-hits"], [.txt(String(rule.hitCount))])),
                (t("sigmaRules.lastHit"), .txt(rule.lastHitAt.map(DisplayTime.dateTime) ?? "—")),
                (t("sigmaRules.window"), .el("span", ["id": "rule-window"], [.txt(t("sigmaRules.windowMinutes",
                    String((rule.groupWindowSeconds ?? ContinuousDetection.defaultWindowSeconds) / 60)))])),
            ]
            if let parsed = model.parsed {
                if let date = parsed.date { items.append((t("sigmaRules.date"), .txt(date + (parsed.modified.map { " · " + t("sigmaRules.modified", $0) } ?? "")))) }
            }
            return .el("section", ["class": "card"], [
                .el("dl", ["class": "facts", "id": "rule-facts"], items.flatMap { [Body.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [$0.1])] }),
            ])
        }

        private func extras() -> Body {
            let t = req.t
            guard let parsed = model.parsed, !(parsed.references.isEmpty && parsed.falsePositives.isEmpty) else { return .empty }
            return .el("section", ["class": "card"], [
                parsed.falsePositives.isEmpty ? .empty : .group([
                    .el("h2", [:], [.txt(t("sigmaRules.falsePositives"))]),
                    .el("ul", ["id": "rule-false-positives"], parsed.falsePositives.map { .el("li", [:], [.txt($0)]) }),
                ]),
                parsed.references.isEmpty ? .empty : .group([
                    .el("h2", [:], [.txt(t("sigmaRules.references"))]),
                    .el("ul", ["id": "rule-references"], parsed.references.map { ref in
                        let safe = ref.lowercased().hasPrefix("https://") || ref.lowercased().hasPrefix("http://")
                        return .el("li", [:], [safe ? .el("a", ["href": ref, "rel": "noopener noreferrer nofollow"], [.txt(ref)]) : .txt(ref)])
                    }),
                ]),
            ])
        }

        private func settings() -> Body {
            let t = req.t
            let rule = model.rule
            let enabled = input.enabled?.value ?? rule.enabled
            let window = input.groupWindowMinutes ?? rule.groupWindowSeconds.map { String($0 / 60) } ?? ""
            var options: [(String, String)] = [("true", t("sigmaRules.on")), ("false", t("sigmaRules.off"))]
            if !rule.isSupported && !rule.enabled { options = [("false", t("sigmaRules.off"))] }
            return .el("section", ["class": "card", "id": "settings-card"], [
                .el("h2", [:], [.txt(t("sigmaRules.settings"))]),
                Forms.post(req, action: SiteURL.sigmaRules(.settings(.value(rule.id!))).path, id: "settings-form", [
                    .void("input", ["type": "hidden", "name": "version", "value": String(input.version ?? rule.version)]),
                    Forms.errorSummary(errors, t: t),
                    Forms.select(name: "enabled", label: t("sigmaRules.enabled"), options: options, selected: enabled ? "true" : "false",
                                 error: errors["enabled"].map { t($0) }),
                    Forms.input(.init(name: "groupWindowMinutes", label: t("sigmaRules.windowLabel"), value: window,
                                      error: errors["groupWindowMinutes"].map { t($0) }, type: "number",
                                      hint: t("sigmaRules.windowHint", String(ContinuousDetection.defaultWindowSeconds / 60)))),
                    Forms.submit(t("common.save"), id: "save-settings"),
                ]),
            ])
        }

        private func alerts() -> Body {
            let t = req.t
            let rows: [Body] = model.alerts.map { a in
                .el("tr", [:], [
                    .el("td", [:], [.link(SiteURL.alerts(.show(.value(a.id!))).path, DisplayTime.dateTime(a.lastEventAt))]),
                    .el("td", [:], [.txt(a.host ?? "—")]),
                    .el("td", [:], [.txt(String(a.eventCount))]),
                    .el("td", [:], [AlertBadges.status(a.statusValue, t: t)]),
                ])
            }
            return .el("section", ["class": "card"], [
                .el("h2", [:], [.txt(t("sigmaRules.recentAlerts"))]),
                model.alerts.isEmpty ? .el("p", ["class": "muted", "id": "rule-alerts-empty"], [.txt(t("sigmaRules.noAlerts"))]) : .group([
                    .el("div", ["class": "table-wrap"], [
                        .el("table", ["id": "rule-alerts"], [
                            .el("thead", [:], [.el("tr", [:], [t("alerts.lastEvent"), t("alerts.host"), t("alerts.events"), t("alerts.status")]
                                .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                            .el("tbody", [:], rows),
                        ]),
                    ]),
                    .el("p", [:], [.link(SiteURL.alerts(.index).path(query: ["rule": model.rule.id!.uuidString.lowercased(), "status": "all"]),
                                         t("sigmaRules.allAlerts", String(model.alertTotal)))]),
                ]),
            ])
        }
    }
}
