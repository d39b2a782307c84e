import Foundation
import Domain
import Fluent
import Formats
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The built-in network scan (coordinators only): nmap with service detection against targets the system itself
/// declares — never anything else — run as a background job (`scans.nmap`) with progress and cancellation; its XML
/// is imported like an uploaded report (every host is in scope by construction).
enum NetworkScan {
    static let jobKind: JobKind = "scans.nmap"

    /// Which ports to scan.
    enum Ports: Sendable, Equatable {
        /// nmap's most common N ports (100 or 1000).
        case top(Int)
        /// An explicit list: `22,80,443,8000-8100`.
        case list(String)

        var arguments: [String] {
            switch self {
            case .top(let n): ["--top-ports", String(n)]
            case .list(let spec): ["-p", spec]
            }
        }

        var text: String {
            switch self {
            case .top(let n): "top\(n)"
            case .list(let spec): spec
            }
        }

        /// `top100`, `top1000`, or a list of ports and ranges (1–65535, at most 100 items), canonicalised.
        static func parse(_ raw: String?) -> Ports? {
            let text = (raw ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            switch text {
            case "", "top100": return .top(100)
            case "top1000": return .top(1000)
            default: break
            }
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !items.isEmpty, items.count <= 100 else { return nil }
            var parts: [String] = []
            for item in items {
                let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count),
                      bounds.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
                let numbers = bounds.compactMap { Int($0) }
                guard numbers.allSatisfy({ (1...65_535).contains($0) }) else { return nil }
                if numbers.count == 2 {
                    guard numbers[0] <= numbers[1] else { return nil }
                    parts.append(numbers[0] == numbers[1] ? String(numbers[0]) : "\(numbers[0])-\(numbers[1])")
                } else {
                    parts.append(String(numbers[0]))
                }
            }
            return .list(parts.joined(separator: ","))
        }
    }

    /// What a scan was asked to do, stored on the import (`targets`, JSON) so the job reads the request itself.
    struct Plan: Codable, Sendable, Equatable {
        var targets: [String]
        var ports: String
    }

    /// What the page or the API sends.
    struct Input: Content, Sendable {
        var systemId: String?
        var targets: [String]?
        /// `top100` (default), `top1000`, `list` (then `portList`), or the list itself.
        var ports: String?
        var portList: String?
    }

    // MARK: checks

