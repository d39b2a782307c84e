import Foundation
import Domain
import Plot
import Vapor

extension FindingsIndex {
    /// `GET /findings`: filters, the table (checkboxes for a bulk change of status when the reader may change them).
    static func page(req: Request, bulkInput: FindingService.StatusInput? = nil, bulkErrors: [String: String] = [:],
                     status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let list = ListQuery(req: req, filterKeys: filterKeys, sortKeys: sortKeys)
        let errors = validate(list)
        let model = errors.isEmpty ? try await query(subject: subject, list: list, on: req.db) : Model(rows: [], total: 0, list: list)
        let agencies = try await Agency.scoped(to: subject, on: req.db).sort(\.$name).all().map { (id: $0.id!, name: $0.name) }
        let systems = try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
            .map { (id: $0.id!, label: "\($0.code) · \($0.name)") }
        var page = View(req: req, model: model, filterErrors: errors.messages, agencies: agencies, systems: systems,
                        bulkInput: bulkInput ?? .init(), bulkErrors: bulkErrors).render()
        page.status = errors.isEmpty ? status : .unprocessableEntity
        return page
    }

    struct View {
        let req: Request
        let model: Model
        let filterErrors: [String: String]
        let agencies: [(id: UUID, name: String)]
        let systems: [(id: UUID, label: String)]
        let bulkInput: FindingService.StatusInput
        let bulkErrors: [String: String]

        func render() -> Page {
            let t = req.t
            let subject = req.subject!
            let canChange = Policy.can(subject, .recordAssessments)
            let list = model.list
            let now = Date()
            var columns: [Tables.Column] = canChange ? [.init(label: t("findings.select"))] : []
            columns += [
                .init(label: t("findings.severity"), sortKey: "severity"), .init(label: t("findings.findingTitle"), sortKey: "title"),
                .init(label: t("findings.host"), sortKey: "host"), .init(label: t("findings.system")),
                .init(label: t("findings.status"), sortKey: "status"), .init(label: t("findings.due"), sortKey: "due"),
                .init(label: t("findings.firstSeen"), sortKey: "firstSeen"),
            ]
            let rows: [[Body]] = model.rows.map { row in
                let f = row.finding
                var cells: [Body] = []
                if canChange {
                    cells.append(.el("label", ["class": "check"], [
                        .void("input", ["type": "checkbox", "name": "ids[]", "value": f.id!.uuidString.lowercased(), "form": "bulk-form",
                                        "aria-label": t("findings.selectOne", f.title)]),
                    ]))
                }
                cells += [
                    FindingBadges.severity(f.severity, t: t),
                    .el("span", [:], [
                        .link(SiteURL.findings(.show(.value(f.id!))).path, f.title),
                        // CVE ids the title does not already name.
                        f.cves.map { cves -> Body in
                            let extra = cves.split(separator: " ").map(String.init).filter { !f.title.uppercased().contains($0) }
                            return extra.isEmpty ? .empty : .el("span", ["class": "muted small"], [.txt(" " + extra.joined(separator: " "))])
                        } ?? .empty,
                    ]),
                    .txt(FindingBadges.place(f)),
                    .link(SiteURL.system(.value(f.systemId)).path, row.systemCode),
                    FindingBadges.status(f.statusValue, t: t),
                    FindingBadges.due(f, now: now, t: t),
                    .txt(DisplayTime.date(f.firstSeenAt)),
                ]
                return cells
            }
            return Layout(req: req).page(title: t("findings.title"), section: .findings, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [.el("h1", [:], [.txt(t("findings.title"))])]),
                .el("p", ["class": "muted"], [.txt(t("findings.intro"))]),
                list.filters["import"].map { raw in
                    var without = list.filters
                    without["import"] = nil
                    return .el("p", ["class": "flash info", "id": "import-filter"], [
                        .txt(t("findings.ofImport") + " "),
                        UUID(uuidString: raw).map { .link(SiteURL.scans(.show(.value($0))).path, t("findings.theImport")) } ?? .empty,
                        .txt(" · "),
                        .link(SiteURL.findings(.index).path(query: without), t("findings.allImports")),
                    ])
                } ?? .empty,
                filters(list),
                Forms.errorSummary(filterErrors, t: t),
                canChange ? bulkForm(list) : .empty,
                .el("p", ["class": "muted", "id": "findings-total"], [.txt(t("findings.total", String(model.total)))]),
                Tables.table(id: "findings", base: .findings(.index), query: list, columns: columns, rows: rows, empty: t("findings.empty")),
                Tables.pagination(base: .findings(.index), query: list, total: model.total, t: t),
            ])
        }

        private func filters(_ list: ListQuery) -> Body {
            let t = req.t
            return .el("form", ["method": "get", "action": SiteURL.findings(.index).path, "class": "filters", "role": "search", "id": "findings-filters"], [
                .el("label", ["for": "q"], [.txt(t("common.search"))]),
                .void("input", ["type": "search", "id": "q", "name": "q", "value": list.filters["q"] ?? "", "placeholder": t("findings.searchHint")]),
                agencies.count > 1 ? Forms.select(name: "agency", label: t("findings.agency"), options: agencies.map { ($0.id.uuidString.lowercased(), $0.name) },
                                                  selected: list.filters["agency"]?.lowercased(), error: nil, includeBlank: t("common.all")) : .empty,
                Forms.select(name: "system", label: t("findings.system"), options: systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                             selected: list.filters["system"]?.lowercased(), error: filterErrors["system"].map { t($0) }, includeBlank: t("common.all")),
                Forms.select(name: "severity", label: t("findings.severity"),
                             options: FindingSeverity.allCases.reversed().map { ($0.rawValue, t("findings.severity.\($0.rawValue)")) },
                             selected: list.filters["severity"], error: filterErrors["severity"].map { t($0) }, includeBlank: t("common.all")),
                Forms.select(name: "status", label: t("findings.status"),
                             options: [("active", t("findings.statusActive")), ("all", t("findings.statusAll"))]
                                + FindingStatus.allCases.map { ($0.rawValue, t("findings.status.\($0.rawValue)")) },
                             selected: list.filters["status"] ?? "active", error: filterErrors["status"].map { t($0) }),
                Forms.input(.init(name: "cve", label: t("findings.cve"), value: list.filters["cve"], error: filterErrors["cve"].map { t($0) },
                                  placeholder: "CVE-2024-…")),
                Forms.input(.init(name: "age", label: t("findings.age"), value: list.filters["age"], error: filterErrors["age"].map { t($0) },
                                  type: "number")),
                Forms.checkbox(name: "overdue", value: "1", label: t("findings.overdueOnly"), checked: list.filters["overdue"] != nil),
                list.filters["import"].map { .void("input", ["type": "hidden", "name": "import", "value": $0]) } ?? .empty,
                .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
            ])
        }

        /// The bulk change: the checkboxes of the table belong to this form (`form="bulk-form"`).
        private func bulkForm(_ list: ListQuery) -> Body {
            let t = req.t
            let back = SiteURL.findings(.index).path(query: list.queryItems())
            return .el("details", ["class": "card", "id": "bulk", "open": bulkErrors.isEmpty ? nil : ""], [
                .el("summary", [:], [.txt(t("findings.bulkTitle"))]),
                Forms.post(req, action: SiteURL.findings(.bulk).path, id: "bulk-form", [
                    .void("input", ["type": "hidden", "name": "next", "value": back]),
                    Forms.errorSummary(bulkErrors, t: t),
                    bulkErrors["ids"].map { .el("p", ["class": "error", "id": "ids-error"], [.txt(t($0))]) } ?? .empty,
                    .el("p", ["class": "hint"], [.txt(t("findings.bulkHint"))]),
                    FindingStatusForm.fields(t: t, input: bulkInput, errors: bulkErrors, idPrefix: "bulk-"),
                    Forms.submit(t("findings.bulkSubmit"), id: "bulk-submit"),
                ]),
            ])
        }
    }
}

