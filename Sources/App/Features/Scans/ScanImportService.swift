import Foundation
import Domain
import Fluent
import Formats
import SQLKit
import Vapor

/// Imports of scanner reports into a system, the same for the page, the API, the CLI and the built-in scan:
/// pass 1 reads and checks the whole report and collects its hosts (nothing written); a bad report is recorded as a
/// failed import (no findings, no file) with a message naming the format and the place; a report naming hosts
/// outside the system's declared addresses waits for the user to choose which to keep; pass 2
/// (``ScanImporter``) writes everything in one transaction.
enum ScanImportService {
    static let recordType = "scan_import"

    /// Which hosts to keep when the report names hosts outside the system's addresses.
    enum KeepHosts: Sendable, Equatable {
        /// Every host of the report.
        case all
        /// Only the hosts the system declares.
        case inScope
        /// These addresses or names (each must be a host of the report).
        case listed([String])

        /// `all`, `in-scope`, or addresses/names separated by commas, spaces or new lines.
        static func parse(_ raw: String?) -> KeepHosts? {
            guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            switch text.lowercased() {
            case "all": return .all
            case "in-scope", "in_scope", "inscope": return .inScope
            default:
                return .listed(text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
            }
        }
    }

    /// Who performed the scan (for the assessment it records).
    struct Performer: Sendable {
        var kind: AssessmentPerformer
        var name: String
    }

    /// What an upload asked for.
    struct Request: Sendable {
        var system: InformationSystem
        var claimed: ScannerFormat?
        var keep: KeepHosts?
        var performer: Performer
        var fileName: String
        var source = "import"
        /// False (the CLI): a report naming undeclared hosts is not stored; the caller names them and stops.
        var storeWhenAwaiting = true
    }

    /// The outcome of an upload or a confirmation.
    enum Outcome: Sendable {
        case imported(ScanImport, ScanImporter.Counts)
        /// Stored, waiting for the user to choose hosts.
        case awaitingConfirmation(ScanImport)
        /// Refused: the failed import row and the message.
        case failed(ScanImport, String)
        /// Not stored (``Request/storeWhenAwaiting`` false): the report's hosts, some not declared by the system.
        case needsConfirmation([ScanHostEntry])
    }

    // MARK: lookups and checks

    static func find(_ req: Vapor.Request) async throws -> ScanImport {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let row = try await ScanImport.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        try await reconcile(row, app: req.application)
        return row
    }

    /// A built-in scan whose job ended without its body finishing the import (a worker that crashed on the last
    /// attempt, a job cancelled from the command line) is recorded as failed or cancelled with the job's reason.
    static func reconcile(_ row: ScanImport, app: Application) async throws {
        guard row.state == ScanImportState.running.rawValue, let jobId = row.jobId,
              let job = try await JobRecord.find(jobId, on: app.db), job.state == .failed || job.state == .cancelled else { return }
        let state: ScanImportState = job.state == .cancelled ? .cancelled : .failed
        let message = job.lastError ?? (state == .cancelled ? "Đã dừng theo yêu cầu / Stopped on request" : "the scan job failed")
        let id = try row.requireID()
        try await app.write { db in
            try await (db as! any SQLDatabase).update(ScanImport.schema).set("state", to: SQLBind(state.rawValue))
                .set("error", to: SQLBind(String(message.prefix(2000)))).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, id).where("state", .equal, ScanImportState.running.rawValue).run()
        }
        if let fresh = try await ScanImport.find(id, on: app.db) {
            row.state = fresh.state
            row.error = fresh.error
        }
    }

