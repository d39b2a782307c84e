import Fluent
import Formats
import Foundation
import NIOCore
import Testing
import Vapor
@testable import App

@Suite struct SMTPTests {
    static func settings(port: Int, username: String? = nil, password: String? = nil) -> SMTPSettings {
        var s = SMTPSettings(host: "127.0.0.1", port: port, username: username, password: password, from: "ungcuu@test.vn", security: .none)
        s.timeoutSeconds = 2
        return s
    }

    @Test func dataIsDotStuffedWithCRLFAndTerminated() {
        #expect(SMTPClient.dataPayload("a\n.b\n..c\r\nd") == "a\r\n..b\r\n...c\r\nd\r\n.\r\n")
        #expect(SMTPClient.dataPayload(".\n") == "..\r\n.\r\n")
    }

    @Test func aMessageReachesTheInProcessServerIntact() async throws {
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        let message = try NotificationMail.compose(from: "ungcuu@test.vn", to: "a@test.vn", subject: "Sự cố mới: máy chủ web",
                                                   text: "Dòng một\n.dòng bắt đầu bằng dấu chấm\n", messageIdDomain: "test.vn")
        try await SMTPClient(settings: Self.settings(port: sink.port, username: "robot", password: "secret"))
            .send(from: "ungcuu@test.vn", to: ["a@test.vn", "b@test.vn"], message: message)
        let received = try #require(sink.received.first)
        #expect(received.from == "ungcuu@test.vn")
        #expect(received.recipients == ["a@test.vn", "b@test.vn"])
        #expect(received.authenticatedAs == "robot", "AUTH PLAIN to a server on this machine")
        #expect(received.data.contains("Subject: =?UTF-8?B?"))
        let body = try #require(received.data.components(separatedBy: "\r\n\r\n").last)
        let decoded = String(decoding: Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self)
        #expect(decoded == "Dòng một\r\n.dòng bắt đầu bằng dấu chấm\r\n")
    }

