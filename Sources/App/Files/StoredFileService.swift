import Foundation
import Crypto
import Domain
import Fluent
import Formats
import Vapor
import ZIPFoundation

/// Uploaded documents: sniffed, size-limited, stored once per content under
/// `$UNGCUU_DATA_DIR/files/<first two hex digits>/<sha256>`, described by a ``StoredFile`` row.
enum StoredFileService {
    /// Multipart field holding the files of a form.
    struct Upload: Content {
        var files: [File]?
    }

    struct Accepted: Sendable {
        var name: String
        var bytes: ByteBuffer
        var sha256: String
        var kind: FileSniffer.Kind
    }

    /// Checks every uploaded file before anything is written; the first bad one names itself.
    static func accept(_ files: [File], limit: Int, field: String = "files") throws -> [Accepted] {
        var accepted: [Accepted] = []
        for file in files where !(file.filename.isEmpty && file.data.readableBytes == 0) {
            let name = sanitizedName(file.filename)
            if file.data.readableBytes > limit {
                throw AppError.validation(FieldErrors([field: "file.tooLarge|\(name)|\(limit / 1_048_576)"]))
            }
            let bytes = Array(file.data.readableBytesView)
            var entries: [String]?
            if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                // Not Archive(data:): it traps on offsets past the end (ZipData explains).
                entries = (try? ZipData.archive(Data(bytes))).map { $0.map(\.path) }
            }
            switch FileSniffer.sniff(head: Array(bytes.prefix(4096)), fileName: name, zipEntries: entries) {
            case .success(let kind):
                let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                accepted.append(Accepted(name: name, bytes: file.data, sha256: digest, kind: kind))
            case .failure(let refusal):
                throw AppError.validation(FieldErrors([field: "\(refusal.code)|\(name)"]))
            }
        }
        return accepted
    }

    /// Incident evidence: size-limited like any upload, but any type is kept — a phishing mail, a packet capture, a
    /// malware sample are the evidence. What the sniffer does not vouch for is stored as opaque bytes
    /// (`application/octet-stream`), never rendered, only downloaded as an attachment.
    static func acceptEvidence(_ files: [File], limit: Int, field: String = "files") throws -> [Accepted] {
        var accepted: [Accepted] = []
        for file in files where !(file.filename.isEmpty && file.data.readableBytes == 0) {
            let name = sanitizedName(file.filename)
            if file.data.readableBytes > limit {
                throw AppError.validation(FieldErrors([field: "file.tooLarge|\(name)|\(limit / 1_048_576)"]))
            }
            if file.data.readableBytes == 0 { throw AppError.validation(FieldErrors([field: "file.empty|\(name)"])) }
            let kind = (try? accept([file], limit: limit, field: field).first?.kind) ?? FileSniffer.binary
            let digest = SHA256.hash(data: Array(file.data.readableBytesView)).map { String(format: "%02x", $0) }.joined()
            accepted.append(Accepted(name: name, bytes: file.data, sha256: digest, kind: kind))
        }
        return accepted
    }

    /// Writes the bytes (once per content) before the transaction; the row is written inside it.
    static func writeBytes(_ files: [Accepted], dataDirectory: String) throws {
        for file in files {
            let url = path(for: file.sha256, dataDirectory: dataDirectory)
            if FileManager.default.fileExists(atPath: url.path) {
                // Fresh again, so a concurrent prune does not take bytes a row is about to refer to.
                try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
                continue
            }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temp = url.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).part")
            try Data(file.bytes.readableBytesView).write(to: temp)
            if rename(temp.path, url.path) != 0 {
                try? FileManager.default.removeItem(at: temp)
                if !FileManager.default.fileExists(atPath: url.path) { throw AppError.malformed("could not store \(file.name)") }
            }
        }
    }

    static func record(_ files: [Accepted], recordType: String, recordId: UUID, agencyId: UUID?, actor: AuditActor,
                       on db: any Database) async throws -> [StoredFile] {
        var rows: [StoredFile] = []
        for file in files {
            let row = StoredFile()
            row.sha256 = file.sha256
            row.size = Int64(file.bytes.readableBytes)
            row.contentType = file.kind.contentType
            row.kind = file.kind.id
            row.originalName = file.name
            row.agencyId = agencyId
            row.recordType = recordType
            row.recordId = recordId
            row.uploadedBy = actor.userId
            row.uploadedByName = actor.label
            row.uploadedAt = Date()
            try await row.create(on: db)
            rows.append(row)
        }
        return rows
    }

    static func files(recordType: String, recordIds: [UUID], on db: any Database) async throws -> [UUID: [StoredFile]] {
        guard !recordIds.isEmpty else { return [:] }
        let rows = try await StoredFile.query(on: db).filter(\.$recordType == recordType).filter(\.$recordId ~~ recordIds)
            .sort(\.$uploadedAt).all()
        return Dictionary(grouping: rows, by: \.recordId)
    }

    /// Removes the rows of files attached to a system's records (the bytes may be shared and stay).
    static func deleteRecords(for systemId: UUID, on db: any Database) async throws {
        let dossierIds = try await LevelDossier.query(on: db).filter(\.$system.$id == systemId).all().compactMap(\.id)
        let stepIds = dossierIds.isEmpty ? [] : try await DossierStep.query(on: db).filter(\.$dossier.$id ~~ dossierIds).all().compactMap(\.id)
        let controlIds = try await ControlAssessment.query(on: db).filter(\.$system.$id == systemId).all().compactMap(\.id)
        let assessmentIds = try await SystemAssessment.query(on: db).filter(\.$system.$id == systemId).all().compactMap(\.id)
        let scanImportIds = try await ScanImport.query(on: db).filter(\.$systemId == systemId).all().compactMap(\.id)
        let warningRowIds = try await WarningSystem.query(on: db).filter(\.$systemId == systemId).all().compactMap(\.id)
        let ids = stepIds + controlIds + assessmentIds + scanImportIds + warningRowIds
            + (try await ProactiveFiles.recordIds(ofSystem: systemId, on: db))
        if !ids.isEmpty { try await StoredFile.query(on: db).filter(\.$recordId ~~ ids).delete() }
    }

    static func path(for sha256: String, dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("files").appendingPathComponent(String(sha256.prefix(2)))
            .appendingPathComponent(sha256)
    }

    static func sanitizedName(_ raw: String) -> String {
        let base = (raw as NSString).lastPathComponent
        let cleaned = String(base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" && $0 != "\\" })
        let trimmed = cleaned.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "file" : String(trimmed.prefix(200))
    }
}

enum SHA256Digest {
    static func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}
