import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A tiny in-process SMTP server for tests: speaks just enough ESMTP (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT,
/// DATA, QUIT), undoes dot-stuffing and keeps every message it receives. Recipients containing "reject"
/// are refused with 550; `greet: false` never sends the greeting (timeouts).
final class SMTPSink: Sendable {
    struct Message: Sendable {
        var from: String
        var recipients: [String]
        var data: String
        var authenticatedAs: String?
    }

    private let channel: any Channel
    private let messages: NIOLockedValueBox<[Message]>
    var port: Int { channel.localAddress!.port! }
    var received: [Message] { messages.withLockedValue { $0 } }

    private init(channel: any Channel, messages: NIOLockedValueBox<[Message]>) {
        self.channel = channel
        self.messages = messages
    }

    static func start(greet: Bool = true) async throws -> SMTPSink {
        let box = NIOLockedValueBox<[Message]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(SMTPSinkHandler(store: box, greet: greet))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SMTPSink(channel: channel, messages: box)
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class SMTPSinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let store: NIOLockedValueBox<[SMTPSink.Message]>
    let greet: Bool
    private var buffer = ByteBuffer()
    private var inData = false
    private var dataLines: [String] = []
    private var from = ""
    private var recipients: [String] = []
    private var user: String?
    private var loginStep = 0

    init(store: NIOLockedValueBox<[SMTPSink.Message]>, greet: Bool) {
        self.store = store
        self.greet = greet
    }

    func channelActive(context: ChannelHandlerContext) {
        if greet { send("220 sink.test ESMTP ready", context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer.readString(length: newline - buffer.readerIndex) ?? ""
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            handle(line, context)
        }
        buffer.discardReadBytes()
    }

    private func handle(_ line: String, _ context: ChannelHandlerContext) {
        if inData {
            if line == "." {
                inData = false
                store.withLockedValue { $0.append(.init(from: from, recipients: recipients, data: dataLines.joined(separator: "\r\n"), authenticatedAs: user)) }
                dataLines = []
                recipients = []
                send("250 2.0.0 queued", context)
            } else {
                dataLines.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
            }
            return
        }
        if loginStep == 1 {
            user = String(decoding: Data(base64Encoded: line) ?? Data(), as: UTF8.self)
            loginStep = 2
            send("334 UGFzc3dvcmQ6", context)
            return
        }
        if loginStep == 2 {
            loginStep = 0
            send("235 2.7.0 authenticated", context)
            return
        }
        let upper = line.uppercased()
        if upper.hasPrefix("EHLO") {
            send("250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE 10485760", context)
        } else if upper.hasPrefix("HELO") {
            send("250 sink.test", context)
        } else if upper.hasPrefix("AUTH PLAIN ") {
            let decoded = Data(base64Encoded: String(line.dropFirst(11))) ?? Data()
            let parts = decoded.split(separator: 0, omittingEmptySubsequences: false)
            user = parts.count == 3 ? String(decoding: parts[1], as: UTF8.self) : nil
            send(parts.count == 3 && String(decoding: parts[2], as: UTF8.self) == "secret" ? "235 2.7.0 ok" : "535 5.7.8 bad credentials", context)
        } else if upper == "AUTH LOGIN" {
            loginStep = 1
            send("334 VXNlcm5hbWU6", context)
        } else if upper.hasPrefix("MAIL FROM:") {
            from = String(line.dropFirst(10)).trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            send("250 2.1.0 ok", context)
        } else if upper.hasPrefix("RCPT TO:") {
            let rcpt = String(line.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            if rcpt.contains("reject") {
                send("550 5.1.1 no such user", context)
            } else {
                recipients.append(rcpt)
                send("250 2.1.5 ok", context)
            }
        } else if upper == "DATA" {
            inData = true
            send("354 go ahead", context)
        } else if upper == "QUIT" {
            send("221 bye", context)
            context.close(promise: nil)
        } else if upper == "RSET" || upper == "NOOP" {
            send("250 ok", context)
        } else {
            send("502 5.5.2 not implemented", context)
        }
    }

    private func send(_ text: String, _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
    }
}
