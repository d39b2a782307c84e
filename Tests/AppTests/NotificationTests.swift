import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// Agencies P ⊃ A ⊃ C and an unrelated B, one user per role, and the event helpers.
struct NotificationWorld {
    let parent: Agency, owner: Agency, child: Agency, other: Agency
    let coordinator: User, responder: User, leader: User, admin: User, police: User
    let officerOwner: User, officerParent: User, officerChild: User, officerOther: User

    static func make(_ app: Application) async throws -> NotificationWorld {
        let parent = try await Make.agency(app, name: "UBND tỉnh", kind: .provincialCommittee)
        let owner = try await Make.agency(app, name: "Sở Y tế", parent: parent)
        let child = try await Make.agency(app, name: "Bệnh viện tỉnh", parent: owner)
        let other = try await Make.agency(app, name: "Sở Tài chính", parent: parent)
        return NotificationWorld(
            parent: parent, owner: owner, child: child, other: other,
            coordinator: try await Make.user(app, role: .coordinator), responder: try await Make.user(app, role: .responder),
            leader: try await Make.user(app, role: .leader), admin: try await Make.user(app, role: .admin),
            police: try await Make.user(app, role: .police),
            officerOwner: try await Make.user(app, role: .agencyOfficer, agency: owner),
            officerParent: try await Make.user(app, role: .agencyOfficer, agency: parent),
            officerChild: try await Make.user(app, role: .agencyOfficer, agency: child),
            officerOther: try await Make.user(app, role: .agencyOfficer, agency: other))
    }

    func event(_ kind: NotificationKind = .newReport, shared: Bool = false, recipients: Set<UUID> = [],
               audience: Set<NotificationAudience> = Set(NotificationAudience.allCases)) -> NotificationEvent {
        let recordId = UUID()
        return NotificationEvent(kind: kind, agencyId: owner.id, recordKind: "incident", recordId: recordId,
                                 title: .key("notificationKind.\(kind.rawValue)"),
                                 summary: .text(LocalizedText(vi: "Sự cố tại Sở Y tế", en: "Incident at the health department")),
                                 link: .notifications(.index), recipients: recipients, audience: audience, sharedWithPolice: shared)
    }
}

@Suite struct NotificationRecipientTests {
    static let owner = UUID(), parent = UUID(), other = UUID()

    static func subject(_ role: Role, agency: UUID?, subtree: Set<UUID> = []) -> Subject {
        Subject(userId: UUID(), role: role, agencyId: agency, agencySubtree: subtree)
    }

    static func event(shared: Bool = false, restrictedTo: Set<UUID>? = nil, actor: UUID? = nil) -> NotificationEvent {
        NotificationEvent(kind: .newReport, agencyId: owner, recordKind: "incident", recordId: UUID(), title: .key("x"), summary: .key("y"),
                          link: .home, sharedWithPolice: shared, restrictedTo: restrictedTo, actorId: actor)
    }

    /// (who, shared with police?, notified?)
    static let table: [(String, Subject, Bool, Bool)] = [
        ("coordinator", subject(.coordinator, agency: nil), false, true),
        ("responder", subject(.responder, agency: nil), false, true),
        ("leader", subject(.leader, agency: nil), false, true),
        ("admin (cannot read incidents)", subject(.admin, agency: nil), false, false),
        ("officer of the owner", subject(.agencyOfficer, agency: owner, subtree: [owner]), false, true),
        ("officer of the parent", subject(.agencyOfficer, agency: parent, subtree: [parent, owner, other]), false, true),
        ("officer of another agency", subject(.agencyOfficer, agency: other, subtree: [other]), false, false),
        ("officer without agency", subject(.agencyOfficer, agency: nil), false, false),
        ("police, not shared", subject(.police, agency: UUID()), false, false),
        ("police, shared", subject(.police, agency: UUID()), true, true),
        ("officer of another agency, shared with police", subject(.agencyOfficer, agency: other, subtree: [other]), true, false),
    ]

    @Test(arguments: table)
    func onlyThoseWhoMayReadTheRecordAreNotified(who: String, subject: Subject, shared: Bool, notified: Bool) {
        #expect(NotificationRecipients.isEligible(subject, for: Self.event(shared: shared)) == notified, "\(who)")
    }

    @Test func restrictedRecordsReachOnlyTheNamedAndNeverTheActor() {
        let coordinator = Self.subject(.coordinator, agency: nil)
        let other = Self.subject(.coordinator, agency: nil)
        #expect(NotificationRecipients.isEligible(coordinator, for: Self.event(restrictedTo: [coordinator.userId])))
        #expect(!NotificationRecipients.isEligible(other, for: Self.event(restrictedTo: [coordinator.userId])))
        #expect(!NotificationRecipients.isEligible(coordinator, for: Self.event(actor: coordinator.userId)))
        // Named but not allowed to read: still nobody.
        let outsider = Self.subject(.agencyOfficer, agency: Self.other, subtree: [Self.other])
        #expect(!NotificationRecipients.isEligible(outsider, for: Self.event(restrictedTo: [outsider.userId])))
    }

