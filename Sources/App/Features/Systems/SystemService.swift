import Foundation
import Domain
import Fluent
import Vapor

/// System changes shared by pages, API and import. Each change, its revision, its audit event and
/// the refreshed obligations are written in one transaction.
enum SystemService {
    static func create(_ input: SystemInput, req: Request) async throws -> InformationSystem {
        let subject = try req.requireSubject()
        let valid = try await input.validate(existing: nil, subject: subject, on: req.db)
        let actor = req.auditActor
        let rules = req.application.rules
        return try await req.write { db in
            try await insert(valid, components: [], actor: actor, rules: rules, on: db)
        }
    }

    /// Creates one system with its first revision; used by the form, the API and the import.
    static func insert(_ valid: SystemInput.Valid, components: [ComponentInput.Valid], actor: AuditActor,
                       rules: RuleBook, bulk: Bool = false, revisionAction: String? = nil, on db: any Database) async throws -> InformationSystem {
        let system = InformationSystem()
        system.apply(valid)
        system.needsRedetermination = false
        system.revision = 1
        system.proposedLevel = LevelEngine.evaluate(system.classificationInput(components: []), rules: rules.classification()).level
        try await system.create(on: db)
        let id = try system.requireID()
        var saved: [SystemComponent] = []
        for (i, c) in components.enumerated() {
            let component = SystemComponent(systemId: id, position: i, name: c.name, vendor: c.vendor, product: c.product,
                                            version: c.version, cpe: c.cpe, level: c.level)
            try await component.create(on: db)
            saved.append(component)
        }
        if !saved.isEmpty {
            system.proposedLevel = LevelEngine.evaluate(system.classificationInput(components: saved), rules: rules.classification()).level
            try await system.save(on: db)
        }
        try await recordRevision(system, components: saved, action: revisionAction ?? (bulk ? "import" : "create"), actor: actor, on: db)
        // A bulk import writes one audit event and refreshes obligations once for all its rows.
        if !bulk {
            try await AuditLog.append(AuditEntry("system.create", recordType: "system", recordId: id.uuidString, agencyId: valid.agencyId,
                                                 after: ["code": system.code, "name": system.name]), by: actor, on: db)
            try await ObligationRefresher.refresh(systemIds: [id], rules: rules, on: db)
        }
        return system
    }

