import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// The person's notification choices, per kind and channel, under the account area.
enum PreferencesController {
    static func show(req: Request) async throws -> Page {
        let userId = try req.requireUser().requireID()
        let choices = try await NotificationChoices.load(userIds: [userId], on: req.db)[userId] ?? .defaults
        return PreferencesView(req: req, choices: choices).render()
    }

    /// Checkboxes named `choice[]` with values `<kind>:<channel>`; unchecked means off.
    static func update(req: Request) async throws -> Response {
        struct Form: Content { var choice: [String]? }
        let userId = try req.requireUser().requireID()
        let form = try req.content.decode(Form.self)
        var choices = NotificationChoices(enabled: [:])
        for value in form.choice ?? [] {
            let parts = value.split(separator: ":").map(String.init)
            guard parts.count == 2, let kind = NotificationKind(rawValue: parts[0]), let channel = NotificationChannel(rawValue: parts[1]) else {
                throw AppError.malformed("unknown choice \(value.prefix(60))")
            }
            choices.enabled[kind, default: []].insert(channel)
        }
        let chosen = choices
        try await req.write { db in try await NotificationChoices.save(chosen, userId: userId, on: db) }
        return req.redirect(to: SiteURL.notifications(.preferences).path(query: ["done": "notificationPreferencesSaved"]))
    }
}

struct PreferencesView {
    let req: Request
    let choices: NotificationChoices

    func render() -> Page {
        let t = req.t
        let emailOn = req.application.config.smtp != nil
        let header: [Body] = [.el("th", ["scope": "col"], [.txt(t("notifications.kind"))])]
            + NotificationChannel.personal.map { .el("th", ["scope": "col"], [.txt(t("notificationChannel.\($0.rawValue)"))]) }
        let rows: [Body] = NotificationKind.allCases.map { kind in
            .el("tr", [:], [.el("th", ["scope": "row"], [.txt(t("notificationKind.\(kind.rawValue)"))])] + NotificationChannel.personal.map { channel in
                let value = "\(kind.rawValue):\(channel.rawValue)"
                return .el("td", [:], [.el("label", ["class": "check"], [
                    .void("input", ["type": "checkbox", "name": "choice[]", "value": value, "id": "choice-\(kind.rawValue)-\(channel.rawValue)",
                                    "checked": choices.isEnabled(kind, channel) ? "" : nil,
                                    "aria-label": t("notificationKind.\(kind.rawValue)") + " – " + t("notificationChannel.\(channel.rawValue)")]),
                ])])
            })
        }
        return Layout(req: req).page(title: t("notifications.preferences"), section: .account, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("notifications.preferences"))]),
            .el("p", ["class": "muted"], [.txt(t("notifications.preferencesIntro"))]),
            emailOn ? .empty : .el("div", ["class": "flash info", "role": "status", "id": "email-disabled"], [.txt(t("notifications.emailDisabled"))]),
            Forms.post(req, action: SiteURL.notifications(.preferences).path, id: "preferences-form", cls: "card form", [
                .el("div", ["class": "table-wrap"], [.el("table", ["id": "preferences"], [
                    .el("thead", [:], [.el("tr", [:], header)]), .el("tbody", [:], rows),
                ])]),
                .el("p", ["class": "hint"], [.txt(t("notifications.webhookHint"))]),
                Forms.submit(t("common.save")),
            ]),
        ])
    }
}
