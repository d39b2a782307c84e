import Foundation
import Domain
import Fluent
import Vapor

/// Alert pages: the list (detection landing page), one alert, its triage and the bulk triage of the list.
enum AlertsController {
    static func index(req: Request) async throws -> Page {
        try await AlertsIndex.page(req: req)
    }

    static func show(req: Request) async throws -> Page {
        let alert = try await AlertService.find(req)
        return AlertShow.View(req: req, model: try await AlertShow.query(alert, req: req)).render()
    }

    /// The triage forms of the alert page (one `action` each).
    struct TriageForm: Content {
        var action: String?
        var version: Int?
        var reason: String?
        var title: String?
        var description: String?
        var categoryCode: String?
        var detectedAt: String?
        var agencyId: String?
        var contactName: String?
        var contactPhone: String?
        var contactEmail: String?

        var promoteInput: AlertService.PromoteInput {
            .init(title: title, description: description, categoryCode: categoryCode, detectedAt: detectedAt, agencyId: agencyId,
                  contactName: contactName, contactPhone: contactPhone, contactEmail: contactEmail)
        }
    }

    static func triage(req: Request) async throws -> Response {
        let alert = try await AlertService.find(req)
        let form = try req.content.decode(TriageForm.self)
        do {
            let action = try AlertService.action(form.action)
            let version = form.version ?? alert.version
            switch action {
            case .promote:
                let incident = try await AlertService.promote(alert, form.promoteInput, expectedVersion: version, req: req)
                return req.redirect(to: SiteURL.incidents(.show(.value(incident.id!))).path(query: ["done": "alertPromoted"]))
            case .acknowledge, .falsePositive:
                try await AlertService.triage(alert, action, reason: form.reason, expectedVersion: version, req: req)
                return req.redirect(to: SiteURL.alerts(.show(.value(alert.id!))).path(query: [
                    "done": action == .acknowledge ? "alertAcknowledged" : "alertFalsePositive",
                ]))
            }
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            var shown = form
            var fields = error.fields
            if error.status == .conflict {
                // Show the alert as it is now; the forms are based on it.
                shown = TriageForm()
                fields = ["form": error.messageKey]
            }
            let current = try await DetectionAlert.find(alert.id, on: req.db) ?? alert
            var page = AlertShow.View(req: req, model: try await AlertShow.query(current, req: req), input: shown, errors: fields).render()
            page.status = error.status
            return try await page.encodeResponse(for: req)
        }
    }

    struct BulkForm: Content {
        var ids: [String]?
        var action: String?
        var reason: String?
        var next: String?
    }

    static func bulk(req: Request) async throws -> Response {
        let form = try req.content.decode(BulkForm.self)
        let back = form.next.flatMap { $0.hasPrefix(SiteURL.alerts(.index).path) && !$0.hasPrefix("//") ? $0 : nil } ?? SiteURL.alerts(.index).path
        do {
            let action = try AlertService.action(form.action)
            let ids = try (form.ids ?? []).filter { !$0.isEmpty }.map { raw -> UUID in
                guard let id = UUID(uuidString: raw) else { throw AppError.notFound }
                return id
            }
            let (changed, unchanged) = try await AlertService.bulk(ids: ids, action, reason: form.reason, req: req)
            return req.redirect(to: back + (back.contains("?") ? "&" : "?") + "done=alertsBulkChanged&changed=\(changed.count)&unchanged=\(unchanged)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let fields = error.fields.merging(["form": error.messageKey]) { a, _ in a }
            return try await AlertsIndex.page(req: req, bulkInput: form, bulkErrors: fields, status: error.status).encodeResponse(for: req)
        }
    }
}
