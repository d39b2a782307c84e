import Foundation
import NIOCore

/// A command for ``SMTPReplyHandler``: the line to send (nil: only wait, for the greeting) and the promise
/// of the reply that answers it.
struct SMTPRequest: Sendable {
    let bytes: String?
    let reply: EventLoopPromise<SMTPReply>
}

/// Splits the server's bytes into lines, joins multi-line replies (`250-…` … `250 …`) and hands each
/// reply to the oldest waiting command. Event-loop confined, like every NIO handler.
final class SMTPReplyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private static let maxLineLength = 4096
    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    /// Replies that came before anyone waited for them: the greeting can arrive before the client asks for it.
    private var early = CircularBuffer<SMTPReply>()
    private var partial = ByteBuffer()
    private var lines: [String] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if request.bytes == nil, let reply = early.popFirst() {
            request.reply.succeed(reply)
            promise?.succeed(())
            return
        }
        waiting.append(request.reply)
        if let bytes = request.bytes {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: bytes)), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        partial.writeBuffer(&incoming)
        while let newline = partial.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - partial.readerIndex
            var line = partial.readString(length: length) ?? ""
            partial.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            handle(line: line, context: context)
        }
        if partial.readableBytes > Self.maxLineLength {
            failAll(SMTPError.malformedReply("a reply line longer than \(Self.maxLineLength) bytes"), context: context)
        }
        partial.discardReadBytes()
    }

    private func handle(line: String, context: ChannelHandlerContext) {
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)), (100...599).contains(code),
              utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-") else {
            failAll(SMTPError.malformedReply(line), context: context)
            return
        }
        lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        if utf8.count > 3 && utf8[3] == UInt8(ascii: "-") { return }
        let reply = SMTPReply(code: code, lines: lines)
        lines = []
        if let promise = waiting.popFirst() { promise.succeed(reply) } else { early.append(reply) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(SMTPError.connectionClosed(stage: "the conversation")) }
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error, context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(error) }
        context.close(promise: nil)
    }
}
