import Foundation
import Domain
import Fluent
import Vapor

/// The Circular 12/2022 control catalogue and the appraisal/approval authority table; coordinators edit both.
enum CatalogueController {
    struct ControlEditInput: Content, Sendable {
        var titleVi: String?
        var titleEn: String?
        var descriptionVi: String?
        var descriptionEn: String?
        var evidenceHintVi: String?
        var evidenceHintEn: String?
        var firstLevel: String?
        var active: String?
    }

    struct AuthorityInput: Content, Sendable {
        var level: String?
        var appraisingBodyVi: String?
        var appraisingBodyEn: String?
        var approvingBodyVi: String?
        var approvingBodyEn: String?
        var opinionBodyVi: String?
        var opinionBodyEn: String?
        var note: String?
    }

    static func index(req: Request) async throws -> Page {
        let controls = try await CatalogueControl.query(on: req.db).sort(\.$position).all()
        let level = req.query[Int.self, at: "level"].flatMap { (1...5).contains($0) ? $0 : nil }
        return CatalogueView(req: req, controls: level.map { l in controls.filter { $0.firstLevel <= l } } ?? controls, level: level,
                             groups: req.application.rules.controls()).render()
    }

    static func edit(req: Request) async throws -> Page {
        let control = try await find(req)
        return ControlEditView(req: req, control: control, input: .init(
            titleVi: control.titleVi, titleEn: control.titleEn, descriptionVi: control.descriptionVi, descriptionEn: control.descriptionEn,
            evidenceHintVi: control.evidenceHintVi, evidenceHintEn: control.evidenceHintEn, firstLevel: String(control.firstLevel),
            active: control.active ? "true" : nil), errors: [:]).render()
    }

    static func update(req: Request) async throws -> Response {
        let control = try await find(req)
        let input = try req.content.decode(ControlEditInput.self)
        var check = InputChecker()
        let titleVi = check.requiredText("titleVi", input.titleVi, max: 500)
        let titleEn = check.requiredText("titleEn", input.titleEn, max: 500)
        let descriptionVi = check.optionalText("descriptionVi", input.descriptionVi, max: 4000)
        let descriptionEn = check.optionalText("descriptionEn", input.descriptionEn, max: 4000)
        let hintVi = check.optionalText("evidenceHintVi", input.evidenceHintVi, max: 2000)
        let hintEn = check.optionalText("evidenceHintEn", input.evidenceHintEn, max: 2000)
        let level = Int(Validators.trimmed(input.firstLevel)).flatMap { (1...5).contains($0) ? $0 : nil }
        if level == nil { check.fail("firstLevel", "validation.level") }
        guard check.errors.isEmpty, let level else {
            var page = ControlEditView(req: req, control: control, input: input, errors: check.errors.messages).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
        let before = ["titleVi": control.titleVi, "firstLevel": String(control.firstLevel), "active": String(control.active)]
        control.titleVi = titleVi
        control.titleEn = titleEn
        control.descriptionVi = descriptionVi
        control.descriptionEn = descriptionEn
        control.evidenceHintVi = hintVi
        control.evidenceHintEn = hintEn
        control.firstLevel = level
        control.active = SystemInput.flag(input.active)
        let actor = req.auditActor
        let rules = req.application.rules
        try await req.write { db in
            try await control.save(on: db)
            // Which controls apply changed for every system: plan status follows.
            try await ObligationRefresher.refresh(systemIds: nil, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("control.update", recordType: "control", recordId: control.id?.uuidString,
                                                 before: before, after: ["titleVi": titleVi, "firstLevel": String(level), "active": String(control.active)]),
                                      by: actor, on: db)
        }
        return req.redirect(to: SiteURL.controls.path(query: ["done": "controlUpdated"]) + "#control-\(control.code)")
    }

    static func authorities(req: Request) async throws -> Page {
        let rows = try await LevelAuthority.query(on: req.db).sort(\.$level).all()
        return AuthoritiesView(req: req, rows: rows, failed: nil).render()
    }

    static func updateAuthority(req: Request) async throws -> Response {
        let input = try req.content.decode(AuthorityInput.self)
        var check = InputChecker()
        let level = Int(Validators.trimmed(input.level)).flatMap { (1...5).contains($0) ? $0 : nil }
        if level == nil { check.fail("level", "validation.level") }
        let appraisingVi = check.requiredText("appraisingBodyVi", input.appraisingBodyVi, max: 300)
        let appraisingEn = check.requiredText("appraisingBodyEn", input.appraisingBodyEn, max: 300)
        let approvingVi = check.requiredText("approvingBodyVi", input.approvingBodyVi, max: 300)
        let approvingEn = check.requiredText("approvingBodyEn", input.approvingBodyEn, max: 300)
        let opinionVi = check.optionalText("opinionBodyVi", input.opinionBodyVi, max: 300)
        let opinionEn = check.optionalText("opinionBodyEn", input.opinionBodyEn, max: 300)
        let note = check.optionalText("note", input.note, max: 2000)
        let rows = try await LevelAuthority.query(on: req.db).sort(\.$level).all()
        guard check.errors.isEmpty, let level, let row = rows.first(where: { $0.level == level }) else {
            var page = AuthoritiesView(req: req, rows: rows, failed: (input, check.errors.messages)).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
        let before = ["appraising": row.appraisingBodyVi, "approving": row.approvingBodyVi, "opinion": row.opinionBodyVi]
        row.appraisingBodyVi = appraisingVi
        row.appraisingBodyEn = appraisingEn
        row.approvingBodyVi = approvingVi
        row.approvingBodyEn = approvingEn
        row.opinionBodyVi = opinionVi
        row.opinionBodyEn = opinionEn
        row.note = note
        let actor = req.auditActor
        try await req.write { db in
            try await row.save(on: db)
            try await AuditLog.append(AuditEntry("authority.update", recordType: "level_authority", recordId: row.id?.uuidString,
                                                 before: before, after: ["appraising": appraisingVi, "approving": approvingVi, "opinion": opinionVi]),
                                      by: actor, on: db)
        }
        return req.redirect(to: SiteURL.authorities.path(query: ["done": "authorityUpdated"]))
    }

    private static func find(_ req: Request) async throws -> CatalogueControl {
        guard let id = req.parameters.get("id", as: UUID.self), let control = try await CatalogueControl.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return control
    }
}
