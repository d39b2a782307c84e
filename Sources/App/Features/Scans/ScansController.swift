import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// Scan pages: the list, the upload form, the built-in network scan, one import (with the host choice), its report.
enum ScansController {
    static func index(req: Request) async throws -> Page {
        let list = ListQuery(req: req, filterKeys: ScansIndex.filterKeys, sortKeys: [])
        return ScansIndex.View(req: req, model: try await ScansIndex.query(subject: try req.requireSubject(), list: list, on: req.db)).render()
    }

    static func show(req: Request) async throws -> Page {
        let scan = try await ScanImportService.find(req)
        // After an upload that waits for the choice of hosts, the confirm form keeps who performed the scan.
        let typed = ScanUploadForm(performerKind: req.query[String.self, at: "performerKind"], performer: req.query[String.self, at: "performer"])
        return ScanShow.View(req: req, model: try await ScanShow.query(scan, subject: try req.requireSubject(), on: req.db),
                             confirmInput: typed).render()
    }

    /// `{"state":…,"progress":…,"note":…}` for the page's poller.
    static func state(req: Request) async throws -> Response {
        struct State: Content {
            var state: String
            var progress: Int
            var note: String?
        }
        let scan = try await ScanImportService.find(req)
        let job: JobRecord? = if let jobId = scan.jobId { try await JobRecord.find(jobId, on: req.db) } else { nil }
        let response = Response(status: .ok)
        try response.content.encode(State(state: scan.state, progress: scan.state == ScanImportState.imported.rawValue ? 100 : (job?.progress ?? 0),
                                          note: job?.progressNote))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: upload

    /// Systems the reader may import into (for the choice when the link names none).
    static func writableSystems(_ req: Request, action: Action = .recordAssessments) async throws -> [InformationSystem] {
        let subject = try req.requireSubject()
        return try await InformationSystem.scoped(to: subject, on: req.db).sort(\.$code).range(0..<2000).all()
            .filter { Policy.can(subject, action, .owned(agencyId: $0.$agency.id)) }
    }

    static func new(req: Request) async throws -> Page {
        let raw = req.query[String.self, at: "systemId"]
        let system = raw == nil ? nil : try await ScanImportService.system(raw, req: req)
        return ScanFormView(req: req, system: system, systems: system == nil ? try await writableSystems(req) : [],
                            input: .init(systemId: raw)).render()
    }

    static func upload(req: Request) async throws -> Response {
        let file = try ScanReportFile(dataDirectory: req.application.config.dataDirectory, limit: req.application.config.maxUploadBytes)
        let received: ScanUploadReceiver.Received
        do { received = try await ScanUploadReceiver.receive(req, into: file) } catch {
            file.discard()
            throw error
        }
        let input = ScanUploadForm(systemId: received.fields["systemId"], format: received.fields["format"],
                                   performerKind: received.fields["performerKind"], performer: received.fields["performer"])
        var system: InformationSystem?
        do {
            system = try await ScanImportService.system(input.systemId, req: req)
            guard file.size > 0 else { throw AppError.validation(FieldErrors(["file": "scans.fileRequired"])) }
            let claimed = try ScanImportService.claimedFormat(input.format)
            let actor = req.auditActor
            let performer = try await ScanImportService.performer(kind: input.performerKind, name: input.performer, system: system!, actor: actor, on: req.db)
            let outcome = try await ScanImportService.importReport(
                file, .init(system: system!, claimed: claimed, keep: nil, performer: performer,
                            fileName: StoredFileService.sanitizedName(received.fileName ?? "report")),
                actor: actor, app: req.application)
            switch outcome {
            case .imported(let row, _):
                return req.redirect(to: SiteURL.scans(.show(.value(row.id!))).path(query: ["done": "scanImported"]))
            case .awaitingConfirmation(let row):
                return req.redirect(to: SiteURL.scans(.show(.value(row.id!))).path(query: [
                    "done": "scanAwaiting", "performerKind": performer.kind.rawValue, "performer": input.performer ?? "",
                ]))
            case .failed(let row, _):
                return try await ScanFormView(req: req, system: system, systems: [], input: input, failed: row).render().encodeResponse(for: req)
            case .needsConfirmation:
                throw AppError(status: .internalServerError, code: "internal", messageKey: "error.internal")
            }
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .payloadTooLarge {
            file.discard()
            return try await ScanFormView(req: req, system: system, systems: system == nil ? try await writableSystems(req) : [], input: input,
                                          errors: error.fields.isEmpty ? ["form": error.messageKey] : error.fields).render().encodeResponse(for: req)
        } catch {
            file.discard()
            throw error
        }
    }

    struct ConfirmForm: Content {
        var keep: [String]?
        var action: String?
        var performerKind: String?
        var performer: String?
    }

    static func confirm(req: Request) async throws -> Response {
        let scan = try await ScanImportService.find(req)
        try await req.authorize(.recordAssessments, .owned(agencyId: scan.agencyId), readAction: .viewProactive,
                                recordType: ScanImportService.recordType, recordId: try scan.requireID())
        let form = try req.content.decode(ConfirmForm.self)
        let back = SiteURL.scans(.show(.value(scan.id!)))
        do {
            if form.action == "discard" {
                try await ScanImportService.cancel(scan, req: req)
                return req.redirect(to: back.path(query: ["done": "scanDiscarded"]))
            }
            let chosen = (form.keep ?? []).filter { !$0.isEmpty }
            let hosts = ScanImportService.decodeHosts(scan.hosts)
            if chosen.isEmpty && hosts.contains(where: \.network) {
                throw AppError.validation(FieldErrors(["keepHosts": "scans.keepAtLeastOne"]))
            }
            guard let system = try await InformationSystem.find(scan.systemId, on: req.db) else { throw AppError.notFound }
            let actor = req.auditActor
            let performer = try await ScanImportService.performer(kind: form.performerKind, name: form.performer, system: system, actor: actor,
                                                                  stored: scan, on: req.db)
            _ = try await ScanImportService.confirm(scan, keep: .listed(chosen), performer: performer, actor: actor, app: req.application)
            return req.redirect(to: back.path(query: ["done": "scanImported"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let current = try await ScanImport.find(scan.id, on: req.db) ?? scan
            var page = ScanShow.View(req: req, model: try await ScanShow.query(current, subject: try req.requireSubject(), on: req.db),
                                     errors: error.fields.isEmpty ? ["form": error.messageKey] : error.fields.merging(["form": error.messageKey]) { a, _ in a },
                                     confirmInput: .init(performerKind: form.performerKind, performer: form.performer)).render()
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    static func cancel(req: Request) async throws -> Response {
        let scan = try await ScanImportService.find(req)
        do {
            try await ScanImportService.cancel(scan, req: req)
            return req.redirect(to: SiteURL.scans(.show(.value(scan.id!))).path(query: ["done": "scanStopRequested"]))
        } catch let error as AppError where error.status == .conflict {
            var page = ScanShow.View(req: req, model: try await ScanShow.query(scan, subject: try req.requireSubject(), on: req.db),
                                     errors: ["form": error.messageKey]).render()
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    static func report(req: Request) async throws -> Response {
        try await ScanImportService.download(try await ScanImportService.find(req), req: req)
    }

    // MARK: built-in scan

    static func nmapForm(req: Request) async throws -> Page {
        let raw = req.query[String.self, at: "systemId"]
        let system = raw == nil ? nil : try await ScanImportService.system(raw, req: req, action: .runNetworkScan)
        return NetworkScanFormView(req: req, system: system, systems: system == nil ? try await writableSystems(req, action: .runNetworkScan) : [],
                                   nmapAvailable: NetworkScan.locate(config: req.application.config) != nil).render()
    }

    static func nmapStart(req: Request) async throws -> Response {
        let input = try req.content.decode(NetworkScan.Input.self)
        do {
            let row = try await NetworkScan.start(input, req: req)
            return req.redirect(to: SiteURL.scans(.show(.value(row.id!))).path(query: ["done": "scanStarted"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            let system = try await ScanImportService.system(input.systemId, req: req, action: .runNetworkScan)
            return try await NetworkScanFormView(req: req, system: system, systems: [], input: input, errors: error.fields,
                                                 nmapAvailable: NetworkScan.locate(config: req.application.config) != nil).render().encodeResponse(for: req)
        }
    }
}
