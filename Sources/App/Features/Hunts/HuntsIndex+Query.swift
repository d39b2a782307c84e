import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// The hunts list, newest first, within the reader's scope.
enum HuntsIndex {
    static func query(subject: Subject, list: ListQuery, on db: any Database) async throws -> Model {
        let query = try await Hunt.scoped(to: subject, on: db)
        if let state = list.filters["state"], HuntState(rawValue: state) != nil { query.filter(\.$state == state) }
        let total = try await query.copy().count()
        let hunts = try await query.sort(\.$createdAt, .descending).range(list.offset..<(list.offset + list.per)).all()
        return Model(hunts: hunts, hits: try await hits(of: hunts, reader: HuntReader(subject), on: db), total: total)
    }

    /// The hits each hunt found that the reader may see: every hit for the province's roles, their agencies' for an officer.
    static func hits(of hunts: [Hunt], reader: HuntReader, on db: any Database) async throws -> [UUID: Int64] {
        guard let agencies = reader.agencies else {
            return Dictionary(uniqueKeysWithValues: hunts.map { ($0.id!, $0.hitsTotal) })
        }
        guard !hunts.isEmpty, !agencies.isEmpty else { return [:] }
        let rows = try await (db as! any SQLDatabase).select()
            .column("hunt_id").column(SQLRaw("CAST(SUM(hits) AS BIGINT)"), as: "n")
            .from(HuntCount.schema)
            .where("hunt_id", .in, SQLBind.group(hunts.compactMap(\.id)))
            .where("agency_id", .in, SQLBind.group(Array(agencies)))
            .groupBy("hunt_id").all()
        var out: [UUID: Int64] = [:]
        for row in rows {
            out[try row.decode(column: "hunt_id", as: UUID.self)] = try row.decode(column: "n", as: Int64.self)
        }
        return out
    }
}
