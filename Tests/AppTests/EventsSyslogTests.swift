import Detection
import Domain
import Fluent
import Foundation
import NIOCore
import NIOPosix
import SQLKit
import Testing
import VaporTesting
@testable import App

/// The listeners on ephemeral ports, real sockets, real messages.
enum SyslogClient {
    /// Opens a TCP connection, writes the bytes, and closes it (or waits for the server to close it).
    static func tcp(port: Int, _ bytes: [UInt8], waitForServerClose: Bool = false) async throws -> Bool {
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
        if waitForServerClose {
            let closed = try await withThrowingTaskGroup(of: Bool.self) { tasks in
                tasks.addTask { try await channel.closeFuture.get(); return true }
                tasks.addTask { try await Task.sleep(for: .seconds(5)); return false }
                let first = try await tasks.next()!
                tasks.cancelAll()
                return first
            }
            if !closed { try? await channel.close() }
            return closed
        }
        try await channel.close()
        return true
    }

    static func udp(port: Int, _ bytes: [UInt8]) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let remote = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: bytes))).get()
        try await channel.close()
    }

    /// Waits until the store holds `count` events for the query (the writer flushes every ~200 ms).
    static func waitFor(_ app: Application, _ query: EventQuery, count: Int) async throws -> [StoredEvent] {
        for _ in 0..<100 {
            let events = try await EventFixture.scan(app, query).events
            if events.count >= count { return events }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await EventFixture.scan(app, query).events
    }
}

@Suite struct EventsSyslogTests {
    @Test func rfc5424OverTCPAndRFC3164OverUDPAreStoredWithTheirSourceOrHeldApart() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            // A source known by its host name (the test's sender address is 127.0.0.1 for every message).
            let source = EventSource()
            source.id = UUID(); source.name = "Tường lửa biên"; source.kind = .syslog; source.agencyId = world.agency.id!
            source.systemId = world.system.id!; source.hostnames = "fw01.syt.example.vn"; source.enabled = true
            try await source.create(on: app.db)
            let service = SyslogService(app: app, host: "127.0.0.1", udpPort: 0, tcpPort: 0)
            try await service.start()
            let tcpPort = try #require(service.boundTCPPort)
            let udpPort = try #require(service.boundUDPPort)

            // Octet-counted RFC 5424 with structured data, two messages in one write, then a newline-framed one.
            let first = "<165>1 2026-11-20T08:30:00.123+07:00 fw01.syt.example.vn firewall 2201 DENY [meta@32473 src=\"203.0.113.7\" dport=\"3389\"] blocked RDP"
            let second = "<134>1 2026-11-20T08:30:01Z fw01.syt.example.vn firewall 2201 ALLOW - allowed HTTPS"
            var stream: [UInt8] = []
            for message in [first, second] { stream += Array("\(message.utf8.count) \(message)".utf8) }
            stream += Array("<134>1 2026-11-20T08:30:02Z fw01.syt.example.vn firewall 2201 ALLOW - third\n".utf8)
            #expect(try await SyslogClient.tcp(port: tcpPort, stream))
            // RFC 3164 from a host no source knows.
            try await SyslogClient.udp(port: udpPort, Array("<34>Nov 20 08:31:00 mystery-box su: 'su root' failed for lonvu on /dev/pts/8".utf8))

            let known = try await SyslogClient.waitFor(app, EventQuery(sourceIDs: [source.id!]), count: 3)
            #expect(known.count == 3)
            #expect(known.allSatisfy { $0.incoming.agencyID == world.agency.id && $0.incoming.systemID == world.system.id })
            let denied = try #require(known.first { $0.incoming.event[EventFields.Syslog.msgID]?.text == "DENY" })
            #expect(denied.incoming.event["sd.meta@32473.dport"]?.text == "3389")
            #expect(denied.incoming.event[EventFields.Syslog.appName]?.text == "firewall")
            #expect(abs(denied.incoming.time.timeIntervalSince(EventTime.parse("2026-11-20T01:30:00.123Z")!)) < 0.01)
            #expect(denied.incoming.host == "fw01.syt.example.vn")

            let held = try await SyslogClient.waitFor(app, EventQuery(agencyIDs: [], includeUnassigned: true), count: 1)
            #expect(held.count == 1)
            #expect(held[0].incoming.host == "mystery-box")
            #expect(held[0].incoming.event[EventFields.Syslog.message]?.text?.contains("su root") == true)
            #expect(held[0].incoming.event["sender_ip"]?.text == "127.0.0.1")
            let senders = try await EventSourcesController.unassignedSenders(on: app.db)
            #expect(senders.map(\.sender) == ["127.0.0.1"])
            #expect(senders.map(\.host) == ["mystery-box"])
            #expect(senders.first?.events == 1)

