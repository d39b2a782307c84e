import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import App

enum WebhookFixtures {
    static let secret = "whsec_test-secret"

    @discardableResult
    static func webhook(_ app: Application, url: String, agency: Agency? = nil, kinds: Set<NotificationKind> = Set(NotificationKind.allCases)) async throws -> Webhook {
        let w = Webhook()
        w.id = UUID()
        w.name = "SIEM"
        w.url = url
        w.secretSealed = try SecretBox.seal(Array(secret.utf8), appKey: app.secretKey)
        w.eventKinds = kinds
        w.$agency.id = agency?.id
        w.active = true
        w.createdByName = "test"
        w.createdAt = Date()
        try await w.create(on: app.db)
        return w
    }
}

/// A real HTTP server on 127.0.0.1 that records what it receives and answers with scripted statuses.
final class WebhookReceiver: Sendable {
    struct Received: Sendable { var signature: String?; var body: [UInt8]; var event: String? }

    let app: Application
    let received = NIOLockedValueBox<[Received]>([])
    let statuses: NIOLockedValueBox<[UInt]>
    var url: String { "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)/hook" }

    private init(app: Application, statuses: [UInt]) {
        self.app = app
        self.statuses = NIOLockedValueBox(statuses)
    }

    static func start(statuses: [UInt] = []) async throws -> WebhookReceiver {
        let app = try await Application.make(.testing)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        let receiver = WebhookReceiver(app: app, statuses: statuses)
        app.post("hook") { req -> HTTPStatus in
            let body = req.body.data.map { Array($0.readableBytesView) } ?? []
            receiver.received.withLockedValue {
                $0.append(Received(signature: req.headers.first(name: WebhookSigning.header), body: body, event: req.headers.first(name: "X-UngCuu-Event")))
            }
            let code = receiver.statuses.withLockedValue { $0.isEmpty ? 200 : $0.removeFirst() }
            return HTTPStatus(statusCode: Int(code))
        }
        try await app.server.start()
        return receiver
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}

@Suite struct WebhookTests {
    @Test func urlsMustBeHttpsOrLoopbackHttp() {
        #expect(WebhookURLRule.problem(with: "https://siem.example.gov.vn/hook") == nil)
        #expect(WebhookURLRule.problem(with: "http://127.0.0.1:8081/hook") == nil)
        #expect(WebhookURLRule.problem(with: "http://localhost/hook") == nil)
        #expect(WebhookURLRule.problem(with: "http://[::1]:80/x") == nil)
        #expect(WebhookURLRule.problem(with: "http://siem.example.gov.vn/hook") == "webhooks.urlHttps")
        #expect(WebhookURLRule.problem(with: "ftp://siem/") == "webhooks.urlInvalid")
        #expect(WebhookURLRule.problem(with: "https://user:pw@siem/") == "webhooks.urlCredentials")
        #expect(WebhookURLRule.problem(with: "not a url") == "webhooks.urlInvalid")
    }

