import Foundation
import Domain
import Plot
import Vapor

struct SystemControlsView {
    let req: Request
    let system: InformationSystem
    let rows: [ControlsQuery.Row]
    let progress: PlanProgress
    let groups: [ControlGroup]
    let failed: (UUID, SystemControlsController.ControlInput, [String: String])?

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let sid = system.id!
        let canAssess = Policy.can(req.subject!, .assessControls, .owned(agencyId: system.$agency.id))
        let level = ControlsQuery.level(for: system)
        var sections: [Body] = []
        let byGroup = Dictionary(grouping: rows, by: { $0.control.groupId })
        for group in groups.sorted(by: { $0.order < $1.order }) {
            guard let items = byGroup[group.id], !items.isEmpty else { continue }
            sections.append(.el("section", ["class": "card control-group", "id": "group-\(group.id)"], [
                .el("h2", [:], [.txt(group.title.text(lang)), .el("span", ["class": "muted small"], [.txt(" · " + t("controlFamily.\(group.family.rawValue)"))])]),
                .el("ul", ["class": "plain controls"], items.map { row(for: $0, canAssess: canAssess, lang: lang) }),
            ]))
        }
        return Layout(req: req).page(title: t("controls.forSystem"), section: .systems, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.system(.value(sid)).path, system.name)]),
            .el("h1", [:], [.txt(t("controls.titleFor", system.name))]),
            level == nil ? .el("p", ["class": "flash info"], [.txt(t("controls.needsLevel"))]) : .el("div", ["class": "card", "id": "plan-summary"], [
                .el("p", [:], [
                    .txt(t(system.approvedLevel == nil ? "controls.forProposedLevel" : "controls.forApprovedLevel", String(level!))),
                ]),
                .el("p", [:], [
                    .txt(t("controls.planStatus") + ": "),
                    .el("strong", ["id": "plan-state"], [.txt(t("planStatus.\(progress.status.rawValue)"))]),
                    .txt(" — " + t("controls.progress", String(progress.implemented), String(progress.applicable), String(progress.notApplicable), String(progress.percent))),
                ]),
                .el("div", ["class": "progress", "role": "progressbar", "aria-valuenow": String(progress.percent), "aria-valuemin": "0", "aria-valuemax": "100"], [
                    .el("span", ["style": "width: \(progress.percent)%"]),
                ]),
            ]),
        ] + sections)
    }

    private func row(for row: ControlsQuery.Row, canAssess: Bool, lang: String) -> Body {
        let t = req.t
        let c = row.control
        let sid = system.id!
        let failedHere = failed?.0 == c.id
        let input = failedHere ? failed!.1 : SystemControlsController.ControlInput(
            status: row.status.rawValue, effectiveDate: row.assessment?.effectiveDate.map(DisplayTime.isoDay),
            justification: row.assessment?.justification, evidenceLinks: row.assessment?.evidenceLinks)
        let errors = failedHere ? failed!.2 : [:]
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let statusBadge: Body = {
            let cls = switch row.status { case .implemented: "ok"; case .inProgress: "warn"; case .notApplicable: "muted"; case .notStarted: "danger" }
            return .el("span", ["class": "badge \(cls)"], [.txt(t("controlStatus.\(row.status.rawValue)"))])
        }()
        return .el("li", ["id": "control-\(c.code)", "class": "control"], [
            .el("details", failedHere ? ["open": ""] : [:], [
                .el("summary", [:], [
                    .el("code", [:], [.txt(c.code)]), .txt(" "), .txt(c.title(lang)), .txt(" "), statusBadge,
                    .el("span", ["class": "muted small"], [.txt(" · " + t("controls.fromLevel", String(c.firstLevel)))]),
                ]),
                c.description(lang).map { .el("p", [:], [.txt($0)]) } ?? .empty,
                c.evidenceHint(lang).map { .el("p", ["class": "hint"], [.txt(t("controls.evidenceHint") + ": " + $0)]) } ?? .empty,
                row.assessment.map { a in .el("p", ["class": "muted small"], [.txt(t("controls.lastUpdate", a.updatedByName, a.updatedAt.map(DisplayTime.dateTime) ?? ""))]) } ?? .empty,
                canAssess ? .empty : readOnly(row),
                FileLinks.list(row.files),
                canAssess ? Forms.multipart(req, action: SiteURL.systemControl(.value(sid), .value(c.id!)).path, cls: "form compact", [
                    Forms.errorSummary(errors, t: t),
                    Forms.select(name: "status", label: t("controls.status"), options: ControlStatus.allCases.map { ($0.rawValue, t("controlStatus.\($0.rawValue)")) },
                                 selected: input.status, error: err("status"), required: true, id: "\(c.code)-status"),
                    Forms.input(.init(name: "effectiveDate", label: t("controls.effectiveDate"), value: input.effectiveDate, error: err("effectiveDate"), type: "date",
                                      id: "\(c.code)-effectiveDate")),
                    Forms.textarea(name: "evidenceLinks", label: t("controls.evidenceLinks"), value: input.evidenceLinks, error: err("evidenceLinks"),
                                   hint: t("systems.onePerLine"), rows: 2, id: "\(c.code)-evidenceLinks"),
                    Forms.textarea(name: "justification", label: t("controls.justification"), value: input.justification, error: err("justification"),
                                   hint: t("controls.justificationHint"), rows: 2, id: "\(c.code)-justification"),
                    Forms.fileInput(label: t("files.attach"), error: err("files"), hint: t("files.hint"), id: "\(c.code)-files"),
                    Forms.submit(t("common.save"), id: "save-\(c.code)"),
                ]) : .empty,
            ]),
        ])
    }

    /// What was recorded, for those who review rather than edit.
    private func readOnly(_ row: ControlsQuery.Row) -> Body {
        let t = req.t
        guard let a = row.assessment else { return .empty }
        var items: [Body] = []
        if let date = a.effectiveDate {
            items += [.el("dt", [:], [.txt(t("controls.effectiveDate"))]), .el("dd", [:], [.txt(DisplayTime.date(date))])]
        }
        if let justification = a.justification {
            items += [.el("dt", [:], [.txt(t("controls.justification"))]), .el("dd", [:], [.txt(justification)])]
        }
        let links = InventoryValidators.lines(a.evidenceLinks)
        if !links.isEmpty {
            items += [.el("dt", [:], [.txt(t("controls.evidenceLinks"))]), .el("dd", [:], [.txt(links.joined(separator: " · "))])]
        }
        return items.isEmpty ? .empty : .el("dl", ["class": "facts"], items)
    }
}
