import Foundation
import Domain
import Fluent
import SQLKit

/// Materialises the response duties (teams, agencies' 24/7 contact points, plans and drills of systems) in the
/// `obligations` table. ``ObligationRefresher/refresh(systemIds:rules:now:on:)`` calls ``refreshSystems`` after it
/// has rewritten a system's rows, so every system change recomputes its plan and drill duties in its transaction;
/// a refresh of everything (`systemIds == nil`, the hourly scheduler) also recomputes every team and agency.
enum ResponseObligationRefresher {
    /// Called by ``ObligationRefresher`` once it deleted the rows of `systemIds` (nil: all) and inserted its own.
    static func refreshSystems(_ systemIds: [UUID]?, rules: RuleBook, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let r = rules.responseObligations(at: now)
        let facts = try await systemFacts(systemIds, rules: r, on: db)
        try await ObligationRefresher.insert(facts.flatMap { ResponseObligations.evaluate(system: $0, rules: r, now: now) }, computedAt: now, on: sql)
        if systemIds == nil {
            try await refreshTeams(nil, rules: rules, now: now, on: db)
            try await refreshAgencies(nil, rules: rules, now: now, on: db)
        } else {
            // Owning a system makes an agency need a contact point.
            let agencies = Set(facts.compactMap(\.agencyId))
            if !agencies.isEmpty { try await refreshAgencies(Array(agencies), rules: rules, now: now, on: db) }
        }
    }

    static func refreshTeams(_ teamIds: [UUID]?, rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await ObligationRefresher.lock(sql)
        let r = rules.responseObligations(at: now)
        var teams: [ResponseTeam] = []
        if let teamIds {
            for chunk in teamIds.chunked(500) { teams += try await ResponseTeam.query(on: db).filter(\.$id ~~ Array(chunk)).all() }
        } else {
            teams = try await ResponseTeam.query(on: db).all()
        }
        try await delete(kind: "team", ids: teamIds, on: sql)
        guard !teams.isEmpty else { return }
        var experts: [UUID: Int] = [:]
        for chunk in teams.compactMap(\.id).chunked(500) {
            for m in try await TeamMember.query(on: db).filter(\.$teamId ~~ Array(chunk)).filter(\.$expert == true).all() {
                experts[m.teamId, default: 0] += 1
            }
        }
        let occurrences = teams.flatMap { t in
            ResponseObligations.evaluate(team: TeamObligationFacts(teamId: t.id!, agencyId: t.agencyId, experts: experts[t.id!] ?? 0,
                                                                   validFrom: t.validFrom, validTo: t.validTo), rules: r, now: now)
        }
        try await ObligationRefresher.insert(occurrences, computedAt: now, on: sql)
    }

    static func refreshAgencies(_ agencyIds: [UUID]?, rules: RuleBook, now: Date = Date(), on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await ObligationRefresher.lock(sql)
        let r = rules.responseObligations(at: now)
        var agencies: [Agency] = []
        if let agencyIds {
            for chunk in agencyIds.chunked(500) { agencies += try await Agency.query(on: db).filter(\.$id ~~ Array(chunk)).all() }
        } else {
            agencies = try await Agency.query(on: db).all()
        }
        try await delete(kind: "agency", ids: agencyIds, on: sql)
        guard !agencies.isEmpty else { return }
        var owners = Set<UUID>()
        for chunk in agencies.compactMap(\.id).chunked(500) {
            owners.formUnion(try await InformationSystem.query(on: db).filter(\.$agency.$id ~~ Array(chunk)).field(\.$agency.$id).all().map { $0.$agency.id })
        }
        let occurrences = agencies.flatMap { a in
            ResponseObligations.evaluate(agency: AgencyContactFacts(agencyId: a.id!, kind: a.kind.rawValue, ownsSystems: owners.contains(a.id!),
                                                                    phone: a.contactPhone, email: a.contactEmail), rules: r, now: now)
        }
        try await ObligationRefresher.insert(occurrences, computedAt: now, on: sql)
    }

    /// The systems covered by any version of a plan: their duties change when it is approved.
    static func systemsOf(planId: UUID, on db: any Database) async throws -> [UUID] {
        let versions = try await PlanVersion.query(on: db).filter(\.$planId == planId).all().compactMap(\.id)
        guard !versions.isEmpty else { return [] }
        return Array(Set(try await PlanVersionSystem.query(on: db).filter(\.$planVersionId ~~ versions).all().map(\.systemId)))
    }

