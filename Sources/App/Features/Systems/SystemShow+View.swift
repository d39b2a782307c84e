import Foundation
import Domain
import Plot
import Vapor

extension SystemShow {
    struct View {
        let req: Request
        let model: Model
        var componentInput = ComponentInput()
        var componentErrors: [String: String] = [:]
        var assessmentInput = AssessmentInput()
        var assessmentErrors: [String: String] = [:]

        func render() -> Page {
            let t = req.t
            let s = model.system
            let sid = s.id!
            let canEdit = Policy.can(model.subject, .editSystems, .owned(agencyId: s.$agency.id))
            let canDelete = Policy.can(model.subject, .deleteSystem, .owned(agencyId: s.$agency.id))
            return Layout(req: req).page(title: s.name, section: .systems, flash: FlashMessage.from(req), content: [
                .el("p", ["class": "crumbs"], [.link(SiteURL.systems.path, t("systems.title"))]),
                .el("div", ["class": "page-head"], [
                    .el("div", [:], [
                        .el("h1", [:], [.txt(s.name)]),
                        .el("p", ["class": "muted"], [.txt("\(s.code) · \(model.agency?.name ?? "—")")]),
                    ]),
                    .el("div", ["class": "buttons"], [
                        canEdit ? .link(SiteURL.systemClassify(.value(sid)).path, t("wizard.start"), id: "classify", cls: "button primary") : .empty,
                        canEdit ? .link(SiteURL.systemEdit(.value(sid)).path, t("common.edit"), id: "edit-system", cls: "button") : .empty,
                        .link(SiteURL.systemControls(.value(sid)).path, t("controls.forSystem"), id: "system-controls", cls: "button"),
                        .link(SiteURL.systemHistory(.value(sid)).path, t("systems.history"), id: "system-history", cls: "button"),
                        Policy.can(model.subject, .viewIncidents)
                            ? .link(SiteURL.incidents(.index).path(query: ["system": sid.uuidString.lowercased()]), t("incidents.ofSystem"),
                                    id: "system-incidents", cls: "button") : .empty,
                        ScanLinks.systemButtons(req: req, system: s, subject: model.subject),
                        canDelete ? Forms.postButton(req, action: SiteURL.systemDelete(.value(sid)).path, label: t("common.delete"), id: "delete-system",
                                                     cls: "danger", confirm: t("systems.confirmDelete")) : .empty,
                    ]),
                ]),
                s.needsRedetermination ? .el("div", ["class": "flash error", "role": "alert", "id": "redetermine"], [
                    .txt(t("systems.redetermineNote", fieldLabels(s.redeterminationFields))),
                ]) : .empty,
                levelCard(),
                SystemResponseCard.render(req: req, system: s, obligations: model.obligations),
                SystemProactiveCard.render(req: req, system: s, obligations: model.obligations, model: model.proactive),
                obligationsCard(),
                overviewCard(),
                componentsCard(canEdit: canEdit),
                assessmentsCard(canEdit: canEdit),
            ])
        }

        private func fieldLabels(_ raw: String?) -> String {
            (raw ?? "").split(separator: ",").map { req.t("criterionField.\($0)") }.joined(separator: ", ")
        }

        private func levelCard() -> Body {
            let t = req.t
            let s = model.system
            let sid = s.id!
            let rows: [Body] = model.dossiers.map { d in
                .el("tr", [:], [
                    .el("td", [:], [.link(SiteURL.systemDossier(.value(sid), .value(d.id!)).path, t("systems.levelN", String(d.proposedLevel)))]),
                    .el("td", [:], [DossierBadges.state(d.state, t: t)]),
                    .el("td", [:], [.txt(d.createdAt.map(DisplayTime.date) ?? "—")]),
                    .el("td", [:], [.txt(d.decisionNumber.map { "\($0) · \(d.decisionDate.map(DisplayTime.date) ?? "")" } ?? "—")]),
                ])
            }
            return .el("section", ["class": "card", "id": "level"], [
                .el("h2", [:], [.txt(t("systems.levelSection"))]),
                .el("p", [:], [
                    SystemBadges.level(approved: s.approvedLevel, proposed: s.proposedLevel, redetermine: false, t: t),
                    s.approvedAt.map { .txt(" " + t("systems.approvedOn", DisplayTime.date($0))) } ?? .empty,
                ]),
                model.plan.map { plan in
                    .el("p", ["id": "plan-status"], [
                        .txt(t("controls.planStatus") + ": "),
                        .el("strong", [:], [.txt(t("planStatus.\(plan.status.rawValue)") + (plan.status == .partial ? " (\(plan.percent)%)" : ""))]),
                        .txt(" · "), .link(SiteURL.systemControls(.value(sid)).path, t("controls.open")),
                    ])
                } ?? .el("p", ["class": "muted"], [.txt(t("controls.needsLevel"))]),
                rows.isEmpty ? .el("p", ["class": "muted"], [.txt(t("dossier.none"))]) : .el("table", ["class": "table", "id": "dossiers"], [
                    .el("thead", [:], [.el("tr", [:], [t("dossier.level"), t("dossier.state"), t("dossier.opened"), t("dossier.decision")].map {
                        .el("th", ["scope": "col"], [.txt($0)])
                    })]),
                    .el("tbody", [:], rows),
                ]),
            ])
        }

