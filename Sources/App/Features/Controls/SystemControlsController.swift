import Foundation
import Domain
import Fluent
import Vapor

/// A system's self-assessment against the Circular 12/2022 controls of its level.
enum SystemControlsController {
    struct ControlInput: Content, Sendable {
        var status: String?
        var effectiveDate: String?
        var justification: String?
        var evidenceLinks: String?
        var files: [File]?
    }

    static func index(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        return try await page(req: req, system: system, failed: nil)
    }

    static func update(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let sid = try system.requireID()
        let control = try await ControlAssessmentService.applicableControl(req, system: system)
        let input = try req.content.decode(ControlInput.self)
        do {
            try await ControlAssessmentService.save(input, files: input.files ?? [], control: control, system: system, req: req)
            return req.redirect(to: SiteURL.systemControls(.value(sid)).path(query: ["done": "controlSaved"]) + "#control-\(control.code)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var form = input
            form.files = nil
            var page = try await page(req: req, system: system, failed: (try control.requireID(), form, error.fields))
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    private static func page(req: Request, system: InformationSystem, failed: (UUID, ControlInput, [String: String])?) async throws -> Page {
        let rows = try await ControlsQuery.rows(for: system, on: req.db)
        let progress = ControlPlan.progress(statuses: rows.map(\.status))
        return SystemControlsView(req: req, system: system, rows: rows, progress: progress, groups: req.application.rules.controls().groups,
                                  failed: failed).render()
    }
}
