import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// Registered event sources as a hunt's scope sees them.
enum HuntSources {
    struct Source: Sendable, Hashable {
        var id: UUID
        var name: String
        var agencyId: UUID
        var systemId: UUID
    }

    static func sources(ids: [UUID], on db: any Database) async throws -> [Source] {
        guard !ids.isEmpty else { return [] }
        return try await EventSource.query(on: db).filter(\.$id ~~ ids).all().map(source)
    }

    /// The sources the subject may choose (those of agencies they may read), by name.
    static func choices(subject: Subject, on db: any Database) async throws -> [Source] {
        let query = EventSource.query(on: db).sort(\.$name).limit(2_000)
        if let ids = Policy.readScope(for: subject).agencyIds { query.filter(\.$agencyId ~~ Array(ids)) }
        return try await query.all().map(source)
    }

    static func visible(_ source: Source, scope: Scope) -> Bool {
        scope.contains(agencyId: source.agencyId)
    }

    private static func source(_ s: EventSource) -> Source {
        Source(id: s.id!, name: s.name, agencyId: s.agencyId, systemId: s.systemId)
    }
}

/// What a hunt covers, resolved when it runs: the event queries (one per kind of choice, never covering an event twice)
/// and the systems it is recorded for.
struct HuntCoverage: Sendable {
    /// One scan of the store. Events already covered by an earlier pass, and events outside what the starter may read,
    /// are skipped.
    struct Pass: Sendable {
        var query: EventQuery
        var skipAgencies: Set<UUID> = []
        var skipSystems: Set<UUID> = []
        /// The starter's readable agencies (nil: all); an event of no agency is then skipped too.
        var allowedAgencies: Set<UUID>?

        func skips(_ event: IncomingEvent) -> Bool {
            if let agency = event.agencyID {
                if skipAgencies.contains(agency) { return true }
                if let allowedAgencies, !allowedAgencies.contains(agency) { return true }
            } else if allowedAgencies != nil {
                return true
            }
            if let system = event.systemID, skipSystems.contains(system) { return true }
            return false
        }
    }

    var passes: [Pass]
    /// The systems the hunt is recorded for (a threat-hunting assessment each, when it completes).
    var systemIds: [UUID]
    /// The agencies the scope touches (agencies chosen with their subtrees, and those owning the chosen systems and sources).
    var agencyIds: Set<UUID>

    /// `starter`: the person who started the hunt, as they are now (nil when their account is gone: the hunt keeps to
    /// the agencies it named, or everything for a province-wide hunt).
    static func resolve(_ hunt: Hunt, starter: Subject?, on db: any Database) async throws -> HuntCoverage {
        let scope = starter.map(Policy.readScope(for:)) ?? .all
        let allowed = scope.agencyIds
        let range = (from: hunt.fromAt, to: hunt.toAt)
        if hunt.scopeAll {
            let query = EventQuery(from: range.from, to: range.to, agencyIDs: allowed, includeUnassigned: hunt.includeUnassigned && allowed == nil)
            let systems = InformationSystem.query(on: db).field(\.$id)
            if let allowed { systems.filter(\.$agency.$id ~~ Array(allowed)) }
            let ids = try await systems.all().compactMap(\.id)
            return HuntCoverage(passes: [Pass(query: query, allowedAgencies: allowed)], systemIds: ids, agencyIds: allowed ?? [])
        }
        let tree = try await AgencyTreeQuery.tree(on: db)
        var agencies = Set<UUID>()
        for id in HuntCodec.ids(hunt.scopeAgencies) { agencies.formUnion(tree.subtree(of: id)) }
        if let allowed { agencies.formIntersection(allowed) }
        let chosenSystems = HuntCodec.ids(hunt.scopeSystems)
        let systemRows = chosenSystems.isEmpty ? [] : try await InformationSystem.query(on: db).filter(\.$id ~~ chosenSystems).all()
        let sources = try await HuntSources.sources(ids: HuntCodec.ids(hunt.scopeSources), on: db)
            .filter { allowed?.contains($0.agencyId) ?? true }
        // Systems not already covered through their agency, sources not already covered through their agency or system.
        let systems = Set(systemRows.filter { !agencies.contains($0.$agency.id) && (allowed?.contains($0.$agency.id) ?? true) }.compactMap(\.id))
        let sourceIds = Set(sources.filter { !agencies.contains($0.agencyId) && !systems.contains($0.systemId) }.map(\.id))
        var passes: [Pass] = []
        if !agencies.isEmpty {
            passes.append(Pass(query: EventQuery(from: range.from, to: range.to, agencyIDs: agencies), allowedAgencies: allowed))
        }
        if !systems.isEmpty {
            passes.append(Pass(query: EventQuery(from: range.from, to: range.to, systemIDs: systems), skipAgencies: agencies, allowedAgencies: allowed))
        }
        if !sourceIds.isEmpty {
            passes.append(Pass(query: EventQuery(from: range.from, to: range.to, sourceIDs: sourceIds), skipAgencies: agencies, skipSystems: systems,
                               allowedAgencies: allowed))
        }
        var recorded = Set(systemRows.filter { allowed?.contains($0.$agency.id) ?? true }.compactMap(\.id))
        recorded.formUnion(sources.map(\.systemId))
        if !agencies.isEmpty {
            recorded.formUnion(try await InformationSystem.query(on: db).filter(\.$agency.$id ~~ Array(agencies)).field(\.$id).all().compactMap(\.id))
        }
        var touched = agencies
        touched.formUnion(systemRows.map(\.$agency.id).filter { allowed?.contains($0) ?? true })
        touched.formUnion(sources.map(\.agencyId))
        return HuntCoverage(passes: passes, systemIds: Array(recorded), agencyIds: touched)
    }
}

/// The JSON columns of a hunt.
enum HuntCodec {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "[]"
    }

    static func ids(_ text: String) -> [UUID] {
        (try? JSONDecoder().decode([UUID].self, from: Data(text.utf8))) ?? []
    }

    static func rules(_ text: String) -> [HuntRuleRef] {
        (try? JSONDecoder().decode([HuntRuleRef].self, from: Data(text.utf8))) ?? []
    }

    static func indicators(_ text: String) -> [Indicator] {
        (try? JSONDecoder().decode([Indicator].self, from: Data(text.utf8))) ?? []
    }
}
