import Domain
import Fluent
import Foundation

/// A row of the append-only, hash-chained audit trail.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "occurred_at") var occurredAt: Date
    /// The exact text that was hashed.
    @Field(key: "occurred_at_text") var occurredAtText: String
    @OptionalField(key: "actor_id") var actorId: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @OptionalField(key: "client_address") var clientAddress: String?
    @Field(key: "action") var action: String
    @OptionalField(key: "record_type") var recordType: String?
    @OptionalField(key: "record_id") var recordId: String?
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @Field(key: "summary") var summary: String
    @Field(key: "prev_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(record: AuditRecord, occurredAt: Date, hash: String) {
        self.sequence = record.sequence
        self.occurredAt = occurredAt
        self.occurredAtText = record.occurredAt
        self.actorId = record.actorId
        self.actorLabel = record.actorLabel
        self.clientAddress = record.clientAddress
        self.action = record.action
        self.recordType = record.recordType
        self.recordId = record.recordId
        self.agencyId = record.agencyId
        self.summary = record.summary
        self.previousHash = record.previousHash
        self.hash = hash
    }

    var timeMatchesHashedText: Bool {
        guard let hashed = try? Date(occurredAtText, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else { return false }
        return abs(hashed.timeIntervalSince(occurredAt)) < 0.002
    }

    var record: AuditRecord {
        AuditRecord(sequence: sequence, occurredAt: occurredAtText, actorId: actorId, actorLabel: actorLabel,
                    clientAddress: clientAddress, action: action, recordType: recordType, recordId: recordId,
                    agencyId: agencyId, summary: summary, previousHash: previousHash)
    }
}

/// The single row holding the last sequence and hash; appends lock it so the chain never forks.
final class AuditChainHead: Model, @unchecked Sendable {
    static let schema = "audit_chain_head"
    static let singletonId = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!

    @ID(key: .id) var id: UUID?
    @Field(key: "last_sequence") var lastSequence: Int64
    @Field(key: "last_hash") var lastHash: String

    init() {}
}
