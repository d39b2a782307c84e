import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// Event files uploaded for an import: written to `$UNGCUU_DATA_DIR/event-uploads/<import id>/` a chunk at a time as
/// they arrive (never whole in memory), read by the `events.import` job, removed when the import finishes (and by the
/// daily retention job when an import left them behind).
enum EventUploads {
    static func root(_ app: Application) -> URL {
        URL(fileURLWithPath: app.config.dataDirectory).appendingPathComponent("event-uploads")
    }

    static func directory(_ app: Application, importId: UUID) -> URL {
        root(app).appendingPathComponent(importId.uuidString.lowercased())
    }

    static func remove(_ app: Application, importId: UUID) {
        try? FileManager.default.removeItem(at: directory(app, importId: importId))
    }

    /// What a file's first bytes say it is: an EVTX file (`ElfFile\0`) or JSON lines (a `{` first, after an optional
    /// byte-order mark and blank space); nil for anything else.
    static func kind(of prefix: [UInt8]) -> EventImportFile.Kind? {
        if prefix.starts(with: Array("ElfFile\u{0}".utf8)) { return .evtx }
        var index = 0
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < prefix.count, [0x20, 0x09, 0x0A, 0x0D].contains(prefix[index]) { index += 1 }
        return index < prefix.count && prefix[index] == UInt8(ascii: "{") ? .jsonl : nil
    }

    /// Files received from one request.
    struct Received {
        var files: [EventImportFile]
        var fields: [String: String]
        var bytes: Int64
    }

    /// One file being written.
    final class Sink {
        let url: URL
        let handle: FileHandle
        var size: Int64 = 0
        var prefix: [UInt8] = []

        init(url: URL) throws {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw Abort(.internalServerError, reason: "cannot create \(url.path)")
            }
            self.url = url
            handle = try FileHandle(forWritingTo: url)
        }

        func write(_ buffer: ByteBuffer) throws {
            if prefix.count < 4096 { prefix += buffer.readableBytesView.prefix(4096 - prefix.count) }
            size += Int64(buffer.readableBytes)
            try handle.write(contentsOf: buffer.readableBytesView)
        }

        func close() { try? handle.close() }
    }

    /// Receives a multipart form (`files[]`/`files`/`file` parts, other small text fields returned) or, for the API, a raw
    /// body (one file named by `fileName`), into `directory`. Refuses (413) once the total passes `limit`; every file must
    /// be EVTX or JSON lines, else a field error names it.
    static func receive(_ req: Request, into directory: URL, limit: Int64) async throws -> Received {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let state = PartState(directory: directory, limit: limit)
        defer { state.current?.close() }
        let contentType = req.headers.contentType
        if let contentType, contentType.type == "multipart", contentType.subType == "form-data" {
            guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
                throw AppError.malformed("multipart body without a boundary")
            }
            let parser = MultipartParser(boundary: boundary)
            parser.onHeader = { name, value in
                guard name.lowercased() == "content-disposition" else { return }
                let parameters = ScanUploadReceiver.dispositionParameters(value)
                state.fieldName = parameters["name"]
                let isFile = ["files", "files[]", "file"].contains(state.fieldName ?? "") && parameters["filename"] != nil
                if isFile, state.error == nil {
                    do { try state.openFile(named: parameters["filename"] ?? "events") } catch { state.error = error }
                }
            }
            parser.onBody = { buffer in
                guard state.error == nil else { return }
                do { try state.body(buffer) } catch { state.error = error }
            }
            parser.onPartComplete = {
                do { try state.finishPart() } catch { if state.error == nil { state.error = error } }
            }
            try await forEachChunk(req) { chunk in
                do { try parser.execute(chunk) } catch { throw AppError.malformed("the multipart body is malformed") }
                if let error = state.error { throw error }
            }
            if let error = state.error { throw error }
        } else {
            try state.openFile(named: req.query[String.self, at: "fileName"] ?? "events")
            try await forEachChunk(req) { chunk in try state.body(chunk) }
            try state.finishPart()
        }
        return Received(files: state.files, fields: state.fields, bytes: state.total)
    }

    private final class PartState {
        let directory: URL
        let limit: Int64
        var total: Int64 = 0
        var fieldName: String?
        var current: Sink?
        var currentName = ""
        var value = ByteBuffer()
        var fields: [String: String] = [:]
        var files: [EventImportFile] = []
        var error: (any Error)?

        init(directory: URL, limit: Int64) {
            self.directory = directory
            self.limit = limit
        }

        func openFile(named name: String) throws {
            guard files.count < 50 else { throw AppError.validation(FieldErrors(["files": "events.tooManyFiles|50"])) }
            currentName = StoredFileService.sanitizedName(name)
            current = try Sink(url: directory.appendingPathComponent("\(files.count + 1).part"))
        }

        func body(_ buffer: ByteBuffer) throws {
            if let current {
                total += Int64(buffer.readableBytes)
                guard total <= limit else { throw EventUploads.tooLarge(limit) }
                try current.write(buffer)
            } else if value.readableBytes + buffer.readableBytes <= 65_536 {
                var copy = buffer
                value.writeBuffer(&copy)
            } else {
                throw AppError.malformed("form field \(fieldName ?? "?") is too long")
            }
        }

        func finishPart() throws {
            defer {
                fieldName = nil
                value = ByteBuffer()
            }
            guard let sink = current else {
                if let name = fieldName { fields[name] = value.readString(length: value.readableBytes) ?? "" }
                return
            }
            sink.close()
            current = nil
            // A browser sends an empty part when no file was chosen.
            if sink.size == 0 {
                try? FileManager.default.removeItem(at: sink.url)
                return
            }
            guard let kind = EventUploads.kind(of: sink.prefix) else {
                throw AppError.validation(FieldErrors(["files": "events.fileNotEvents|\(currentName)"]))
            }
            files.append(EventImportFile(name: currentName, size: sink.size, kind: kind, stored: sink.url.lastPathComponent))
        }
    }

    static func tooLarge(_ limit: Int64) -> AppError {
        AppError(status: .payloadTooLarge, code: "too_large", messageKey: "events.uploadTooLarge|\(max(1, limit / 1_048_576))",
                 fields: ["files": "events.uploadTooLarge|\(max(1, limit / 1_048_576))"])
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
}
