import Foundation
import Domain
import Plot
import Vapor

extension IncidentShow {
    struct View {
        let req: Request
        let model: Model
        var errors: [String: String] = [:]
        /// What was submitted when a change was refused, and the section it came from.
        var typed: [String: String] = [:]
        var typedSection: String? = nil

        private func typed(_ section: String, _ name: String) -> String? { typedSection == section ? typed[name] : nil }

        private var t: Localizer { req.t }
        private var i: Incident { model.incident }
        private var id: UUID { model.incident.id! }
        private var can: (Action) -> Bool { { Policy.can(model.subject, $0, model.incident.resource) } }
        private var police: Bool { model.subject.isPolice }
        private var versionField: Body { .void("input", ["type": "hidden", "name": "version", "value": String(i.version)]) }

        func render() -> Page {
            Layout(req: req).page(title: "\(i.number) · \(i.title)", section: .incidents, flash: FlashMessage.from(req), content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.incidents(.index).path, t("incidents.title"))]),
                header(),
                Forms.errorSummary(errors, t: t),
                clocksCard(),
                police ? .empty : triageCard(),
                phaseCard(),
                detailsCard(),
                police ? .empty : tasksCard(),
                observablesCard(),
                evidenceCard(),
                timelineCard(),
            ])
        }

        private func header() -> Body {
            .el("div", ["class": "page-head"], [
                .el("div", [:], [
                    .el("h1", [:], [.txt("\(i.number) · \(i.title)")]),
                    .el("p", ["class": "badges"], [
                        IncidentBadges.phase(i.phaseRaw, t: t), .txt(" "), IncidentBadges.severity(i.severityRaw, t: t), .txt(" "),
                        IncidentBadges.tlp(i.tlpRaw), .txt(" "),
                        i.seriousConfirmed == true ? .el("span", ["class": "badge danger", "id": "serious-badge"], [.txt(t("incidents.serious"))]) : .empty,
                        i.policeShared ? .el("span", ["class": "badge active", "id": "shared-badge"], [.txt(t("incidents.sharedWithPolice"))]) : .empty,
                    ]),
                    .el("p", ["class": "muted"], [.txt("\(model.agencyName) · \(t("incidents.detectedAt")): \(DisplayTime.dateTime(i.detectedAt))")]),
                ]),
                model.mergedInto.map { target in
                    .el("p", ["class": "flash"], [.txt(t("incidents.mergedIntoNote") + " "),
                                                  .link(SiteURL.incidents(.show(.value(target.id!))).path, target.number)])
                } ?? .empty,
            ])
        }

        // MARK: Clocks

        private func clocksCard() -> Body {
            let rows: [Body] = model.clocks.filter { $0.state != .notApplicable }.map { clock in
                let sent = model.reports.filter { $0.kind == clock.kind.rawValue }
                return .el("tr", ["id": "clock-\(clock.kind.rawValue)"], [
                    .el("td", [:], [.el("strong", [:], [.txt(clock.title.text(req.lang))]),
                                    .el("div", ["class": "small muted"], [.txt(clock.recipients.text(req.lang))])]),
                    .el("td", [:], [IncidentBadges.clock(clock.state, t: t),
                                    .el("div", ["class": "small"], [.txt(clock.isOpen ? IncidentBadges.remaining(clock.remainingSeconds, t: t) : "")])]),
                    .el("td", [:], [.txt(clock.dueAt.map(DisplayTime.dateTime) ?? "—")]),
                    .el("td", ["class": "small"], [.txt(clock.basis.map(\.citation).joined(separator: "; ")),
                                                   clock.confidence == .confirmed ? .empty : .el("div", ["class": "muted"], [.txt(t("rules.unconfirmed"))])]),
                    .el("td", [:], [
                        police ? .empty : .link(SiteURL.incidents(.reportDocx(.value(id), clock.kind.rawValue)).path, t("incidents.downloadDocx"),
                                                id: "docx-\(clock.kind.rawValue)", cls: "button small"),
                        .group(sent.map { r in
                            .el("div", ["class": "small"], [.txt(t("incidents.sentTo", DisplayTime.dateTime(r.sentAt), r.recipients, t("channel.\(r.channel)"))),
                                                            r.fileId == nil || police ? .empty : .txt(" "),
                                                            r.fileId == nil || police ? .empty
                                                                : .link(SiteURL.incidents(.reportFile(.value(id), .value(r.id!))).path, r.documentNumber ?? "docx")])
                        }),
                    ]),
                ])
            }
            return .el("section", ["class": "card", "id": "clocks"], [
                .el("h2", [:], [.txt(t("incidents.clocks"))]),
                .el("p", ["class": "hint"], [.txt(t("incidents.clocksHint"))]),
                .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("incidents.report"), t("incidents.state"), t("obligations.due"), t("rules.basis"), ""]
                        .map { .el("th", [:], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
                can(.handleIncident) && !police ? recordReportForm() : .empty,
            ])
        }

        private func recordReportForm() -> Body {
            let kinds = model.clocks.filter { $0.state != .notApplicable }.map { ($0.kind.rawValue, $0.title.text(req.lang)) }
            return .el("details", ["id": "record-report", "open": typedSection == "clocks" ? "" : nil], [
                .el("summary", [:], [.txt(t("incidents.recordSent"))]),
                Forms.post(req, action: SiteURL.incidents(.reports(.value(id))).path, id: "record-report-form", cls: "card form", [
                    Forms.select(name: "kind", label: t("incidents.report"), options: kinds, selected: nil, error: errors["kind"].map { t($0) },
                                 required: true, includeBlank: t("common.choose")),
                    Forms.input(.init(name: "sentAt", label: t("incidents.sentAt"), value: DisplayTime.localInput(Date()),
                                      error: errors["sentAt"].map { t($0) }, type: "datetime-local", required: true)),
                    Forms.input(.init(name: "recipients", label: t("incidents.recipients"), value: typed("clocks", "recipients"), error: errors["recipients"].map { t($0) },
                                      required: true, hint: t("incidents.recipientsHint"), maxLength: 1000)),
                    Forms.select(name: "channel", label: t("incidents.channel"),
                                 options: ["official_letter", "email", "fax", "portal", "phone", "other"].map { ($0, t("channel.\($0)")) },
                                 selected: "official_letter", error: errors["channel"].map { t($0) }, required: true),
                    Forms.input(.init(name: "documentNumber", label: t("incidents.documentNumber"), value: typed("clocks", "documentNumber"),
                                      error: errors["documentNumber"].map { t($0) }, hint: t("incidents.documentNumberHint"), maxLength: 100)),
                    Forms.submit(t("incidents.recordSent"), id: "record-report-submit"),
                ]),
            ])
        }

        // MARK: Triage, assignment, merge, sharing

        private func triageCard() -> Body {
            guard can(.triageIncident) else {
                return model.assignees.isEmpty ? .empty : .el("section", ["class": "card", "id": "assignees"], [
                    .el("h2", [:], [.txt(t("incidents.assignees"))]), .el("p", [:], [.txt(model.assignees.map(\.name).joined(separator: ", "))]),
                ])
            }
            let s = model.suggestion
            let lang = req.lang
            let assigned = Set(model.assignees.compactMap(\.id))
            return .el("section", ["class": "card", "id": "triage"], [
                .el("h2", [:], [.txt(t("incidents.triage"))]),
                .el("div", ["class": s.isSerious ? "flash error" : "flash", "id": "serious-suggestion"], [
                    .el("strong", [:], [.txt(s.summary.text(lang))]),
                    .el("ul", [:], s.reasons.map { .el("li", [:], [.txt($0.text(lang))]) }),
                ]),
                i.phaseRaw == IncidentPhase.closed.rawValue ? .empty : Forms.post(req, action: SiteURL.incidents(.triage(.value(id))).path, id: "triage-form", [
                    versionField,
                    Forms.select(name: "severity", label: t("incidents.severity"), options: IncidentSeverity.allCases.map { ($0.rawValue, t("severity.\($0.rawValue)")) },
                                 selected: i.severityRaw, error: errors["severity"].map { t($0) }, required: true, includeBlank: t("common.choose")),
                    Forms.select(name: "serious", label: t("incidents.seriousConfirm"),
                                 options: [("yes", t("incidents.seriousYes")), ("no", t("incidents.seriousNo"))],
                                 selected: i.seriousConfirmed.map { $0 ? "yes" : "no" }, error: errors["serious"].map { t($0) },
                                 includeBlank: t("incidents.seriousUndecided")),
                    Forms.select(name: "tlp", label: t("incidents.tlp"), options: TLP.allCases.map { ($0.rawValue, "TLP:" + $0.rawValue.uppercased()) },
                                 selected: i.tlpRaw, error: errors["tlp"].map { t($0) }, id: "triage-tlp"),
                    .el("fieldset", ["id": "facts"], [
                        .el("legend", [:], [.txt(t("incidents.facts"))]),
                        .el("p", ["class": "hint"], [.txt(t("incidents.factsHint"))]),
                        .void("input", ["type": "hidden", "name": "facts", "value": "1"]),
                        Forms.checkbox(name: "personalData", value: "true", label: t("incidents.personalData"), checked: i.personalData),
                        Forms.checkbox(name: "stateSecret", value: "true", label: t("incidents.stateSecret"), checked: i.stateSecret),
                        Forms.checkbox(name: "beyondCapability", value: "true", label: t("incidents.beyondCapability"), checked: i.beyondCapability),
                        Forms.checkboxGroup(name: "impactFlags", legend: t("incidents.impactFlags"),
                                            options: model.criteria.impacts.map { ($0.flag.rawValue, $0.title.text(lang)) },
                                            checked: Set(IncidentRulesBridge.impactFlags(i).map(\.rawValue)), error: errors["impactFlags"].map { t($0) }),
                    ]),
                    Forms.textarea(name: "note", label: t("incidents.triageNote"), value: typed("triage", "note"), error: errors["note"].map { t($0) }, rows: 2,
                                   id: "triage-note"),
                    Forms.submit(i.phaseRaw == IncidentPhase.detected.rawValue ? t("incidents.accept") : t("common.save"), id: "triage-submit"),
                ]),
                .el("h3", [:], [.txt(t("incidents.assignees"))]),
                Forms.post(req, action: SiteURL.incidents(.assign(.value(id))).path, id: "assign-form", [
                    versionField,
                    Forms.checkboxGroup(name: "userIds", legend: t("incidents.responders"),
                                        options: model.assignable.map { ($0.id!.uuidString.lowercased(), "\($0.name) (\(t("role.\($0.role.rawValue)")))") },
                                        checked: Set(assigned.map { $0.uuidString.lowercased() }), error: errors["userIds"].map { t($0) }),
                    Forms.submit(t("incidents.assign"), id: "assign-submit"),
                ]),
                .el("h3", [:], [.txt(t("incidents.police"))]),
                i.policeShared
                    ? Forms.post(req, action: SiteURL.incidents(.unshare(.value(id))).path, id: "unshare-form", [
                        versionField, .el("p", [:], [.txt(t("incidents.sharedNote"))]),
                        .el("div", ["class": "actions"], [.el("button", ["type": "submit", "id": "unshare-submit", "class": "danger"], [.txt(t("incidents.unshare"))])])])
                    : Forms.post(req, action: SiteURL.incidents(.share(.value(id))).path, id: "share-form", [
                        versionField, .el("p", ["class": "hint"], [.txt(t("incidents.shareHint"))]),
                        Forms.input(.init(name: "note", label: t("incidents.shareNote"), value: typed("triage", "note"), error: errors["note"].map { t($0) }, maxLength: 2000,
                                          id: "share-note")),
                        Forms.submit(t("incidents.share"), id: "share-submit")]),
                i.phaseRaw == IncidentPhase.closed.rawValue ? .empty : .el("details", ["id": "merge", "open": typed("triage", "into") != nil ? "" : nil], [
                    .el("summary", [:], [.txt(t("incidents.merge"))]),
                    Forms.post(req, action: SiteURL.incidents(.merge(.value(id))).path, id: "merge-form", [
                        versionField,
                        Forms.input(.init(name: "into", label: t("incidents.mergeInto"), value: typed("triage", "into"), error: errors["into"].map { t($0) },
                                          hint: t("incidents.mergeHint"), placeholder: "SC-2026-0001")),
                        Forms.submit(t("incidents.merge"), id: "merge-submit"),
                    ]),
                ]),
            ])
        }

        // MARK: Phase

        private func phaseCard() -> Body {
            let current = IncidentPhase(rawValue: i.phaseRaw) ?? .detected
            let steps: [Body] = IncidentPhase.allCases.map { p in
                .el("li", ["class": p == current ? "current" : p < current ? "done" : nil], [.el("span", [:], [.txt(t("incidentPhase.\(p.rawValue)"))])])
            }
            let allowed = current.allowedNext.filter { p in
                p == .closed || current == .closed || current == .detected || p == .triaged ? can(.triageIncident) : can(.handleIncident) && !police
            }
            let finalSent = model.reports.contains { $0.kind == IncidentRulesBridge.finalReportKind }
            return .el("section", ["class": "card", "id": "phase"], [
                .el("h2", [:], [.txt(t("incidents.phase"))]),
                .el("ol", ["class": "steps phases"], steps),
                allowed.isEmpty ? .empty : Forms.post(req, action: SiteURL.incidents(.phase(.value(id))).path, id: "phase-form", [
                    versionField,
                    Forms.select(name: "phase", label: t("incidents.movePhase"), options: allowed.map { ($0.rawValue, t("incidentPhase.\($0.rawValue)")) },
                                 selected: allowed.first?.rawValue, error: errors["phase"].map { t($0) }, required: true),
                    Forms.textarea(name: "note", label: t("incidents.phaseNote"), value: typed("phase", "note"), error: errors["note"].map { t($0) }, rows: 2,
                                   id: "phase-note"),
                    allowed.contains(.closed) ? Forms.select(name: "resolution", label: t("incidents.resolution"),
                                                             options: IncidentResolution.allCases.map { ($0.rawValue, t("resolution.\($0.rawValue)")) },
                                                             selected: "resolved", error: errors["resolution"].map { t($0) }) : .empty,
                    allowed.contains(.closed) && !finalSent
                        ? Forms.textarea(name: "overrideReason", label: t("incidents.overrideReason"), value: typed("phase", "overrideReason"),
                                         error: errors["overrideReason"].map { t($0) }, hint: t("incidents.overrideHint"), rows: 2) : .empty,
                    Forms.submit(t("incidents.movePhase"), id: "phase-submit"),
                ]),
            ])
        }

        // MARK: Details

        private func detailsCard() -> Body {
            let lang = req.lang
            guard IncidentVisibility.caseDetailsVisible(i, to: model.subject) else {
                return .el("section", ["class": "card", "id": "details"], [.el("p", ["class": "muted"], [.txt(t("incidents.detailsWithheld"))])])
            }
            let yes = { (b: Bool) in b ? t("common.yes") : t("common.no") }
            let flags = IncidentRulesBridge.impactFlags(i).map { model.criteria.title(of: $0).text(lang) }
            let facts: [(String, Body)] = [
                (t("incidents.category"), .txt(model.category?.title.text(lang) ?? i.categoryCode)),
                (t("incidents.systems"), model.systems.isEmpty ? .txt("—") : .group(model.systems.map { s in
                    .el("div", [:], [.link(SiteURL.system(.value(s.id!)).path, "\(s.code) · \(s.name)"),
                                     s.approvedLevel.map { .txt(" · " + t("systems.levelN", String($0))) } ?? .empty])
                })),
                (t("incidents.description"), .el("div", ["class": "prewrap"], [.txt(i.description)])),
                (t("incidents.occurredAt"), .txt(i.occurredAt.map(DisplayTime.dateTime) ?? "—")),
                (t("incidents.servicesDown"), .txt(yes(i.servicesDown) + (i.servicesNote.map { " — " + $0 } ?? ""))),
                (t("incidents.dataAffected"), .txt(i.dataAffected ?? "—")),
                (t("incidents.peopleAffected"), .txt(i.peopleAffected.map(String.init) ?? "—")),
                (t("incidents.personalData"), .txt(yes(i.personalData))),
                (t("incidents.stateSecret"), .txt(yes(i.stateSecret))),
                (t("incidents.impactFlags"), .txt(flags.isEmpty ? "—" : flags.joined(separator: "; "))),
                (t("incidents.beyondCapability"), .txt(yes(i.beyondCapability))),
                (t("incidents.actionsTaken"), .el("div", ["class": "prewrap"], [.txt(i.actionsTaken ?? "—")])),
                (t("incidents.supportRequested"), .txt(i.supportRequested ?? "—")),
                (t("incidents.contact"), .txt([i.contactName, i.contactTitle, i.contactPhone, i.contactEmail].compactMap { $0 }.joined(separator: " · "))),
                (t("incidents.reporter"), .txt("\(i.reporterName) · \(i.createdAt.map(DisplayTime.dateTime) ?? "")")),
            ]
            return .el("section", ["class": "card", "id": "details"], [
                .el("h2", [:], [.txt(t("incidents.details"))]),
                .el("dl", ["class": "facts"], facts.flatMap { [.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [$0.1])] }),
            ])
        }

        // MARK: Tasks

        private func tasksCard() -> Body {
            let people = Dictionary(uniqueKeysWithValues: model.assignable.compactMap { u in u.id.map { ($0, u.name) } })
            let editable = can(.handleIncident)
            let rows: [Body] = model.tasks.map { task in
                .el("tr", ["class": task.isDone ? "inactive" : nil, "data-task": task.title], [
                    .el("td", [:], [.txt(task.phase.map { t("responsePhase.\($0)") } ?? "—")]),
                    .el("td", [:], [.txt(task.title)]),
                    .el("td", [:], [.txt(task.assigneeId.flatMap { people[$0] } ?? "—")]),
                    .el("td", [:], [.txt(task.dueAt.map(DisplayTime.date) ?? "—")]),
                    .el("td", [:], [
                        task.isDone ? .el("span", ["class": "badge ok"], [.txt(t("incidentTasks.done"))]) : .empty,
                        editable ? Forms.post(req, action: SiteURL.incidents(.task(.value(id), .value(task.id!))).path, cls: "inline", [
                            .void("input", ["type": "hidden", "name": "version", "value": String(task.version)]),
                            .void("input", ["type": "hidden", "name": "action", "value": task.isDone ? "reopen" : "complete"]),
                            .el("button", ["type": "submit", "class": "small"], [.txt(task.isDone ? t("incidentTasks.reopen") : t("incidentTasks.complete"))]),
                        ]) : .empty,
                        editable && !task.isDone ? .el("details", [:], [
                            .el("summary", [:], [.txt(t("incidentTasks.edit"))]),
                            Forms.post(req, action: SiteURL.incidents(.task(.value(id), .value(task.id!))).path, [
                                .void("input", ["type": "hidden", "name": "version", "value": String(task.version)]),
                                .void("input", ["type": "hidden", "name": "action", "value": "edit"]),
                                Forms.select(name: "assigneeId", label: t("incidentTasks.assignee"),
                                             options: model.assignable.map { ($0.id!.uuidString.lowercased(), $0.name) },
                                             selected: task.assigneeId?.uuidString.lowercased(), error: nil, includeBlank: "—",
                                             id: "assignee-\(task.id!.uuidString.lowercased())"),
                                Forms.input(.init(name: "dueAt", label: t("incidentTasks.due"), value: task.dueAt.map(DisplayTime.isoDay),
                                                  error: nil, type: "date", id: "due-\(task.id!.uuidString.lowercased())")),
                                .el("button", ["type": "submit", "class": "small"], [.txt(t("common.save"))]),
                            ]),
                        ]) : .empty,
                    ]),
                ])
            }
            let suggestions = model.scenarioSteps
            return .el("section", ["class": "card", "id": "tasks"], [
                .el("h2", [:], [.txt(t("incidents.tasks"))]),
                model.tasks.isEmpty ? .el("p", ["class": "muted"], [.txt(t("incidents.noTasks"))]) : .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("incidentTasks.phase"), t("incidentTasks.title"), t("incidentTasks.assignee"), t("incidentTasks.due"), ""].map { .el("th", [:], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
                editable && !suggestions.isEmpty && i.phaseRaw != IncidentPhase.closed.rawValue ? Forms.post(req, action: SiteURL.incidents(.tasks(.value(id))).path, id: "scenario-tasks", [
                    .void("input", ["type": "hidden", "name": "fromScenario", "value": "true"]),
                    .el("p", [:], [.txt(t("incidents.scenarioTasks", String(suggestions.count), suggestions.first?.origin ?? ""))]),
                    suggestions.first?.fromPlan == false ? .el("p", ["class": "hint"], [.txt(t("incidents.noPlanScenario"))]) : .empty,
                    Forms.submit(t("incidents.addScenarioTasks"), id: "add-scenario-tasks"),
                ]) : .empty,
                editable ? .el("details", [:], [
                    .el("summary", [:], [.txt(t("incidentTasks.add"))]),
                    Forms.post(req, action: SiteURL.incidents(.tasks(.value(id))).path, id: "task-form", [
                        Forms.input(.init(name: "title", label: t("incidentTasks.title"), value: typed("tasks", "title"), error: errors["title"].map { t($0) }, required: true,
                                          maxLength: 500, id: "task-title")),
                        Forms.select(name: "phase", label: t("incidentTasks.phase"), options: ResponsePhase.allCases.map { ($0.rawValue, t("responsePhase.\($0.rawValue)")) },
                                     selected: nil, error: errors["phase"].map { t($0) }, includeBlank: "—", id: "task-phase"),
                        Forms.select(name: "assigneeId", label: t("incidentTasks.assignee"), options: model.assignable.map { ($0.id!.uuidString.lowercased(), $0.name) },
                                     selected: nil, error: errors["assigneeId"].map { t($0) }, includeBlank: "—", id: "task-assignee"),
                        Forms.input(.init(name: "dueAt", label: t("incidentTasks.due"), value: nil, error: errors["dueAt"].map { t($0) }, type: "date",
                                          id: "task-due")),
                        Forms.submit(t("incidentTasks.add"), id: "task-submit"),
                    ]),
                ]) : .empty,
            ])
        }

        // MARK: Observables

        private func observablesCard() -> Body {
            let rows: [Body] = model.observables.map { o in
                .el("tr", ["data-observable": o.value], [
                    .el("td", [:], [.txt(t("observableType.\(o.type)"))]),
                    .el("td", [:], [.el("code", [:], [.txt(o.value)])]),
                    .el("td", [:], [IncidentBadges.tlp(o.tlpRaw)]),
                    .el("td", [:], [.txt(String(model.sightings["\(o.type)|\(o.value)"] ?? 0))]),
                    .el("td", [:], [.txt(o.comment ?? "")]),
                ])
            }
            return .el("section", ["class": "card", "id": "observables"], [
                .el("h2", [:], [.txt(t("incidents.observables"))]),
                model.observables.isEmpty ? .el("p", ["class": "muted"], [.txt(t("incidents.noObservables"))]) : .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("observables.type"), t("observables.value"), "TLP", t("observables.sightings"), t("observables.comment")]
                        .map { .el("th", [:], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
                .el("p", [:], [
                    .link(SiteURL.incidents(.exportSTIX(.value(id))).path, t("observables.exportSTIX"), id: "export-stix", cls: "button small"), .txt(" "),
                    .link(SiteURL.incidents(.exportMISP(.value(id))).path, t("observables.exportMISP"), id: "export-misp", cls: "button small"),
                ]),
                can(.handleIncident) && !police ? .group([
                    .el("details", ["id": "add-observable", "open": typedSection == "observables" && typed["value"] != nil ? "" : nil], [
                        .el("summary", [:], [.txt(t("observables.add"))]),
                        Forms.post(req, action: SiteURL.incidents(.observables(.value(id))).path, id: "observable-form", [
                            Forms.select(name: "type", label: t("observables.type"), options: ObservableType.allCases.map { ($0.rawValue, t("observableType.\($0.rawValue)")) },
                                         selected: typed("observables", "type"), error: errors["type"].map { t($0) }, required: true, includeBlank: t("common.choose")),
                            Forms.input(.init(name: "value", label: t("observables.value"), value: typed("observables", "value"), error: errors["value"].map { t($0) }, required: true, maxLength: 4000)),
                            tlpSelect(id: "observable-tlp"),
                            Forms.input(.init(name: "comment", label: t("observables.comment"), value: typed("observables", "comment"), error: errors["comment"].map { t($0) }, maxLength: 2000,
                                              id: "observable-comment")),
                            Forms.submit(t("observables.add"), id: "observable-submit"),
                        ]),
                    ]),
                    .el("details", ["id": "import-observables"], [
                        .el("summary", [:], [.txt(t("observables.import"))]),
                        Forms.multipart(req, action: SiteURL.incidents(.observablesImport(.value(id))).path, id: "observable-import-form", [
                            Forms.fileInput(name: "file", label: t("observables.importFile"), error: errors["file"].map { t($0) },
                                            hint: t("observables.importHint"), multiple: false, accept: ".json,application/json"),
                            Forms.submit(t("observables.import"), id: "observable-import-submit"),
                        ]),
                    ]),
                ]) : .empty,
            ])
        }

        private func tlpSelect(selected: String = TLP.amber.rawValue, id: String) -> Body {
            Forms.select(name: "tlp", label: "TLP", options: TLP.allCases.map { ($0.rawValue, "TLP:" + $0.rawValue.uppercased().replacingOccurrences(of: "_", with: "+")) },
                         selected: selected, error: errors["tlp"].map { t($0) }, id: id)
        }

        // MARK: Evidence

        private func evidenceCard() -> Body {
            let rows: [Body] = model.evidence.map { (e, f) in
                .el("tr", ["data-evidence": f.originalName], [
                    .el("td", [:], [.link(SiteURL.incidents(.evidenceItem(.value(id), .value(e.id!))).path, f.originalName)]),
                    .el("td", [:], [.txt(ByteCountFormatter.string(fromByteCount: f.size, countStyle: .file))]),
                    .el("td", [:], [.el("code", ["class": "small", "title": f.sha256], [.txt(String(f.sha256.prefix(16)) + "…")])]),
                    .el("td", [:], [.txt("\(f.uploadedByName) · \(DisplayTime.dateTime(f.uploadedAt))")]),
                    .el("td", [:], [IncidentBadges.tlp(e.tlpRaw)]),
                    .el("td", [:], [.link(SiteURL.incidents(.evidenceDownload(.value(id), .value(e.id!))).path, t("incidents.download"))]),
                ])
            }
            return .el("section", ["class": "card", "id": "evidence"], [
                .el("h2", [:], [.txt(t("incidents.evidence"))]),
                model.evidence.isEmpty ? .el("p", ["class": "muted"], [.txt(t("incidents.noEvidence"))]) : .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("evidence.name"), t("evidence.size"), "SHA-256", t("evidence.uploaded"), "TLP", ""]
                        .map { .el("th", [:], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
                can(.handleIncident) && !police ? .el("details", ["id": "upload-evidence"], [
                    .el("summary", [:], [.txt(t("evidence.upload"))]),
                    Forms.multipart(req, action: SiteURL.incidents(.evidence(.value(id))).path, id: "evidence-form", [
                        Forms.fileInput(label: t("evidence.files"), error: errors["files"].map { t($0) }, hint: t("incidents.attachmentsHint")),
                        Forms.input(.init(name: "description", label: t("evidence.description"), value: nil, error: errors["description"].map { t($0) },
                                          maxLength: 2000, id: "evidence-description")),
                        tlpSelect(id: "evidence-tlp"),
                        Forms.submit(t("evidence.upload"), id: "evidence-submit"),
                    ]),
                ]) : .empty,
                police && can(.collaborateAsPolice) ? Forms.post(req, action: SiteURL.incidents(.evidenceRequest(.value(id))).path, id: "evidence-request-form", [
                    Forms.textarea(name: "body", label: t("incidents.requestEvidence"), value: typed("timeline", "body"), error: errors["body"].map { t($0) },
                                   hint: t("incidents.requestEvidenceHint"), rows: 2, required: true, id: "request-body"),
                    Forms.submit(t("incidents.requestEvidence"), id: "evidence-request-submit"),
                ]) : .empty,
            ])
        }

        // MARK: Timeline

        private func timelineCard() -> Body {
            let items: [Body] = model.timeline.reversed().map { e in
                let text = IncidentTimeline.text(e, t: t, rules: req.application.rules)
                return .el("li", ["class": "timeline-\(e.kind)", "data-kind": e.kind], [
                    .el("time", ["datetime": ISO8601DateFormatter().string(from: e.at)], [.txt(DisplayTime.dateTime(e.at))]),
                    .txt(" · "), .el("strong", [:], [.txt(e.actorLabel)]), .txt(" · "),
                    .el("span", ["class": "muted small"], [.txt(t("timelineKind.\(e.kind)"))]), .txt(" "),
                    e.tlpRaw == TLP.amber.rawValue ? .empty : IncidentBadges.tlp(e.tlpRaw),
                    .el("div", ["class": "prewrap"], [.txt(text)]),
                ])
            }
            let mayNote = police ? can(.collaborateAsPolice) : can(.handleIncident)
            return .el("section", ["class": "card", "id": "timeline"], [
                .el("h2", [:], [.txt(t("incidents.timeline"))]),
                mayNote ? Forms.post(req, action: SiteURL.incidents(.note(.value(id))).path, id: "note-form", [
                    Forms.textarea(name: "body", label: police ? t("incidents.policeNote") : t("incidents.note"), value: typed("timeline", "body"),
                                   error: errors["body"].map { t($0) }, rows: 3, required: true, maxLength: 20_000, id: "note-body"),
                    police ? .empty : tlpSelect(id: "note-tlp"),
                    police || model.people.isEmpty ? .empty : .el("details", [:], [
                        .el("summary", [:], [.txt(t("incidents.redRecipients"))]),
                        Forms.checkboxGroup(name: "namedUserIds", legend: t("incidents.redRecipients"),
                                            options: model.people.map { ($0.id!.uuidString.lowercased(), $0.name) }, checked: [], error: nil,
                                            hint: t("incidents.redHint")),
                    ]),
                    Forms.submit(t("incidents.addNote"), id: "note-submit"),
                ]) : .empty,
                .el("ol", ["class": "plain events timeline", "reversed": ""], items),
            ])
        }
    }
}
