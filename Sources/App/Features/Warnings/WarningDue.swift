import Foundation
import Domain

/// The remediation deadline of one affected system and whether it has passed, computed the way the obligation engine
/// computes WARNING_REMEDIATION_DUE (the warning's deadline, else receipt + the rule's default days).
struct WarningDue: Sendable, Equatable {
    var date: Date
    /// False: the default period of the rule data applies (the warning names no deadline).
    var fromWarning: Bool
    var state: ObligationState

    static func of(_ row: WarningSystem, warning: AuthorityWarning, rules: ProactiveObligationRules, now: Date = Date()) -> WarningDue? {
        let facts = WarningObligationRefresher.facts(row, warning: warning, agencyId: row.agencyId)
        guard let due = ProactiveObligations.warningDeadline(facts, rules: rules) else { return nil }
        return WarningDue(date: due.date, fromWarning: due.fromWarning,
                          state: ObligationEngine.state(dueAt: due.date, now: now, dueSoonDays: rules.dueSoonDays))
    }

    /// Open (affected or acknowledged) and past its deadline.
    static func isOverdue(_ row: WarningSystem, warning: AuthorityWarning, rules: ProactiveObligationRules, now: Date = Date()) -> Bool {
        guard WarningSystemState(rawValue: row.state)?.isOpen ?? false else { return false }
        return of(row, warning: warning, rules: rules, now: now)?.state == .overdue
    }
}
