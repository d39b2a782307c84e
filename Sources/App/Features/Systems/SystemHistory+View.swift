import Foundation
import Domain
import Plot
import Vapor

/// Every revision of a system, newest first, each with what changed from the one before.
struct SystemHistoryView {
    let req: Request
    let system: InformationSystem
    let revisions: [SystemRevision]

    func render() -> Page {
        let t = req.t
        let sid = system.id!
        let snapshots = revisions.map { SystemSnapshot.decode($0.snapshot) }
        var items: [Body] = []
        for (index, revision) in revisions.enumerated() {
            let previous = index + 1 < snapshots.count ? snapshots[index + 1] : nil
            let changes = snapshots[index]?.changes(from: previous) ?? []
            items.append(.el("li", ["class": "card revision", "id": "revision-\(revision.number)"], [
                .el("h2", [:], [.txt(t("history.revision", String(revision.number)))]),
                .el("p", ["class": "muted"], [.txt("\(DisplayTime.dateTime(revision.changedAt)) · \(revision.changedByName) · \(t("history.action.\(revision.action)"))")]),
                changes.isEmpty ? .el("p", ["class": "muted"], [.txt(t("history.noChanges"))]) : .el("table", ["class": "table diff"], [
                    .el("thead", [:], [.el("tr", [:], [t("history.field"), t("history.before"), t("history.after")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], changes.map { c in
                        .el("tr", [:], [
                            .el("td", [:], [.txt(t("snapshotField.\(c.field)"))]),
                            .el("td", ["class": "before"], [c.before.map { .el("del", [:], [.txt(SnapshotDisplay.value(c.field, $0, t: t))]) } ?? .txt("—")]),
                            .el("td", ["class": "after"], [c.after.map { .el("ins", [:], [.txt(SnapshotDisplay.value(c.field, $0, t: t))]) } ?? .txt("—")]),
                        ])
                    }),
                ]),
            ]))
        }
        return Layout(req: req).page(title: t("systems.history"), section: .systems, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.system(.value(sid)).path, system.name)]),
            .el("h1", [:], [.txt(t("systems.historyOf", system.name))]),
            .el("ol", ["class": "plain revisions", "id": "revisions"], items),
        ])
    }
}

/// Revision values are stored as codes; people read them in their language.
enum SnapshotDisplay {
    static let enumPrefixes: [String: String] = [
        "functionType": "functionType", "onlineServiceLevel": "onlineService", "infrastructureScope": "infraScope",
        "industrialControl": "ics", "lifecycle": "lifecycle", "hosting": "hosting",
    ]
    static let flags: Set<String> = ["conditionalBusiness", "operates24x7", "nationalEGovernment", "storesNationalData", "nationalImportant"]

    static func value(_ field: String, _ raw: String, t: Localizer) -> String {
        if let prefix = enumPrefixes[field] { return t("\(prefix).\(raw)") }
        if flags.contains(field) { return raw == "true" ? t("common.yes") : t("common.no") }
        if field == "informationClasses" {
            return raw.split(separator: ",").map { t("infoClass.\($0.trimmingCharacters(in: .whitespaces))") }.joined(separator: ", ")
        }
        if field == "approvedLevel" { return t("systems.levelN", raw) }
        if field == "networkAddresses" || field == "domains" || field == "urls" { return raw.replacingOccurrences(of: "\n", with: ", ") }
        return raw
    }
}