    @Test func agencyOfficersOfTheOwnerAndItsParentsAreTheAudience() {
        let ancestors: Set<UUID> = [Self.owner, Self.parent]
        #expect(NotificationRecipients.isInAudience(role: .agencyOfficer, agencyId: Self.owner, audience: [.agencyOfficers], ownerAncestors: ancestors))
        #expect(NotificationRecipients.isInAudience(role: .agencyOfficer, agencyId: Self.parent, audience: [.agencyOfficers], ownerAncestors: ancestors))
        #expect(!NotificationRecipients.isInAudience(role: .agencyOfficer, agencyId: Self.other, audience: [.agencyOfficers], ownerAncestors: ancestors))
        #expect(!NotificationRecipients.isInAudience(role: .agencyOfficer, agencyId: Self.owner, audience: [.coordinators], ownerAncestors: ancestors))
        #expect(!NotificationRecipients.isInAudience(role: .admin, agencyId: nil, audience: Set(NotificationAudience.allCases), ownerAncestors: ancestors))
    }
}

@Suite struct NotificationTests {
    @Test func inAppNotificationsGoToThoseWhoMayReadTheRecordOnly() async throws {
        try await withTestApp { app in
            let w = try await NotificationWorld.make(app)
            // The officer of the other agency is named explicitly, and still gets nothing.
            let published = try await app.write { db in
                try await app.notifier.publish(w.event(recipients: [w.officerOther.id!]), on: db)
            }
            let expected: Set<UUID> = [w.coordinator.id!, w.responder.id!, w.leader.id!, w.officerOwner.id!, w.officerParent.id!]
            #expect(Set(published.recipients) == expected)
            let rows = try await UserNotification.query(on: app.db).all()
            #expect(Set(rows.map { $0.$user.id }) == expected)
            #expect(rows.allSatisfy { $0.inApp && $0.titleVi == "Báo cáo sự cố mới" && $0.titleEn == "New incident report" })
            #expect(published.emails == 0, "e-mail is not configured in tests")

            // Shared with the police: the liaison is notified too; the officer of another agency still not.
            let shared = try await app.write { db in try await app.notifier.publish(w.event(shared: true), on: db) }
            #expect(Set(shared.recipients) == expected.union([w.police.id!]))
        }
    }

    @Test func theActorAndRestrictedRecordsAreRespected() async throws {
        try await withTestApp { app in
            let w = try await NotificationWorld.make(app)
            var event = w.event(.assignment, recipients: [w.responder.id!], audience: [.coordinators])
            event.actorId = w.coordinator.id
            let assignment = event
            let published = try await app.write { db in try await app.notifier.publish(assignment, on: db) }
            #expect(published.recipients == [w.responder.id!])
            var red = w.event()
            red.restrictedTo = [w.officerOwner.id!]
            let restricted = red
            let redPublished = try await app.write { db in try await app.notifier.publish(restricted, on: db) }
            #expect(redPublished.recipients == [w.officerOwner.id!])
        }
    }

    @Test func preferencesAreRespected() async throws {
        try await withTestApp(adjusting: { $0.smtp = SMTPSettings(host: "127.0.0.1", port: 1, from: "ungcuu@test.vn", security: .none) }) { app in
            let w = try await NotificationWorld.make(app)
            var off = NotificationChoices.defaults
            off.enabled[.newReport] = [.email]
            try await NotificationChoices.save(off, userId: w.officerOwner.id!, on: app.db)
            var none = NotificationChoices.defaults
            none.enabled[.newReport] = []
            try await NotificationChoices.save(none, userId: w.coordinator.id!, on: app.db)

            let published = try await app.write { db in try await app.notifier.publish(w.event(audience: [.coordinators, .agencyOfficers]), on: db) }
            #expect(Set(published.recipients) == [w.officerOwner.id!, w.officerParent.id!])
            #expect(published.emails == 2, "both keep e-mail for new reports (the default)")
            let owner = try #require(try await UserNotification.query(on: app.db).filter(\.$user.$id == w.officerOwner.id!).first())
            #expect(!owner.inApp, "in-app off: the row only backs the e-mail")
            #expect(try await app.jobRecords(kind: NotificationJobs.email).count == 2)
            // Status changes are not e-mailed by default.
            let status = try await app.write { db in try await app.notifier.publish(w.event(.statusChange, audience: [.agencyOfficers]), on: db) }
            #expect(status.emails == 0)
        }
    }

