import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// The webhook endpoints page (administrators and coordinators): list, create, switch on/off, remove,
/// and each endpoint's delivery log.
enum WebhooksController {
    static func index(req: Request) async throws -> Page {
        try await render(req, input: WebhookInput(), errors: [:], created: nil)
    }

    static func create(req: Request) async throws -> Response {
        struct Form: Content { var name: String?; var url: String?; var eventKinds: [String]?; var agencyId: String? }
        let form = try req.content.decode(Form.self)
        let agencyId = form.agencyId.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        let input = WebhookInput(name: form.name, url: form.url, eventKinds: form.eventKinds ?? [], agencyId: agencyId, active: true)
        do {
            let (_, secret) = try await WebhookService.create(input, req: req)
            return try await render(req, input: WebhookInput(), errors: [:], created: secret).encodeResponse(status: .created, for: req)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, input: input, errors: error.fields).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    static func toggle(req: Request) async throws -> Response {
        let webhook = try await WebhookService.find(req)
        try await WebhookService.update(webhook, with: WebhookInput(active: !webhook.active), req: req)
        return req.redirect(to: SiteURL.notifications(.webhooks).path(query: ["done": "webhookSaved"]))
    }

    static func delete(req: Request) async throws -> Response {
        try await WebhookService.delete(try await WebhookService.find(req), req: req)
        return req.redirect(to: SiteURL.notifications(.webhooks).path(query: ["done": "webhookDeleted"]))
    }

    static func show(req: Request) async throws -> Page {
        let webhook = try await WebhookService.find(req)
        let deliveries = try await WebhookDelivery.query(on: req.db).filter(\.$webhook.$id == webhook.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return WebhookDeliveriesView(req: req, webhook: webhook, deliveries: deliveries).render()
    }

    private static func render(_ req: Request, input: WebhookInput, errors: [String: String], created: String? = nil) async throws -> Page {
        let webhooks = try await Webhook.query(on: req.db).sort(\.$name).all()
        let agencies = try await Agency.query(on: req.db).sort(\.$name).all()
        return WebhooksView(req: req, webhooks: webhooks, agencies: agencies, input: input, errors: errors, createdSecret: created).render()
    }
}

extension Page {
    func encodeResponse(status: HTTPResponseStatus, for req: Request) async throws -> Response {
        var page = self
        page.status = status
        return try await page.encodeResponse(for: req)
    }
}

struct WebhooksView {
    let req: Request
    let webhooks: [Webhook]
    let agencies: [Agency]
    let input: WebhookInput
    let errors: [String: String]
    let createdSecret: String?

    func render() -> Page {
        let t = req.t
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        let agencyName = Dictionary(uniqueKeysWithValues: agencies.compactMap { a in a.id.map { ($0, a.name) } })
        let rows: [[Body]] = webhooks.map { w in
            [
                .link(SiteURL.notifications(.webhook(.value(w.id!))).path, w.name),
                .el("code", [:], [.txt(w.url)]),
                .txt(w.eventKinds.map { t("notificationKind.\($0.rawValue)") }.sorted().joined(separator: ", ")),
                .txt(w.$agency.id.flatMap { agencyName[$0] } ?? t("webhooks.provinceWide")),
                .txt(w.active ? t("webhooks.active") : t("webhooks.inactive")),
                .el("span", [:], [
                    Forms.postButton(req, action: SiteURL.notifications(.webhookToggle(.value(w.id!))).path,
                                     label: w.active ? t("webhooks.deactivate") : t("webhooks.activate")),
                    Forms.postButton(req, action: SiteURL.notifications(.webhookDelete(.value(w.id!))).path, label: t("common.delete"), cls: "danger",
                                     confirm: t("webhooks.confirmDelete")),
                ]),
            ]
        }
        let list = ListQuery(req: req, filterKeys: [], sortKeys: [], defaultPer: 200)
        return Layout(req: req).page(title: t("webhooks.title"), section: .settings, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("webhooks.title"))]),
            .el("p", ["class": "muted"], [.txt(t("webhooks.intro"))]),
            createdSecret.map { secret in
                .el("div", ["class": "flash success", "role": "status"], [
                    .el("p", [:], [.txt(t("webhooks.createdOnce"))]),
                    .el("code", ["class": "secret", "id": "webhook-secret"], [.txt(secret)]),
                ])
            } ?? .empty,
            Tables.table(id: "webhooks", base: .notifications(.webhooks), query: list, columns: [
                .init(label: t("field.name")), .init(label: t("webhooks.url")), .init(label: t("webhooks.kinds")),
                .init(label: t("webhooks.scope")), .init(label: t("webhooks.state")), .init(label: ""),
            ], rows: rows, empty: t("webhooks.none")),
            .el("h2", [:], [.txt(t("webhooks.new"))]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: SiteURL.notifications(.webhooks).path, id: "webhook-form", cls: "card form", [
                Forms.input(.init(name: "name", label: t("field.name"), value: input.name, error: err("name"), required: true, maxLength: 200)),
                Forms.input(.init(name: "url", label: t("webhooks.url"), value: input.url, error: err("url"), type: "url", required: true,
                                  hint: t("webhooks.urlHint"), maxLength: 2000)),
                Forms.checkboxGroup(name: "eventKinds", legend: t("webhooks.kinds"),
                                    options: NotificationKind.allCases.map { ($0.rawValue, t("notificationKind.\($0.rawValue)")) },
                                    checked: Set(input.eventKinds ?? []), error: err("eventKinds")),
                Forms.select(name: "agencyId", label: t("webhooks.scope"),
                             options: [("", t("webhooks.provinceWide"))] + agencies.map { ($0.id!.uuidString.lowercased(), $0.name) },
                             selected: input.agencyId?.uuidString.lowercased(), error: err("agencyId")),
                .el("p", ["class": "hint"], [.txt(t("webhooks.scopeHint"))]),
                Forms.submit(t("webhooks.create"), id: "create-webhook"),
            ]),
        ])
    }
}

struct WebhookDeliveriesView {
    let req: Request
    let webhook: Webhook
    let deliveries: [WebhookDelivery]

    func render() -> Page {
        let t = req.t
        let list = ListQuery(req: req, filterKeys: [], sortKeys: [], defaultPer: 200)
        let rows: [[Body]] = deliveries.map { d in
            [
                .txt(DisplayTime.dateTime(d.createdAt)),
                .txt(t("notificationKind.\(d.eventKind)")),
                .txt(t("webhookDelivery.\(d.state.rawValue)")),
                .txt(String(d.attempts)),
                .txt(d.statusCode.map(String.init) ?? "—"),
                .txt(d.lastError ?? ""),
            ]
        }
        return Layout(req: req).page(title: webhook.name, section: .settings, content: [
            .el("p", [:], [.link(SiteURL.notifications(.webhooks).path, "‹ " + t("webhooks.title"))]),
            .el("h1", [:], [.txt(webhook.name)]),
            .el("p", [:], [.el("code", [:], [.txt(webhook.url)])]),
            .el("h2", [:], [.txt(t("webhooks.deliveries"))]),
            Tables.table(id: "deliveries", base: .notifications(.webhook(.value(webhook.id!))), query: list, columns: [
                .init(label: t("webhooks.deliveredAt")), .init(label: t("notifications.kind")), .init(label: t("webhooks.state")),
                .init(label: t("webhooks.attempts")), .init(label: t("webhooks.statusCode")), .init(label: t("webhooks.error")),
            ], rows: rows, empty: t("webhooks.noDeliveries")),
        ])
    }
}