        private func obligationsCard() -> Body {
            let t = req.t
            let lang = req.lang.rawValue
            return .el("section", ["class": "card", "id": "obligations"], [
                .el("h2", [:], [.txt(t("obligations.title"))]),
                ObligationTable.render(model.obligations, lang: lang, t: t, showSubject: false, systemNames: [:]),
            ])
        }

        private func overviewCard() -> Body {
            let t = req.t
            let s = model.system
            func row(_ label: String, _ value: String?) -> [Body] {
                [.el("dt", [:], [.txt(label)]), .el("dd", [:], [.txt(value?.isEmpty == false ? value! : "—")])]
            }
            func yes(_ b: Bool) -> String { b ? t("common.yes") : t("common.no") }
            let number = s.personalDataSubjects.formatted(.number.locale(Locale(identifier: req.lang == .vi ? "vi_VN" : "en_US")))
            var items: [Body] = []
            items += row(t("systems.ownerName"), s.ownerName)
            items += row(t("systems.operatorName"), s.operatorName)
            items += row(t("systems.purpose"), s.purpose)
            items += row(t("systems.functionType"), t("functionType.\(s.functionType.rawValue)"))
            items += row(t("systems.informationClasses"), s.informationClasses.map { t("infoClass.\($0.rawValue)") }.joined(separator: ", "))
            items += row(t("systems.personalDataSubjects"), number)
            items += row(t("systems.onlineServiceLevel"), t("onlineService.\(s.onlineServiceLevel.rawValue)"))
            items += row(t("systems.conditionalBusiness"), yes(s.conditionalBusiness))
            items += row(t("systems.infrastructureScope"), t("infraScope.\(s.infrastructureScope.rawValue)"))
            items += row(t("systems.industrialControl"), t("ics.\(s.industrialControl.rawValue)"))
            items += row(t("systems.operates24x7"), yes(s.operates24x7))
            items += row(t("systems.nationalEGovernment"), yes(s.nationalEGovernment))
            items += row(t("systems.storesNationalData"), yes(s.storesNationalData))
            items += row(t("systems.nationalImportant"), yes(s.nationalImportant))
            items += row(t("systems.lifecycle"), t("lifecycle.\(s.lifecycle.rawValue)"))
            items += row(t("systems.goLiveDate"), s.goLiveDate.map(DisplayTime.date))
            items += row(t("systems.hosting"), t("hosting.\(s.hosting.rawValue)") + (s.hostingProvider.map { " — \($0)" } ?? ""))
            items += row(t("systems.networkAddresses"), InventoryValidators.lines(s.networkAddresses).joined(separator: ", "))
            items += row(t("systems.domains"), InventoryValidators.lines(s.domains).joined(separator: ", "))
            items += row(t("systems.urls"), InventoryValidators.lines(s.urls).joined(separator: ", "))
            items += row(t("systems.contactName"), [s.contactName, s.contactPhone, s.contactEmail].compactMap { $0 }.joined(separator: " · "))
            return .el("section", ["class": "card", "id": "overview"], [
                .el("h2", [:], [.txt(t("systems.overview"))]),
                .el("dl", ["class": "facts"], items),
            ])
        }

