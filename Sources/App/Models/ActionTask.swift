import Domain
import Fluent
import Foundation

/// A follow-up action of any subject: a drill's findings now, an incident's response steps later.
/// `subject_kind` + `subject_id` name what it belongs to; the row knows nothing else about it.
final class ActionTask: Model, @unchecked Sendable {
    static let schema = "tasks"

    @ID(key: .id) var id: UUID?
    /// The agency of the subject, for scoping.
    @OptionalField(key: "agency_id") var agencyId: UUID?
    @Field(key: "subject_kind") var subjectKind: String
    @Field(key: "subject_id") var subjectId: UUID
    /// A ``ResponsePhase`` raw value or any phase name of the subject; nil when not phased.
    @OptionalField(key: "phase") var phase: String?
    @Field(key: "title") var title: String
    @OptionalField(key: "details") var details: String?
    @OptionalField(key: "assignee_id") var assigneeId: UUID?
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "done_at") var doneAt: Date?
    @OptionalField(key: "done_by_id") var doneById: UUID?
    /// Where the task came from, e.g. a scenario step id.
    @OptionalField(key: "source") var source: String?
    @OptionalField(key: "created_by_id") var createdById: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// Optimistic lock: every change increments it; a change made on an older version is refused (409).
    @Field(key: "version") var version: Int

    init() {}

    var isDone: Bool { doneAt != nil }

    var auditSnapshot: [String: String?] {
        ["title": title, "phase": phase, "assigneeId": assigneeId?.uuidString, "dueAt": dueAt.map(DisplayTime.isoDay),
         "doneAt": doneAt.map { ISO8601DateFormatter().string(from: $0) }]
    }
}
