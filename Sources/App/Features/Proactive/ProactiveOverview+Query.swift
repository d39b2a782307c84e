import Foundation
import Domain
import Formats
import Fluent
import SQLKit
import Vapor

extension ProactiveOverview {
    /// Reads the overview within the subject's scope with a handful of grouped queries (per 500 systems when the
    /// scope or the filter limits them), whatever the number of systems.
    static func query(subject: Subject, filters: Filters, rules: RuleBook, now: Date = Date(), on db: any Database) async throws -> Model {
        let visibleAgencies = try await Agency.scoped(to: subject, on: db).all()
        let choices = AgenciesIndex.treeOrder(visibleAgencies).map { (id: $0.0.id!, name: $0.0.name, depth: $0.1) }
        let names = Dictionary(uniqueKeysWithValues: visibleAgencies.map { ($0.id!, $0.name) })
        let systemQuery = InformationSystem.scoped(to: subject, on: db)
        if let agencyId = filters.agencyId {
            systemQuery.filter(\.$agency.$id ~~ Array(try await AgencyTreeQuery.tree(on: db).subtree(of: agencyId)))
        }
        let systems = try await systemQuery.sort(\.$code).all()
        let ids = systems.compactMap(\.id)
        // Everything is read for the ids in hand; "all systems" needs no list (and no 500-id chunks).
        let unfiltered = Policy.readScope(for: subject) == .all && filters.agencyId == nil
        let chunks: [[UUID]?] = unfiltered ? [nil] : ids.chunked(500).map { Optional(Array($0)) }

        var duties: [UUID: [String: Obligation]] = [:]
        var latest: [UUID: [String: Activity]] = [:]
        var inPeriod: [UUID: [String: Int]] = [:]
        var open: [UUID: [FindingSeverity: Int]] = [:]
        var late: [UUID: Int] = [:]
        let dutyIds = [ProactiveDuty.scanOverdue, .huntOverdue, .findingsOverdue].map(\.rawValue)
        let today = ObligationCalendar.calendar.startOfDay(for: now)
        for chunk in chunks {
            let obligations = Obligation.query(on: db).filter(\.$subjectKind == "system").filter(\.$dutyId ~~ dutyIds)
            if let chunk { obligations.filter(\.$subjectId ~~ chunk) }
            for o in try await obligations.all() { duties[o.subjectId, default: [:]][o.dutyId] = o }
            for (systemId, kind, activity) in try await latestCompleted(chunk, on: db) { latest[systemId, default: [:]][kind] = activity }
            for (systemId, kind, n) in try await completedBetween(filters.period.start, filters.period.end, systemIds: chunk, on: db) {
                inPeriod[systemId, default: [:]][kind] = n
            }
            for (systemId, severity, n, overdue) in try await openFindings(chunk, overdueBefore: today, on: db) {
                open[systemId, default: [:]][severity, default: 0] += n
                late[systemId, default: 0] += overdue
            }
        }
        let scan = AssessmentKind.vulnerabilityScan.rawValue
        let hunt = AssessmentKind.threatHunt.rawValue
        var summary = Summary()
        var grouped: [UUID: [Row]] = [:]
        for s in systems {
            let id = s.id!
            let row = Row(systemId: id, code: s.code, name: s.name, agencyId: s.$agency.id, lifecycle: s.lifecycle, level: s.approvedLevel,
                          lastScan: latest[id]?[scan], lastHunt: latest[id]?[hunt],
                          scanDuty: duties[id]?[ProactiveDuty.scanOverdue.rawValue], huntDuty: duties[id]?[ProactiveDuty.huntOverdue.rawValue],
                          findingsDuty: duties[id]?[ProactiveDuty.findingsOverdue.rawValue], openBySeverity: open[id] ?? [:],
                          overdueFindings: late[id] ?? 0, scansInPeriod: inPeriod[id]?[scan] ?? 0, huntsInPeriod: inPeriod[id]?[hunt] ?? 0)
            summary.add(row)
            if filters.onlyOverdue && !row.anyOverdue { continue }
            grouped[row.agencyId, default: []].append(row)
        }
        let order = Dictionary(uniqueKeysWithValues: choices.enumerated().map { ($0.element.id, $0.offset) })
        let groups = grouped.map { AgencyGroup(agencyId: $0.key, name: names[$0.key] ?? "—", rows: $0.value) }
            .sorted { (order[$0.agencyId] ?? Int.max, $0.name) < (order[$1.agencyId] ?? Int.max, $1.name) }
        let r = rules.proactiveObligations(at: now)
        return Model(filters: filters, agencyChoices: choices, groups: groups, summary: summary,
                     scanMonths: r.scanIntervalMonths, huntMonths: r.huntIntervalMonths)
    }

