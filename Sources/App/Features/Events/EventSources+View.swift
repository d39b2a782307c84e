import Foundation
import Detection
import Domain
import Plot
import Vapor

enum EventSourceBadges {
    static func enabled(_ enabled: Bool, t: Localizer) -> Body {
        .el("span", ["class": enabled ? "badge ok" : "badge muted"], [.txt(t(enabled ? "events.enabled" : "events.disabled"))])
    }
}

struct EventSourcesIndexView {
    let req: Request
    let sources: [EventSource]
    let systems: [UUID: String]
    let heldEvents: Int

    func render() -> Page {
        let t = req.t
        let list = ListQuery(req: req, filterKeys: [], sortKeys: [], defaultPer: 200)
        let rows: [[Body]] = sources.map { s in
            let match: String = switch s.kind {
            case .syslog: (s.addressList + s.hostnameList).joined(separator: ", ")
            case .http: s.tokenHint.map { t("events.tokenHintShort", $0) } ?? "—"
            case .upload: "—"
            }
            return [
                .link(SiteURL.events(.source(.value(s.id!))).path, s.name),
                .txt(t("events.kind.\(s.kind.rawValue)")),
                .txt(systems[s.systemId] ?? "—"),
                .txt(match.isEmpty ? "—" : match),
                EventSourceBadges.enabled(s.enabled, t: t),
                .txt(s.lastEventAt.map(EventsFormat.time) ?? t("events.never")),
            ]
        }
        return Layout(req: req).page(title: t("events.sourcesTitle"), section: .detection, flash: FlashMessage.from(req), content: [
            .el("div", ["class": "page-head"], [
                .el("h1", [:], [.txt(t("events.sourcesTitle"))]),
                .link(SiteURL.events(.sourceNew).path, t("events.newSource"), id: "new-source", cls: "button primary"),
            ]),
            DetectionTabs.bar(.sources, req: req),
            .el("p", ["class": "muted"], [.txt(t("events.sourcesIntro"))]),
            heldEvents > 0
                ? .el("p", ["class": "flash info", "id": "held-notice"], [
                    .txt(t("events.heldNotice", String(heldEvents)) + " "),
                    .link(SiteURL.events(.unassigned).path, t("events.unassignedTitle")),
                ]) : .empty,
            Tables.table(id: "event-sources", base: .events(.sources), query: list,
                         columns: [.init(label: t("events.sourceName")), .init(label: t("events.kind")), .init(label: t("events.system")),
                                   .init(label: t("events.match")), .init(label: t("events.state")), .init(label: t("events.lastEvent"))],
                         rows: rows, empty: t("events.noSources")),
        ])
    }
}

struct EventSourceFormView {
    let req: Request
    let source: EventSource?
    let input: EventSourceInput
    let errors: [String: String]
    let systems: [(id: UUID, label: String)]

    func render() -> Page {
        let t = req.t
        func error(_ key: String) -> String? { errors[key].map { t($0) } }
        let title = source == nil ? t("events.newSource") : t("events.editSource")
        let action = source.map { SiteURL.events(.sourceEdit(.value($0.id!))).path } ?? SiteURL.events(.sourceNew).path
        return Layout(req: req).page(title: title, section: .detection, content: [
            .el("h1", [:], [.txt(title)]),
            DetectionTabs.bar(.sources, req: req),
            .el("p", ["class": "muted"], [.txt(t("events.sourceFormIntro"))]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: action, id: "source-form", cls: "card form", [
                Forms.input(.init(name: "name", label: t("events.sourceName"), value: input.name, error: error("name"), required: true, maxLength: 200)),
                Forms.select(name: "kind", label: t("events.kind"),
                             options: EventSourceKind.allCases.map { ($0.rawValue, t("events.kind.\($0.rawValue)")) },
                             selected: input.kind, error: error("kind"), required: true),
                Forms.select(name: "systemId", label: t("events.system"), options: systems.map { ($0.id.uuidString.lowercased(), $0.label) },
                             selected: input.systemId?.lowercased(), error: error("systemId"), required: true, includeBlank: t("events.chooseSystem")),
                Forms.textarea(name: "addresses", label: t("events.addresses"), value: input.addresses, error: error("addresses"),
                               hint: t("events.addressesHint"), rows: 3),
                Forms.textarea(name: "hostnames", label: t("events.hostnames"), value: input.hostnames, error: error("hostnames"),
                               hint: t("events.hostnamesHint"), rows: 3),
                source == nil
                    ? .el("div", ["class": "field"], [Forms.checkbox(name: "claimHeld", value: "true", label: t("events.claimHeld"),
                                                                     checked: input.claimHeld ?? false),
                                                      .el("p", ["class": "hint"], [.txt(t("events.claimHeldHint"))])])
                    : .empty,
                Forms.submit(source == nil ? t("events.createSource") : t("common.save"), id: "save-source"),
            ]),
        ])
    }
}

struct EventSourceShowView {
    let req: Request
    let source: EventSource
    let system: InformationSystem?
    let agency: Agency?
    let token: String?
    let flash: String?

