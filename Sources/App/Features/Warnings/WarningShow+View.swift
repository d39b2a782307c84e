import Foundation
import Domain
import Plot
import Vapor

/// One warning: what it says, the affected products, and the affected systems with the reason for each match, what the
/// agency did, and the forms to acknowledge, remediate (with evidence) or declare "not affected".
struct WarningShowView {
    struct Model {
        let warning: AuthorityWarning
        let rows: [WarningShow.Row]
        let rules: ProactiveObligationRules
    }

    let req: Request
    let model: Model
    /// Errors of a refused form, keyed by the system it was for ("add" for the add-a-system form).
    var errors: [String: [String: String]] = [:]
    /// What was typed in the refused form, to show it again.
    var typed: [String: String] = [:]

    func render() -> Page {
        let t = req.t
        let subject = req.subject!
        let w = model.warning
        let id = w.id!
        let manage = Policy.can(subject, .manageWarnings)
        let cves = WarningText.cves(w)
        let defaultDays = model.rules.warningDefaultRemediationDays
        let deadlineText: String = w.deadline.map(DisplayTime.date)
            ?? defaultDays.map { t("warnings.defaultDeadline", String($0)) } ?? t("warnings.noDeadline")
        let severity = [w.severity.map { t("warningSeverity.\($0)") }, w.cvssScore.map { "CVSS \(String(format: "%.1f", $0))" }]
            .compactMap { $0 }.joined(separator: " · ")
        let facts: [(String, Body)] = [
            (t("warnings.issuer"), .txt(w.issuer)),
            (t("warnings.number"), .txt(w.number ?? "—")),
            (t("warnings.issuedOn"), .txt(DisplayTime.date(w.issuedOn))),
            (t("warnings.deadline"), .el("span", ["id": "warning-deadline"], [.txt(deadlineText)])),
            (t("warnings.severity"), .txt(severity.isEmpty ? "—" : severity)),
            (t("warnings.cves"), cves.isEmpty ? .txt("—") : .el("span", ["id": "warning-cves"], [.group(cves.enumerated().map { i, cve in
                .group([i == 0 ? .empty : .txt(", "), .el("a", ["href": "https://nvd.nist.gov/vuln/detail/\(cve)", "rel": "noopener noreferrer"], [.txt(cve)])])
            })])),
            (t("warnings.requiredAction"), .el("span", ["class": "prewrap"], [.txt(w.requiredAction ?? "—")])),
            (t("warnings.description"), .el("span", ["class": "prewrap"], [.txt(w.details ?? "—")])),
            (t("warnings.references"), WarningText.references(w).isEmpty ? .txt("—") : .el("ul", ["class": "plain"], WarningText.references(w).map { url in
                .el("li", [:], [.el("a", ["href": url, "rel": "noopener noreferrer"], [.txt(url)])])
            })),
            (t("warnings.origin"), .txt(t("warningOrigin.\(w.origin)") + (w.originId.map { " (\($0))" } ?? ""))),
            (t("warnings.matchedAt"), .txt(w.matchedAt.map(DisplayTime.dateTime) ?? "—")),
        ]
        let products = WarningProducts.decode(w.products)
        let productTable: Body = .el("section", ["class": "card", "id": "products"], [
            .el("h2", [:], [.txt(t("warnings.products"))]),
            products.isEmpty ? .el("p", ["class": "muted"], [.txt(t("warnings.noProducts"))]) : .el("table", ["class": "table"], [
                .el("thead", [:], [.el("tr", [:], [t("warnings.vendor"), t("warnings.product"), t("warnings.versions"), t("warnings.cpe")]
                    .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                .el("tbody", [:], products.map { p in
                    .el("tr", [:], [
                        .el("td", [:], [.txt(p.vendor ?? "—")]),
                        .el("td", [:], [.txt(p.product ?? "—"), p.isPlatform ? .el("span", ["class": "badge muted"], [.txt(" " + t("warnings.platform"))]) : .empty]),
                        .el("td", [:], [.txt(p.versions ?? t("warnings.allVersions"))]),
                        .el("td", [:], [p.cpe.map { .el("code", [:], [.txt($0)]) } ?? .txt("—")]),
                    ])
                }),
            ]),
        ])
        let systemRows: [Body] = model.rows.map { r in systemRow(r, warningId: id) }
        let addForm: Body = manage ? .el("section", ["class": "card", "id": "add-system"], [
            .el("h2", [:], [.txt(t("warnings.addSystem"))]),
            .el("p", ["class": "muted"], [.txt(t("warnings.addSystemHint"))]),
            Forms.errorSummary(errors["add"] ?? [:], t: t),
            Forms.post(req, action: SiteURL.warnings(.addSystem(.value(id))).path, id: "add-system-form", cls: "form", [
                Forms.input(.init(name: "systemCode", label: t("warnings.systemCode"), value: typed["systemCode"],
                                  error: errors["add"]?["systemId"].map { t($0) }, required: true, maxLength: 64, id: "add-systemCode")),
                Forms.textarea(name: "reason", label: t("warnings.reason"), value: typed["reason"], error: errors["add"]?["reason"].map { t($0) },
                               required: true, maxLength: 4000, id: "add-reason"),
                Forms.submit(t("warnings.addSystem"), id: "add-system-submit"),
            ]),
        ]) : .empty
        return Layout(req: req).page(title: w.title, section: .warnings, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.warnings(.index).path, t("warnings.title"))]),
            .el("div", ["class": "page-head"], [
                .el("h1", ["id": "warning-title"], [.txt(w.title)]),
                manage ? .el("div", ["class": "buttons"], [
                    .link(SiteURL.warnings(.edit(.value(id))).path, t("common.edit"), id: "edit-warning", cls: "button"),
                    Forms.postButton(req, action: SiteURL.warnings(.rematch(.value(id))).path, label: t("warnings.rematch"), id: "rematch"),
                ]) : .empty,
            ]),
            .el("section", ["class": "card"], [
                .el("dl", ["class": "details"], facts.flatMap { label, value in [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }),
            ]),
            productTable,
            .el("section", ["class": "card", "id": "affected"], [
                .el("h2", [:], [.txt(t("warnings.affectedSystems") + " (\(model.rows.count))")]),
                model.rows.isEmpty ? .el("p", ["class": "muted", "id": "no-affected"], [.txt(t("warnings.noneAffectedLong"))]) : .group(systemRows),
            ]),
            addForm,
        ])
    }