            // An invalid octet count closes the connection.
            #expect(try await SyslogClient.tcp(port: tcpPort, Array("12x <34>garbage".utf8), waitForServerClose: true))
            await service.stop()
        }
    }

    @Test func registeringAnUnknownSenderGivesItsHeldEventsToTheNewSource() async throws {
        try await withTestApp { app in
            let world = try await EventsWorld.make(app)
            try await EventFixture.append(app, (0..<4).map { EventFixture.event($0, system: nil, host: "sw-core") }, sender: "10.20.30.40")
            try await EventFixture.append(app, (0..<2).map { EventFixture.event($0, system: nil, host: "printer") }, sender: "10.99.0.5")
            // The page offers "register as source" for each sender.
            try await app.testing().test(.GET, "/events/unassigned", headers: world.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("10.20.30.40"))
                #expect(res.body.string.contains("sender=10.20.30.40"))
            }
            try await app.testing().test(.GET, "/events/sources/new?sender=10.20.30.40&host=sw-core", headers: world.coordinatorSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("10.20.30.40"))
            }
            try await app.testing().test(.POST, "/events/sources/new", headers: world.coordinatorSession.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", world.coordinatorSession.csrf), ("name", "Switch lõi"), ("kind", "syslog"),
                                    ("systemId", world.system.id!.uuidString), ("addresses", "10.20.30.0/24"), ("hostnames", ""),
                                    ("claimHeld", "true")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                #expect(res.headers.first(name: .location)?.contains("claimed=4") == true)
            }
            let source = try #require(try await EventSource.query(on: app.db).filter(\.$name == "Switch lõi").first())
            #expect(try await EventFixture.scan(app, EventQuery(sourceIDs: [source.id!])).events.count == 4)
            let stillHeld = try await EventFixture.scan(app, EventQuery(agencyIDs: [], includeUnassigned: true)).events
            #expect(stillHeld.count == 2 && stillHeld.allSatisfy { $0.incoming.host == "printer" })
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "event_source.create").first())
            #expect(audit.summary.contains("\"claimedEvents\":\"4\""))
            // From now on the listeners match it by address.
            let directory = try await app.eventSourceCache.directory(on: app.db)
            #expect(directory.match(sender: "10.20.30.77", hostname: nil)?.id == source.id)
            #expect(directory.match(sender: "10.99.0.5", hostname: "printer") == nil)
        }
    }

    @Test func theMostSpecificRangeWinsThenTheHostName() {
        let wide = EventSourceDirectory.Entry(id: UUID(), agencyId: UUID(), systemId: UUID(), name: "wide",
                                              networks: [DeclaredAddresses.entry("10.0.0.0/8")!], hostnames: ["gw"])
        let narrow = EventSourceDirectory.Entry(id: UUID(), agencyId: UUID(), systemId: UUID(), name: "narrow",
                                                networks: [DeclaredAddresses.entry("10.1.2.0/24")!], hostnames: [])
        let byName = EventSourceDirectory.Entry(id: UUID(), agencyId: UUID(), systemId: UUID(), name: "name",
                                                networks: [DeclaredAddresses.entry("2001:db8::/32")!], hostnames: ["web01.example.vn"])
        let directory = EventSourceDirectory(entries: [wide, narrow, byName])
        #expect(directory.match(sender: "10.1.2.3", hostname: "web01.example.vn")?.name == "narrow")
        #expect(directory.match(sender: "10.9.9.9", hostname: nil)?.name == "wide")
        #expect(directory.match(sender: "192.0.2.1", hostname: "WEB01.example.vn.")?.name == "name")
        #expect(directory.match(sender: "2001:db8::5", hostname: nil)?.name == "name")
        #expect(directory.match(sender: "192.0.2.1", hostname: "other") == nil)
    }

    @Test func aFullBufferPausesTCPAndDropsAndCountsUDP() async throws {
        let buffer = SyslogBuffer(capacity: 4, maxBytes: 1 << 20)
        let message = SyslogBuffer.Message(bytes: Array("<34>x".utf8), sender: "192.0.2.1", receivedAt: Date())
        for _ in 0..<4 { _ = buffer.offerDatagram(message) }
        #expect(buffer.count == 4)
        _ = buffer.offerDatagram(message)
        #expect(buffer.count == 4 && buffer.dropped == 1)
        let resumed = Recorder<Bool>()
        let paused = buffer.offerStream([message], resume: { resumed.append(true) })
        #expect(paused)
        #expect(buffer.count == 5)
        // Stored messages leave; below half capacity the paused connection reads again.
        #expect(buffer.peek(max: 10).count == 5)
        buffer.remove(3)
        #expect(resumed.values.isEmpty)
        buffer.remove(1)
        #expect(resumed.values == [true])
        #expect(buffer.count == 1)
    }
}
