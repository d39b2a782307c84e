import Foundation
import Domain
import Fluent
import Vapor

/// Upload → preview with every row's errors → confirm. The upload is kept as a stored file so the
/// confirmation imports exactly what was previewed.
enum InventoryImportController {
    struct Upload: Content {
        var file: File?
    }

    static func form(req: Request) async throws -> Page {
        InventoryImportView(req: req, preview: nil, fileId: nil, fileName: nil, error: nil).render()
    }

    static func upload(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        let upload = try req.content.decode(Upload.self)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            return try await failed(req, "validation.fileRequired")
        }
        let accepted: [StoredFileService.Accepted]
        do {
            accepted = try StoredFileService.accept([file], limit: req.application.config.maxUploadBytes, field: "file")
        } catch let error as AppError {
            guard let csv = otherEncodingCSV(file, refusal: error) else { return try await failed(req, error.fields["file"] ?? error.messageKey) }
            accepted = [csv]
        }
        guard let one = accepted.first, ["xlsx", "text"].contains(one.kind.id) else { return try await failed(req, "inventory.wrongType") }
        try StoredFileService.writeBytes(accepted, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let id = UUID()
        let rows = try await req.write { db in
            try await StoredFileService.record(accepted, recordType: "import", recordId: id, agencyId: nil, actor: actor, on: db)
        }
        let preview = try await InventoryImport.preview(data: Data(one.bytes.readableBytesView), fileName: one.name, subject: subject, on: req.db)
        var page = InventoryImportView(req: req, preview: preview, fileId: rows.first?.id, fileName: one.name, error: nil).render()
        page.status = preview.isClean ? .ok : .unprocessableEntity
        return try await page.encodeResponse(for: req)
    }

    static func confirm(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let file = try await StoredFile.find(id, on: req.db),
              file.recordType == "import", file.uploadedBy == subject.userId else { throw AppError.notFound }
        let url = StoredFileService.path(for: file.sha256, dataDirectory: req.application.config.dataDirectory)
        let data = try Data(contentsOf: url)
        let preview = try await InventoryImport.preview(data: data, fileName: file.originalName, subject: subject, on: req.db)
        guard preview.isClean else {
            var page = InventoryImportView(req: req, preview: preview, fileId: id, fileName: file.originalName, error: "inventory.hasErrors").render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
        let created: Int, updated: Int
        do {
            (created, updated) = try await InventoryImport.commit(preview, fileSHA: file.sha256, previewedAt: file.uploadedAt, subject: subject,
                                                                  actor: req.auditActor, rules: req.application.rules, app: req.application)
        } catch let error as AppError where error.status == .conflict {
            var page = InventoryImportView(req: req, preview: nil, fileId: nil, fileName: nil, error: error.messageKey).render()
            page.status = .conflict
            return try await page.encodeResponse(for: req)
        }
        return req.redirect(to: SiteURL.systems.path(query: ["done": "imported", "created": String(created), "updated": String(updated)]))
    }

    /// A `.csv` the sniffer cannot call text because it is not UTF-8 (Windows-1258, UTF-16): the CSV reader
    /// reads UTF-16 and names the encoding and line of anything else, which says more than "unknown type".
    /// Executables are refused before this point whatever their name.
    private static func otherEncodingCSV(_ file: File, refusal: AppError) -> StoredFileService.Accepted? {
        guard refusal.fields["file"]?.hasPrefix(FileSniffer.Refusal.unknown.code + "|") == true,
              (file.filename as NSString).pathExtension.lowercased() == "csv" else { return nil }
        return StoredFileService.Accepted(name: StoredFileService.sanitizedName(file.filename), bytes: file.data,
                                          sha256: SHA256Digest.hex(Data(file.data.readableBytesView)), kind: FileSniffer.text)
    }

    private static func failed(_ req: Request, _ key: String) async throws -> Response {
        var page = InventoryImportView(req: req, preview: nil, fileId: nil, fileName: nil, error: key).render()
        page.status = .unprocessableEntity
        return try await page.encodeResponse(for: req)
    }
}

struct InventoryImportView {
    let req: Request
    let preview: InventoryImport.Preview?
    let fileId: UUID?
    let fileName: String?
    let error: String?

