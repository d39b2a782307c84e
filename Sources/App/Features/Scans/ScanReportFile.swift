import Foundation
import Crypto
import Domain
import Fluent
import Vapor

/// A scanner report on disk while it is read: received a chunk at a time (never whole in memory), hashed as it
/// is written, size-limited, then either kept in the document store (`files/<aa>/<sha256>`, like every upload)
/// or removed.
final class ScanReportFile: @unchecked Sendable {
    let url: URL
    let limit: Int
    private(set) var size = 0
    private var hasher = SHA256()
    private var handle: FileHandle?
    private(set) var sha256: String?

    /// A new empty file under `$UNGCUU_DATA_DIR/tmp/`.
    init(dataDirectory: String, limit: Int) throws {
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent("scan-\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw Abort(.internalServerError, reason: "cannot create \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
        self.limit = limit
    }

    /// An existing file written by someone else (the built-in scan's nmap output); hashed when finished.
    init(existing url: URL, limit: Int) {
        self.url = url
        self.limit = limit
        handle = nil
    }

    deinit { try? handle?.close() }

    /// Appends bytes; past the limit the file is refused (413) and removed.
    func write(_ buffer: ByteBuffer) throws {
        guard let handle else { return }
        size += buffer.readableBytes
        if size > limit {
            discard()
            throw ScanReportFile.tooLarge(limit: limit)
        }
        buffer.withUnsafeReadableBytes { raw in
            hasher.update(bufferPointer: raw)
        }
        try handle.write(contentsOf: buffer.readableBytesView)
    }

    static func tooLarge(limit: Int) -> AppError {
        AppError(status: .payloadTooLarge, code: "too_large", messageKey: "scans.tooLarge|\(limit / 1_048_576)",
                 fields: ["file": "scans.tooLarge|\(limit / 1_048_576)"])
    }

    /// Closes the file and computes its digest (reading it again when it was written by another program).
    @discardableResult
    func finish() throws -> String {
        if let sha256 { return sha256 }
        if let handle {
            try handle.close()
            self.handle = nil
        } else {
            let reader = try FileHandle(forReadingFrom: url)
            defer { try? reader.close() }
            size = 0
            while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty {
                size += chunk.count
                if size > limit { throw ScanReportFile.tooLarge(limit: limit) }
                hasher.update(data: chunk)
            }
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        sha256 = digest
        return digest
    }

    /// The first bytes, for telling the format.
    func prefix(_ count: Int = 65_536) throws -> [UInt8] {
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        return [UInt8](try reader.read(upToCount: count) ?? Data())
    }

    /// Moves the bytes into the document store (once per content) and returns the stored path. The row describing
    /// them is written by the caller inside its transaction.
    func keep(dataDirectory: String) throws -> URL {
        let digest = try finish()
        let target = StoredFileService.path(for: digest, dataDirectory: dataDirectory)
        if FileManager.default.fileExists(atPath: target.path) {
            // Fresh again, so a concurrent prune does not take bytes a row is about to refer to.
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: target.path)
            discard()
            return target
        }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if rename(url.path, target.path) != 0 {
            // Another file system: copy, then remove.
            let temp = target.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).part")
            try FileManager.default.copyItem(at: url, to: temp)
            if rename(temp.path, target.path) != 0 { try? FileManager.default.removeItem(at: temp) }
            discard()
        }
        return target
    }

    func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(at: url)
    }

    /// The `stored_files` row of a kept report.
    static func record(sha256: String, size: Int, format: String?, name: String, importId: UUID, agencyId: UUID, actor: AuditActor,
                       on db: any Database) async throws -> StoredFile {
        let row = StoredFile()
        row.sha256 = sha256
        row.size = Int64(size)
        row.contentType = ["nmap", "openvas", "nessus"].contains(format ?? "") ? "application/xml" : "application/json"
        row.kind = "text"
        row.originalName = StoredFileService.sanitizedName(name)
        row.agencyId = agencyId
        row.recordType = ScanImportService.recordType
        row.recordId = importId
        row.uploadedBy = actor.userId
        row.uploadedByName = actor.label
        row.uploadedAt = Date()
        try await row.create(on: db)
        return row
    }
}

