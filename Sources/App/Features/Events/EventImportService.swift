import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// Uploaded event files: received to disk, then read by the background job `events.import`, which commits the events
/// in batches (each batch durable on its own, with the import's counts and resume point in the same transaction), with
/// progress (bytes read of the total) and cancellation. The finished import is audited with its counts.
enum EventImportService {
    static let recordType = "event_import"
    static let jobKind: JobKind = "events.import"
    /// Warnings kept on the import row (all are counted).
    static let maxWarnings = 200

    /// One import the subject may read, or 404.
    static func find(_ req: Request) async throws -> EventImport {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let row = try await EventImport.find(id, on: req.db),
              Policy.can(subject, .viewDetection, .owned(agencyId: row.agencyId))
        else { throw AppError.notFound }
        return row
    }

    /// Imports the subject may read, newest first.
    static func recent(subject: Subject, limit: Int, on db: any Database) async throws -> [EventImport] {
        let query = EventImport.query(on: db).sort(\.$createdAt, .descending).range(0..<limit)
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(\.$agencyId ~~ Array(ids)) }
        return try await query.all()
    }

    /// The system (and optional source of it) the subject may upload events to, or the field errors saying why not.
    static func target(systemId raw: String?, sourceId rawSource: String?, req: Request) async throws -> (InformationSystem, EventSource?) {
        let subject = try req.requireSubject()
        var check = InputChecker()
        guard let id = check.uuid("systemId", raw, required: true) else { throw AppError.validation(check.errors) }
        guard let system = try await InformationSystem.visible(id, to: subject, on: req.db),
              Policy.can(subject, .uploadEvents, .owned(agencyId: system.$agency.id)) else {
            throw AppError.validation(FieldErrors(["systemId": "validation.invalidId"]))
        }
        var source: EventSource?
        if let rawSource, !rawSource.isEmpty {
            guard let sid = UUID(uuidString: rawSource), let found = try await EventSource.find(sid, on: req.db), found.systemId == id else {
                throw AppError.validation(FieldErrors(["sourceId": "validation.invalidId"]))
            }
            source = found
        }
        return (system, source)
    }

    /// Receives the request's files and queues their import. The page and the API share it.
    static func upload(_ req: Request) async throws -> EventImport {
        let importId = UUID()
        let directory = EventUploads.directory(req.application, importId: importId)
        do {
            let received = try await EventUploads.receive(req, into: directory, limit: Int64(req.application.config.maxEventUploadBytes))
            let systemRaw = received.fields["systemId"] ?? req.query[String.self, at: "systemId"] ?? req.query[String.self, at: "system"]
            let sourceRaw = received.fields["sourceId"] ?? req.query[String.self, at: "sourceId"]
            let (system, source) = try await target(systemId: systemRaw, sourceId: sourceRaw, req: req)
            guard !received.files.isEmpty else { throw AppError.validation(FieldErrors(["files": "events.filesRequired"])) }
            return try await start(importId: importId, files: received.files, system: system, source: source, req: req)
        } catch {
            EventUploads.remove(req.application, importId: importId)
            throw error
        }
    }

    static func start(importId: UUID, files: [EventImportFile], system: InformationSystem, source: EventSource?, req: Request) async throws -> EventImport {
        let subject = try req.requireSubject()
        let row = EventImport()
        row.id = importId
        row.agencyId = system.$agency.id
        row.systemId = try system.requireID()
        row.sourceId = source?.id
        row.state = .queued
        row.files = String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
        row.bytesTotal = files.reduce(0) { $0 + $1.size }
        row.bytesRead = 0
        row.eventsAccepted = 0
        row.linesRejected = 0
        row.warningCount = 0
        row.warnings = "[]"
        row.resumeFile = 0
        row.resumeRecords = 0
        row.createdBy = subject.userId
        row.createdByName = req.auditActor.label
        let registry = req.application.jobs
        try await req.write { db in
            try await row.create(on: db)
            row.jobId = try await JobQueue.enqueue(jobKind, payload: ["importId": importId], registry: registry, on: db)
            try await row.save(on: db)
        }
        return row
    }

    /// Stops a queued or running import (events already committed stay).
    static func cancel(_ row: EventImport, req: Request) async throws {
        try await req.authorize(.uploadEvents, .owned(agencyId: row.agencyId), readAction: .viewDetection, recordType: recordType,
                                recordId: try row.requireID())
        guard !row.state.isFinished, let jobId = row.jobId else { return }
        let outcome = try await req.write { db in try await JobQueue.cancel(jobId, on: db) }
        if outcome == .cancelled {
            // It never started: nothing else will record it.
            try await finish(row.requireID(), state: .cancelled, error: nil, app: req.application)
        }
    }

    /// The state to show: a row still "running" whose job ended outside the body (a crashed worker's last attempt,
    /// `ungcuu jobs cancel`) shows as the job ended.
    static func effectiveState(_ row: EventImport, job: JobRecord?) -> EventImportState {
        guard !row.state.isFinished, let job, job.state.isFinished else { return row.state }
        return job.state == .cancelled ? .cancelled : job.state == .failed ? .failed : row.state
    }

    /// Records the end of an import (once), audits it with its counts and removes its uploaded files.
    static func finish(_ id: UUID, state: EventImportState, error: String?, app: Application) async throws {
        try await app.write { db in
            guard let row = try await EventImport.find(id, on: db), !row.state.isFinished else { return }
            row.state = state
            row.error = error.map { String($0.prefix(2000)) }
            row.finishedAt = Date()
            try await row.save(on: db)
            let actor = AuditActor(userId: row.createdBy, label: row.createdByName, clientAddress: nil)
            try await AuditLog.append(AuditEntry("events.import", recordType: recordType, recordId: id.uuidString, agencyId: row.agencyId,
                                                 details: ["state": state.rawValue, "systemId": row.systemId.uuidString.lowercased(),
                                                           "files": row.fileList.map(\.name).joined(separator: ", "),
                                                           "events": String(row.eventsAccepted), "rejectedLines": String(row.linesRejected),
                                                           "warnings": String(row.warningCount)]), by: actor, on: db)
        }
        EventUploads.remove(app, importId: id)
    }

    // MARK: the job

    static func register(in app: Application) {
        app.jobs.register(jobKind, maxAttempts: 3) { context, payload in
            try await run(context, importId: payload.id("importId"))
        }
    }

    /// Reads every file from the resume point on; commits a batch every ``EventIngestor/chunkSize`` events.
    static func run(_ ctx: JobContext, importId: UUID) async throws {
        let app = ctx.app
        guard let row = try await EventImport.find(importId, on: ctx.db), !row.state.isFinished else { return }
        guard let system = try await InformationSystem.find(row.systemId, on: ctx.db) else {
            try await finish(importId, state: .failed, error: "the system no longer exists", app: app)
            return
        }
        try await app.write { db in
            try await (db as! any SQLDatabase).update(EventImport.schema).set("state", to: EventImportState.running.rawValue)
                .set("started_at", to: row.startedAt ?? Date()).where("id", .equal, importId).run()
        }
        let owner = EventIngestor.Owner(agencyId: system.$agency.id, systemId: row.systemId, sourceId: row.sourceId)
        let files = row.fileList
        let directory = EventUploads.directory(app, importId: importId)
        var progress = Progress(row: row)
        do {
            for fileIndex in row.resumeFile..<files.count {
                let file = files[fileIndex]
                let skip = fileIndex == row.resumeFile ? row.resumeRecords : 0
                let bytesBefore = files[..<fileIndex].reduce(Int64(0)) { $0 + $1.size }
                try await read(file, url: directory.appendingPathComponent(file.stored), fileIndex: fileIndex, skip: skip,
                               bytesBefore: bytesBefore, owner: owner, progress: &progress, ctx: ctx, importId: importId)
            }
        } catch is JobCancelled {
            try await finish(importId, state: .cancelled, error: nil, app: app)
            throw JobCancelled()
        } catch {
            if ctx.attempt >= ctx.maxAttempts { try? await finish(importId, state: .failed, error: String(describing: error), app: app) }
            throw error
        }
        await ctx.progress(100, "\(progress.accepted)")
        try await finish(importId, state: .imported, error: nil, app: app)
    }

    /// Counts carried from batch to batch (and written with each).
    struct Progress: Sendable {
        var accepted: Int64
        var rejected: Int64
        var warningCount: Int
        var warnings: [String]
        var bytesTotal: Int64

        init(row: EventImport) {
            accepted = row.eventsAccepted
            rejected = row.linesRejected
            warningCount = row.warningCount
            warnings = row.warningList
            bytesTotal = max(1, row.bytesTotal)
        }

        mutating func warn(_ text: String) {
            warningCount += 1
            if warnings.count < EventImportService.maxWarnings { warnings.append(String(text.prefix(500))) }
        }
    }

    private static func read(_ file: EventImportFile, url: URL, fileIndex: Int, skip: Int64, bytesBefore: Int64, owner: EventIngestor.Owner,
                             progress: inout Progress, ctx: JobContext, importId: UUID) async throws {
        var pending: [IncomingEvent] = []
        pending.reserveCapacity(EventIngestor.chunkSize)
        var consumed: Int64 = 0
        let receivedAt = Date()

        func commit(done: Bool, bytesRead: UInt64) async throws {
            let events = pending
            pending.removeAll(keepingCapacity: true)
            progress.accepted += Int64(events.count)
            let snapshot = progress
            let resumeFile = done ? fileIndex + 1 : fileIndex
            let resumeRecords: Int64 = done ? 0 : consumed
            let bytes = bytesBefore + Int64(bytesRead)
            let warningsJSON = String(decoding: try JSONEncoder().encode(snapshot.warnings), as: UTF8.self)
            let app = ctx.app
            try await app.write { db in
                try await EventIngestor.store(events, app: app, on: db)
                try await (db as! any SQLDatabase).update(EventImport.schema)
                    .set("events_accepted", to: snapshot.accepted).set("lines_rejected", to: snapshot.rejected)
                    .set("warning_count", to: snapshot.warningCount).set("warnings", to: warningsJSON).set("bytes_read", to: bytes)
                    .set("resume_file", to: resumeFile).set("resume_records", to: resumeRecords)
                    .where("id", .equal, importId).run()
            }
            await ctx.progress(Int(min(99, bytes * 100 / snapshot.bytesTotal)), "\(snapshot.accepted)")
            try await ctx.checkCancellation()
        }

        switch file.kind {
        case .evtx:
            let reader: EvtxFileReader
            do { reader = try EvtxFileReader(url: url, name: file.name, outputs: [.event]) } catch {
                progress.warn("\(file.name): \(error)")
                try await commit(done: true, bytesRead: UInt64(file.size))
                return
            }
            var seenWarnings = 0
            while let record = reader.next() {
                consumed += 1
                if consumed <= skip {
                    // Warnings of the part already imported were recorded by the attempt that imported it.
                    seenWarnings = reader.warnings.count
                    continue
                }
                pending.append(EventIngestor.incoming(record.event, owner: owner, receivedAt: receivedAt, time: record.event.time ?? record.timestamp))
                if pending.count >= EventIngestor.chunkSize {
                    for warning in reader.warnings[seenWarnings...] { progress.warn(warning.description) }
                    seenWarnings = reader.warnings.count
                    try await commit(done: false, bytesRead: reader.bytesRead)
                }
            }
            for warning in reader.warnings[seenWarnings...] { progress.warn(warning.description) }
            try await commit(done: true, bytesRead: UInt64(file.size))
        case .jsonl:
            let reader: JSONLinesFileReader
            do { reader = try JSONLinesFileReader(url: url) } catch {
                progress.warn("\(file.name): \(error)")
                try await commit(done: true, bytesRead: UInt64(file.size))
                return
            }
            while true {
                let event: FlatEvent?
                do { event = try reader.next() } catch {
                    consumed += 1
                    if consumed > skip {
                        progress.rejected += 1
                        progress.warn("\(file.name): \(error)")
                    }
                    continue
                }
                guard let event else { break }
                consumed += 1
                if consumed <= skip { continue }
                pending.append(EventIngestor.incoming(event, owner: owner, receivedAt: receivedAt))
                if pending.count >= EventIngestor.chunkSize { try await commit(done: false, bytesRead: reader.bytesRead) }
            }
            try await commit(done: true, bytesRead: UInt64(file.size))
        }
    }
}