    func render() -> Page {
        let t = req.t
        var content: [Body] = [
            .el("p", ["class": "crumbs"], [.link(SiteURL.systems.path, t("systems.title"))]),
            .el("h1", [:], [.txt(t("inventory.importTitle"))]),
            .el("p", ["class": "muted"], [.txt(t("inventory.importIntro")), .txt(" "), .link(SiteURL.systemsImportTemplate.path, t("inventory.template"), id: "template")]),
        ]
        if let error { content.append(.el("div", ["class": "flash error", "role": "alert", "id": "import-error"], [.txt(t(error))])) }
        if let preview {
            if let fileError = preview.fileError {
                content.append(.el("div", ["class": "flash error", "role": "alert", "id": "file-error"], [.txt(t(fileError))]))
            } else {
                let creates = preview.rows.filter { !$0.isUpdate }.count
                content.append(.el("div", ["class": preview.isClean ? "flash success" : "flash error", "role": "status", "id": "preview-summary"], [
                    .txt(preview.isClean ? t("inventory.ready", String(preview.rows.count), String(creates), String(preview.rows.count - creates))
                                         : t("inventory.errors", String(preview.errorCount), String(preview.rows.filter { !$0.errors.isEmpty }.count))),
                ]))
                if !preview.unknownColumns.isEmpty {
                    content.append(.el("p", ["class": "flash info"], [.txt(t("inventory.unknownColumns", preview.unknownColumns.joined(separator: ", ")))]))
                }
                content.append(.el("table", ["class": "table", "id": "preview"], [
                    .el("thead", [:], [.el("tr", [:], [t("inventory.line"), t("field.code"), t("systems.name"), t("systems.agency"), t("inventory.action"),
                                                       t("inventory.problems")].map { .el("th", ["scope": "col"], [.txt($0)]) })]),
                    .el("tbody", [:], preview.rows.map { r in
                        .el("tr", ["class": r.errors.isEmpty ? nil : "invalid"], [
                            .el("td", [:], [.txt(String(r.line))]), .el("td", [:], [.txt(r.code)]), .el("td", [:], [.txt(r.name)]),
                            .el("td", [:], [.txt(r.agency)]), .el("td", [:], [.txt(r.isUpdate ? t("inventory.update") : t("inventory.create"))]),
                            .el("td", [:], r.errors.isEmpty ? [.txt("✓")] : [.el("ul", ["class": "plain errors"], r.errors.map {
                                .el("li", [:], [.el("strong", [:], [.txt($0.column + ": ")]), .txt(t($0.message))])
                            })]),
                        ])
                    }),
                ]))
                if preview.isClean, let fileId {
                    content.append(Forms.post(req, action: SiteURL.systemsImportConfirm(.value(fileId)).path, id: "confirm-import", cls: "card", [
                        .el("p", [:], [.txt(t("inventory.confirmText", fileName ?? ""))]),
                        Forms.submit(t("inventory.confirm"), id: "confirm"),
                    ]))
                }
            }
        }
        content.append(Forms.multipart(req, action: SiteURL.systemsImport.path, id: "import-form", cls: "card form", [
            .el("div", ["class": "field"], [
                .el("label", ["for": "file"], [.txt(t("inventory.file"))]),
                .void("input", ["type": "file", "id": "file", "name": "file", "required": "", "accept": ".xlsx,.csv"]),
                .el("p", ["class": "hint"], [.txt(t("inventory.fileHint"))]),
            ]),
            Forms.submit(t("inventory.check"), id: "check-import"),
        ]))
        return Layout(req: req).page(title: t("inventory.importTitle"), section: .systems, content: content)
    }
}
