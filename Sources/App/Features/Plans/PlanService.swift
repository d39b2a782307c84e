import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Response plans: creation with a first draft, editing drafts, approval, new versions. Each change is written
/// with its audit event, and the covered systems' duties are refreshed in the same transaction.
enum PlanService {
    static let approvalRecordType = "plan_approval"

    /// Everything one version holds, for pages, the API and the document.
    struct Content: Sendable {
        var plan: ResponsePlan
        var version: PlanVersion
        var systems: [InformationSystem]
        var scenarios: [(scenario: PlanScenario, steps: [ResponsePhase: [PlanStep]])]
        var contacts: [PlanContact]
        var files: [StoredFile]
    }

    static func create(_ input: PlanContentInput, req: Request) async throws -> (ResponsePlan, PlanVersion) {
        let subject = try req.requireSubject()
        var check = InputChecker()
        let agencyId = check.uuid("agencyId", input.agencyId, required: true)
        let scope = Validators.trimmed(input.scope).isEmpty ? "agency" : Validators.trimmed(input.scope)
        if !["system", "agency"].contains(scope) { check.fail("scope", "validation.unknownValue") }
        if let agencyId {
            if try await Agency.visible(agencyId, to: subject, on: req.db) == nil { check.fail("agencyId", "validation.unknownAgency") }
            else if !Policy.can(subject, .editPlans, .owned(agencyId: agencyId)) { check.fail("agencyId", "plans.notYours") }
        }
        // Every bad field at once: the plan's own fields and its content.
        var valid: PlanContentInput.Valid?
        do {
            valid = try await input.validate(agencyId: agencyId ?? UUID(), subject: subject, library: req.application.rules.scenarios(),
                                             requireSystems: true, on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity {
            var all = check.errors
            for (k, v) in error.fields { all.add(k, v) }
            throw AppError.validation(all)
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        let content = valid!
        let actor = req.auditActor
        let rules = req.application.rules
        let library = rules.scenarios()
        return try await req.write { db in
            let plan = ResponsePlan()
            plan.agencyId = agencyId!
            plan.title = content.title
            plan.scope = scope
            try await plan.create(on: db)
            let version = PlanVersion()
            version.planId = try plan.requireID()
            version.number = 1
            version.state = .draft
            version.createdByName = actor.label
            version.version = 1
            try await version.create(on: db)
            try await writeContent(content, into: version, library: library, on: db)
            try await AuditLog.append(AuditEntry("plan.create", recordType: "plan", recordId: plan.id?.uuidString, agencyId: plan.agencyId,
                                                 after: ["title": plan.title, "systems": String(content.systemIds.count),
                                                         "scenarios": content.scenarios.map(\.template.id).joined(separator: ",")]), by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: content.systemIds, rules: rules, on: db)
            return (plan, version)
        }
    }

    /// Replaces a draft's content. Approved and superseded versions are never changed.
    static func update(_ version: PlanVersion, of plan: ResponsePlan, with input: PlanContentInput, req: Request) async throws {
        let subject = try req.requireSubject()
        let vid = try version.requireID()
        try await req.authorize(.editPlans, .owned(agencyId: plan.agencyId), readAction: .viewResponse, recordType: "plan", recordId: plan.requireID())
        guard version.state == .draft else { throw AppError.conflict("plan_not_draft", messageKey: "plans.notDraft") }
        if let opened = input.version, opened != version.version { throw AppError.conflict("plan_changed", messageKey: "plans.changedMeanwhile") }
        let valid = try await input.validate(agencyId: plan.agencyId, subject: subject, library: req.application.rules.scenarios(),
                                             requireSystems: false, on: req.db)
        // A draft does not count for any duty, so editing it refreshes none.
        let actor = req.auditActor
        let library = req.application.rules.scenarios()
        let expected = version.version
        try await req.write { db in
            let sql = db as! any SQLDatabase
            let claimed = try await sql.update(PlanVersion.schema).set("version", to: SQLBind(expected + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(vid)).where("version", .equal, SQLBind(expected)).where("state", .equal, SQLBind(PlanVersionState.draft.rawValue))
                .returning("id").all()
            guard !claimed.isEmpty else { throw AppError.conflict("plan_changed", messageKey: "plans.changedMeanwhile") }
            version.version = expected + 1
            try await clearContent(of: vid, on: db)
            version.resources = valid.resources
            version.notes = valid.notes
            try await version.save(on: db)
            plan.title = valid.title
            try await plan.save(on: db)
            try await writeContent(valid, into: version, library: library, on: db)
            try await AuditLog.append(AuditEntry("plan.version.update", recordType: "plan", recordId: plan.id?.uuidString, agencyId: plan.agencyId,
                                                 after: ["version": String(version.number), "systems": String(valid.systemIds.count),
                                                         "scenarios": valid.scenarios.map(\.template.id).joined(separator: ",")]), by: actor, on: db)
        }
    }

    /// Approves a draft: the version in force before it is superseded, and the covered systems' revisions are kept
    /// so that a later change of a system makes the plan stale.
    static func approve(_ version: PlanVersion, of plan: ResponsePlan, with input: PlanApprovalInput, req: Request) async throws {
        let vid = try version.requireID()
        let pid = try plan.requireID()
        try await req.authorize(.approvePlans, .owned(agencyId: plan.agencyId), readAction: .viewResponse, recordType: "plan", recordId: pid)
        guard version.state == .draft else { throw AppError.conflict("plan_not_draft", messageKey: "plans.notDraft") }
        let valid = try input.validate()
        let systems = try await PlanVersionSystem.query(on: req.db).filter(\.$planVersionId == vid).all()
        let scenarios = try await PlanScenario.query(on: req.db).filter(\.$planVersionId == vid).count()
        var check = InputChecker()
        if systems.isEmpty { check.fail("systemIds", "plans.systemsRequired") }
        if scenarios == 0 { check.fail("scenarios", "plans.scenariosRequired") }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        let userId = req.currentUser?.id
        let expected = input.version ?? version.version
        try await req.write { db in
            let sql = db as! any SQLDatabase
            let now = Date()
            let claimed = try await sql.update(PlanVersion.schema)
                .set("state", to: SQLBind(PlanVersionState.approved.rawValue)).set("approved_at", to: SQLBind(now))
                .set("approver_name", to: SQLBind(valid.approverName)).set("decision_number", to: SQLBind(valid.decisionNumber))
                .set("decision_date", to: SQLBind(valid.decisionDate)).set("approval_recorded_by", to: SQLBind(userId))
                .set("version", to: SQLBind(expected + 1)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(vid)).where("state", .equal, SQLBind(PlanVersionState.draft.rawValue))
                .where("version", .equal, SQLBind(expected)).returning("id").all()
            guard !claimed.isEmpty else { throw AppError.conflict("plan_changed", messageKey: "plans.changedMeanwhile") }
            try await sql.update(PlanVersion.schema).set("state", to: SQLBind(PlanVersionState.superseded.rawValue))
                .where("plan_id", .equal, SQLBind(pid)).where("state", .equal, SQLBind(PlanVersionState.approved.rawValue))
                .where("id", .notEqual, SQLBind(vid)).run()
            let current = Dictionary(uniqueKeysWithValues: try await InformationSystem.query(on: db).filter(\.$id ~~ systems.map(\.systemId)).all()
                .map { ($0.id!, $0.revision) })
            for link in systems {
                link.systemRevision = current[link.systemId]
                try await link.save(on: db)
            }
            _ = try await StoredFileService.record(files, recordType: approvalRecordType, recordId: vid, agencyId: plan.agencyId, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("plan.approve", recordType: "plan", recordId: pid.uuidString, agencyId: plan.agencyId,
                                                 after: ["version": String(version.number), "decisionNumber": valid.decisionNumber,
                                                         "approver": valid.approverName]), by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: try await ResponseObligationRefresher.systemsOf(planId: pid, on: db), rules: rules, on: db)
        }
    }

    /// Starts a new draft from the approved version (or the latest one); an existing draft is returned instead.
    static func newVersion(of plan: ResponsePlan, req: Request) async throws -> PlanVersion {
        let pid = try plan.requireID()
        try await req.authorize(.editPlans, .owned(agencyId: plan.agencyId), readAction: .viewResponse, recordType: "plan", recordId: pid)
        let actor = req.auditActor
        return try await req.write { db in
            let versions = try await PlanVersion.query(on: db).filter(\.$planId == pid).sort(\.$number, .descending).all()
            if let draft = versions.first(where: { $0.state == .draft }) { return draft }
            guard let base = versions.first(where: { $0.state == .approved }) ?? versions.first else { throw AppError.notFound }
            let copy = PlanVersion()
            copy.planId = pid
            copy.number = (versions.first?.number ?? 0) + 1
            copy.state = .draft
            copy.resources = base.resources
            copy.notes = base.notes
            copy.createdByName = actor.label
            copy.version = 1
            try await copy.create(on: db)
            let cid = try copy.requireID()
            let bid = try base.requireID()
            for s in try await PlanVersionSystem.query(on: db).filter(\.$planVersionId == bid).all() {
                try await PlanVersionSystem(versionId: cid, systemId: s.systemId).create(on: db)
            }
            for s in try await PlanScenario.query(on: db).filter(\.$planVersionId == bid).sort(\.$position).all() {
                let n = PlanScenario()
                n.planVersionId = cid
                n.position = s.position
                n.scenarioId = s.scenarioId
                n.templateVersion = s.templateVersion
                n.title = s.title
                try await n.create(on: db)
                for step in try await PlanStep.query(on: db).filter(\.$planScenarioId == s.requireID()).all() {
                    let m = PlanStep()
                    m.planScenarioId = try n.requireID()
                    m.phase = step.phase
                    m.position = step.position
                    m.text = step.text
                    m.sourceStepId = step.sourceStepId
                    try await m.create(on: db)
                }
            }
            for c in try await PlanContact.query(on: db).filter(\.$planVersionId == bid).all() {
                let n = PlanContact()
                n.planVersionId = cid
                n.position = c.position
                n.name = c.name
                n.role = c.role
                n.phone = c.phone
                n.email = c.email
                try await n.create(on: db)
            }
            try await AuditLog.append(AuditEntry("plan.version.create", recordType: "plan", recordId: pid.uuidString, agencyId: plan.agencyId,
                                                 after: ["version": String(copy.number), "from": String(base.number)]), by: actor, on: db)
            return copy
        }
    }

    // MARK: content

    private static func clearContent(of vid: UUID, on db: any Database) async throws {
        let scenarioIds = try await PlanScenario.query(on: db).filter(\.$planVersionId == vid).all().compactMap(\.id)
        if !scenarioIds.isEmpty { try await PlanStep.query(on: db).filter(\.$planScenarioId ~~ scenarioIds).delete() }
        try await PlanScenario.query(on: db).filter(\.$planVersionId == vid).delete()
        try await PlanContact.query(on: db).filter(\.$planVersionId == vid).delete()
        try await PlanVersionSystem.query(on: db).filter(\.$planVersionId == vid).delete()
    }

    private static func writeContent(_ valid: PlanContentInput.Valid, into version: PlanVersion, library: ScenarioLibrary, on db: any Database) async throws {
        let vid = try version.requireID()
        for sid in valid.systemIds { try await PlanVersionSystem(versionId: vid, systemId: sid).create(on: db) }
        for (i, s) in valid.scenarios.enumerated() {
            let row = PlanScenario()
            row.planVersionId = vid
            row.position = i
            row.scenarioId = s.template.id
            row.templateVersion = library.header.version
            row.title = s.template.title.vi
            try await row.create(on: db)
            for phase in ResponsePhase.allCases {
                for (j, step) in (s.steps[phase] ?? []).enumerated() {
                    let m = PlanStep()
                    m.planScenarioId = try row.requireID()
                    m.phase = phase
                    m.position = j
                    m.text = step.text
                    m.sourceStepId = step.source
                    try await m.create(on: db)
                }
            }
        }
        for (i, c) in valid.contacts.enumerated() {
            let row = PlanContact()
            row.planVersionId = vid
            row.position = i
            row.name = c.name
            row.role = c.role
            row.phone = c.phone
            row.email = c.email
            try await row.create(on: db)
        }
    }

    static func content(_ plan: ResponsePlan, _ version: PlanVersion, on db: any Database) async throws -> Content {
        let vid = try version.requireID()
        let links = try await PlanVersionSystem.query(on: db).filter(\.$planVersionId == vid).all()
        let systems = links.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ links.map(\.systemId)).sort(\.$code).all()
        let scenarios = try await PlanScenario.query(on: db).filter(\.$planVersionId == vid).sort(\.$position).all()
        let steps = scenarios.isEmpty ? [] : try await PlanStep.query(on: db).filter(\.$planScenarioId ~~ scenarios.compactMap(\.id)).sort(\.$position).all()
        let grouped = Dictionary(grouping: steps, by: \.planScenarioId)
        let contacts = try await PlanContact.query(on: db).filter(\.$planVersionId == vid).sort(\.$position).all()
        let files = try await StoredFileService.files(recordType: approvalRecordType, recordIds: [vid], on: db)[vid] ?? []
        return Content(plan: plan, version: version, systems: systems,
                       scenarios: scenarios.map { s in (s, Dictionary(grouping: grouped[s.id!] ?? [], by: \.phase)) },
                       contacts: contacts, files: files)
    }

    // MARK: lookups

    static func find(_ req: Request) async throws -> ResponsePlan {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let plan = try await ResponsePlan.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return plan
    }

    static func findVersion(_ req: Request, of plan: ResponsePlan) async throws -> PlanVersion {
        guard let vid = req.parameters.get("vid", as: UUID.self),
              let version = try await PlanVersion.query(on: req.db).filter(\.$id == vid).filter(\.$planId == plan.requireID()).first() else {
            throw AppError.notFound
        }
        return version
    }

    static func versions(of plan: ResponsePlan, on db: any Database) async throws -> [PlanVersion] {
        try await PlanVersion.query(on: db).filter(\.$planId == plan.requireID()).sort(\.$number, .descending).all()
    }

    /// The version shown by default: the approved one, else the newest.
    static func current(_ versions: [PlanVersion]) -> PlanVersion? {
        versions.first { $0.state == .approved } ?? versions.first
    }
}
