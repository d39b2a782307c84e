import Foundation
import Fluent

/// The states of a job. `queued` → `running` → `succeeded` | `failed` | `cancelled`; a failed attempt
/// with attempts left goes back to `queued` with a later `run_at`.
enum JobState: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// One row of `jobs`.
final class JobRecord: Model, @unchecked Sendable {
    static let schema = "jobs"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    /// JSON object of ids (``JobPayload``).
    @Field(key: "payload") var payload: String
    @Field(key: "run_at") var runAt: Date
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    @Field(key: "state") var state: JobState
    @OptionalField(key: "locked_by") var lockedBy: String?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "progress") var progress: Int
    @OptionalField(key: "progress_note") var progressNote: String?
    @Field(key: "cancel_requested") var cancelRequested: Bool
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    init(kind: JobKind, payload: JobPayload, runAt: Date, maxAttempts: Int, now: Date) {
        self.id = UUID()
        self.kind = kind.rawValue
        self.payload = JobPayloadCoding.encode(payload)
        self.runAt = runAt
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.state = .queued
        self.progress = 0
        self.cancelRequested = false
        self.createdAt = now
    }
}
