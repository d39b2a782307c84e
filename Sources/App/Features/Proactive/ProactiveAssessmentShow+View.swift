import Foundation
import Domain
import Plot
import Vapor

/// One scan or hunt: what was done, by whom, when, the result and the report files.
struct ProactiveAssessmentShowView {
    struct Model {
        let assessment: ProactiveAssessment
        let system: InformationSystem
        let agency: Agency?
        let files: [StoredFile]
        /// The system's duty for this kind (SCAN_OVERDUE or HUNT_OVERDUE), when materialised.
        let duty: Obligation?
    }

    let req: Request
    let model: Model

    func render() -> Page {
        let t = req.t
        let lang = req.lang
        let a = model.assessment
        let s = model.system
        let kind = a.assessmentKind
        let title = "\(kind?.label.text(lang) ?? a.kind) · \(s.name)"
        let canEdit = Policy.can(req.subject!, .recordAssessments, .owned(agencyId: s.$agency.id)) && a.state != "running"
        let facts: [(String, Body)] = [
            (t("proactive.system"), .link(SiteURL.system(.value(s.id!)).path, "\(s.name) (\(s.code))")),
            (t("proactive.agency"), .txt(model.agency?.name ?? "—")),
            (t("proactive.kind"), .txt(kind?.label.text(lang) ?? a.kind)),
            (t("proactive.method"), .txt(ProactiveText.method(a.method, lang: lang) ?? "—")),
            (t("proactive.state"), ProactiveBadges.assessmentState(a.state, t: t)),
            (t("proactive.performerKind"), .txt(AssessmentPerformer(rawValue: a.performerKind)?.label.text(lang) ?? a.performerKind)),
            (t("proactive.performer"), .txt(a.performer)),
            (t("proactive.startedAt"), .txt(DisplayTime.date(a.startedAt))),
            (t("proactive.finishedAt"), .txt(a.finishedAt.map(DisplayTime.date) ?? "—")),
            (t("proactive.tool"), .txt(a.tool ?? "—")),
            (t("proactive.scope"), .txt(a.scope ?? "—")),
            (t("proactive.summary"), .el("div", ["class": "prewrap"], [.txt(a.summary ?? "—")])),
            (t("proactive.findingsCount"), .txt(String(a.findingsCount))),
            (t("proactive.source"), .txt(t("proactive.source.\(ProactiveText.source(a.source))"))),
            (t("proactive.reportFiles"), FileLinks.list(model.files)),
            (t("proactive.recordedBy"), .txt("\(a.createdByName) · \(a.createdAt.map(DisplayTime.dateTime) ?? "—")")),
        ]
        var dutyLine: Body = .empty
        if let duty = model.duty {
            dutyLine = .el("p", ["id": "duty-state"], [
                .txt(duty.title(lang.rawValue) + ": "), SystemBadges.obligation(duty, t: t), .txt(" " + duty.explanation(lang.rawValue)),
            ])
        }
        return Layout(req: req).page(title: title, section: .proactive, flash: FlashMessage.from(req), content: [
            .el("p", ["class": "crumbs"], [
                .link(SiteURL.proactive(.index).path, t("proactive.title")), .txt(" › "), .link(SiteURL.system(.value(s.id!)).path, s.name),
            ]),
            .el("div", ["class": "page-head"], [
                .el("h1", [:], [.txt(title)]),
                canEdit ? .link(SiteURL.proactive(.editAssessment(.value(a.id!))).path, t("common.edit"), id: "edit-assessment", cls: "button") : .empty,
            ]),
            dutyLine,
            .el("section", ["class": "card", "id": "assessment"], [
                .el("dl", ["class": "facts"], facts.flatMap { label, value in [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }),
            ]),
        ])
    }
}

/// Labels shared by the proactive pages.
enum ProactiveText {
    /// A method's label, or what an import wrote in its own words.
    static func method(_ raw: String?, lang: Lang) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        return AssessmentMethod(rawValue: raw)?.label.text(lang) ?? raw
    }

    /// The catalogue suffix of an assessment's source.
    static func source(_ raw: String) -> String {
        ["manual", "import", "nmap", "hunt"].contains(raw) ? raw : "manual"
    }
}

enum ProactiveBadges {
    static func assessmentState(_ state: String, t: Localizer) -> Body {
        let cls = switch state {
        case "completed": "ok"
        case "running": "muted"
        default: "warn"
        }
        let known = ["running", "completed", "failed", "cancelled"].contains(state)
        return .el("span", ["class": "badge \(cls)"], [.txt(known ? t("proactive.state.\(state)") : state)])
    }

    /// A duty's state; "never" when nothing has been recorded yet and the duty is not met.
    static func duty(_ o: Obligation?, never: Bool, t: Localizer) -> Body {
        guard let o else { return .el("span", ["class": "badge muted"], [.txt("—")]) }
        if o.state == .notApplicable { return .el("span", ["class": "badge muted"], [.txt(t("obligationState.not_applicable"))]) }
        if never && o.state != .met {
            return .el("span", ["class": o.state == .overdue ? "badge danger" : "badge warn"], [.txt(t("proactive.never"))])
        }
        return SystemBadges.obligation(o, t: t)
    }
}
