import Foundation
import Domain
import Fluent
import Vapor

/// The plans list, within the caller's scope.
enum PlansIndex {
    static func query(subject: Subject, on db: any Database) async throws -> Model {
        let plans = try await ResponsePlan.scoped(to: subject, on: db).sort(\.$title).all()
        let ids = plans.compactMap(\.id)
        let versions = ids.isEmpty ? [] : try await PlanVersion.query(on: db).filter(\.$planId ~~ ids).sort(\.$number, .descending).all()
        let agencies = try await Agency.query(on: db).filter(\.$id ~~ Array(Set(plans.map(\.agencyId)))).all()
        return Model(plans: plans, versions: Dictionary(grouping: versions, by: \.planId),
                     agencyNames: Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }))
    }
}
