import Foundation
import Domain
import Formats
import Plot
import Vapor

extension ScansIndex {
    struct View {
        let req: Request
        let model: Model

        func render() -> Page {
            let t = req.t
            let list = model.list
            let rows: [[Body]] = model.rows.map { row in
                let s = row.scan
                return [
                    .link(SiteURL.scans(.show(.value(s.id!))).path, DisplayTime.dateTime(s.createdAt ?? Date())),
                    .link(SiteURL.system(.value(s.systemId)).path, row.systemCode),
                    .txt([s.fileName, s.format.flatMap(ScannerNames.display)].compactMap { $0 }.joined(separator: " · ")),
                    ScanBadges.state(s.state, progress: row.progress, t: t),
                    .txt(s.state == ScanImportState.imported.rawValue
                         ? t("scans.countsShort", String(s.findingsTotal), String(s.findingsNew), String(s.findingsReopened), String(s.findingsClosed))
                         : "—"),
                    .txt(s.createdByName),
                ]
            }
            return Layout(req: req).page(title: t("scans.title"), section: .proactive, flash: FlashMessage.from(req), content: [
                .el("div", ["class": "page-head"], [
                    .el("h1", [:], [.txt(t("scans.title"))]),
                    Policy.can(req.subject!, .recordAssessments) ? .link(SiteURL.scans(.new).path, t("scans.upload"), id: "new-scan", cls: "button primary") : .empty,
                ]),
                .el("p", ["class": "muted"], [.txt(t("scans.intro"))]),
                .el("form", ["method": "get", "action": SiteURL.scans(.index).path, "class": "filters", "role": "search"], [
                    Forms.select(name: "system", label: t("scans.system"), options: model.systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                                 selected: list.filters["system"]?.lowercased(), error: nil, includeBlank: t("common.all")),
                    Forms.select(name: "state", label: t("scans.state"), options: ScanImportState.allCases.map { ($0.rawValue, t("scans.state.\($0.rawValue)")) },
                                 selected: list.filters["state"], error: nil, includeBlank: t("common.all")),
                    .el("button", ["type": "submit"], [.txt(t("common.filter"))]),
                ]),
                Tables.table(id: "scans", base: .scans(.index), query: list,
                             columns: [.init(label: t("scans.when")), .init(label: t("scans.system")), .init(label: t("scans.report")),
                                       .init(label: t("scans.state")), .init(label: t("scans.findings")), .init(label: t("scans.by"))],
                             rows: rows, empty: t("scans.empty")),
                Tables.pagination(base: .scans(.index), query: list, total: model.total, t: t),
            ])
        }
    }
}

enum ScanBadges {
    static func state(_ raw: String, progress: Int? = nil, t: Localizer) -> Body {
        let state = ScanImportState(rawValue: raw)
        let cls = switch state {
        case .imported: "ok"
        case .failed: "danger"
        case .awaitingConfirmation, .running: "warn"
        case .cancelled, nil: "muted"
        }
        let label = t("scans.state.\(raw)") + (state == .running ? progress.map { " \($0)%" } ?? "" : "")
        return .el("span", ["class": "badge \(cls)", "id": nil], [.txt(label)])
    }
}

/// Display names of the stored scanner format values.
enum ScannerNames {
    static func display(_ raw: String) -> String? {
        ScannerFormat(rawValue: raw)?.displayName ?? raw
    }
}
