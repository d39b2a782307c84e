import Foundation
import Domain
import Fluent
import Vapor

/// The plans list, within the caller's scope.
enum PlansIndex {
    /// `systemId`: only plans whose versions cover that system.
    static func query(subject: Subject, systemId: UUID? = nil, on db: any Database) async throws -> Model {
        let query = ResponsePlan.scoped(to: subject, on: db).sort(\.$title)
        if let systemId {
            let versionIds = try await PlanVersionSystem.query(on: db).filter(\.$systemId == systemId).all().map(\.planVersionId)
            let planIds = versionIds.isEmpty ? [] : try await PlanVersion.query(on: db).filter(\.$id ~~ versionIds).all().map(\.planId)
            query.filter(\.$id ~~ Array(Set(planIds)))
        }
        let plans = try await query.all()
        let ids = plans.compactMap(\.id)
        let versions = ids.isEmpty ? [] : try await PlanVersion.query(on: db).filter(\.$planId ~~ ids).sort(\.$number, .descending).all()
        let agencies = try await Agency.query(on: db).filter(\.$id ~~ Array(Set(plans.map(\.agencyId)))).all()
        return Model(plans: plans, versions: Dictionary(grouping: versions, by: \.planId),
                     agencyNames: Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }))
    }
}
