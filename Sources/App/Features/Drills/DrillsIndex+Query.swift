import Foundation
import Domain
import Fluent
import Vapor

/// The drills list, within the caller's scope.
enum DrillsIndex {
    /// `systemId`: only drills that covered that system.
    static func query(subject: Subject, systemId: UUID? = nil, on db: any Database) async throws -> Model {
        let query = Drill.scoped(to: subject, on: db).sort(\.$plannedOn, .descending)
        if let systemId { query.filter(\.$id ~~ (try await DrillSystem.query(on: db).filter(\.$systemId == systemId).all().map(\.drillId))) }
        let drills = try await query.all()
        let agencies = try await Agency.query(on: db).filter(\.$id ~~ Array(Set(drills.map(\.agencyId)))).all()
        let links = drills.isEmpty ? [] : try await DrillSystem.query(on: db).filter(\.$drillId ~~ drills.compactMap(\.id)).all()
        return Model(drills: drills, agencyNames: Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }),
                     systemCounts: Dictionary(grouping: links, by: \.drillId).mapValues(\.count))
    }
}
