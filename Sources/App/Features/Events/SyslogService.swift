import Foundation
import Detection
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Vapor

/// Syslog over UDP and TCP (RFC 3164 and RFC 5424; TCP framed by octet counting or newlines, RFC 6587), started with
/// `serve` when `UNGCUU_SYSLOG_UDP_PORT` and/or `UNGCUU_SYSLOG_TCP_PORT` are set. Messages wait in a bounded buffer
/// and one writer task stores them through ``EventIngestor`` every ~200 ms or 5,000 messages. A message leaves the
/// buffer only after the transaction holding it has committed. When the buffer is full, TCP connections stop being
/// read (the sender's TCP window fills: backpressure) and UDP datagrams are dropped, counted and logged: UDP has no
/// acknowledgement, so a sender that needs delivery should use TCP.
final class SyslogService: LifecycleHandler, Sendable {
    static let maxConnections = 1_000
    static let maxMessageSize = 64 * 1024
    static let flushInterval: Duration = .milliseconds(200)
    static let flushCount = 5_000
    /// Messages stored per transaction at most.
    static let maxPerFlush = 20_000

    let app: Application
    let host: String
    let udpPort: Int?
    let tcpPort: Int?
    let buffer: SyslogBuffer
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var udp: (any Channel)?
        var tcp: (any Channel)?
        var writer: Task<Void, Never>?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
    }

    init(app: Application, host: String, udpPort: Int?, tcpPort: Int?, buffer: SyslogBuffer = SyslogBuffer()) {
        self.app = app
        self.host = host
        self.udpPort = udpPort
        self.tcpPort = tcpPort
        self.buffer = buffer
        logger = Logger(label: "ungcuu.syslog")
    }

    /// Starts the listeners the configuration asks for (none when both ports are unset) and stops them with the
    /// application. A port that cannot be bound stops start-up, naming its variable.
    static func startIfConfigured(_ app: Application) async throws {
        let config = app.config
        guard config.syslogUDPPort != nil || config.syslogTCPPort != nil else { return }
        let service = SyslogService(app: app, host: config.syslogHost, udpPort: config.syslogUDPPort, tcpPort: config.syslogTCPPort)
        try await service.start()
        app.lifecycle.use(service)
        app.syslogService = service
    }

    /// The ports actually bound (useful with port 0).
    var boundUDPPort: Int? { state.withLockedValue { $0.udp?.localAddress?.port } }
    var boundTCPPort: Int? { state.withLockedValue { $0.tcp?.localAddress?.port } }

    func start() async throws {
        let group = app.eventLoopGroup
        var udp: (any Channel)?
        var tcp: (any Channel)?
        do {
            if let udpPort {
                let buffer = self.buffer
                let logger = self.logger
                let channel = try await DatagramBootstrap(group: group)
                    .channelOption(.socketOption(.so_reuseaddr), value: 1)
                    .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                    .channelOption(.maxMessagesPerRead, value: 16)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(SyslogUDPHandler(buffer: buffer, logger: logger))
                        }
                    }
                    .bind(host: host, port: udpPort).get()
                udp = channel
            }
            if let tcpPort {
                let buffer = self.buffer
                let logger = self.logger
                let channel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelOption(.backlog, value: 256)
                    .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator())
                    .childChannelInitializer { [weak self] channel in
                        guard let self, self.admit(channel) else { return channel.close() }
                        channel.closeFuture.whenComplete { [weak self] _ in self?.release(channel) }
                        return channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                SyslogTCPHandler(buffer: buffer, sender: channel.remoteAddress?.ipAddress, logger: logger))
                        }
                    }
                    .bind(host: host, port: tcpPort).get()
                tcp = channel
            }
        } catch {
            try? await udp?.close()
            let variable = (udpPort != nil && udp == nil) ? "UNGCUU_SYSLOG_UDP_PORT" : "UNGCUU_SYSLOG_TCP_PORT"
            throw AppConfig.Invalid(variable: variable, problem: "cannot be listened on at \(host): \(error)")
        }
        let (boundUDP, boundTCP) = (udp, tcp)
        state.withLockedValue { $0.udp = boundUDP; $0.tcp = boundTCP }
        let task = Task { [self] in await self.writeLoop() }
        state.withLockedValue { $0.writer = task }
        logger.info("syslog listening on \(host): UDP \(boundUDPPort.map(String.init) ?? "off"), TCP \(boundTCPPort.map(String.init) ?? "off")")
    }

    private func admit(_ channel: any Channel) -> Bool {
        state.withLockedValue { s in
            guard s.connections.count < Self.maxConnections, !s.stopped else { return false }
            s.connections[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    private func release(_ channel: any Channel) { state.withLockedValue { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) } }

    /// Open TCP connections.
    var connectionCount: Int { state.withLockedValue { $0.connections.count } }

    /// Stops listening, stores what is buffered (within a grace period), then returns.
    func stop() async {
        let (channels, writer) = state.withLockedValue { s -> ([any Channel], Task<Void, Never>?) in
            s.stopped = true
            return ([s.udp, s.tcp].compactMap { $0 } + Array(s.connections.values), s.writer)
        }
        // Closing a connection hands its last unframed message to the buffer before the writer's final flush.
        for channel in channels { try? await channel.close() }
        buffer.close()
        await writer?.value
    }

    func shutdownAsync(_ application: Application) async {
        await stop()
    }

    // MARK: the writer

    private func writeLoop() async {
        var failures = 0
        while true {
            let closed = buffer.isClosed
            if !closed {
                let due = buffer.count >= Self.flushCount || (buffer.oldestAge.map { $0 >= 0.2 } ?? false)
                if !due {
                    try? await Task.sleep(for: .milliseconds(20))
                    continue
                }
            }
            let messages = buffer.peek(max: Self.maxPerFlush)
            if messages.isEmpty {
                if closed { return }
                continue
            }
            do {
                try await flush(messages)
                buffer.remove(messages.count)
                failures = 0
            } catch {
                failures += 1
                logger.error("syslog: storing \(messages.count) messages failed (attempt \(failures)): \(error)")
                if closed, failures >= 3 {
                    logger.error("syslog: \(buffer.count) buffered messages could not be stored before shutdown")
                    return
                }
                try? await Task.sleep(for: .milliseconds(min(10_000, 250 << min(failures, 6))))
            }
        }
    }

    /// Parses, matches and stores messages in one transaction.
    func flush(_ messages: [SyslogBuffer.Message]) async throws {
        let directory = try await app.eventSourceCache.directory(on: app.db)
        struct Key: Hashable { var sender: String?; var hostname: String? }
        var matches: [Key: EventIngestor.Owner] = [:]
        var events: [IncomingEvent] = []
        var senders: [String?] = []
        events.reserveCapacity(messages.count)
        senders.reserveCapacity(messages.count)
        for message in messages {
            let parsed = SyslogParser.parse(message.bytes, receivedAt: message.receivedAt)
            var event = SyslogParser.event(parsed)
            if let sender = message.sender { event["sender_ip"] = .string(sender) }
            let key = Key(sender: message.sender, hostname: parsed.hostname)
            let owner: EventIngestor.Owner
            if let known = matches[key] {
                owner = known
            } else {
                let entry = directory.match(sender: message.sender, hostname: parsed.hostname)
                owner = EventIngestor.Owner(agencyId: entry?.agencyId, systemId: entry?.systemId, sourceId: entry?.id)
                matches[key] = owner
            }
            events.append(EventIngestor.incoming(event, owner: owner, receivedAt: message.receivedAt, time: parsed.timestamp ?? message.receivedAt,
                                                 host: parsed.hostname ?? message.sender))
            senders.append(message.sender)
        }
        try await EventIngestor.commit(events, senders: senders, app: app)
    }
}

extension Application {
    private struct SyslogServiceKey: StorageKey { typealias Value = SyslogService }

    /// The running listeners, when `serve` started them.
    var syslogService: SyslogService? {
        get { storage[SyslogServiceKey.self] }
        set { storage[SyslogServiceKey.self] = newValue }
    }
}

/// The bounded buffer between the listeners and the writer. Messages leave it only after they were stored.
final class SyslogBuffer: Sendable {
    struct Message: Sendable {
        var bytes: [UInt8]
        var sender: String?
        var receivedAt: Date
    }

    let capacity: Int
    let maxBytes: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var messages: [Message] = []
        var head = 0
        var bytes = 0
        var closed = false
        var dropped = 0
        var droppedSinceLog = 0
        var lastDropLog = Date.distantPast
        var paused: [@Sendable () -> Void] = []
    }

    init(capacity: Int = 100_000, maxBytes: Int = 64 << 20) {
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    var count: Int { state.withLockedValue { $0.messages.count - $0.head } }
    var isClosed: Bool { state.withLockedValue { $0.closed } }
    /// UDP datagrams dropped because the buffer was full, since start.
    var dropped: Int { state.withLockedValue { $0.dropped } }

    /// Seconds the oldest waiting message has waited.
    var oldestAge: TimeInterval? {
        state.withLockedValue { s in s.head < s.messages.count ? Date().timeIntervalSince(s.messages[s.head].receivedAt) : nil }
    }

    private static func full(_ s: State, capacity: Int, maxBytes: Int) -> Bool {
        s.messages.count - s.head >= capacity || s.bytes >= maxBytes
    }

    /// A UDP datagram: kept, or dropped (counted) when the buffer is full. Returns a drop count to log, if it is time.
    func offerDatagram(_ message: Message) -> Int? {
        state.withLockedValue { s in
            if s.closed || Self.full(s, capacity: capacity, maxBytes: maxBytes) {
                s.dropped += 1
                s.droppedSinceLog += 1
                guard Date().timeIntervalSince(s.lastDropLog) >= 10 else { return nil }
                s.lastDropLog = Date()
                defer { s.droppedSinceLog = 0 }
                return s.droppedSinceLog
            }
            s.messages.append(message)
            s.bytes += message.bytes.count
            return nil
        }
    }

    /// Messages read from a TCP connection: always kept (they were read already). Returns true when the buffer is now
    /// full: the caller stops reading, and `resume` is called once the writer has made room.
    func offerStream(_ messages: [Message], resume: @escaping @Sendable () -> Void) -> Bool {
        state.withLockedValue { s in
            for message in messages {
                s.messages.append(message)
                s.bytes += message.bytes.count
            }
            guard Self.full(s, capacity: capacity, maxBytes: maxBytes), !s.closed else { return false }
            s.paused.append(resume)
            return true
        }
    }

    /// The oldest messages, left in the buffer.
    func peek(max: Int) -> [Message] {
        state.withLockedValue { s in Array(s.messages[s.head..<min(s.messages.count, s.head + max)]) }
    }

    /// Drops the `count` oldest messages (stored now) and lets paused connections read again below half capacity.
    func remove(_ count: Int) {
        let resume: [@Sendable () -> Void] = state.withLockedValue { s in
            let end = min(s.messages.count, s.head + count)
            for index in s.head..<end { s.bytes -= s.messages[index].bytes.count }
            s.head = end
            if s.head > 4_096, s.head * 2 > s.messages.count {
                s.messages.removeFirst(s.head)
                s.head = 0
            }
            let pending = s.messages.count - s.head
            guard !s.paused.isEmpty, pending < capacity / 2, s.bytes < maxBytes / 2 else { return [] }
            defer { s.paused = [] }
            return s.paused
        }
        resume.forEach { $0() }
    }

    /// No more messages are taken; paused connections are resumed (their channels are closing).
    func close() {
        let resume = state.withLockedValue { s -> [@Sendable () -> Void] in
            s.closed = true
            defer { s.paused = [] }
            return s.paused
        }
        resume.forEach { $0() }
    }
}

/// One syslog datagram per message.
final class SyslogUDPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let buffer: SyslogBuffer
    let logger: Logger

    init(buffer: SyslogBuffer, logger: Logger) {
        self.buffer = buffer
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard envelope.data.readableBytes > 0 else { return }
        let message = SyslogBuffer.Message(bytes: Array(envelope.data.readableBytesView), sender: envelope.remoteAddress.ipAddress, receivedAt: Date())
        if let dropped = buffer.offerDatagram(message) {
            logger.warning("syslog: the buffer is full; \(dropped) UDP datagrams dropped in the last seconds (\(buffer.dropped) since start)")
        }
    }
}

