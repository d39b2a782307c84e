import Foundation
import Domain
import Fluent
import Vapor

/// Response plan pages and the scenario library.
enum PlansController {
    static func index(req: Request) async throws -> Page {
        PlansIndex.View(req: req, model: try await PlansIndex.query(subject: try req.requireSubject(),
                                                                  systemId: req.query[String.self, at: "systemId"].flatMap(UUID.init(uuidString:)), on: req.db)).render()
    }

    static func scenarios(req: Request) async throws -> Page {
        ScenariosView(req: req, library: req.application.rules.scenarios()).render()
    }

    static func new(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        var form = PlanForm()
        form.agencyId = req.query[String.self, at: "agencyId"] ?? subject.agencyId?.uuidString.lowercased()
        if let system = req.query[String.self, at: "systemId"] {
            form.systemIds = [system]
            form.scope = "system"
        }
        form.scenarioIds = ["ransomware", "ddos", "defacement", "data_leak"]
        return try await formPage(req: req, editing: nil, form: form, input: nil, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        let (form, input) = try PlanForm.read(req)
        do {
            let (plan, version) = try await PlanService.create(input, req: req)
            return req.redirect(to: SiteURL.plans(.version(.value(plan.id!), .value(version.id!))).path(query: ["done": "planCreated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await formPage(req: req, editing: nil, form: form, input: input, errors: error.fields, status: .unprocessableEntity)
                .encodeResponse(for: req)
        }
    }

    static func show(req: Request) async throws -> Page {
        let plan = try await PlanService.find(req)
        let versions = try await PlanService.versions(of: plan, on: req.db)
        guard let version = PlanService.current(versions) else { throw AppError.notFound }
        return try await showPage(req: req, plan: plan, version: version, versions: versions)
    }

    static func version(req: Request) async throws -> Page {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        return try await showPage(req: req, plan: plan, version: version, versions: try await PlanService.versions(of: plan, on: req.db))
    }

    static func edit(req: Request) async throws -> Response {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        try await req.authorize(.editPlans, .owned(agencyId: plan.agencyId), readAction: .viewResponse, recordType: "plan", recordId: plan.requireID())
        guard version.state == .draft else { return req.redirect(to: SiteURL.plans(.version(.value(plan.id!), .value(version.id!))).path) }
        let content = try await PlanService.content(plan, version, on: req.db)
        var form = PlanForm()
        form.title = plan.title
        form.systemIds = content.systems.map { $0.id!.uuidString.lowercased() }
        form.scenarioIds = content.scenarios.map(\.scenario.scenarioId)
        form.resources = version.resources
        form.notes = version.notes
        form.contacts = PlanForm.contactLines(content.contacts)
        form.version = version.version
        return try await formPage(req: req, editing: (plan, version), form: form, input: PlanContentInput(content), errors: [:]).encodeResponse(for: req)
    }

    static func update(req: Request) async throws -> Response {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        var (form, input) = try PlanForm.read(req)
        input.scope = plan.scope
        do {
            try await PlanService.update(version, of: plan, with: input, req: req)
            return req.redirect(to: SiteURL.plans(.version(.value(plan.id!), .value(version.id!))).path(query: ["done": "planUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "plan_changed" {
            if error.code == "plan_changed" { form.version = version.version }
            let fields = error.code == "plan_changed" ? ["form": error.messageKey] : error.fields
            return try await formPage(req: req, editing: (plan, version), form: form, input: input, errors: fields, status: error.status)
                .encodeResponse(for: req)
        }
    }

    static func approve(req: Request) async throws -> Response {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        var input = try req.content.decode(PlanApprovalInput.self)
        do {
            try await PlanService.approve(version, of: plan, with: input, req: req)
            return req.redirect(to: SiteURL.plans(.version(.value(plan.id!), .value(version.id!))).path(query: ["done": "planApproved"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            input.files = nil
            var page = try await showPage(req: req, plan: plan, version: version, versions: try await PlanService.versions(of: plan, on: req.db),
                                          approvalInput: input, approvalErrors: error.fields)
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func newVersion(req: Request) async throws -> Response {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.newVersion(of: plan, req: req)
        return req.redirect(to: SiteURL.plans(.versionEdit(.value(plan.id!), .value(version.id!))).path)
    }

    static func docx(req: Request) async throws -> Response {
        let plan = try await PlanService.find(req)
        let version = try await PlanService.findVersion(req, of: plan)
        let content = try await PlanService.content(plan, version, on: req.db)
        let data = try await PlanDocument.docx(content, rules: req.application.rules, on: req.db)
        try await req.audit(AuditEntry("export.responsePlan", recordType: "plan", recordId: plan.id?.uuidString, agencyId: plan.agencyId,
                                       details: ["version": String(version.number)]))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: FileSniffer.docx.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment("phuong-an-ung-cuu-v\(version.number).docx"))
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    // MARK: helpers

    private static func showPage(req: Request, plan: ResponsePlan, version: PlanVersion, versions: [PlanVersion],
                                 approvalInput: PlanApprovalInput = PlanApprovalInput(), approvalErrors: [String: String] = [:]) async throws -> Page {
        let content = try await PlanService.content(plan, version, on: req.db)
        let stale = try await Obligation.query(on: req.db).filter(\.$dutyId == ResponseDuty.planStale.rawValue)
            .filter(\.$subjectId ~~ content.systems.compactMap(\.id)).filter(\.$state ~~ [.overdue, .dueSoon]).all()
        return PlanShowView(req: req, content: content, versions: versions, stale: Dictionary(stale.map { ($0.subjectId, $0) }) { a, _ in a },
                            approvalInput: approvalInput, approvalErrors: approvalErrors).render()
    }

    private static func formPage(req: Request, editing: (plan: ResponsePlan, version: PlanVersion)?, form: PlanForm, input: PlanContentInput?,
                                 errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Page {
        let subject = try req.requireSubject()
        let library = req.application.rules.scenarios()
        let agencies = try await SystemsController.agencyChoices(subject: subject, req: req, editable: false)
            .filter { Policy.can(subject, .editPlans, .owned(agencyId: $0.id)) }
        // Systems offered: those of the plan's agency and below (or every visible one before an agency is chosen).
        let query = InformationSystem.scoped(to: subject, on: req.db).sort(\.$code)
        if let agency = editing?.plan.agencyId ?? form.agencyId.flatMap(UUID.init(uuidString:)) {
            let tree = try await AgencyTreeQuery.tree(on: req.db)
            query.filter(\.$agency.$id ~~ Array(tree.subtree(of: agency)))
        }
        let systems = try await query.all()
        var steps: [String: [ResponsePhase: [String]]] = [:]
        for id in form.scenarioIds ?? [] {
            guard let template = library.scenario(id) else { continue }
            let given = input?.scenarios.first { $0.scenarioId == id }?.steps
            steps[id] = Dictionary(uniqueKeysWithValues: ResponsePhase.allCases.map { p in (p, given?[p] ?? template.steps(p).map(\.text.vi)) })
        }
        var page = PlanFormView(req: req, editing: editing, form: form, steps: steps, errors: errors, agencies: agencies, systems: systems,
                                library: library).render()
        page.status = status
        return page
    }
}
