import Foundation
import Domain
import Plot
import Vapor

/// The page shell: top bar (agency, user, language, sign out), left navigation showing only what
/// the user may open, and the main content.
struct Layout {
    let req: Request
    var t: Localizer { req.t }

    enum Section: String { case home, incidents, systems, obligations, controls, agencies, users, audit, settings, account, teams, plans, drills, proactive, findings, warnings, detection, none }

    func page(title: String, section: Section, flash: Flash? = nil, content: [Body]) -> Page {
        Page(html: document(title: title, body: shell(section: section, flash: flash, content: content)))
    }

    /// A page without navigation (sign-in, errors for anonymous visitors).
    func bare(title: String, status: HTTPResponseStatus = .ok, content: [Body]) -> Page {
        Page(html: document(title: title, body: [
            .el("main", ["class": "bare", "id": "main"], [languageSwitch(compact: true)] + content),
        ]), status: status)
    }

    func document(title: String, body: [Body]) -> HTML {
        HTML(
            .attribute(named: "lang", value: req.lang.rawValue),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: Markup.escape(title + " · UngCuu")),
                .link(.rel(.stylesheet), .href(SiteURL.asset("app.css").path)),
                .script(.src(SiteURL.asset("app.js").path), .attribute(named: "defer"))
            ),
            .body(.group(body))
        )
    }

    private func shell(section: Section, flash: Flash?, content: [Body]) -> [Body] {
        var main: [Body] = []
        if let flash { main.append(flash.node) }
        main += content
        return [
            .el("a", ["href": "#main", "class": "skip"], [.txt(t("layout.skipToContent"))]),
            topBar(),
            .div(.class("frame"),
                 navigation(active: section),
                 .el("main", ["id": "main", "class": "content"], main)),
        ]
    }

    private func topBar() -> Body {
        let user = req.currentUser
        return .el("header", ["class": "topbar"], [
            .el("button", ["type": "button", "class": "nav-toggle", "aria-controls": "sidenav", "aria-expanded": "false"], [.txt("☰")]),
            .el("a", ["href": SiteURL.home.path, "class": "brand"], [.txt("UngCuu")]),
            .el("span", ["class": "agency"], [.txt(UserAgencyName.of(req) ?? t("layout.province"))]),
            .el("div", ["class": "spacer"]),
            languageSwitch(compact: false),
            user != nil ? NotificationBadge.node(req) : .empty,
            user.map { user in
                .el("a", ["href": SiteURL.account.path, "class": "user", "id": "current-user"], [.txt(user.name)])
            } ?? .empty,
            user != nil ? Forms.postButton(req, action: SiteURL.signOut.path, label: t("layout.signOut"), id: "signout", cls: "link") : .empty,
        ])
    }

    private func languageSwitch(compact: Bool) -> Body {
        let other: Lang = req.lang == .vi ? .en : .vi
        return Forms.post(req, action: SiteURL.language.path, cls: "lang", [
            .void("input", ["type": "hidden", "name": "lang", "value": other.rawValue]),
            .void("input", ["type": "hidden", "name": "next", "value": req.method == .GET ? req.url.string : SiteURL.home.path]),
            .el("button", ["type": "submit", "class": "link", "id": "lang-switch", "lang": other.rawValue],
                [.txt(other == .en ? "English" : "Tiếng Việt")]),
        ])
    }

    private func navigation(active: Section) -> Body {
        guard let subject = req.subject else { return .empty }
        var items: [(Section, String, String)] = [(.home, SiteURL.home.path, t("nav.home"))]
        if Policy.can(subject, .viewIncidents) { items.append((.incidents, SiteURL.incidents(.index).path, t("nav.incidents"))) }
        if Policy.can(subject, .viewSystems) {
            items.append((.systems, SiteURL.systems.path, t("nav.systems")))
            items.append((.obligations, SiteURL.obligations.path, t("nav.obligations")))
            items.append((.controls, SiteURL.controls.path, t("nav.controls")))
        }
        if Policy.can(subject, .viewProactive) {
            items.append((.proactive, SiteURL.proactive(.index).path, t("nav.proactive")))
            items.append((.findings, SiteURL.findings(.index).path, t("nav.findings")))
        }
        if Policy.can(subject, .viewWarnings) { items.append((.warnings, SiteURL.warnings(.index).path, t("nav.warnings"))) }
        if Policy.can(subject, .viewDetection) { items.append((.detection, SiteURL.alerts(.index).path, t("nav.detection"))) }
        if Policy.can(subject, .viewTeams) { items.append((.teams, SiteURL.teams(.index).path, t("nav.teams"))) }
        if Policy.can(subject, .viewResponse) {
            items.append((.plans, SiteURL.plans(.index).path, t("nav.plans")))
            items.append((.drills, SiteURL.drills(.index).path, t("nav.drills")))
        }
        if Policy.can(subject, .viewAgencies) { items.append((.agencies, SiteURL.agencies.path, t("nav.agencies"))) }
        if Policy.can(subject, .viewUsers) { items.append((.users, SiteURL.users.path, t("nav.users"))) }
        if Policy.can(subject, .viewAudit) { items.append((.audit, SiteURL.audit.path, t("nav.audit"))) }
        if Policy.can(subject, .manageSettings) { items.append((.settings, SiteURL.settings.path, t("nav.settings"))) }
        items.append((.account, SiteURL.account.path, t("nav.account")))
        return .el("nav", ["class": "sidenav", "id": "sidenav", "aria-label": t("nav.label")], [
            .el("ul", [:], items.map { section, href, label in
                .el("li", [:], [.el("a", ["href": href, "aria-current": section == active ? "page" : nil], [.txt(label)])])
            }),
        ])
    }
}

/// The signed-in user's agency name, loaded once per request by the authenticator.
enum UserAgencyName {
    private struct Key: StorageKey { typealias Value = String }

    static func of(_ req: Request) -> String? { req.storage[Key.self] }
    static func set(_ name: String?, on req: Request) { req.storage[Key.self] = name }
}

/// A one-off message at the top of a page.
struct Flash: Sendable {
    enum Kind: String, Sendable { case success, error, info }
    let kind: Kind
    let text: String

    var node: Body {
        .el("div", ["class": "flash \(kind.rawValue)", "role": kind == .error ? "alert" : "status"], [.txt(text)])
    }
}
