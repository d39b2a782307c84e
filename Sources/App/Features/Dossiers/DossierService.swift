import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Level dossiers: opening one from the wizard's evaluation and moving it through the workflow.
enum DossierService {
    struct StepInput: Content, Sendable {
        var comment: String?
        var decisionNumber: String?
        var decisionDate: String?
        var files: [File]?
    }

    /// Opens a draft with the engine's evaluation of the system's current facts. One open dossier per system.
    static func open(for system: InformationSystem, justification: String?, proposedLevel: Int?, req: Request) async throws -> LevelDossier {
        let sid = try system.requireID()
        try await req.authorize(.submitDossier, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: sid)
        var check = InputChecker()
        let justification = check.optionalText("justification", justification, max: 8000)
        let components = try await SystemComponent.query(on: req.db).filter(\.$system.$id == sid).sort(\.$position).all()
        let input = system.classificationInput(components: components)
        let rules = req.application.rules
        let proposal = LevelEngine.evaluate(input, rules: rules.classification())
        let level = proposedLevel ?? proposal.level
        if !(1...5).contains(level) { check.fail("proposedLevel", "validation.level") }
        if level != proposal.level && justification == nil { check.fail("justification", "dossier.justifyOverride") }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        let actor = req.auditActor
        do {
            return try await openDossier(system: system, sid: sid, input: input, proposal: proposal, level: level,
                                         justification: justification, actor: actor, req: req)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The one-open-dossier index caught a concurrent request.
            throw AppError.conflict("dossier_open", messageKey: "dossier.alreadyOpen")
        }
    }

    private static func openDossier(system: InformationSystem, sid: UUID, input: ClassificationInput, proposal: LevelProposal, level: Int,
                                    justification: String?, actor: AuditActor, req: Request) async throws -> LevelDossier {
        try await req.write { db in
            if try await LevelDossier.query(on: db).filter(\.$system.$id == sid)
                .filter(\.$state ~~ [.draft, .awaitingOpinion, .submittedForAppraisal, .returnedForRevision, .appraised, .submittedForApproval])
                .count() > 0 {
                throw AppError.conflict("dossier_open", messageKey: "dossier.alreadyOpen")
            }
            let dossier = LevelDossier()
            dossier.$system.id = sid
            dossier.state = .draft
            dossier.proposedLevel = level
            dossier.computedLevel = proposal.level
            dossier.ruleId = proposal.ruleId
            dossier.ruleVersion = proposal.ruleVersion
            dossier.inputJSON = encode(input)
            dossier.evaluationJSON = encode(proposal)
            dossier.justification = justification
            dossier.hasOpinion = false
            dossier.createdBy = actor.userId
            try await dossier.create(on: db)
            try await AuditLog.append(AuditEntry("dossier.open", recordType: "dossier", recordId: dossier.id?.uuidString,
                                                 agencyId: system.$agency.id,
                                                 after: ["system": system.code, "level": String(level), "rule": "\(proposal.ruleId)@\(proposal.ruleVersion)"]),
                                      by: actor, on: db)
            return dossier
        }
    }

