import Foundation
import Domain
import Fluent
import Formats
import Vapor

/// A level dossier's page, its workflow steps and its explanation document.
enum DossierController {
    static func show(req: Request) async throws -> Page {
        let system = try await SystemService.find(req)
        let dossier = try await DossierService.find(req, system: system)
        return try await page(req: req, system: system, dossier: dossier, failed: nil)
    }

    static func step(_ transition: DossierTransition) -> @Sendable (Request) async throws -> Response {
        { req in
            let system = try await SystemService.find(req)
            let dossier = try await DossierService.find(req, system: system)
            let input = try req.content.decode(DossierService.StepInput.self)
            do {
                try await DossierService.apply(transition, to: dossier, system: system, input: input, req: req)
                return req.redirect(to: SiteURL.systemDossier(.value(system.id!), .value(dossier.id!)).path(query: ["done": "dossier_\(transition.rawValue)"]))
            } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
                var form = input
                form.files = nil
                var page = try await page(req: req, system: system, dossier: dossier, failed: (transition, form, error))
                page.status = error.status
                return try await page.encodeResponse(for: req)
            }
        }
    }

    static func docx(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let dossier = try await DossierService.find(req, system: system)
        let data = try await explanationDocx(system: system, dossier: dossier, rules: req.application.rules, on: req.db, t: Localizer(lang: .vi))
        try await req.audit(AuditEntry("export.levelExplanation", recordType: "dossier", recordId: dossier.id?.uuidString, agencyId: system.$agency.id))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: FileSniffer.docx.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment("thuyet-minh-cap-do-\(system.code).docx"))
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func explanationDocx(system: InformationSystem, dossier: LevelDossier, rules: RuleBook, on db: any Database, t: Localizer) async throws -> Data {
        guard let input = dossier.input, let proposal = dossier.proposal else { throw AppError.notFound }
        let agency = try await Agency.find(system.$agency.id, on: db)
        let parent = try await agency?.$parent.id.asyncFlatMap { try await Agency.find($0, on: db) }
        let tree = try await AgencyTreeQuery.tree(on: db)
        let chain = try await Agency.query(on: db).filter(\.$id ~~ tree.ancestors(of: system.$agency.id)).all()
        let committee: Agency?
        if let own = chain.first(where: { $0.kind == .provincialCommittee }) {
            committee = own
        } else {
            committee = try await Agency.query(on: db).filter(\.$kind == .provincialCommittee).sort(\.$code).first()
        }
        let components = try await SystemComponent.query(on: db).filter(\.$system.$id == system.requireID()).sort(\.$position).all()
        let facts = LevelExplanationDocument.Facts(
            system: .init(name: system.name, code: system.code, ownerName: system.ownerName, operatorName: system.operatorName,
                          purpose: system.purpose, lifecycle: system.lifecycle, goLiveDate: system.goLiveDate,
                          hosting: t("hosting.\(system.hosting.rawValue)") + (system.hostingProvider.map { " (\($0))" } ?? ""),
                          components: components.map { c in
                              (c.name, [c.vendor, c.product, c.version].compactMap { $0 }.joined(separator: " "), c.level.map { "Cấp độ \($0)" } ?? "—")
                          }),
            dossier: .init(proposedLevel: dossier.proposedLevel, computedLevel: dossier.computedLevel, input: input, proposal: proposal,
                           justification: dossier.justification, appraisingBody: dossier.appraisingBody, approvingBody: dossier.approvingBody),
            agencyName: agency?.name ?? "", parentAgencyName: parent?.name, agencyCode: agency?.code ?? "",
            place: committee.map { LevelExplanationDocument.place(fromRootName: $0.name) } ?? "……………", date: Date(),
            basis: rules.levelExplanationBasis(at: Date()).citations)
        return try DocxWriter.write(LevelExplanationDocument.build(facts, t: t))
    }

    private static func page(req: Request, system: InformationSystem, dossier: LevelDossier,
                             failed: (DossierTransition, DossierService.StepInput, AppError)?) async throws -> Page {
        let steps = try await DossierStep.query(on: req.db).filter(\.$dossier.$id == dossier.requireID()).sort(\.$at).all()
        let files = try await StoredFileService.files(recordType: "dossier_step", recordIds: steps.compactMap(\.id), on: req.db)
        let authority = try await LevelAuthority.query(on: req.db).filter(\.$level == dossier.proposedLevel).first()
        return DossierView(req: req, system: system, dossier: dossier, steps: steps, files: files, authority: authority,
                           workflow: req.application.rules.workflow(), failed: failed).render()
    }
}
