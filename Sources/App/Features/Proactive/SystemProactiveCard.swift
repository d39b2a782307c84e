import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// The "scans and hunts" card of a system page: the last scan and hunt with their duty states (from the system's
/// materialised duties), every recorded scan and hunt, and links to record one, import a scanner report and see the
/// system's findings.
enum SystemProactiveCard {
    struct Model: Sendable {
        let assessments: [ProactiveAssessment]
        let files: [UUID: [StoredFile]]
    }

    /// nil for readers without `viewProactive` (the police liaison), who see no card.
    static func query(system: InformationSystem, subject: Subject, on db: any Database) async throws -> Model? {
        guard Policy.can(subject, .viewProactive), let id = system.id else { return nil }
        let assessments = try await ProactiveAssessment.query(on: db).filter(\.$systemId == id)
            .sort(\.$startedAt, .descending).sort(\.$id).range(0..<200).all()
        let files = try await StoredFileService.files(recordType: ProactiveAssessmentService.recordType, recordIds: assessments.compactMap(\.id), on: db)
        return Model(assessments: assessments, files: files)
    }

    static func render(req: Request, system: InformationSystem, obligations: [Obligation], model: Model?) -> Body {
        guard let model, let subject = req.subject, let sid = system.id else { return .empty }
        let t = req.t
        let lang = req.lang
        let id = sid.uuidString.lowercased()
        let byDuty = Dictionary(obligations.map { ($0.dutyId, $0) }) { a, _ in a }
        func last(_ kind: AssessmentKind) -> ProactiveAssessment? {
            model.assessments.filter { $0.kind == kind.rawValue && $0.state == "completed" }.max { $0.countedAt < $1.countedAt }
        }
        func line(_ kind: AssessmentKind, id lineId: String) -> Body {
            let duty = byDuty[kind.duty.rawValue]
            let latest = last(kind)
            var nodes: [Body] = [.txt((kind == .vulnerabilityScan ? t("proactive.lastScan") : t("proactive.lastHunt")) + ": ")]
            if let latest {
                nodes.append(.link(SiteURL.proactive(.assessment(.value(latest.id!))).path, DisplayTime.date(latest.countedAt)))
                nodes.append(.txt(" (\(latest.performer)) "))
            } else {
                nodes.append(.txt(t("proactive.never") + " "))
            }
            nodes.append(ProactiveBadges.duty(duty, never: latest == nil, t: t))
            if let duty, duty.state != .notApplicable { nodes.append(.el("span", ["class": "muted small"], [.txt(" " + duty.explanation(lang.rawValue))])) }
            return .el("p", ["id": lineId], nodes)
        }
        var links: [Body] = []
        if Policy.can(subject, .recordAssessments, .owned(agencyId: system.$agency.id)) {
            links.append(.link(SiteURL.proactive(.newAssessment).path(query: ["systemId": id]), t("proactive.record"), id: "record-proactive", cls: "button"))
            links.append(.link(SiteURL.scans(.new).path(query: ["systemId": id]), t("proactive.importReport"), id: "proactive-import-scan", cls: "button"))
        }
        links.append(.link(SiteURL.findings(.index).path(query: ["system": id]), t("proactive.findingsOfSystem"), id: "proactive-findings-link", cls: "button"))
        let rows: [Body] = model.assessments.map { a in
            .el("tr", [:], [
                .el("td", [:], [.link(SiteURL.proactive(.assessment(.value(a.id!))).path, DisplayTime.date(a.startedAt)
                                      + (a.finishedAt.map { " – " + DisplayTime.date($0) } ?? ""))]),
                .el("td", [:], [.txt(a.assessmentKind?.label.text(lang) ?? a.kind)]),
                .el("td", [:], [.txt(a.performer), .el("div", ["class": "muted small"],
                                                         [.txt(AssessmentPerformer(rawValue: a.performerKind)?.label.text(lang) ?? a.performerKind)])]),
                .el("td", [:], [.txt(a.tool ?? "—")]),
                .el("td", [:], [ProactiveBadges.assessmentState(a.state, t: t)]),
                .el("td", [:], [.txt(String(a.findingsCount))]),
                .el("td", [:], [FileLinks.list(model.files[a.id!] ?? [])]),
            ])
        }
        return .el("section", ["class": "card", "id": "proactive"], [
            .el("h2", [:], [.txt(t("proactive.title"))]),
            line(.vulnerabilityScan, id: "proactive-scan"),
            line(.threatHunt, id: "proactive-hunt"),
            byDuty[ProactiveDuty.findingsOverdue.rawValue].map { o in
                .el("p", ["id": "proactive-findings"], [.txt(o.title(lang.rawValue) + ": "), SystemBadges.obligation(o, t: t),
                                                       .el("span", ["class": "muted small"], [.txt(" " + o.explanation(lang.rawValue))])])
            } ?? .empty,
            .el("div", ["class": "buttons"], links),
            rows.isEmpty ? .el("p", ["class": "muted"], [.txt(t("proactive.noneRecorded"))]) : .el("table", ["class": "table", "id": "proactive-table"], [
                .el("thead", [:], [.el("tr", [:], [t("proactive.dates"), t("proactive.kind"), t("proactive.performer"), t("proactive.tool"),
                                                   t("proactive.state"), t("proactive.findingsCount"), t("proactive.reportFiles")].map {
                    .el("th", ["scope": "col"], [.txt($0)])
                })]),
                .el("tbody", [:], rows),
            ]),
        ])
    }
}
