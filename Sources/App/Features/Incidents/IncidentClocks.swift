import Foundation
import Domain
import Fluent
import SQLKit

/// The legal clocks of cases, materialised in the obligations table (subject kind "incident") so that
/// dashboards count overdue clocks cheaply. Refreshed in the transaction of every case change and on a
/// schedule for the passage of time; a clock that becomes due soon or overdue notifies the case's people.
enum IncidentClocks {
    static let subjectKind = IncidentClockEngine.subjectKind

    static func refresh(_ incidents: [Incident], rules: RuleBook, now: Date, notifier: Notifier? = nil, on db: any Database) async throws {
        let notify = notifier != nil
        guard !incidents.isEmpty else { return }
        let sql = db as! any SQLDatabase
        try await ObligationRefresher.lock(sql)
        let ids = incidents.compactMap(\.id)
        var sent: [UUID: [IncidentReportRecord]] = [:]
        var before: [UUID: [String: String]] = [:]
        for chunk in ids.chunked(400) {
            for r in try await IncidentReportRecord.query(on: db).filter(\.$incidentId ~~ Array(chunk)).all() { sent[r.incidentId, default: []].append(r) }
            if notify {
                for o in try await Obligation.query(on: db).filter(\.$subjectKind == subjectKind).filter(\.$subjectId ~~ Array(chunk)).all() {
                    before[o.subjectId, default: [:]][o.dutyId] = o.state.rawValue
                }
            }
            try await sql.delete(from: Obligation.schema).where("subject_kind", .equal, subjectKind)
                .where("subject_id", .in, SQLBind.group(Array(chunk))).run()
        }
        var occurrences: [ObligationOccurrence] = []
        for incident in incidents {
            guard let id = incident.id else { continue }
            let clocks = IncidentRulesBridge.clocks(incident, sent: sent[id] ?? [], rules: rules, now: now)
            let rows = IncidentClockEngine.obligations(clocks, incidentId: id, agencyId: incident.agencyId)
            occurrences += rows
            guard notify else { continue }
            for clock in clocks where clock.state == .dueSoon || clock.state == .overdue {
                if before[id]?[clock.kind.rawValue] == clock.obligationState.rawValue { continue }
                if let notifier { try await IncidentNotifications.clock(notifier, incident, clock: clock, on: db) }
            }
        }
        try await ObligationRefresher.insert(occurrences, computedAt: now, on: sql)
    }

    /// Every open case (and those closed in the last 30 days, whose late reports still show), for the scheduler and the CLI.
    static func refreshAll(rules: RuleBook, now: Date = Date(), notifier: Notifier?, on db: any Database) async throws -> Int {
        let recent = now.addingTimeInterval(-30 * 86_400)
        let incidents = try await Incident.query(on: db).group(.or) { g in
            g.filter(\.$closedAt == nil)
            g.filter(\.$closedAt >= recent)
        }.all()
        for chunk in incidents.chunked(500) {
            try await refresh(Array(chunk), rules: rules, now: now, notifier: notifier, on: db)
        }
        return incidents.count
    }
}