    /// The latest completed scan and hunt per system, with who did it (one windowed query).
    static func latestCompleted(_ systemIds: [UUID]?, on db: any Database) async throws -> [(UUID, String, Activity)] {
        let sql = db as! any SQLDatabase
        let filter: SQLQueryString = systemIds.map { "AND system_id IN (\(binds: $0))" } ?? ""
        let rows = try await sql.raw("""
            SELECT id, system_id, kind, performer_kind, performer, last_at FROM (
              SELECT id, system_id, kind, performer_kind, performer, COALESCE(finished_at, started_at) AS last_at,
                     ROW_NUMBER() OVER (PARTITION BY system_id, kind ORDER BY COALESCE(finished_at, started_at) DESC, id) AS n
              FROM proactive_assessments WHERE state = 'completed' \(filter)
            ) latest WHERE n = 1
            """).all()
        return try rows.map { row in
            (try row.decode(column: "system_id", as: UUID.self), try row.decode(column: "kind", as: String.self),
             Activity(id: try row.decode(column: "id", as: UUID.self), at: try row.decode(column: "last_at", as: Date.self),
                      performerKind: try row.decode(column: "performer_kind", as: String.self),
                      performer: try row.decode(column: "performer", as: String.self)))
        }
    }

    /// Completed scans and hunts per system that ended in [from, to).
    static func completedBetween(_ from: Date, _ to: Date, systemIds: [UUID]?, on db: any Database) async throws -> [(UUID, String, Int)] {
        let sql = db as! any SQLDatabase
        let at = SQLFunction("COALESCE", args: SQLColumn("finished_at"), SQLColumn("started_at"))
        var query = sql.select().column("system_id").column("kind").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ProactiveAssessment.schema)
            .where("state", .equal, SQLBind("completed"))
            .where(at, .greaterThanOrEqual, SQLBind(from))
            .where(at, .lessThan, SQLBind(to))
        if let systemIds { query = query.where("system_id", .in, SQLBind.group(systemIds)) }
        return try await query.groupBy("system_id").groupBy("kind").all().map { row in
            (try row.decode(column: "system_id", as: UUID.self), try row.decode(column: "kind", as: String.self), try row.decode(column: "n", as: Int.self))
        }
    }

    /// Open and in-progress findings per system and severity, and how many of them are past their deadline.
    static func openFindings(_ systemIds: [UUID]?, overdueBefore: Date, on db: any Database) async throws -> [(UUID, FindingSeverity, Int, Int)] {
        let sql = db as! any SQLDatabase
        let filter: SQLQueryString = systemIds.map { "AND system_id IN (\(binds: $0))" } ?? ""
        let rows = try await sql.raw("""
            SELECT system_id, severity, COUNT(*) AS n,
                   SUM(CASE WHEN due_at IS NOT NULL AND due_at < \(bind: overdueBefore) THEN 1 ELSE 0 END) AS late
            FROM findings WHERE status IN ('open', 'in_progress') \(filter)
            GROUP BY system_id, severity
            """).all()
        return try rows.compactMap { row in
            guard let severity = FindingSeverity(rawValue: try row.decode(column: "severity", as: String.self)) else { return nil }
            return (try row.decode(column: "system_id", as: UUID.self), severity, try row.decode(column: "n", as: Int.self),
                    try row.decode(column: "late", as: Int?.self) ?? 0)
        }
    }

    /// The filters from the query string; a bad value is a validation error naming the parameter.
    static func filters(from req: Request, now: Date = Date()) throws -> Filters {
        var errors = FieldErrors()
        var filters = Filters(period: ProactiveReportPeriod.containing(now))
        if let raw = req.query[String.self, at: "agencyId"], !raw.isEmpty {
            if let id = UUID(uuidString: raw) { filters.agencyId = id } else { errors.add("agencyId", "validation.invalidId") }
        }
        if let raw = req.query[String.self, at: "state"], !raw.isEmpty {
            if raw == "overdue" { filters.onlyOverdue = true } else if raw != "all" { errors.add("state", "validation.unknownValue") }
        }
        let year = req.query[String.self, at: "year"].flatMap { $0.isEmpty ? nil : $0 }
        let half = req.query[String.self, at: "half"].flatMap { $0.isEmpty ? nil : $0 }
        if let year {
            if let y = Int(year), (2000...2100).contains(y) { filters.period.year = y } else { errors.add("year", "validation.outOfRange") }
        }
        if let half {
            if let h = Int(half).flatMap(ProactiveReportPeriod.Half.init(rawValue:)) { filters.period.half = h } else { errors.add("half", "validation.outOfRange") }
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        return filters
    }
}