    private static func delete(kind: String, ids: [UUID]?, on sql: any SQLDatabase) async throws {
        if let ids {
            for chunk in ids.chunked(500) {
                try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, kind)
                    .where("subject_id", .in, SQLBind.group(Array(chunk))).run()
            }
        } else {
            try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, kind).run()
        }
    }

    // MARK: facts

    static func systemFacts(_ systemIds: [UUID]?, rules: ResponseObligationRules, on db: any Database) async throws -> [SystemResponseFacts] {
        var systems: [InformationSystem] = []
        if let systemIds {
            for chunk in systemIds.chunked(500) { systems += try await InformationSystem.query(on: db).filter(\.$id ~~ Array(chunk)).all() }
        } else {
            systems = try await InformationSystem.query(on: db).all()
        }
        guard !systems.isEmpty else { return [] }
        let ids = systems.compactMap(\.id)
        let covering = try await PlanCoverage.approved(systemIds: ids, watched: rules.planStaleFields, on: db)
        var drills: [UUID: [Date]] = [:]
        for chunk in ids.chunked(500) {
            let links = try await DrillSystem.query(on: db).filter(\.$systemId ~~ Array(chunk)).all()
            guard !links.isEmpty else { continue }
            let executed = try await Drill.query(on: db).filter(\.$id ~~ Array(Set(links.map(\.drillId))))
                .filter(\.$state ~~ [.executed, .reportFiled]).filter(\.$kind ~~ rules.drillKinds).all()
            let dates = Dictionary(uniqueKeysWithValues: executed.compactMap { d in d.executedOn.map { (d.id!, $0) } })
            for link in links { if let date = dates[link.drillId] { drills[link.systemId, default: []].append(date) } }
        }
        return systems.map { s in
            SystemResponseFacts(systemId: s.id!, agencyId: s.$agency.id, lifecycle: s.lifecycle, approvedLevel: s.approvedLevel,
                                approvedAt: s.approvedAt, plans: covering[s.id!] ?? [], executedDrills: drills[s.id!] ?? [])
        }
    }
}

/// Which approved plans cover which systems, and what changed in each system since the approval.
///
/// Staleness is decided on the system's revisions: the approval stores the revision number each covered system
/// had, and the snapshot of that revision is compared with the current one on the watched fields of rule data
/// (`planStaleFields`: components, hosting, addresses, operator, approved level by default). Other edits
/// (a description, a contact) leave the plan current.
enum PlanCoverage {
    static func approved(systemIds: [UUID], watched: [String], on db: any Database) async throws -> [UUID: [SystemResponseFacts.CoveringPlan]] {
        var links: [PlanVersionSystem] = []
        for chunk in systemIds.chunked(500) { links += try await PlanVersionSystem.query(on: db).filter(\.$systemId ~~ Array(chunk)).all() }
        guard !links.isEmpty else { return [:] }
        let versions = try await PlanVersion.query(on: db).filter(\.$id ~~ Array(Set(links.map(\.planVersionId))))
            .filter(\.$state == .approved).all()
        guard !versions.isEmpty else { return [:] }
        let byId = Dictionary(uniqueKeysWithValues: versions.map { ($0.id!, $0) })
        let plans = Dictionary(uniqueKeysWithValues: try await ResponsePlan.query(on: db).filter(\.$id ~~ Array(Set(versions.map(\.planId)))).all()
            .map { ($0.id!, $0) })
        let approvedLinks = links.filter { byId[$0.planVersionId] != nil }
        let systems = Dictionary(uniqueKeysWithValues: try await InformationSystem.query(on: db)
            .filter(\.$id ~~ Array(Set(approvedLinks.map(\.systemId)))).all().map { ($0.id!, $0) })
        // The snapshots needed: each link's revision at approval and each system's current revision.
        var numbers = Set<Int>()
        for link in approvedLinks {
            if let r = link.systemRevision { numbers.insert(r) }
            if let s = systems[link.systemId] { numbers.insert(s.revision) }
        }
        var snapshots: [UUID: [Int: SystemSnapshot]] = [:]
        for chunk in Array(Set(approvedLinks.map(\.systemId))).chunked(400) {
            for rev in try await SystemRevision.query(on: db).filter(\.$system.$id ~~ Array(chunk)).filter(\.$number ~~ Array(numbers)).all() {
                if let snap = SystemSnapshot.decode(rev.snapshot) { snapshots[rev.$system.id, default: [:]][rev.number] = snap }
            }
        }
        var result: [UUID: [SystemResponseFacts.CoveringPlan]] = [:]
        for link in approvedLinks {
            guard let version = byId[link.planVersionId], let approvedAt = version.approvedAt, let plan = plans[version.planId] else { continue }
            var changed: [String] = []
            if let r = link.systemRevision, let s = systems[link.systemId], r != s.revision,
               let old = snapshots[link.systemId]?[r], let new = snapshots[link.systemId]?[s.revision] {
                changed = ResponseObligations.changedFields(old: old.fields, oldComponents: old.components, new: new.fields,
                                                            newComponents: new.components, watched: watched)
            }
            result[link.systemId, default: []].append(.init(planId: plan.id!, title: plan.title, versionNumber: version.number,
                                                            approvedAt: approvedAt, changedFields: changed))
        }
        return result
    }
}
