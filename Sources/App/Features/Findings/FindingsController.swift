import Foundation
import Domain
import Fluent
import Vapor

/// Findings pages.
enum FindingsController {
    static func index(req: Request) async throws -> Page {
        try await FindingsIndex.page(req: req)
    }

    static func show(req: Request) async throws -> Page {
        let finding = try await FindingService.find(req)
        return FindingShow.View(req: req, model: try await FindingShow.query(finding, subject: try req.requireSubject(), on: req.db)).render()
    }

    static func status(req: Request) async throws -> Response {
        let finding = try await FindingService.find(req)
        let input = try req.content.decode(FindingService.StatusInput.self)
        do {
            try await FindingService.change(finding, input, expectedVersion: input.version, req: req)
            return req.redirect(to: SiteURL.findings(.show(.value(finding.id!))).path(query: ["done": "findingStatusChanged"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "finding_changed" {
            var shown = input
            var fields = error.fields
            if error.code == "finding_changed" {
                // Show the current state; the form is now based on it.
                shown.version = nil
                fields = ["form": error.messageKey]
            }
            let current = try await Finding.find(finding.id, on: req.db) ?? finding
            var page = FindingShow.View(req: req, model: try await FindingShow.query(current, subject: try req.requireSubject(), on: req.db),
                                        input: shown, errors: fields).render()
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    struct BulkForm: Content {
        var ids: [String]?
        var status: String?
        var reason: String?
        var approverName: String?
        var acceptedUntil: String?
        var next: String?
    }

    static func bulk(req: Request) async throws -> Response {
        let form = try req.content.decode(BulkForm.self)
        let input = FindingService.StatusInput(status: form.status, reason: form.reason, approverName: form.approverName,
                                               acceptedUntil: form.acceptedUntil, version: nil)
        // Back to the list as it was filtered (only ever a findings list path).
        let back = form.next.flatMap { $0.hasPrefix(SiteURL.findings(.index).path) && !$0.hasPrefix("//") ? $0 : nil } ?? SiteURL.findings(.index).path
        do {
            let ids = try (form.ids ?? []).map { raw -> UUID in
                guard let id = UUID(uuidString: raw) else { throw AppError.notFound }
                return id
            }
            let (changed, unchanged) = try await FindingService.bulk(ids: ids, input, req: req)
            let separator = back.contains("?") ? "&" : "?"
            return req.redirect(to: back + separator + "done=findingsBulkChanged&changed=\(changed.count)&unchanged=\(unchanged)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "finding_changed" {
            let fields = error.code == "finding_changed" ? ["form": error.messageKey] : error.fields.merging(["form": error.messageKey]) { a, _ in a }
            return try await FindingsIndex.page(req: req, bulkInput: input, bulkErrors: fields, status: error.status).encodeResponse(for: req)
        }
    }
}