    func render() -> Page {
        let t = req.t
        let config = req.application.config
        func fact(_ label: String, _ value: Body) -> [Body] { [.el("dt", [:], [.txt(label)]), .el("dd", [:], [value])] }
        var facts: [Body] = []
        facts += fact(t("events.kind"), .txt(t("events.kind.\(source.kind.rawValue)")))
        facts += fact(t("events.agency"), .txt(agency?.name ?? "—"))
        facts += fact(t("events.system"), system.map { .link(SiteURL.system(.value($0.id!)).path, "\($0.code) · \($0.name)") } ?? .txt("—"))
        facts += fact(t("events.state"), EventSourceBadges.enabled(source.enabled, t: t))
        if source.kind == .syslog {
            facts += fact(t("events.addresses"), .txt(source.addressList.isEmpty ? "—" : source.addressList.joined(separator: ", ")))
            facts += fact(t("events.hostnames"), .txt(source.hostnameList.isEmpty ? "—" : source.hostnameList.joined(separator: ", ")))
        }
        if source.kind == .http {
            facts += fact(t("events.token"), .txt(source.tokenHint.map { t("events.tokenHint", $0, source.tokenCreatedAt.map(EventsFormat.time) ?? "—") } ?? "—"))
        }
        facts += fact(t("events.lastEvent"), .txt(source.lastEventAt.map(EventsFormat.time) ?? t("events.never")))
        let base = config.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let usage: Body = switch source.kind {
        case .http:
            .el("div", [:], [
                .el("p", [:], [.txt(t("events.httpUsage"))]),
                .el("pre", ["id": "http-usage"], [.txt("curl -H \"Authorization: Bearer \(token ?? "ucs_…")\" -H \"Content-Type: application/x-ndjson\" \\\n"
                                                        + "     --data-binary @events.jsonl \(base)\(SiteURL.api(.events(.list)).path)")]),
                .el("p", ["class": "hint"], [.txt(t("events.httpUsageGzip"))]),
            ])
        case .syslog:
            .el("p", ["id": "syslog-usage"], [.txt(config.syslogUDPPort == nil && config.syslogTCPPort == nil
                                                   ? t("events.syslogOff")
                                                   : t("events.syslogUsage", config.syslogUDPPort.map(String.init) ?? "—",
                                                       config.syslogTCPPort.map(String.init) ?? "—"))])
        case .upload:
            .el("p", [:], [.txt(t("events.uploadUsage") + " "), .link(SiteURL.events(.upload).path(query: ["systemId": source.systemId.uuidString.lowercased()]),
                                                                     t("events.uploadTitle"))])
        }
        let flashNode: Flash? = flash.map { Flash(kind: .success, text: t($0)) } ?? FlashMessage.from(req)
        return Layout(req: req).page(title: source.name, section: .detection, flash: flashNode, content: [
            .el("div", ["class": "page-head"], [
                .el("h1", [:], [.txt(source.name)]),
                .link(SiteURL.events(.sourceEdit(.value(source.id!))).path, t("common.edit"), id: "edit-source", cls: "button"),
            ]),
            DetectionTabs.bar(.sources, req: req),
            token.map { token in
                .el("div", ["class": "flash success", "role": "status", "id": "token-once"], [
                    .el("p", [:], [.txt(t("events.tokenOnce"))]),
                    .el("code", ["class": "secret", "id": "new-token"], [.txt(token)]),
                    .el("button", ["type": "button", "data-copy": "new-token"], [.txt(t("common.copy"))]),
                ])
            } ?? .empty,
            .el("section", ["class": "card"], [.el("dl", ["class": "details", "id": "source-facts"], facts)]),
            .el("section", ["class": "card"], [.el("h2", [:], [.txt(t("events.howToSend"))]), usage]),
            .el("div", ["class": "actions"], [
                Forms.postButton(req, action: SiteURL.events(.sourceEnabled(.value(source.id!))).path(query: ["enabled": source.enabled ? "0" : "1"]),
                                 label: t(source.enabled ? "events.disable" : "events.enable"), id: "toggle-source",
                                 cls: source.enabled ? "danger" : nil, confirm: source.enabled ? t("events.confirmDisable") : nil),
                source.kind == .http
                    ? Forms.postButton(req, action: SiteURL.events(.sourceToken(.value(source.id!))).path, label: t("events.rotateToken"),
                                       id: "rotate-token", confirm: t("events.confirmRotate"))
                    : .empty,
                .link(SiteURL.events(.index).path(query: ["source": source.id!.uuidString.lowercased()]), t("events.viewEvents"), id: "source-events"),
            ]),
        ])
    }
}

struct UnassignedSendersView {
    let req: Request
    let senders: [UnassignedSenderDTO]

    func render() -> Page {
        let t = req.t
        let list = ListQuery(req: req, filterKeys: [], sortKeys: [], defaultPer: 200)
        let rows: [[Body]] = senders.map { s in
            var register: [String: String] = [:]
            if let sender = s.sender { register["sender"] = sender }
            if let host = s.host { register["host"] = host }
            var view: [String: String] = ["unassigned": "1"]
            if let host = s.host { view["host"] = host }
            return [
                .txt(s.sender ?? "—"),
                .txt(s.host ?? "—"),
                .txt(String(s.events)),
                .txt(EventsFormat.time(s.firstEventAt) + " – " + EventsFormat.time(s.lastEventAt)),
                .txt(EventsFormat.time(s.lastReceivedAt)),
                .el("span", [:], [
                    .link(SiteURL.events(.index).path(query: view), t("events.viewEvents")),
                    .txt(" · "),
                    .link(SiteURL.events(.sourceNew).path(query: register), t("events.registerSource"), cls: "register-source"),
                ]),
            ]
        }
        return Layout(req: req).page(title: t("events.unassignedTitle"), section: .detection, flash: FlashMessage.from(req), content: [
            .el("h1", [:], [.txt(t("events.unassignedTitle"))]),
            DetectionTabs.bar(.sources, req: req),
            .el("p", ["class": "muted"], [.txt(t("events.unassignedIntro"))]),
            Tables.table(id: "unassigned-senders", base: .events(.unassigned), query: list,
                         columns: [.init(label: t("events.sender")), .init(label: t("events.host")), .init(label: t("events.count")),
                                   .init(label: t("events.period")), .init(label: t("events.lastReceived")), .init(label: "")],
                         rows: rows, empty: t("events.noUnassigned")),
        ])
    }
}