/// Receives an uploaded report into a ``ScanReportFile``: a multipart form (`file` field; other small text fields
/// are returned) or the raw body, whether the body was collected (page forms, whose CSRF check reads it) or
/// arrives as a stream (the API), so a large report never sits in memory.
enum ScanUploadReceiver {
    struct Received {
        var fileName: String?
        var fields: [String: String]
        var sawFile: Bool
    }

    static func receive(_ req: Request, into file: ScanReportFile, fileField: String = "file") async throws -> Received {
        let contentType = req.headers.contentType
        if let contentType, contentType.type == "multipart", contentType.subType == "form-data" {
            guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
                throw AppError.malformed("multipart body without a boundary")
            }
            return try await multipart(req, boundary: boundary, into: file, fileField: fileField)
        }
        try await forEachChunk(req) { try file.write($0) }
        return Received(fileName: nil, fields: [:], sawFile: file.size > 0)
    }

    private static func forEachChunk(_ req: Request, _ body: (ByteBuffer) throws -> Void) async throws {
        if let data = req.body.data {
            try body(data)
            return
        }
        let chunked = req.headers.first(name: .transferEncoding) != nil
        let length = Int(req.headers.first(name: .contentLength) ?? "0") ?? 0
        guard chunked || length > 0 else { return }
        for try await chunk in req.body { try body(chunk) }
    }

    private final class PartState {
        var headers: [String: String] = [:]
        var isFile = false
        var fieldName: String?
        var fileName: String?
        var value = ByteBuffer()
        var fields: [String: String] = [:]
        var sawFile = false
        var uploadName: String?
        var fileParts = 0
        var error: (any Error)?
    }

    private static func multipart(_ req: Request, boundary: String, into file: ScanReportFile, fileField: String) async throws -> Received {
        let parser = MultipartParser(boundary: boundary)
        let state = PartState()
        parser.onHeader = { name, value in
            state.headers[name.lowercased()] = value
            if name.lowercased() == "content-disposition" {
                let parameters = Self.dispositionParameters(value)
                state.fieldName = parameters["name"]
                state.fileName = parameters["filename"]
                state.isFile = state.fieldName == fileField || state.fieldName == fileField + "[]"
                if state.isFile {
                    state.fileParts += 1
                    // One report per upload.
                    if state.fileParts > 1, state.error == nil { state.error = AppError.validation(FieldErrors(["file": "scans.oneFileOnly"])) }
                    state.uploadName = state.fileName
                }
            }
        }
        parser.onBody = { buffer in
            guard state.error == nil else { return }
            if state.isFile {
                state.sawFile = true
                do { try file.write(buffer) } catch { state.error = error }
            } else if state.value.readableBytes + buffer.readableBytes <= 65_536 {
                var copy = buffer
                state.value.writeBuffer(&copy)
            } else {
                state.error = AppError.malformed("form field \(state.fieldName ?? "?") is too long")
            }
        }
        parser.onPartComplete = {
            if !state.isFile, let name = state.fieldName {
                state.fields[name] = state.value.readString(length: state.value.readableBytes) ?? ""
            }
            state.headers = [:]
            state.isFile = false
            state.fieldName = nil
            state.fileName = nil
            state.value = ByteBuffer()
        }
        try await forEachChunk(req) { chunk in
            do { try parser.execute(chunk) } catch { throw AppError.malformed("the multipart body is malformed") }
            if let error = state.error { throw error }
        }
        if let error = state.error { throw error }
        return Received(fileName: state.uploadName, fields: state.fields, sawFile: state.fileParts > 0 && file.size > 0)
    }

    /// `form-data; name="file"; filename="scan.xml"` → ["name": "file", "filename": "scan.xml"].
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in value.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2 else { continue }
            var v = pieces[1].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            result[pieces[0].trimmingCharacters(in: .whitespaces).lowercased()] = v
        }
        return result
    }
}
