import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS or implicit TLS, AUTH PLAIN/LOGIN,
/// MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. One message per connection; every step has a timeout.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    /// The name said in EHLO (the public host name of UngCuu).
    var heloName: String = "ungcuu.localhost"
    var group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Extra trust roots for TLS (tests, private CAs); the system's roots otherwise.
    var tlsConfiguration: TLSConfiguration = .makeClientConfiguration()

    /// Sends one RFC 5322 message (headers and body, any line endings) to the recipients.
    func send(from: String, to recipients: [String], message: String) async throws {
        for address in [from] + recipients where !SMTPAddress.isPlausible(address) { throw SMTPError.invalidAddress(address) }
        guard !recipients.isEmpty else { throw SMTPError.invalidAddress("(no recipient)") }
        let channel = try await connect()
        do {
            try await converse(on: channel, from: from, recipients: recipients, message: message)
            _ = try? await exchange("QUIT", on: channel, stage: "QUIT")
            try? await channel.close()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private func converse(on channel: any Channel, from: String, recipients: [String], message: String) async throws {
        try expect(await exchange(nil, on: channel, stage: "the greeting"), [220], stage: "the connection")
        var extensions = try await hello(on: channel)
        var encrypted = settings.security == .tls
        if settings.security == .starttls {
            guard extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw SMTPError.startTLSUnavailable(host: settings.host)
            }
            try expect(await exchange("STARTTLS", on: channel, stage: "STARTTLS"), [220], stage: "STARTTLS")
            try await addTLS(to: channel)
            encrypted = true
            extensions = try await hello(on: channel)
        }
        if let username = settings.username, let password = settings.password {
            guard encrypted || Self.isLoopback(settings.host) else { throw SMTPError.credentialsOverPlaintext(host: settings.host) }
            try await authenticate(username: username, password: password, extensions: extensions, on: channel)
        }
        try expect(await exchange("MAIL FROM:<\(from)>", on: channel, stage: "MAIL FROM"), [250], stage: "the sender <\(from)>")
        for recipient in recipients {
            try expect(await exchange("RCPT TO:<\(recipient)>", on: channel, stage: "RCPT TO"), [250, 251], stage: "the recipient <\(recipient)>")
        }
        try expect(await exchange("DATA", on: channel, stage: "DATA"), [354], stage: "DATA")
        try expect(await exchange(raw: Self.dataPayload(message), on: channel, stage: "the message"), [250], stage: "the message")
    }

    /// EHLO (HELO if the server does not speak ESMTP); returns the advertised extensions.
    private func hello(on channel: any Channel) async throws -> [String] {
        let reply = try await exchange("EHLO \(heloName)", on: channel, stage: "EHLO")
        if reply.code == 250 { return Array(reply.lines.dropFirst()) }
        try expect(await exchange("HELO \(heloName)", on: channel, stage: "HELO"), [250], stage: "HELO")
        return []
    }

    private func authenticate(username: String, password: String, extensions: [String], on channel: any Channel) async throws {
        let auth = extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
        let mechanisms = Set(auth.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init))
        let encode = { (text: String) in Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            // The credentials are never part of an error: stages name the command only.
            try expect(await exchange("AUTH PLAIN " + encode("\u{0}\(username)\u{0}\(password)"), on: channel, stage: "AUTH PLAIN"),
                       [235], stage: "the user name or password (AUTH PLAIN)")
        } else if mechanisms.contains("LOGIN") {
            try expect(await exchange("AUTH LOGIN", on: channel, stage: "AUTH LOGIN"), [334], stage: "AUTH LOGIN")
            try expect(await exchange(encode(username), on: channel, stage: "AUTH LOGIN user name"), [334], stage: "the user name (AUTH LOGIN)")
            try expect(await exchange(encode(password), on: channel, stage: "AUTH LOGIN password"), [235], stage: "the user name or password (AUTH LOGIN)")
        } else {
            throw SMTPError.authenticationUnavailable(offered: auth)
        }
    }

    private func expect(_ reply: SMTPReply, _ codes: Set<Int>, stage: String) throws {
        guard codes.contains(reply.code) else { throw SMTPError.rejected(stage: stage, code: reply.code, message: String(reply.text.prefix(300))) }
    }

    private func connect() async throws -> any Channel {
        let security = settings.security
        let host = settings.host
        let tls = security == .tls ? try makeTLSContext() : nil
        let sni = Self.isIPAddress(host) ? nil : host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(settings.timeoutSeconds * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: sni)) }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                }
            }
        do {
            return try await bootstrap.connect(host: host, port: settings.port).get()
        } catch {
            throw SMTPError.connectFailed(host: host, port: settings.port, reason: String(describing: error))
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        try NIOSSLContext(configuration: tlsConfiguration)
    }

    private func addTLS(to channel: any Channel) async throws {
        let context = try makeTLSContext()
        let sni = Self.isIPAddress(settings.host) ? nil : settings.host
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: sni), position: .first)
        }.get()
    }

    private func exchange(_ command: String?, on channel: any Channel, stage: String) async throws -> SMTPReply {
        try await exchange(raw: command.map { $0 + "\r\n" }, on: channel, stage: stage)
    }

    private func exchange(raw bytes: String?, on channel: any Channel, stage: String) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let seconds = settings.timeoutSeconds
        let timeout = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
            promise.fail(SMTPError.timedOut(stage: stage, seconds: seconds))
        }
        channel.writeAndFlush(SMTPRequest(bytes: bytes, reply: promise)).whenFailure { promise.fail($0) }
        defer { timeout.cancel() }
        do {
            return try await promise.futureResult.get()
        } catch let error as SMTPError {
            if case .timedOut = error { channel.close(promise: nil) }
            throw error
        } catch {
            if error is ChannelError || error is NIOSSLError { throw SMTPError.connectionClosed(stage: "\(stage) (\(error))") }
            throw error
        }
    }

    /// The DATA payload: CRLF line endings, a leading "." doubled on every line (RFC 5321 §4.5.2), then the
    /// terminating "CRLF.CRLF".
    static func dataPayload(_ message: String) -> String {
        let normalized = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n.\r\n"
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").allSatisfy { Int($0) != nil }
    }
}
