import Domain
import Fluent
import Foundation

/// An uploaded document. The bytes live under `$UNGCUU_DATA_DIR/files/` named by their SHA-256.
final class StoredFile: Model, @unchecked Sendable {
    static let schema = "stored_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int64
    @Field(key: "content_type") var contentType: String
    /// The sniffed kind (pdf, docx, …).
    @Field(key: "kind") var kind: String
    @Field(key: "original_name") var originalName: String
    @OptionalField(key: "agency_id") var agencyId: UUID?
    /// What the file belongs to, e.g. `dossier_step`, `control_assessment`, `system_assessment`.
    @Field(key: "record_type") var recordType: String
    @Field(key: "record_id") var recordId: UUID
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Field(key: "uploaded_by_name") var uploadedByName: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}
