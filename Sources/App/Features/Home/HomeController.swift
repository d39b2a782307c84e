import Foundation
import Domain
import Fluent
import Plot
import Vapor

/// The home page with real figures, each counted within the caller's scope.
enum HomeIndex {
    struct Model {
        let agencies: Int
        let users: Int
        let activeTokens: Int
        let recentEvents: [AuditEvent]?
        let systems: Int
        let approvedSystems: Int
        let duties: ObligationsController.Counts?
        let incidents: IncidentFigures.Figures?
    }

    static func query(subject: Subject, on db: any Database) async throws -> Model {
        let agencies = try await Agency.scoped(to: subject, on: db).count()
        let users = try await User.scoped(to: subject, on: db).filter(\.$status == .active).count()
        let tokenQuery = APIToken.query(on: db).filter(\.$revokedAt == nil)
            .group(.or) { $0.filter(\.$expiresAt == nil).filter(\.$expiresAt > Date()) }
        if Policy.userReadScope(for: subject) != .all {
            // Officers and the police: only the tokens of people they can see (a small set).
            tokenQuery.filter(\.$user.$id ~~ (try await User.scoped(to: subject, on: db).field(\.$id).all().compactMap(\.id)))
        }
        let tokens = try await tokenQuery.count()
        let events = Policy.can(subject, .viewAudit)
            ? try await AuditEvent.scoped(to: subject, on: db).sort(\.$sequence, .descending).limit(10).all()
            : nil
        let systems = Policy.can(subject, .viewSystems) ? try await InformationSystem.scoped(to: subject, on: db).count() : 0
        let approved = Policy.can(subject, .viewSystems)
            ? try await InformationSystem.scoped(to: subject, on: db).filter(\.$approvedLevel != nil).count() : 0
        let duties = Policy.can(subject, .viewSystems) ? try await ObligationsController.counts(subject: subject, on: db) : nil
        let incidents = Policy.can(subject, .viewIncidents) ? try await IncidentFigures.query(subject: subject, on: db) : nil
        return Model(agencies: agencies, users: users, activeTokens: tokens, recentEvents: events, systems: systems,
                     approvedSystems: approved, duties: duties, incidents: incidents)
    }

    static func show(req: Request) async throws -> Page {
        let model = try await query(subject: try req.requireSubject(), on: req.db)
        let t = req.t
        let user = try req.requireUser()
        func stat(_ value: Int, _ label: String, _ href: String?) -> Body {
            .el("div", ["class": "stat"], [
                .el("span", ["class": "number"], [.txt(value.formatted(.number.locale(Locale(identifier: req.lang == .vi ? "vi_VN" : "en_US"))))]),
                href.map { .link($0, label) } ?? .txt(label),
            ])
        }
        var content: [Body] = [
            .el("h1", [:], [.txt(t("home.greeting", user.name))]),
            .el("p", ["class": "muted"], [.txt(t("home.intro"))]),
            .el("section", ["class": "stats", "aria-label": t("home.figures")], [
                stat(model.agencies, t("home.agencies"), SiteURL.agencies.path),
                stat(model.users, t("home.activeUsers"), SiteURL.users.path),
                stat(model.activeTokens, t("home.activeTokens"), nil),
            ]),
        ]
        if let incidents = model.incidents {
            content.append(IncidentFiguresView.render(incidents, req: req))
        }
        if let duties = model.duties {
            content.append(.el("h2", [:], [.txt(t("home.duties"))]))
            content.append(.el("section", ["class": "stats", "id": "duty-stats", "aria-label": t("home.duties")], [
                stat(model.systems, t("home.systems"), SiteURL.systems.path),
                stat(model.approvedSystems, t("home.approvedSystems"), SiteURL.systems.path(query: ["sort": "level", "dir": "desc"])),
                stat(duties.byState[.overdue] ?? 0, t("obligationState.overdue"), SiteURL.obligations.path(query: ["state": "overdue"])),
                stat(duties.byState[.dueSoon] ?? 0, t("obligationState.due_soon"), SiteURL.obligations.path(query: ["state": "due_soon"])),
                stat(duties.byState[.met] ?? 0, t("obligationState.met"), SiteURL.obligations.path(query: ["state": "met"])),
            ]))
            content.append(DutyChart.render(duties, titles: ObligationSubjects.titles(req.application.rules), lang: req.lang.rawValue, t: t))
        }
        if let events = model.recentEvents {
            content.append(.el("h2", [:], [.txt(t("home.recentEvents"))]))
            content.append(.el("ul", ["class": "plain events"], events.map { event in
                .el("li", [:], [
                    .el("time", [:], [.txt(DisplayTime.dateTime(event.occurredAt))]), .txt(" · "),
                    .txt(event.actorLabel), .txt(" · "), .el("code", [:], [.txt(event.action)]),
                ])
            }))
            content.append(.link(SiteURL.audit.path, t("home.allEvents")))
        }
        return Layout(req: req).page(title: t("nav.home"), section: .home, content: [.el("div", ["id": "home"], content)])
    }
}
