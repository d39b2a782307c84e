import Foundation

/// What a notification is about. Raw values are stored and used in the API and webhook bodies;
/// a new case needs catalogue keys `notificationKind.<raw>` and a default in ``NotificationDefaults``.
enum NotificationKind: String, CaseIterable, Codable, Sendable {
    case newReport = "new_report"
    case assignment
    case clockDueSoon = "clock_due_soon"
    case clockOverdue = "clock_overdue"
    case statusChange = "status_change"
    /// A warning of a competent authority affects one of the agency's systems.
    case authorityWarning = "authority_warning"
    /// Continuous detection opened a high or critical alert on the agency's events.
    case detectionAlert = "detection_alert"
}

/// How a notification reaches a person. Webhooks are endpoints, not people: each endpoint chooses its
/// event kinds itself (``Webhook``), so a person's `webhook` preference is not offered.
enum NotificationChannel: String, CaseIterable, Codable, Sendable {
    case inApp = "in_app"
    case email

    static let personal: [NotificationChannel] = [.inApp, .email]
}

/// What a user gets before changing anything: everything in the application; e-mail for what needs
/// someone to act (a new report, an assignment, a clock), not for every status change.
enum NotificationDefaults {
    static func isEnabled(_ kind: NotificationKind, _ channel: NotificationChannel) -> Bool {
        switch channel {
        case .inApp: true
        case .email: kind != .statusChange
        }
    }
}