    static func update(_ system: InformationSystem, with input: SystemInput, req: Request) async throws -> InformationSystem {
        let subject = try req.requireSubject()
        let id = try system.requireID()
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: id)
        if let opened = input.revision.flatMap({ Int($0) }), opened != system.revision {
            throw AppError.conflict("system_changed", messageKey: "systems.changedMeanwhile")
        }
        let valid = try await input.validate(existing: system, subject: subject, on: req.db)
        let actor = req.auditActor
        let rules = req.application.rules
        try await req.write { db in
            try await ensureCurrent(system, on: db)
            let components = try await SystemComponent.query(on: db).filter(\.$system.$id == id).sort(\.$position).all()
            let before = system.classificationInput(components: components)
            let oldAgency = system.$agency.id
            system.apply(valid)
            try await afterChange(system, components: components, before: before, action: "update", actor: actor, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("system.update", recordType: "system", recordId: id.uuidString, agencyId: valid.agencyId,
                                                 details: oldAgency == valid.agencyId ? nil : ["movedFromAgency": oldAgency.uuidString]),
                                      by: actor, on: db)
        }
        return system
    }

    static func delete(_ system: InformationSystem, req: Request) async throws {
        let id = try system.requireID()
        try await req.authorize(.deleteSystem, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: id)
        let actor = req.auditActor
        try await req.write { db in
            try await Obligation.query(on: db).filter(\.$subjectId == id).delete()
            try await StoredFileService.deleteRecords(for: id, on: db)
            try await system.delete(on: db)
            try await AuditLog.append(AuditEntry("system.delete", recordType: "system", recordId: id.uuidString, agencyId: system.$agency.id,
                                                 before: ["code": system.code, "name": system.name]), by: actor, on: db)
        }
    }

    // MARK: components

    static func addComponent(_ input: ComponentInput, to system: InformationSystem, req: Request) async throws -> SystemComponent {
        let id = try system.requireID()
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: id)
        let valid = try input.validate()
        let actor = req.auditActor
        let rules = req.application.rules
        return try await req.write { db in
            try await ensureCurrent(system, on: db)
            let components = try await SystemComponent.query(on: db).filter(\.$system.$id == id).sort(\.$position).all()
            let before = system.classificationInput(components: components)
            let component = SystemComponent(systemId: id, position: (components.map(\.position).max() ?? -1) + 1, name: valid.name,
                                            vendor: valid.vendor, product: valid.product, version: valid.version, cpe: valid.cpe, level: valid.level)
            try await component.create(on: db)
            try await afterChange(system, components: components + [component], before: before, action: "component.add", actor: actor, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("system.component.add", recordType: "system", recordId: id.uuidString, agencyId: system.$agency.id,
                                                 after: ["component": valid.name]), by: actor, on: db)
            return component
        }
    }

    static func updateComponent(_ component: SystemComponent, in system: InformationSystem, with input: ComponentInput, req: Request) async throws {
        let id = try system.requireID()
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: id)
        let valid = try input.validate()
        let actor = req.auditActor
        let rules = req.application.rules
        try await req.write { db in
            try await ensureCurrent(system, on: db)
            let components = try await SystemComponent.query(on: db).filter(\.$system.$id == id).sort(\.$position).all()
            let before = system.classificationInput(components: components)
            component.name = valid.name
            component.vendor = valid.vendor
            component.product = valid.product
            component.version = valid.version
            component.cpe = valid.cpe
            component.level = valid.level
            try await component.save(on: db)
            let now = components.map { $0.id == component.id ? component : $0 }
            try await afterChange(system, components: now, before: before, action: "component.update", actor: actor, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("system.component.update", recordType: "system", recordId: id.uuidString,
                                                 agencyId: system.$agency.id, after: ["component": valid.name]), by: actor, on: db)
        }
    }

    static func deleteComponent(_ component: SystemComponent, in system: InformationSystem, req: Request) async throws {
        let id = try system.requireID()
        try await req.authorize(.editSystems, .owned(agencyId: system.$agency.id), readAction: .viewSystems, recordType: "system", recordId: id)
        let actor = req.auditActor
        let rules = req.application.rules
        try await req.write { db in
            try await ensureCurrent(system, on: db)
            let components = try await SystemComponent.query(on: db).filter(\.$system.$id == id).sort(\.$position).all()
            let before = system.classificationInput(components: components)
            try await component.delete(on: db)
            try await afterChange(system, components: components.filter { $0.id != component.id }, before: before,
                                  action: "component.delete", actor: actor, rules: rules, on: db)
            try await AuditLog.append(AuditEntry("system.component.delete", recordType: "system", recordId: id.uuidString,
                                                 agencyId: system.$agency.id, before: ["component": component.name]), by: actor, on: db)
        }
    }

    // MARK: shared

    /// Re-evaluates the proposed level, flags an approved system for re-determination when a
    /// criterion-relevant fact changed, bumps the revision and refreshes obligations.
    static func afterChange(_ system: InformationSystem, components: [SystemComponent], before: ClassificationInput,
                            action: String, actor: AuditActor, rules: RuleBook, refresh: Bool = true, on db: any Database) async throws {
        let after = system.classificationInput(components: components)
        system.proposedLevel = LevelEngine.evaluate(after, rules: rules.classification()).level
        if system.approvedLevel != nil {
            let changed = Redetermination.changedFields(old: before, new: after, rules: rules.workflow())
            if !changed.isEmpty {
                system.needsRedetermination = true
                let known = Set((system.redeterminationFields ?? "").split(separator: ",").map(String.init))
                system.redeterminationFields = known.union(changed).sorted().joined(separator: ",")
            }
        }
        // A save that changes nothing (a re-imported export, an unchanged form) leaves no revision behind.
        let sid = try system.requireID()
        let snapshot = SystemSnapshot(system, components: components, agencyName: try await agencyLabel(system, on: db))
        let last = try await SystemRevision.query(on: db).filter(\.$system.$id == sid).sort(\.$number, .descending).first()
        if let last, SystemSnapshot.decode(last.snapshot) == snapshot {
            try await system.save(on: db)
            return
        }
        system.revision += 1
        try await system.save(on: db)
        try await recordRevision(system, components: components, action: action, actor: actor, on: db)
        if refresh { try await ObligationRefresher.refresh(systemIds: [sid], rules: rules, on: db) }
    }

    /// Edits start from the row read before the transaction; if someone saved the system since, the edit would
    /// silently undo theirs, so it is refused (the unique revision number catches what slips between the two).
    static func ensureCurrent(_ system: InformationSystem, on db: any Database) async throws {
        guard let current = try await InformationSystem.find(try system.requireID(), on: db), current.revision == system.revision else {
            throw AppError.conflict("system_changed", messageKey: "systems.changedMeanwhile")
        }
    }

    static func recordRevision(_ system: InformationSystem, components: [SystemComponent], action: String,
                               actor: AuditActor, on db: any Database) async throws {
        let agencyName = try await agencyLabel(system, on: db)
        let revision = SystemRevision()
        revision.$system.id = try system.requireID()
        revision.number = system.revision
        revision.changedAt = Date()
        revision.changedBy = actor.userId
        revision.changedByName = actor.label
        revision.action = action
        revision.snapshot = SystemSnapshot(system, components: components, agencyName: agencyName).json
        try await revision.create(on: db)
    }

    /// The agency as revisions keep it: names repeat (every commune has a "Văn phòng"), codes do not, so a
    /// move between two agencies of the same name is still a change (and refreshes the duties' agency).
    static func agencyLabel(_ system: InformationSystem, on db: any Database) async throws -> String? {
        if let known = knownAgencyLabels?[system.$agency.id] { return known }
        return try await Agency.find(system.$agency.id, on: db).map { "\($0.name) (\($0.code))" }
    }

    /// Agency labels a bulk import looked up once, instead of once per row.
    @TaskLocal static var knownAgencyLabels: [UUID: String]?

    /// The system, or 404 when it does not exist or the caller may not see it.
    static func find(_ req: Request, parameter: String = "id") async throws -> InformationSystem {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get(parameter, as: UUID.self),
              let system = try await InformationSystem.visible(id, to: subject, on: req.db) else { throw AppError.notFound }
        return system
    }

    static func findComponent(_ req: Request, in system: InformationSystem) async throws -> SystemComponent {
        guard let cid = req.parameters.get("cid", as: UUID.self),
              let component = try await SystemComponent.query(on: req.db).filter(\.$id == cid)
                .filter(\.$system.$id == system.requireID()).first() else { throw AppError.notFound }
        return component
    }
}
