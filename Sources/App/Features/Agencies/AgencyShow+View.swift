import Foundation
import Domain
import Plot
import Vapor

struct AgencyShowView {
    struct Model {
        let agency: Agency
        let parent: Agency?
        let children: [Agency]
        let userCount: Int
        /// The agency's systems and their duties that are behind (nil when the caller may not see systems).
        var systems: [InformationSystem]? = nil
        var obligations: [Obligation] = []
    }

    let req: Request
    let model: Model

    func render() -> Page {
        let t = req.t
        let subject = req.subject!
        let agency = model.agency
        let id = agency.id!
        let canEdit = Policy.can(subject, .updateAgency, .owned(agencyId: id)) || Policy.can(subject, .updateAgencyContact, .owned(agencyId: id))
        let rows: [(String, Body)] = [
            (t("field.code"), .txt(agency.code)),
            (t("field.kind"), .txt(t("agencyKind.\(agency.kind.rawValue)"))),
            (t("field.parent"), model.parent.map { .link(SiteURL.agency(.value($0.id!)).path, $0.name) } ?? .txt("—")),
            (t("field.address"), .txt(agency.address ?? "—")),
            (t("field.contactPhone"), .txt(agency.contactPhone ?? "—")),
            (t("field.contactEmail"), .txt(agency.contactEmail ?? "—")),
            (t("agencies.users"), .txt(String(model.userCount))),
            (t("field.updatedAt"), .txt(agency.updatedAt.map(DisplayTime.dateTime) ?? "—")),
        ]
        return Layout(req: req).page(title: agency.name, section: .agencies, flash: FlashMessage.from(req), content: [
            .el("div", ["class": "page-head"], [
                .el("h1", ["id": "agency-name"], [.txt(agency.name)]),
                .el("div", ["class": "buttons"], [
                    canEdit ? .link(SiteURL.agencyEdit(.value(id)).path, t("common.edit"), id: "edit-agency", cls: "button") : .empty,
                    Policy.can(subject, .deleteAgency) ? Forms.postButton(req, action: SiteURL.agencyDelete(.value(id)).path, label: t("common.delete"),
                                                                          id: "delete-agency", cls: "danger", confirm: t("agencies.confirmDelete")) : .empty,
                ]),
            ]),
            .el("dl", ["class": "card details"], rows.flatMap { label, value in [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }),
            .el("h2", [:], [.txt(t("agencies.children"))]),
            model.children.isEmpty ? .el("p", ["class": "muted"], [.txt(t("agencies.noChildren"))]) :
                .el("ul", ["class": "plain"], model.children.map { .el("li", [:], [.link(SiteURL.agency(.value($0.id!)).path, $0.name)]) }),
            model.systems.map { systems in
                .el("section", ["class": "card", "id": "agency-systems"], [
                    .el("h2", [:], [.txt(t("systems.title")), .txt(" (\(systems.count))")]),
                    systems.isEmpty ? .el("p", ["class": "muted"], [.txt(t("systems.empty"))]) :
                        .el("ul", ["class": "plain"], systems.map { s in
                            .el("li", [:], [.link(SiteURL.system(.value(s.id!)).path, s.name), .txt(" "),
                                            SystemBadges.level(approved: s.approvedLevel, proposed: s.proposedLevel, redetermine: s.needsRedetermination, t: t)])
                        }),
                    .el("h3", [:], [.txt(t("obligations.behind"))]),
                    ObligationTable.render(model.obligations, lang: req.lang.rawValue, t: t, showSubject: true,
                                           systemNames: Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, $0.name) })),
                    .link(SiteURL.obligations.path(query: ["agency": id.uuidString.lowercased()]), t("agencies.allDuties")),
                ])
            } ?? .empty,
        ])
    }
}
