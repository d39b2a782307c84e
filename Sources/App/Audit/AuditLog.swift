import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Who did something and from where; the same for pages, API and CLI.
struct AuditActor: Sendable {
    var userId: UUID?
    var label: String
    var clientAddress: String?

    static func system(_ label: String = "system") -> AuditActor { AuditActor(userId: nil, label: label, clientAddress: nil) }
}

/// One thing to append to the audit trail.
struct AuditEntry: Sendable {
    var action: String
    var recordType: String?
    var recordId: String?
    var agencyId: UUID?
    var before: [String: String?]?
    var after: [String: String?]?
    var details: [String: String]?

    init(_ action: String, recordType: String? = nil, recordId: String? = nil, agencyId: UUID? = nil,
         before: [String: String?]? = nil, after: [String: String?]? = nil, details: [String: String]? = nil) {
        self.action = action
        self.recordType = recordType
        self.recordId = recordId
        self.agencyId = agencyId
        self.before = before
        self.after = after
        self.details = details
    }

    /// `{"after":{…},"before":{…},"details":{…}}`; for updates only the fields that changed.
    var summaryJSON: String {
        var object: [String: [String: String?]] = [:]
        if let before, let after {
            let changed = Set(before.keys).union(after.keys).filter { (before[$0] ?? nil) != (after[$0] ?? nil) }
            object["before"] = before.filter { changed.contains($0.key) }
            object["after"] = after.filter { changed.contains($0.key) }
        } else {
            if let before { object["before"] = before }
            if let after { object["after"] = after }
        }
        if let details { object["details"] = details.mapValues { $0 } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

enum AuditLog {
    /// Appends inside the caller's transaction, so the event and the change commit together.
    /// Locking the chain head row serialises appends on PostgreSQL; on SQLite the write gate does.
    static func append(_ entry: AuditEntry, by actor: AuditActor, on db: any Database, now: Date = Date()) async throws {
        let sql = db as! any SQLDatabase
        try await sql.update(AuditChainHead.schema)
            .set("last_sequence", to: SQLColumn("last_sequence"))
            .where("id", .equal, AuditChainHead.singletonId)
            .run()
        guard let head = try await AuditChainHead.find(AuditChainHead.singletonId, on: db) else {
            throw Abort(.internalServerError, reason: "The audit chain head row is missing")
        }
        let record = AuditRecord(
            sequence: head.lastSequence + 1,
            occurredAt: AuditRecord.timestamp(now),
            actorId: actor.userId,
            actorLabel: String(actor.label.prefix(200)),
            clientAddress: actor.clientAddress,
            action: entry.action,
            recordType: entry.recordType,
            recordId: entry.recordId,
            agencyId: entry.agencyId,
            summary: entry.summaryJSON,
            previousHash: head.lastHash
        )
        let hash = record.computeHash()
        try await AuditEvent(record: record, occurredAt: now, hash: hash).create(on: db)
        head.lastSequence = record.sequence
        head.lastHash = hash
        try await head.update(on: db)
    }

    /// Appends in a transaction of its own (sign-in failures, denials, exports).
    static func record(_ entry: AuditEntry, by actor: AuditActor, app: Application) async throws {
        try await app.write { db in try await append(entry, by: actor, on: db) }
    }

    /// Recomputes the chain in sequence order, in pages, and names the first broken event.
    static func verify(on db: any Database) async throws -> AuditChainVerifier.Outcome {
        var verifier = AuditChainVerifier()
        var after: Int64 = 0
        let pageSize = 1_000
        while true {
            let page = try await AuditEvent.query(on: db)
                .filter(\.$sequence > after)
                .sort(\.$sequence)
                .limit(pageSize)
                .all()
            for event in page {
                guard verifier.feed(event.record, storedHash: event.hash) else { break }
                // Pages and filters use the indexed time column; it must match the hashed text.
                if !event.timeMatchesHashedText {
                    verifier.reject(sequence: event.sequence, reason: .altered)
                    break
                }
            }
            if verifier.outcome != nil || page.count < pageSize { break }
            after = page.last!.sequence
        }
        let head = try await AuditChainHead.find(AuditChainHead.singletonId, on: db)
        return verifier.finish(headSequence: head?.lastSequence ?? 0, headHash: head?.lastHash ?? AuditRecord.genesisHash)
    }
}

extension Request {
    var auditActor: AuditActor {
        let user = currentUser
        return AuditActor(userId: user?.id, label: user.map { "\($0.name) <\($0.email)>" } ?? "anonymous", clientAddress: clientAddress)
    }

    func audit(_ entry: AuditEntry) async throws {
        try await AuditLog.record(entry, by: auditActor, app: application)
    }
}
