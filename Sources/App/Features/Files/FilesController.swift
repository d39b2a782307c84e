import Foundation
import Domain
import Fluent
import Vapor

/// Downloads of stored documents: only for callers who may see the agency that owns them, always as an attachment.
enum FilesController {
    static func download(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let file = try await StoredFile.find(id, on: req.db),
              Policy.can(subject, .viewSystems, .owned(agencyId: file.agencyId)) else { throw AppError.notFound }
        let url = StoredFileService.path(for: file.sha256, dataDirectory: req.application.config.dataDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        let response = try await req.fileio.asyncStreamFile(at: url.path)
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(file.originalName))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
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