        private func componentsCard(canEdit: Bool) -> Body {
            let t = req.t
            let sid = model.system.id!
            let rows: [Body] = model.components.map { c in
                .el("tr", [:], [
                    .el("td", [:], [.txt(c.name)]), .el("td", [:], [.txt(c.vendor ?? "—")]), .el("td", [:], [.txt(c.product ?? "—")]),
                    .el("td", [:], [.txt(c.version ?? "—")]), .el("td", [:], [.el("code", [:], [.txt(c.cpe ?? "")])]),
                    .el("td", [:], [.txt(c.level.map { t("systems.levelN", String($0)) } ?? "—")]),
                    .el("td", [:], canEdit ? [
                        .link(SiteURL.systemComponentEdit(.value(sid), .value(c.id!)).path, t("common.edit")), .txt(" "),
                        Forms.postButton(req, action: SiteURL.systemComponentDelete(.value(sid), .value(c.id!)).path, label: t("common.delete"),
                                         cls: "link danger", confirm: t("components.confirmDelete")),
                    ] : []),
                ])
            }
            return .el("section", ["class": "card", "id": "components"], [
                .el("h2", [:], [.txt(t("components.title"))]),
                rows.isEmpty ? .el("p", ["class": "muted"], [.txt(t("components.empty"))]) : .el("table", ["class": "table", "id": "components-table"], [
                    .el("thead", [:], [.el("tr", [:], [t("components.name"), t("components.vendor"), t("components.product"), t("components.version"),
                                                       t("components.cpe"), t("components.level"), ""].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], rows),
                ]),
                canEdit ? .el("details", componentErrors.isEmpty ? [:] : ["open": ""], [
                    .el("summary", [:], [.txt(t("components.add"))]),
                    Forms.errorSummary(componentErrors, t: t),
                    Forms.post(req, action: SiteURL.systemComponents(.value(sid)).path, id: "component-form", cls: "form",
                               ComponentFields.fields(input: componentInput, errors: componentErrors, t: t) + [Forms.submit(t("components.add"), id: "add-component")]),
                ]) : .empty,
            ])
        }

        private func assessmentsCard(canEdit: Bool) -> Body {
            let t = req.t
            let sid = model.system.id!
            let err: (String) -> String? = { assessmentErrors[$0].map { t($0) } }
            let rows: [Body] = model.assessments.map { a in
                .el("tr", [:], [
                    .el("td", [:], [.txt(DisplayTime.date(a.performedOn))]),
                    .el("td", [:], [.txt(t("assessmentKind.\(a.kind)"))]),
                    .el("td", [:], [.txt(a.assessor)]),
                    .el("td", [:], [.txt(a.independent ? t("common.yes") : t("common.no"))]),
                    .el("td", [:], [.txt(a.summary ?? "")]),
                    .el("td", [:], [FileLinks.list(model.assessmentFiles[a.id!] ?? [])]),
                ])
            }
            return .el("section", ["class": "card", "id": "assessments"], [
                .el("h2", [:], [.txt(t("assessments.title"))]),
                .el("p", ["class": "muted"], [.txt(t("assessments.intro"))]),
                rows.isEmpty ? .el("p", ["class": "muted"], [.txt(t("assessments.empty"))]) : .el("table", ["class": "table", "id": "assessments-table"], [
                    .el("thead", [:], [.el("tr", [:], [t("assessments.performedOn"), t("assessments.kind"), t("assessments.assessor"),
                                                       t("assessments.independent"), t("assessments.summary"), t("files.title")].map {
                        .el("th", ["scope": "col"], [.txt($0)])
                    })]),
                    .el("tbody", [:], rows),
                ]),
                canEdit ? .el("details", assessmentErrors.isEmpty ? [:] : ["open": ""], [
                    .el("summary", [:], [.txt(t("assessments.add"))]),
                    Forms.errorSummary(assessmentErrors, t: t),
                    Forms.multipart(req, action: SiteURL.systemAssessments(.value(sid)).path, id: "assessment-form", cls: "form", [
                        Forms.input(.init(name: "performedOn", label: t("assessments.performedOn"), value: assessmentInput.performedOn,
                                          error: err("performedOn"), type: "date", required: true)),
                        Forms.select(name: "kind", label: t("assessments.kind"), options: ["periodic", "ad_hoc"].map { ($0, t("assessmentKind.\($0)")) },
                                     selected: assessmentInput.kind ?? "periodic", error: err("kind"), required: true),
                        Forms.input(.init(name: "assessor", label: t("assessments.assessor"), value: assessmentInput.assessor, error: err("assessor"),
                                          required: true, maxLength: 300)),
                        Forms.checkbox(name: "independent", value: "true", label: t("assessments.independentLabel"),
                                       checked: SystemInput.flag(assessmentInput.independent)),
                        Forms.textarea(name: "summary", label: t("assessments.summary"), value: assessmentInput.summary, error: err("summary"), maxLength: 8000),
                        Forms.fileInput(label: t("files.attach"), error: err("files"), hint: t("files.hint")),
                        Forms.submit(t("assessments.add"), id: "add-assessment"),
                    ]),
                ]) : .empty,
            ])
        }
    }
}

/// Links to stored files.
enum FileLinks {
    static func list(_ files: [StoredFile]) -> Body {
        guard !files.isEmpty else { return .txt("—") }
        return .el("ul", ["class": "plain files"], files.map { f in
            .el("li", [:], [.link(SiteURL.file(.value(f.id!)).path, f.originalName), .el("span", ["class": "muted small"], [
                .txt(" (\(ByteCountFormatter.string(fromByteCount: f.size, countStyle: .file)))"),
            ])])
        })
    }
}