    /// Applies one workflow step for the caller, with its comment, decision and documents.
    static func apply(_ transition: DossierTransition, to dossier: LevelDossier, system: InformationSystem, input: StepInput,
                      req: Request) async throws {
        let did = try dossier.requireID()
        let sid = try system.requireID()
        let agencyId = system.$agency.id
        try await req.authorize(transition.action, .owned(agencyId: agencyId), readAction: .viewSystems, recordType: "dossier", recordId: did)
        let rules = req.application.rules
        let workflow = rules.workflow()
        guard let target = transition.target(from: dossier.state, level: dossier.proposedLevel, rules: workflow, hasOpinion: dossier.hasOpinion) else {
            throw AppError.conflict("dossier_transition_not_allowed", messageKey: "dossier.transitionNotAllowed")
        }
        var check = InputChecker()
        let comment = check.optionalText("comment", input.comment, max: 8000)
        if transition.requiresComment && comment == nil { check.fail("comment", "validation.required") }
        var decisionNumber: String?
        var decisionDate: Date?
        if transition.requiresDecision {
            decisionNumber = check.requiredText("decisionNumber", input.decisionNumber, max: 100)
            let rawDate = Validators.trimmed(input.decisionDate)
            if rawDate.isEmpty { check.fail("decisionDate", "validation.required") }
            else if let d = DisplayTime.parseDay(rawDate) {
                if d > Date() { check.fail("decisionDate", "validation.futureDate") } else { decisionDate = d }
            } else { check.fail("decisionDate", "validation.invalidDate") }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let authority = try await LevelAuthority.query(on: req.db).filter(\.$level == dossier.proposedLevel).first()
        let actor = req.auditActor
        let from = dossier.state
        let (number, date) = (decisionNumber, decisionDate)
        try await req.write { db in
            // Claim the move with a conditional update: of two concurrent steps from the same state only one
            // changes a row (the other waits for the row lock on PostgreSQL, then finds the state moved).
            let claimed = try await (db as! any SQLDatabase).update(LevelDossier.schema)
                .set("state", to: SQLBind(target.rawValue))
                .where("id", .equal, SQLBind(did)).where("state", .equal, SQLBind(from.rawValue))
                .returning("id").all()
            guard !claimed.isEmpty, let current = try await LevelDossier.find(did, on: db) else {
                throw AppError.conflict("dossier_changed", messageKey: "dossier.changedMeanwhile")
            }
            let now = Date()
            current.state = target
            guard let fresh = try await InformationSystem.find(sid, on: db) else { throw AppError.notFound }
            let components = try await SystemComponent.query(on: db).filter(\.$system.$id == sid).sort(\.$position).all()
            let facts = fresh.classificationInput(components: components)
            switch transition {
            case .submit:
                if from == .returnedForRevision {
                    // A revised dossier is evaluated again on the system's facts as they are now.
                    let proposal = LevelEngine.evaluate(facts, rules: rules.classification())
                    if current.proposedLevel == current.computedLevel { current.proposedLevel = proposal.level }
                    current.computedLevel = proposal.level
                    current.ruleId = proposal.ruleId
                    current.ruleVersion = proposal.ruleVersion
                    current.inputJSON = encode(facts)
                    current.evaluationJSON = encode(proposal)
                }
                current.submittedAt = current.submittedAt ?? now
                current.appraisingBody = authority?.appraisingBodyVi
                current.approvingBody = authority?.approvingBodyVi
            case .giveOpinion:
                current.hasOpinion = true
            case .appraise:
                current.appraisedAt = now
            case .approve:
                current.approvedAt = now
                current.decisionNumber = number
                current.decisionDate = date
            default:
                break
            }
            try await current.save(on: db)
            let step = DossierStep()
            step.$dossier.id = did
            step.transition = transition.rawValue
            step.fromState = from.rawValue
            step.toState = target.rawValue
            step.actorId = actor.userId
            step.actorName = actor.label
            step.comment = comment
            step.decisionNumber = number
            step.decisionDate = date
            step.at = now
            try await step.create(on: db)
            _ = try await StoredFileService.record(files, recordType: "dossier_step", recordId: try step.requireID(), agencyId: agencyId,
                                                   actor: actor, on: db)
            if transition == .approve {
                for old in try await LevelDossier.query(on: db).filter(\.$system.$id == sid).filter(\.$state == .approved)
                    .filter(\.$id != did).all() {
                    old.state = .superseded
                    try await old.save(on: db)
                }
                fresh.approvedLevel = current.proposedLevel
                fresh.approvedAt = date
                // Facts that changed while the dossier was on its way are not covered by this approval.
                let changed = current.input.map { Redetermination.changedFields(old: $0, new: facts, rules: workflow) } ?? []
                fresh.needsRedetermination = !changed.isEmpty
                fresh.redeterminationFields = changed.isEmpty ? nil : changed.sorted().joined(separator: ",")
                fresh.revision += 1
                try await fresh.save(on: db)
                try await SystemService.recordRevision(fresh, components: components, action: "level.approve", actor: actor, on: db)
                try await ObligationRefresher.refresh(systemIds: [sid], rules: rules, on: db)
            }
            try await AuditLog.append(AuditEntry("dossier.\(transition.rawValue)", recordType: "dossier", recordId: did.uuidString,
                                                 agencyId: agencyId,
                                                 before: ["state": from.rawValue],
                                                 after: ["state": target.rawValue, "decisionNumber": number,
                                                         "files": files.isEmpty ? nil : files.map(\.name).joined(separator: ", ")]),
                                      by: actor, on: db)
        }
    }

    /// The dossier of a visible system, or 404.
    static func find(_ req: Request, system: InformationSystem) async throws -> LevelDossier {
        guard let did = req.parameters.get("did", as: UUID.self),
              let dossier = try await LevelDossier.query(on: req.db).filter(\.$id == did)
                .filter(\.$system.$id == system.requireID()).first() else { throw AppError.notFound }
        return dossier
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
