import Foundation
import Domain
import Plot
import Vapor

/// One evidence file: what it is and its chain of custody (every upload, view and download).
struct EvidenceView {
    let req: Request
    let incident: Incident
    let evidence: IncidentEvidence
    let file: StoredFile
    let custody: [CustodyEntry]

    func render() -> Page {
        let t = req.t
        let id = incident.id!
        let facts: [(String, Body)] = [
            (t("evidence.name"), .txt(file.originalName)),
            (t("evidence.size"), .txt("\(ByteCountFormatter.string(fromByteCount: file.size, countStyle: .file)) (\(file.size) B)")),
            ("SHA-256", .el("code", [:], [.txt(file.sha256)])),
            (t("evidence.type"), .txt(file.contentType)),
            (t("evidence.uploaded"), .txt("\(file.uploadedByName) · \(DisplayTime.dateTime(file.uploadedAt))")),
            ("TLP", IncidentBadges.tlp(evidence.tlpRaw)),
            (t("evidence.description"), .txt(evidence.description ?? "—")),
        ]
        return Layout(req: req).page(title: file.originalName, section: .incidents, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.incidents(.index).path, t("incidents.title")), .txt(" / "),
                                           .link(SiteURL.incidents(.show(.value(id))).path + "#evidence", incident.number)]),
            .el("h1", [:], [.txt(file.originalName)]),
            .el("section", ["class": "card"], [
                .el("dl", ["class": "facts"], facts.flatMap { [.el("dt", [:], [.txt($0.0)]), .el("dd", [:], [$0.1])] }),
                .el("p", [:], [.link(SiteURL.incidents(.evidenceDownload(.value(id), .value(evidence.id!))).path, t("incidents.download"),
                                     id: "download-evidence", cls: "button primary")]),
            ]),
            .el("section", ["class": "card", "id": "custody"], [
                .el("h2", [:], [.txt(t("evidence.custody"))]),
                .el("table", ["class": "table"], [
                    .el("thead", [:], [.el("tr", [:], [t("incidents.time"), t("incidents.who"), t("incidents.action"), t("incidents.address")].map { .el("th", [:], [.txt($0)]) })]),
                    .el("tbody", [:], custody.map { c in
                        .el("tr", [:], [
                            .el("td", [:], [.txt(DisplayTime.dateTime(c.at))]), .el("td", [:], [.txt(c.actorLabel)]),
                            .el("td", [:], [.txt(t("custody.\(c.action)"))]), .el("td", [:], [.txt(req.subject?.isPolice == true ? "—" : (c.clientAddress ?? "—"))]),
                        ])
                    }),
                ]),
            ]),
        ])
    }
}
