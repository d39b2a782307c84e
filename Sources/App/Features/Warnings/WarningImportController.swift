import Foundation
import Domain
import Formats
import Plot
import Vapor

/// Importing warnings from CSAF 2.0 and NVD CVE JSON 2.0: the upload page and `POST /api/v1/warnings/import`.
enum WarningImportController {
    struct Upload: Content {
        var file: File?
        var mode: String?
        var select: String?
        var cves: String?
        var issuer: String?
        var number: String?
        var issuedOn: String?
        var title: String?
        var deadline: String?
        var requiredAction: String?

        var options: WarningImport.Options {
            .init(mode: mode, select: select, cves: cves, issuer: issuer, number: number, issuedOn: issuedOn, title: title, deadline: deadline,
                  requiredAction: requiredAction)
        }
    }

    static func form(req: Request) async throws -> Page {
        WarningImportView(req: req, upload: nil, errors: [:], result: nil, issuers: try await WarningsController.issuers(on: req.db)).render()
    }

    static func upload(req: Request) async throws -> Response {
        let upload = try req.content.decode(Upload.self)
        do {
            let data = upload.file.map { Data($0.data.readableBytesView) } ?? Data()
            let result = try await WarningImport.run(data: data, fileName: StoredFileService.sanitizedName(upload.file?.filename ?? "advisory.json"),
                                                     options: upload.options, req: req)
            return try await WarningImportView(req: req, upload: nil, errors: [:], result: result, issuers: []).render().encodeResponse(for: req)
        } catch let error as AppError where error.status == .unprocessableEntity {
            var page = WarningImportView(req: req, upload: upload, errors: error.fields, result: nil,
                                         issuers: try await WarningsController.issuers(on: req.db)).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    struct APIResult: Content {
        var format: String
        var records: Int
        var created: [WarningDTO]
        var skipped: [String]
    }

    /// Multipart (`file` and the options as fields) or the document itself as the body (options in the query).
    static func api(req: Request) async throws -> Response {
        let data: Data
        let options: WarningImport.Options
        let name: String
        if req.headers.contentType?.type == "multipart" {
            let upload = try req.content.decode(Upload.self)
            data = upload.file.map { Data($0.data.readableBytesView) } ?? Data()
            options = upload.options
            name = StoredFileService.sanitizedName(upload.file?.filename ?? "advisory.json")
        } else {
            data = req.body.data.map { Data($0.readableBytesView) } ?? Data()
            options = try req.query.decode(WarningImport.Options.self)
            name = "advisory.json"
        }
        let result = try await WarningImport.run(data: data, fileName: name, options: options, req: req)
        let subject = try req.requireSubject()
        var created: [WarningDTO] = []
        for w in result.created { created.append(try await WarningShow.dto(w, subject: subject, req: req)) }
        let response = Response(status: result.created.isEmpty ? .ok : .created)
        try response.content.encode(APIResult(format: result.kind.rawValue, records: result.considered, created: created, skipped: result.skipped))
        return response
    }
}

/// The upload form, and after an import what it created and skipped.
struct WarningImportView {
    let req: Request
    let upload: WarningImportController.Upload?
    let errors: [String: String]
    let result: WarningImport.Result?
    let issuers: [String]

    func render() -> Page {
        let t = req.t
        let err: (String) -> String? = { errors[$0].map { t($0) } }
        var content: [Body] = [
            .el("p", ["class": "crumbs"], [.link(SiteURL.warnings(.index).path, t("warnings.title"))]),
            .el("h1", [:], [.txt(t("warnings.import.title"))]),
        ]
        if let result {
            content.append(.el("section", ["class": "card", "id": "import-result"], [
                .el("p", ["class": "flash success", "role": "status"], [.txt(t("warnings.import.done", result.kind.displayName, String(result.considered),
                                                                                 String(result.created.count), String(result.skipped.count)))]),
                result.created.isEmpty ? .empty : .el("ul", ["class": "plain", "id": "imported"], result.created.map { w in
                    .el("li", [:], [.link(SiteURL.warnings(.show(.value(w.id!))).path, "\(WarningText.label(w)) — \(w.title)")])
                }),
                result.skipped.isEmpty ? .empty : .el("p", ["class": "muted", "id": "skipped"], [.txt(t("warnings.import.skipped") + " "
                    + result.skipped.prefix(50).joined(separator: ", ") + (result.skipped.count > 50 ? " …" : ""))]),
                .el("p", [:], [.link(SiteURL.warnings(.importFile).path, t("warnings.import.another"), cls: "button")]),
            ]))
            return Layout(req: req).page(title: t("warnings.import.title"), section: .warnings, content: content)
        }
        content += [
            .el("p", ["class": "muted"], [.txt(t("warnings.import.intro"))]),
            Forms.errorSummary(errors, t: t),
            Forms.multipart(req, action: SiteURL.warnings(.importFile).path, id: "import-form", cls: "form", [
                Forms.fileInput(name: "file", label: t("warnings.import.file"), error: err("file"), hint: t("warnings.import.fileHint"), multiple: false,
                                accept: ".json,application/json"),
                Forms.select(name: "select", label: t("warnings.import.select"),
                             options: WarningImport.Selection.allCases.map { ($0.rawValue, t("warnings.import.select.\($0.rawValue)")) },
                             selected: upload?.select ?? WarningImport.Selection.matching.rawValue, error: err("select")),
                Forms.textarea(name: "cves", label: t("warnings.import.cves"), value: upload?.cves, error: err("cves"), hint: t("warnings.import.cvesHint"), rows: 2),
                Forms.select(name: "mode", label: t("warnings.import.mode"),
                             options: WarningImport.Mode.allCases.map { ($0.rawValue, t("warnings.import.mode.\($0.rawValue)")) },
                             selected: upload?.mode ?? WarningImport.Mode.each.rawValue, error: err("mode")),
                .el("fieldset", ["class": "field"], [
                    .el("legend", [:], [.txt(t("warnings.import.overrides"))]),
                    .el("p", ["class": "hint"], [.txt(t("warnings.import.overridesHint"))]),
                    .el("div", ["class": errors["issuer"] == nil ? "field" : "field invalid"], [
                        .el("label", ["for": "issuer"], [.txt(t("warnings.issuer"))]),
                        .void("input", ["type": "text", "id": "issuer", "name": "issuer", "value": upload?.issuer ?? "", "maxlength": "500", "list": "issuers"]),
                        .el("datalist", ["id": "issuers"], issuers.map { .el("option", ["value": $0]) }),
                        err("issuer").map { .el("p", ["class": "error"], [.txt($0)]) } ?? .empty,
                    ]),
                    Forms.input(.init(name: "number", label: t("warnings.number"), value: upload?.number, error: err("number"), maxLength: 100)),
                    Forms.input(.init(name: "issuedOn", label: t("warnings.issuedOn"), value: upload?.issuedOn, error: err("issuedOn"), type: "date")),
                    Forms.input(.init(name: "title", label: t("warnings.warningTitle"), value: upload?.title, error: err("title"), maxLength: 500)),
                    Forms.input(.init(name: "deadline", label: t("warnings.deadline"), value: upload?.deadline, error: err("deadline"), type: "date",
                                      hint: t("warnings.deadlineHint"))),
                    Forms.textarea(name: "requiredAction", label: t("warnings.requiredAction"), value: upload?.requiredAction, error: err("requiredAction"),
                                   rows: 3, maxLength: 8000),
                ]),
                Forms.submit(t("warnings.import.submit"), id: "import-submit"),
            ]),
        ]
        return Layout(req: req).page(title: t("warnings.import.title"), section: .warnings, content: content)
    }
}
