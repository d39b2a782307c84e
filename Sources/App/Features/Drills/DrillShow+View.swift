import Foundation
import Domain
import Plot
import Vapor

/// One drill: facts, systems, state change, report, follow-up tasks.
struct DrillShowView {
    struct Model {
        let drill: Drill
        let agency: Agency?
        let systems: [InformationSystem]
        let files: [StoredFile]
        let tasks: [ActionTask]
        let people: [UUID: String]
        let assignable: [User]
        let library: ScenarioLibrary
    }

    let req: Request
    let model: Model
    var stateErrors: [String: String] = [:]
    var taskInput = TaskInput()
    var taskErrors: [String: String] = [:]

    func render() -> Page {
        let t = req.t
        let lang = req.lang.rawValue
        let d = model.drill
        let id = d.id!
        let canRecord = Policy.can(req.subject!, .recordDrills, .owned(agencyId: d.agencyId))
        let err: (String) -> String? = { stateErrors[$0].map { t($0) } }
        let terr: (String) -> String? = { taskErrors[$0].map { t($0) } }
        let facts: [(String, Body)] = [
            (t("drills.kind"), .txt(t("drillKind.\(d.kind.rawValue)"))),
            (t("drills.state"), DrillBadges.state(d.state, t: t)),
            (t("drills.agency"), .txt(model.agency?.name ?? "—")),
            (t("drills.plannedOn"), .txt(DisplayTime.date(d.plannedOn))),
            (t("drills.executedOn"), .txt(d.executedOn.map(DisplayTime.date) ?? "—")),
            (t("drills.scenario"), .txt([d.scenarioId.flatMap { model.library.scenario($0)?.title.text(lang) }, d.scenarioText].compactMap { $0 }
                .joined(separator: " — ").isEmpty ? "—" : [d.scenarioId.flatMap { model.library.scenario($0)?.title.text(lang) }, d.scenarioText]
                .compactMap { $0 }.joined(separator: " — "))),
            (t("drills.participants"), .txt(d.participants ?? "—")),
            (t("drills.findings"), .txt(d.findings ?? "—")),
            (t("drills.report"), FileLinks.list(model.files)),
        ]
        var stateForm: Body = .empty
        if canRecord, let next = d.state.next {
            stateForm = .el("section", ["class": "card", "id": "drill-state"], [
                .el("h2", [:], [.txt(t("drills.next.\(next.rawValue)"))]),
                Forms.errorSummary(stateErrors, t: t),
                Forms.multipart(req, action: SiteURL.drills(.state(.value(id))).path, id: "state-form", cls: "form", [
                    .void("input", ["type": "hidden", "name": "state", "value": next.rawValue]),
                    .void("input", ["type": "hidden", "name": "version", "value": String(d.version)]),
                    next == .executed ? Forms.input(.init(name: "executedOn", label: t("drills.executedOn"), value: nil, error: err("executedOn"),
                                                          type: "date", required: true)) : .empty,
                    Forms.textarea(name: "findings", label: t("drills.findings"), value: d.findings, error: err("findings"), rows: 4, maxLength: 16000),
                    next == .reportFiled ? Forms.fileInput(label: t("drills.report"), error: err("files"), hint: t("files.hint")) : .empty,
                    Forms.submit(t("drills.next.\(next.rawValue)"), id: "drill-next"),
                ]),
            ])
        }
        let taskRows: [Body] = model.tasks.map { task in
            .el("tr", [:], [
                .el("td", [:], [.txt(task.title), task.details.map { .el("p", ["class": "muted small"], [.txt($0)]) } ?? .empty]),
                .el("td", [:], [.txt(task.assigneeId.flatMap { model.people[$0] } ?? "—")]),
                .el("td", [:], [.txt(task.dueAt.map(DisplayTime.date) ?? "—")]),
                .el("td", [:], [.txt(task.doneAt.map { t("tasks.doneOn", DisplayTime.date($0)) } ?? t("tasks.open"))]),
                .el("td", [:], canRecord ? [
                    Forms.post(req, action: SiteURL.drills(.task(.value(id), .value(task.id!))).path, cls: "inline", [
                        .void("input", ["type": "hidden", "name": "version", "value": String(task.version)]),
                        .void("input", ["type": "hidden", "name": "action", "value": task.isDone ? "reopen" : "complete"]),
                        .el("button", ["type": "submit", "class": "link"], [.txt(task.isDone ? t("tasks.reopen") : t("tasks.complete"))]),
                    ]),
                ] : []),
            ])
        }
        return Layout(req: req).page(title: d.title, section: .drills, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.drills(.index).path, t("drills.title"))]),
            .el("div", ["class": "page-head"], [
                .el("h1", ["id": "drill-title"], [.txt(d.title)]),
                canRecord ? .link(SiteURL.drills(.edit(.value(id))).path, t("common.edit"), id: "edit-drill", cls: "button") : .empty,
            ]),
            .el("dl", ["class": "card details", "id": "drill-facts"], facts.flatMap { [.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [$0.1])] }),
            .el("section", ["class": "card", "id": "drill-systems"], [
                .el("h2", [:], [.txt(t("drills.systems"))]),
                .el("ul", ["class": "plain"], model.systems.map { s in .el("li", [:], [.link(SiteURL.system(.value(s.id!)).path, "\(s.name) (\(s.code))")]) }),
            ]),
            stateForm,
            .el("section", ["class": "card", "id": "drill-tasks"], [
                .el("h2", [:], [.txt(t("tasks.title"))]),
                taskRows.isEmpty ? .el("p", ["class": "muted"], [.txt(t("tasks.none"))]) : .el("table", ["class": "table", "id": "tasks-table"], [
                    .el("thead", [:], [.el("tr", [:], [t("tasks.taskTitle"), t("tasks.assignee"), t("tasks.due"), t("tasks.status"), ""]
                        .map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], taskRows),
                ]),
                canRecord ? .el("details", taskErrors.isEmpty ? [:] : ["open": ""], [
                    .el("summary", [:], [.txt(t("tasks.add"))]),
                    Forms.errorSummary(taskErrors, t: t),
                    Forms.post(req, action: SiteURL.drills(.tasks(.value(id))).path, id: "task-form", cls: "form", [
                        Forms.input(.init(name: "title", label: t("tasks.taskTitle"), value: taskInput.title, error: terr("title"), required: true, maxLength: 300)),
                        Forms.textarea(name: "details", label: t("tasks.details"), value: taskInput.details, error: terr("details"), maxLength: 4000),
                        Forms.select(name: "assigneeId", label: t("tasks.assignee"),
                                     options: model.assignable.map { ($0.id!.uuidString.lowercased(), $0.name) },
                                     selected: taskInput.assigneeId?.lowercased(), error: terr("assigneeId"), includeBlank: "—"),
                        Forms.input(.init(name: "dueAt", label: t("tasks.due"), value: taskInput.dueAt, error: terr("dueAt"), type: "date")),
                        Forms.submit(t("tasks.add"), id: "add-task"),
                    ]),
                ]) : .empty,
            ]),
        ])
    }
}