    private func systemRow(_ r: WarningShow.Row, warningId: UUID) -> Body {
        let t = req.t
        let subject = req.subject!
        let row = r.row
        let sid = row.systemId
        let key = sid.uuidString.lowercased()
        let state = WarningSystemState(rawValue: row.state) ?? .affected
        let canRespond = Policy.can(subject, .respondToWarning, .owned(agencyId: r.system.$agency.id))
        let manage = Policy.can(subject, .manageWarnings)
        let err = errors[key] ?? [:]
        let action = SiteURL.warnings(.system(.value(warningId), .value(sid))).path
        let reasons = WarningReasons.decode(row.reasons)
        let reasonList: Body = .el("ul", ["class": "reasons"], reasons.map { reason in
            if reason.kind == "manual" {
                return .el("li", [:], [.txt(t("warnings.reason.manual", reason.by ?? "—", reason.at.map(DisplayTime.date) ?? "—") + ": "),
                                       .el("span", ["class": "prewrap"], [.txt(reason.note ?? "")])])
            }
            return .el("li", [:], [
                .txt(reason.explanation(req.lang) ?? reason.component ?? ""),
                // The matcher's sentence already says when the CPE was derived.
                reason.explanation(req.lang) == nil
                    ? reason.derivedCpe.map { .el("span", ["class": "muted small"], [.txt(" — " + t("warnings.reason.derived", $0))]) } ?? .empty : .empty,
            ])
        })
        var done: [Body] = []
        if let at = row.acknowledgedAt { done.append(.el("li", [:], [.txt(t("warnings.acknowledgedBy", row.acknowledgedByName ?? "—", DisplayTime.dateTime(at)))])) }
        if let at = row.remediatedAt {
            done.append(.el("li", [:], [.txt(t("warnings.remediatedBy", row.remediatedByName ?? "—", DisplayTime.dateTime(at)))]))
            if let note = row.remediationNote { done.append(.el("li", ["class": "prewrap"], [.txt(note)])) }
        }
        if let reason = row.notAffectedReason { done.append(.el("li", [:], [.txt(t("warnings.notAffectedBecause") + " "), .el("span", ["class": "prewrap"], [.txt(reason)])])) }
        if !r.files.isEmpty { done.append(.el("li", [:], [.txt(t("warnings.evidence") + ": "), FileLinks.list(r.files)])) }
        var forms: [Body] = []
        let hidden: [Body] = [.void("input", ["type": "hidden", "name": "version", "value": String(row.version)])]
        if canRespond && state.isOpen {
            if state == .affected {
                forms.append(Forms.post(req, action: action, id: "ack-\(key)", cls: "inline", hidden + [
                    .void("input", ["type": "hidden", "name": "action", "value": "acknowledge"]),
                    .el("button", ["type": "submit", "id": "acknowledge-\(key)", "class": "primary"], [.txt(t("warnings.acknowledge"))]),
                ]))
            }
            forms.append(.el("details", ["open": err["note"] != nil || err["files"] != nil ? "" : nil], [
                .el("summary", [:], [.txt(t("warnings.remediate"))]),
                Forms.multipart(req, action: action, id: "remediate-\(key)", cls: "form", hidden + [
                    .void("input", ["type": "hidden", "name": "action", "value": "remediate"]),
                    Forms.textarea(name: "note", label: t("warnings.remediationNote"), value: err.isEmpty ? nil : typed["note"],
                                   error: err["note"].map { t($0) }, hint: t("warnings.remediationHint"), required: true, maxLength: 8000, id: "note-\(key)"),
                    Forms.fileInput(label: t("warnings.evidence"), error: err["files"].map { t($0) }, hint: t("files.hint"), id: "files-\(key)"),
                    Forms.submit(t("warnings.remediate"), id: "remediate-submit-\(key)"),
                ]),
            ]))
            forms.append(.el("details", ["open": err["reason"] != nil ? "" : nil], [
                .el("summary", [:], [.txt(t("warnings.notAffected"))]),
                Forms.post(req, action: action, id: "not-affected-\(key)", cls: "form", hidden + [
                    .void("input", ["type": "hidden", "name": "action", "value": "not_affected"]),
                    Forms.textarea(name: "reason", label: t("warnings.reason"), value: err.isEmpty ? nil : typed["reason"], error: err["reason"].map { t($0) },
                                   required: true, maxLength: 4000, id: "reason-\(key)"),
                    Forms.submit(t("warnings.notAffected"), id: "not-affected-submit-\(key)"),
                ]),
            ]))
        }
        if manage && !state.isOpen {
            forms.append(.el("details", [:], [
                .el("summary", [:], [.txt(t("warnings.reopen"))]),
                Forms.post(req, action: action, id: "reopen-\(key)", cls: "form", hidden + [
                    .void("input", ["type": "hidden", "name": "action", "value": "reopen"]),
                    Forms.textarea(name: "reason", label: t("warnings.reason"), value: nil, error: err["reason"].map { t($0) }, required: true,
                                   maxLength: 4000, id: "reopen-reason-\(key)"),
                    Forms.submit(t("warnings.reopen"), id: "reopen-submit-\(key)"),
                ]),
            ]))
        }
        return .el("article", ["class": "card", "id": "system-\(key)", "data-state": row.state], [
            .el("h3", [:], [.link(SiteURL.system(.value(sid)).path, "\(r.system.name) (\(r.system.code))"),
                            .el("span", ["class": "muted small"], [.txt(" · " + (r.agencyName ?? "—"))])]),
            .el("p", ["class": "badges"], [
                WarningBadges.state(row.state, overdue: r.isOverdue, t: t),
                .el("span", ["class": "muted small"], [.txt(" " + t("warningRowOrigin.\(row.origin)"))]),
                .el("span", ["class": "small"], [.txt(" · " + t("warnings.dueAt") + ": "
                    + (r.due.map { DisplayTime.date($0.date) + ($0.fromWarning ? "" : " " + t("warnings.dueDefault")) } ?? t("warnings.noDeadline")))]),
            ]),
            .el("h4", [:], [.txt(t("warnings.why"))]),
            reasons.isEmpty ? .el("p", ["class": "muted"], [.txt("—")]) : reasonList,
            done.isEmpty ? .empty : .el("ul", ["class": "plain"], done),
            Forms.errorSummary(err, t: t),
            .group(forms),
        ])
    }
}