/// A TCP connection: framed by `SyslogFramer`; an invalid octet count closes it; reading pauses while the buffer is full.
final class SyslogTCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let buffer: SyslogBuffer
    let sender: String?
    let logger: Logger
    private var framer = SyslogFramer(maxMessageSize: SyslogService.maxMessageSize)

    init(buffer: SyslogBuffer, sender: String?, logger: Logger) {
        self.buffer = buffer
        self.sender = sender
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Self.unwrapInboundIn(data)
        let (messages, problems) = framer.feed(bytes.readableBytesView)
        offer(messages, context: context)
        for problem in problems {
            switch problem {
            case .badOctetCount:
                logger.warning("syslog: closing the TCP connection from \(sender ?? "?"): \(problem)")
                context.close(promise: nil)
                return
            case .oversized:
                logger.notice("syslog: from \(sender ?? "?"): \(problem)")
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let last = framer.finish(), !last.isEmpty { offer([last], context: context) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("syslog: TCP connection from \(sender ?? "?"): \(error)")
        context.close(promise: nil)
    }

    private func offer(_ messages: [[UInt8]], context: ChannelHandlerContext) {
        guard !messages.isEmpty else { return }
        let now = Date()
        let channel = context.channel
        let full = buffer.offerStream(messages.filter { !$0.isEmpty }.map { SyslogBuffer.Message(bytes: $0, sender: sender, receivedAt: now) }) {
            channel.eventLoop.execute { _ = channel.setOption(ChannelOptions.autoRead, value: true) }
        }
        if full { _ = channel.setOption(ChannelOptions.autoRead, value: false) }
    }
}
