import Foundation
import Detection
import Domain
import Plot
import Vapor

enum EventImportBadges {
    static func state(_ state: EventImportState, progress: Int? = nil, t: Localizer) -> Body {
        let cls = switch state {
        case .imported: "ok"
        case .failed: "danger"
        case .queued, .running: "warn"
        case .cancelled: "muted"
        }
        let label = t("events.importState.\(state.rawValue)") + (state == .running ? progress.map { " \($0)%" } ?? "" : "")
        return .el("span", ["class": "badge \(cls)", "id": "import-state"], [.txt(label)])
    }
}

struct EventUploadView {
    let req: Request
    let systems: [(id: UUID, label: String)]
    let sources: [(id: UUID, label: String)]
    let systemId: String?
    let sourceId: String?
    let errors: [String: String]
    let recent: [(EventImport, EventImportState)]
    let systemLabels: [UUID: String]

    func render() -> Page {
        let t = req.t
        let config = req.application.config
        func error(_ key: String) -> String? { errors[key].map { t($0) } }
        let list = ListQuery(req: req, filterKeys: [], sortKeys: [], defaultPer: 200)
        let rows: [[Body]] = recent.map { row, state in
            [
                .link(SiteURL.events(.importShow(.value(row.id!))).path, row.createdAt.map(EventsFormat.time) ?? "—"),
                .txt(systemLabels[row.systemId] ?? "—"),
                .txt(row.fileList.map(\.name).joined(separator: ", ")),
                EventImportBadges.state(state, progress: EventImportDTO(row, state: state).progress, t: t),
                .txt(String(row.eventsAccepted)),
                .txt(row.createdByName),
            ]
        }
        return Layout(req: req).page(title: t("events.uploadTitle"), section: .detection, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("events.uploadTitle"))]),
            DetectionTabs.bar(.events, req: req),
            .el("p", ["class": "muted"], [.txt(t("events.uploadIntro"))]),
            Forms.errorSummary(errors, t: t),
            // data-stream-upload: app.js sends the files with the CSRF token as a header and shows the upload's progress.
            .el("form", ["method": "post", "action": SiteURL.events(.upload).path, "id": "upload-form", "class": "card form",
                         "enctype": "multipart/form-data", "data-stream-upload": ""], [
                .void("input", ["type": "hidden", "name": CSRF.fieldName, "value": CSRF.token(for: req)]),
                Forms.select(name: "systemId", label: t("events.system"), options: systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                             selected: systemId?.lowercased(), error: error("systemId"), required: true, includeBlank: t("events.chooseSystem")),
                sources.isEmpty ? .empty
                    : Forms.select(name: "sourceId", label: t("events.uploadSource"), options: sources.map { ($0.id.uuidString.lowercased(), $0.label) },
                                   selected: sourceId?.lowercased(), error: error("sourceId"), includeBlank: t("events.noSource")),
                Forms.fileInput(name: "files", label: t("events.files"), error: error("files"),
                                hint: t("events.filesHint", String(config.maxEventUploadBytes / 1_048_576), String(config.maxUploadBytes / 1_048_576)),
                                accept: ".evtx,.json,.jsonl,.ndjson,.log,.txt"),
                .el("p", ["class": "upload-progress", "hidden": "", "role": "status"], [
                    .el("progress", ["max": "100", "value": "0"], []), .el("span", [:], []),
                ]),
                Forms.submit(t("events.uploadSubmit"), id: "upload-submit"),
            ]),
            .el("h2", [:], [.txt(t("events.recentImports"))]),
            Tables.table(id: "event-imports", base: .events(.upload), query: list,
                         columns: [.init(label: t("events.uploadedAt")), .init(label: t("events.system")), .init(label: t("events.files")),
                                   .init(label: t("events.state")), .init(label: t("events.accepted")), .init(label: t("events.by"))],
                         rows: rows, empty: t("events.noImports")),
        ])
    }
}