    @Test func aRolledBackTransactionNotifiesNobodyAndSendsNothing() async throws {
        try await withTestApp(adjusting: { $0.smtp = SMTPSettings(host: "127.0.0.1", port: 1, from: "ungcuu@test.vn", security: .none) }) { app in
            let w = try await NotificationWorld.make(app)
            try await WebhookFixtures.webhook(app, url: "http://127.0.0.1:9/hook")
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await app.write { db in
                    let published = try await app.notifier.publish(w.event(), on: db)
                    #expect(published.emails > 0 && published.webhooks == 1)
                    throw Boom()
                }
            }
            #expect(try await UserNotification.query(on: app.db).count() == 0)
            #expect(try await JobRecord.query(on: app.db).count() == 0)
            #expect(try await WebhookDelivery.query(on: app.db).count() == 0)
        }
    }

    @Test func theAPIListsMarksReadAndKeepsChoices() async throws {
        try await withTestApp { app in
            let w = try await NotificationWorld.make(app)
            for _ in 0..<3 { _ = try await app.write { db in try await app.notifier.publish(w.event(audience: [.agencyOfficers]), on: db) } }
            let headers = try await Make.token(app, for: w.officerOwner)
            var firstId = ""
            try await app.testing().test(.GET, "/api/v1/notifications?unread=true", headers: headers) { res in
                #expect(res.status == .ok)
                let page = try res.content.decode(NotificationPageDTO.self)
                #expect(page.total == 3 && page.unread == 3 && page.items.count == 3)
                firstId = page.items[0].id.uuidString
            }
            try await app.testing().test(.POST, "/api/v1/notifications/\(firstId)/read", headers: headers) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(NotificationDTO.self)
                #expect(decoded.readAt != nil)
            }
            // Somebody else's notification is not found.
            let otherHeaders = try await Make.token(app, for: w.officerParent)
            try await app.testing().test(.POST, "/api/v1/notifications/\(firstId)/read", headers: otherHeaders) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.POST, "/api/v1/notifications/read-all", headers: headers) { res in
                let decoded = try res.content.decode([String: Int].self)
                #expect(decoded["marked"] == 2)
            }
            try await app.testing().test(.GET, "/api/v1/notifications/preferences", headers: headers) { res in
                let prefs = try res.content.decode(NotificationPreferencesDTO.self)
                #expect(prefs.choices["status_change"]?["email"] == false)
                #expect(prefs.choices["assignment"]?["in_app"] == true)
                #expect(prefs.emailEnabled == false)
            }
            try await app.testing().test(.PUT, "/api/v1/notifications/preferences", headers: headers, beforeRequest: { req in
                try req.content.encode(["choices": ["new_report": ["in_app": false]]])
            }) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(NotificationPreferencesDTO.self)
                #expect(decoded.choices["new_report"]?["in_app"] == false)
            }
            try await app.testing().test(.PUT, "/api/v1/notifications/preferences", headers: headers, beforeRequest: { req in
                try req.content.encode(["choices": ["nonsense": ["in_app": false]]])
            }) { res in
                #expect(res.status == .unprocessableEntity)
            }
            let published = try await app.write { db in try await app.notifier.publish(w.event(audience: [.agencyOfficers]), on: db) }
            #expect(!published.recipients.contains(w.officerOwner.id!))
        }
    }

    @Test func thePagesShowTheUnreadCountAndMarkRead() async throws {
        try await withTestApp { app in
            let w = try await NotificationWorld.make(app)
            _ = try await app.write { db in try await app.notifier.publish(w.event(audience: [.agencyOfficers]), on: db) }
            let (headers, csrf) = try await Make.session(app, for: w.officerOwner)
            try await app.testing().test(.GET, "/", headers: headers) { res in
                #expect(res.body.string.contains("id=\"unread-count\">1<"))
            }
            try await app.testing().test(.GET, "/notifications", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Sự cố tại Sở Y tế"))
            }
            try await app.testing().test(.POST, "/notifications/read-all", headers: headers, beforeRequest: { req in
                try req.content.encode(["_csrf": csrf], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .seeOther)
            }
            try await app.testing().test(.GET, "/notifications", headers: headers) { res in
                #expect(!res.body.string.contains("id=\"unread-count\""))
            }
            try await app.testing().test(.GET, "/account/notifications", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"email-disabled\""))
            }
            try await app.testing().test(.POST, "/account/notifications", headers: headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", csrf), ("choice[]", "assignment:email")])
            }) { res in
                #expect(res.status == .seeOther)
            }
            let choices = try await NotificationChoices.load(userIds: [w.officerOwner.id!], on: app.db)[w.officerOwner.id!]!
            #expect(choices.isEnabled(.assignment, .email) && !choices.isEnabled(.assignment, .inApp) && !choices.isEnabled(.newReport, .inApp))
        }
    }
}
