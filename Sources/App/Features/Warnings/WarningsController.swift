import Foundation
import Domain
import Fluent
import Vapor

/// Warning pages.
enum WarningsController {
    static func index(req: Request) async throws -> Page {
        let list = ListQuery(req: req, filterKeys: WarningsIndex.filterKeys, sortKeys: [])
        let model = try await WarningsIndex.query(subject: try req.requireSubject(), list: list, rules: req.application.rules, on: req.db)
        return WarningsIndex.View(req: req, model: model).render()
    }

    static func tracking(req: Request) async throws -> Page {
        let agency = req.query[String.self, at: "agencyId"].flatMap(UUID.init(uuidString:))
        let model = try await WarningTracking.query(subject: try req.requireSubject(), agencyFilter: agency, rules: req.application.rules, req: req)
        return WarningTracking.View(req: req, model: model).render()
    }

    static func show(req: Request) async throws -> Page {
        try await showPage(req: req, warning: try await WarningService.find(req))
    }

    /// The obligation tables link a WARNING_REMEDIATION_DUE row here: on to its warning, at its system.
    static func affected(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await WarningScope.rows(subject, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return req.redirect(to: SiteURL.warnings(.show(.value(row.warningId))).path + "#system-\(row.systemId.uuidString.lowercased())")
    }

    static func new(req: Request) async throws -> Page {
        var input = WarningInput()
        input.issuedOn = DisplayTime.isoDay(Date())
        return try await form(req: req, warning: nil, input: input, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(WarningInput.self)
        do {
            let warning = try await WarningService.create(input, req: req)
            return req.redirect(to: SiteURL.warnings(.show(.value(warning.id!))).path(query: ["done": "warningCreated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await form(req: req, warning: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func edit(req: Request) async throws -> Page {
        let warning = try await WarningService.find(req)
        return try await form(req: req, warning: warning, input: WarningInput(warning), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let warning = try await WarningService.find(req)
        var input = try req.content.decode(WarningInput.self)
        do {
            _ = try await WarningService.update(warning, with: input, productsSent: input.productVendor != nil, req: req)
            return req.redirect(to: SiteURL.warnings(.show(.value(warning.id!))).path(query: ["done": "warningUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "warning_changed" {
            let fresh = try await AuthorityWarning.find(warning.id, on: req.db) ?? warning
            if error.code == "warning_changed" { input.version = fresh.version }
            let fields = error.code == "warning_changed" ? ["form": error.messageKey] : error.fields
            return try await form(req: req, warning: fresh, input: input, errors: fields, status: error.status).encodeResponse(for: req)
        }
    }

    static func rematch(req: Request) async throws -> Response {
        let warning = try await WarningService.find(req)
        let summary = try await WarningService.rematch(warning, req: req)
        return req.redirect(to: SiteURL.warnings(.show(.value(warning.id!))).path(query: [
            "done": summary.added + summary.removed == 0 ? "warningRematchedSame" : "warningRematched",
        ]))
    }

    /// A coordinator adds a system by its code, with a reason.
    static func addSystem(req: Request) async throws -> Response {
        let warning = try await WarningService.find(req)
        struct AddSystemForm: Content {
            var systemCode: String?
            var reason: String?
        }
        let body = try req.content.decode(AddSystemForm.self)
        let subject = try req.requireSubject()
        let code = Validators.trimmed(body.systemCode)
        let typed = ["systemCode": body.systemCode ?? "", "reason": body.reason ?? ""]
        var found: InformationSystem?
        if !code.isEmpty {
            found = try await InformationSystem.scoped(to: subject, on: req.db).filter(\.$code == code).first()
            if found == nil { found = try await InformationSystem.scoped(to: subject, on: req.db).filter(\.$code == code.uppercased()).first() }
        }
        guard let system = found else {
            let key = code.isEmpty ? "validation.required" : "warnings.unknownSystemCode|\(code.prefix(64))"
            return try await refused(req: req, warning: warning, key: "add", errors: ["systemId": key], typed: typed)
        }
        do {
            _ = try await WarningResponse.apply(WarningResponseInput(action: "add", reason: body.reason), warning: warning, systemId: system.requireID(), req: req)
            return req.redirect(to: SiteURL.warnings(.show(.value(warning.id!))).path(query: ["done": "warningSystemAdded"])
                + "#system-\(system.id!.uuidString.lowercased())")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await refused(req: req, warning: warning, key: "add", errors: error.fields, typed: typed)
        }
    }

    /// Acknowledge, remediate (multipart with evidence), not affected, reopen.
    static func respond(req: Request) async throws -> Response {
        let warning = try await WarningService.find(req)
        guard let sid = req.parameters.get("sid", as: UUID.self) else { throw AppError.notFound }
        let input = try req.content.decode(WarningResponseInput.self)
        let anchor = "#system-\(sid.uuidString.lowercased())"
        do {
            let outcome = try await WarningResponse.apply(input, warning: warning, systemId: sid, req: req)
            return req.redirect(to: SiteURL.warnings(.show(.value(warning.id!))).path(query: ["done": "warningResponse_\(outcome.row.state)"]) + anchor)
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "warning_system_changed" {
            let fields = error.code == "warning_system_changed" ? ["form": error.messageKey] : error.fields
            return try await refused(req: req, warning: warning, key: sid.uuidString.lowercased(), errors: fields,
                                     typed: ["note": input.note ?? "", "reason": input.reason ?? ""], status: error.status)
        }
    }

    // MARK: helpers

    private static func refused(req: Request, warning: AuthorityWarning, key: String, errors: [String: String], typed: [String: String],
                                status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
        var page = try await showPage(req: req, warning: warning, errors: [key: errors], typed: typed)
        page.status = status
        return try await page.encodeResponse(for: req)
    }

    private static func showPage(req: Request, warning: AuthorityWarning, errors: [String: [String: String]] = [:],
                                 typed: [String: String] = [:]) async throws -> Page {
        let subject = try req.requireSubject()
        let rules = req.application.rules
        let rows = try await WarningShow.rows(warning, subject: subject, rules: rules, on: req.db)
        return WarningShowView(req: req, model: .init(warning: warning, rows: rows, rules: rules.proactiveObligations()), errors: errors, typed: typed).render()
    }

    private static func form(req: Request, warning: AuthorityWarning?, input: WarningInput, errors: [String: String],
                             status: HTTPResponseStatus = .ok) async throws -> Page {
        var page = WarningFormView(req: req, warning: warning, input: input, errors: errors, issuers: try await issuers(on: req.db)).render()
        page.status = status
        return page
    }

    /// The issuers already recorded, most used first (suggestions for the form).
    static func issuers(on db: any Database) async throws -> [String] {
        let names = try await AuthorityWarning.query(on: db).field(\.$issuer).sort(\.$createdAt, .descending).range(0..<2000).all().map(\.issuer)
        var counts: [String: Int] = [:]
        for n in names { counts[n, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(30).map(\.key)
    }
}