    @Test func refusalsAndSilenceAreClearErrors() async throws {
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        let client = SMTPClient(settings: Self.settings(port: sink.port))
        await #expect(throws: SMTPError.rejected(stage: "the recipient <reject@test.vn>", code: 550, message: "5.1.1 no such user")) {
            try await client.send(from: "ungcuu@test.vn", to: ["reject@test.vn"], message: "Subject: x\r\n\r\nx")
        }
        await #expect(throws: SMTPError.invalidAddress("a@test.vn>\r\nRCPT TO:<b@test.vn")) {
            try await client.send(from: "ungcuu@test.vn", to: ["a@test.vn>\r\nRCPT TO:<b@test.vn"], message: "x")
        }
        let silent = try await SMTPSink.start(greet: false)
        defer { Task { await silent.stop() } }
        var quick = Self.settings(port: silent.port)
        quick.timeoutSeconds = 0.3
        await #expect(throws: SMTPError.timedOut(stage: "the greeting", seconds: 0.3)) {
            try await SMTPClient(settings: quick).send(from: "ungcuu@test.vn", to: ["a@test.vn"], message: "x")
        }
        // Nothing listens on the sink's port once it is closed.
        let closed = try await SMTPSink.start()
        let port = closed.port
        await closed.stop()
        await #expect {
            try await SMTPClient(settings: Self.settings(port: port)).send(from: "ungcuu@test.vn", to: ["a@test.vn"], message: "x")
        } throws: { error in
            if case SMTPError.connectFailed = error { return true } else { return false }
        }
    }

    @Test func passwordsAreNotSentInClearTextToAnotherMachine() async throws {
        var remote = SMTPSettings(host: "192.0.2.1", port: 25, username: "u", password: "hunter2", from: "ungcuu@test.vn", security: .none)
        remote.timeoutSeconds = 0.5
        #expect(!remote.description.contains("hunter2"))
        #expect(!String(reflecting: remote).contains("hunter2"))
        #expect(!SMTPError.credentialsOverPlaintext(host: "x").description.contains("hunter2"))
    }

    @Test func configurationIsReadOnceAndNamesTheBadVariable() throws {
        #expect(try AppConfig.load(from: [:]).smtp == nil)
        let ok = try AppConfig.load(from: ["UNGCUU_SMTP_HOST": "mail.example.gov.vn", "UNGCUU_SMTP_FROM": "ungcuu@example.gov.vn"]).smtp
        #expect(ok?.port == 587 && ok?.security == .starttls)
        let tls = try AppConfig.load(from: ["UNGCUU_SMTP_HOST": "mail", "UNGCUU_SMTP_FROM": "a@b.vn", "UNGCUU_SMTP_TLS": "tls"]).smtp
        #expect(tls?.port == 465)
        for (env, variable) in [
            (["UNGCUU_SMTP_HOST": "mail"], "UNGCUU_SMTP_FROM"),
            (["UNGCUU_SMTP_HOST": "mail", "UNGCUU_SMTP_FROM": "a@b.vn", "UNGCUU_SMTP_TLS": "ssl"], "UNGCUU_SMTP_TLS"),
            (["UNGCUU_SMTP_HOST": "mail", "UNGCUU_SMTP_FROM": "a@b.vn", "UNGCUU_SMTP_PORT": "0"], "UNGCUU_SMTP_PORT"),
            (["UNGCUU_SMTP_HOST": "mail", "UNGCUU_SMTP_FROM": "a@b.vn", "UNGCUU_SMTP_USERNAME": "u"], "UNGCUU_SMTP_PASSWORD"),
            (["UNGCUU_SMTP_HOST": "mail", "UNGCUU_SMTP_FROM": "not an address"], "UNGCUU_SMTP_FROM"),
            (["UNGCUU_WORKERS": "-1"], "UNGCUU_WORKERS"),
        ] {
            #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: env) }
            do { _ = try AppConfig.load(from: env) } catch { #expect(error.variable == variable) }
        }
    }

    @Test func headersWithLineBreaksAreRefused() {
        #expect(throws: MailError.headerInjection(field: "Subject")) {
            try NotificationMail.compose(from: "a@b.vn", to: "c@d.vn", subject: "x\r\nBcc: e@f.vn", text: "x", messageIdDomain: "b.vn")
        }
    }

    @Test func aNotificationIsEmailedThroughTheQueue() async throws {
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        try await withTestApp(adjusting: { $0.smtp = Self.settings(port: sink.port) }) { app in
            let w = try await NotificationWorld.make(app)
            let published = try await app.write { db in try await app.notifier.publish(w.event(audience: [.agencyOfficers]), on: db) }
            #expect(published.emails == 2)
            #expect(try await app.drainJobs() == 2)
            #expect(try await app.jobRecords(kind: NotificationJobs.email).allSatisfy { $0.state == .succeeded })
            let received = sink.received
            #expect(Set(received.flatMap(\.recipients)) == [w.officerOwner.email, w.officerParent.email])
            #expect(received.allSatisfy { $0.data.contains("Auto-Submitted: auto-generated") })
        }
    }

    /// Against the aiosmtpd server that scripts/test.sh starts (UNGCUU_TEST_SMTP_PORT).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["UNGCUU_TEST_SMTP_PORT"] != nil,
                   "UNGCUU_TEST_SMTP_PORT is not set: scripts/test.sh starts aiosmtpd and sets it"))
    func aMessageIsAcceptedByALocalAiosmtpdServer() async throws {
        let port = try #require(Int(ProcessInfo.processInfo.environment["UNGCUU_TEST_SMTP_PORT"] ?? ""))
        let message = try NotificationMail.compose(from: "ungcuu@test.vn", to: "officer@test.vn", subject: "Thử nghiệm UngCuu",
                                                   text: "Nội dung thử nghiệm\n.\n", messageIdDomain: "test.vn")
        try await SMTPClient(settings: Self.settings(port: port)).send(from: "ungcuu@test.vn", to: ["officer@test.vn"], message: message)
    }
}
