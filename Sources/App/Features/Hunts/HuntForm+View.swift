import Foundation
import Domain
import Plot
import Vapor

/// `/hunts/new`: what to hunt for (rules and/or indicators), over which time range and scope.
enum HuntForm {
    struct View {
        let req: Request
        let input: HuntInput
        let errors: [String: String]
        /// Rules matching the search text (at most 200) and how many match in all.
        let found: [HuntRuleCatalogue.Rule]
        let foundTotal: Int
        /// Rules already ticked (kept when the search changes).
        let checked: [HuntRuleCatalogue.Rule]
        let enabledRules: Int
        let agencies: [Agency]
        let systems: [InformationSystem]
        let sources: [HuntSources.Source]

        func render() -> Page {
            let t = req.t
            func err(_ field: String) -> String? { errors[field].map { t($0) } }
            return Layout(req: req).page(title: t("hunts.newTitle"), section: .detection, content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.hunts(.index).path, t("hunts.title")), .txt(" › " + t("hunts.newTitle"))]),
                .el("h1", [:], [.txt(t("hunts.newTitle"))]),
                DetectionTabs.bar(.hunts, req: req),
                .el("p", ["class": "muted"], [.txt(t("hunts.newIntro"))]),
                Forms.errorSummary(errors, t: t),
                Forms.post(req, action: SiteURL.hunts(.new).path, id: "hunt-form", [
                    .el("section", ["class": "card", "id": "hunt-general"], [
                        Forms.input(.init(name: "name", label: t("hunts.name"), value: input.name, error: err("name"), required: true, maxLength: 300,
                                          placeholder: t("hunts.namePlaceholder"))),
                        Forms.textarea(name: "purpose", label: t("hunts.purpose"), value: input.purpose, error: err("purpose"),
                                       hint: t("hunts.purposeHint"), rows: 2, maxLength: 4000),
                    ]),
                    rulesSection(err: err),
                    indicatorsSection(err: err),
                    .el("section", ["class": "card", "id": "hunt-range"], [
                        .el("h2", [:], [.txt(t("hunts.rangeTitle"))]),
                        .el("p", ["class": "hint"], [.txt(t("hunts.rangeHint"))]),
                        Forms.input(.init(name: "from", label: t("hunts.from"), value: input.from, error: err("from"), type: "date")),
                        Forms.input(.init(name: "to", label: t("hunts.to"), value: input.to, error: err("to"), type: "date")),
                    ]),
                    scopeSection(err: err),
                    Forms.submit(t("hunts.start"), id: "start-hunt"),
                ]),
            ])
        }

        private func rulesSection(err: (String) -> String?) -> Body {
            let t = req.t
            let mode = input.ruleMode ?? "selection"
            func radio(_ value: String, _ label: String) -> Body {
                .el("label", ["class": "check"], [
                    .void("input", ["type": "radio", "name": "ruleMode", "value": value, "id": "ruleMode-\(value)", "checked": mode == value ? "" : nil]),
                    .txt(" " + label),
                ])
            }
            let ticked = Set((input.ruleIds ?? []).map { $0.lowercased() })
            let checkedIds = Set(checked.map(\.id))
            let listed = checked + found.filter { !checkedIds.contains($0.id) }
            let rows: [Body] = listed.map { rule in
                let id = rule.id.uuidString.lowercased()
                return .el("li", [:], [
                    .el("label", ["class": "check"], [
                        .void("input", ["type": "checkbox", "name": "ruleIds[]", "value": id, "checked": ticked.contains(id) ? "" : nil,
                                        "disabled": rule.supported ? nil : ""]),
                        .txt(" " + rule.title + " "),
                        HuntBadges.level(rule.level, t: t),
                        rule.enabled ? .empty : .el("span", ["class": "badge muted"], [.txt(t("hunts.ruleDisabled"))]),
                        rule.supported ? .empty : .el("span", ["class": "badge warn", "title": rule.unsupportedReason ?? ""], [.txt(t("hunts.ruleUnsupported"))]),
                    ]),
                    rule.tags.isEmpty ? .empty : .el("span", ["class": "muted"], [.txt(" " + rule.tags.prefix(6).joined(separator: " "))]),
                ])
            }
            return .el("section", ["class": "card", "id": "hunt-rules"], [
                .el("h2", [:], [.txt(t("hunts.rulesTitle"))]),
                .el("fieldset", ["class": errors["ruleMode"] == nil ? "field checks" : "field checks invalid", "id": "ruleMode",
                                 "aria-describedby": errors["ruleMode"] == nil ? nil : "ruleMode-error"], [
                    .el("legend", [:], [.txt(t("hunts.ruleMode"))]),
                    radio("selection", t("hunts.mode.selection")),
                    radio("tag", t("hunts.mode.tag")),
                    radio("level", t("hunts.mode.level")),
                    radio("all", t("hunts.mode.all", String(enabledRules))),
                    radio("none", t("hunts.mode.none")),
                    err("ruleMode").map { .el("p", ["class": "error", "id": "ruleMode-error"], [.txt($0)]) } ?? .empty,
                ]),
                .el("div", ["class": "field", "id": "rule-search"], [
                    .el("label", ["for": "q"], [.txt(t("hunts.ruleSearch"))]),
                    .void("input", ["type": "search", "id": "q", "name": "q", "value": input.q ?? "", "placeholder": t("hunts.ruleSearchHint")]),
                    .el("button", ["type": "submit", "name": "action", "value": "search", "id": "search-rules"], [.txt(t("hunts.searchRules"))]),
                ]),
                .el("fieldset", ["class": errors["ruleIds"] == nil ? "field checks" : "field checks invalid", "id": "ruleIds",
                                 "aria-describedby": errors["ruleIds"] == nil ? nil : "ruleIds-error"], [
                    .el("legend", [:], [.txt(t("hunts.ruleList"))]),
                    listed.isEmpty ? .el("p", ["class": "muted"], [.txt(t(foundTotal == 0 && (input.q ?? "").isEmpty ? "hunts.noRulesYet" : "hunts.noRuleFound"))])
                        : .el("ul", ["class": "plain", "id": "rule-list"], rows),
                    foundTotal > found.count ? .el("p", ["class": "hint"], [.txt(t("hunts.moreRules", String(found.count), String(foundTotal)))]) : .empty,
                    err("ruleIds").map { .el("p", ["class": "error", "id": "ruleIds-error"], [.txt($0)]) } ?? .empty,
                ]),
                Forms.input(.init(name: "ruleTag", label: t("hunts.ruleTag"), value: input.ruleTag, error: err("ruleTag"), hint: t("hunts.ruleTagHint"),
                                  maxLength: 100, placeholder: "attack.t1059")),
                Forms.select(name: "ruleLevel", label: t("hunts.ruleLevel"),
                             options: DetectionLevel.allCases.map { ($0.rawValue, t("hunts.level.\($0.rawValue)")) }, selected: input.ruleLevel ?? "high",
                             error: err("ruleLevel")),
                Forms.checkbox(name: "includeDisabled", value: "true", label: t("hunts.includeDisabled"), checked: input.includeDisabled == true),
            ])
        }

        private func indicatorsSection(err: (String) -> String?) -> Body {
            let t = req.t
            return .el("section", ["class": "card", "id": "hunt-indicators"], [
                .el("h2", [:], [.txt(t("hunts.indicatorsTitle"))]),
                .el("p", ["class": "hint"], [.txt(t("hunts.indicatorsHint"))]),
                Forms.textarea(name: "ips", label: t("hunts.ips"), value: input.ips, error: err("ips"), hint: t("hunts.ipsHint"), rows: 3),
                Forms.textarea(name: "domains", label: t("hunts.domains"), value: input.domains, error: err("domains"), hint: t("hunts.domainsHint"), rows: 3),
                Forms.textarea(name: "hashes", label: t("hunts.hashes"), value: input.hashes, error: err("hashes"), hint: t("hunts.hashesHint"), rows: 3),
                Forms.textarea(name: "strings", label: t("hunts.strings"), value: input.strings, error: err("strings"), hint: t("hunts.stringsHint"), rows: 3),
                errors["indicators"].map { .el("p", ["class": "error", "id": "indicators-error"], [.txt(t($0))]) } ?? .empty,
            ])
        }

        private func scopeSection(err: (String) -> String?) -> Body {
            let t = req.t
            let chosenSystems = Set((input.systemIds ?? []).map { $0.lowercased() })
            let chosenSources = Set((input.sourceIds ?? []).map { $0.lowercased() })
            func multi(_ name: String, _ label: String, _ options: [(String, String)], _ chosen: Set<String>) -> Body {
                .el("div", ["class": errors[name] == nil ? "field" : "field invalid"], [
                    .el("label", ["for": name], [.txt(label)]),
                    .el("select", ["id": name, "name": name + "[]", "multiple": "", "size": String(min(max(options.count, 3), 8)),
                                   "aria-invalid": errors[name] == nil ? nil : "true", "aria-describedby": errors[name] == nil ? nil : name + "-error"],
                        options.map { value, text in .el("option", ["value": value, "selected": chosen.contains(value) ? "" : nil], [.txt(text)]) }),
                    err(name).map { .el("p", ["class": "error", "id": name + "-error"], [.txt($0)]) } ?? .empty,
                ])
            }
            return .el("section", ["class": "card", "id": "hunt-scope"], [
                .el("h2", [:], [.txt(t("hunts.scopeTitle"))]),
                .el("p", ["class": "hint"], [.txt(t("hunts.scopeHint"))]),
                Forms.checkboxGroup(name: "agencyIds", legend: t("hunts.agencies"),
                                    options: agencies.map { ($0.id!.uuidString.lowercased(), $0.name) },
                                    checked: Set((input.agencyIds ?? []).map { $0.lowercased() }), error: err("agencyIds"), hint: t("hunts.agenciesHint")),
                multi("systemIds", t("hunts.systems"), systems.map { ($0.id!.uuidString.lowercased(), "\($0.code) · \($0.name)") }, chosenSystems),
                sources.isEmpty ? .empty
                    : multi("sourceIds", t("hunts.sources"), sources.map { ($0.id.uuidString.lowercased(), $0.name) }, chosenSources),
            ])
        }
    }
}
