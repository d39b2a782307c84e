import Foundation
import Detection
import Domain
import Fluent
import SQLKit
import Vapor

/// One hunt as its reader may see it: parameters, progress, results grouped by rule and indicator, the systems and
/// their recorded assessments. An agency officer's figures count only their agencies' events.
enum HuntShow {
    static func progress(_ hunt: Hunt) -> Int {
        hunt.state == HuntState.completed.rawValue ? 100 : min(max(hunt.progress, 0), 99)
    }

    static func query(_ hunt: Hunt, subject: Subject, on db: any Database) async throws -> Model {
        let huntId = try hunt.requireID()
        let reader = HuntReader(subject)
        let counts = try await reader.filter(HuntCount.query(on: db).filter(\.$huntId == huntId)).all()
        let stored = try await storedPerGroup(huntId, reader: reader, on: db)
        var groups: [String: Group] = [:]
        for c in counts {
            var g = groups[c.groupKey] ?? Group(groupKey: c.groupKey, kind: c.kind, label: c.label, ruleId: c.ruleId, level: c.level,
                                                indicatorKind: c.indicatorKind, hits: 0, stored: stored[c.groupKey] ?? 0)
            g.hits += c.hits
            groups[c.groupKey] = g
        }
        let ordered = groups.values.sorted { a, b in
            if a.kind != b.kind { return a.kind == "rule" }
            let ra = DetectionLevel.rank(a.level), rb = DetectionLevel.rank(b.level)
            if ra != rb { return ra > rb }
            if a.hits != b.hits { return a.hits > b.hits }
            return a.label < b.label
        }
        let scopeAgencyIds = HuntCodec.ids(hunt.scopeAgencies).filter { reader.agencies?.contains($0) ?? true }
        let scopeAgencies = scopeAgencyIds.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ scopeAgencyIds).sort(\.$name).all()
        let scopeSystemIds = HuntCodec.ids(hunt.scopeSystems)
        let scopeSystems = scopeSystemIds.isEmpty ? [] : try await InformationSystem.scoped(to: subject, on: db).filter(\.$id ~~ scopeSystemIds)
            .sort(\.$code).all()
        let scopeSources = try await HuntSources.sources(ids: HuntCodec.ids(hunt.scopeSources), on: db)
            .filter { HuntSources.visible($0, scope: Policy.readScope(for: subject)) }
        // Systems with hits or a recorded assessment, that the reader may see.
        var hitsBySystem: [UUID: Int64] = [:]
        for c in counts { if let sid = c.systemId { hitsBySystem[sid, default: 0] += c.hits } }
        let links = try await HuntAssessment.query(on: db).filter(\.$huntId == huntId).all()
        let assessmentBySystem = Dictionary(links.map { ($0.systemId, $0.assessmentId) }, uniquingKeysWith: { a, _ in a })
        let systemIds = Array(Set(hitsBySystem.keys).union(assessmentBySystem.keys))
        let systems = try await HuntRunner.chunks(systemIds) { chunk in
            try await InformationSystem.scoped(to: subject, on: db).filter(\.$id ~~ chunk).all()
        }
        let lines = systems.map { SystemLine(system: $0, hits: hitsBySystem[$0.id!] ?? 0, assessmentId: assessmentBySystem[$0.id!]) }
            .sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.system.code < $1.system.code }
        let agencyIds = Set(systems.map(\.$agency.id)).union(counts.compactMap(\.agencyId))
        let agencies = agencyIds.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ Array(agencyIds)).all()
        return Model(hunt: hunt, reader: reader, progress: progress(hunt), groups: ordered,
                     hitsTotal: ordered.reduce(0) { $0 + $1.hits }, hitsStored: stored.values.reduce(0, +),
                     rules: HuntCodec.rules(hunt.rules), indicators: HuntCodec.indicators(hunt.indicators),
                     scopeAgencies: scopeAgencies, scopeSystems: scopeSystems, scopeSources: scopeSources, systems: lines,
                     agencyNames: Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }))
    }

    /// Stored hits per group that the reader may see.
    static func storedPerGroup(_ huntId: UUID, reader: HuntReader, on db: any Database) async throws -> [String: Int] {
        let sql = db as! any SQLDatabase
        var select = sql.select().column("group_key").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(HuntHit.schema)
            .where("hunt_id", .equal, SQLBind(huntId))
        if let agencies = reader.agencies {
            select = agencies.isEmpty ? select.where(SQLLiteral.boolean(false))
                : select.where("agency_id", .in, SQLBind.group(Array(agencies)))
        }
        var out: [String: Int] = [:]
        for row in try await select.groupBy("group_key").all() {
            out[try row.decode(column: "group_key", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// A page of the hits the reader may see, in the order found; `group` narrows to one rule or indicator.
    static func hits(_ huntId: UUID, reader: HuntReader, group: String?, offset: Int, limit: Int, on db: any Database) async throws -> (hits: [HuntHit], total: Int) {
        let query = reader.filter(HuntHit.query(on: db).filter(\.$huntId == huntId))
        if let group { query.filter(\.$groupKey == group) }
        let total = try await query.copy().count()
        let hits = try await query.sort(\.$seq).sort(\.$groupKey).range(offset..<(offset + limit)).all()
        return (hits, total)
    }

    /// The first hits of each group (for the page).
    static func firstHits(_ huntId: UUID, reader: HuntReader, groups: [Group], perGroup: Int, on db: any Database) async throws -> [String: [HuntHit]] {
        var out: [String: [HuntHit]] = [:]
        for group in groups.prefix(100) where group.stored > 0 {
            out[group.groupKey] = try await hits(huntId, reader: reader, group: group.groupKey, offset: 0, limit: perGroup, on: db).hits
        }
        return out
    }

    /// The fields of an event snapshot, in key order, as text.
    static func fields(_ snapshot: String) -> [(String, String)] {
        guard case .object(let object)? = HuntJSONValue.parse(snapshot) else { return [("", snapshot)] }
        return object.keys.sorted().map { ($0, object[$0]!.text) }
    }
}
