import Foundation
import Domain
import Fluent

/// How events of a registered source arrive.
enum EventSourceKind: String, Codable, Sendable, CaseIterable {
    /// Syslog over UDP or TCP; matched by the sender's address, then by the host name in the message.
    case syslog
    /// `POST /api/v1/events` with the source's ingest token.
    case http
    /// Files uploaded on the events upload page (a label for where they came from).
    case upload
}

/// A registered event source (nguồn nhật ký): it gives arriving events their agency and system. Events whose sender
/// matches no enabled source are stored with no owner and held apart for coordinators and responders.
final class EventSource: Model, @unchecked Sendable {
    static let schema = "event_sources"
    typealias Id = UUID
    /// Ingest tokens start with this (personal API tokens with `ucu_`), so the authenticator tells them apart.
    static let tokenPrefix = "ucs_"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // reference fields
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "system_id") var systemId: UUID

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: EventSourceKind
    /// Sender addresses and CIDR ranges (syslog), one per line, canonical.
    @OptionalField(key: "addresses") var addresses: String?
    /// Host names (syslog HOSTNAME), one per line, lower-case.
    @OptionalField(key: "hostnames") var hostnames: String?
    /// SHA-256 of the ingest token (http sources); the token itself is shown once.
    @OptionalField(key: "token_hash") var tokenHash: String?
    @OptionalField(key: "token_hint") var tokenHint: String?
    @OptionalField(key: "token_created_at") var tokenCreatedAt: Date?
    @Field(key: "enabled") var enabled: Bool
    @OptionalField(key: "last_event_at") var lastEventAt: Date?
    @OptionalField(key: "created_by") var createdBy: UUID?

    init() {}

    var addressList: [String] { Self.lines(addresses) }
    var hostnameList: [String] { Self.lines(hostnames) }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var auditSnapshot: [String: String?] {
        ["name": name, "kind": kind.rawValue, "agencyId": agencyId.uuidString.lowercased(), "systemId": systemId.uuidString.lowercased(),
         "addresses": addressList.joined(separator: ", "), "hostnames": hostnameList.joined(separator: ", "),
         "enabled": enabled ? "true" : "false", "tokenHint": tokenHint]
    }
}

/// One row of `event_batches`: up to a few thousand events in one compact blob (`EventBatchCodec`), with the
/// columns hunts and searches prune by. The id is a database-generated 64-bit integer (never reused), so
/// `StoredEventID(batch:index:)` stays valid for as long as the batch exists.
final class EventBatch: Model, @unchecked Sendable {
    static let schema = "event_batches"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    /// Nil: events of an unknown source, held apart (then `sender`/`host` say where they came from).
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @OptionalField(key: "system_id") var systemId: UUID?
    @OptionalField(key: "source_id") var sourceId: UUID?
    /// The network address the events came from (syslog), when known.
    @OptionalField(key: "sender") var sender: String?
    /// The host every event of the batch names, when they all name the same one.
    @OptionalField(key: "host") var host: String?
    @Field(key: "min_time") var minTime: Date
    @Field(key: "max_time") var maxTime: Date
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "event_count") var eventCount: Int
    @Field(key: "payload") var payload: Data

    init() {}
}

/// The states of an uploaded-file import.
enum EventImportState: String, Codable, Sendable, CaseIterable {
    case queued, running, imported, failed, cancelled

    var isFinished: Bool { self == .imported || self == .failed || self == .cancelled }
}

/// Files uploaded on the events page and read by the background job `events.import`. Each committed batch of events
/// also advances `resume_file`/`resume_records` in the same transaction, so a retried job continues where the last
/// durable batch ended instead of storing events twice.
final class EventImport: Model, @unchecked Sendable {
    static let schema = "event_imports"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "agency_id") var agencyId: UUID
    @Field(key: "system_id") var systemId: UUID
    @OptionalField(key: "source_id") var sourceId: UUID?
    @Field(key: "state") var state: EventImportState
    @OptionalField(key: "job_id") var jobId: UUID?
    /// JSON array of ``EventImportFile``.
    @Field(key: "files") var files: String
    @Field(key: "bytes_total") var bytesTotal: Int64
    @Field(key: "bytes_read") var bytesRead: Int64
    @Field(key: "events_accepted") var eventsAccepted: Int64
    @Field(key: "lines_rejected") var linesRejected: Int64
    @Field(key: "warning_count") var warningCount: Int
    /// JSON array of strings: the first warnings (skipped EVTX chunks/records, bad JSON lines with their numbers).
    @Field(key: "warnings") var warnings: String
    @Field(key: "resume_file") var resumeFile: Int
    @Field(key: "resume_records") var resumeRecords: Int64
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_by_name") var createdByName: String
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    var fileList: [EventImportFile] {
        (try? JSONDecoder().decode([EventImportFile].self, from: Data(files.utf8))) ?? []
    }

    var warningList: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(warnings.utf8))) ?? []
    }
}

/// One uploaded file of an import.
struct EventImportFile: Codable, Sendable, Hashable {
    enum Kind: String, Codable, Sendable { case evtx, jsonl }
    var name: String
    var size: Int64
    var kind: Kind
    /// The file's name inside the import's upload folder.
    var stored: String
}
