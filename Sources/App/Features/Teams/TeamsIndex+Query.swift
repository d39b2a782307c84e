import Foundation
import Domain
import Fluent
import Vapor

/// The teams list, read within the caller's scope.
enum TeamsIndex {
    static func query(subject: Subject, on db: any Database) async throws -> Model {
        let teams = try await ResponseTeam.scoped(to: subject, on: db).sort(\.$kind, .descending).sort(\.$name).all()
        let agencies = try await Agency.query(on: db).filter(\.$id ~~ Array(Set(teams.map(\.agencyId)))).all()
        let duties = try await Obligation.scoped(to: subject, on: db).filter(\.$subjectKind == "team")
            .filter(\.$subjectId ~~ teams.compactMap(\.id)).filter(\.$state ~~ [.overdue, .dueSoon]).all()
        return Model(teams: teams, agencyNames: Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }),
                     experts: try await expertCounts(teams.compactMap(\.id), on: db),
                     behind: Dictionary(grouping: duties, by: \.subjectId))
    }

    static func expertCounts(_ ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        var counts: [UUID: Int] = [:]
        for m in try await TeamMember.query(on: db).filter(\.$teamId ~~ ids).filter(\.$expert == true).all() { counts[m.teamId, default: 0] += 1 }
        return counts
    }
}
