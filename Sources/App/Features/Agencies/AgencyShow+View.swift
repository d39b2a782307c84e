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
        ])
    }
}
