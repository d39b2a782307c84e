import Domain
import Fluent
import Foundation
import NIOCore
import NIOPosix
import Testing
import VaporTesting
@testable import App

/// A TCP service on 127.0.0.1 that greets like an SSH server, for nmap's service detection.
private final class BannerHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        buffer.writeString("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n")
        context.writeAndFlush(NIOAny(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

private enum LocalService {
    static func start() async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(BannerHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}

/// Whether nmap is installed (scripts/test.sh installs the Debian package).
private let nmapInstalled: Bool = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    .contains { FileManager.default.isExecutableFile(atPath: "\($0)/nmap") }

@Suite struct NetworkScanTests {
    static func start(_ app: Application, system: InformationSystem, targets: [String], ports: String, headers: HTTPHeaders,
                      expect status: HTTPStatus, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var result: [String: Any] = [:]
        try await app.testing().test(.POST, "/api/v1/scans/nmap", headers: headers, beforeRequest: { req in
            JSONBody.set(&req, ["systemId": system.id!.uuidString, "targets": targets, "ports": ports])
        }) { res in
            #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
            result = (try? JSONBody.object(res)) ?? [:]
        }
        return result
    }

    @Test(.enabled(if: nmapInstalled, "nmap is not installed (Debian package nmap; scripts/test.sh installs it)"))
    func aScanOfADeclaredLocalServiceRunsAsAJobAndImportsTheOpenPort() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let service = try await LocalService.start()
            defer { service.close(promise: nil) }
            let port = try #require(service.localAddress?.port)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "127.0.0.1")
            let started = try await Self.start(app, system: system, targets: ["127.0.0.1"], ports: String(port), headers: w.coordinator, expect: .accepted)
            #expect(started["state"] as? String == "running")
            #expect(started["targets"] as? [String] == ["127.0.0.1"])
            let id = try #require(started["id"] as? String)
            // The page follows it (and works without JS: a refresh link).
            try await app.testing().test(.GET, "/scans/\(id)", headers: w.coordinatorSession.headers) { res in
                #expect(res.body.string.contains("id=\"scan-progress\""))
                #expect(res.body.string.contains("id=\"scan-refresh\""))
            }
            #expect(try await app.drainJobs() >= 1)
            var scan: [String: Any] = [:]
            try await app.testing().test(.GET, "/api/v1/scans/\(id)", headers: w.coordinator) { res in scan = try JSONBody.object(res) }
            #expect(scan["state"] as? String == "imported", "\(scan["error"] ?? "")")
            #expect(scan["progress"] as? Int == 100)
            #expect(scan["format"] as? String == "nmap")
            let findings = try await ScanWorld.findings(app, system: system)
            let open = try #require(findings.first { $0.port == port }, "no finding for port \(port): \(findings.map(\.title))")
            #expect(open.host == "127.0.0.1" && open.proto == "tcp")
            #expect(open.service == "ssh", "\(open.service ?? "nil")")
            let assessment = try #require(try await ProactiveAssessment.query(on: app.db).filter(\.$systemId == system.id!).first())
            #expect(assessment.source == "nmap" && assessment.state == "completed")
            // A scan done now meets the 6-monthly scan duty.
            if let duty = try await Obligation.query(on: app.db).filter(\.$dutyId == "SCAN_OVERDUE").filter(\.$subjectId == system.id!).first() {
                #expect(duty.state == .met)
            }
            try await app.testing().test(.GET, "/api/v1/scans/\(id)/report", headers: w.coordinator) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<nmaprun"))
            }
        }
    }

    @Test func onlyTheSystemsDeclaredTargetsCanBeScanned() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "10.1.2.0/24\n192.0.2.0/20\n2001:db8::/120",
                                                    domains: "cong.example.gov.vn")
            for (targets, mention) in [(["10.9.9.9"], "10.9.9.9"), (["10.1.2.0/23"], "10.1.2.0/23"), (["192.0.2.0/20"], "/22"),
                                       (["-oN /tmp/x"], "-oN"), (["10.1.2.0/24", "evil.example.com"], "evil.example.com"), ([], "")] {
                let body = try await Self.start(app, system: system, targets: targets, ports: "top100", headers: w.coordinator, expect: .unprocessableEntity)
                let field = ((body["error"] as? [String: Any])?["fields"] as? [String: String])?["targets"] ?? ""
                #expect(mention.isEmpty ? !field.isEmpty : field.contains(mention), "\(targets): \(field)")
            }
            for ports in ["1-70000", "22,,80", "http", String(repeating: "1,", count: 101) + "1"] {
                try await Self.start(app, system: system, targets: ["10.1.2.0/24"], ports: ports, headers: w.coordinator, expect: .unprocessableEntity)
            }
            #expect(try await app.count(ScanImport.self) == 0)
            #expect(try await app.count(JobRecord.self) == 0)
            // Officers and responders do not run scans.
            try await Self.start(app, system: system, targets: ["10.1.2.0/24"], ports: "top100", headers: w.officer, expect: .forbidden)
            // A forged page form is checked the same way.
            let session = w.coordinatorSession
            try await app.testing().test(.POST, "/scans/nmap", headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("systemId", system.id!.uuidString), ("targets[]", "8.8.8.8"), ("ports", "top100")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.element(id: "targets-error")?.contains("8.8.8.8") == true)
            }
            // The form offers the declared places, the too-large range disabled.
            try await app.testing().test(.GET, "/scans/nmap?systemId=\(system.id!)", headers: session.headers) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("value=\"10.1.2.0/24\""))
                #expect(html.contains("value=\"cong.example.gov.vn\""))
                // Declared as 192.0.2.0/20: shown as the range it is.
                #expect(html.contains("value=\"192.0.0.0/20\" disabled"))
            }
        }
    }

    @Test func aMissingNmapIsExplainedOnThePageAndInTheAPI() async throws {
        try await withTestApp(adjusting: { $0.nmapPath = "/nonexistent/nmap" }) { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "127.0.0.1")
            let body = try await Self.start(app, system: system, targets: ["127.0.0.1"], ports: "top100", headers: w.coordinator, expect: .unprocessableEntity)
            #expect((body["error"] as? [String: Any])?["code"] as? String == "nmap_missing")
            #expect(((body["error"] as? [String: Any])?["message"] as? String)?.contains("nmap chưa được cài đặt") == true)
            try await app.testing().test(.GET, "/scans/nmap?systemId=\(system.id!)", headers: w.coordinatorSession.headers) { res in
                #expect(res.element(id: "nmap-missing")?.contains("nmap chưa được cài đặt") == true)
            }
        }
    }

    @Test(.enabled(if: nmapInstalled, "nmap is not installed (Debian package nmap; scripts/test.sh installs it)"))
    func aQueuedScanCanBeCancelledAndNeverRuns() async throws {
        try await withTestApp { app in
            let w = try await ScanWorld.make(app)
            let system = try await ScanWorld.system(app, agency: w.agency, addresses: "127.0.0.1")
            let started = try await Self.start(app, system: system, targets: ["127.0.0.1"], ports: "top100", headers: w.coordinator, expect: .accepted)
            let id = try #require(started["id"] as? String)
            try await app.testing().test(.POST, "/api/v1/scans/\(id)/cancel", headers: w.officer) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.POST, "/api/v1/scans/\(id)/cancel", headers: w.coordinator) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let object = try JSONBody.object(res)
                #expect(object["state"] as? String == "cancelled")
            }
            #expect(try await app.drainJobs() == 0)
            #expect(try await app.count(Finding.self) == 0)
            // A job stopped outside the page (`ungcuu jobs cancel`) leaves no scan shown as running.
            let other = try await Self.start(app, system: system, targets: ["127.0.0.1"], ports: "top100", headers: w.coordinator, expect: .accepted)
            let jobId = try #require((other["jobId"] as? String).flatMap(UUID.init(uuidString:)))
            _ = try await app.write { db in try await JobQueue.cancel(jobId, on: db) }
            try await app.testing().test(.GET, "/api/v1/scans/\(other["id"] as? String ?? "")", headers: w.coordinator) { res in
                let object = try JSONBody.object(res)
                #expect(object["state"] as? String == "cancelled")
            }
        }
    }

    /// A stand-in for nmap: prints a progress line, then waits (or fails) as told.
    static func fakeNmap(_ body: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fake-nmap-\(UUID().uuidString)")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test func aRunningScanStopsWhenCancelledAndAFailingOneSaysWhy() async throws {
        try await withTestApp { app in
            let slow = try Self.fakeNmap("echo 'SYN Stealth Scan Timing: About 10.00% done; ETC: 10:22 (0:00:06 remaining)'\nexec sleep 60")
            let failing = try Self.fakeNmap("echo 'Failed to resolve \"nowhere\".' >&2\nexit 1")
            defer { try? FileManager.default.removeItem(at: slow); try? FileManager.default.removeItem(at: failing) }
            let context = JobContext.direct(app: app)
            let started = Date()
            let cancel = Task {
                try await Task.sleep(nanoseconds: 800_000_000)
                context.control.markCancelRequested()
            }
            await #expect(throws: JobCancelled.self) {
                try await NmapProcess.run(executable: slow, arguments: [], context: context)
            }
            _ = try await cancel.value
            #expect(Date().timeIntervalSince(started) < 10, "the process was not stopped")
            do {
                try await NmapProcess.run(executable: failing, arguments: [], context: JobContext.direct(app: app))
                Issue.record("a failing nmap did not fail")
            } catch let error as NmapFailure {
                #expect(error.message.contains("status 1") && error.message.contains("Failed to resolve"), "\(error.message)")
            }
        }
    }

    @Test func nmapProgressLinesBecomeJobProgress() {
        let scan = NmapProcess.parseProgress("SYN Stealth Scan Timing: About 12.50% done; ETC: 10:22 (0:00:06 remaining)")
        #expect(scan?.0 == "SYN Stealth Scan" && scan?.1 == 12.5)
        let service = NmapProcess.parseProgress("Service scan Timing: About 50.00% done; ETC: 10:23 (0:00:03 remaining)")
        #expect(service.map { NmapProcess.overallPercent(phase: $0.0, percent: $0.1) } == 70)
        #expect(NmapProcess.parseProgress("Nmap scan report for localhost (127.0.0.1)") == nil)
        #expect(NetworkScan.Ports.parse("443, 8000-8100 ,22") == .list("443,8000-8100,22"))
        #expect(NetworkScan.Ports.parse("top1000") == .top(1000))
        #expect(NetworkScan.Ports.parse("0") == nil && NetworkScan.Ports.parse("90-80") == nil)
    }
}