    /// Targets: each must be one of the system's declared addresses, ranges or names (whatever was submitted — a
    /// forged form included), and no range larger than /22.
    static func check(_ input: Input, system: InformationSystem) throws -> Plan {
        var errors = FieldErrors()
        let declared = DeclaredAddresses(networkAddresses: system.networkAddresses, domains: system.domains, urls: system.urls)
        var targets: [String] = []
        let submitted = (input.targets ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if declared.isEmpty {
            errors.add("targets", "scans.noDeclaredAddresses")
        } else if submitted.isEmpty {
            errors.add("targets", "scans.targetsRequired")
        } else if submitted.count > 64 {
            errors.add("targets", "scans.tooManyTargets|64")
        }
        for raw in submitted.prefix(64) where errors["targets"] == nil {
            switch declared.scanTarget(raw) {
            case .success(let target):
                if !targets.contains(target) { targets.append(target) }
            case .failure(.invalid(let text)):
                errors.add("targets", "scans.targetInvalid|\(FindingService.clean(text))")
            case .failure(.notDeclared(let text)):
                errors.add("targets", "scans.targetNotDeclared|\(FindingService.clean(text))")
            case .failure(.tooLarge(let text, let count)):
                errors.add("targets", "scans.targetTooLarge|\(FindingService.clean(text))|\(count)|\(DeclaredAddresses.maxIPv4Prefix)")
            }
        }
        let portsRaw = input.ports?.lowercased() == "list" ? input.portList : input.ports
        let ports = Ports.parse(portsRaw)
        if ports == nil { errors.add(input.ports?.lowercased() == "list" ? "portList" : "ports", "scans.badPorts") }
        if !errors.isEmpty { throw AppError.validation(errors) }
        return Plan(targets: targets, ports: ports!.text)
    }

    /// nmap: `UNGCUU_NMAP_PATH` when set, else the first `nmap` on PATH; nil when absent.
    static func locate(config: AppConfig) -> URL? {
        if let path = config.nmapPath {
            return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("nmap")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static let notInstalled = AppError(status: .unprocessableEntity, code: "nmap_missing", messageKey: "scans.nmapMissing",
                                       fields: ["form": "scans.nmapMissing"])

    // MARK: start

    /// Records the scan (state `running`) and queues its job, in one transaction.
    static func start(_ input: Input, req: Request) async throws -> ScanImport {
        let system = try await ScanImportService.system(input.systemId, req: req, action: .runNetworkScan)
        let plan = try check(input, system: system)
        guard locate(config: req.application.config) != nil else { throw notInstalled }
        let actor = req.auditActor
        let systemId = try system.requireID()
        let agencyId = system.$agency.id
        let code = system.code
        let registry = req.application.jobs
        return try await req.write { db in
            let row = ScanImportService.newRow(systemId: systemId, agencyId: agencyId, actor: actor)
            row.state = ScanImportState.running.rawValue
            row.format = ScannerFormat.nmap.rawValue
            row.targets = ScanImportService.encode(plan)
            row.fileName = "nmap-\(code)-\(fileStamp(Date())).xml"
            try await row.create(on: db)
            let id = try row.requireID()
            row.jobId = try await JobQueue.enqueue(jobKind, payload: ["importId": id], maxAttempts: 1, registry: registry, on: db)
            try await row.save(on: db)
            try await AuditLog.append(AuditEntry("scan.nmap.start", recordType: ScanImportService.recordType, recordId: id.uuidString,
                                                 agencyId: agencyId, after: ["systemId": systemId.uuidString, "targets": plan.targets.joined(separator: " "),
                                                                             "ports": plan.ports]),
                                      by: actor, on: db)
            return row
        }
    }

    /// Stops a running scan: a queued job never starts; a running one is asked to stop (its job marks the import).
    static func cancel(_ row: ScanImport, req: Request) async throws {
        let id = try row.requireID()
        try await req.authorize(.runNetworkScan, .owned(agencyId: row.agencyId), readAction: .viewProactive, recordType: ScanImportService.recordType,
                                recordId: id)
        guard row.state == ScanImportState.running.rawValue, let jobId = row.jobId else {
            throw AppError.conflict("scan_not_running", messageKey: "scans.notRunning")
        }
        let actor = req.auditActor
        try await req.write { db in
            let outcome = try await JobQueue.cancel(jobId, on: db)
            if outcome == .cancelled || outcome == .finished || outcome == .notFound {
                // Not started (or already gone): the import ends here.
                try await (db as! any SQLDatabase).update(ScanImport.schema).set("state", to: SQLBind(ScanImportState.cancelled.rawValue))
                    .set("updated_at", to: SQLBind(Date())).where("id", .equal, id).where("state", .equal, ScanImportState.running.rawValue).run()
            }
            try await AuditLog.append(AuditEntry("scan.nmap.cancel", recordType: ScanImportService.recordType, recordId: id.uuidString,
                                                 agencyId: row.agencyId, details: ["job": outcome.rawValue]),
                                      by: actor, on: db)
        }
    }

    static func fileStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DisplayTime.zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d%02d%02d-%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    // MARK: the job

    static func register(in app: Application) {
        app.jobs.register(jobKind, maxAttempts: 1) { context, payload in
            try await run(context, importId: try payload.id("importId"))
        }
    }

    /// The job body: runs nmap, then imports its XML. Every way out leaves the import in a final state with a message
    /// (except an interruption by shutdown: the job is queued again and scans again).
    static func run(_ ctx: JobContext, importId: UUID) async throws {
        let app = ctx.app
        guard let row = try await ScanImport.find(importId, on: app.db), row.state == ScanImportState.running.rawValue else { return }
        func fail(_ message: String) async throws {
            _ = try await ScanImportService.recordFailure(systemId: row.systemId, agencyId: row.agencyId, format: .nmap, fileName: row.fileName,
                                                         message: message, actor: .system("scans.nmap"), app: app, existing: importId)
        }
        guard let system = try await InformationSystem.find(row.systemId, on: app.db) else { return }
        guard let plan = row.targets.flatMap({ try? JSONDecoder().decode(Plan.self, from: Data($0.utf8)) }), let ports = Ports.parse(plan.ports) else {
            try await fail("the scan request is unreadable")
            return
        }
        // The system may have changed since the scan was asked for: its current addresses decide.
        let declared = DeclaredAddresses(networkAddresses: system.networkAddresses, domains: system.domains, urls: system.urls)
        for target in plan.targets {
            guard case .success = declared.scanTarget(target) else {
                try await fail(Localizer(lang: .vi)("scans.targetNoLongerDeclared", target) + " / " + Localizer(lang: .en)("scans.targetNoLongerDeclared", target))
                return
            }
        }
        guard let nmap = locate(config: app.config) else {
            let message = Localizer(lang: .vi)("scans.nmapMissing") + " / " + Localizer(lang: .en)("scans.nmapMissing")
            try await fail(message)
            throw NmapFailure(message: message)
        }
        let output = ScanReportFile.temporaryURL(dataDirectory: app.config.dataDirectory, suffix: "xml")
        defer { try? FileManager.default.removeItem(at: output) }
        // nmap scans one address family per run, IPv4 unless told -6; declared IPv6 entries are literal addresses.
        let ipv6 = plan.targets.filter { $0.contains(":") }
        if !ipv6.isEmpty, ipv6.count != plan.targets.count {
            try await fail(Localizer(lang: .vi)("scans.mixedFamilies") + " / " + Localizer(lang: .en)("scans.mixedFamilies"))
            return
        }
        let arguments = ["-sV", "-oX", output.path, "--stats-every", "2s"] + (ipv6.isEmpty ? [] : ["-6"]) + ports.arguments + plan.targets
        do {
            try await NmapProcess.run(executable: nmap, arguments: arguments, context: ctx)
        } catch let error as NmapFailure {
            try await fail(error.message)
            throw error
        } catch is JobCancelled {
            if ctx.isCancelRequested {
                try await (app.db as! any SQLDatabase).update(ScanImport.schema).set("state", to: SQLBind(ScanImportState.cancelled.rawValue))
                    .set("error", to: SQLBind("Đã dừng theo yêu cầu / Stopped on request")).set("updated_at", to: SQLBind(Date()))
                    .where("id", .equal, importId).run()
            }
            throw JobCancelled()
        }
        await ctx.progress(96, "import")
        // The XML is now a report like any other.
        let file = ScanReportFile(existing: output, limit: app.config.maxScanReportBytes)
        let survey: ScanReportSurvey
        do {
            try file.finish()
            survey = try ScanReportSurvey.read(output, claimed: .nmap)
        } catch let failure as ScanReportSurvey.Failure {
            try await fail(failure.message)
            throw NmapFailure(message: failure.message)
        }
        let stored = try file.keep(dataDirectory: app.config.dataDirectory)
        let sha = file.sha256!
        let size = file.size
        let creator: User? = if let userId = row.createdBy { try await User.find(userId, on: app.db) } else { nil }
        let actor = AuditActor(userId: creator?.id, label: creator.map { "\($0.name) <\($0.email)> (nmap)" } ?? "scans.nmap", clientAddress: nil)
        let performerAgency: Agency? = if let agencyId = creator?.$agency.id { try await Agency.find(agencyId, on: app.db) } else { nil }
        let performerKind: AssessmentPerformer = creator?.$agency.id == system.$agency.id ? .inHouse : .authority
        let context = ScanImporter.Context(survey: survey, fileURL: stored, keptHosts: survey.hosts.map { var h = $0; h.inScope = true; return h },
                                           source: "nmap", performerKind: performerKind,
                                           performer: performerAgency?.name ?? creator?.name ?? "UngCuu", actor: actor, rules: app.rules)
        let hostsJSON = ScanImportService.encode(context.keptHosts)
        let systemAgency = system.$agency.id
        let fileName = row.fileName ?? "nmap.xml"
        try await app.write { db in
            try await ScanImportService.claim(importId, from: .running, on: db)
            guard let fresh = try await ScanImport.find(importId, on: db) else { throw AppError.notFound }
            fresh.agencyId = systemAgency
            let file = try await ScanReportFile.record(sha256: sha, size: size, format: ScannerFormat.nmap.rawValue, name: fileName, importId: importId,
                                                       agencyId: fresh.agencyId, actor: actor, on: db)
            fresh.fileId = file.id
            fresh.performerKind = context.performerKind.rawValue
            fresh.performer = context.performer
            fresh.hosts = hostsJSON
            fresh.keptHosts = ScanImportService.encode(context.keptHosts.map(\.address))
            _ = try await ScanImporter.run(fresh, context, on: db)
        }
        await ctx.progress(100, "done")
    }
}

struct NmapFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension ScanReportFile {
    static func temporaryURL(dataDirectory: String, suffix: String) -> URL {
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tmp")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("scan-\(UUID().uuidString).\(suffix)")
    }
}

/// Runs nmap as a child process (arguments array, no shell), turning its `About X% done` lines into job progress
/// and stopping it when the job is cancelled.
enum NmapProcess {
    private final class Output: @unchecked Sendable {
        let lock = NIOLock()
        var percent = 0.0
        var phase = ""
        var stderrTail = ""
        var finishedReading = 0
    }

    static func run(executable: URL, arguments: [String], context ctx: JobContext) async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let output = Output()
        do { try process.run() } catch {
            throw NmapFailure(message: "nmap could not be started (\(executable.path)): \(error.localizedDescription)")
        }
        // Blocking reads on threads of their own, never on the concurrency pool.
        Thread.detachNewThread {
            var pending = ""
            while true {
                let data = stdout.fileHandleForReading.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = String(pending[..<newline])
                    pending = String(pending[pending.index(after: newline)...])
                    if let (phase, percent) = parseProgress(line) {
                        output.lock.withLock { output.phase = phase; output.percent = percent }
                    }
                }
                if pending.count > 65_536 { pending = "" }
            }
            output.lock.withLock { output.finishedReading += 1 }
        }
        Thread.detachNewThread {
            while true {
                let data = stderr.fileHandleForReading.availableData
                if data.isEmpty { break }
                output.lock.withLock {
                    output.stderrTail = String((output.stderrTail + String(decoding: data, as: UTF8.self)).suffix(2000))
                }
            }
            output.lock.withLock { output.finishedReading += 1 }
        }
        var lastReported = -1
        while process.isRunning {
            do {
                try await ctx.checkCancellation()
                try await Task.sleep(nanoseconds: 250_000_000)
            } catch {
                stop(process)
                throw JobCancelled()
            }
            let (phase, percent) = output.lock.withLock { (output.phase, output.percent) }
            let overall = overallPercent(phase: phase, percent: percent)
            if overall != lastReported {
                lastReported = overall
                await ctx.progress(overall, phase.isEmpty ? "nmap" : "\(phase): \(String(format: "%.0f", percent))%")
            }
        }
        process.waitUntilExit()
        // Let the readers drain what is left.
        for _ in 0..<40 where output.lock.withLock({ output.finishedReading }) < 2 { try? await Task.sleep(nanoseconds: 25_000_000) }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let tail = output.lock.withLock { output.stderrTail }.trimmingCharacters(in: .whitespacesAndNewlines)
            throw NmapFailure(message: "nmap stopped with status \(process.terminationStatus)" + (tail.isEmpty ? "" : ": \(tail)"))
        }
    }

