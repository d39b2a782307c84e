import Foundation
import Domain
import Plot
import Vapor

/// The incident report form (thông báo sự cố). What is typed is kept in the browser and as a server draft,
/// so nothing is lost when the session expires.
struct IncidentFormView {
    let req: Request
    let input: IncidentInput
    let errors: [String: String]
    let categories: [IncidentCategory]
    let impacts: [ImpactDefinition]
    let systems: [(id: UUID, label: String)]
    let agencies: [(id: UUID, name: String)]
    let draftSavedAt: Date?

    func render() -> Page {
        let t = req.t
        let lang = req.lang
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let flags = Set(input.impactFlags ?? [])
        let chosenSystems = Set((input.systemIds ?? []).map { $0.lowercased() })
        let yes = { (raw: String?) in SystemInput.flag(raw) }
        return Layout(req: req).page(title: t("incidents.report"), section: .incidents, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.incidents(.index).path, t("incidents.title"))]),
            .el("h1", [:], [.txt(t("incidents.report"))]),
            .el("p", ["class": "muted"], [.txt(t("incidents.reportIntro"))]),
            Forms.errorSummary(errors, t: t),
            .el("p", ["class": "hint", "id": "draft-status", "aria-live": "polite", "data-saved-text": t("incidents.draftSaved"),
                      "data-offline-text": t("incidents.draftOffline"), "data-restored-text": t("incidents.draftRestoredLocal")],
                [.txt(draftSavedAt.map { t("incidents.draftRestored", DisplayTime.dateTime($0)) } ?? "")]),
            Forms.multipart(req, action: SiteURL.incidents(.new).path, id: "incident-form", cls: "autosave", [
                .void("input", ["type": "hidden", "id": "autosave-url", "value": SiteURL.incidents(.draft).path, "disabled": ""]),
                .void("input", ["type": "hidden", "id": "draft-owner", "disabled": "", "value": req.currentUser?.id?.uuidString.lowercased() ?? ""]),
                .void("input", ["type": "hidden", "id": "draft-saved-at", "disabled": "",
                                "value": draftSavedAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""]),
                .el("fieldset", [:], [
                    .el("legend", [:], [.txt(t("incidents.section.what"))]),
                    Forms.input(.init(name: "title", label: t("incidents.titleField"), value: input.title, error: err("title"), required: true,
                                      hint: t("incidents.titleHint"), maxLength: 300)),
                    Forms.select(name: "categoryCode", label: t("incidents.category"),
                                 options: categories.map { ($0.code, $0.title.text(lang)) }, selected: input.categoryCode,
                                 error: err("categoryCode"), required: true, includeBlank: t("common.choose")),
                    Forms.textarea(name: "description", label: t("incidents.description"), value: input.description, error: err("description"),
                                   hint: t("incidents.descriptionHint"), rows: 6, required: true, maxLength: 20_000),
                    Forms.input(.init(name: "detectedAt", label: t("incidents.detectedAt"), value: input.detectedAt, error: err("detectedAt"),
                                      type: "datetime-local", required: true, hint: t("incidents.detectedHint"))),
                    Forms.input(.init(name: "occurredAt", label: t("incidents.occurredAt"), value: input.occurredAt, error: err("occurredAt"),
                                      type: "datetime-local")),
                ]),
                .el("fieldset", [:], [
                    .el("legend", [:], [.txt(t("incidents.section.where"))]),
                    systemsField(chosen: chosenSystems, error: err("systemIds")),
                    agencies.isEmpty ? .empty : Forms.select(
                        name: "agencyId", label: t("incidents.agencyIfNoSystem"), options: agencies.map { ($0.id.uuidString.lowercased(), $0.name) },
                        selected: input.agencyId?.lowercased(), error: err("agencyId"), includeBlank: t("common.choose")),
                ]),
                .el("fieldset", [:], [
                    .el("legend", [:], [.txt(t("incidents.section.impact"))]),
                    Forms.checkbox(name: "servicesDown", value: "true", label: t("incidents.servicesDown"), checked: yes(input.servicesDown)),
                    Forms.textarea(name: "servicesNote", label: t("incidents.servicesNote"), value: input.servicesNote, error: err("servicesNote"),
                                   rows: 2, maxLength: 4000),
                    Forms.textarea(name: "dataAffected", label: t("incidents.dataAffected"), value: input.dataAffected, error: err("dataAffected"),
                                   rows: 2, maxLength: 4000),
                    Forms.input(.init(name: "peopleAffected", label: t("incidents.peopleAffected"), value: input.peopleAffected,
                                      error: err("peopleAffected"), type: "text", hint: t("incidents.peopleHint"))),
                    Forms.checkbox(name: "personalData", value: "true", label: t("incidents.personalData"), checked: yes(input.personalData)),
                    Forms.checkbox(name: "stateSecret", value: "true", label: t("incidents.stateSecret"), checked: yes(input.stateSecret)),
                    .el("p", ["class": "hint"], [.txt(t("incidents.stateSecretHint"))]),
                    Forms.checkboxGroup(name: "impactFlags", legend: t("incidents.impactFlags"),
                                        options: impacts.map { ($0.flag.rawValue, $0.title.text(lang)) }, checked: flags,
                                        error: err("impactFlags"), hint: t("incidents.impactFlagsHint")),
                    Forms.checkbox(name: "beyondCapability", value: "true", label: t("incidents.beyondCapability"),
                                   checked: yes(input.beyondCapability)),
                ]),
                .el("fieldset", [:], [
                    .el("legend", [:], [.txt(t("incidents.section.response"))]),
                    Forms.textarea(name: "actionsTaken", label: t("incidents.actionsTaken"), value: input.actionsTaken, error: err("actionsTaken"),
                                   rows: 4, maxLength: 20_000),
                    Forms.textarea(name: "supportRequested", label: t("incidents.supportRequested"), value: input.supportRequested,
                                   error: err("supportRequested"), rows: 2, maxLength: 4000),
                    Forms.fileInput(label: t("incidents.attachments"), error: err("files"), hint: t("incidents.attachmentsHint")),
                ]),
                .el("fieldset", [:], [
                    .el("legend", [:], [.txt(t("incidents.section.contact"))]),
                    Forms.input(.init(name: "contactName", label: t("incidents.contactName"), value: input.contactName, error: err("contactName"),
                                      required: true, autocomplete: "name", maxLength: 200)),
                    Forms.input(.init(name: "contactTitle", label: t("incidents.contactTitle"), value: input.contactTitle, error: err("contactTitle"),
                                      autocomplete: "organization-title", maxLength: 200)),
                    Forms.input(.init(name: "contactPhone", label: t("incidents.contactPhone"), value: input.contactPhone, error: err("contactPhone"),
                                      type: "tel", required: true, autocomplete: "tel")),
                    Forms.input(.init(name: "contactEmail", label: t("incidents.contactEmail"), value: input.contactEmail, error: err("contactEmail"),
                                      type: "email", autocomplete: "email")),
                ]),
                Forms.submit(t("incidents.submitReport"), id: "submit-report"),
            ]),
        ])
    }

    private func systemsField(chosen: Set<String>, error: String?) -> Body {
        let t = req.t
        return .el("div", ["class": error == nil ? "field" : "field invalid"], [
            .el("label", ["for": "systemIds"], [.txt(t("incidents.systems"))]),
            .el("select", ["id": "systemIds", "name": "systemIds[]", "multiple": "", "size": String(min(8, max(3, systems.count))),
                           "aria-invalid": error == nil ? nil : "true", "aria-describedby": "systemIds-hint"],
                systems.map { s in
                    let value = s.id.uuidString.lowercased()
                    return .el("option", ["value": value, "selected": chosen.contains(value) ? "" : nil], [.txt(s.label)])
                }),
            .el("p", ["class": "hint", "id": "systemIds-hint"], [.txt(t("incidents.systemsHint"))]),
            error.map { .el("p", ["class": "error", "id": "systemIds-error"], [.txt($0)]) } ?? .empty,
        ])
    }
}
