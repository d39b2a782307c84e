import Foundation
import Domain
import Formats
import Fluent
import Vapor

/// The province overview page, its JSON twin and the half-year report.
enum ProactiveController {
    static func index(req: Request) async throws -> Response {
        let subject = try req.requireSubject()
        do {
            let filters = try ProactiveOverview.filters(from: req)
            let model = try await ProactiveOverview.query(subject: subject, filters: filters, rules: req.application.rules, on: req.db)
            return try await ProactiveOverview.View(req: req, model: model).render().encodeResponse(for: req)
        } catch let error as AppError where error.status == .unprocessableEntity {
            // Bad filters: the page with the current half-year and the errors next to the fields.
            let model = try await ProactiveOverview.query(subject: subject, filters: .init(period: ProactiveReportPeriod.containing(Date())), rules: req.application.rules, on: req.db)
            var page = ProactiveOverview.View(req: req, model: model, filterErrors: error.fields).render()
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    /// `GET /api/v1/proactive/overview`: one item per visible system (same filters as the page).
    static func overviewAPI(req: Request) async throws -> ProactiveOverviewDTO {
        let model = try await ProactiveOverview.query(subject: try req.requireSubject(), filters: try ProactiveOverview.filters(from: req),
                                                      rules: req.application.rules, on: req.db)
        return ProactiveOverviewDTO(model)
    }
}

/// The overview in the API.
struct ProactiveOverviewDTO: Content {
    struct Activity: Content {
        var id: UUID
        var at: Date
        var performerKind: String
        var performer: String
    }

    struct Duty: Content {
        var state: String
        var dueAt: Date?
        var explanation: String
    }

    struct System: Content {
        var systemId: UUID
        var code: String
        var name: String
        var agencyId: UUID
        var agencyName: String
        var lifecycle: String
        var lastScan: Activity?
        var lastHunt: Activity?
        var scan: Duty?
        var hunt: Duty?
        var findings: Duty?
        var openFindings: [String: Int]
        var overdueFindings: Int
        var scansInPeriod: Int
        var huntsInPeriod: Int
    }

    struct Summary: Content {
        var systems: Int
        var inDuty: Int
        var scannedWithinInterval: Int
        var huntedWithinInterval: Int
        var scannedPercent: Int
        var huntedPercent: Int
        var scanOverdue: Int
        var huntOverdue: Int
        var neverScanned: Int
        var neverHunted: Int
        var openFindings: Int
        var overdueFindings: Int
        var scansInPeriod: Int
        var huntsInPeriod: Int
    }

    var year: Int
    var half: Int
    var periodStart: Date
    var periodEnd: Date
    var summary: Summary
    var systems: [System]

    init(_ m: ProactiveOverview.Model) {
        year = m.filters.period.year
        half = m.filters.period.half.rawValue
        periodStart = m.filters.period.start
        periodEnd = m.filters.period.end
        let s = m.summary
        summary = Summary(systems: s.systems, inDuty: s.inDuty, scannedWithinInterval: s.scannedWithinInterval, huntedWithinInterval: s.huntedWithinInterval,
                          scannedPercent: s.scannedPercent, huntedPercent: s.huntedPercent, scanOverdue: s.scanStates[.overdue] ?? 0,
                          huntOverdue: s.huntStates[.overdue] ?? 0, neverScanned: s.neverScanned, neverHunted: s.neverHunted,
                          openFindings: s.openFindings, overdueFindings: s.overdueFindings, scansInPeriod: s.scansInPeriod, huntsInPeriod: s.huntsInPeriod)
        func activity(_ a: ProactiveOverview.Activity?) -> Activity? {
            a.map { Activity(id: $0.id, at: $0.at, performerKind: $0.performerKind, performer: $0.performer) }
        }
        func duty(_ o: Obligation?) -> Duty? { o.map { Duty(state: $0.state.rawValue, dueAt: $0.dueAt, explanation: $0.explanationVi) } }
        systems = m.groups.flatMap { g in
            g.rows.map { r in
                System(systemId: r.systemId, code: r.code, name: r.name, agencyId: r.agencyId, agencyName: g.name, lifecycle: r.lifecycle.rawValue,
                       lastScan: activity(r.lastScan), lastHunt: activity(r.lastHunt), scan: duty(r.scanDuty), hunt: duty(r.huntDuty),
                       findings: duty(r.findingsDuty), openFindings: Dictionary(uniqueKeysWithValues: r.openBySeverity.map { ($0.key.rawValue, $0.value) }),
                       overdueFindings: r.overdueFindings, scansInPeriod: r.scansInPeriod, huntsInPeriod: r.huntsInPeriod)
            }
        }
    }
}