struct EventImportShowView {
    let req: Request
    let row: EventImport
    let state: EventImportState
    let system: InformationSystem?
    let source: EventSource?

    func render() -> Page {
        let t = req.t
        let dto = EventImportDTO(row, state: state)
        func fact(_ label: String, _ value: Body) -> [Body] { [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }
        var facts: [Body] = []
        facts += fact(t("events.system"), system.map { .link(SiteURL.system(.value($0.id!)).path, "\($0.code) · \($0.name)") } ?? .txt("—"))
        if let source { facts += fact(t("events.source"), .txt(source.name)) }
        facts += fact(t("events.state"), EventImportBadges.state(state, progress: dto.progress, t: t))
        facts += fact(t("events.accepted"), .el("span", ["id": "events-accepted"], [.txt(String(row.eventsAccepted))]))
        facts += fact(t("events.rejectedLines"), .el("span", ["id": "lines-rejected"], [.txt(String(row.linesRejected))]))
        facts += fact(t("events.read"), .txt(EventsFormat.bytes(row.bytesRead) + " / " + EventsFormat.bytes(row.bytesTotal)))
        facts += fact(t("events.by"), .txt(row.createdByName))
        facts += fact(t("events.uploadedAt"), .txt(row.createdAt.map(EventsFormat.time) ?? "—"))
        if let finished = row.finishedAt { facts += fact(t("events.finishedAt"), .txt(EventsFormat.time(finished))) }
        if let error = row.error { facts += fact(t("events.error"), .el("span", ["id": "import-error"], [.txt(error)])) }
        let files: [Body] = row.fileList.map { file in
            .el("li", [:], [.txt("\(file.name) · \(file.kind == .evtx ? "EVTX" : "JSON lines") · \(EventsFormat.bytes(file.size))")])
        }
        let running = !state.isFinished
        let subject = req.subject!
        return Layout(req: req).page(title: t("events.importTitle"), section: .detection, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("events.importTitle"))]),
            DetectionTabs.bar(.events, req: req),
            running
                ? .el("div", ["class": "card", "data-poll": SiteURL.events(.importState(.value(row.id!))).path, "id": "import-progress"], [
                    .el("progress", ["max": "100", "value": String(dto.progress)], [.txt("\(dto.progress)%")]),
                    .el("p", ["role": "status"], [.txt(t("events.importNote", String(row.eventsAccepted), EventsFormat.bytes(row.bytesRead),
                                                         EventsFormat.bytes(row.bytesTotal)))]),
                    .el("p", [:], [.link(SiteURL.events(.importShow(.value(row.id!))).path, t("events.refresh"))]),
                ]) : .empty,
            .el("section", ["class": "card"], [.el("dl", ["class": "details", "id": "import-facts"], facts)]),
            .el("section", ["class": "card"], [.el("h2", [:], [.txt(t("events.files"))]), .el("ul", ["id": "import-files"], files)]),
            row.warningCount > 0
                ? .el("section", ["class": "card", "id": "import-warnings"], [
                    .el("h2", [:], [.txt(t("events.warnings", String(row.warningCount)))]),
                    row.warningCount > row.warningList.count
                        ? .el("p", ["class": "hint"], [.txt(t("events.warningsFirst", String(row.warningList.count)))]) : .empty,
                    .el("ul", [:], row.warningList.map { .el("li", [:], [.el("code", [:], [.txt($0)])]) }),
                ]) : .empty,
            .el("div", ["class": "actions"], [
                running && Policy.can(subject, .uploadEvents, .owned(agencyId: row.agencyId))
                    ? Forms.postButton(req, action: SiteURL.events(.importCancel(.value(row.id!))).path, label: t("events.cancelImport"),
                                       id: "cancel-import", cls: "danger", confirm: t("events.confirmCancelImport"))
                    : .empty,
                .link(SiteURL.events(.index).path(query: ["system": row.systemId.uuidString.lowercased()]), t("events.viewEvents"), id: "import-events"),
            ]),
        ])
    }
}
