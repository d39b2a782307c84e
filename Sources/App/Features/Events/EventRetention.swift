import Foundation
import Domain
import Fluent
import Vapor

/// Retention: every day (`job_schedules` row `events.retention`, 02:30 Vietnam time) the batches received before
/// now − `UNGCUU_EVENT_RETENTION_DAYS` (at least 366) are deleted, a thousand per transaction, and the purge is audited
/// with its counts. Upload folders that no running import needs any more are removed too.
enum EventRetention {
    static let jobKind: JobKind = "events.retention"

    struct Outcome: Sendable, Equatable {
        var cutoff: Date
        var batches: Int
        var events: Int
        var uploadFolders: Int
    }

    static func register(in app: Application) {
        app.jobs.register(jobKind, maxAttempts: 3) { context, _ in
            let outcome = try await run(app: context.app, logger: context.logger)
            context.logger.info("event retention: removed \(outcome.events) events in \(outcome.batches) batches received before \(outcome.cutoff), \(outcome.uploadFolders) upload folders")
        }
    }

    @discardableResult
    static func run(app: Application, now: Date = Date(), logger: Logger? = nil) async throws -> Outcome {
        let cutoff = now.addingTimeInterval(-TimeInterval(app.config.eventRetentionDays) * 86_400)
        var outcome = Outcome(cutoff: cutoff, batches: 0, events: 0, uploadFolders: 0)
        while true {
            let (batches, events) = try await app.write { db in
                try await DatabaseEventStore(on: db, logger: logger).purgeChunk(receivedBefore: cutoff, limit: 1_000)
            }
            outcome.batches += batches
            outcome.events += events
            if batches == 0 { break }
        }
        outcome.uploadFolders = try await removeOrphanedUploads(app: app, now: now)
        let record = outcome
        let days = app.config.eventRetentionDays
        try await app.write { db in
            try await AuditLog.append(AuditEntry("events.retention", recordType: "event_batches", details: [
                "cutoff": AuditRecord.timestamp(record.cutoff), "retentionDays": String(days), "batches": String(record.batches),
                "events": String(record.events), "uploadFolders": String(record.uploadFolders),
            ]), by: .system("events.retention"), on: db)
        }
        return outcome
    }

    /// Upload folders of finished imports, and folders older than a day with no import at all (an upload refused or
    /// interrupted before its import was recorded).
    static func removeOrphanedUploads(app: Application, now: Date) async throws -> Int {
        let root = EventUploads.root(app)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return 0 }
        var removed = 0
        for name in names {
            let url = root.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
            let stale = now.timeIntervalSince(modified) > 86_400
            guard let id = UUID(uuidString: name) else {
                if stale { try? FileManager.default.removeItem(at: url); removed += 1 }
                continue
            }
            let row = try await EventImport.find(id, on: app.db)
            if row?.state.isFinished == true || (row == nil && stale) {
                try? FileManager.default.removeItem(at: url)
                removed += 1
            }
        }
        return removed
    }
}
