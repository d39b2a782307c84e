import Foundation
import Domain
import Fluent
import Vapor

/// Downloads of stored documents: only for callers who may see the agency that owns them, always as an attachment.
enum FilesController {
    static func download(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let file = try await StoredFile.find(id, on: req.db),
              try await mayRead(file, subject: subject, on: req.db) else { throw AppError.notFound }
        let url = StoredFileService.path(for: file.sha256, dataDirectory: req.application.config.dataDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        let response = try await req.fileio.asyncStreamFile(at: url.path)
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(file.originalName))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// Access follows the record the file belongs to *now* (a system moved to another agency takes its
    /// documents along); an inventory upload is only ever its uploader's.
    static func mayRead(_ file: StoredFile, subject: Subject, on db: any Database) async throws -> Bool {
        if let readable = try await ResponseFiles.mayRead(file, subject: subject, on: db) { return readable }
        if let readable = try await ProactiveFiles.mayRead(file, subject: subject, on: db) { return readable }
        if let readable = try await WarningFiles.mayRead(file, subject: subject, on: db) { return readable }
        guard let systemId = try await owningSystem(of: file, on: db) else {
            return file.recordType == "import" && file.uploadedBy == subject.userId
        }
        return try await InformationSystem.visible(systemId, to: subject, on: db) != nil
    }

    static func owningSystem(of file: StoredFile, on db: any Database) async throws -> UUID? {
        switch file.recordType {
        case "dossier_step":
            guard let step = try await DossierStep.find(file.recordId, on: db),
                  let dossier = try await LevelDossier.find(step.$dossier.id, on: db) else { return nil }
            return dossier.$system.id
        case "control_assessment":
            return try await ControlAssessment.find(file.recordId, on: db)?.$system.id
        case "system_assessment":
            return try await SystemAssessment.find(file.recordId, on: db)?.$system.id
        default:
            return nil
        }
    }
}

enum ContentDisposition {
    /// `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987).
    static func attachment(_ name: String) -> String {
        let ascii = String(SearchText.fold(name).map { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline ? $0 : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