/// The fields of a status change, shared by the finding page and the bulk form.
enum FindingStatusForm {
    static func fields(t: Localizer, input: FindingService.StatusInput, errors: [String: String], idPrefix: String = "",
                       choices: [FindingStatus] = [.inProgress, .fixed, .verified, .falsePositive, .acceptedRisk, .open]) -> Body {
        .group([
            Forms.select(name: "status", label: t("findings.newStatus"), options: choices.map { ($0.rawValue, t("findings.status.\($0.rawValue)")) },
                         selected: input.status, error: errors["status"].map { t($0) }, required: true, id: idPrefix + "status"),
            Forms.textarea(name: "reason", label: t("findings.reason"), value: input.reason, error: errors["reason"].map { t($0) },
                           hint: t("findings.reasonHint"), rows: 2, maxLength: 4000, id: idPrefix + "reason"),
            .el("fieldset", ["class": "field", "id": idPrefix + "acceptance"], [
                .el("legend", [:], [.txt(t("findings.acceptanceLegend"))]),
                Forms.input(.init(name: "approverName", label: t("findings.approverName"), value: input.approverName,
                                  error: errors["approverName"].map { t($0) }, maxLength: 200, id: idPrefix + "approverName")),
                Forms.input(.init(name: "acceptedUntil", label: t("findings.acceptedUntil"), value: input.acceptedUntil,
                                  error: errors["acceptedUntil"].map { t($0) }, type: "date", id: idPrefix + "acceptedUntil")),
            ]),
        ])
    }
}

enum FindingBadges {
    static func severity(_ severity: FindingSeverity, t: Localizer) -> Body {
        let cls = switch severity {
        case .critical, .high: "danger"
        case .medium: "warn"
        case .low: "ok"
        case .info: "muted"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("findings.severity.\(severity.rawValue)"))])
    }

    static func status(_ status: FindingStatus, t: Localizer) -> Body {
        let cls = switch status {
        case .open: "danger"
        case .inProgress, .fixed: "warn"
        case .verified: "ok"
        case .acceptedRisk, .falsePositive: "muted"
        }
        return .el("span", ["class": "badge \(cls)"], [.txt(t("findings.status.\(status.rawValue)"))])
    }

    static func due(_ f: Finding, now: Date, t: Localizer) -> Body {
        guard let due = f.dueAt else { return .txt("—") }
        if f.statusValue.isOpen, due < now {
            return .el("span", ["class": "badge danger"], [.txt(t("findings.overdueSince", DisplayTime.date(due)))])
        }
        return .txt(DisplayTime.date(due))
    }

    /// `10.0.0.5:443/tcp`, `www.example.vn`, `image:tag (package)`.
    static func place(_ f: Finding) -> String {
        var text = f.host ?? f.hostname ?? ""
        if let port = f.port { text += ":\(port)" + (f.proto.map { "/\($0)" } ?? "") }
        if let location = f.location, !location.isEmpty { text += text.isEmpty ? location : " (\(location))" }
        return text.isEmpty ? "—" : text
    }
}
