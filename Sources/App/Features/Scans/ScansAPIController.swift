import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// `/api/v1/scans`.
enum ScansAPIController {
    static func list(req: Request) async throws -> Paged<ScanImportDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = ScanImport.scoped(to: subject, on: req.db)
        if let raw = req.query[String.self, at: "systemId"] {
            guard let id = UUID(uuidString: raw) else { throw AppError.validation(FieldErrors(["systemId": "validation.invalidId"])) }
            query.filter(\.$systemId == id)
        }
        if let raw = req.query[String.self, at: "state"] {
            guard ScanImportState(rawValue: raw) != nil else { throw AppError.validation(FieldErrors(["state": "validation.unknownValue"])) }
            query.filter(\.$state == raw)
        }
        let (items, total) = try await params.apply(query.sort(\.$createdAt, .descending).sort(\.$id))
        try await items.followSystems(on: req.db)
        let jobIds = items.compactMap(\.jobId)
        let jobs = jobIds.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await JobRecord.query(on: req.db).filter(\.$id ~~ jobIds).all().map { ($0.id!, $0) })
        return Paged(items: items.map { ScanImportDTO($0, job: $0.jobId.flatMap { jobs[$0] }, withHosts: false) }, total: total,
                     page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> ScanImportDTO {
        try await ScanImportDTO.make(try await ScanImportService.find(req), on: req.db)
    }

    /// Upload: a multipart form (`file`) or the raw report as the body, streamed to disk. 201 imported; 409
    /// `hosts_out_of_scope` with the import waiting for confirmation (unless `keepHosts` was given); 422 with the failed
    /// import when the report is refused.
    static func upload(req: Request) async throws -> Response {
        let system = try await ScanImportService.system(req.query[String.self, at: "systemId"], req: req)
        let file = try ScanReportFile(dataDirectory: req.application.config.dataDirectory, limit: req.application.config.maxScanReportBytes)
        let received: ScanUploadReceiver.Received
        do { received = try await ScanUploadReceiver.receive(req, into: file) } catch {
            file.discard()
            throw error
        }
        do {
            func param(_ key: String) -> String? { req.query[String.self, at: key] ?? received.fields[key] }
            guard file.size > 0 else { throw AppError.validation(FieldErrors(["file": "scans.fileRequired"])) }
            let claimed = try ScanImportService.claimedFormat(param("format"))
            let keep = ScanImportService.KeepHosts.parse(param("keepHosts"))
            let actor = req.auditActor
            let performer = try await ScanImportService.performer(kind: param("performerKind"), name: param("performer"), system: system,
                                                                  actor: actor, on: req.db)
            let name = received.fileName ?? param("fileName") ?? "report." + (claimed.map(fileExtension) ?? "txt")
            let outcome = try await ScanImportService.importReport(
                file, .init(system: system, claimed: claimed, keep: keep, performer: performer, fileName: StoredFileService.sanitizedName(name)),
                actor: actor, app: req.application)
            return try await respond(outcome, req: req)
        } catch {
            file.discard()
            throw error
        }
    }

    static func fileExtension(_ format: ScannerFormat) -> String {
        switch format {
        case .nmap, .openvas: "xml"
        case .nessus: "nessus"
        case .nuclei: "jsonl"
        case .trivy: "json"
        case .sarif: "sarif"
        }
    }

    /// 201 with the import; 409 (`hosts_out_of_scope`) or 422 (`scan_invalid`) with the error envelope and the import.
    static func respond(_ outcome: ScanImportService.Outcome, req: Request) async throws -> Response {
        struct ErrorBody: Content {
            var code: String
            var message: String
            var fields: [String: String]?
        }
        struct Envelope: Content {
            var error: ErrorBody
            var scan: ScanImportDTO
        }
        let t = req.t
        let response: Response
        switch outcome {
        case .imported(let row, _):
            response = Response(status: .created)
            try response.content.encode(try await ScanImportDTO.make(row, on: req.db))
            response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.scans(.one(.value(row.id!)))).path)
        case .awaitingConfirmation(let row):
            let dto = try await ScanImportDTO.make(row, on: req.db)
            let outside = (dto.hosts ?? []).filter { !$0.inScope }.map(\.address)
            response = Response(status: .conflict)
            try response.content.encode(Envelope(error: ErrorBody(code: "hosts_out_of_scope",
                                                                  message: t("scans.outOfScopeAPI", String(outside.count), outside.prefix(20).joined(separator: ", ")),
                                                                  fields: ["keepHosts": t("scans.keepHostsHint")]),
                                                 scan: dto))
        case .failed(let row, let message):
            response = Response(status: .unprocessableEntity)
            try response.content.encode(Envelope(error: ErrorBody(code: "scan_invalid", message: t("scans.failedWith", message),
                                                                  fields: ["file": message]),
                                                 scan: try await ScanImportDTO.make(row, on: req.db)))
        case .needsConfirmation:
            throw AppError(status: .internalServerError, code: "internal", messageKey: "error.internal")
        }
        return response
    }

    static func confirm(req: Request) async throws -> Response {
        let row = try await ScanImportService.find(req)
        try await req.authorize(.recordAssessments, .owned(agencyId: row.agencyId), readAction: .viewProactive,
                                recordType: ScanImportService.recordType, recordId: try row.requireID())
        let input = try req.content.decode(ScanConfirmInput.self)
        guard let keep = ScanImportService.KeepHosts.parse(input.keepHosts) else {
            throw AppError.validation(FieldErrors(["keepHosts": "validation.required"]))
        }
        guard let system = try await InformationSystem.find(row.systemId, on: req.db) else { throw AppError.notFound }
        let actor = req.auditActor
        let performer = try await ScanImportService.performer(kind: input.performerKind, name: input.performer, system: system, actor: actor,
                                                              stored: row, on: req.db)
        let outcome = try await ScanImportService.confirm(row, keep: keep, performer: performer, actor: actor, app: req.application)
        let response = try await respond(outcome, req: req)
        if response.status == .created { response.status = .ok }
        return response
    }

    static func nmap(req: Request) async throws -> Response {
        let input = try req.content.decode(NetworkScan.Input.self)
        let row = try await NetworkScan.start(input, req: req)
        let response = Response(status: .accepted)
        try response.content.encode(try await ScanImportDTO.make(row, on: req.db))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.scans(.one(.value(row.id!)))).path)
        return response
    }

    /// Stops a running built-in scan, or discards a report waiting for confirmation.
    static func cancel(req: Request) async throws -> ScanImportDTO {
        let row = try await ScanImportService.find(req)
        try await ScanImportService.cancel(row, req: req)
        return try await ScanImportDTO.make(try await ScanImport.find(row.id, on: req.db) ?? row, on: req.db)
    }

    static func report(req: Request) async throws -> Response {
        try await ScanImportService.download(try await ScanImportService.find(req), req: req)
    }
}