    /// `Service scan Timing: About 50.00% done; ETC: 10:22 (0:00:06 remaining)` → ("Service scan", 50).
    static func parseProgress(_ line: String) -> (String, Double)? {
        guard let about = line.range(of: "About "), let done = line.range(of: "% done", range: about.upperBound..<line.endIndex),
              let percent = Double(line[about.upperBound..<done.lowerBound].trimmingCharacters(in: .whitespaces)) else { return nil }
        let phase = line.range(of: " Timing:").map { String(line[..<$0.lowerBound]) } ?? ""
        return (phase.trimmingCharacters(in: .whitespaces), min(max(percent, 0), 100))
    }

    /// Port scanning counts for the first half, service detection up to 90 %, scripts up to 95 %; the import does the rest.
    static func overallPercent(phase: String, percent: Double) -> Int {
        let p = percent / 100
        if phase.hasPrefix("Service scan") { return 50 + Int(p * 40) }
        if phase.hasPrefix("NSE") || phase.hasPrefix("Script") { return 90 + Int(p * 5) }
        return Int(p * 50)
    }

    /// SIGTERM, then SIGKILL if it does not stop within two seconds (a child inherits ignored signals, and the server
    /// ignores SIGTERM to shut down gracefully, so nmap may not hear the first one).
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<20 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
