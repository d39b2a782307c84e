import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/systems` and its sub-resources, and `/api/v1/classification/evaluate`.
enum SystemsAPIController {
    static func list(req: Request) async throws -> Paged<SystemDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        var filters: [String: String] = [:]
        for key in SystemsIndex.filterKeys { if let v = req.query[String.self, at: key], !v.isEmpty { filters[key] = v } }
        if let level = filters["level"], level != "none", Int(level).map({ (1...5).contains($0) }) != true {
            throw AppError.validation(FieldErrors(["level": "validation.level"]))
        }
        if let v = filters["lifecycle"], LifecycleStatus(rawValue: v) == nil { throw AppError.validation(FieldErrors(["lifecycle": "validation.unknownValue"])) }
        if let v = filters["functionType"], FunctionType(rawValue: v) == nil { throw AppError.validation(FieldErrors(["functionType": "validation.unknownValue"])) }
        if let v = filters["status"], !["unapproved", "redetermine", "overdue"].contains(v) { throw AppError.validation(FieldErrors(["status": "validation.unknownValue"])) }
        if let v = filters["agency"], UUID(uuidString: v) == nil { throw AppError.validation(FieldErrors(["agency": "validation.invalidId"])) }
        var list = ListQuery(req: req, filterKeys: [], sortKeys: [])
        list.filters = filters
        guard let query = try await SystemsIndex.filtered(subject: subject, list: list, on: req.db) else {
            return Paged(items: [], total: 0, page: params.page, per: params.per)
        }
        let (items, total) = try await params.apply(query.sort(\.$code))
        return Paged(items: items.map { SystemDTO($0) }, total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> SystemDTO {
        let system = try await SystemService.find(req)
        let components = try await SystemComponent.query(on: req.db).filter(\.$system.$id == system.requireID()).sort(\.$position).all()
        return SystemDTO(system, components: components)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(SystemWriteDTO.self)
        let system = try await SystemService.create(body.merged(into: SystemInput()), req: req)
        let response = Response(status: .created)
        try response.content.encode(SystemDTO(system, components: []))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.system(.value(system.id!))).path)
        return response
    }

    static func update(req: Request) async throws -> SystemDTO {
        let system = try await SystemService.find(req)
        let body = try req.content.decode(SystemWriteDTO.self)
        let updated = try await SystemService.update(system, with: body.merged(into: SystemInput(system)), req: req)
        let components = try await SystemComponent.query(on: req.db).filter(\.$system.$id == system.requireID()).sort(\.$position).all()
        return SystemDTO(updated, components: components)
    }

    static func delete(req: Request) async throws -> HTTPStatus {
        try await SystemService.delete(try await SystemService.find(req), req: req)
        return .noContent
    }

    // MARK: components

    static func components(req: Request) async throws -> [ComponentDTO] {
        let system = try await SystemService.find(req)
        return try await SystemComponent.query(on: req.db).filter(\.$system.$id == system.requireID()).sort(\.$position).all().map(ComponentDTO.init)
    }

    static func addComponent(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let body = try req.content.decode(ComponentWriteDTO.self)
        let component = try await SystemService.addComponent(body.merged(into: ComponentInput()), to: system, req: req)
        let response = Response(status: .created)
        try response.content.encode(ComponentDTO(component))
        return response
    }

    static func updateComponent(req: Request) async throws -> ComponentDTO {
        let system = try await SystemService.find(req)
        let component = try await SystemService.findComponent(req, in: system)
        let body = try req.content.decode(ComponentWriteDTO.self)
        let base = ComponentInput(name: component.name, vendor: component.vendor, product: component.product, version: component.version,
                                  cpe: component.cpe, level: component.level.map(String.init))
        try await SystemService.updateComponent(component, in: system, with: body.merged(into: base), req: req)
        return ComponentDTO(component)
    }

    static func deleteComponent(req: Request) async throws -> HTTPStatus {
        let system = try await SystemService.find(req)
        let component = try await SystemService.findComponent(req, in: system)
        try await SystemService.deleteComponent(component, in: system, req: req)
        return .noContent
    }

    // MARK: revisions, dossiers, controls, obligations

    static func revisions(req: Request) async throws -> [RevisionDTO] {
        let system = try await SystemService.find(req)
        let revisions = try await SystemRevision.query(on: req.db).filter(\.$system.$id == system.requireID()).sort(\.$number, .descending).all()
        let snapshots = revisions.map { SystemSnapshot.decode($0.snapshot) }
        return revisions.enumerated().map { index, r in
            let previous = index + 1 < snapshots.count ? snapshots[index + 1] : nil
            let changes = snapshots[index]?.changes(from: previous) ?? []
            return RevisionDTO(number: r.number, changedAt: r.changedAt, changedBy: r.changedByName, action: r.action,
                               changes: changes.map { .init(field: $0.field, before: $0.before, after: $0.after) })
        }
    }

    static func dossiers(req: Request) async throws -> [DossierDTO] {
        let system = try await SystemService.find(req)
        let dossiers = try await LevelDossier.query(on: req.db).filter(\.$system.$id == system.requireID()).sort(\.$createdAt, .descending).all()
        let steps = dossiers.isEmpty ? [] : try await DossierStep.query(on: req.db).filter(\.$dossier.$id ~~ dossiers.compactMap(\.id)).sort(\.$at).all()
        let byDossier = Dictionary(grouping: steps, by: { $0.$dossier.id })
        return dossiers.map { DossierDTO($0, steps: byDossier[$0.id!] ?? []) }
    }

    struct OpenDossierBody: Content {
        var proposedLevel: Int?
        var justification: String?
    }

    static func openDossier(req: Request) async throws -> Response {
        let system = try await SystemService.find(req)
        let body = try req.content.decode(OpenDossierBody.self)
        let dossier = try await DossierService.open(for: system, justification: body.justification, proposedLevel: body.proposedLevel, req: req)
        let response = Response(status: .created)
        try response.content.encode(DossierDTO(dossier, steps: []))
        return response
    }

    struct TransitionBody: Content {
        var transition: String
        var comment: String?
        var decisionNumber: String?
        var decisionDate: String?
    }

    static func transition(req: Request) async throws -> DossierDTO {
        let system = try await SystemService.find(req)
        let dossier = try await DossierService.find(req, system: system)
        let body = try req.content.decode(TransitionBody.self)
        guard let transition = DossierTransition(rawValue: body.transition) else {
            throw AppError.validation(FieldErrors(["transition": "validation.unknownValue"]))
        }
        var input = DossierService.StepInput()
        input.comment = body.comment
        input.decisionNumber = body.decisionNumber
        input.decisionDate = body.decisionDate
        try await DossierService.apply(transition, to: dossier, system: system, input: input, req: req)
        guard let fresh = try await LevelDossier.find(dossier.requireID(), on: req.db) else { throw AppError.notFound }
        let steps = try await DossierStep.query(on: req.db).filter(\.$dossier.$id == fresh.requireID()).sort(\.$at).all()
        return DossierDTO(fresh, steps: steps)
    }

    static func controls(req: Request) async throws -> ControlsDTO {
        let system = try await SystemService.find(req)
        let rows = try await ControlsQuery.rows(for: system, on: req.db)
        let progress = ControlPlan.progress(statuses: rows.map(\.status))
        let lang = req.lang.rawValue
        return ControlsDTO(level: ControlsQuery.level(for: system), planStatus: progress.status, percent: progress.percent, controls: rows.map { r in
            ControlAssessmentDTO(controlId: r.control.id!, code: r.control.code, group: r.control.groupId, firstLevel: r.control.firstLevel,
                                 title: r.control.title(lang), status: r.status, effectiveDate: r.assessment?.effectiveDate.map(DisplayTime.isoDay),
                                 justification: r.assessment?.justification, evidenceLinks: InventoryValidators.lines(r.assessment?.evidenceLinks))
        })
    }

    struct ControlBody: Content {
        var status: String?
        var effectiveDate: String?
        var justification: String?
        var evidenceLinks: [String]?
    }

    static func updateControl(req: Request) async throws -> ControlsDTO {
        let system = try await SystemService.find(req)
        let control = try await ControlAssessmentService.applicableControl(req, system: system)
        let body = try req.content.decode(ControlBody.self)
        let links = (body.evidenceLinks ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let input = SystemControlsController.ControlInput(status: body.status, effectiveDate: body.effectiveDate, justification: body.justification,
                                                          evidenceLinks: links.isEmpty ? nil : links.joined(separator: "\n"))
        try await ControlAssessmentService.save(input, files: [], control: control, system: system, req: req)
        return try await controls(req: req)
    }

    static func obligations(req: Request) async throws -> [ObligationDTO] {
        let system = try await SystemService.find(req)
        return try await Obligation.query(on: req.db).filter(\.$subjectId == system.requireID()).sort(\.$dutyId).all()
            .map { ObligationDTO($0, lang: req.lang.rawValue) }
    }

    static func allObligations(req: Request) async throws -> Paged<ObligationDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = Obligation.scoped(to: subject, on: req.db).sort(\.$dueAt).sort(\.$dutyId)
        if let raw = req.query[String.self, at: "state"] {
            guard let state = ObligationState(rawValue: raw) else { throw AppError.validation(FieldErrors(["state": "validation.unknownValue"])) }
            query.filter(\.$state == state)
        }
        if let duty = req.query[String.self, at: "duty"] { query.filter(\.$dutyId == duty) }
        let (items, total) = try await params.apply(query)
        return Paged(items: items.map { ObligationDTO($0, lang: req.lang.rawValue) }, total: total, page: params.page, per: params.per)
    }

    /// System facts in, proposed level with per-criterion reasons out. Stores nothing.
    static func evaluate(req: Request) async throws -> LevelProposal {
        guard let buffer = req.body.data else { throw AppError.validation(FieldErrors(["body": "validation.json"])) }
        switch ClassificationInputDecoder.decode(Data(buffer.readableBytesView)) {
        case .success(let input): return LevelEngine.evaluate(input, rules: req.application.rules.classification())
        case .failure(let errors): throw AppError.validation(errors)
        }
    }
}

extension LevelProposal: Content {}