    /// The system an import goes to: visible (else 404, as if it did not exist), then writable by the caller.
    static func system(_ raw: String?, req: Vapor.Request, action: Action = .recordAssessments) async throws -> InformationSystem {
        let subject = try req.requireSubject()
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            throw AppError.validation(FieldErrors(["systemId": "validation.required"]))
        }
        guard let id = UUID(uuidString: raw) else { throw AppError.validation(FieldErrors(["systemId": "validation.invalidId"])) }
        guard let system = try await InformationSystem.visible(id, to: subject, on: req.db) else { throw AppError.notFound }
        try await req.authorize(action, .owned(agencyId: system.$agency.id), readAction: .viewProactive, recordType: "system", recordId: id)
        return system
    }

    static func claimedFormat(_ raw: String?) throws -> ScannerFormat? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces).lowercased(), !raw.isEmpty, raw != "auto" else { return nil }
        guard let format = ScannerFormat(rawValue: raw) else { throw AppError.validation(FieldErrors(["format": "scans.unknownFormat"])) }
        return format
    }

    /// `stored`: what the upload recorded, used when nothing is given now (confirming a report that waited).
    static func performer(kind raw: String?, name: String?, system: InformationSystem, actor: AuditActor, stored: ScanImport? = nil,
                          on db: any Database) async throws -> Performer {
        let anythingGiven = [raw, name].contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if !anythingGiven, let stored, let name = stored.performer, let kind = stored.performerKind.flatMap(AssessmentPerformer.init(rawValue:)) {
            return Performer(kind: kind, name: name)
        }
        var check = InputChecker()
        var kind = AssessmentPerformer.inHouse
        if let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            kind = check.choice("performerKind", raw, as: AssessmentPerformer.self) ?? .inHouse
        }
        let given = check.optionalText("performer", name, max: 300)
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        if let given { return Performer(kind: kind, name: given) }
        // Default: the system's agency did it itself.
        let agency = try await Agency.find(system.$agency.id, on: db)
        return Performer(kind: kind, name: agency?.name ?? actor.label)
    }

    // MARK: import

    /// Pass 1, then either a failed row, a row waiting for confirmation, or pass 2. `file` is consumed: kept in the
    /// document store, or removed.
    static func importReport(_ file: ScanReportFile, _ request: Request, actor: AuditActor, app: Application) async throws -> Outcome {
        let system = request.system
        let systemId = try system.requireID()
        let agencyId = system.$agency.id
        let survey: ScanReportSurvey
        do {
            try file.finish()
            survey = try ScanReportSurvey.read(file.url, claimed: request.claimed)
        } catch let failure as ScanReportSurvey.Failure {
            file.discard()
            let row = try await recordFailure(systemId: systemId, agencyId: agencyId, format: failure.format, fileName: request.fileName,
                                              message: failure.message, actor: actor, app: app)
            return .failed(row, failure.message)
        } catch {
            file.discard()
            throw error
        }
        var hosts = survey.hosts
        let declared = DeclaredAddresses(networkAddresses: system.networkAddresses, domains: system.domains, urls: system.urls)
        for i in hosts.indices { hosts[i].inScope = hosts[i].declared(by: declared) }
        let kept: [ScanHostEntry]
        switch request.keep {
        case nil:
            if hosts.contains(where: { !$0.inScope }) {
                guard request.storeWhenAwaiting else {
                    file.discard()
                    return .needsConfirmation(hosts)
                }
                let row = try await storeAwaiting(file, survey: survey, hosts: hosts, request: request, actor: actor, app: app)
                return .awaitingConfirmation(row)
            }
            kept = hosts
        case .some(let keep):
            kept = try select(keep, from: hosts)
        }
        let stored = try file.keep(dataDirectory: app.config.dataDirectory)
        let sha = file.sha256!
        let size = file.size
        let rules = app.rules
        let context = ScanImporter.Context(survey: survey, fileURL: stored, keptHosts: kept, source: request.source,
                                           performerKind: request.performer.kind, performer: request.performer.name, actor: actor, rules: rules)
        let hostsJSON = encode(hosts)
        let keptJSON = encode(kept.map(\.address))
        let fileName = request.fileName
        let outcome: (ScanImport, ScanImporter.Counts)
        do {
            outcome = try await write(file: (sha, size), fileName: fileName, survey: survey, hostsJSON: hostsJSON, keptJSON: keptJSON,
                                      systemId: systemId, agencyId: agencyId, context: context, actor: actor, app: app)
        } catch let error as ScanParseError {
            // Pass 1 read the same bytes without error; kept for safety: nothing was written.
            let row = try await recordFailure(systemId: systemId, agencyId: agencyId, format: survey.format, fileName: fileName,
                                              message: error.description, actor: actor, app: app)
            return .failed(row, error.description)
        }
        return .imported(outcome.0, outcome.1)
    }

    private static func write(file: (String, Int), fileName: String, survey: ScanReportSurvey, hostsJSON: String, keptJSON: String,
                              systemId: UUID, agencyId: UUID, context: ScanImporter.Context, actor: AuditActor,
                              app: Application) async throws -> (ScanImport, ScanImporter.Counts) {
        let (sha, size) = file
        return try await app.write { db -> (ScanImport, ScanImporter.Counts) in
            let row = newRow(systemId: systemId, agencyId: agencyId, actor: actor)
            row.state = ScanImportState.imported.rawValue
            row.format = survey.format.rawValue
            row.fileName = fileName
            row.performerKind = context.performerKind.rawValue
            row.performer = context.performer
            row.hosts = hostsJSON
            row.keptHosts = keptJSON
            try await row.create(on: db)
            let file = try await ScanReportFile.record(sha256: sha, size: size, format: survey.format.rawValue, name: fileName,
                                                       importId: row.requireID(), agencyId: agencyId, actor: actor, on: db)
            row.fileId = file.id
            let counts = try await ScanImporter.run(row, context, on: db)
            return (row, counts)
        }
    }

    /// The user's choice for a report waiting for confirmation: pass 1 again on the stored file (it could have been
    /// imported meanwhile: the state is claimed in the same transaction), then pass 2 on the kept hosts.
    static func confirm(_ row: ScanImport, keep: KeepHosts, performer: Performer, actor: AuditActor, app: Application) async throws -> Outcome {
        guard row.state == ScanImportState.awaitingConfirmation.rawValue else {
            throw AppError.conflict("scan_not_awaiting", messageKey: "scans.notAwaiting")
        }
        guard let fileId = row.fileId, let stored = try await StoredFile.find(fileId, on: app.db) else { throw AppError.notFound }
        let url = StoredFileService.path(for: stored.sha256, dataDirectory: app.config.dataDirectory)
        let survey: ScanReportSurvey
        do { survey = try ScanReportSurvey.read(url, claimed: row.format.flatMap(ScannerFormat.init(rawValue:))) }
        catch let failure as ScanReportSurvey.Failure {
            throw AppError(status: .unprocessableEntity, code: "scan_unreadable", messageKey: "scans.failedWith|" + FindingService.clean(failure.message))
        }
        let hosts = decodeHosts(row.hosts)
        let kept = try select(keep, from: hosts)
        let context = ScanImporter.Context(survey: survey, fileURL: url, keptHosts: kept, source: "import", performerKind: performer.kind,
                                           performer: performer.name, actor: actor, rules: app.rules)
        let id = try row.requireID()
        // The system's agency now (it may have moved since the upload).
        let agencyId = try await SystemOwned.agencies(of: [row.systemId], on: app.db)[row.systemId] ?? row.agencyId
        let keptJSON = encode(kept.map(\.address))
        let counts = try await app.write { db -> ScanImporter.Counts in
            try await claim(id, from: .awaitingConfirmation, on: db)
            guard let fresh = try await ScanImport.find(id, on: db) else { throw AppError.notFound }
            fresh.keptHosts = keptJSON
            fresh.agencyId = agencyId
            fresh.performerKind = performer.kind.rawValue
            fresh.performer = performer.name
            let counts = try await ScanImporter.run(fresh, context, on: db)
            row.state = fresh.state
            return counts
        }
        guard let fresh = try await ScanImport.find(id, on: app.db) else { throw AppError.notFound }
        return .imported(fresh, counts)
    }

    /// Stops a running built-in scan (coordinators), or discards a report waiting for confirmation (whoever may import).
    static func cancel(_ row: ScanImport, req: Vapor.Request) async throws {
        switch ScanImportState(rawValue: row.state) {
        case .running:
            try await NetworkScan.cancel(row, req: req)
        case .awaitingConfirmation:
            let id = try row.requireID()
            try await req.authorize(.recordAssessments, .owned(agencyId: row.agencyId), readAction: .viewProactive, recordType: recordType, recordId: id)
            let actor = req.auditActor
            try await req.write { db in
                try await claim(id, from: .awaitingConfirmation, on: db)
                try await (db as! any SQLDatabase).update(ScanImport.schema).set("state", to: SQLBind(ScanImportState.cancelled.rawValue))
                    .where("id", .equal, id).run()
                try await AuditLog.append(AuditEntry("scan.discard", recordType: recordType, recordId: id.uuidString, agencyId: row.agencyId),
                                          by: actor, on: db)
            }
        default:
            throw AppError.conflict("scan_not_running", messageKey: "scans.notCancellable")
        }
    }

    /// The stored report, as an attachment.
    static func download(_ row: ScanImport, req: Vapor.Request) async throws -> Response {
        guard let fileId = row.fileId, let file = try await StoredFile.find(fileId, on: req.db), file.recordType == recordType,
              file.recordId == row.id else { throw AppError.notFound }
        let url = StoredFileService.path(for: file.sha256, dataDirectory: req.application.config.dataDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        let response = try await req.fileio.asyncStreamFile(at: url.path)
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(file.originalName))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// The hosts to keep. Listed hosts must be hosts of the report (by address or name).
    static func select(_ keep: KeepHosts, from hosts: [ScanHostEntry]) throws -> [ScanHostEntry] {
        switch keep {
        case .all: return hosts
        case .inScope: return hosts.filter(\.inScope)
        case .listed(let names):
            var byKey: [String: Int] = [:]
            for (i, h) in hosts.enumerated() { for key in h.keys where byKey[key] == nil { byKey[key] = i } }
            var chosen = Set<Int>()
            for name in names {
                guard let i = byKey[ScanHostEntry.key(name)] else {
                    throw AppError.validation(FieldErrors(["keepHosts": "scans.unknownHost|\(FindingService.clean(String(name.prefix(100))))"]))
                }
                chosen.insert(i)
            }
            // Artefacts (images, files) have no address to check: always kept.
            return hosts.enumerated().filter { chosen.contains($0.offset) || !$0.element.network }.map(\.element)
        }
    }

    /// Claims the import for one transition (`UPDATE … WHERE state = from`): of two concurrent confirmations only one proceeds.
    static func claim(_ id: UUID, from state: ScanImportState, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let rows = try await sql.update(ScanImport.schema).set("updated_at", to: SQLBind(Date()))
            .where("id", .equal, id).where("state", .equal, state.rawValue).returning("id").all()
        guard rows.count == 1 else { throw AppError.conflict("scan_not_awaiting", messageKey: "scans.notAwaiting") }
    }

    // MARK: rows

    static func newRow(systemId: UUID, agencyId: UUID, actor: AuditActor) -> ScanImport {
        let row = ScanImport()
        row.id = UUID()
        row.systemId = systemId
        row.agencyId = agencyId
        row.findingsTotal = 0
        row.findingsNew = 0
        row.findingsReopened = 0
        row.findingsClosed = 0
        row.createdBy = actor.userId
        row.createdByName = String(actor.label.prefix(200))
        return row
    }

    /// A refused report leaves a trace the user can see (and an audit event), and nothing else.
    static func recordFailure(systemId: UUID, agencyId: UUID, format: ScannerFormat?, fileName: String?, message: String, actor: AuditActor,
                              app: Application, existing: UUID? = nil) async throws -> ScanImport {
        try await app.write { db in
            let row: ScanImport
            if let existing, let found = try await ScanImport.find(existing, on: db) { row = found } else {
                row = newRow(systemId: systemId, agencyId: agencyId, actor: actor)
            }
            row.state = ScanImportState.failed.rawValue
            row.format = format?.rawValue ?? row.format
            row.fileName = fileName.map(StoredFileService.sanitizedName) ?? row.fileName
            row.error = String(message.prefix(2000))
            try await row.save(on: db)
            try await AuditLog.append(AuditEntry("scan.failed", recordType: recordType, recordId: row.id?.uuidString, agencyId: agencyId,
                                                 details: ["systemId": systemId.uuidString, "error": String(message.prefix(500))]),
                                      by: actor, on: db)
            return row
        }
    }

    private static func storeAwaiting(_ file: ScanReportFile, survey: ScanReportSurvey, hosts: [ScanHostEntry], request: Request,
                                      actor: AuditActor, app: Application) async throws -> ScanImport {
        _ = try file.keep(dataDirectory: app.config.dataDirectory)
        let sha = file.sha256!
        let size = file.size
        let systemId = try request.system.requireID()
        let agencyId = request.system.$agency.id
        let hostsJSON = encode(hosts)
        let fileName = request.fileName
        return try await app.write { db in
            let row = newRow(systemId: systemId, agencyId: agencyId, actor: actor)
            row.state = ScanImportState.awaitingConfirmation.rawValue
            row.format = survey.format.rawValue
            row.fileName = fileName
            row.performerKind = request.performer.kind.rawValue
            row.performer = request.performer.name
            row.scannerName = survey.info.scannerName
            row.scannerVersion = survey.info.scannerVersion
            row.reportStartedAt = survey.info.startedAt
            row.reportFinishedAt = survey.info.finishedAt
            row.hosts = hostsJSON
            row.findingsTotal = survey.findingCount
            try await row.create(on: db)
            let stored = try await ScanReportFile.record(sha256: sha, size: size, format: survey.format.rawValue, name: fileName,
                                                         importId: row.requireID(), agencyId: agencyId, actor: actor, on: db)
            row.fileId = stored.id
            try await row.save(on: db)
            try await AuditLog.append(AuditEntry("scan.awaiting_confirmation", recordType: recordType, recordId: row.id?.uuidString, agencyId: agencyId,
                                                 details: ["systemId": systemId.uuidString, "format": survey.format.rawValue,
                                                           "outOfScope": String(hosts.filter { !$0.inScope }.count)]),
                                      by: actor, on: db)
            return row
        }
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeHosts(_ text: String?) -> [ScanHostEntry] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([ScanHostEntry].self, from: Data(text.utf8))) ?? []
    }

    static func decodeStrings(_ text: String?) -> [String]? {
        guard let text else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