    @Test func signaturesVerifyAndRejectTamperingAndOldTimestamps() {
        let body = Array(#"{"kind":"new_report"}"#.utf8)
        let secret = Array("s3cret".utf8)
        let now = Date()
        let header = WebhookSigning.sign(body: body, secret: secret, timestamp: Int(now.timeIntervalSince1970))
        #expect(header.hasPrefix("t=\(Int(now.timeIntervalSince1970)),v1="))
        #expect(WebhookSigning.verify(header: header, body: body, secret: secret, now: now))
        #expect(!WebhookSigning.verify(header: header, body: body + [32], secret: secret, now: now))
        #expect(!WebhookSigning.verify(header: header, body: body, secret: Array("other".utf8), now: now))
        #expect(!WebhookSigning.verify(header: header, body: body, secret: secret, now: now.addingTimeInterval(600)))
        // A known vector: HMAC-SHA256("key", "1.{}") computed with Python's hmac module.
        #expect(WebhookSigning.sign(body: Array("{}".utf8), secret: Array("key".utf8), timestamp: 1) == "t=1,v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224")
    }

    @Test func aDeliveryIsSignedRetriedAfterA500AndLogged() async throws {
        let receiver = try await WebhookReceiver.start(statuses: [500, 200])
        try await withTestApp { app in
            let w = try await NotificationWorld.make(app)
            let hook = try await WebhookFixtures.webhook(app, url: receiver.url)
            let published = try await app.write { db in try await app.notifier.publish(w.event(audience: []), on: db) }
            #expect(published.webhooks == 1)
            let start = Date()
            #expect(try await app.drainJobs(now: start) == 1)
            var delivery = try #require(try await WebhookDelivery.query(on: app.db).first())
            #expect(delivery.state == .retrying && delivery.statusCode == 500 && delivery.attempts == 1)
            let job = try #require(try await app.jobRecords(kind: NotificationJobs.webhook).first)
            #expect(job.state == .queued && job.runAt > start.addingTimeInterval(10), "backed off (30 s base, jitter)")
            #expect(try await app.drainJobs(now: start) == 0)
            #expect(try await app.drainJobs(now: start.addingTimeInterval(31)) == 1)
            delivery = try #require(try await WebhookDelivery.find(delivery.id, on: app.db))
            #expect(delivery.state == .delivered && delivery.statusCode == 200 && delivery.attempts == 2 && delivery.deliveredAt != nil)

            let received = receiver.received.withLockedValue { $0 }
            #expect(received.count == 2)
            #expect(received.allSatisfy { $0.event == "new_report" })
            for r in received {
                #expect(WebhookSigning.verify(header: try #require(r.signature), body: r.body, secret: Array(WebhookFixtures.secret.utf8)))
            }
            #expect(received[0].body == received[1].body, "every attempt sends the same bytes")
            let body = try JSONDecoder().decode([String: AnyDecodable].self, from: Data(received[0].body))
            #expect(body["kind"]?.string == "new_report")
            #expect(body["link"]?.string == "http://127.0.0.1:8080/notifications")

            // The delivery log on the page and in the API.
            let coordinator = try await Make.user(app, role: .coordinator)
            let (headers, _) = try await Make.session(app, for: coordinator)
            try await app.testing().test(.GET, "/notifications/webhooks/\(hook.id!.uuidString)", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<td>2</td><td>200</td>"), "attempts and the last status")
            }
            let token = try await Make.token(app, for: coordinator)
            try await app.testing().test(.GET, "/api/v1/webhooks/\(hook.id!.uuidString)/deliveries", headers: token) { res in
                let page = try res.content.decode(Paged<WebhookDeliveryDTO>.self)
                #expect(page.items.first?.state == "delivered" && page.items.first?.attempts == 2)
            }
        }
        await receiver.stop()
    }

    @Test func anAgencyScopedEndpointOnlyGetsThatAgencysEvents() async throws {
        try await withTestApp { app in
            let w = try await NotificationWorld.make(app)
            try await WebhookFixtures.webhook(app, url: "https://other.example/hook", agency: w.other)
            let parentHook = try await WebhookFixtures.webhook(app, url: "https://parent.example/hook", agency: w.parent)
            try await WebhookFixtures.webhook(app, url: "https://assign.example/hook", kinds: [.assignment])
            let published = try await app.write { db in try await app.notifier.publish(w.event(audience: []), on: db) }
            #expect(published.webhooks == 1)
            #expect(try await WebhookDelivery.query(on: app.db).all().map { $0.$webhook.id } == [parentHook.id!])
            var red = w.event(audience: [])
            red.restrictedTo = [w.coordinator.id!]
            let restricted = red
            let count = try await app.write { db in try await app.notifier.publish(restricted, on: db) }.webhooks
            #expect(count == 0)
        }
    }

    @Test func endpointsAreManagedByAdministratorsAndCoordinatorsOnly() async throws {
        try await withTestApp { app in
            let coordinator = try await Make.user(app, role: .coordinator)
            let officer = try await Make.user(app, role: .agencyOfficer, agency: try await Make.agency(app))
            let body = WebhookWriteDTO(name: "SIEM", url: "https://siem.example.gov.vn/hook", eventKinds: ["new_report", "assignment"])
            var id = ""
            try await app.testing().test(.POST, "/api/v1/webhooks", headers: try await Make.token(app, for: coordinator), beforeRequest: { req in
                try req.content.encode(body)
            }) { res in
                #expect(res.status == .created)
                let dto = try res.content.decode(WebhookDTO.self)
                #expect(dto.secret?.hasPrefix("whsec_") == true)
                id = dto.id.uuidString
            }
            let stored = try #require(try await Webhook.find(UUID(uuidString: id), on: app.db))
            #expect(!stored.secretSealed.contains("whsec_"), "the secret is stored sealed")
            try await app.testing().test(.GET, "/api/v1/webhooks/\(id)", headers: try await Make.token(app, for: coordinator)) { res in
                let decoded = try res.content.decode(WebhookDTO.self)
                #expect(decoded.secret == nil)
            }
            try await app.testing().test(.GET, "/api/v1/webhooks", headers: try await Make.token(app, for: officer)) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.POST, "/api/v1/webhooks", headers: try await Make.token(app, for: coordinator), beforeRequest: { req in
                try req.content.encode(WebhookWriteDTO(name: "x", url: "http://siem.example/hook", eventKinds: []))
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("url") && res.body.string.contains("eventKinds"))
            }
        }
    }
}

/// Reads the string values of a JSON object.
struct AnyDecodable: Decodable {
    let string: String?
    init(from decoder: any Decoder) throws {
        string = try? decoder.singleValueContainer().decode(String.self)
    }
}
