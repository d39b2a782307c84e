import Foundation
import Domain
import Fluent

/// What incident changes tell people. Wired to the notifier once it lands (PENDING-NOTIFIER).
enum IncidentNotifications {
    static func newReport(_ incident: Incident, on db: any Database) async throws {}
    static func assignment(_ incident: Incident, userId: UUID, on db: any Database) async throws {}
    static func statusChange(_ incident: Incident, on db: any Database) async throws {}
    static func clock(_ incident: Incident, clock: IncidentClock, on db: any Database) async throws {}
    static func shared(_ incident: Incident, on db: any Database) async throws {}
    static func policeActivity(_ incident: Incident, on db: any Database) async throws {}
}
