import Foundation
import Domain
import Fluent
import Vapor

/// The four-step level wizard of the 2024 Handbook: identify the system → classify its information →
/// classify the system → proposed level. Steps 1–3 save into the registry; step 4 opens a dossier.
enum WizardController {
    static let steps = 1...4

    /// Form fields per step; a checkbox missing from a posted step means "no".
    static let stepFields: [Int: [String]] = [
        1: ["ownerName", "operatorName", "purpose", "lifecycle", "goLiveDate"],
        2: ["informationClasses", "personalDataSubjects"],
        3: ["functionType", "onlineServiceLevel", "conditionalBusiness", "infrastructureScope", "industrialControl", "operates24x7",
            "nationalEGovernment", "storesNationalData", "nationalImportant"],
    ]

    struct OpenInput: Content, Sendable {
        var proposedLevel: String?
        var justification: String?
    }

    static func show(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: system.requireID())
        let step = min(4, max(1, req.query[Int.self, at: "step"] ?? 1))
        return try await page(req: req, system: system, step: step, input: SystemInput(system), errors: [:])
    }

    static func submit(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let sid = try system.requireID()
        let step = min(4, max(1, req.query[Int.self, at: "step"] ?? 1))
        if step == 4 {
            let input = try req.content.decode(OpenInput.self)
            do {
                let level = Validators.trimmed(input.proposedLevel).isEmpty ? nil : Int(Validators.trimmed(input.proposedLevel)) ?? 0
                let dossier = try await DossierService.open(for: system, justification: input.justification, proposedLevel: level, req: req)
                return req.redirect(to: SiteURL.systemDossier(.value(sid), .value(dossier.id!)).path(query: ["done": "dossierOpened"]))
            } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
                var page = try await page(req: req, system: system, step: 4, input: SystemInput(system), errors: error.fields,
                                          openInput: input, message: error.status == .conflict ? req.t(error.messageKey) : nil)
                page.status = error.status
                return try await page.encodeResponse(for: req)
            }
        }
        let posted = try req.content.decode(SystemInput.self)
        var merged = SystemInput(system)
        merge(posted, into: &merged, step: step)
        do {
            _ = try await SystemService.update(system, with: merged, req: req)
            return req.redirect(to: SiteURL.systemClassify(.value(sid)).path(query: ["step": String(step + 1)]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            var page = try await page(req: req, system: system, step: step, input: merged, errors: error.fields)
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func merge(_ posted: SystemInput, into merged: inout SystemInput, step: Int) {
        switch step {
        case 1:
            merged.ownerName = posted.ownerName
            merged.operatorName = posted.operatorName
            merged.purpose = posted.purpose
            merged.lifecycle = posted.lifecycle
            merged.goLiveDate = posted.goLiveDate
        case 2:
            merged.informationClasses = posted.informationClasses ?? []
            merged.personalDataSubjects = posted.personalDataSubjects
        case 3:
            merged.functionType = posted.functionType
            merged.onlineServiceLevel = posted.onlineServiceLevel
            merged.conditionalBusiness = posted.conditionalBusiness
            merged.infrastructureScope = posted.infrastructureScope
            merged.industrialControl = posted.industrialControl
            merged.operates24x7 = posted.operates24x7
            merged.nationalEGovernment = posted.nationalEGovernment
            merged.storesNationalData = posted.storesNationalData
            merged.nationalImportant = posted.nationalImportant
        default:
            break
        }
    }

    private static func page(req: Request, system: InformationSystem, step: Int, input: SystemInput, errors: [String: String],
                             openInput: OpenInput? = nil, message: String? = nil) async throws -> Page {
        let sid = try system.requireID()
        let components = try await SystemComponent.query(on: req.db).filter(\.$system.$id == sid).sort(\.$position).all()
        let proposal = LevelEngine.evaluate(system.classificationInput(components: components), rules: req.application.rules.classification())
        let openDossier = try await LevelDossier.query(on: req.db).filter(\.$system.$id == sid).all().first(where: \.isOpen)
        return WizardView(req: req, system: system, step: step, input: input, errors: errors, proposal: proposal, components: components,
                          openDossier: openDossier, openInput: openInput, message: message).render()
    }
}
